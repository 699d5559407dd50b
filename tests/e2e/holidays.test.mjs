// Holidays and make-up workdays (调休): CRUD, the unique date, filters,
// and the iCalendar import (summary decides the kind, ?kind= forces it,
// re-import updates, malformed files and wrong media types save nothing)
// — docs/api.md "Rosters / Holidays".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login, root } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const FIXTURE = join(root, 'tests/fixtures/holidays-2025-e2e.ics');
const OFFICIAL = join(root, 'tests/fixtures/holidays-cn-2025.ics');

const addDays = (date, n) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
};
const range = (from, to) => { const out = []; for (let d = from; d <= to; d = addDays(d, 1)) out.push(d); return out; };

// A minimal iCalendar file of all-day events: [uid, start, endExclusive, summary].
function ics(events) {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hearth tests//holidays//ZH'];
  for (const [uid, a, b, summary] of events) {
    lines.push('BEGIN:VEVENT', `UID:${uid}@hearth.test`, 'DTSTAMP:20241112T080000Z',
      `DTSTART;VALUE=DATE:${a.replaceAll('-', '')}`, `DTEND;VALUE=DATE:${b.replaceAll('-', '')}`,
      `SUMMARY:${summary}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

describe('holidays', () => {
  let s, token;
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const all = async (query = '') => {
    const r = await call('GET', `/api/v1/holidays?limit=500${query}`);
    expectStatus(r, 200, 'list holidays');
    assert.equal(r.body.total, r.body.items.length, 'all listed');
    return r.body;
  };
  const byDate = async (query = '') => Object.fromEntries((await all(query)).items.map((h) => [h.date, h]));
  const importIcs = (text, query = '', type = 'text/calendar; charset=utf-8') =>
    call('POST', `/api/v1/holidays/import${query}`, undefined, { raw: text, headers: { 'content-type': type } });
  const expectImported = (r, what) => {
    assert.ok(r.status === 200 || r.status === 201, `${what}: 200 or 201, got ${r.status} ${r.text.slice(0, 300)}`);
    assert.ok(Number.isInteger(r.body?.created) && Number.isInteger(r.body?.updated) && Array.isArray(r.body?.items),
      `${what}: {created, updated, items}: ${r.text.slice(0, 300)}`);
    return r.body;
  };

  before(async () => {
    s = await startServer();
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('POST creates a holiday: 201, fields echoed; GET answers the same', async () => {
    const r = await call('POST', '/api/v1/holidays', { date: '2027-05-03', kind: 'holiday', name: '劳动节' });
    expectStatus(r, 201, 'create');
    const h = r.body;
    assert.ok(Number.isInteger(h.id) && h.id > 0);
    assert.equal(h.date, '2027-05-03');
    assert.equal(h.kind, 'holiday');
    assert.equal(h.name, '劳动节');
    const g = await call('GET', `/api/v1/holidays/${h.id}`);
    expectStatus(g, 200, 'get');
    assert.deepEqual(g.body, h);
  });

  test('a make-up workday defaults to as_weekday 1 (Monday); an explicit one is kept', async () => {
    const w = await call('POST', '/api/v1/holidays', { date: '2027-05-08', kind: 'workday', name: '劳动节 调休上班' });
    expectStatus(w, 201, 'workday');
    assert.equal(w.body.kind, 'workday');
    assert.equal(w.body.as_weekday, 1);
    const f = await call('POST', '/api/v1/holidays', { date: '2027-05-09', kind: 'workday', name: '调休 (周五)', as_weekday: 5 });
    expectStatus(f, 201, 'workday as Friday');
    assert.equal(f.body.as_weekday, 5);
  });

  test('a date is unique: 409 conflict; nothing created', async () => {
    expectStatus(await call('POST', '/api/v1/holidays', { date: '2027-10-01', kind: 'holiday', name: '国庆节' }), 201);
    const before = await all();
    const r = await call('POST', '/api/v1/holidays', { date: '2027-10-01', kind: 'workday', name: 'again' });
    expectError(r, 409, 'conflict');
    assert.ok(r.body.error.field === undefined || r.body.error.field === 'date', `field is date: ${r.text}`);
    assert.deepEqual(await all(), before);
    // PATCHing another row onto a taken date clashes as well.
    const other = await call('POST', '/api/v1/holidays', { date: '2027-10-02', kind: 'holiday', name: '国庆节' });
    expectStatus(other, 201);
    expectError(await call('PATCH', `/api/v1/holidays/${other.body.id}`, { date: '2027-10-01' }), 409, 'conflict');
    assert.equal((await call('GET', `/api/v1/holidays/${other.body.id}`)).body.date, '2027-10-02');
  });

  test('validation: date, kind, name, as_weekday, unknown field → 422; nothing created', async () => {
    const before = await all();
    const ok = { date: '2027-06-14', kind: 'holiday', name: '端午节' };
    expectError(await call('POST', '/api/v1/holidays', { ...ok, date: '2027-02-30' }), 422, 'validation_failed', 'date');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, date: '14/06/2027' }), 422, 'validation_failed', 'date');
    expectError(await call('POST', '/api/v1/holidays', { kind: 'holiday', name: 'x' }), 422, 'validation_failed', 'date');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, kind: 'party' }), 422, 'validation_failed', 'kind');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, kind: 'workday', as_weekday: 8 }), 422, 'validation_failed', 'as_weekday');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, kind: 'workday', as_weekday: 0 }), 422, 'validation_failed', 'as_weekday');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, name: 7 }), 422, 'validation_failed', 'name');
    expectError(await call('POST', '/api/v1/holidays', { ...ok, colour: 'red' }), 422, 'validation_failed');
    assert.deepEqual(await all(), before, 'nothing created');
  });

  test('PATCH, DELETE, 404s', async () => {
    const c = await call('POST', '/api/v1/holidays', { date: '2027-04-05', kind: 'holiday', name: '清明' });
    expectStatus(c, 201);
    const p = await call('PATCH', `/api/v1/holidays/${c.body.id}`, { name: '清明节' });
    expectStatus(p, 200, 'patch');
    assert.equal(p.body.name, '清明节');
    assert.equal(p.body.date, '2027-04-05');
    assert.equal(p.body.kind, 'holiday');
    const k = await call('PATCH', `/api/v1/holidays/${c.body.id}`, { kind: 'workday' });
    expectStatus(k, 200, 'patch kind');
    assert.equal(k.body.kind, 'workday');
    assert.equal(k.body.as_weekday, 1, 'a workday defaults to Monday');
    expectError(await call('PATCH', `/api/v1/holidays/${c.body.id}`, { kind: 'party' }), 422, 'validation_failed', 'kind');
    assert.deepEqual((await call('GET', `/api/v1/holidays/${c.body.id}`)).body, k.body, 'rejected PATCH changed nothing');
    const d = await call('DELETE', `/api/v1/holidays/${c.body.id}`);
    assert.ok(d.status === 200 || d.status === 204, `DELETE: 200 or 204, got ${d.status} ${d.text}`);
    expectError(await call('GET', `/api/v1/holidays/${c.body.id}`), 404, 'not_found');
    expectError(await call('DELETE', `/api/v1/holidays/${c.body.id}`), 404, 'not_found');
    expectError(await call('PATCH', '/api/v1/holidays/999999', { name: 'x' }), 404, 'not_found');
    expectError(await call('GET', '/api/v1/holidays/abc'), 404, 'not_found');
    // The date is free again.
    expectStatus(await call('POST', '/api/v1/holidays', { date: '2027-04-05', kind: 'holiday', name: '清明节' }), 201);
  });

  test('import the 2025 notice: days off → holiday, 班 days → workday (as_weekday 1); counts', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const r = expectImported(await importIcs(text), 'import');
    const offSpring = range('2025-01-28', '2025-02-04');
    const offNational = range('2025-10-01', '2025-10-08');
    const work = ['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11'];
    assert.equal(offSpring.length, 8);
    assert.equal(r.created, offSpring.length + offNational.length + work.length, `created: ${JSON.stringify(r)}`.slice(0, 400));
    assert.equal(r.updated, 0);
    assert.equal(r.items.length, 20, 'one item per date');

    const h = await byDate('&year=2025');
    assert.deepEqual(Object.keys(h).sort(), [...offSpring, ...offNational, ...work].sort(), 'exactly the dates of the file');
    for (const d of [...offSpring, ...offNational]) assert.equal(h[d].kind, 'holiday', `${d} is a holiday`);
    for (const d of work) {
      assert.equal(h[d].kind, 'workday', `${d} is a make-up workday`);
      assert.equal(h[d].as_weekday, 1, `${d} is staffed like Monday`);
    }
    const spring = Object.values(h).filter((x) => x.kind === 'holiday' && x.name.includes('春节'));
    assert.equal(spring.length, 8, 'Spring Festival: 8 holiday days');
    assert.ok(h['2025-10-03'].name.includes('国庆'), `name from the summary: ${h['2025-10-03'].name}`);
    // Filters: from/to (inclusive) and year.
    const feb = await all('&from=2025-02-01&to=2025-02-28');
    assert.deepEqual(feb.items.map((x) => x.date).sort(), ['2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04', '2025-02-08']);
    const y2027 = await all('&year=2027');
    assert.ok(y2027.items.length > 0 && y2027.items.every((x) => x.date.startsWith('2027-')), 'year=2027 lists only 2027');
  });

  test('re-import updates instead of duplicating, and restores edited rows', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const before = await byDate('&year=2025');
    assert.equal(Object.keys(before).length, 20, 'the first import is in place');
    // Edit one imported row; the re-import puts it back.
    const oct8 = before['2025-10-08'];
    expectStatus(await call('PATCH', `/api/v1/holidays/${oct8.id}`, { kind: 'workday', name: 'edited' }), 200);
    const r = expectImported(await importIcs(text), 're-import');
    assert.equal(r.created, 0, `nothing new: ${r.created}`);
    assert.equal(r.updated, 20, `every date updated: ${r.updated}`);
    const after = await byDate('&year=2025');
    assert.equal(Object.keys(after).length, 20, 'no duplicates');
    for (const [d, x] of Object.entries(before)) {
      assert.equal(after[d].id, x.id, `${d} keeps its id`);
      assert.equal(after[d].kind, x.kind, `${d} kind`);
    }
    assert.equal(after['2025-10-08'].kind, 'holiday');
    assert.ok(after['2025-10-08'].name.includes('国庆'));
  });

  test('?kind=workday / ?kind=holiday force the kind regardless of the summary', async () => {
    const r = expectImported(await importIcs(ics([['force-w', '2026-02-14', '2026-02-16', '春节 休']]), '?kind=workday'), 'kind=workday');
    assert.equal(r.created, 2);
    const h = await byDate('&from=2026-02-14&to=2026-02-15');
    assert.equal(h['2026-02-14'].kind, 'workday');
    assert.equal(h['2026-02-15'].kind, 'workday');
    assert.equal(h['2026-02-14'].as_weekday, 1);
    const r2 = expectImported(await importIcs(ics([['force-h', '2026-02-28', '2026-03-01', '春节 班']]), '?kind=holiday'), 'kind=holiday');
    assert.equal(r2.created, 1);
    assert.equal((await byDate('&from=2026-02-28&to=2026-02-28'))['2026-02-28'].kind, 'holiday');
    // A summary with neither 班 nor 休 is a holiday.
    expectImported(await importIcs(ics([['plain', '2026-04-05', '2026-04-06', '清明节']])), 'plain summary');
    assert.equal((await byDate('&from=2026-04-05&to=2026-04-05'))['2026-04-05'].kind, 'holiday');
    const bad = await importIcs(ics([['x', '2026-05-01', '2026-05-02', '劳动节']]), '?kind=party');
    expectError(bad, 422, 'validation_failed');
  });

  test('a malformed file answers 422 and saves nothing', async () => {
    const before = await all();
    expectError(await importIcs('this is not an iCalendar file\r\n'), 422, 'validation_failed');
    const unterminated = await importIcs('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:unterminated\r\n');
    expectError(unterminated, 422, 'validation_failed');
    // The parser's detail is Chinese too: the line and what is wrong there.
    assert.match(unterminated.body.error.message, /第 4 行：缺少 END:VEVENT/);
    // One good event and one ending before it starts: all or nothing.
    const mixed = ics([['good', '2028-01-01', '2028-01-02', '元旦 休'], ['bad', '2028-01-10', '2028-01-08', '春节 休']]);
    expectError(await importIcs(mixed), 422, 'validation_failed');
    assert.deepEqual(await all(), before, 'nothing saved');
    assert.equal((await all('&year=2028')).total, 0, 'the good event of the bad file was not saved');
  });

  test('a body that is not text/calendar answers 415; nothing saved', async () => {
    const before = await all();
    const text = ics([['ct', '2028-05-01', '2028-05-02', '劳动节 休']]);
    expectError(await importIcs(text, '', 'application/json'), 415, 'unsupported_media_type');
    expectError(await importIcs(text, '', 'text/plain'), 415, 'unsupported_media_type');
    assert.deepEqual(await all(), before, 'nothing saved');
  });

  test('the official 2025 notice fixture imports: 28 days off, 5 make-up workdays', async (t) => {
    if (!existsSync(OFFICIAL)) { t.skip('tests/fixtures/holidays-cn-2025.ics not present'); return; }
    const s2 = await startServer();
    try {
      const tk = await login(s2.url);
      const r = await api(s2.url, 'POST', '/api/v1/holidays/import', { token: tk, raw: readFileSync(OFFICIAL, 'utf8'), headers: { 'content-type': 'text/calendar' } });
      assert.ok(r.status === 200 || r.status === 201, `import: ${r.status} ${r.text.slice(0, 300)}`);
      const l = await api(s2.url, 'GET', '/api/v1/holidays?limit=500&year=2025', { token: tk });
      const off = l.body.items.filter((x) => x.kind === 'holiday').map((x) => x.date);
      const work = l.body.items.filter((x) => x.kind === 'workday').map((x) => x.date).sort();
      assert.equal(off.length, 28, `days off: ${off.join(' ')}`);
      assert.deepEqual(work, ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
      for (const d of range('2025-01-28', '2025-02-04')) assert.ok(off.includes(d), `${d} off`);
    } finally {
      await s2.stop();
    }
  });
});
