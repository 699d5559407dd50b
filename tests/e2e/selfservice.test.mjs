// Counsellor self-service: accounts made by a coordinator, the counsellor
// role (own record, own shifts, own leave; coordinator routes refused),
// swap requests and the coordinator's approve / reject, checked against
// the rules at that moment — docs/api.md "Counsellor self-service".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;
const itemsOf = (b) => (Array.isArray(b) ? b : b?.items);
const PW = { A: 'counsellor-pass-A1', B: 'counsellor-pass-B2', C: 'counsellor-pass-C3' };

describe('counsellor self-service', () => {
  let s, token;
  const st = {};
  let cs, A, B, C; // counsellor records
  const tk = {};   // role counsellor tokens by letter
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const as = (who, method, path, body) => api(s.url, method, path, { token: tk[who], body });
  const mkShift = async (counsellor, station, day, from, to) => {
    const r = await call('POST', '/api/v1/shifts', { station_id: st[station].id, counsellor_id: counsellor.id, start: T(day, from), end: T(day, to) });
    expectStatus(r, 201, `shift ${counsellor.name} ${day} ${from}`);
    return r.body;
  };
  const getShift = async (id) => (await call('GET', `/api/v1/shifts/${id}`)).body;
  const shiftsOn = async (from, to = from) => {
    const r = await call('GET', `/api/v1/shifts?from=${from}&to=${to}&limit=500`);
    expectStatus(r, 200, 'list shifts');
    return r.body.items;
  };
  const requests = async (who, query = '') => {
    const r = who ? await as(who, 'GET', `/api/v1/swap-requests${query}`) : await call('GET', `/api/v1/swap-requests${query}`);
    expectStatus(r, 200, `swap requests (${who || 'coordinator'})`);
    return itemsOf(r.body);
  };

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    for (const x of (await call('GET', '/api/v1/stations?limit=500')).body.items) st[x.code] = x;
    cs = (await call('GET', '/api/v1/counsellors?limit=500')).body.items;
    [A, B, C] = [cs[1], cs[2], cs[3]];
  });
  after(async () => { await s.stop(); });

  test('a coordinator creates accounts; a taken user name → 409; bad input → 422', async () => {
    for (const [who, c, username] of [['A', A, 'chen_siyuan'], ['B', B, 'huang_ruoxi'], ['C', C, 'zhang_mingzhe']]) {
      const r = await call('POST', `/api/v1/counsellors/${c.id}/account`, { username, password: PW[who] });
      assert.ok(r.status === 201 || r.status === 200, `account for ${username}: ${r.status} ${r.text}`);
      if (r.body?.username !== undefined) assert.equal(r.body.username, username);
      assert.ok(!r.text.includes(PW[who]), 'the password is not echoed');
    }
    expectError(await call('POST', `/api/v1/counsellors/${cs[4].id}/account`, { username: 'chen_siyuan', password: 'another-pass-1' }), 409, 'conflict');
    expectError(await call('POST', `/api/v1/counsellors/${cs[4].id}/account`, { username: 'admin', password: 'another-pass-1' }), 409, 'conflict');
    expectError(await call('POST', `/api/v1/counsellors/${cs[4].id}/account`, { username: 'ma_xinyi', password: 'short' }), 422, 'validation_failed', 'password');
    expectError(await call('POST', `/api/v1/counsellors/${cs[4].id}/account`, { username: 'ma_xinyi', password: 'p'.repeat(257) }), 422, 'validation_failed', 'password');
    expectError(await call('POST', `/api/v1/counsellors/${cs[4].id}/account`, { password: 'another-pass-1' }), 422, 'validation_failed', 'username');
    expectError(await call('POST', '/api/v1/counsellors/999999/account', { username: 'ghost', password: 'another-pass-1' }), 404, 'not_found');
    // The refused user name did not get a login.
    const no = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'ma_xinyi', password: 'another-pass-1' } });
    expectError(no, 401, 'unauthorized');

    tk.A = await login(s.url, 'chen_siyuan', PW.A);
    tk.B = await login(s.url, 'huang_ruoxi', PW.B);
    tk.C = await login(s.url, 'zhang_mingzhe', PW.C);
    const sess = await as('A', 'GET', '/api/v1/session');
    expectStatus(sess, 200);
    assert.equal(sess.body.user.role, 'counsellor');
    // The first account's password still works (the duplicate did not overwrite it).
    await login(s.url, 'chen_siyuan', PW.A);
  });

  test('GET /me answers the own counsellor record', async () => {
    const r = await as('A', 'GET', '/api/v1/me');
    expectStatus(r, 200, '/me');
    assert.equal(r.body.id, A.id);
    assert.equal(r.body.name, A.name);
    assert.equal(r.body.email, A.email);
    const rb = await as('B', 'GET', '/api/v1/me');
    assert.equal(rb.body.id, B.id);
    // A coordinator is not a counsellor.
    const co = await call('GET', '/api/v1/me');
    assert.ok([403, 404].includes(co.status), `coordinator /me: 403 or 404, got ${co.status}`);
    expectError(await api(s.url, 'GET', '/api/v1/me'), 401, 'unauthorized');
  });

  test('a counsellor is refused coordinator routes with 403', async () => {
    expectError(await as('A', 'GET', '/api/v1/stations'), 403, 'forbidden');
    expectError(await as('A', 'GET', '/api/v1/counsellors'), 403, 'forbidden');
    expectError(await as('A', 'GET', '/api/v1/shifts'), 403, 'forbidden');
    expectError(await as('A', 'POST', '/api/v1/shifts', { station_id: st.YL.id, counsellor_id: A.id, start: T('2027-09-20', '09:00'), end: T('2027-09-20', '12:00') }), 403, 'forbidden');
    expectError(await as('A', 'GET', '/api/v1/availability'), 403, 'forbidden');
    expectError(await as('A', 'POST', '/api/v1/rosters/generate', { from: '2027-09-01', to: '2027-09-07' }), 403, 'forbidden');
    expectError(await as('A', 'POST', `/api/v1/counsellors/${A.id}/account`, { username: 'self_made', password: 'whatever-123' }), 403, 'forbidden');
    assert.equal((await shiftsOn('2027-09-20')).length, 0, 'nothing created');
  });

  test('GET /me/shifts lists only the own shifts', async () => {
    const a1 = await mkShift(A, 'YL', '2027-09-01', '09:00', '12:00');
    const a2 = await mkShift(A, 'NY', '2027-09-02', '14:00', '17:00');
    const b1 = await mkShift(B, 'YL', '2027-09-01', '09:00', '12:00');
    const c1 = await mkShift(C, 'FT', '2027-09-02', '09:00', '12:00');
    const ra = await as('A', 'GET', '/api/v1/me/shifts?from=2027-09-01&to=2027-09-05');
    expectStatus(ra, 200, '/me/shifts');
    assert.deepEqual(itemsOf(ra.body).map((x) => x.id).sort((x, y) => x - y), [a1.id, a2.id]);
    assert.ok(itemsOf(ra.body).every((x) => x.counsellor_id === A.id));
    const rb = await as('B', 'GET', '/api/v1/me/shifts?from=2027-09-01&to=2027-09-05');
    assert.deepEqual(itemsOf(rb.body).map((x) => x.id), [b1.id]);
    const rc = await as('C', 'GET', '/api/v1/me/shifts?from=2027-09-01&to=2027-09-05');
    assert.deepEqual(itemsOf(rc.body).map((x) => x.id), [c1.id]);
    const narrow = await as('A', 'GET', '/api/v1/me/shifts?from=2027-09-02&to=2027-09-02');
    assert.deepEqual(itemsOf(narrow.body).map((x) => x.id), [a2.id], 'from/to bound the list');
  });

  test('own leave through /me/availability, visible to the coordinator', async () => {
    const r = await as('A', 'POST', '/api/v1/me/availability', { start: T('2027-10-11', '00:00'), end: T('2027-10-13', '00:00'), reason: '请假' });
    expectStatus(r, 201, 'declare leave');
    const lv = r.body;
    assert.equal(lv.counsellor_id, A.id);
    assert.equal(lv.reason, '请假');
    assert.equal(Date.parse(lv.start), Date.parse(T('2027-10-11', '00:00')));
    const co = await call('GET', `/api/v1/availability?counsellor_id=${A.id}`);
    expectStatus(co, 200);
    const seen = co.body.items.find((x) => x.id === lv.id);
    assert.ok(seen, 'the coordinator sees the leave');
    assert.equal(seen.counsellor_id, A.id);
    assert.equal(seen.reason, '请假');
    const mine = await as('A', 'GET', '/api/v1/me/availability');
    expectStatus(mine, 200);
    assert.deepEqual(itemsOf(mine.body).map((x) => x.id), [lv.id]);
    assert.deepEqual(itemsOf((await as('B', 'GET', '/api/v1/me/availability')).body), [], 'B sees none of A\'s leave');
    // The leave is a hard rule for the coordinator now.
    const clash = await call('POST', '/api/v1/shifts', { station_id: st.YL.id, counsellor_id: A.id, start: T('2027-10-11', '09:00'), end: T('2027-10-11', '12:00') });
    expectError(clash, 409, 'conflict');
    assert.equal(clash.body.error.conflicts[0].type, 'leave');
    assert.equal(clash.body.error.conflicts[0].availability_id, lv.id);
    // B cannot delete it; A can.
    const bd = await as('B', 'DELETE', `/api/v1/me/availability/${lv.id}`);
    assert.ok([403, 404].includes(bd.status), `B deleting A's leave: 403 or 404, got ${bd.status} ${bd.text}`);
    assert.ok((await call('GET', `/api/v1/availability/${lv.id}`)).status === 200, 'still there');
    expectError(await as('A', 'POST', '/api/v1/me/availability', { start: T('2027-10-20', '12:00'), end: T('2027-10-20', '09:00'), reason: 'x' }), 422, 'validation_failed', 'end');
    const ad = await as('A', 'DELETE', `/api/v1/me/availability/${lv.id}`);
    assert.ok(ad.status === 200 || ad.status === 204, `A deleting own leave: ${ad.status} ${ad.text}`);
    expectError(await call('GET', `/api/v1/availability/${lv.id}`), 404, 'not_found');
    assert.deepEqual(itemsOf((await as('A', 'GET', '/api/v1/me/availability')).body), []);
  });

  describe('swap requests', () => {
    let sA1, sB1, reqId;

    test('a counsellor asks; the coordinator sees it pending and approves: counsellors exchanged', async () => {
      sA1 = await mkShift(A, 'YL', '2027-09-06', '09:00', '12:00');
      sB1 = await mkShift(B, 'NY', '2027-09-07', '09:00', '12:00');
      const r = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: sA1.id, other_shift_id: sB1.id, reason: '家中有事' });
      expectStatus(r, 201, 'swap request');
      reqId = r.body.id;
      assert.ok(Number.isInteger(reqId));
      assert.equal(r.body.status, 'pending');
      assert.equal(r.body.shift_id, sA1.id);
      assert.equal(r.body.other_shift_id, sB1.id);
      assert.deepEqual((await requests('A')).map((x) => x.id), [reqId], 'A sees the own request');
      assert.deepEqual(await requests('C'), [], 'C sees nothing');
      const pending = await requests(null, '?status=pending');
      assert.ok(pending.some((x) => x.id === reqId && x.status === 'pending'), 'the coordinator lists it pending');
      assert.equal((await getShift(sA1.id)).counsellor_id, A.id, 'asking changes nothing yet');
      expectError(await as('A', 'POST', `/api/v1/swap-requests/${reqId}/approve`), 403, 'forbidden');
      expectError(await as('B', 'POST', `/api/v1/swap-requests/${reqId}/approve`), 403, 'forbidden');

      const ap = await call('POST', `/api/v1/swap-requests/${reqId}/approve`);
      expectStatus(ap, 200, 'approve');
      assert.equal((await getShift(sA1.id)).counsellor_id, B.id, 'A\'s shift now B\'s');
      assert.equal((await getShift(sB1.id)).counsellor_id, A.id, 'B\'s shift now A\'s');
      const meA = itemsOf((await as('A', 'GET', '/api/v1/me/shifts?from=2027-09-06&to=2027-09-07')).body);
      assert.deepEqual(meA.map((x) => x.id), [sB1.id], 'A\'s own roster follows');
      const approved = await requests(null, '?status=approved');
      assert.ok(approved.some((x) => x.id === reqId), 'listed as approved');
      assert.ok(!(await requests(null, '?status=pending')).some((x) => x.id === reqId));
      expectError(await call('POST', `/api/v1/swap-requests/${reqId}/approve`), 409, 'conflict');
    });

    test('approve re-checks the rules: a swap that now overlaps → 409 with conflicts, nothing changes; reject works', async () => {
      const d = '2027-09-08';
      const sA2 = await mkShift(A, 'YL', d, '09:00', '12:00');
      const sB2 = await mkShift(B, 'NY', d, '14:00', '17:00');
      const r = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: sA2.id, other_shift_id: sB2.id, reason: '想换下午' });
      expectStatus(r, 201, 'second request (fits now)');
      const id = r.body.id;
      // Meanwhile A gets an afternoon shift elsewhere: taking sB2 would overlap it.
      const sA3 = await mkShift(A, 'FT', d, '14:30', '16:00');
      const snap = await shiftsOn(d);
      const ap = await call('POST', `/api/v1/swap-requests/${id}/approve`);
      expectError(ap, 409, 'conflict');
      const cf = ap.body.error.conflicts;
      assert.ok(Array.isArray(cf) && cf.length >= 1, `conflicts listed: ${ap.text}`);
      assert.ok(cf.some((x) => x.type === 'overlap' && x.shift_id === sA3.id), `names the clash with ${sA3.id}: ${ap.text}`);
      assert.deepEqual(await shiftsOn(d), snap, 'nothing changed');
      assert.ok((await requests(null, '?status=pending')).some((x) => x.id === id), 'still pending');

      const rj = await call('POST', `/api/v1/swap-requests/${id}/reject`, { reason: '时间冲突' });
      expectStatus(rj, 200, 'reject');
      assert.equal(rj.body?.status ?? 'rejected', 'rejected');
      const mine = await requests('A');
      assert.equal(mine.find((x) => x.id === id)?.status, 'rejected', 'A sees it rejected');
      assert.ok((await requests(null, '?status=rejected')).some((x) => x.id === id));
      assert.deepEqual(await shiftsOn(d), snap, 'rejecting changes no shift');
      expectError(await call('POST', `/api/v1/swap-requests/${id}/approve`), 409, 'conflict');
      expectError(await as('A', 'POST', `/api/v1/swap-requests/${id}/reject`, {}), 403, 'forbidden');
      expectError(await call('POST', '/api/v1/swap-requests/999999/approve'), 404, 'not_found');
    });

    test('a counsellor cannot ask to swap someone else\'s shift', async () => {
      const sB3 = await mkShift(B, 'YL', '2027-09-09', '09:00', '12:00');
      const sC3 = await mkShift(C, 'NY', '2027-09-10', '09:00', '12:00');
      const before = await requests(null);
      const r = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: sB3.id, other_shift_id: sC3.id, reason: '代人申请' });
      assert.ok(r.status === 403 || r.status === 422, `403 or 422, got ${r.status} ${r.text}`);
      expectError(r, r.status, r.status === 403 ? 'forbidden' : 'validation_failed');
      const g = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: sB3.id, reason: '代人送出' });
      assert.ok(g.status === 403 || g.status === 422, `give away someone else's: 403 or 422, got ${g.status} ${g.text}`);
      const u = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: 999999, other_shift_id: sC3.id, reason: 'x' });
      assert.ok([403, 404, 422].includes(u.status), `unknown shift: got ${u.status}`);
      assert.deepEqual(await requests(null), before, 'no request saved');
      assert.equal((await getShift(sB3.id)).counsellor_id, B.id);
    });

    test('giving an own shift away (no other_shift_id) is a pending request', async () => {
      const sA4 = await mkShift(A, 'HF', '2027-09-13', '09:00', '12:00');
      const r = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: sA4.id, reason: '外出培训' });
      expectStatus(r, 201, 'give away');
      assert.equal(r.body.status, 'pending');
      assert.equal(r.body.other_shift_id ?? null, null);
      expectStatus(await call('POST', `/api/v1/swap-requests/${r.body.id}/reject`, {}), 200, 'reject without reason');
      assert.equal((await getShift(sA4.id)).counsellor_id, A.id);
    });
  });
});
