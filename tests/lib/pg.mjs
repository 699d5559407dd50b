// A throwaway PostgreSQL cluster for the tests that run on the PostgreSQL
// store (HEARTH_TEST_STORE=pg): initdb + pg_ctl of Debian's postgresql-15
// in a temporary directory, listening on a Unix socket there only,
// started on first use and stopped by pid when this process exits. Each
// call of pgDatabase() creates a fresh database on it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.HEARTH_PG_BIN || '/usr/lib/postgresql/15/bin';
const PORT = 5432; // names the socket file in our own directory only

let cluster = null;
let count = 0;

export function pgWanted() {
  return process.env.HEARTH_TEST_STORE === 'pg';
}

function asPostgres(cmd, args) {
  // initdb and the server refuse to run as root.
  if (process.getuid && process.getuid() === 0) {
    return execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  }
  return execFileSync(cmd, args, { stdio: 'pipe' });
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function pgCluster() {
  if (cluster) return cluster;
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pg-'));
  if (process.getuid && process.getuid() === 0) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  asPostgres(join(PG_BIN, 'initdb'), ['-N', '-D', data, '-A', 'trust', '-U', 'postgres',
    '-E', 'UTF8', '--locale=C.UTF-8']);
  asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-k ${dir} -p ${PORT} -c listen_addresses= -c fsync=off -c synchronous_commit=off ` +
    '-c full_page_writes=off -c max_connections=200', 'start']);
  cluster = { dir, data, pid: postmasterPid(data) };
  // A watchdog stops the cluster when this process is gone without its
  // exit handler (SIGKILL): it polls our pid, then the postmaster's.
  const dog = spawn('sh', ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'p=$(head -1 "$2/postmaster.pid" 2>/dev/null) && kill -QUIT "$p" 2>/dev/null; ' +
    'sleep 2; rm -rf "$3"', 'pg-watchdog', String(process.pid), data, dir],
  { detached: true, stdio: 'ignore' });
  dog.unref();
  // A signal (a test runner's timeout) exits through 'exit' too.
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, () => process.exit(code));
  }
  process.on('exit', () => {
    // Immediate shutdown of the postmaster we started, by its pid.
    try { process.kill(cluster.pid, 'SIGQUIT'); } catch { /* gone already */ }
    for (let i = 0; i < 100; i++) {
      try { process.kill(cluster.pid, 0); } catch { break; }
      sleepSync(50);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return cluster;
}

function postmasterPid(data) {
  return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

// Restarts the cluster (fast shutdown: every connection is cut), as a
// failover or a server restart would; the new postmaster's pid is kept.
export function pgRestart() {
  const c = pgCluster();
  asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', c.data, '-l', join(c.dir, 'log'), '-m', 'fast', '-w', 'restart']);
  c.pid = postmasterPid(c.data);
}

// A fresh database; returns its libpq URI.
export function pgDatabase() {
  const c = pgCluster();
  const name = `hearth_${process.pid}_${++count}`;
  execFileSync(join(PG_BIN, 'createdb'), ['-h', c.dir, '-p', String(PORT), '-U', 'postgres', name]);
  return `postgresql:///${name}?host=${c.dir}&port=${PORT}&user=postgres`;
}
