// Leave that waits for the coordinator (issue 13, point 6): a
// counsellor's leave over assigned shifts is pending until approved or
// refused (audited, the counsellor notified); with the bureau setting
// off it takes effect at once; the shift lists mark the shifts it covers;
// a counsellor withdraws their own pending request, never leave the
// coordinator entered — docs/api.md "Availability / leave".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { expectError, expectStatus } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;
const DAY = '2027-06-07'; // a Monday well ahead of the demo's roster

describe('leave approval', () => {
  let s, token, A, B, tkA, st;
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const asA = (method, path, body) => api(s.url, method, path, { token: tkA, body });
  const shiftOf = async (id) => (await call('GET', `/api/v1/shifts?from=${DAY}&to=2027-06-13&limit=500`)).body.items.find((x) => x.id === id);

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    st = (await call('GET', '/api/v1/stations?limit=500')).body.items[0];
    const cs = (await call('GET', '/api/v1/counsellors?limit=500')).body.items.filter((c) => c.active);
    [A, B] = [cs[1], cs[2]];
    expectStatus(await call('POST', `/api/v1/counsellors/${A.id}/account`, { username: 'leave_a', password: 'leave-pass-A1' }), 201);
    tkA = await login(s.url, 'leave_a', 'leave-pass-A1');
  });
  after(async () => { await s.stop(); });

  test('leave over a shift waits for approval; the shift is marked pending, then approved', async () => {
    const sh = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: A.id, start: T(DAY, '09:00'), end: T(DAY, '12:00') });
    expectStatus(sh, 201, 'shift');
    const r = await asA('POST', '/api/v1/me/availability', { start: T(DAY, '00:00'), end: T(DAY, '23:59'), reason: '病假' });
    expectStatus(r, 201, 'leave');
    assert.equal(r.body.status, 'pending');
    assert.equal(r.body.entered_by, 'counsellor');
    assert.deepEqual(r.body.affected_shift_ids, [sh.body.id]);
    let mark = (await shiftOf(sh.body.id)).leave;
    assert.equal(mark.id, r.body.id);
    assert.equal(mark.status, 'pending');
    // pending leave is not in force: the shift can still be given to A
    const other = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: A.id, start: T(DAY, '14:00'), end: T(DAY, '16:00') });
    expectStatus(other, 201, 'pending leave does not block');
    const mine = await asA('GET', `/api/v1/me/shifts?from=${DAY}&to=${DAY}`);
    assert.equal(mine.body.items.find((x) => x.id === sh.body.id).leave.status, 'pending');
    const pending = await call('GET', '/api/v1/availability?status=pending');
    assert.ok(pending.body.items.some((x) => x.id === r.body.id), 'the coordinator lists pending requests');

    const ok = await call('POST', `/api/v1/availability/${r.body.id}/approve`, { note: '好好休息' });
    expectStatus(ok, 200, 'approve');
    assert.equal(ok.body.status, 'approved');
    assert.equal(ok.body.decision_note, '好好休息');
    assert.ok(ok.body.decided_at);
    mark = (await shiftOf(sh.body.id)).leave;
    assert.equal(mark.status, 'approved');
    // deciding twice is refused
    expectError(await call('POST', `/api/v1/availability/${r.body.id}/refuse`, {}), 409, 'conflict', 'status');
    // approved leave is in force: no new duty then
    expectError(await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: A.id, start: T(DAY, '18:00'), end: T(DAY, '20:00') }), 409, 'conflict', 'counsellor_id');
    // audited, and the counsellor has a roster notice
    const audit = await call('GET', '/api/v1/audit?entity=availability&limit=50');
    expectStatus(audit, 200);
    assert.ok(JSON.stringify(audit.body).includes('approve'), 'approval in the audit log');
    // once decided, the counsellor asks the coordinator
    expectError(await asA('DELETE', `/api/v1/me/availability/${r.body.id}`), 409, 'conflict', 'status');
  });

  test('a refused request leaves the shift unmarked; a counsellor withdraws their own pending request', async () => {
    const d = '2027-06-08';
    const sh = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: A.id, start: T(d, '09:00'), end: T(d, '12:00') });
    expectStatus(sh, 201);
    const r1 = await asA('POST', '/api/v1/me/availability', { start: T(d, '08:00'), end: T(d, '13:00'), reason: '事假' });
    assert.equal(r1.body.status, 'pending');
    expectStatus(await call('POST', `/api/v1/availability/${r1.body.id}/refuse`, { note: '人手不足' }), 200);
    assert.equal((await call('GET', `/api/v1/availability/${r1.body.id}`)).body.status, 'refused');
    assert.equal((await shiftOf(sh.body.id)).leave, null);
    const r2 = await asA('POST', '/api/v1/me/availability', { start: T(d, '10:00'), end: T(d, '11:00'), reason: '家事' });
    assert.equal(r2.body.status, 'pending');
    expectStatus(await asA('DELETE', `/api/v1/me/availability/${r2.body.id}`), 204, 'withdraw own pending');
    expectError(await call('GET', `/api/v1/availability/${r2.body.id}`), 404, 'not_found');
  });

  test('leave over no shift, and the coordinator\'s entries, are in force at once; a counsellor cannot withdraw the coordinator\'s', async () => {
    const free = await asA('POST', '/api/v1/me/availability', { start: T('2027-06-20', '00:00'), end: T('2027-06-20', '23:00') });
    assert.equal(free.body.status, 'approved');
    expectStatus(await asA('DELETE', `/api/v1/me/availability/${free.body.id}`), 204, 'undecided leave in force is still theirs');
    const c = await call('POST', '/api/v1/availability', { counsellor_id: A.id, start: T('2027-06-21', '00:00'), end: T('2027-06-21', '23:00'), reason: '培训' });
    expectStatus(c, 201);
    assert.equal(c.body.status, 'approved');
    assert.equal(c.body.entered_by, 'coordinator');
    const no = await asA('DELETE', `/api/v1/me/availability/${c.body.id}`);
    expectError(no, 403, 'forbidden');
    assert.match(no.body.error.message, /负责人/);
    expectStatus(await call('GET', `/api/v1/availability/${c.body.id}`), 200, 'still there');
    expectStatus(await call('DELETE', `/api/v1/availability/${c.body.id}`), 204, 'the coordinator may');
  });

  test('with leave_needs_approval off, a counsellor\'s leave over shifts takes effect at once', async () => {
    const g = await call('GET', '/api/v1/settings/leave');
    expectStatus(g, 200);
    assert.equal(g.body.needs_approval, true);
    expectError(await call('PUT', '/api/v1/settings/leave', { needs_approval: 'no' }), 422, 'validation_failed', 'needs_approval');
    expectError(await asA('PUT', '/api/v1/settings/leave', { needs_approval: false }), 403, 'forbidden');
    const p = await call('PUT', '/api/v1/settings/leave', { needs_approval: false });
    expectStatus(p, 200);
    assert.equal(p.body.needs_approval, false);
    const d = '2027-06-09';
    const sh = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: A.id, start: T(d, '09:00'), end: T(d, '12:00') });
    expectStatus(sh, 201);
    const r = await asA('POST', '/api/v1/me/availability', { start: T(d, '00:00'), end: T(d, '23:00'), reason: '病假' });
    assert.equal(r.body.status, 'approved');
    assert.equal((await shiftOf(sh.body.id)).leave.status, 'approved');
    expectStatus(await call('PUT', '/api/v1/settings/leave', { needs_approval: true }), 200);
  });

  test('bad input: unknown leave → 404, a counsellor cannot decide, bad status filter → 422', async () => {
    expectError(await call('POST', '/api/v1/availability/999999/approve', {}), 404, 'not_found');
    expectError(await asA('POST', '/api/v1/availability/1/approve', {}), 403, 'forbidden');
    expectError(await call('GET', '/api/v1/availability?status=maybe'), 422, 'validation_failed', 'status');
    expectError(await call('POST', '/api/v1/availability/1/approve', { note: 5 }), 422, 'validation_failed', 'note');
  });
});

