// A throwaway PostgreSQL cluster for the tests that run on the PostgreSQL
// store (HEARTH_TEST_STORE=pg): initdb + pg_ctl of Debian's postgresql-15
// in a temporary directory, listening on a Unix socket there only,
// started on first use and stopped by pid when this process exits. Each
// call of pgDatabase() creates a fresh database on it.
// HEARTH_PG_DURABLE=1 (make bench): fsync, full page writes and
// synchronous commit on, as a production server runs; off otherwise.
//
// pgPair() starts a primary and a streaming replica beside it (the
// failover test): synchronous replication, each on a Unix socket in a
// directory of its own, both stopped by pid at exit.
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
  const durable = process.env.HEARTH_PG_DURABLE === '1' ? 'on' : 'off';
  asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-k ${dir} -p ${PORT} -c listen_addresses= -c fsync=${durable} -c synchronous_commit=${durable} ` +
    `-c full_page_writes=${durable} -c max_connections=200`, 'start']);
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

// ---- a primary and a synchronous streaming replica (failover) ----------

function stopPids(pids) {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGQUIT'); } catch { /* gone already */ }
  }
  for (const pid of pids) {
    for (let i = 0; i < 100; i++) {
      try { process.kill(pid, 0); } catch { break; }
      sleepSync(50);
    }
  }
}

function pgStart(node, extra) {
  asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', node.data, '-l', node.log, '-w', '-o',
    `-k ${node.sock} -p ${PORT} -c listen_addresses= -c fsync=off -c full_page_writes=off ` +
    `-c max_connections=100 ${extra}`, 'start']);
  node.pid = postmasterPid(node.data);
}

// psql on one node (its socket), the result trimmed.
export function pgQuery(node, sql, db = 'postgres') {
  return execFileSync(join(PG_BIN, 'psql'), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1',
    '-h', node.sock, '-p', String(PORT), '-U', 'postgres', '-d', db, '-c', sql],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// Starts a primary A and a replica B made from it by pg_basebackup -R,
// streaming with synchronous_standby_names naming B, so a commit is
// acknowledged once B has it. Returns {primary, replica, database(name)
// → multi-host URI with target_session_attrs=read-write, promote()
// → ms until B takes writes, killPrimary()}. Both postmasters are
// stopped (SIGQUIT, by pid) at exit; a primary killed by kill -9 leaves
// orphan backends that end themselves when they see it gone.
export function pgPair() {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pgpair-'));
  if (process.getuid && process.getuid() === 0) execFileSync('chown', ['postgres', dir]);
  const node = (name) => ({ name, data: join(dir, name, 'data'), sock: join(dir, name), log: join(dir, `${name}.log`), pid: 0 });
  const primary = node('a');
  const replica = node('b');
  for (const n of [primary, replica]) {
    execFileSync('mkdir', ['-p', n.sock]);
    if (process.getuid && process.getuid() === 0) execFileSync('chown', ['postgres', n.sock]);
  }
  const pids = () => [primary.pid, replica.pid].filter((p) => p > 0);
  process.on('exit', () => {
    stopPids(pids());
    rmSync(dir, { recursive: true, force: true });
  });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, () => process.exit(code));
  }
  asPostgres(join(PG_BIN, 'initdb'), ['-N', '-D', primary.data, '-A', 'trust', '-U', 'postgres',
    '-E', 'UTF8', '--locale=C.UTF-8']);
  // synchronous_commit=on (the default) makes the commit wait for B.
  pgStart(primary, "-c wal_level=replica -c synchronous_commit=on -c synchronous_standby_names='hearth_b'");
  // The watchdog stops both when this process dies without its exit
  // handler (SIGKILL of the runner).
  const dog = spawn('sh', ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'for d in "$2" "$3"; do p=$(head -1 "$d/postmaster.pid" 2>/dev/null) && kill -QUIT "$p" 2>/dev/null; done; ' +
    'sleep 2; rm -rf "$4"', 'pg-watchdog', String(process.pid), primary.data, replica.data, dir],
  { detached: true, stdio: 'ignore' });
  dog.unref();
  asPostgres(join(PG_BIN, 'pg_basebackup'), ['-D', replica.data, '-R', '-X', 'stream', '-c', 'fast',
    '-d', `host=${primary.sock} port=${PORT} user=postgres application_name=hearth_b`]);
  pgStart(replica, '-c hot_standby=on');
  // Until A reports B as its synchronous standby.
  for (let i = 0; ; i++) {
    const s = pgQuery(primary, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'hearth_b'");
    if (s === 'sync') break;
    if (i > 200) throw new Error(`the replica did not become synchronous: "${s}"`);
    sleepSync(50);
  }
  return {
    dir,
    primary,
    replica,
    // A database made on A (and so on B); its URI names both hosts.
    database(name) {
      pgQuery(primary, `CREATE DATABASE ${name}`);
      return `postgresql:///${name}?host=${primary.sock},${replica.sock}&port=${PORT},${PORT}` +
        '&user=postgres&target_session_attrs=read-write&connect_timeout=2';
    },
    // The primary's machine is gone: kill -9 of its postmaster.
    killPrimary() {
      process.kill(primary.pid, 'SIGKILL');
    },
    // pg_ctl promote, then until B is out of recovery (pg_ctl's own
    // wait polls by the second); returns ms.
    promote() {
      const t0 = performance.now();
      asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', replica.data, '-W', 'promote']);
      for (let i = 0; ; i++) {
        let r = '';
        try { r = pgQuery(replica, 'SELECT pg_is_in_recovery()'); } catch { /* starting */ }
        if (r === 'f') break;
        if (i > 400) throw new Error('the replica was not promoted');
        sleepSync(25);
      }
      return performance.now() - t0;
    },
  };
}
