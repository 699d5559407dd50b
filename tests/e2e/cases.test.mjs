// Key cases (重点个案): who may do what on every route (anonymous,
// counsellor on the case or not, coordinator), every bad input answering
// 4xx and writing nothing (rows counted through the API before and
// after), the open / resolved / unresolved life of a case, sessions,
// follow-ups in the counsellor's feed read by ical.js (SUMMARY 回访 …,
// stable UID, SEQUENCE rising, cancelled kept) and the list's filters and
// paging — docs/api.md "Key cases".
import { test, describe, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, api, login } from '../lib/harness.mjs';
import { clearOfMidnight } from '../lib/wallclock.mjs';
import { expectError, expectStatus } from './util.mjs';

const TZ = 'Asia/Shanghai';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const addDays = (ymd, n) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

function parseFeed(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const vtz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return cal;
}
const followUps = (cal) => cal.getAllSubcomponents('vevent').filter((v) => /^follow-up-\d+@/.test(v.getFirstPropertyValue('uid')));

describe('key cases', () => {
  // Dates are today's or counted from it, and the server checks them
  // against its own today: both must be the same day through a test.
  beforeEach(() => clearOfMidnight());
  let s;
  let admin;        // coordinator token
  let tA;           // counsellor A's token
  let tB;           // counsellor B's token
  let A;            // counsellor A (on the case)
  let B;            // counsellor B (not on it)
  let C;            // a third counsellor, on the case with A
  let hall;
  let kase;         // a case of A and C

  const as = (token) => (method, path, body) => api(s.url, method, path, { token, body });
  const call = (method, path, body) => api(s.url, method, path, { token: admin, body });
  const total = async (q = '') => (await call('GET', `/api/v1/cases?limit=1${q}`)).body.total;
  const detail = async (id) => (await call('GET', `/api/v1/cases/${id}`)).body;
  const newCase = async (body) => {
    const r = await call('POST', '/api/v1/cases', { opened_on: addDays(today(), -30), station_id: hall.id, counsellor_ids: [A.id, C.id], ...body });
    expectStatus(r, 201, `create ${body.label}`);
    return r.body;
  };

  before(async () => {
    s = await startServer({ demo: true });
    admin = await login(s.url);
    const people = (await call('GET', '/api/v1/counsellors?limit=100')).body.items;
    [A, B, C] = people;
    hall = (await call('GET', '/api/v1/stations?limit=1')).body.items[0];
    for (const [p, u] of [[A, 'case_a'], [B, 'case_b']]) {
      expectStatus(await call('POST', `/api/v1/counsellors/${p.id}/account`, { username: u, password: `${u}-password` }), 201);
    }
    tA = await login(s.url, 'case_a', 'case_a-password');
    tB = await login(s.url, 'case_b', 'case_b-password');
    kase = await newCase({ label: '2023-017', note: '家庭矛盾，情绪激动' });
  });
  after(async () => { await s?.stop(); });

  test('a case: its fields, counsellors, station, summaries', async () => {
    const c = await detail(kase.id);
    assert.equal(c.label, '2023-017');
    assert.equal(c.status, 'open');
    assert.equal(c.closed_on, null);
    assert.equal(c.station_id, hall.id);
    assert.equal(c.station_name, hall.name);
    assert.deepEqual(c.counsellor_ids, [A.id, C.id].sort((x, y) => x - y));
    assert.deepEqual(c.sessions, []);
    assert.deepEqual(c.follow_ups, []);
    assert.equal(c.session_count, 0);
    const audit = await call('GET', `/api/v1/audit?entity=case&entity_id=${kase.id}`);
    assert.equal(audit.body.items.at(-1).action, 'create');
  });

  test('authorization of every route: anonymous, counsellor on the case or not, coordinator', async () => {
    const id = kase.id;
    const anon = as(undefined);
    const routes = [
      ['GET', '/api/v1/cases'], ['POST', '/api/v1/cases', { label: 'X-1', opened_on: today() }],
      ['GET', `/api/v1/cases/${id}`], ['PATCH', `/api/v1/cases/${id}`, { note: 'x' }],
      ['DELETE', `/api/v1/cases/${id}`],
      ['POST', `/api/v1/cases/${id}/sessions`, { date: today(), minutes: 30, kind: 'phone', counsellor_id: A.id }],
      ['DELETE', `/api/v1/cases/${id}/sessions/1`],
      ['POST', `/api/v1/cases/${id}/follow-ups`, { due: `${today()}T10:00:00+08:00`, counsellor_id: A.id }],
      ['PATCH', `/api/v1/cases/${id}/follow-ups/1`, { done: true }],
      ['DELETE', `/api/v1/cases/${id}/follow-ups/1`],
      ['GET', '/api/v1/me/follow-ups'],
    ];
    for (const [m, p, b] of routes) expectError(await anon(m, p, b), 401, 'unauthorized');
    // Coordinator-only routes refuse counsellors, even those on the case.
    for (const [m, p, b] of routes.filter(([m0, p0]) => !(m0 === 'GET') && !/sessions$/.test(p0) && !(m0 === 'PATCH' && /follow-ups/.test(p0)))) {
      expectError(await as(tA)(m, p, b), 403, 'forbidden');
    }
    // A counsellor not on the case: no reading, no session.
    expectError(await as(tB)('GET', `/api/v1/cases/${id}`), 403, 'forbidden');
    expectError(await as(tB)('POST', `/api/v1/cases/${id}/sessions`, { date: today(), minutes: 30, kind: 'phone', counsellor_id: B.id }), 403, 'forbidden');
    expectError(await as(tB)('GET', `/api/v1/cases?counsellor_id=${A.id}`), 403, 'forbidden');
    const bList = await as(tB)('GET', '/api/v1/cases');
    expectStatus(bList, 200);
    assert.equal(bList.body.total, 0, 'B sees none of A’s cases');
    // On the case: reads it, lists it, adds sessions in their own name only.
    expectStatus(await as(tA)('GET', `/api/v1/cases/${id}`), 200);
    const aList = await as(tA)('GET', '/api/v1/cases');
    assert.ok(aList.body.items.some((c) => c.id === id));
    assert.ok(aList.body.items.every((c) => c.counsellor_ids.includes(A.id)));
    expectError(await as(tA)('POST', `/api/v1/cases/${id}/sessions`, { date: today(), minutes: 30, kind: 'phone', counsellor_id: C.id }), 403, 'forbidden', 'counsellor_id');
    assert.equal((await detail(id)).sessions.length, 0, 'nothing written by refused requests');
    // The coordinator has no counsellor: /me/follow-ups is not theirs.
    expectError(await call('GET', '/api/v1/me/follow-ups'), 403, 'forbidden');
    expectStatus(await as(tA)('GET', '/api/v1/me/follow-ups'), 200);
  });

  test('labels are pseudonymous codes; notes hold no phone or ID number; nothing written on refusal', async () => {
    const n0 = await total();
    const base = { opened_on: addDays(today(), -3) };
    const bad = [
      [{ label: 'zhangsan' }, 'label'], [{ label: '张三' }, 'label'], [{ label: 'wangwu-017' }, 'label'],
      [{ label: '13812345678' }, 'label'], [{ label: '11010119900307123X' }, 'label'],
      [{ label: '' }, 'label'], [{ label: '2023 017' }, 'label'], [{ label: 'A-1234567890123456789012' }, 'label'],
      [{ label: '2023-900', note: '联系电话 138 1234 5678' }, 'note'],
      [{ label: '2023-900', note: '身份证110101199003071234' }, 'note'],
      [{ label: '2023-900', note: '电话：１３８１２３４５６７８' }, 'note'],
      [{ label: '2023-900', opened_on: addDays(today(), 1) }, 'opened_on'],
      [{ label: '2023-900', opened_on: '2023-02-30' }, 'opened_on'],
      [{ label: '2023-900', status: 'resolved' }, 'closed_on'],
      [{ label: '2023-900', status: 'resolved', closed_on: addDays(today(), -4) }, 'closed_on'],
      [{ label: '2023-900', status: 'unresolved', closed_on: addDays(today(), 1) }, 'closed_on'],
      [{ label: '2023-900', closed_on: today() }, 'closed_on'],
      [{ label: '2023-900', status: 'closed' }, 'status'],
      [{ label: '2023-900', station_id: 999999 }, 'station_id'],
      [{ label: '2023-900', counsellor_ids: [999999] }, 'counsellor_ids'],
      [{ label: '2023-900', counsellor_ids: [A.id, A.id] }, 'counsellor_ids'],
      [{ label: '2023-900', name: '李四' }, 'name'],
    ];
    for (const [body, field] of bad) {
      const r = await call('POST', '/api/v1/cases', { ...base, ...body });
      expectError(r, 422, 'validation_failed', field);
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/, `a Chinese message for ${JSON.stringify(body)}`);
    }
    expectError(await call('POST', '/api/v1/cases', { ...base }), 422, 'validation_failed', 'label');
    // Labels are unique without regard to case.
    expectError(await call('POST', '/api/v1/cases', { ...base, label: '2023-017' }), 409, 'conflict', 'label');
    const lower = await newCase({ label: 'ft-2023-1' });
    expectError(await call('POST', '/api/v1/cases', { ...base, label: 'FT-2023-1' }), 409, 'conflict', 'label');
    expectError(await call('PATCH', `/api/v1/cases/${lower.id}`, { label: '2023-017' }), 409, 'conflict', 'label');
    expectError(await call('PATCH', `/api/v1/cases/${lower.id}`, { note: '手机13912345678' }), 422, 'validation_failed', 'note');
    assert.equal(await total(), n0 + 1, 'only the good case was written');
    assert.equal((await detail(lower.id)).note, '');
    // A malformed body.
    const raw = await api(s.url, 'POST', '/api/v1/cases', { token: admin, raw: '{"label":', headers: { 'content-type': 'application/json' } });
    expectError(raw, 400, 'bad_request');
    expectStatus(await call('DELETE', `/api/v1/cases/${lower.id}`), 204);
  });

  test('status: close with a final status and a date, change it, reopen clears the date', async () => {
    const c = await newCase({ label: 'ST-2024-1' });
    expectError(await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'resolved' }), 422, 'validation_failed', 'closed_on');
    expectError(await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'resolved', closed_on: addDays(today(), -31) }), 422, 'validation_failed', 'closed_on');
    expectError(await call('PATCH', `/api/v1/cases/${c.id}`, { closed_on: today() }), 422, 'validation_failed', 'closed_on');
    assert.equal((await detail(c.id)).status, 'open', 'nothing written');
    let r = await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'resolved', closed_on: addDays(today(), -1) });
    expectStatus(r, 200);
    assert.equal(r.body.status, 'resolved');
    assert.equal(r.body.closed_on, addDays(today(), -1));
    r = await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'unresolved' });
    assert.equal(r.body.status, 'unresolved');
    assert.equal(r.body.closed_on, addDays(today(), -1), 'the date is kept');
    r = await call('PATCH', `/api/v1/cases/${c.id}`, { closed_on: today() });
    assert.equal(r.body.closed_on, today());
    expectError(await call('PATCH', `/api/v1/cases/${c.id}`, { opened_on: addDays(today(), 1) }), 422, 'validation_failed', 'opened_on');
    expectError(await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'open', closed_on: today() }), 422, 'validation_failed', 'closed_on');
    r = await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'open' });
    assert.equal(r.body.status, 'open');
    assert.equal(r.body.closed_on, null);
    expectError(await call('PATCH', '/api/v1/cases/999999', { note: 'x' }), 404, 'not_found');
  });

  test('sessions: rules, nothing written on refusal, delete only while a case has none', async () => {
    const c = await newCase({ label: 'SE-2024-1', opened_on: addDays(today(), -20) });
    const ok = { date: addDays(today(), -2), minutes: 90, kind: 'home_visit', counsellor_id: A.id };
    const bad = [
      [{ minutes: 0 }, 'minutes'], [{ minutes: 1441 }, 'minutes'], [{ minutes: 1.5 }, 'minutes'], [{ minutes: '60' }, 'minutes'],
      [{ kind: 'visit' }, 'kind'], [{ date: addDays(today(), -21) }, 'date'], [{ date: addDays(today(), 1) }, 'date'],
      [{ date: '2024/01/01' }, 'date'], [{ counsellor_id: B.id }, 'counsellor_id'], [{ counsellor_id: 999999 }, 'counsellor_id'],
      [{ note: '回电 13812345678' }, 'note'], [{ extra: 1 }, 'extra'],
    ];
    for (const [body, field] of bad) expectError(await call('POST', `/api/v1/cases/${c.id}/sessions`, { ...ok, ...body }), 422, 'validation_failed', field);
    expectError(await call('POST', '/api/v1/cases/999999/sessions', ok), 404, 'not_found');
    assert.equal((await detail(c.id)).sessions.length, 0);
    const r = await call('POST', `/api/v1/cases/${c.id}/sessions`, { ...ok, note: '上门走访，家属在场' });
    expectStatus(r, 201);
    assert.equal(r.body.minutes, 90);
    assert.equal(r.body.counsellor_name, A.name);
    // The counsellor adds one in their own name.
    const mine = await as(tA)('POST', `/api/v1/cases/${c.id}/sessions`, { ...ok, minutes: 30, kind: 'phone' });
    expectStatus(mine, 201);
    const d = await detail(c.id);
    assert.equal(d.session_count, 2);
    assert.equal(d.session_minutes, 120);
    assert.equal(d.last_session_on, ok.date);
    // A closed case takes no session after its closing date.
    expectStatus(await call('PATCH', `/api/v1/cases/${c.id}`, { status: 'resolved', closed_on: addDays(today(), -1) }), 200);
    expectError(await call('POST', `/api/v1/cases/${c.id}/sessions`, { ...ok, date: today() }), 422, 'validation_failed', 'date');
    // Delete: 409 with sessions; a session of another case is 404.
    expectError(await call('DELETE', `/api/v1/cases/${c.id}`), 409, 'conflict');
    expectError(await call('DELETE', `/api/v1/cases/${kase.id}/sessions/${r.body.id}`), 404, 'not_found');
    expectStatus(await call('DELETE', `/api/v1/cases/${c.id}/sessions/${r.body.id}`), 204);
    expectStatus(await call('DELETE', `/api/v1/cases/${c.id}/sessions/${mine.body.id}`), 204);
    expectError(await call('DELETE', `/api/v1/cases/${c.id}/sessions/${mine.body.id}`), 404, 'not_found');
    expectStatus(await call('DELETE', `/api/v1/cases/${c.id}`), 204);
    expectError(await call('GET', `/api/v1/cases/${c.id}`), 404, 'not_found');
    expectError(await call('DELETE', `/api/v1/cases/${c.id}`), 404, 'not_found');
  });

  test('follow-ups in the counsellor’s feed: 回访 {label}, stable UID, SEQUENCE rising, cancelled kept', async () => {
    const feedPath = new URL(A.feed_url || (await call('GET', `/api/v1/counsellors/${A.id}`)).body.feed_url).pathname;
    const otherPath = new URL((await call('GET', `/api/v1/counsellors/${B.id}`)).body.feed_url).pathname;
    const feed = async (p = feedPath) => {
      const r = await api(s.url, 'GET', p);
      expectStatus(r, 200, p);
      return parseFeed(r.text);
    };
    const day = addDays(today(), 3);
    // Bad input first: nothing written.
    const okBody = { due: `${day}T10:00:00+08:00`, counsellor_id: A.id, note: '电话回访' };
    for (const [body, field] of [[{ due: `${day}T10:00:00` }, 'due'], [{ due: 'tomorrow' }, 'due'], [{ counsellor_id: B.id }, 'counsellor_id'],
      [{ note: '身份证 110101 19900307 1234' }, 'note'], [{ done: true }, 'done']]) {
      expectError(await call('POST', `/api/v1/cases/${kase.id}/follow-ups`, { ...okBody, ...body }), 422, 'validation_failed', field);
    }
    assert.equal((await detail(kase.id)).follow_ups.length, 0);
    const r = await call('POST', `/api/v1/cases/${kase.id}/follow-ups`, okBody);
    expectStatus(r, 201);
    const fid = r.body.id;
    assert.equal(r.body.label, '2023-017');
    assert.equal(r.body.end, `${day}T10:30:00+08:00`);
    assert.equal((await detail(kase.id)).next_follow_up, `${day}T10:00:00+08:00`);

    const one = async (p) => {
      const list = followUps(await feed(p));
      return list.find((v) => v.getFirstPropertyValue('uid').startsWith(`follow-up-${fid}@`));
    };
    let ve = await one();
    assert.ok(ve, 'the follow-up is in A’s feed');
    const uid = ve.getFirstPropertyValue('uid');
    assert.equal(ve.getFirstPropertyValue('summary'), '回访 2023-017');
    assert.equal(ve.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(ve.getFirstPropertyValue('sequence'), 0);
    const ev = new ICAL.Event(ve);
    assert.equal(ev.startDate.toJSDate().toISOString(), new Date(`${day}T10:00:00+08:00`).toISOString());
    assert.equal((ev.endDate.toJSDate() - ev.startDate.toJSDate()) / 60000, 30);
    assert.equal(ev.startDate.zone.tzid, TZ);
    assert.equal(await one(otherPath), undefined, 'not in B’s feed');

    // The counsellor ticks it off; others may not; the feed follows.
    expectError(await as(tB)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: true }), 403, 'forbidden');
    expectError(await as(tA)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { due: `${day}T11:00:00+08:00` }), 403, 'forbidden');
    expectError(await as(tA)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: 'yes' }), 422, 'validation_failed', 'done');
    let p = await as(tA)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: true });
    expectStatus(p, 200);
    assert.equal(p.body.done, true);
    assert.equal(p.body.sequence, 1);
    ve = await one();
    assert.equal(ve.getFirstPropertyValue('uid'), uid);
    assert.equal(ve.getFirstPropertyValue('sequence'), 1);
    assert.match(ve.getFirstPropertyValue('description'), /已完成/);
    const mine = await as(tA)('GET', '/api/v1/me/follow-ups?done=true');
    assert.ok(mine.body.items.some((f) => f.id === fid && f.done));
    // Same value again changes nothing.
    p = await as(tA)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: true });
    assert.equal(p.body.sequence, 1);
    // The coordinator moves it; then renames the case.
    p = await call('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: false, due: `${day}T14:00:00+08:00` });
    assert.equal(p.body.sequence, 2);
    expectStatus(await call('PATCH', `/api/v1/cases/${kase.id}`, { label: '2023-017B' }), 200);
    ve = await one();
    assert.equal(ve.getFirstPropertyValue('summary'), '回访 2023-017B');
    assert.equal(ve.getFirstPropertyValue('sequence'), 3);
    assert.equal(new ICAL.Event(ve).startDate.toJSDate().toISOString(), new Date(`${day}T14:00:00+08:00`).toISOString());
    // Deleted: kept in the feed as cancelled, gone from the lists.
    expectStatus(await call('DELETE', `/api/v1/cases/${kase.id}/follow-ups/${fid}`), 204);
    ve = await one();
    assert.equal(ve.getFirstPropertyValue('uid'), uid);
    assert.equal(ve.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(ve.getFirstPropertyValue('sequence'), 4);
    assert.equal((await detail(kase.id)).follow_ups.length, 0);
    assert.ok(!(await as(tA)('GET', '/api/v1/me/follow-ups')).body.items.some((f) => f.id === fid));
    expectError(await call('DELETE', `/api/v1/cases/${kase.id}/follow-ups/${fid}`), 404, 'not_found');
    expectError(await as(tA)('PATCH', `/api/v1/cases/${kase.id}/follow-ups/${fid}`, { done: true }), 404, 'not_found');
    expectStatus(await call('PATCH', `/api/v1/cases/${kase.id}`, { label: '2023-017' }), 200);
  });

  test('list: filters by status, station, counsellor and code; paging', async () => {
    const made = [];
    for (let i = 1; i <= 5; i++) made.push(await newCase({ label: `PG-2024-${i}`, counsellor_ids: i % 2 ? [A.id] : [C.id] }));
    expectStatus(await call('PATCH', `/api/v1/cases/${made[0].id}`, { status: 'unresolved', closed_on: today() }), 200);
    const q = await call('GET', '/api/v1/cases?q=PG-2024&limit=2&offset=0');
    assert.equal(q.body.total, 5);
    assert.equal(q.body.items.length, 2);
    assert.equal(q.body.items[0].status, 'open', 'open cases first');
    const q2 = await call('GET', '/api/v1/cases?q=PG-2024&limit=2&offset=4');
    assert.equal(q2.body.items.length, 1);
    assert.equal(q2.body.items[0].status, 'unresolved');
    assert.equal((await call('GET', '/api/v1/cases?q=pg-2024&status=unresolved')).body.total, 1);
    assert.equal((await call('GET', `/api/v1/cases?q=PG-2024&counsellor_id=${C.id}`)).body.total, 2);
    assert.equal((await call('GET', `/api/v1/cases?q=PG-2024&station_id=${hall.id}`)).body.total, 5);
    assert.equal((await call('GET', '/api/v1/cases?q=%25')).body.total, 0, 'LIKE wildcards are literal');
    expectError(await call('GET', '/api/v1/cases?status=closed'), 422, 'validation_failed', 'status');
    expectError(await call('GET', '/api/v1/cases?limit=0'), 422, 'validation_failed', 'limit');
    expectError(await call('GET', '/api/v1/cases?station_id=x'), 422, 'validation_failed', 'station_id');
    // A's view: only the cases A is on.
    const a = await as(tA)('GET', '/api/v1/cases?q=PG-2024');
    assert.equal(a.body.total, 3);
  });
});