test('the counsellor hears of the decision in their roster notice mail', async () => {
  const mail = await startSmtp();
  const s = await startServer({
    env: {
      HEARTH_FAKE_CLOCK: '1', HEARTH_MAIL_FROM: 'studio@example.org', HEARTH_SMTP_STARTTLS: 'off',
      HEARTH_MAIL_RATE: '6000', HEARTH_SMTP_HOST: '127.0.0.1', HEARTH_SMTP_PORT: String(mail.port),
    },
  });
  try {
    const token = await login(s.url);
    const call = (method, path, body, tk = token) => api(s.url, method, path, { token: tk, body });
    const st = (await call('POST', '/api/v1/stations', { code: 'LEAVEST', name: '请假测试工作点', kind: 'street' })).body;
    const c = (await call('POST', '/api/v1/counsellors', { name: '冯老师', email: 'feng@example.org', home_station_id: st.id })).body;
    expectStatus(await call('POST', `/api/v1/counsellors/${c.id}/account`, { username: 'feng_l', password: 'feng-pass-123' }), 201);
    const tk = await login(s.url, 'feng_l', 'feng-pass-123');
    const start = Date.now() + 3 * 86400e3;
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expectStatus(await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c.id, start: iso(start), end: iso(start + 3 * 3600e3) }), 201);
    const r = await call('POST', '/api/v1/me/availability', { start: iso(start - 3600e3), end: iso(start + 5 * 3600e3), reason: '病假' }, tk);
    assert.equal(r.body.status, 'pending');
    expectStatus(await call('POST', `/api/v1/availability/${r.body.id}/approve`, { note: '已安排顶班' }), 200);
    expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(Date.now() + 11 * 60e3) }), 200);
    const m = await mail.waitFor((x) => x.to.includes('feng@example.org'));
    assert.match(m.parsed.text, /请假已批准：/);
    assert.match(m.parsed.text, /已安排顶班/);
  } finally {
    await s.stop();
    await mail.close();
  }
});
