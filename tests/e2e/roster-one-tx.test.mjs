// A quarter of 13 stations × 14 counsellors (2,000-odd seats) is
// generated in one transaction (issue 15 point 5): the log shows
// batches=1 one_tx=1, no run record is left, nobody is booked twice,
// shifts written by others meanwhile answer 201 (before or after it,
// never in the middle), and a kill -9 while it runs leaves all of it or
// none of it (nothing to undo at the next start). 4,000-odd seats stay
// batched (roster-batches.test.mjs, roster-kill9.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectStatus } from './util.mjs';

const pg = process.env.HEARTH_TEST_STORE === 'pg';
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function quarterSetup(call, tag) {
  const stations = [];
  for (let i = 0; i < 13; i++) {
    const st = await call('POST', '/api/v1/stations', { code: `${tag}${i}`, name: `一次排班驻点${tag}${i}`, kind: 'street' });
    expectStatus(st, 201, 'station');
    stations.push(st.body.id);
    expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st.body.id, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:30', end: '12:00', required: 1 }), 201, 'template');
    expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st.body.id, weekdays: [1, 2, 3, 4, 5], start: '13:30', end: '17:30', required: 1 }), 201, 'template');
  }
  for (let i = 0; i < 14; i++)
    expectStatus(await call('POST', '/api/v1/counsellors', { name: `一次排班咨询师${tag}${i}`, email: `${tag.toLowerCase()}${i}@example.org`, home_station_id: stations[i % 13], max_weekly_hours: 40 }), 201, 'counsellor');
  return stations;
}

test('a quarter in one transaction: one commit, nobody twice, other writers before or after it', async () => {
  const s = await startServer({ env: { HEARTH_LOG_LEVEL: 'info' } });
  try {
    const token = await login(s.url);
    const call = (method, path, body) => api(s.url, method, path, { token, body });
    const stations = await quarterSetup(call, 'OT');
    // Others write shifts in the period while it runs.
    let going = true;
    const others = [];
    const writer = (async () => {
      for (let k = 0; going; k++) {
        const day = String(1 + (k % 28)).padStart(2, '0');
        const r = await call('POST', '/api/v1/shifts', { station_id: stations[k % 13], start: `2027-02-${day}T19:00:00+08:00`, end: `2027-02-${day}T21:00:00+08:00`, note: `同时${k}` });
        others.push(r.status);
      }
    })();
    await sleep(20);
    const r = await call('POST', '/api/v1/rosters/generate', { from: '2027-01-01', to: '2027-03-31' });
    going = false;
    await writer;
    expectStatus(r, 200, 'generate');
    assert.ok(others.length > 0);
    // SQLite: the write lock makes them wait; PostgreSQL may refuse
    // one in the generation's period meanwhile (503, try again).
    for (const st of others) assert.ok(st === 201 || (pg && st === 503), `another writer answered ${st}`);
    await sleep(50);
    const line = s.log().match(/msg="roster generate" seats=(\d+) created=(\d+) reassigned=\d+ batches=(\d+)/);
    const phases = s.log().match(/msg="roster generate phases" one_tx=(\d)/);
    assert.ok(line && phases, 'the log lines');
    assert.ok(+line[1] > 2000, `${line[1]} seats`);
    assert.equal(+line[2], r.body.created);
    assert.equal(+line[3], 1, 'one transaction');
    assert.equal(phases[1], '1');
    const items = [];
    for (let off = 0; ; off += 500) {
      const page = await call('GET', `/api/v1/shifts?from=2027-01-01&to=2027-03-31&limit=500&offset=${off}`);
      expectStatus(page, 200, 'shifts');
      items.push(...page.body.items);
      if (page.body.items.length < 500) break;
    }
    assert.equal(items.length, r.body.created + others.filter((x) => x === 201).length);
    // Nobody is booked twice at once.
    const by = new Map();
    for (const sh of items) {
      if (!sh.counsellor_id || sh.status === 'cancelled') continue;
      if (!by.has(sh.counsellor_id)) by.set(sh.counsellor_id, []);
      by.get(sh.counsellor_id).push([Date.parse(sh.start), Date.parse(sh.end)]);
    }
    assert.ok(by.size >= 13, `${by.size} counsellors booked`);
    for (const [c, v] of by) {
      v.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < v.length; i++) assert.ok(v[i][0] >= v[i - 1][1], `counsellor ${c} twice at ${new Date(v[i][0]).toISOString()}`);
    }
    const again = await call('POST', '/api/v1/rosters/generate', { from: '2027-01-01', to: '2027-03-31' });
    expectStatus(again, 200, 'again');
    assert.equal(again.body.created, 0);
    assert.equal(again.body.existing, +line[1]);
  } finally {
    await s.stop();
  }
});

test('a kill -9 during a one-transaction generation leaves all of it or none of it', async () => {
  let s = await startServer({ env: { HEARTH_LOG_LEVEL: 'info' } });
  const dir = s.dir;
  try {
    let token = await login(s.url);
    let call = (method, path, body) => api(s.url, method, path, { token, body });
    await quarterSetup(call, 'OK');
    const seen = s.log().length;
    const generating = call('POST', '/api/v1/rosters/generate', { from: '2027-01-01', to: '2027-03-31' })
      .then((x) => ({ status: x.status }), (e) => ({ error: String(e) }));
    await sleep(5 + Math.floor(Math.random() * 30));
    const exit = await s.kill();
    assert.equal(exit.signal, 'SIGKILL');
    const reply = await generating;
    const finished = /msg="roster generate" seats=/.test(s.log().slice(seen));
    s = await startServer({ dir, env: { HEARTH_LOG_LEVEL: 'info' } });
    token = await login(s.url);
    call = (method, path, body) => api(s.url, method, path, { token, body });
    assert.doesNotMatch(s.log(), /undid a roster generation/, 'nothing to undo');
    const n = (await call('GET', '/api/v1/shifts?from=2027-01-01&to=2027-03-31&limit=1')).body.total;
    const whole = (await call('POST', '/api/v1/rosters/generate', { from: '2027-01-01', to: '2027-03-31' })).body;
    assert.ok((n === 0 && whole.existing === 0) || (n === whole.existing && whole.created === 0),
      `${n} shifts after the kill: all or none (then ${whole.existing} existing, ${whole.created} created)`);
    console.log(`killed ${finished ? 'after' : 'during'} the generation (${JSON.stringify(reply)}): ${n} shifts after the restart`);
  } finally {
    await s.stop();
  }
});
