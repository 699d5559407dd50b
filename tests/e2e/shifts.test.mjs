// Shift templates and shifts: template CRUD and validation, manual shifts
// (create, assign, unassign, move), the hard rules (overlap, leave,
// max_weekly_hours, inactive) as 409 with conflicts, swaps, DELETE of
// manual vs generated shifts, sequence — docs/api.md "Rosters".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;

// Asserts a 409 conflict on counsellor_id carrying a non-empty conflicts list.
function conflicts(r, what) {
  expectError(r, 409, 'conflict');
  assert.equal(r.body.error.field, 'counsellor_id', `${what}: field counsellor_id: ${r.text}`);
  const cf = r.body.error.conflicts;
  assert.ok(Array.isArray(cf) && cf.length >= 1, `${what}: conflicts listed: ${r.text}`);
  return cf;
}

describe('shift templates and shifts', () => {
  let s, token;
  const st = {}; // code → station
  let cs; // active demo counsellors by id
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const shiftsOn = async (from, to = from, extra = '') => {
    const r = await call('GET', `/api/v1/shifts?from=${from}&to=${to}&limit=500${extra}`);
    expectStatus(r, 200, 'list shifts');
    return r.body;
  };
  const mkShift = async (body, what = 'create shift') => {
    const r = await call('POST', '/api/v1/shifts', body);
    expectStatus(r, 201, what);
    return r.body;
  };
  const getShift = async (id) => { const r = await call('GET', `/api/v1/shifts/${id}`); expectStatus(r, 200, `GET shift ${id}`); return r.body; };
  const templates = async () => (await call('GET', '/api/v1/shift-templates?limit=500')).body;

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    for (const x of (await call('GET', '/api/v1/stations?limit=500')).body.items) st[x.code] = x;
    cs = (await call('GET', '/api/v1/counsellors?limit=500')).body.items;
    assert.equal(Object.keys(st).length, 13, 'demo stations');
    assert.equal(cs.length, 14, 'demo counsellors');
  });
  after(async () => { await s.stop(); });

  describe('templates', () => {
    test('create, read, list, PATCH, DELETE deactivates', async () => {
      const r = await call('POST', '/api/v1/shift-templates',
        { station_id: st.YL.id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required: 2 });
      expectStatus(r, 201, 'create template');
      const t = r.body;
      assert.ok(Number.isInteger(t.id) && t.id > 0);
      assert.equal(t.station_id, st.YL.id);
      assert.deepEqual(t.weekdays, [1, 2, 3, 4, 5]);
      assert.equal(t.start, '09:00');
      assert.equal(t.end, '12:00');
      assert.equal(t.required, 2);
      assert.equal(t.active, true);
      const loc = r.headers.get('location');
      if (loc) assert.equal(new URL(loc, s.url).pathname, `/api/v1/shift-templates/${t.id}`);
      const g = await call('GET', `/api/v1/shift-templates/${t.id}`);
      expectStatus(g, 200);
      assert.deepEqual(g.body, t);

      const d1 = await call('POST', '/api/v1/shift-templates', { station_id: st.NY.id, weekdays: [6], start: '14:00', end: '18:00' });
      expectStatus(d1, 201, 'defaults');
      assert.equal(d1.body.required, 1, 'required defaults to 1');
      assert.equal(d1.body.active, true);
      const bounded = await call('POST', '/api/v1/shift-templates',
        { station_id: st.NY.id, weekdays: [7, 1], start: '08:30', end: '11:45', required: 50, valid_from: '2027-01-01', valid_to: '2027-06-30' });
      expectStatus(bounded, 201, 'bounded, required 50');
      assert.equal(bounded.body.valid_from, '2027-01-01');
      assert.equal(bounded.body.valid_to, '2027-06-30');
      assert.deepEqual([...bounded.body.weekdays].sort(), [1, 7]);

      const byStation = await call('GET', `/api/v1/shift-templates?station_id=${st.YL.id}&limit=500`);
      expectStatus(byStation, 200);
      assert.deepEqual(byStation.body.items.map((x) => x.id), [t.id]);
      assert.equal(byStation.body.total, 1);

      const p = await call('PATCH', `/api/v1/shift-templates/${t.id}`, { required: 3, weekdays: [6, 7] });
      expectStatus(p, 200, 'patch');
      assert.equal(p.body.required, 3);
      assert.deepEqual(p.body.weekdays, [6, 7]);
      assert.equal(p.body.start, '09:00', 'untouched fields kept');
      assert.equal(p.body.station_id, st.YL.id);
      expectError(await call('PATCH', `/api/v1/shift-templates/${t.id}`, { end: '08:00' }), 422, 'validation_failed', 'end');
      assert.deepEqual((await call('GET', `/api/v1/shift-templates/${t.id}`)).body, p.body, 'rejected PATCH changed nothing');

      for (const x of [t, d1.body, bounded.body]) {
        const d = await call('DELETE', `/api/v1/shift-templates/${x.id}`);
        assert.ok(d.status === 200 || d.status === 204, `DELETE template: ${d.status} ${d.text}`);
        if (d.status === 200) assert.equal(d.body.active, false);
        const after = await call('GET', `/api/v1/shift-templates/${x.id}`);
        expectStatus(after, 200, 'a deactivated template is still readable');
        assert.equal(after.body.active, false);
      }
      const inactive = await call('GET', '/api/v1/shift-templates?active=false&limit=500');
      expectStatus(inactive, 200);
      assert.ok(inactive.body.items.some((x) => x.id === t.id));
      assert.ok(inactive.body.items.every((x) => x.active === false));
      const active = await call('GET', '/api/v1/shift-templates?active=true&limit=500');
      assert.ok(!active.body.items.some((x) => x.id === t.id));
      expectError(await call('GET', '/api/v1/shift-templates/999999'), 404, 'not_found');
      expectError(await call('DELETE', '/api/v1/shift-templates/999999'), 404, 'not_found');
    });

    test('validation: weekdays, times, station, required → 422; nothing created', async () => {
      const before = await templates();
      const ok = { station_id: st.FT.id, weekdays: [1, 3], start: '09:00', end: '12:00', required: 1 };
      const bad = [
        [{ weekdays: [0] }, 'weekdays'],
        [{ weekdays: [8] }, 'weekdays'],
        [{ weekdays: [1, 1] }, 'weekdays'],
        [{ weekdays: [2, 3, 2] }, 'weekdays'],
        [{ weekdays: [] }, 'weekdays'],
        [{ weekdays: ['mon'] }, 'weekdays'],
        [{ weekdays: 1 }, 'weekdays'],
        [{ start: '12:00', end: '09:00' }, 'end'],
        [{ start: '09:00', end: '09:00' }, 'end'],
        [{ start: '25:00' }, 'start'],
        [{ start: '9am' }, 'start'],
        [{ end: '12:60' }, 'end'],
        [{ station_id: 999999 }, 'station_id'],
        [{ station_id: 'FT' }, 'station_id'],
        [{ required: 0 }, 'required'],
        [{ required: 51 }, 'required'],
        [{ required: 1.5 }, 'required'],
        [{ valid_from: '2027-02-30' }, 'valid_from'],
      ];
      const wrong = [];
      for (const [patch, field] of bad) {
        const r = await call('POST', '/api/v1/shift-templates', { ...ok, ...patch });
        try { expectError(r, 422, 'validation_failed', field); } catch { wrong.push(`${JSON.stringify(patch)} → ${r.status} ${r.text.slice(0, 160)}`); }
      }
      assert.deepEqual(wrong, [], 'each bad template answers 422 naming the field');
      for (const f of ['station_id', 'weekdays', 'start', 'end']) {
        const body = { ...ok }; delete body[f];
        expectError(await call('POST', '/api/v1/shift-templates', body), 422, 'validation_failed', f);
      }
      expectError(await call('POST', '/api/v1/shift-templates', { ...ok, colour: 'red' }), 422, 'validation_failed');
      assert.deepEqual(await templates(), before, 'nothing created');
    });
  });

  describe('shifts', () => {
    test('manual shift: create, read, assign, unassign, move; sequence grows on each change', async () => {
      const day = '2027-04-05';
      const a = await mkShift({ station_id: st.YL.id, counsellor_id: cs[0].id, start: T(day, '09:00'), end: T(day, '12:00'), note: '上午值班' });
      assert.ok(Number.isInteger(a.id) && a.id > 0);
      assert.equal(a.station_id, st.YL.id);
      assert.equal(a.counsellor_id, cs[0].id);
      assert.equal(a.start, T(day, '09:00'));
      assert.equal(a.end, T(day, '12:00'));
      assert.equal(a.status, 'planned');
      assert.equal(a.origin, 'manual');
      assert.equal(a.template_id ?? null, null);
      assert.equal(a.note, '上午值班');
      assert.ok(Number.isInteger(a.sequence), `sequence: ${a.sequence}`);
      assert.deepEqual(await getShift(a.id), a);

      // An open slot, then assigned, unassigned, moved, confirmed, noted.
      const o = await mkShift({ station_id: st.NY.id, start: T(day, '14:00'), end: T(day, '18:00') }, 'open slot');
      assert.equal(o.counsellor_id, null, 'no counsellor: an open slot');
      const open = await shiftsOn(day, day, '&open=true');
      assert.deepEqual(open.items.map((x) => x.id), [o.id], 'open=true lists only unassigned');
      let seq = o.sequence;
      const step = async (patch, check, what) => {
        const r = await call('PATCH', `/api/v1/shifts/${o.id}`, patch);
        expectStatus(r, 200, what);
        check(r.body);
        assert.ok(r.body.sequence > seq, `${what}: sequence grows (${seq} → ${r.body.sequence})`);
        seq = r.body.sequence;
        assert.deepEqual(await getShift(o.id), r.body, `${what}: GET answers the same`);
      };
      await step({ counsellor_id: cs[1].id }, (x) => assert.equal(x.counsellor_id, cs[1].id), 'assign');
      await step({ counsellor_id: null }, (x) => assert.equal(x.counsellor_id, null), 'unassign');
      await step({ counsellor_id: cs[1].id }, (x) => assert.equal(x.counsellor_id, cs[1].id), 'assign again');
      await step({ start: T('2027-04-06', '14:00'), end: T('2027-04-06', '17:30') }, (x) => {
        assert.equal(x.start, T('2027-04-06', '14:00'));
        assert.equal(x.end, T('2027-04-06', '17:30'));
        assert.equal(x.counsellor_id, cs[1].id);
      }, 'move');
      await step({ station_id: st.FT.id }, (x) => assert.equal(x.station_id, st.FT.id), 'move station');
      await step({ status: 'confirmed' }, (x) => assert.equal(x.status, 'confirmed'), 'confirm');
      await step({ note: '已确认' }, (x) => assert.equal(x.note, '已确认'), 'note');

      // Filters and order.
      const byC = await shiftsOn('2027-04-01', '2027-04-30', `&counsellor_id=${cs[1].id}`);
      assert.deepEqual(byC.items.map((x) => x.id), [o.id]);
      const bySt = await shiftsOn(day, day, `&station_id=${st.YL.id}`);
      assert.deepEqual(bySt.items.map((x) => x.id), [a.id]);
      const conf = await shiftsOn('2027-04-01', '2027-04-30', '&status=confirmed');
      assert.deepEqual(conf.items.map((x) => x.id), [o.id]);
      const both = await shiftsOn('2027-04-05', '2027-04-06');
      const starts = both.items.map((x) => Date.parse(x.start));
      assert.deepEqual(starts, [...starts].sort((x, y) => x - y), 'ordered by start');
      assert.equal((await shiftsOn('2027-04-07')).total, 0, 'to is a date: the next day is outside');
    });

    test('shift validation → 422 on the field; unknown ids → 404; nothing created', async () => {
      const day = '2027-04-09';
      const before = await shiftsOn(day);
      const ok = { station_id: st.FT.id, counsellor_id: cs[2].id, start: T(day, '09:00'), end: T(day, '12:00') };
      const bad = [
        [{ end: T(day, '08:00') }, 'end'],
        [{ end: T(day, '09:00') }, 'end'],
        [{ end: T('2027-04-10', '09:01') }, 'end'],
        [{ start: 'tomorrow' }, 'start'],
        [{ station_id: 999999 }, 'station_id'],
        [{ counsellor_id: 999999 }, 'counsellor_id'],
        [{ status: 'done' }, 'status'],
        [{ note: 'n'.repeat(201) }, 'note'],
      ];
      const wrong = [];
      for (const [patch, field] of bad) {
        const r = await call('POST', '/api/v1/shifts', { ...ok, ...patch });
        try { expectError(r, 422, 'validation_failed', field); } catch { wrong.push(`${JSON.stringify(patch)} → ${r.status} ${r.text.slice(0, 160)}`); }
      }
      assert.deepEqual(wrong, [], 'each bad shift answers 422 naming the field');
      for (const f of ['station_id', 'start', 'end']) {
        const body = { ...ok }; delete body[f];
        expectError(await call('POST', '/api/v1/shifts', body), 422, 'validation_failed', f);
      }
      assert.deepEqual(await shiftsOn(day), before, 'nothing created');
      // Exactly 24 hours is allowed.
      await mkShift({ ...ok, end: T('2027-04-10', '09:00') }, '24 hours');
      expectError(await call('GET', '/api/v1/shifts/999999'), 404, 'not_found');
      expectError(await call('PATCH', '/api/v1/shifts/999999', { note: 'x' }), 404, 'not_found');
      expectError(await call('DELETE', '/api/v1/shifts/999999'), 404, 'not_found');
    });

    test('overlap for one counsellor → 409 type overlap with shift_id; rejected writes change nothing', async () => {
      const day = '2027-04-12';
      const A = cs[3].id;
      const s1 = await mkShift({ station_id: st.YL.id, counsellor_id: A, start: T(day, '09:00'), end: T(day, '12:00') });
      const snapshot = await shiftsOn(day);
      const cf = conflicts(await call('POST', '/api/v1/shifts',
        { station_id: st.NY.id, counsellor_id: A, start: T(day, '11:00'), end: T(day, '13:00') }), 'overlapping create');
      assert.equal(cf[0].type, 'overlap');
      assert.equal(cf[0].shift_id, s1.id);
      assert.equal(cf[0].station_name, st.YL.name);
      assert.equal(Date.parse(cf[0].start), Date.parse(s1.start));
      assert.equal(Date.parse(cf[0].end), Date.parse(s1.end));
      // Inside, around, same station: all clash.
      conflicts(await call('POST', '/api/v1/shifts', { station_id: st.YL.id, counsellor_id: A, start: T(day, '10:00'), end: T(day, '11:00') }), 'inside');
      conflicts(await call('POST', '/api/v1/shifts', { station_id: st.FT.id, counsellor_id: A, start: T(day, '08:00'), end: T(day, '13:00') }), 'around');
      assert.deepEqual(await shiftsOn(day), snapshot, 'rejected creates saved nothing');

      // Touching is fine; moving or assigning into the clash is not.
      const s2 = await mkShift({ station_id: st.NY.id, counsellor_id: A, start: T(day, '12:00'), end: T(day, '14:00') }, 'touching');
      const open = await mkShift({ station_id: st.FT.id, start: T(day, '10:30'), end: T(day, '11:30') }, 'open');
      const snap2 = await shiftsOn(day);
      const mv = conflicts(await call('PATCH', `/api/v1/shifts/${s2.id}`, { start: T(day, '11:30') }), 'move into');
      assert.equal(mv[0].type, 'overlap');
      assert.equal(mv[0].shift_id, s1.id);
      const as = conflicts(await call('PATCH', `/api/v1/shifts/${open.id}`, { counsellor_id: A }), 'assign into');
      assert.equal(as[0].type, 'overlap');
      assert.equal(as[0].shift_id, s1.id);
      assert.deepEqual(await shiftsOn(day), snap2, 'rejected PATCHes changed nothing (sequence included)');

      // A cancelled shift does not count.
      expectStatus(await call('PATCH', `/api/v1/shifts/${s2.id}`, { status: 'cancelled' }), 200, 'cancel s2');
      await mkShift({ station_id: st.ML.id, counsellor_id: A, start: T(day, '12:30'), end: T(day, '13:30') }, 'over a cancelled shift');
    });

    test('leave → 409 type leave with availability_id; availability lists affected shifts', async () => {
      const day = '2027-04-13';
      const C = cs[6].id;
      const early = await mkShift({ station_id: st.FT.id, counsellor_id: C, start: T(day, '08:00'), end: T(day, '09:00') });
      const av = await call('POST', '/api/v1/availability', { counsellor_id: C, start: T(day, '00:00'), end: T('2027-04-14', '00:00'), reason: '请假' });
      expectStatus(av, 201, 'create leave');
      assert.ok(Number.isInteger(av.body.id));
      assert.equal(av.body.counsellor_id, C);
      assert.equal(av.body.reason, '请假');
      assert.deepEqual(av.body.affected_shift_ids, [early.id], 'the shift already assigned is listed');
      assert.equal((await getShift(early.id)).counsellor_id, C, 'the affected shift is not changed');
      const la = await call('GET', `/api/v1/availability?counsellor_id=${C}`);
      expectStatus(la, 200);
      assert.deepEqual(la.body.items.map((x) => x.id), [av.body.id]);

      const snap = await shiftsOn(day);
      const cf = conflicts(await call('POST', '/api/v1/shifts', { station_id: st.YL.id, counsellor_id: C, start: T(day, '09:00'), end: T(day, '12:00') }), 'on leave');
      assert.equal(cf[0].type, 'leave');
      assert.equal(cf[0].availability_id, av.body.id);
      assert.equal(cf[0].reason, '请假');
      const open = await mkShift({ station_id: st.YL.id, start: T(day, '14:00'), end: T(day, '17:00') }, 'open');
      const cf2 = conflicts(await call('PATCH', `/api/v1/shifts/${open.id}`, { counsellor_id: C }), 'assign on leave');
      assert.equal(cf2[0].type, 'leave');
      assert.equal((await getShift(open.id)).counsellor_id, null);
      assert.equal((await shiftsOn(day)).total, snap.total + 1, 'only the open slot was added');
      // The day after the leave is fine.
      await mkShift({ station_id: st.YL.id, counsellor_id: C, start: T('2027-04-14', '09:00'), end: T('2027-04-14', '12:00') }, 'after leave');
    });

    test('max_weekly_hours: 8 × 3 h fit 24 h, the 9th in that ISO week → 409 max_hours', async () => {
      const D = cs.find((c) => c.max_weekly_hours === 24);
      assert.ok(D, 'a demo counsellor with 24 hours');
      const days = ['2027-04-19', '2027-04-20', '2027-04-21', '2027-04-22']; // 2027-W16, Mon–Thu
      const made = [];
      for (const d of days) {
        made.push(await mkShift({ station_id: st.HF.id, counsellor_id: D.id, start: T(d, '09:00'), end: T(d, '12:00') }, `${d} am`));
        made.push(await mkShift({ station_id: st.HF.id, counsellor_id: D.id, start: T(d, '13:00'), end: T(d, '16:00') }, `${d} pm`));
      }
      const snap = await shiftsOn('2027-04-19', '2027-04-25');
      const cf = conflicts(await call('POST', '/api/v1/shifts',
        { station_id: st.HF.id, counsellor_id: D.id, start: T('2027-04-23', '09:00'), end: T('2027-04-23', '12:00') }), '9th shift');
      assert.equal(cf[0].type, 'max_hours');
      assert.equal(cf[0].week, '2027-W16');
      assert.equal(cf[0].hours, 27);
      assert.equal(cf[0].max, 24);
      // Sunday is the same ISO week; lengthening a shift by an hour too.
      assert.equal(conflicts(await call('POST', '/api/v1/shifts',
        { station_id: st.HF.id, counsellor_id: D.id, start: T('2027-04-25', '09:00'), end: T('2027-04-25', '10:00') }), 'sunday')[0].type, 'max_hours');
      const ext = conflicts(await call('PATCH', `/api/v1/shifts/${made[7].id}`, { end: T('2027-04-22', '17:00') }), 'lengthen');
      assert.equal(ext[0].type, 'max_hours');
      assert.equal(ext[0].hours, 25);
      assert.deepEqual(await shiftsOn('2027-04-19', '2027-04-25'), snap, 'rejected writes changed nothing');
      // The next ISO week starts afresh.
      await mkShift({ station_id: st.HF.id, counsellor_id: D.id, start: T('2027-04-26', '09:00'), end: T('2027-04-26', '12:00') }, 'next week');
    });

    test('an inactive counsellor → 409 type inactive', async () => {
      const c = await call('POST', '/api/v1/counsellors', { name: '停用咨询师', email: 'inactive-shift@example.org' });
      expectStatus(c, 201);
      expectStatus(await call('DELETE', `/api/v1/counsellors/${c.body.id}`), 200, 'deactivate');
      const day = '2027-04-14';
      const snap = await shiftsOn(day);
      const cf = conflicts(await call('POST', '/api/v1/shifts', { station_id: st.LH.id, counsellor_id: c.body.id, start: T(day, '09:00'), end: T(day, '12:00') }), 'inactive');
      assert.equal(cf[0].type, 'inactive');
      const open = await mkShift({ station_id: st.LH.id, start: T(day, '14:00'), end: T(day, '17:00') }, 'open');
      assert.equal(conflicts(await call('PATCH', `/api/v1/shifts/${open.id}`, { counsellor_id: c.body.id }), 'assign inactive')[0].type, 'inactive');
      assert.equal((await getShift(open.id)).counsellor_id, null);
      assert.equal((await shiftsOn(day)).total, snap.total + 1);
    });

    test('swap exchanges counsellors; a swap that would overlap → 409 and nothing changes', async () => {
      const A = cs[7].id, B = cs[8].id;
      const s1 = await mkShift({ station_id: st.YL.id, counsellor_id: A, start: T('2027-05-03', '09:00'), end: T('2027-05-03', '12:00') });
      const s2 = await mkShift({ station_id: st.NY.id, counsellor_id: B, start: T('2027-05-04', '14:00'), end: T('2027-05-04', '17:00') });
      const r = await call('POST', '/api/v1/shifts/swap', { shift_ids: [s1.id, s2.id] });
      expectStatus(r, 200, 'swap');
      const n1 = await getShift(s1.id), n2 = await getShift(s2.id);
      assert.equal(n1.counsellor_id, B, 'first shift now B');
      assert.equal(n2.counsellor_id, A, 'second shift now A');
      assert.equal(n1.start, s1.start, 'times kept');
      assert.equal(n2.station_id, st.NY.id, 'stations kept');
      assert.ok(n1.sequence > s1.sequence && n2.sequence > s2.sequence, 'sequence grows on both');

      const d = '2027-05-05';
      const s3 = await mkShift({ station_id: st.YL.id, counsellor_id: A, start: T(d, '09:00'), end: T(d, '12:00') });
      const s4 = await mkShift({ station_id: st.NY.id, counsellor_id: B, start: T(d, '10:00'), end: T(d, '13:00') });
      const s5 = await mkShift({ station_id: st.FT.id, counsellor_id: A, start: T(d, '12:30'), end: T(d, '14:00') });
      const snap = await shiftsOn(d);
      const cf = conflicts(await call('POST', '/api/v1/shifts/swap', { shift_ids: [s3.id, s4.id] }), 'overlapping swap');
      assert.ok(cf.some((x) => x.type === 'overlap' && x.shift_id === s5.id), `names the clash with s5: ${JSON.stringify(cf)}`);
      assert.deepEqual(await shiftsOn(d), snap, 'nothing changed');

      const before = await shiftsOn('2027-05-01', '2027-05-31');
      expectError(await call('POST', '/api/v1/shifts/swap', { shift_ids: [s3.id] }), 422, 'validation_failed');
      expectError(await call('POST', '/api/v1/shifts/swap', { shift_ids: [s3.id, s3.id] }), 422, 'validation_failed');
      expectError(await call('POST', '/api/v1/shifts/swap', { shift_ids: [s3.id, s4.id, s5.id] }), 422, 'validation_failed');
      const unknown = await call('POST', '/api/v1/shifts/swap', { shift_ids: [s3.id, 999999] });
      assert.ok([404, 422].includes(unknown.status), `unknown shift: 404 or 422, got ${unknown.status} ${unknown.text}`);
      assert.deepEqual(await shiftsOn('2027-05-01', '2027-05-31'), before, 'rejected swaps changed nothing');
    });

    test('DELETE: a manual shift is gone; a generated one becomes cancelled and is not regenerated', async () => {
      const day = '2027-05-10'; // a Monday
      const m = await mkShift({ station_id: st.FB.id, counsellor_id: cs[9].id, start: T(day, '15:00'), end: T(day, '16:00') });
      const d = await call('DELETE', `/api/v1/shifts/${m.id}`);
      assert.ok(d.status === 200 || d.status === 204, `DELETE manual: ${d.status} ${d.text}`);
      expectError(await call('GET', `/api/v1/shifts/${m.id}`), 404, 'not_found');
      assert.ok(!(await shiftsOn(day)).items.some((x) => x.id === m.id));

      const t = await call('POST', '/api/v1/shift-templates', { station_id: st.FB.id, weekdays: [1], start: '09:00', end: '12:00', required: 1 });
      expectStatus(t, 201, 'template');
      const g = await call('POST', '/api/v1/rosters/generate', { from: day, to: day, station_ids: [st.FB.id] });
      assert.ok(g.status === 200 || g.status === 201, `generate: ${g.status} ${g.text.slice(0, 300)}`);
      assert.equal(g.body.created, 1, `one slot: ${g.text.slice(0, 300)}`);
      const gen = (await shiftsOn(day, day, `&station_id=${st.FB.id}`)).items;
      assert.equal(gen.length, 1);
      const x = gen[0];
      assert.equal(x.origin, 'generated');
      assert.equal(x.template_id, t.body.id);
      assert.equal(x.start, T(day, '09:00'));
      assert.equal(x.end, T(day, '12:00'));
      assert.ok(Number.isInteger(x.counsellor_id), 'filled');

      const dg = await call('DELETE', `/api/v1/shifts/${x.id}`);
      assert.ok(dg.status === 200 || dg.status === 204, `DELETE generated: ${dg.status} ${dg.text}`);
      const after = await getShift(x.id);
      assert.equal(after.status, 'cancelled');
      assert.ok(after.sequence > x.sequence, 'sequence grows');
      const g2 = await call('POST', '/api/v1/rosters/generate', { from: day, to: day, station_ids: [st.FB.id] });
      assert.ok(g2.status === 200 || g2.status === 201, `generate again: ${g2.status} ${g2.text.slice(0, 300)}`);
      assert.equal(g2.body.created, 0, 'the cancelled slot is not brought back');
      const again = (await shiftsOn(day, day, `&station_id=${st.FB.id}`)).items;
      assert.deepEqual(again, [after]);
      const dt = await call('DELETE', `/api/v1/shift-templates/${t.body.id}`);
      assert.ok(dt.status === 200 || dt.status === 204, `deactivate template: ${dt.status}`);
    });
  });
});
