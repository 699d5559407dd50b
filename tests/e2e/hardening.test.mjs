// Defects of issue 17 that a request can reach, each with the request
// that showed it: coverage of a day without seats, foreign keys answered
// as 409, holiday years, /metrics, CSRF origin, libmicrohttpd's own error
// replies, anonymous survey links and the opt-out token of mails.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

describe('coverage of a day without seats', () => {
  let s, token;
  before(async () => { s = await startServer(); token = await login(s.url); });
  after(async () => { await s.stop(); });

  test('GET /rosters/coverage on an empty database answers 200 with no days (no qsort of NULL)', async () => {
    const r = await api(s.url, 'GET', '/api/v1/rosters/coverage?from=2026-01-05&to=2026-01-05', { token });
    expectStatus(r, 200, 'coverage of an empty day');
    assert.deepEqual(r.body.days, []);
    // The server is still up (the sanitizer build aborted here before).
    expectStatus(await api(s.url, 'GET', '/healthz'), 200, 'healthz after coverage');
  });
});

describe('rows still referenced answer 409, never 500', () => {
  let s, token, st, A, B, tkA;
  const T = (date, hm) => `${date}T${hm}:00+08:00`;
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    st = (await call('GET', '/api/v1/stations?limit=500')).body.items;
    const cs = (await call('GET', '/api/v1/counsellors?limit=500')).body.items;
    [A, B] = [cs[1], cs[2]];
    expectStatus(await call('POST', `/api/v1/counsellors/${A.id}/account`, { username: 'fk_a', password: 'fk-test-pass-A1' }), 201, 'account A');
    tkA = await login(s.url, 'fk_a', 'fk-test-pass-A1');
  });
  after(async () => { await s.stop(); });

  test('DELETE /shifts/{id} of a shift named in a swap request → 409 in Chinese; the shift stays', async () => {
    const a = await call('POST', '/api/v1/shifts', { station_id: st[0].id, counsellor_id: A.id, start: T('2027-09-06', '09:00'), end: T('2027-09-06', '12:00') });
    expectStatus(a, 201, 'shift A');
    const b = await call('POST', '/api/v1/shifts', { station_id: st[1].id, counsellor_id: B.id, start: T('2027-09-07', '09:00'), end: T('2027-09-07', '12:00') });
    expectStatus(b, 201, 'shift B');
    const req = await api(s.url, 'POST', '/api/v1/swap-requests', { token: tkA, body: { shift_id: a.body.id, other_shift_id: b.body.id, reason: '家中有事' } });
    expectStatus(req, 201, 'swap request');
    for (const id of [a.body.id, b.body.id]) {
      const r = await call('DELETE', `/api/v1/shifts/${id}`);
      expectError(r, 409, 'conflict');
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/, `a Chinese message: ${r.body.error.message}`);
      expectStatus(await call('GET', `/api/v1/shifts/${id}`), 200, 'the shift is still there');
    }
    const none = await call('GET', '/api/v1/audit?limit=500');
    assert.ok(!none.body.items.some((x) => x.action === 'delete' && x.entity === 'shift'), 'no delete audited');
  });
});
