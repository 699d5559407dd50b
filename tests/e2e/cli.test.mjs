// The command line: version, migrate, demo, backup, unknown subcommands,
// and configuration precedence (file < environment < flags).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, login, run, bin, root, ADMIN_PASSWORD } from '../lib/harness.mjs';
import { expectStatus, serveOn, FEED_RE } from './util.mjs';

const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const isSqlite = (p) => readFileSync(p).subarray(0, 16).toString('latin1') === 'SQLite format 3\0';

// Like run(), but kills the process after ms (a command that should
// refuse to run must not hang the suite).
function runFor(args, ms = 5000, env = {}) {
  return new Promise((res, rej) => {
    const p = spawn(bin, args, { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('error', rej);
    p.on('close', (code, signal) => { clearTimeout(t); res({ code, signal, out }); });
  });
}

describe('cli', () => {
  let dir;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hearth-cli-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  test('hearth version prints a version and exits 0', async () => {
    const r = await run(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /\d+\.\d+(\.\d+)?/);
  });

  test('an unknown subcommand exits non-zero', async () => {
    const r = await runFor(['frobnicate']);
    assert.ok(r.code !== 0 && r.code !== null, `exit ${r.code ?? r.signal}: ${r.out}`);
    assert.ok(r.out.length > 0, 'says something');
  });

  test('an unknown flag exits non-zero instead of serving', async () => {
    const r = await runFor(['serve', '--db', join(dir, 'flag.db'), '--listen', '127.0.0.1:0', '--no-such-flag']);
    assert.ok(r.code !== 0 && r.code !== null, `exit ${r.code ?? r.signal}: ${r.out}`);
  });

  test('migrate creates the database; a second run is a no-op', async () => {
    const db = join(dir, 'm.db');
    const r1 = await run(['migrate', '--db', db]);
    assert.equal(r1.code, 0, r1.stdout + r1.stderr);
    assert.ok(existsSync(db), 'database file created');
    assert.ok(isSqlite(db), 'it is an SQLite database');
    const h1 = sha(db);
    const r2 = await run(['migrate', '--db', db]);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.equal(sha(db), h1, 'the second migrate changed nothing in the file');
    // The migrated database serves.
    const s = await serveOn(db);
    try {
      const h = await api(s.url, 'GET', '/healthz');
      expectStatus(h, 200);
      assert.ok(h.body.schema >= 1);
    } finally { await s.stop(); }
  });

  test('migrate honours HEARTH_DB', async () => {
    const db = join(dir, 'env.db');
    const r = await run(['migrate'], { HEARTH_DB: db });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(existsSync(db), 'database created at $HEARTH_DB');
  });

  test('backup writes a usable copy of a database', async () => {
    const db = join(dir, 'b.db');
    const out = join(dir, 'b-copy.db');
    assert.equal((await run(['demo', '--db', db])).code, 0);
    const r = await run(['backup', '--db', db, out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(existsSync(out) && isSqlite(out), 'backup is an SQLite file');
    const s = await serveOn(out);
    try {
      const t = await login(s.url);
      const l = await api(s.url, 'GET', '/api/v1/stations?limit=500', { token: t });
      expectStatus(l, 200);
      assert.equal(l.body.total, 13, 'the copy has the demo stations');
    } finally { await s.stop(); }
  });
});

describe('demo data', () => {
  let s, token, stopped = false;
  const csv = readFileSync(join(root, 'deploy/demo/stations-futian.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(',')).map(([code, name, kind]) => ({ code, name, kind }));

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => {
    if (!stopped) await s.stop();
    rmSync(s.dir, { recursive: true, force: true });
  });

  async function lists(url, tok) {
    const st = await api(url, 'GET', '/api/v1/stations?limit=500', { token: tok });
    const co = await api(url, 'GET', '/api/v1/counsellors?limit=500', { token: tok });
    expectStatus(st, 200);
    expectStatus(co, 200);
    return { st: st.body, co: co.body };
  }

  test('demo loads the 13 Futian stations of the CSV and 14 counsellors at example.org', async () => {
    assert.equal(csv.length, 13);
    const { st, co } = await lists(s.url, token);
    assert.equal(st.total, 13);
    assert.deepEqual(st.items.map((x) => x.code).sort(),
      ['HALL', 'FIN', 'EPI', 'YL', 'NY', 'FT', 'ST', 'ML', 'HF', 'XMH', 'LH', 'HQB', 'FB'].sort());
    for (const row of csv) {
      const got = st.items.find((x) => x.code === row.code);
      assert.equal(got.name, row.name, `${row.code} name`);
      assert.equal(got.kind, row.kind, `${row.code} kind`);
      assert.equal(got.timezone, 'Asia/Shanghai');
    }
    assert.equal(co.total, 14);
    for (const c of co.items) {
      assert.match(c.email, /@example\.org$/, `demo e-mail ${c.email}`);
      assert.match(c.feed_url, FEED_RE);
    }
    assert.equal(new Set(co.items.map((c) => c.email)).size, 14, 'distinct e-mails');
  });

  test('a second demo run does not duplicate anything', async () => {
    const before = await lists(s.url, token);
    await s.stop({ keep: true });
    stopped = true;
    const r = await run(['demo', '--db', s.db], { HEARTH_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const s2 = await serveOn(s.db);
    try {
      const t2 = await login(s2.url);
      const after = await lists(s2.url, t2);
      assert.equal(after.st.total, 13, `stations after a second demo (exit ${r.code}: ${r.stderr})`);
      assert.equal(after.co.total, 14, 'counsellors after a second demo');
      assert.deepEqual(after.st.items.map((x) => x.id), before.st.items.map((x) => x.id));
    } finally { await s2.stop(); }
  });
});

describe('configuration precedence: file < environment < flags', () => {
  let dir, file;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-conf-'));
    file = join(dir, 'hearth.conf');
    writeFileSync(file, [
      '# Hearth configuration',
      '',
      'base_url = http://file.example',
      'log_level = info',
      '',
    ].join('\n'));
  });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  async function feedUrl({ env, args }) {
    const s = await startServer({ env: { HEARTH_BASE_URL: undefined, ...env }, args: ['--config', file, ...args] });
    try {
      const token = await login(s.url);
      const r = await api(s.url, 'POST', '/api/v1/counsellors', { token, body: { name: 'Conf', email: 'conf@example.org' } });
      expectStatus(r, 201, 'create counsellor');
      return r.body.feed_url;
    } finally { await s.stop(); }
  }

  test('the flag wins over the environment and the file', async () => {
    const u = await feedUrl({ env: { HEARTH_BASE_URL: 'http://env.example' }, args: ['--base-url', 'http://flag.example'] });
    assert.ok(u.startsWith('http://flag.example/feeds/counsellors/'), u);
  });

  test('the environment wins over the file', async () => {
    const u = await feedUrl({ env: { HEARTH_BASE_URL: 'http://env.example' }, args: [] });
    assert.ok(u.startsWith('http://env.example/feeds/counsellors/'), u);
  });

  test('the file applies when nothing else is set', async () => {
    const u = await feedUrl({ env: {}, args: [] });
    assert.ok(u.startsWith('http://file.example/feeds/counsellors/'), u);
  });

  test('a missing config file is an error', async () => {
    const r = await runFor(['serve', '--config', join(dir, 'missing.conf'), '--db', join(dir, 'x.db'), '--listen', '127.0.0.1:0']);
    assert.ok(r.code !== 0 && r.code !== null, `exit ${r.code ?? r.signal}: ${r.out}`);
  });
});
