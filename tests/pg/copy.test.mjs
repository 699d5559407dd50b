// PostgreSQL only (make test-pg): hearth copy moves a district between
// the stores. A SQLite database filled through the API (demo data, an
// evaluation with events, attendance and key cases, registrations with
// mail in the outbox, duty logs) is copied into a fresh PostgreSQL
// database; served from there, the same GETs answer the same bytes. A
// write on PostgreSQL takes the next id (the sequences moved past the
// copied ids); the database then goes back into a new SQLite file and
// answers the same again. A copy into a database that is not empty is
// refused and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, login, run, sqlRun } from '../lib/harness.mjs';
import { pgDatabase, pgWanted } from '../lib/pg.mjs';
import { seedFutian, enterCasesAndTallies, PERIOD } from '../lib/evaluation.mjs';

const HOUR = 3600e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// Mail is queued (the outbox) but never sent: nothing listens there.
const ENV = {
  HEARTH_MAIL_FROM: 'studio@example.org',
  HEARTH_SMTP_HOST: '127.0.0.1',
  HEARTH_SMTP_PORT: '9',
  HEARTH_SMTP_STARTTLS: 'off',
};

function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text?.slice(0, 300)}`);
  return r.body;
}

// Everything the district has, through the API.
async function fill(url) {
  const token = await login(url);
  const call = (method, path, body, extra = {}) => api(url, method, path, { token, body, ...extra });
  const fw = await seedFutian(call);
  await enterCasesAndTallies(call, fw.hall);
  // A public event with registrations (their confirmations queue mail).
  const start = Date.now() + 10 * 24 * HOUR;
  const ev = ok(await call('POST', '/api/v1/events', {
    // What COPY's text format escapes: tab, newline, backslash.
    kind: 'lecture', title: '情绪减压讲座', description: '了解压力来源\n学习\t放松\\方法 "引号" \\N',
    start: iso(start), end: iso(start + 2 * HOUR),
    public: true, status: 'confirmed', capacity: 10, station_id: fw.hall.id,
  }), 201, 'event');
  for (const [i, name] of ['李梅', '王建国', '陈小红'].entries()) {
    ok(await api(url, 'POST', `/api/v1/events/${ev.id}/registrations`, {
      body: { name, email: `p${i}@example.cn` },
    }), 201, `registration ${name}`);
  }
  // Duty logs of a counsellor with a sign-in.
  const c = ok(await call('POST', '/api/v1/counsellors', { name: '赵心安', email: 'zhao@example.org', max_weekly_hours: 60 }), 201, 'counsellor');
  ok(await call('POST', `/api/v1/counsellors/${c.id}/account`, { username: 'zhaoxa', password: 'duty-password-1' }), 201, 'account');
  const ctoken = await login(url, 'zhaoxa', 'duty-password-1');
  for (let d = 1; d <= 3; d++) {
    const sh = ok(await call('POST', '/api/v1/shifts', {
      station_id: fw.hall.id, counsellor_id: c.id,
      start: iso(Date.now() - d * 24 * HOUR), end: iso(Date.now() - d * 24 * HOUR + 3 * HOUR),
    }), 201, 'shift');
    ok(await api(url, 'PUT', `/api/v1/shifts/${sh.id}/log`, {
      token: ctoken, body: { attended: true, values: { visitors: d, batches: 1 } },
    }), 200, 'duty log');
  }
  const outbox = ok(await call('GET', '/api/v1/outbox?limit=500'), 200, 'outbox');
  assert.ok(outbox.total > 0 || outbox.items.length > 0, `mail is queued: ${JSON.stringify(outbox).slice(0, 200)}`);
  return { fw, counsellor: c.id };
}

// The answers compared across the stores: bytes of each.
async function snapshot(url, { fw, counsellor }) {
  const token = await login(url);
  const get = async (path) => {
    const r = await api(url, 'GET', path, { token });
    assert.equal(r.status, 200, `${path}: ${r.status} ${r.text?.slice(0, 200)}`);
    // Links name the server's own address, which differs per server.
    return r.text.split(url).join('BASE');
  };
  const q = `framework=${fw.id}&from=${PERIOD.from}&to=${PERIOD.to}`;
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 24 * HOUR).toISOString().slice(0, 10);
  const c = JSON.parse(await get(`/api/v1/counsellors/${counsellor}`));
  const out = {};
  for (const path of [
    '/api/v1/events?limit=500',
    '/feeds/events.ics',
    c.feed_url.replace(/^BASE/, ''),
    '/api/v1/stations?limit=500',
    '/api/v1/counsellors?limit=500',
    '/api/v1/cases?limit=500',
    '/api/v1/duty-logs?limit=500',
    `/api/v1/reports/duty?from=${weekAgo}&to=${today}&by=month`,
    `/api/v1/indicators?${q}`,
    '/api/v1/duty-metrics',
  ]) out[path] = await get(path);
  return out;
}

function sameAnswers(got, want, what) {
  for (const path of Object.keys(want)) assert.equal(got[path], want[path], `${what}: ${path}`);
}

async function copy(from, to) {
  return run(['copy', '--from', from, '--to', to]);
}

test('hearth copy: SQLite to PostgreSQL and back, the same answers; a non-empty destination is refused', { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-copy-'));
  const lite = join(dir, 'a.db');
  const back = join(dir, 'back.db');
  const pg = pgDatabase();
  try {
    // SQLite, filled through the API.
    let s = await startServer({ db: lite, demo: true, env: ENV });
    let seed, want;
    try {
      seed = await fill(s.url);
      want = await snapshot(s.url, seed);
    } finally { await s.stop(); }

    // Into PostgreSQL: every table, the counts printed and equal.
    const r = await copy(lite, pg);
    assert.equal(r.code, 0, `copy to PostgreSQL: ${r.stdout}\n${r.stderr}`);
    const rows = r.stdout.split('\n').filter((l) => /^\w+\s+\d+\s+\d+$/.test(l)).map((l) => l.split(/\s+/));
    for (const t of ['events', 'registrations', 'attendance', 'cases', 'duty_logs', 'outbox', 'users', 'sessions', 'audit_log']) {
      const row = rows.find((x) => x[0] === t);
      assert.ok(row, `${t} is copied: ${r.stdout}`);
      assert.ok(Number(row[1]) > 0, `${t} has rows`);
      assert.equal(row[1], row[2], `${t}: the counts match`);
    }
    assert.match(r.stdout, /row counts match/);
    assert.equal(sqlRun(pg, 'SELECT count(*) FROM events'), sqlRun(lite, 'SELECT count(*) FROM events'));

    // Served from PostgreSQL: the same bytes.
    let after;
    s = await startServer({ db: pg, env: ENV });
    try {
      sameAnswers(await snapshot(s.url, seed), want, 'PostgreSQL');
      // The sequences moved past the copied ids: a new row gets the next.
      const token = await login(s.url);
      const maxId = Number(sqlRun(pg, 'SELECT max(id) FROM stations'));
      const st = ok(await api(s.url, 'POST', '/api/v1/stations', { token, body: { code: 'CPY1', name: '复制后新站', kind: 'street' } }), 201, 'new station');
      assert.equal(st.id, maxId + 1);
      after = await snapshot(s.url, seed);
      assert.notEqual(after['/api/v1/stations?limit=500'], want['/api/v1/stations?limit=500']);
    } finally { await s.stop(); }

    // A non-empty destination: refused, nothing changed.
    const before = sqlRun(pg, 'SELECT count(*) FROM stations') + '/' + sqlRun(pg, 'SELECT count(*) FROM audit_log');
    const refused = await copy(lite, pg);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not empty/);
    assert.equal(sqlRun(pg, 'SELECT count(*) FROM stations') + '/' + sqlRun(pg, 'SELECT count(*) FROM audit_log'), before);

    // Back into a new SQLite file: the same bytes as PostgreSQL served.
    const r2 = await copy(pg, back);
    assert.equal(r2.code, 0, `copy to SQLite: ${r2.stdout}\n${r2.stderr}`);
    assert.ok(existsSync(back));
    s = await startServer({ db: back, env: ENV });
    try {
      sameAnswers(await snapshot(s.url, seed), after, 'SQLite again');
    } finally { await s.stop(); }

    // SQLite to SQLite too; and a used SQLite file refuses as well.
    const refused2 = await copy(lite, back);
    assert.notEqual(refused2.code, 0);
    assert.match(refused2.stderr, /not empty/);
    assert.equal(sqlRun(back, 'SELECT count(*) FROM stations'), sqlRun(pg, 'SELECT count(*) FROM stations'));
    const r3 = await copy(lite, join(dir, 'c.db'));
    assert.equal(r3.code, 0, r3.stderr);
    // An error midway rolls the whole copy back: a value PostgreSQL's
    // column refuses (SQLite kept text in an integer column).
    const bad = join(dir, 'bad.db');
    assert.equal((await run(['backup', '--db', lite, bad])).code, 0);
    sqlRun(bad, "UPDATE events SET created_at = 'yesterday' WHERE id = (SELECT max(id) FROM events)");
    const pg2 = pgDatabase();
    const failed = await copy(bad, pg2);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /insert into events failed/);
    assert.doesNotMatch(failed.stdout, /row counts match/);
    assert.equal(sqlRun(pg2, 'SELECT count(*) FROM stations'), '0', 'the tables copied before are rolled back');
    // A source at another schema version: refused.
    const old = join(dir, 'old.db');
    assert.equal((await run(['backup', '--db', lite, old])).code, 0);
    sqlRun(old, 'PRAGMA user_version = 12');
    const older = await copy(old, pg2);
    assert.notEqual(older.code, 0);
    assert.match(older.stderr, /schema is version 12/);
    // Schemas that drifted apart (a column or a table the other side
    // lacks): refused, whatever the version says.
    const drift = join(dir, 'drift.db');
    assert.equal((await run(['backup', '--db', lite, drift])).code, 0);
    sqlRun(drift, 'ALTER TABLE stations ADD COLUMN extra TEXT');
    const drifted = await copy(drift, pg2);
    assert.notEqual(drifted.code, 0);
    assert.match(drifted.stderr, /table stations has \d+ columns on the source, \d+ on the destination/);
    sqlRun(drift, 'ALTER TABLE stations DROP COLUMN extra; CREATE TABLE extra (x INTEGER)');
    const extra = await copy(drift, pg2);
    assert.notEqual(extra.code, 0);
    assert.match(extra.stderr, /the source has \d+ tables, the destination \d+/);
    // Nothing was left behind: the good copy goes in.
    assert.equal((await copy(lite, pg2)).code, 0);
    assert.equal(sqlRun(pg2, 'SELECT count(*) FROM events'), sqlRun(lite, 'SELECT count(*) FROM events'));

    // Every row and value as it was: SQLite to PostgreSQL to SQLite
    // gives the same dump, byte for byte.
    const pg3 = pgDatabase();
    const round = join(dir, 'round.db');
    assert.equal((await copy(lite, pg3)).code, 0);
    assert.equal((await copy(pg3, round)).code, 0);
    assert.equal(sqlRun(round, '.dump'), sqlRun(lite, '.dump'));
    // PostgreSQL to PostgreSQL: the same rows, table by table.
    const pg4 = pgDatabase();
    const r4 = await copy(pg3, pg4);
    assert.equal(r4.code, 0, r4.stderr);
    for (const t of ['events', 'registrations', 'duty_logs', 'cases', 'audit_log', 'outbox']) {
      const all = `SELECT * FROM ${t} ORDER BY 1`;
      assert.equal(sqlRun(pg4, all), sqlRun(pg3, all), t);
    }

    // The same database on both sides, an unknown source: refused.
    assert.notEqual((await copy(lite, lite)).code, 0);
    const none = await copy(join(dir, 'nosuch.db'), join(dir, 'd.db'));
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no source/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
