// Plans: CRUD and validation, progress (by kind, by month, on-time rate)
// against events seeded by hand in and out of the period, propose and
// accept — docs/api.md "Plans".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

// by_kind / by_month may be an object keyed by kind / month or a list of
// rows carrying `kind` / `month`; both read the same here.
function keyed(x, key) {
  if (Array.isArray(x)) return Object.fromEntries(x.map((r) => [r[key], r]));
  assert.ok(x && typeof x === 'object', `${key}: an object or a list, got ${JSON.stringify(x)}`);
  return x;
}
const weekday = (date) => { const [y, m, d] = date.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)).getUTCDay(); };

describe('plans', () => {
  let s, token;
  const st = {};
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const mkPlan = async (body) => { const r = await call('POST', '/api/v1/plans', body); expectStatus(r, 201, 'create plan'); return r.body; };
  let venue = 0;
  const mkEvent = async (kind, start, end, extra = {}) => {
    venue += 1;
    const r = await call('POST', '/api/v1/events', { kind, title: `${kind} ${start}`, station_id: st.YL, venue: `V${venue}`, start, end, ...extra });
    expectStatus(r, 201, `create ${kind} ${start}`);
    return r.body;
  };
  const held = async (e) => expectStatus(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' }), 200, `held ${e.title}`);
  const resched = async (e, start, end) => expectStatus(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start, end, reason: '调整' }), 200, `reschedule ${e.title}`);
  const progress = async (id) => { const r = await call('GET', `/api/v1/plans/${id}/progress`); expectStatus(r, 200, 'progress'); return r.body; };
  const eventTotal = async () => (await call('GET', '/api/v1/events?limit=1')).body.total;

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    const sl = await call('GET', '/api/v1/stations?limit=500');
    for (const x of sl.body.items) st[x.code] = x.id;
  });
  after(async () => { await s.stop(); });

  test('create: 201, Location, fields echoed; GET answers the same', async () => {
    const r = await call('POST', '/api/v1/plans', { name: '2026年第一季度', from: '2026-01-01', to: '2026-03-31', targets: { lecture: 4, training: 2 } });
    expectStatus(r, 201, 'create');
    const p = r.body;
    assert.ok(Number.isInteger(p.id) && p.id > 0);
    assert.equal(new URL(r.headers.get('location'), s.url).pathname, `/api/v1/plans/${p.id}`);
    assert.equal(p.name, '2026年第一季度');
    assert.equal(p.from, '2026-01-01');
    assert.equal(p.to, '2026-03-31');
    assert.equal(p.targets.lecture, 4);
    assert.equal(p.targets.training, 2);
    for (const [k, v] of Object.entries(p.targets)) if (!['lecture', 'training'].includes(k)) assert.equal(v, 0, `target ${k}`);
    const g = await call('GET', `/api/v1/plans/${p.id}`);
    expectStatus(g, 200);
    assert.deepEqual(g.body, p);
  });

  test('validation: 422 naming the field; nothing created', async () => {
    const before = (await call('GET', '/api/v1/plans?limit=500')).body;
    const ok = { name: 'V', from: '2026-04-01', to: '2026-06-30', targets: { lecture: 1 } };
    expectError(await call('POST', '/api/v1/plans', { ...ok, from: '2026-06-30', to: '2026-04-01' }), 422, 'validation_failed', 'to');
    const long = await call('POST', '/api/v1/plans', { ...ok, from: '2026-01-01', to: '2027-02-04' }); // 400 days
    expectError(long, 422, 'validation_failed');
    assert.ok(['from', 'to'].includes(long.body.error.field), `400-day span names from or to: ${long.text}`);
    expectError(await call('POST', '/api/v1/plans', { ...ok, targets: { party: 3 } }), 422, 'validation_failed', 'targets');
    expectError(await call('POST', '/api/v1/plans', { ...ok, targets: { lecture: -1 } }), 422, 'validation_failed', 'targets');
    expectError(await call('POST', '/api/v1/plans', { ...ok, targets: { lecture: 1001 } }), 422, 'validation_failed', 'targets');
    expectError(await call('POST', '/api/v1/plans', { ...ok, name: '' }), 422, 'validation_failed', 'name');
    expectError(await call('POST', '/api/v1/plans', { ...ok, from: '2026-02-30' }), 422, 'validation_failed', 'from');
    const noTo = { ...ok }; delete noTo.to;
    expectError(await call('POST', '/api/v1/plans', noTo), 422, 'validation_failed', 'to');
    expectError(await call('POST', '/api/v1/plans', { ...ok, colour: 'red' }), 422, 'validation_failed', 'colour');
    assert.deepEqual((await call('GET', '/api/v1/plans?limit=500')).body, before, 'nothing created');
    // 366 days is the most.
    await mkPlan({ ...ok, name: 'Leap year', from: '2028-01-01', to: '2028-12-31' });
  });

  test('list, PATCH, DELETE', async () => {
    const a = await mkPlan({ name: 'Plan A', from: '2027-01-01', to: '2027-03-31' });
    const b = await mkPlan({ name: 'Plan B', from: '2027-04-01', to: '2027-06-30', targets: { salon: 3 } });
    const l = await call('GET', '/api/v1/plans?limit=500');
    expectStatus(l, 200);
    assert.equal(l.body.total, l.body.items.length);
    const ids = l.body.items.map((x) => x.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'ordered by id');
    const p1 = await call('GET', '/api/v1/plans?limit=1&offset=1');
    expectStatus(p1, 200);
    assert.deepEqual(p1.body.items.map((x) => x.id), ids.slice(1, 2));
    assert.equal(p1.body.total, ids.length);

    const u = await call('PATCH', `/api/v1/plans/${b.id}`, { name: 'Plan B2', targets: { salon: 5, group: 1 } });
    expectStatus(u, 200, 'patch');
    assert.equal(u.body.name, 'Plan B2');
    assert.equal(u.body.from, '2027-04-01');
    assert.equal(u.body.to, '2027-06-30');
    assert.equal(u.body.targets.salon, 5);
    assert.equal(u.body.targets.group, 1);
    assert.deepEqual((await call('GET', `/api/v1/plans/${b.id}`)).body, u.body);
    expectError(await call('PATCH', `/api/v1/plans/${b.id}`, { to: '2027-03-01' }), 422, 'validation_failed', 'to');
    expectError(await call('PATCH', `/api/v1/plans/${b.id}`, { targets: { party: 1 } }), 422, 'validation_failed', 'targets');
    assert.deepEqual((await call('GET', `/api/v1/plans/${b.id}`)).body, u.body, 'rejected PATCH changed nothing');

    const d = await call('DELETE', `/api/v1/plans/${a.id}`);
    assert.ok(d.status === 200 || d.status === 204, `DELETE: 200 or 204, got ${d.status} ${d.text}`);
    expectError(await call('GET', `/api/v1/plans/${a.id}`), 404, 'not_found');
    expectError(await call('GET', `/api/v1/plans/${a.id}/progress`), 404, 'not_found');
    expectError(await call('DELETE', `/api/v1/plans/${a.id}`), 404, 'not_found');
    assert.ok(!(await call('GET', '/api/v1/plans?limit=500')).body.items.some((x) => x.id === a.id));
    expectError(await call('GET', '/api/v1/plans/999999'), 404, 'not_found');
    expectError(await call('PATCH', '/api/v1/plans/999999', { name: 'x' }), 404, 'not_found');
  });

  test('progress: by_kind, by_month and on_time from events in and out of the period', async () => {
    const plan = await mkPlan({ name: '2025年第一季度', from: '2025-01-01', to: '2025-03-31', targets: { lecture: 6, training: 2, salon: 1 } });
    // In the period (all in the past, so they can be held).
    const L1 = await mkEvent('lecture', '2025-01-15T09:00:00+08:00', '2025-01-15T11:00:00+08:00');
    await held(L1); // never rescheduled: on time
    const L2 = await mkEvent('lecture', '2025-02-10T09:00:00+08:00', '2025-02-10T11:00:00+08:00');
    await resched(L2, '2025-02-12T09:00:00+08:00', '2025-02-12T11:00:00+08:00');
    await held(L2); // moved to another day: late
    const L3 = await mkEvent('lecture', '2025-02-17T09:00:00+08:00', '2025-02-17T11:00:00+08:00');
    await resched(L3, '2025-02-17T15:00:00+08:00', '2025-02-17T17:00:00+08:00');
    await held(L3); // same day, time changed: on time
    // Planned 07:00 local (still 3 March in UTC), moved to 09:00 local (4 March in UTC):
    // the same day in the station's zone, so on time.
    const L4 = await mkEvent('lecture', '2025-03-04T07:00:00+08:00', '2025-03-04T08:00:00+08:00');
    await resched(L4, '2025-03-04T01:00:00Z', '2025-03-04T02:00:00Z');
    await held(L4);
    await mkEvent('lecture', '2025-03-20T09:00:00+08:00', '2025-03-20T11:00:00+08:00'); // planned
    const L6 = await mkEvent('lecture', '2025-03-25T09:00:00+08:00', '2025-03-25T11:00:00+08:00');
    expectStatus(await call('POST', `/api/v1/events/${L6.id}/cancel`, { reason: '取消' }), 200);
    await mkEvent('training', '2025-01-20T09:00:00+08:00', '2025-01-20T17:00:00+08:00', { status: 'confirmed' });
    // Salons at the local edges of the period (outside it in UTC terms for the first).
    await mkEvent('salon', '2025-01-01T07:00:00+08:00', '2025-01-01T08:00:00+08:00');
    await mkEvent('salon', '2025-03-31T22:00:00+08:00', '2025-03-31T23:00:00+08:00');
    // Outside the period.
    const O1 = await mkEvent('lecture', '2024-12-31T10:00:00+08:00', '2024-12-31T12:00:00+08:00');
    await held(O1);
    await mkEvent('lecture', '2025-04-01T10:00:00+08:00', '2025-04-01T12:00:00+08:00');
    await mkEvent('training', '2024-12-31T22:00:00+08:00', '2024-12-31T23:00:00+08:00', { status: 'confirmed' });
    const O4 = await mkEvent('training', '2025-04-01T09:00:00+08:00', '2025-04-01T11:00:00+08:00');
    await held(O4);

    const p = await progress(plan.id);
    const bk = keyed(p.by_kind, 'kind');
    const pick = (k) => { const r = bk[k]; assert.ok(r, `by_kind.${k} present: ${JSON.stringify(p.by_kind)}`); return { target: r.target, planned: r.planned, confirmed: r.confirmed, held: r.held, cancelled: r.cancelled, gap: r.gap }; };
    assert.deepEqual(pick('lecture'), { target: 6, planned: 1, confirmed: 0, held: 4, cancelled: 1, gap: 1 });
    assert.deepEqual(pick('training'), { target: 2, planned: 0, confirmed: 1, held: 0, cancelled: 0, gap: 1 });
    assert.deepEqual(pick('salon'), { target: 1, planned: 2, confirmed: 0, held: 0, cancelled: 0, gap: 0 }, 'gap never below 0');

    assert.deepEqual(Object.keys(keyed(p.by_month, 'month')).sort(), ['2025-01', '2025-02', '2025-03']);

    assert.ok(p.on_time && typeof p.on_time === 'object', `on_time: ${JSON.stringify(p)}`);
    assert.equal(p.on_time.held, 4);
    assert.equal(p.on_time.on_time, 3);
    assert.ok(Math.abs(p.on_time.rate - 0.75) < 1e-9 || Math.abs(p.on_time.rate - 75) < 1e-9, `rate 0.75 (or 75 %): ${p.on_time.rate}`);

    // A target change shows at once.
    expectStatus(await call('PATCH', `/api/v1/plans/${plan.id}`, { targets: { lecture: 8, training: 2, salon: 1 } }), 200);
    const p2 = await progress(plan.id);
    assert.equal(keyed(p2.by_kind, 'kind').lecture.target, 8);
    assert.equal(keyed(p2.by_kind, 'kind').lecture.gap, 3);
  });

  test('on_time.rate is null when nothing was held', async () => {
    const plan = await mkPlan({ name: 'Nothing held', from: '2029-01-01', to: '2029-03-31', targets: { lecture: 1 } });
    await mkEvent('lecture', '2029-02-05T09:00:00+08:00', '2029-02-05T11:00:00+08:00');
    const p = await progress(plan.id);
    assert.equal(p.on_time.held, 0);
    assert.equal(p.on_time.on_time, 0);
    assert.equal(p.on_time.rate, null);
  });

  test('propose: one weekday 14:30–16:30 session per gap, nothing saved; accept creates them and closes the gap', async () => {
    const plan = await mkPlan({ name: '2030年第一季度', from: '2030-01-01', to: '2030-03-31', targets: { lecture: 4, training: 2 } });
    await mkEvent('lecture', '2030-01-15T09:00:00+08:00', '2030-01-15T11:00:00+08:00'); // lecture gap 3, training gap 2
    const bk0 = keyed((await progress(plan.id)).by_kind, 'kind');
    assert.equal(bk0.lecture.gap, 3);
    assert.equal(bk0.training.gap, 2);
    const before = await eventTotal();

    const r = await call('POST', `/api/v1/plans/${plan.id}/propose`, {});
    expectStatus(r, 200, 'propose');
    const props = r.body.proposals;
    assert.ok(Array.isArray(props), `proposals: ${r.text}`);
    assert.equal(props.filter((x) => x.kind === 'lecture').length, 3, 'as many lectures as the gap');
    assert.equal(props.filter((x) => x.kind === 'training').length, 2, 'as many trainings as the gap');
    assert.equal(props.length, 5);
    for (const x of props) {
      assert.equal(typeof x.title, 'string');
      assert.ok(x.title.length > 0);
      const m = /^(\d{4}-\d{2}-\d{2})T14:30:00\+08:00$/.exec(x.start);
      assert.ok(m, `start at 14:30+08:00: ${x.start}`);
      assert.equal(x.end, `${m[1]}T16:30:00+08:00`, 'end 16:30+08:00 the same day');
      assert.ok(m[1] >= '2030-01-01' && m[1] <= '2030-03-31', `inside the period: ${m[1]}`);
      const wd = weekday(m[1]);
      assert.ok(wd >= 1 && wd <= 5, `a weekday: ${m[1]} (${wd})`);
    }
    const lectureDays = props.filter((x) => x.kind === 'lecture').map((x) => x.start.slice(0, 10));
    assert.ok(!lectureDays.includes('2030-01-15'), 'skips the day that already has a lecture');
    assert.equal(new Set(lectureDays).size, lectureDays.length, 'lecture days distinct');
    const trainingDays = props.filter((x) => x.kind === 'training').map((x) => x.start.slice(0, 10));
    assert.equal(new Set(trainingDays).size, trainingDays.length, 'training days distinct');
    assert.equal(await eventTotal(), before, 'propose saves nothing');

    const onlyT = await call('POST', `/api/v1/plans/${plan.id}/propose`, { kind: 'training' });
    expectStatus(onlyT, 200, 'propose training');
    assert.equal(onlyT.body.proposals.length, 2);
    assert.ok(onlyT.body.proposals.every((x) => x.kind === 'training'));
    expectError(await call('POST', `/api/v1/plans/${plan.id}/propose`, { kind: 'party' }), 422, 'validation_failed', 'kind');

    // A bad proposal: all or nothing.
    const bad = await call('POST', `/api/v1/plans/${plan.id}/accept`, { proposals: [...props, { kind: 'party', title: 'x', start: '2030-02-04T14:30:00+08:00', end: '2030-02-04T16:30:00+08:00' }] });
    expectError(bad, 422, 'validation_failed');
    assert.equal(await eventTotal(), before, 'a rejected accept saves nothing');

    const a = await call('POST', `/api/v1/plans/${plan.id}/accept`, { proposals: props });
    assert.ok(a.status === 200 || a.status === 201, `accept: 200 or 201, got ${a.status} ${a.text}`);
    assert.equal(await eventTotal(), before + 5, 'five events created');
    const l = await call('GET', '/api/v1/events?from=2030-01-01&to=2030-03-31&limit=500');
    const made = l.body.items.filter((e) => e.start.endsWith('T14:30:00+08:00'));
    assert.equal(made.length, 5);
    assert.ok(made.every((e) => e.status === 'planned'), 'status planned');
    assert.deepEqual(made.map((e) => `${e.kind} ${e.start} ${e.end}`).sort(), props.map((x) => `${x.kind} ${x.start} ${x.end}`).sort());

    const bk = keyed((await progress(plan.id)).by_kind, 'kind');
    assert.equal(bk.lecture.gap, 0);
    assert.equal(bk.training.gap, 0);
    assert.equal(bk.lecture.planned, 4);
    assert.equal(bk.training.planned, 2);
    const again = await call('POST', `/api/v1/plans/${plan.id}/propose`, {});
    expectStatus(again, 200);
    assert.deepEqual(again.body.proposals, [], 'nothing left to propose');
  });
});
