// Roster generation never stalls other writers (issue 17, "writes never
// wait behind a long one"): a large roster (4,000-odd seats here: 13
// stations × 2 templates × 2 seats over a quarter) is written in batches
// of 1,000 shifts, each a short transaction of its own, so public
// registrations sent while it runs are answered in between instead of
// after it; shifts written by others in the period meanwhile answer 201
// (before or after the run's hold) or 503 "该时段排班正在生成" (during it),
// nothing else. The same on both stores (issue 17, pgbatch).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectStatus } from './util.mjs';

function register(base, path, from) {
  const payload = Buffer.from(JSON.stringify({ name: '参加者', email: `r${Math.random().toString(36).slice(2)}@example.org` }));
  const t0 = performance.now();
  return new Promise((res, rej) => {
    const req = http.request(new URL(path, base), { method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (resp) => {
      resp.resume();
      resp.on('end', () => res({ status: resp.statusCode, t0, t1: performance.now() }));
    });
    req.on('error', rej);
    req.end(payload);
  });
}

// The log line of the n-th generation (1-based) once it is there.
async function genLine(s, n) {
  for (let i = 0; i < 100; i++) {
    const all = [...s.log().matchAll(/msg="roster generate" seats=(\d+) created=(\d+) reassigned=(\d+) batches=(\d+) lock_max_ms=([\d.]+) lock_cpu_max_ms=([\d.]+) locks_ms=([\d.]+) batch_max_ms=[\d.]+ batches_ms=[\d.]+ ms=([\d.]+)/g)];
    if (all.length >= n) {
      const m = all[n - 1];
      return { seats: +m[1], created: +m[2], batches: +m[4], lockMax: +m[5], lockCpuMax: +m[6], locksMs: +m[7], ms: +m[8] };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no roster generate log line');
}

describe('a large roster generated in batches', () => {
  let s, token;
  const stations = [];
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  let gens = 0;

  before(async () => {
    s = await startServer({ env: { HEARTH_LOG_LEVEL: 'info' } });
    token = await login(s.url);
    for (let i = 0; i < 13; i++) {
      const st = await call('POST', '/api/v1/stations', { code: `GB${i}`, name: `分批排班驻点${i}`, kind: 'street' });
      expectStatus(st, 201, 'station');
      stations.push(st.body.id);
      expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st.body.id, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:30', end: '12:00', required: 2 }), 201, 'template');
      expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st.body.id, weekdays: [1, 2, 3, 4, 5], start: '13:30', end: '17:30', required: 2 }), 201, 'template');
    }
    for (let i = 0; i < 28; i++)
      expectStatus(await call('POST', '/api/v1/counsellors', { name: `分批排班咨询师${i}`, email: `gb${i}@example.org`, home_station_id: stations[i % 13], max_weekly_hours: 40 }), 201, 'counsellor');
  });
  after(async () => { await s.stop(); });

  test('a quarter of 4,000-odd seats: right answer, written in batches, registrations answered in between', async () => {
    const start = new Date(Date.now() + 7 * 86400000);
    const ev = await call('POST', '/api/v1/events', { kind: 'lecture', title: '排班时报名',
      start: start.toISOString(), end: new Date(start.getTime() + 7200000).toISOString(), public: true, capacity: 100000 });
    expectStatus(ev, 201, 'event');
    const path = `/api/v1/events/${ev.body.id}/registrations`;
    let generating = true, n = 0, genDone = 0;
    const regs = [];
    const t0 = performance.now();
    const gen = call('POST', '/api/v1/rosters/generate', { from: '2027-01-01', to: '2027-03-31' })
      .finally(() => { generating = false; genDone = performance.now(); });
    while (generating || n < 10) {
      const r = await register(s.url, path, `127.0.${1 + (n >> 8)}.${(n % 250) + 2}`);
      regs.push(r);
      n++;
    }
    const r = await gen;
    gens++;
    expectStatus(r, 200, 'generate');
    const line = await genLine(s, gens);
    // The answer: every seat created once, all of them there.
    assert.ok(line.seats > 4000, `${line.seats} seats`);
    assert.equal(r.body.created, line.seats);
    assert.equal(r.body.existing, 0);
    assert.equal(r.body.reassigned, 0);
    const listed = await call('GET', '/api/v1/shifts?from=2027-01-01&to=2027-03-31&limit=1');
    assert.equal(listed.body.total, line.seats);
    const ids = new Set(r.body.unfilled.map((u) => u.shift_id));
    assert.equal(ids.size, r.body.unfilled.length, 'unfilled seats are distinct shifts');
    for (const u of r.body.unfilled.slice(0, 5))
      expectStatus(await call('GET', `/api/v1/shifts/${u.shift_id}`), 200, 'an unfilled seat is a saved open shift');
    // Every registration answered 201.
    assert.deepEqual([...new Set(regs.map((x) => x.status))], [201]);
    const during = regs.filter((x) => x.t0 > t0 && x.t1 < genDone);
    const worst = Math.max(...regs.map((x) => x.t1 - x.t0));
    console.log(`${line.seats} seats: ${line.batches} transactions, the longest holding the write lock ${line.lockMax} ms (${line.lockCpuMax} ms of CPU), all ${line.locksMs} ms of ${line.ms} ms; ` +
      `${regs.length} registrations, ${during.length} answered while it ran, slowest ${worst.toFixed(0)} ms`);
    // Batched: 1,000 shifts a transaction and the last one.
    assert.equal(line.batches, Math.ceil(line.created / 1000) + 1);
    assert.ok(line.lockMax < line.ms, 'no transaction as long as the generation');
    // Not queued behind the whole generation: several were sent and
    // answered while it was running.
    assert.ok(during.length >= 3, `${during.length} registrations answered during the generation`);
  });

  test('shifts written in the period meanwhile: 201 or 503 该时段排班正在生成, and the roster stays whole', async () => {
    let generating = true, n = 0;
    const answers = [];
    const gen = call('POST', '/api/v1/rosters/generate', { from: '2027-04-01', to: '2027-06-30' })
      .finally(() => { generating = false; });
    while (generating || n < 3) {
      const day = `2027-05-${String(1 + (n % 28)).padStart(2, '0')}`;
      const w = await call('POST', '/api/v1/shifts', { station_id: stations[n % 13], start: `${day}T19:00:00+08:00`, end: `${day}T21:00:00+08:00`, note: `生成时手工${n}` });
      answers.push(w);
      n++;
    }
    const r = await gen;
    gens++;
    expectStatus(r, 200, 'generate');
    const line = await genLine(s, gens);
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.every((x) => x === 201 || x === 503), `statuses ${[...new Set(statuses)]}`);
    for (const a of answers.filter((x) => x.status === 503)) {
      assert.equal(a.body.error.code, 'unavailable');
      assert.equal(a.body.error.message, '该时段排班正在生成，请稍后再试');
    }
    const made = answers.filter((x) => x.status === 201).length;
    console.log(`${answers.length} shift writes in the period during generation: ${made} × 201, ${answers.length - made} × 503`);
    const listed = await call('GET', '/api/v1/shifts?from=2027-04-01&to=2027-06-30&limit=1');
    assert.equal(listed.body.total, line.created + made);
    // Again: every seat is there, nothing is created twice.
    const again = await call('POST', '/api/v1/rosters/generate', { from: '2027-04-01', to: '2027-06-30' });
    gens++;
    expectStatus(again, 200, 'generate again');
    assert.equal(again.body.created, 0);
    assert.equal(again.body.existing, line.seats);
  });
});
