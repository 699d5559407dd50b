// Swaps and who is free (issue 13, point 6): who is free for a shift,
// every counsellor with free: true/false and a Chinese reason when busy;
// a counsellor's pick list of colleagues' shifts they could swap with;
// swap requests read with names and dates; withdrawing one's own pending
// request — docs/api.md "Shifts" and "Counsellor self-service".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;

describe('swaps and free counsellors', () => {
  let s, token;
  const st = {};
  const c = {};
  const tk = {};
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const as = (who, method, path, body) => api(s.url, method, path, { token: tk[who], body });
  const shift = async (who, station, day, from, to) => {
    const r = await call('POST', '/api/v1/shifts', { station_id: st[station].id, counsellor_id: who ? c[who].id : null, start: T(day, from), end: T(day, to) });
    expectStatus(r, 201, `shift ${who} ${day} ${from}`);
    return r.body;
  };

  before(async () => {
    s = await startServer();
    token = await login(s.url);
    for (const [code, name, kind] of [['HALL', '区来访接待大厅', 'hall'], ['ST1', '园岭街道工作点', 'street']]) {
      const r = await call('POST', '/api/v1/stations', { code, name, kind });
      expectStatus(r, 201);
      st[code] = r.body;
    }
    for (const [k, name, home] of [['A', '陈老师', 'ST1'], ['B', '黄老师', 'ST1'], ['C', '张老师', 'HALL'], ['D', '刘老师', 'HALL']]) {
      const r = await call('POST', '/api/v1/counsellors', { name, email: `${k.toLowerCase()}@example.org`, home_station_id: st[home].id });
      expectStatus(r, 201);
      c[k] = r.body;
    }
    for (const k of ['A', 'B']) {
      expectStatus(await call('POST', `/api/v1/counsellors/${c[k].id}/account`, { username: `swap_${k}`, password: `swap-pass-${k}1` }), 201);
      tk[k] = await login(s.url, `swap_${k}`, `swap-pass-${k}1`);
    }
    expectStatus(await call('PATCH', `/api/v1/counsellors/${c.D.id}`, { active: false }), 200);
  });
  after(async () => { await s.stop(); });

  test('who is free: every counsellor, the free first, busy ones with the reason in Chinese', async () => {
    const d = '2027-06-16';
    const open = await shift(null, 'ST1', d, '09:00', '12:00');
    await shift('A', 'HALL', d, '10:00', '11:00');
    expectStatus(await call('POST', '/api/v1/availability', { counsellor_id: c.B.id, start: T(d, '00:00'), end: T(d, '23:00'), reason: '年假' }), 201);
    const r = await call('GET', `/api/v1/rosters/free?shift_id=${open.id}`);
    expectStatus(r, 200, 'free list');
    const by = Object.fromEntries(r.body.items.map((x) => [x.counsellor_id, x]));
    assert.equal(r.body.items.length, 4, 'every counsellor, the inactive one too');
    assert.equal(r.body.items[0].counsellor_id, c.C.id, 'the free first');
    assert.equal(by[c.C.id].free, true);
    assert.equal(by[c.C.id].reason, null);
    assert.equal(by[c.A.id].free, false);
    assert.equal(by[c.A.id].busy, 'overlap');
    assert.match(by[c.A.id].reason, /已有班次.*10:00.*区来访接待大厅/);
    assert.equal(by[c.B.id].busy, 'leave');
    assert.match(by[c.B.id].reason, /请假（年假）/);
    assert.equal(by[c.D.id].busy, 'inactive');
    assert.equal(by[c.D.id].reason, '已停用');
    // by times, for a shift not made yet: the same answer
    const q = await call('GET', `/api/v1/rosters/free?start=${encodeURIComponent(T(d, '09:00'))}&end=${encodeURIComponent(T(d, '12:00'))}`);
    assert.deepEqual(q.body.items.map((x) => [x.counsellor_id, x.free]), r.body.items.map((x) => [x.counsellor_id, x.free]));
    // pending leave is not in force: A's own request does not make A busy elsewhere
    const later = await call('GET', `/api/v1/rosters/free?start=${encodeURIComponent(T(d, '14:00'))}&end=${encodeURIComponent(T(d, '16:00'))}`);
    assert.equal(later.body.items.find((x) => x.counsellor_id === c.A.id).free, true);
    expectError(await call('GET', '/api/v1/rosters/free'), 422, 'validation_failed', 'start');
    expectError(await call('GET', `/api/v1/rosters/free?start=${encodeURIComponent(T(d, '12:00'))}&end=${encodeURIComponent(T(d, '09:00'))}`), 422, 'validation_failed', 'end');
    expectError(await call('GET', '/api/v1/rosters/free?start=tomorrow&end=later'), 422, 'validation_failed', 'start');
    expectError(await call('GET', '/api/v1/rosters/free?shift_id=999999'), 404, 'not_found');
    expectError(await as('A', 'GET', `/api/v1/rosters/free?shift_id=${open.id}`), 403, 'forbidden');
  });

  test('a counsellor picks a colleague\'s shift from a list by name, station and date', async () => {
    const a1 = await shift('A', 'ST1', '2027-06-21', '09:00', '12:00');
    const b1 = await shift('B', 'ST1', '2027-06-22', '09:00', '12:00');
    const c1 = await shift('C', 'HALL', '2027-06-22', '14:00', '17:00');
    // B cannot take A's shift: approved leave that day
    expectStatus(await call('POST', '/api/v1/availability', { counsellor_id: c.B.id, start: T('2027-06-21', '00:00'), end: T('2027-06-21', '23:00') }), 201);
    const r = await as('A', 'GET', `/api/v1/me/swap-options?shift_id=${a1.id}`);
    expectStatus(r, 200, 'options');
    const ids = r.body.items.map((x) => x.shift_id);
    assert.ok(ids.includes(c1.id), 'C can take A\'s shift, A can take C\'s');
    assert.ok(!ids.includes(b1.id), 'B is on leave then');
    assert.ok(!ids.includes(a1.id), 'never one\'s own');
    const opt = r.body.items.find((x) => x.shift_id === c1.id);
    assert.equal(opt.counsellor_name, '张老师');
    assert.equal(opt.station_name, '区来访接待大厅');
    assert.match(opt.label, /^张老师 · 区来访接待大厅 · 6月22日（周二）14:00/);
    expectError(await as('A', 'GET', `/api/v1/me/swap-options?shift_id=${c1.id}`), 404, 'not_found', 'shift_id');
    expectError(await as('A', 'GET', '/api/v1/me/swap-options'), 422, 'validation_failed', 'shift_id');
    expectError(await call('GET', `/api/v1/me/swap-options?shift_id=${a1.id}`), 403, 'forbidden');
  });

  test('swap requests read with names and dates; the asker withdraws a pending one', async () => {
    const a2 = await shift('A', 'ST1', '2027-06-28', '09:00', '12:00');
    const c2 = await shift('C', 'HALL', '2027-06-29', '09:00', '12:00');
    const r = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: a2.id, other_shift_id: c2.id, reason: '孩子开家长会' });
    expectStatus(r, 201);
    assert.equal(r.body.requested_by_name, '陈老师');
    assert.equal(r.body.shift.station_name, '园岭街道工作点');
    assert.equal(r.body.other_shift.counsellor_name, '张老师');
    assert.match(r.body.summary, /^用 6月28日（周一）09:00–12:00 园岭街道工作点 与 张老师 的 6月29日（周二）09:00–12:00 区来访接待大厅 互换$/);
    assert.doesNotMatch(r.body.summary, /#\d/);
    const list = await call('GET', '/api/v1/swap-requests?status=pending');
    assert.equal(list.body.items.find((x) => x.id === r.body.id).summary, r.body.summary);
    const give = await as('A', 'POST', '/api/v1/swap-requests', { shift_id: a2.id });
    assert.match(give.body.summary, /^让出 6月28日（周一）09:00–12:00 园岭街道工作点 的班次$/);

    expectError(await as('B', 'POST', `/api/v1/swap-requests/${r.body.id}/withdraw`), 404, 'not_found');
    expectError(await call('POST', `/api/v1/swap-requests/${r.body.id}/withdraw`), 403, 'forbidden');
    const w = await as('A', 'POST', `/api/v1/swap-requests/${r.body.id}/withdraw`);
    expectStatus(w, 200, 'withdraw');
    assert.equal(w.body.status, 'withdrawn');
    expectError(await as('A', 'POST', `/api/v1/swap-requests/${r.body.id}/withdraw`), 409, 'conflict', 'status');
    expectError(await call('POST', `/api/v1/swap-requests/${r.body.id}/approve`), 409, 'conflict', 'status');
    assert.equal((await call('GET', `/api/v1/shifts/${a2.id}`)).body.counsellor_id, c.A.id, 'nothing swapped');
    const audit = await call('GET', '/api/v1/audit?limit=200');
    assert.ok(JSON.stringify(audit.body).includes('withdraw'), 'the withdrawal is audited');
  });
});
