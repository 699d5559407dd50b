// Holidays in one go and coverage from the first roster (issue 13,
// point 8): a range of days in one request, edit and delete; the official
// calendar shipped in data/ offered on first use and imported
// idempotently; an event moved or created onto a day off answers with a
// warning; coverage counts only from the first day a station had a
// roster — docs/api.md "Holidays" and "Generation and coverage".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

describe('holidays and coverage', () => {
  let s, token;
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  before(async () => {
    s = await startServer();
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('the shipped calendar: offered, imported once, the coordinator\'s own days kept', async () => {
    const g = await call('GET', '/api/v1/holidays/official');
    expectStatus(g, 200, 'offer');
    assert.equal(g.body.missing, 52, '2026: 33 days off and 6 make-up working days; 2027: 13 statutory days off');
    assert.equal(g.body.kept, 0);
    assert.deepEqual(g.body.years.map((y) => [y.year, y.complete]), [[2026, true], [2027, false]]);
    assert.equal((await call('GET', '/api/v1/holidays?year=2026')).body.items.length, 0, 'looking writes nothing');
    // one day the coordinator already set otherwise
    expectStatus(await call('POST', '/api/v1/holidays', { date: '2026-10-08', kind: 'holiday', name: '区里补休' }), 201);
    const p = await call('POST', '/api/v1/holidays/official');
    expectStatus(p, 200, 'import');
    assert.equal(p.body.created, 52);
    const y26 = Object.fromEntries((await call('GET', '/api/v1/holidays?year=2026')).body.items.map((h) => [h.date, h]));
    assert.equal(y26['2026-02-14'].kind, 'workday', '春节调休上班');
    assert.equal(y26['2026-02-15'].kind, 'holiday');
    assert.equal(y26['2026-02-23'].kind, 'holiday');
    assert.equal(y26['2026-02-28'].kind, 'workday');
    assert.equal(y26['2026-01-04'].kind, 'workday');
    assert.equal(y26['2026-10-07'].name, '国庆节（休）');
    assert.equal(y26['2026-10-10'].kind, 'workday');
    assert.equal(y26['2026-10-08'].name, '区里补休', 'untouched');
    assert.equal(Object.values(y26).filter((h) => h.kind === 'workday').length, 6);
    expectStatus(await call('PATCH', `/api/v1/holidays/${y26['2026-05-05'].id}`, { name: '劳动节（本区照常值班）', kind: 'workday' }), 200);
    const again = await call('POST', '/api/v1/holidays/official');
    assert.equal(again.body.created, 0, 'idempotent');
    assert.equal(again.body.kept, 52);
    assert.equal((await call('GET', `/api/v1/holidays/${y26['2026-05-05'].id}`)).body.kind, 'workday', 'an edit survives');
    assert.equal((await call('GET', '/api/v1/holidays/official')).body.missing, 0, 'nothing left to offer');
  });

  test('a range in one request: created, then updated; delete one day', async () => {
    const r = await call('POST', '/api/v1/holidays/range', { from: '2028-01-24', to: '2028-02-01', kind: 'holiday', name: '春节' });
    expectStatus(r, 200, 'range');
    assert.equal(r.body.created, 9);
    assert.equal(r.body.items.length, 9);
    const w = await call('POST', '/api/v1/holidays/range', { from: '2028-01-22', to: '2028-01-22', kind: 'workday', name: '春节调休', as_weekday: 5 });
    assert.equal(w.body.items[0].as_weekday, 5);
    const u = await call('POST', '/api/v1/holidays/range', { from: '2028-01-30', to: '2028-02-02', kind: 'holiday', name: '春节假期' });
    assert.equal(u.body.created, 1);
    assert.equal(u.body.updated, 3);
    const items = (await call('GET', '/api/v1/holidays?from=2028-01-01&to=2028-02-28')).body.items;
    assert.equal(items.length, 11);
    assert.equal(items.find((h) => h.date === '2028-01-31').name, '春节假期');
    expectStatus(await call('DELETE', `/api/v1/holidays/${items[0].id}`), 204);
    expectError(await call('POST', '/api/v1/holidays/range', { from: '2028-02-01', to: '2028-01-01', kind: 'holiday' }), 422, 'validation_failed', 'to');
    expectError(await call('POST', '/api/v1/holidays/range', { from: '2028-01-01', to: '2028-06-01', kind: 'holiday' }), 422, 'validation_failed', 'to');
    expectError(await call('POST', '/api/v1/holidays/range', { from: '2028-01-01', to: '2028-01-02', kind: 'vacation' }), 422, 'validation_failed', 'kind');
    expectError(await call('POST', '/api/v1/holidays/range', { from: '2028-13-01', to: '2028-01-02', kind: 'holiday' }), 422, 'validation_failed', 'from');
    const before = (await call('GET', '/api/v1/holidays?from=2028-01-01&to=2028-12-31')).body.items.length;
    assert.equal(before, 10, 'refused ranges wrote nothing');
  });

  test('an event created or moved onto a day off answers with a warning', async () => {
    const ev = await call('POST', '/api/v1/events', { kind: 'lecture', title: '国庆心理讲座', venue: '三楼', start: '2027-10-02T09:00:00+08:00', end: '2027-10-02T11:00:00+08:00' });
    expectStatus(ev, 201, 'event on a holiday');
    assert.equal(ev.body.warning.code, 'holiday');
    assert.match(ev.body.warning.message, /10月2日（周六）（国庆节（休））/);
    assert.deepEqual(ev.body.warning.dates, ['2027-10-02']);
    const moved = await call('POST', `/api/v1/events/${ev.body.id}/reschedule`, { start: '2027-10-11T09:00:00+08:00', end: '2027-10-11T11:00:00+08:00', reason: '避开假期' });
    expectStatus(moved, 200);
    assert.equal(moved.body.warning, undefined, 'a working day: no warning');
    const back = await call('POST', `/api/v1/events/${ev.body.id}/reschedule`, { start: '2027-09-15T14:00:00+08:00', end: '2027-09-15T16:00:00+08:00', reason: '改回' });
    expectStatus(back, 200, 'back onto a holiday');
    assert.match(back.body.warning.message, /中秋节/);
    const patched = await call('PATCH', `/api/v1/events/${ev.body.id}`, { title: '中秋心理讲座' });
    assert.equal(patched.body.warning.code, 'holiday');
  });

  test('coverage counts only from the first day a station had a roster', async () => {
    const st = (await call('POST', '/api/v1/stations', { code: 'COVST', name: '覆盖测试工作点', kind: 'street' })).body;
    expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st.id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' }), 201);
    const q = `/api/v1/rosters/coverage?from=2027-03-01&to=2027-03-31&station_id=${st.id}`;
    let cov = await call('GET', q);
    expectStatus(cov, 200);
    assert.equal(cov.body.days.reduce((a, d) => a + d.required, 0), 0, 'no roster yet: nothing was required');
    let act = await call('GET', '/api/v1/reports/actuals?from=2027-03-01&to=2027-03-31');
    assert.equal(act.body.coverage.required, 0);
    const c = (await call('POST', '/api/v1/counsellors', { name: '覆盖老师', email: 'cov@example.org', home_station_id: st.id })).body;
    expectStatus(await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c.id, start: '2027-03-15T09:00:00+08:00', end: '2027-03-15T12:00:00+08:00' }), 201);
    cov = await call('GET', q);
    const days = cov.body.days.filter((d) => d.required > 0).map((d) => d.date);
    assert.equal(days[0], '2027-03-15', 'from the first rostered day');
    assert.equal(days.length, 13, 'the working days 15–31 March');
    act = await call('GET', '/api/v1/reports/actuals?from=2027-03-01&to=2027-03-31');
    assert.equal(act.body.coverage.required, 13);
    assert.equal(act.body.coverage.assigned, 1);
  });
});
