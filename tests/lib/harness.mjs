// Starts the real hearth binary on a free loopback port with a temporary
// database, for end-to-end and browser tests. The binary is $HEARTH_BIN
// (make test points it at the sanitizer build) or build/hearth.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgWanted, pgDatabase, PG_BIN } from './pg.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = process.env.HEARTH_BIN || join(root, 'build/hearth');
export const ADMIN_PASSWORD = 'correct horse battery staple';
// How long a server may take to say it listens (make valgrind raises it).
const startMs = Number(process.env.HEARTH_TEST_START_MS) || 20000;
const pgDbs = new Map();

// Runs a hearth subcommand to completion; resolves {code, stdout, stderr}.
export function run(args, env = {}) {
  return new Promise((res, rej) => {
    const p = spawn(bin, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout, stderr }));
  });
}

// Starts `hearth serve` on 127.0.0.1 with port 0 and waits for the
// "listening" log line. opts.env adds environment, opts.demo loads demo
// data first, opts.args adds flags. Returns {url, dir, db, log(), stop()}.
export async function startServer(opts = {}) {
  // opts.dir: a directory (and database) kept from an earlier server,
  // e.g. to start again after kill(). opts.db: an existing database
  // of the caller's (a path, or a PostgreSQL URI), which stop() never
  // removes. HEARTH_TEST_STORE=pg: a database of its own on the
  // throwaway PostgreSQL cluster (tests/lib/pg.mjs), kept with the
  // directory.
  const pgDb = opts.db && /^postgres(ql)?:\/\//.test(opts.db);
  const dir = opts.db && !pgDb ? dirname(opts.db) : opts.dir || mkdtempSync(join(tmpdir(), 'hearth-test-'));
  const db = opts.db || dbFor(dir);
  const env = {
    HEARTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HEARTH_LOG_LEVEL: 'info',
    ...opts.env,
  };
  if (opts.demo) {
    const r = await run(['demo', '--db', db], env);
    if (r.code !== 0) throw new Error(`hearth demo failed: ${r.stderr}`);
  }
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...(opts.args || [])];
  const child = spawn(bin, args, { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`hearth did not start:\n${out}`)), startMs);
    const onData = (d) => {
      out += d;
      const m = out.match(/msg=listening url=(http:\/\/\S+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`hearth exited ${code}:\n${out}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    url,
    dir,
    db,
    child,
    log: () => out,
    // SIGKILL, as a crash or power cut would; keeps the directory.
    async kill() {
      child.kill('SIGKILL');
      return exited;
    },
    // SIGTERM, then waits; rejects when the exit was not clean (a
    // sanitizer report makes the exit code non-zero).
    async stop({ keep = false } = {}) {
      child.kill('SIGTERM');
      const r = await exited;
      // HEARTH_TEST_LOG=FILE: every server's log appended there.
      if (process.env.HEARTH_TEST_LOG) appendFileSync(process.env.HEARTH_TEST_LOG, out);
      if (!keep && (!opts.db || pgDb)) rmSync(dir, { recursive: true, force: true });
      if (r.code !== 0) throw new Error(`hearth exited with ${r.code ?? r.signal}:\n${out.slice(-4000)}`);
      // A handler must return the status it replied (the dispatcher logs
      // one that does not).
      const bad = out.split('\n').filter((l) => l.includes('msg="handler status differs'));
      if (bad.length) throw new Error(`handlers returned a status other than their reply:\n${bad.join('\n')}`);
      return r;
    },
  };
}

// The database of a test directory: its hearth.db, or under
// HEARTH_TEST_STORE=pg a database of its own on the throwaway cluster,
// the same one each time (a server started again on the directory).
export function dbFor(dir) {
  if (!pgWanted()) return join(dir, 'hearth.db');
  if (!pgDbs.has(dir)) pgDbs.set(dir, pgDatabase());
  return pgDbs.get(dir);
}

// Runs SQL on a test's database (the sqlite3 shell or psql); returns
// what it printed, trimmed.
export function sqlRun(db, sql) {
  if (/^postgres(ql)?:\/\//.test(db)) {
    return execFileSync(join(PG_BIN, 'psql'), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', db, '-c', sql],
      { encoding: 'utf8' }).trim();
  }
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' }).trim();
}

// JSON request helper: returns {status, headers, body (parsed when JSON), text}.
export async function api(base, method, path, { token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
  const r = await fetch(base + path, { method, headers: h, body: payload });
  const text = await r.text();
  let parsed;
  if ((r.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
  return { status: r.status, headers: r.headers, body: parsed, text };
}

export async function login(base, username = 'admin', password = ADMIN_PASSWORD) {
  const r = await api(base, 'POST', '/api/v1/session', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return r.body.token;
}
