// PostgreSQL only (make test-pg): two Hearth instances on one database
// and one SMTP sink (issue 16 item 3). Each message goes out once
// although both instances' outbox workers claim from the same rows
// (FOR UPDATE SKIP LOCKED); and a kill -9 of one instance while it is
// sending loses nothing: the other takes its claims back (its
// connection is gone, or its lease ran out) and sends them, a repeat
// only of what was in flight at the kill, with the same Message-ID.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, sqlRun } from '../lib/harness.mjs';
import { pgDatabase, pgWanted } from '../lib/pg.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const skip = !pgWanted() && 'HEARTH_TEST_STORE=pg only';
const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

const HOUR = 3600e3;
const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function until(what, fn, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Two instances on one fresh database, one after the other (the first
// migrates it); the mail goes to mail.
async function twoInstances(mail, extra = {}) {
  const db = pgDatabase();
  const env = {
    HEARTH_MAIL_FROM: 'studio@example.org',
    HEARTH_SMTP_STARTTLS: 'off',
    HEARTH_SMTP_HOST: '127.0.0.1',
    HEARTH_SMTP_PORT: String(mail.port),
    HEARTH_MAIL_RATE: '6000',
    HEARTH_PUBLIC_WRITE_RATE: '0',
    // Each registration from an address of its own (the hourly number
    // of registrations per address).
    HEARTH_TRUSTED_PROXIES: '127.0.0.1, ::1',
    HEARTH_OUTBOX_LEASE: '4',
    ...extra,
  };
  const a = await startServer({ db, env });
  const b = await startServer({ db, env });
  const id = (s) => (s.log().match(/msg="outbox: this instance" instance=([0-9a-f]+)/) || [])[1];
  await until('both instance ids in the logs', () => id(a) && id(b), 10000);
  assert.notEqual(id(a), id(b), 'each start has an id of its own');
  return { db, a, b, idA: id(a), idB: id(b) };
}

// An event with n participants, cancelled through instance s: n cancel
// notices queued in one transaction (and s's worker woken by it).
async function cancelled(s, token, tag, n) {
  const start = Date.now() + 3 * DAY;
  const ev = await api(s.url, 'POST', '/api/v1/events', {
    token, body: { kind: 'salon', title: `减压沙龙${tag}`, public: true, capacity: n + 10,
      start: iso(start), end: iso(start + HOUR), reminders: [] },
  });
  assert.equal(ev.status, 201, ev.text);
  for (let i = 0; i < n; i++) {
    const r = await api(s.url, 'POST', `/api/v1/events/${ev.body.id}/registrations`,
      { body: { name: `参加者${tag}${i}`, email: `p${tag}${i}@example.org` },
        headers: { 'x-forwarded-for': `10.9.${tag.charCodeAt(0)}.${i + 1}` } });
    assert.equal(r.status, 201, r.text);
  }
  return () => api(s.url, 'POST', `/api/v1/events/${ev.body.id}/cancel`, { token, body: { reason: '场地检修' } });
}

// The e-mail rows of the database: message_id → {status, by}.
function rows(db) {
  const out = new Map();
  const text = sqlRun(db, "SELECT message_id, status, coalesce(claimed_by, '') FROM outbox WHERE channel = 'email'");
  for (const line of text.split('\n').filter(Boolean)) {
    const [mid, status, by] = line.split('|');
    out.set(mid.replace(/^<|>$/g, ''), { status, by });
  }
  return out;
}

// How many times each Message-ID reached the sink.
function arrivals(mail) {
  const n = new Map();
  for (const m of mail.messages) {
    const id = (m.parsed.messageId || '').replace(/^<|>$/g, '');
    n.set(id, (n.get(id) || 0) + 1);
  }
  return n;
}

test('two instances, one database, one SMTP sink: every message exactly once', { skip }, async () => {
  const mail = await startSmtp();
  cleanups.push(() => mail.close());
  // A slow server keeps each worker in the middle of a message a while,
  // so the two claim side by side.
  mail.setDelay(60);
  const { db, a, b, idA, idB } = await twoInstances(mail);
  cleanups.push(() => b.stop());
  cleanups.push(() => a.stop());
  const tokenA = await login(a.url);
  const tokenB = await login(b.url);
  const n = 30;
  const cancelA = await cancelled(a, tokenA, 'A', n);
  const cancelB = await cancelled(b, tokenB, 'B', n);
  const queuedBefore = rows(db).size;
  // Both at once: each instance's worker wakes on its own commit.
  const [ra, rb] = await Promise.all([cancelA(), cancelB()]);
  assert.equal(ra.status, 200, ra.text);
  assert.equal(rb.status, 200, rb.text);
  const want = rows(db);
  assert.ok(want.size - queuedBefore >= 2 * n, `${want.size - queuedBefore} cancel notices queued`);
  await until('every row sent', () => [...rows(db).values()].every((r) => r.status === 'sent'), 90000);
  // The sink has what was sent (its answer may still be on its way).
  await until('every message at the sink', () => arrivals(mail).size >= want.size, 10000);
  const got = arrivals(mail);
  for (const mid of want.keys()) assert.equal(got.get(mid), 1, `${mid} arrived once`);
  assert.equal(mail.messages.length, want.size, 'nothing else, nothing twice');
  const by = { [idA]: 0, [idB]: 0 };
  for (const r of rows(db).values()) by[r.by] = (by[r.by] || 0) + 1;
  assert.equal(by[idA] + by[idB], want.size, `every row sent by A or B: ${JSON.stringify(by)}`);
  assert.ok(by[idA] > 0 && by[idB] > 0, `both instances sent: ${JSON.stringify(by)}`);
  // Who sent which event's notices: the queue is one, not one each.
  const cross = sqlRun(db, "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id"
    + ` WHERE o.status = 'sent' AND ((e.title LIKE '%A' AND o.claimed_by = '${idB}')`
    + ` OR (e.title LIKE '%B' AND o.claimed_by = '${idA}'))`);
  console.log(`two instances: ${want.size} messages, each arrived once; A sent ${by[idA]}, B ${by[idB]}; `
    + `${cross} of them queued through the other instance`);
});

test('kill -9 of an instance mid-send: the other sends the rest, nothing lost, a repeat only of what was in flight', { skip }, async () => {
  const mail = await startSmtp();
  cleanups.push(() => mail.close());
  mail.setDelay(300);
  const { db, a, b, idA, idB } = await twoInstances(mail);
  let killed = false;
  cleanups.push(() => b.stop());
  cleanups.push(() => (killed ? null : a.stop()));
  const tokenA = await login(a.url);
  const n = 50;
  const cancel = await cancelled(a, tokenA, 'K', n);
  const queuedBefore = rows(db).size;
  const r = await cancel();
  assert.equal(r.status, 200, r.text);
  const want = rows(db);
  assert.ok(want.size - queuedBefore >= n, `${want.size - queuedBefore} cancel notices queued`);
  // A is in the middle of a message: read by the sink, not answered.
  await until('A well into the batch', () => mail.messages.length >= 3 && mail.inData > 0, 30000);
  const inFlight = mail.inData;
  const killedAt = Date.now();
  const before = mail.messages.length;
  killed = true;
  const exit = await a.kill();
  assert.equal(exit.signal, 'SIGKILL');
  assert.ok(before < want.size, `killed mid-batch (${before} of ${want.size} at the sink)`);
  const heldByA = [...rows(db).values()].filter((x) => x.status === 'sending' && x.by === idA).length;
  await until('every row sent', () => [...rows(db).values()].every((x) => x.status === 'sent'), 90000);
  const doneAt = Date.now();
  await until('every message at the sink', () => arrivals(mail).size >= want.size, 10000);
  const got = arrivals(mail);
  const repeats = [];
  for (const mid of want.keys()) {
    assert.ok(got.get(mid) >= 1, `${mid} arrived (none lost)`);
    if (got.get(mid) > 1) repeats.push(mid);
  }
  for (const mid of got.keys()) assert.ok(want.has(mid), `${mid} is one of the queued messages`);
  assert.ok(repeats.length <= inFlight, `a repeat only of the ${inFlight} in flight at the kill: ${repeats.length}`);
  assert.ok(repeats.every((mid) => got.get(mid) === 2), 'a repeat at most once');
  const after = rows(db);
  const byB = [...after.values()].filter((x) => x.by === idB).length;
  assert.ok(byB >= want.size - before, `B sent what A had not (${byB})`);
  const back = [...b.log().matchAll(/msg="outbox: claims taken back, to send again" channel=email count=(\d+)/g)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
  assert.ok(back >= heldByA, `B took back A's claims (${back} of ${heldByA})`);
  console.log(`kill -9 mid-send: ${want.size} messages, ${before} at the sink when A was killed `
    + `(${inFlight} in flight, ${heldByA} rows claimed by A), all arrived; `
    + `${repeats.length} repeated (same Message-ID), B sent ${byB}; `
    + `${((doneAt - killedAt) / 1000).toFixed(1)} s from the kill to the last row sent; `
    + `B took back ${back} claim(s)`);
});
