// Events: create (every kind, defaults, +08:00 and Z input), validation,
// read, list filters and paging, PATCH, status moves, reschedule, cancel,
// history, and conflicts (speaker, venue, duty shift, force) — docs/api.md
// "Events". Times in the output are always +08:00 (Asia/Shanghai).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, login, sqlRun } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const KINDS = ['lecture', 'salon', 'training', 'group', 'activity'];
const OFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

// Is the sqlite3 command-line shell installed? (node:sqlite is not in Node 20.)
function haveSqlite3() {
  try { execFileSync('sqlite3', ['-version'], { stdio: 'pipe' }); return true; } catch { return false; }
}
const utc = (iso) => Math.floor(Date.parse(iso) / 1000);

describe('events', () => {
  let s, token;
  const st = {};      // station code -> id
  let cs = [];        // counsellor ids, in id order
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const create = (body) => call('POST', '/api/v1/events', body);
  const get = async (id) => { const r = await call('GET', `/api/v1/events/${id}`); expectStatus(r, 200, `GET event ${id}`); return r.body; };
  const history = async (id) => { const r = await call('GET', `/api/v1/events/${id}/history`); expectStatus(r, 200, `history ${id}`); return r.body.items; };
  const all = async () => { const r = await call('GET', '/api/v1/events?limit=500'); expectStatus(r, 200, 'list all'); return r.body; };
  const mk = async (body, what = 'create') => { const r = await create(body); expectStatus(r, 201, what); return r.body; };
  const ev = (over = {}) => ({
    kind: 'lecture', title: '情绪管理讲座', station_id: st.YL, venue: '二楼会议室',
    start: '2030-03-04T09:00:00+08:00', end: '2030-03-04T11:00:00+08:00', ...over,
  });

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    const sl = await call('GET', '/api/v1/stations?limit=500');
    expectStatus(sl, 200);
    for (const x of sl.body.items) st[x.code] = x.id;
    assert.equal(Object.keys(st).length, 13, 'demo stations');
    const cl = await call('GET', '/api/v1/counsellors?limit=500');
    expectStatus(cl, 200);
    cs = cl.body.items.map((x) => x.id);
    assert.equal(cs.length, 14, 'demo counsellors');
  });
  after(async () => { await s.stop(); });

  test('POST creates every kind: 201, Location, fields echoed, defaults', async () => {
    for (const [i, kind] of KINDS.entries()) {
      const body = ev({ kind, title: `创建测试 ${kind}`, venue: `Room ${kind}`,
        start: `2030-03-0${4 + i}T09:00:00+08:00`, end: `2030-03-0${4 + i}T11:00:00+08:00` });
      const r = await create(body);
      expectStatus(r, 201, `create ${kind}`);
      const e = r.body;
      assert.ok(Number.isInteger(e.id) && e.id > 0, `integer id: ${e.id}`);
      const loc = r.headers.get('location');
      assert.ok(loc, 'Location header');
      assert.equal(new URL(loc, s.url).pathname, `/api/v1/events/${e.id}`);
      assert.equal(e.kind, kind);
      assert.equal(e.title, body.title);
      assert.equal(e.station_id, st.YL);
      assert.equal(e.venue, body.venue);
      assert.equal(e.start, body.start);
      assert.equal(e.end, body.end);
      assert.equal(e.planned_start, body.start, 'planned_start = start');
      assert.equal(e.sequence, 0);
      assert.equal(e.audience, 'mixed', 'default audience');
      assert.deepEqual(e.reminders, [1440, 60], 'default reminders');
      assert.equal(e.public, false, 'default public');
      assert.equal(e.status, 'planned', 'default status');
      assert.deepEqual(await get(e.id), e, 'GET answers what POST answered');
    }
  });

  test('POST echoes every optional field; Z input answers +08:00', async () => {
    const body = {
      kind: 'training', title: '咨询师督导培训', description: '第一行\n第二行', station_id: st.FT,
      venue: '三楼培训室', start: '2030-03-11T01:00:00Z', end: '2030-03-11T08:30:00Z',
      audience: 'staff', speaker_ids: [cs[0], cs[1]], external_speaker: '深圳大学 王老师', capacity: 40,
      status: 'confirmed', public: true, reminders: [2880, 30],
    };
    const e = await mk(body);
    assert.equal(e.start, '2030-03-11T09:00:00+08:00');
    assert.equal(e.end, '2030-03-11T16:30:00+08:00');
    assert.equal(e.planned_start, '2030-03-11T09:00:00+08:00');
    assert.equal(e.description, body.description);
    assert.equal(e.station_id, st.FT);
    assert.equal(e.audience, 'staff');
    assert.deepEqual([...e.speaker_ids].sort((a, b) => a - b), [cs[0], cs[1]]);
    assert.equal(e.external_speaker, body.external_speaker);
    assert.equal(e.capacity, 40);
    assert.equal(e.status, 'confirmed');
    assert.equal(e.public, true);
    assert.deepEqual(e.reminders, [2880, 30]);
    // A district-wide event (no station) with a mixed-offset input.
    const d = await mk({ kind: 'activity', title: '全区活动', start: '2030-03-12T06:00:00+05:00', end: '2030-03-12T12:00:00+08:00' });
    assert.equal(d.station_id, null);
    assert.equal(d.start, '2030-03-12T09:00:00+08:00');
    for (const k of ['start', 'end', 'planned_start']) assert.match(d[k], OFFSET_RE, k);
  });

  test('validation: 422 naming the field; nothing is created', async () => {
    const before = await all();
    const cases = [
      [{ kind: 'party' }, 'kind'],
      [{ title: '' }, 'title'],
      [{ title: 't'.repeat(101) }, 'title'],
      [{ start: '2030-04-01T11:00:00+08:00', end: '2030-04-01T09:00:00+08:00' }, 'end'],
      [{ start: '2026-03-02T09:00:00', end: '2026-03-02T11:00:00+08:00' }, 'start'],
      [{ station_id: 999999 }, 'station_id'],
      [{ speaker_ids: [999999] }, 'speaker_ids'],
      [{ speaker_ids: [cs[2], cs[2]] }, 'speaker_ids'],
      [{ capacity: -1 }, 'capacity'],
      [{ reminders: [1, 2, 3, 4, 5, 6] }, 'reminders'],
      [{ status: 'cancelled' }, 'status'],
      [{ status: 'held' }, 'status'],
      [{ audience: 'everyone' }, 'audience'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [over, field] of cases) {
      const body = ev({ title: 'Invalid event', start: '2030-04-01T09:00:00+08:00', end: '2030-04-01T11:00:00+08:00', ...over });
      expectError(await create(body), 422, 'validation_failed', field);
    }
    // 15 days long: the error names start or end.
    const long = await create(ev({ title: 'Invalid event', start: '2030-04-01T09:00:00+08:00', end: '2030-04-16T09:00:00+08:00' }));
    expectError(long, 422, 'validation_failed');
    assert.ok(['start', 'end'].includes(long.body.error.field), `15-day event: field start or end: ${long.text}`);
    const missing = ev(); delete missing.kind;
    expectError(await create(missing), 422, 'validation_failed', 'kind');
    const noStart = ev(); delete noStart.start;
    expectError(await create(noStart), 422, 'validation_failed', 'start');
    assert.deepEqual(await all(), before, 'rejected requests created nothing');
    // Exactly 14 days is fine.
    await mk(ev({ title: 'Fourteen days', venue: 'Long room', start: '2030-04-01T09:00:00+08:00', end: '2030-04-15T09:00:00+08:00' }), '14 days');
  });

  test('GET one; unknown and malformed ids answer 404', async () => {
    const e = await mk(ev({ title: 'Get me', venue: 'G1', start: '2030-04-20T09:00:00+08:00', end: '2030-04-20T10:00:00+08:00' }));
    const g = await get(e.id);
    assert.equal(g.id, e.id);
    assert.equal(g.title, 'Get me');
    expectError(await call('GET', '/api/v1/events/999999'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/events/abc'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/events/0'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/events/999999/history'), 404, 'not_found');
    expectError(await call('PATCH', '/api/v1/events/999999', { title: 'x' }), 404, 'not_found');
    expectError(await call('POST', '/api/v1/events/999999/cancel', { reason: 'x' }), 404, 'not_found');
  });

  test('list: from/to (overlap, station-local days), kind, station_id, audience, status, q, paging; ordered by start', async () => {
    // Created out of start order on purpose.
    const B = await mk(ev({ kind: 'salon', title: 'LF-B 沙龙', station_id: st.FT, venue: 'LF', audience: 'staff', start: '2031-05-12T14:00:00+08:00', end: '2031-05-12T16:00:00+08:00' }));
    const D = await mk(ev({ kind: 'activity', title: 'LF-D 活动', station_id: null, venue: 'LF', start: '2031-05-20T09:00:00+08:00', end: '2031-05-20T11:00:00+08:00' }));
    const A = await mk(ev({ kind: 'lecture', title: 'LF-A 情绪讲座', station_id: st.YL, venue: 'LF', audience: 'residents', start: '2031-05-10T09:00:00+08:00', end: '2031-05-10T11:00:00+08:00' }));
    // 23:00–01:00 local, sent in Z: on 11 May in UTC, on 11 and 12 May locally.
    const C = await mk(ev({ kind: 'training', title: 'LF-C 培训', station_id: st.YL, venue: 'LF2', audience: 'community_workers', status: 'confirmed', start: '2031-05-11T15:00:00Z', end: '2031-05-11T17:00:00Z' }));
    const E = await mk(ev({ kind: 'group', title: 'LF-E 团体辅导', station_id: st.FT, venue: 'LF', start: '2031-05-15T09:00:00+08:00', end: '2031-05-15T11:00:00+08:00' }));
    expectStatus(await call('POST', `/api/v1/events/${E.id}/cancel`, { reason: '场地维修' }), 200, 'cancel E');
    // Outside the month, touching its edges.
    await mk(ev({ title: 'LF-X before', venue: 'LF', start: '2031-04-30T22:00:00+08:00', end: '2031-04-30T23:59:00+08:00' }));
    await mk(ev({ title: 'LF-Y after', venue: 'LF', start: '2031-06-01T00:00:00+08:00', end: '2031-06-01T02:00:00+08:00' }));

    const M = 'from=2031-05-01&to=2031-05-31';
    const list = async (q) => { const r = await call('GET', `/api/v1/events?${q}&limit=500`); expectStatus(r, 200, q); return r.body; };
    const ids = (b) => b.items.map((x) => x.id);

    const month = await list(M);
    assert.deepEqual(ids(month), [A.id, C.id, B.id, E.id, D.id], 'the month, ordered by start');
    assert.equal(month.total, 5);
    for (const x of month.items) for (const k of ['start', 'end', 'planned_start']) assert.match(x[k], OFFSET_RE, `${k} of ${x.title}`);
    assert.equal(month.items[1].start, '2031-05-11T23:00:00+08:00', 'Z input shown in +08:00');
    assert.deepEqual(ids(await list('from=2031-05-12&to=2031-05-12')), [C.id, B.id], 'overlap with a local day');
    assert.deepEqual(ids(await list('from=2031-05-11&to=2031-05-11')), [C.id]);
    assert.deepEqual(ids(await list('from=2031-05-13&to=2031-05-19')), [E.id]);
    assert.deepEqual(ids(await list('from=2031-05-20&to=2031-05-20')), [D.id], 'to is inclusive');
    assert.deepEqual(ids(await list('from=2031-05-21&to=2031-05-31')), []);
    assert.deepEqual(ids(await list(`${M}&kind=salon`)), [B.id]);
    assert.deepEqual(ids(await list(`${M}&kind=training`)), [C.id]);
    assert.deepEqual(ids(await list(`${M}&station_id=${st.YL}`)), [A.id, C.id]);
    assert.deepEqual(ids(await list(`${M}&station_id=${st.FT}`)), [B.id, E.id]);
    assert.deepEqual(ids(await list(`${M}&audience=staff`)), [B.id]);
    assert.deepEqual(ids(await list(`${M}&audience=residents`)), [A.id]);
    assert.deepEqual(ids(await list(`${M}&audience=mixed`)), [E.id, D.id]);
    assert.deepEqual(ids(await list(`${M}&status=confirmed`)), [C.id]);
    assert.deepEqual(ids(await list(`${M}&status=cancelled`)), [E.id]);
    assert.deepEqual(ids(await list(`${M}&status=planned`)), [A.id, B.id, D.id]);
    assert.deepEqual(ids(await list(`q=${encodeURIComponent('情绪讲座')}`)), [A.id], 'q: part of the title');
    const q = await list('q=LF-');
    assert.equal(q.total, 7, 'q matches the 7 LF- events');
    assert.deepEqual(q.items.map((x) => x.title.slice(0, 4)), ['LF-X', 'LF-A', 'LF-C', 'LF-B', 'LF-E', 'LF-D', 'LF-Y']);
    assert.deepEqual(ids(await list(`${M}&kind=salon&station_id=${st.YL}`)), [], 'filters combine');

    const p1 = await call('GET', `/api/v1/events?${M}&limit=2&offset=0`);
    const p2 = await call('GET', `/api/v1/events?${M}&limit=2&offset=2`);
    const p3 = await call('GET', `/api/v1/events?${M}&limit=2&offset=4`);
    const p4 = await call('GET', `/api/v1/events?${M}&limit=2&offset=5`);
    for (const p of [p1, p2, p3, p4]) { expectStatus(p, 200, 'page'); assert.equal(p.body.total, 5, 'total counts all matches'); }
    assert.deepEqual(ids(p1.body), [A.id, C.id]);
    assert.deepEqual(ids(p2.body), [B.id, E.id]);
    assert.deepEqual(ids(p3.body), [D.id]);
    assert.deepEqual(p4.body.items, []);

    expectError(await call('GET', '/api/v1/events?limit=0'), 422, 'validation_failed');
    expectError(await call('GET', '/api/v1/events?limit=501'), 422, 'validation_failed');
  });

  test('PATCH title/venue: fields change, others kept, sequence grows; start/end/cancelled refused', async () => {
    const e = await mk(ev({ title: 'Patch me', venue: 'P1', audience: 'staff', start: '2030-05-06T09:00:00+08:00', end: '2030-05-06T11:00:00+08:00' }));
    const r = await call('PATCH', `/api/v1/events/${e.id}`, { title: 'Patched', venue: 'P2' });
    expectStatus(r, 200, 'patch');
    assert.equal(r.body.title, 'Patched');
    assert.equal(r.body.venue, 'P2');
    assert.equal(r.body.audience, 'staff');
    assert.equal(r.body.start, e.start);
    assert.equal(r.body.end, e.end);
    assert.equal(r.body.planned_start, e.planned_start);
    assert.equal(r.body.kind, e.kind);
    assert.ok(r.body.sequence > e.sequence, `sequence grows: ${e.sequence} -> ${r.body.sequence}`);
    assert.deepEqual(await get(e.id), r.body);
    const r2 = await call('PATCH', `/api/v1/events/${e.id}`, { venue: 'P3' });
    expectStatus(r2, 200);
    assert.ok(r2.body.sequence > r.body.sequence, 'sequence grows again');

    const cur = await get(e.id);
    expectError(await call('PATCH', `/api/v1/events/${e.id}`, { start: '2030-05-07T09:00:00+08:00' }), 422, 'validation_failed', 'start');
    expectError(await call('PATCH', `/api/v1/events/${e.id}`, { end: '2030-05-06T12:00:00+08:00' }), 422, 'validation_failed', 'end');
    expectError(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'cancelled' }), 422, 'validation_failed', 'status');
    expectError(await call('PATCH', `/api/v1/events/${e.id}`, { title: '' }), 422, 'validation_failed', 'title');
    expectError(await call('PATCH', `/api/v1/events/${e.id}`, { title: 'ok', colour: 'red' }), 422, 'validation_failed', 'colour');
    assert.deepEqual(await get(e.id), cur, 'rejected PATCHes changed nothing');
    const kinds = (await history(e.id)).map((h) => h.kind);
    assert.equal(kinds[0], 'created');
    assert.ok(kinds.includes('updated'), `history has updated: ${kinds}`);
  });

  test('status: planned ↔ confirmed; held only once the event has started', async () => {
    const f = await mk(ev({ title: 'Future status', venue: 'S1', start: '2030-05-13T09:00:00+08:00', end: '2030-05-13T11:00:00+08:00' }));
    const c = await call('PATCH', `/api/v1/events/${f.id}`, { status: 'confirmed' });
    expectStatus(c, 200, 'confirm');
    assert.equal(c.body.status, 'confirmed');
    const h = await call('PATCH', `/api/v1/events/${f.id}`, { status: 'held' });
    assert.ok(h.status === 422 || h.status === 409, `held on a future event: 422 or 409, got ${h.status} ${h.text}`);
    expectError(h, h.status, h.status === 422 ? 'validation_failed' : 'conflict');
    assert.equal((await get(f.id)).status, 'confirmed', 'still confirmed');
    const back = await call('PATCH', `/api/v1/events/${f.id}`, { status: 'planned' });
    expectStatus(back, 200, 'confirmed -> planned');
    assert.equal(back.body.status, 'planned');

    const p = await mk(ev({ title: 'Past event', venue: 'S1', start: '2025-03-03T09:00:00+08:00', end: '2025-03-03T11:00:00+08:00' }));
    const held = await call('PATCH', `/api/v1/events/${p.id}`, { status: 'held' });
    expectStatus(held, 200, 'held for a past event');
    assert.equal(held.body.status, 'held');
    assert.equal((await get(p.id)).status, 'held');
    const hk = (await history(p.id)).map((x) => x.kind);
    assert.deepEqual([hk[0], hk.at(-1)], ['created', 'held'], `history: ${hk}`);
    expectError(await call('POST', `/api/v1/events/${p.id}/reschedule`, { start: '2025-03-04T09:00:00+08:00', end: '2025-03-04T11:00:00+08:00', reason: 'late' }), 409, 'conflict');
  });

  test('reschedule: start moves, planned_start stays, sequence + 1, history records old/new and reason', async () => {
    const e = await mk(ev({ title: 'Move me', venue: 'R1', start: '2030-05-20T09:00:00+08:00', end: '2030-05-20T11:00:00+08:00' }));
    expectError(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-21T09:00:00+08:00', end: '2030-05-21T11:00:00+08:00' }), 422, 'validation_failed', 'reason');
    expectError(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-21T09:00:00+08:00', end: '2030-05-21T11:00:00+08:00', reason: '' }), 422, 'validation_failed', 'reason');
    expectError(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-21T11:00:00+08:00', end: '2030-05-21T09:00:00+08:00', reason: 'x' }), 422, 'validation_failed', 'end');
    assert.deepEqual(await get(e.id), e, 'rejected reschedules changed nothing');

    const r = await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-21T06:30:00Z', end: '2030-05-21T08:30:00Z', reason: '讲师临时出差' });
    expectStatus(r, 200, 'reschedule');
    assert.equal(r.body.start, '2030-05-21T14:30:00+08:00');
    assert.equal(r.body.end, '2030-05-21T16:30:00+08:00');
    assert.equal(r.body.planned_start, '2030-05-20T09:00:00+08:00', 'planned_start kept');
    assert.equal(r.body.sequence, e.sequence + 1);
    assert.deepEqual(await get(e.id), r.body);
    const h = await history(e.id);
    const last = h.at(-1);
    assert.equal(last.kind, 'rescheduled');
    assert.equal(last.reason, '讲师临时出差');
    assert.equal(last.old_start, '2030-05-20T09:00:00+08:00');
    assert.equal(last.old_end, '2030-05-20T11:00:00+08:00');
    assert.equal(last.new_start, '2030-05-21T14:30:00+08:00');
    assert.equal(last.new_end, '2030-05-21T16:30:00+08:00');
    assert.equal(last.username, 'admin');

    const r2 = await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-22T09:00:00+08:00', end: '2030-05-22T11:00:00+08:00', reason: '再次调整' });
    expectStatus(r2, 200);
    assert.equal(r2.body.sequence, e.sequence + 2);
    assert.equal(r2.body.planned_start, '2030-05-20T09:00:00+08:00');
  });

  test('cancel: cancelled, sequence + 1; twice → 409; reschedule of a cancelled event → 409', async () => {
    const e = await mk(ev({ title: 'Cancel me', venue: 'C1', start: '2030-05-27T09:00:00+08:00', end: '2030-05-27T11:00:00+08:00' }));
    const c = await call('POST', `/api/v1/events/${e.id}/cancel`, { reason: '天气原因' });
    expectStatus(c, 200, 'cancel');
    assert.equal(c.body.status, 'cancelled');
    assert.equal(c.body.sequence, e.sequence + 1);
    assert.equal(c.body.start, e.start);
    const after1 = await get(e.id);
    assert.deepEqual(after1, c.body);
    expectError(await call('POST', `/api/v1/events/${e.id}/cancel`, { reason: 'again' }), 409, 'conflict');
    expectError(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-05-28T09:00:00+08:00', end: '2030-05-28T11:00:00+08:00', reason: 'revive' }), 409, 'conflict');
    assert.deepEqual(await get(e.id), after1, 'refused requests changed nothing');
    const last = (await history(e.id)).at(-1);
    assert.equal(last.kind, 'cancelled');
    assert.equal(last.reason, '天气原因');
  });

  test('history: oldest first, created first, each kind in order', async () => {
    const e = await mk(ev({ title: 'Story', venue: 'H1', start: '2030-06-10T09:00:00+08:00', end: '2030-06-10T11:00:00+08:00' }));
    expectStatus(await call('PATCH', `/api/v1/events/${e.id}`, { title: 'Story 2' }), 200);
    expectStatus(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'confirmed' }), 200);
    expectStatus(await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: '2030-06-11T09:00:00+08:00', end: '2030-06-11T11:00:00+08:00', reason: 'move' }), 200);
    expectStatus(await call('POST', `/api/v1/events/${e.id}/cancel`, { reason: 'stop' }), 200);
    const h = await history(e.id);
    assert.deepEqual(h.map((x) => x.kind), ['created', 'updated', 'confirmed', 'rescheduled', 'cancelled']);
    for (const x of h) {
      assert.match(x.at, OFFSET_RE, 'at in +08:00');
      assert.equal(x.username, 'admin');
    }
    const at = h.map((x) => Date.parse(x.at));
    assert.deepEqual(at, [...at].sort((a, b) => a - b), 'oldest first');
  });

  describe('conflicts', () => {
    let base; // speaker cs[3], YL venue 冲突室, 2030-07-01 09:00–11:00
    const day = '2030-07-01';
    const T = (hm) => `${day}T${hm}:00+08:00`;

    before(async () => {
      base = await mk(ev({ title: 'Base talk', venue: '冲突室', speaker_ids: [cs[3]], start: T('09:00'), end: T('11:00') }), 'base event');
    });

    test('same speaker at an overlapping event → 409 type speaker', async () => {
      const r = await create(ev({ title: 'Speaker clash', station_id: st.FT, venue: 'Elsewhere', speaker_ids: [cs[3]], start: T('10:00'), end: T('12:00') }));
      expectError(r, 409, 'conflict');
      const cf = r.body.error.conflicts;
      assert.ok(Array.isArray(cf) && cf.length >= 1, `conflicts listed: ${r.text}`);
      assert.equal(cf[0].type, 'speaker');
      assert.equal(cf[0].event_id, base.id);
      assert.equal(cf[0].counsellor_id, cs[3]);
      assert.equal(cf[0].start, base.start);
      assert.equal(cf[0].end, base.end);
      // Also with Z input covering the same span.
      const z = await create(ev({ title: 'Speaker clash Z', station_id: st.FT, venue: 'Elsewhere', speaker_ids: [cs[3]], start: `${day}T01:30:00Z`, end: `${day}T02:00:00Z` }));
      expectError(z, 409, 'conflict');
      assert.equal(z.body.error.conflicts[0].type, 'speaker');
    });

    test('same station and venue overlapping → 409 type venue', async () => {
      const r = await create(ev({ title: 'Venue clash', venue: '冲突室', start: T('10:30'), end: T('12:00') }));
      expectError(r, 409, 'conflict');
      const cf = r.body.error.conflicts;
      assert.ok(Array.isArray(cf) && cf.length >= 1, `conflicts listed: ${r.text}`);
      assert.equal(cf[0].type, 'venue');
      assert.equal(cf[0].event_id, base.id);
      assert.equal(cf[0].venue, '冲突室');
    });

    test('both clashes are listed', async () => {
      const r = await create(ev({ title: 'Double clash', venue: '冲突室', speaker_ids: [cs[3]], start: T('10:00'), end: T('10:30') }));
      expectError(r, 409, 'conflict');
      const types = r.body.error.conflicts.map((c) => c.type).sort();
      assert.deepEqual(types, ['speaker', 'venue']);
    });

    test('different venue, other station, or touching times → 201', async () => {
      await mk(ev({ title: 'Other venue', venue: '另一间', start: T('09:30'), end: T('10:30') }), 'different venue');
      await mk(ev({ title: 'Other station', station_id: st.FT, venue: '冲突室', start: T('09:30'), end: T('10:30') }), 'same venue name, other station');
      await mk(ev({ title: 'Touching after', venue: '冲突室', speaker_ids: [cs[3]], start: T('11:00'), end: T('12:00') }), 'end == start');
      await mk(ev({ title: 'Touching before', venue: '冲突室', speaker_ids: [cs[3]], start: T('08:00'), end: T('09:00') }), 'start == end');
    });

    test('a cancelled event does not conflict', async () => {
      const c = await mk(ev({ title: 'To cancel', venue: '取消室', speaker_ids: [cs[4]], start: '2030-07-02T09:00:00+08:00', end: '2030-07-02T11:00:00+08:00' }));
      expectStatus(await call('POST', `/api/v1/events/${c.id}/cancel`, { reason: 'x' }), 200);
      await mk(ev({ title: 'Replacement', venue: '取消室', speaker_ids: [cs[4]], start: '2030-07-02T09:00:00+08:00', end: '2030-07-02T11:00:00+08:00', replaces_event_id: c.id }), 'over a cancelled event');
    });

    test('reschedule or PATCH into a clash → 409', async () => {
      const e = await mk(ev({ title: 'Will move', venue: '冲突室', speaker_ids: [cs[5]], start: '2030-07-03T09:00:00+08:00', end: '2030-07-03T11:00:00+08:00' }));
      const r = await call('POST', `/api/v1/events/${e.id}/reschedule`, { start: T('09:30'), end: T('10:30'), reason: 'try' });
      expectError(r, 409, 'conflict');
      assert.equal(r.body.error.conflicts[0].event_id, base.id);
      const other = await mk(ev({ title: 'Parallel', station_id: st.FT, venue: 'Q', start: T('09:00'), end: T('10:00') }));
      const p = await call('PATCH', `/api/v1/events/${other.id}`, { speaker_ids: [cs[3]] });
      expectError(p, 409, 'conflict');
      assert.equal(p.body.error.conflicts[0].type, 'speaker');
      assert.deepEqual((await get(other.id)).speaker_ids, []);
      assert.equal((await get(e.id)).start, '2030-07-03T09:00:00+08:00');
    });

    test('force with force_reason saves anyway and records forced; force without reason → 422', async () => {
      const body = ev({ title: 'Forced', venue: '冲突室', speaker_ids: [cs[3]], start: T('09:00'), end: T('10:00') });
      expectError(await create({ ...body, force: true }), 422, 'validation_failed', 'force_reason');
      expectError(await create({ ...body, force: true, force_reason: '' }), 422, 'validation_failed', 'force_reason');
      const r = await create({ ...body, force: true, force_reason: '领导指示，同场合并' });
      expectStatus(r, 201, 'forced');
      assert.equal(r.body.force, undefined, 'force is write-only');
      assert.equal(r.body.force_reason, undefined, 'force_reason is write-only');
      const h = await history(r.body.id);
      assert.equal(h[0].kind, 'created');
      const f = h.find((x) => x.kind === 'forced');
      assert.ok(f, `history has forced: ${JSON.stringify(h)}`);
      assert.equal(f.reason, '领导指示，同场合并');
    });

    test('a speaker on a duty shift → 409 type shift with shift_id', async (t) => {
      if (!haveSqlite3()) { t.skip('sqlite3 CLI not installed (node:sqlite is not in Node 20): cannot insert a shift without a shift API'); return; }
      const sid = st.NY;
      const now = Math.floor(Date.now() / 1000);
      const ins = (a, b, status) => Number(sqlRun(s.db,
        `INSERT INTO shifts (station_id, counsellor_id, start_at, end_at, status, created_at, updated_at) VALUES (${sid}, ${cs[6]}, ${utc(a)}, ${utc(b)}, '${status}', ${now}, ${now}) RETURNING id;`));
      const shiftId = ins('2030-07-08T09:00:00+08:00', '2030-07-08T12:00:00+08:00', 'planned');
      assert.ok(shiftId > 0, 'shift inserted');
      ins('2030-07-09T09:00:00+08:00', '2030-07-09T12:00:00+08:00', 'cancelled');

      const r = await create(ev({ title: 'On duty', venue: 'Duty', speaker_ids: [cs[6]], start: '2030-07-08T11:00:00+08:00', end: '2030-07-08T13:00:00+08:00' }));
      expectError(r, 409, 'conflict');
      const c = r.body.error.conflicts;
      assert.ok(Array.isArray(c) && c.length >= 1, `conflicts listed: ${r.text}`);
      assert.equal(c[0].type, 'shift');
      assert.equal(c[0].shift_id, shiftId);
      assert.equal(c[0].counsellor_id, cs[6]);
      assert.equal(c[0].station_id, sid);
      assert.equal(c[0].start, '2030-07-08T09:00:00+08:00');
      assert.equal(c[0].end, '2030-07-08T12:00:00+08:00');
      // After the shift, and on a cancelled shift: no clash.
      await mk(ev({ title: 'After duty', venue: 'Duty', speaker_ids: [cs[6]], start: '2030-07-08T12:00:00+08:00', end: '2030-07-08T13:00:00+08:00' }), 'touching a shift');
      await mk(ev({ title: 'Cancelled duty', venue: 'Duty', speaker_ids: [cs[6]], start: '2030-07-09T10:00:00+08:00', end: '2030-07-09T11:00:00+08:00' }), 'over a cancelled shift');
    });

    test('a rejected request (409/422) changes nothing, the other event’s history included', async () => {
      const before = await all();
      const baseHist = await history(base.id);
      const victim = await get(base.id);
      const bad = [
        await create(ev({ title: 'Clash again', venue: '冲突室', start: T('09:00'), end: T('10:00') })),
        await create(ev({ title: 'Clash again', station_id: st.FT, venue: 'Z', speaker_ids: [cs[3]], start: T('09:00'), end: T('10:00') })),
        await create(ev({ title: 'Bad', kind: 'party', start: T('09:00'), end: T('10:00') })),
        await create(ev({ title: 'Force no reason', venue: '冲突室', start: T('09:00'), end: T('10:00'), force: true })),
        await call('PATCH', `/api/v1/events/${base.id}`, { title: '' }),
        await call('PATCH', `/api/v1/events/${base.id}`, { start: T('10:00') }),
        await call('POST', `/api/v1/events/${base.id}/reschedule`, { start: T('12:00'), end: T('13:00') }),
      ];
      for (const r of bad) assert.ok(r.status === 409 || r.status === 422, `rejected: ${r.status} ${r.text}`);
      assert.deepEqual(await all(), before, 'list unchanged');
      assert.deepEqual(await history(base.id), baseHist, 'history of the other event unchanged');
      assert.deepEqual(await get(base.id), victim, 'the other event unchanged');
    });
  });
});
