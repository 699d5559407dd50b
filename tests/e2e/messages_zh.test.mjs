// Every error a user can read is Chinese (issue 13): a handful of wrong
// requests per route family, each answered with the contract's error
// (code and field unchanged) whose message has Chinese characters and no
// English sentence. The source-level check is tests/unit/reply_zh.test.mjs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const HAN = /[\u3400-\u9fff]/;
// An English sentence: two English words in a row, quotes and field
// names (snake_case) and format examples aside.
function english(m) {
  const bare = m.replace(/“[^”]*”|"[^"]*"|（[^）]*）|\([^)]*\)/g, ' ')
    .replace(/\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g, ' ');
  return /\b[A-Za-z][a-z]+[ ,;:]+[a-z]{2,}\b/.test(bare);
}

describe('error messages in Chinese, route by route', () => {
  let s, token;
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const seen = [];
  const zh = (r, status, code, field, what) => {
    expectError(r, status, code, field);
    const m = r.body.error.message;
    assert.match(m, HAN, `${what}: a Chinese message, got ${JSON.stringify(m)}`);
    assert.ok(!english(m), `${what}: no English sentence, got ${JSON.stringify(m)}`);
    seen.push(what);
    return m;
  };
  let station, counsellor;

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    station = (await call('GET', '/api/v1/stations?limit=1')).body.items[0];
    counsellor = (await call('GET', '/api/v1/counsellors?limit=1')).body.items[0];
  });
  after(async () => { await s?.stop(); });

  test('stations and counsellors', async () => {
    zh(await call('POST', '/api/v1/stations', { code: 'zh_tz', name: '时区站', kind: 'hall', timezone: 'Mars/Olympus' }),
      422, 'validation_failed', 'timezone', 'station: unknown zone');
    const m = zh(await call('POST', '/api/v1/stations', { code: station.code, name: '重名站', kind: 'hall' }),
      409, 'conflict', 'code', 'station: code taken');
    assert.ok(m.includes(station.code), 'names the code that is taken');
    zh(await call('GET', '/api/v1/stations/999999'), 404, 'not_found', undefined, 'station: none');
    zh(await call('POST', '/api/v1/counsellors', { name: '新咨询师', email: 'new.zh@example.org', home_station_id: 999999 }),
      422, 'validation_failed', 'home_station_id', 'counsellor: home station');
  });

  test('shifts, templates, rosters and swaps', async () => {
    zh(await call('POST', '/api/v1/shifts', { station_id: 999999, start: '2026-03-02T09:00:00+08:00', end: '2026-03-02T12:00:00+08:00' }),
      422, 'validation_failed', 'station_id', 'shift: station');
    zh(await call('POST', '/api/v1/shifts', { station_id: station.id, counsellor_id: 999999, start: '2026-03-02T09:00:00+08:00', end: '2026-03-02T12:00:00+08:00' }),
      422, 'validation_failed', 'counsellor_id', 'shift: counsellor');
    zh(await call('POST', '/api/v1/shifts', { station_id: station.id, start: '2026-03-02T09:00:00+08:00', end: '2026-03-03T12:00:00+08:00' }),
      422, 'validation_failed', 'end', 'shift: longer than a day');
    zh(await call('POST', '/api/v1/shift-templates', { station_id: station.id, weekdays: [], start: '09:00', end: '12:00' }),
      422, 'validation_failed', 'weekdays', 'template: no day');
    zh(await call('POST', '/api/v1/shift-templates', { station_id: station.id, weekdays: [1], start: '12:00', end: '09:00' }),
      422, 'validation_failed', 'end', 'template: end before start');
    zh(await call('POST', '/api/v1/rosters/generate', { from: '2026-03-09', to: '2026-03-01' }),
      422, 'validation_failed', 'to', 'roster: to before from');
    zh(await call('POST', '/api/v1/rosters/generate', { to: '2026-03-01' }),
      422, 'validation_failed', 'from', 'roster: no from');
    zh(await call('POST', '/api/v1/shifts/swap', { shift_ids: [1] }),
      422, 'validation_failed', 'shift_ids', 'swap: one shift');
  });

  test('plans and reports', async () => {
    zh(await call('POST', '/api/v1/plans', { name: '计划', from: '2026-03-09', to: '2026-03-01', targets: {} }),
      422, 'validation_failed', 'to', 'plan: to before from');
    zh(await call('POST', '/api/v1/plans', { name: '计划', from: '2026-01-01', to: '2026-03-01', targets: { nosuchkind: 3 } }),
      422, 'validation_failed', 'targets', 'plan: targets');
    zh(await call('DELETE', '/api/v1/plans/999999'), 404, 'not_found', undefined, 'plan: none');
    zh(await call('GET', '/api/v1/reports/actuals?from=2026-13-01'), 422, 'validation_failed', 'from', 'report: from');
    zh(await call('GET', '/api/v1/reports/actuals?from=2026-03-01&to=2020-01-01'), 422, 'validation_failed', 'to', 'report: to before from');
  });

  test('holidays and calendars', async () => {
    expectStatus(await call('POST', '/api/v1/holidays', { date: '2030-05-01', kind: 'holiday', name: '劳动节' }), 201, 'a holiday');
    const m = zh(await call('POST', '/api/v1/holidays', { date: '2030-05-01', kind: 'holiday', name: '劳动节' }),
      409, 'conflict', 'date', 'holiday: date taken');
    assert.ok(m.includes('2030-05-01'));
    zh(await call('DELETE', '/api/v1/holidays/999999'), 404, 'not_found', undefined, 'holiday: none');
    zh(await call('GET', '/api/v1/holidays?year=3000'), 422, 'validation_failed', 'year', 'holiday: year');
    zh(await call('POST', '/api/v1/holidays/import', undefined, { raw: 'not a calendar', headers: { 'content-type': 'text/calendar' } }),
      422, 'validation_failed', 'file', 'holiday: not an ics');
  });

  test('robots, feeds, audit and surveys', async () => {
    zh(await call('PUT', `/api/v1/stations/${station.id}/robots/fax`, { webhook: 'x' }), 404, 'not_found', undefined, 'robot: channel');
    zh(await call('GET', '/api/v1/audit?entity=' + 'x'.repeat(40)), 422, 'validation_failed', 'entity', 'audit: entity');
    zh(await call('GET', '/api/v1/feeds/info?feed=nosuch'), 404, 'not_found', 'feed', 'feed: none');
    zh(await call('POST', '/api/v1/survey-templates', { name: '问卷', questions: [
      { id: 'a', type: 'choice', text: '选一个', options: [{ id: 'x', text: 'X' }] }] }),
    422, 'validation_failed', 'questions[0]', 'survey: one option');
    zh(await call('POST', '/api/v1/survey-templates', { name: '问卷', questions: [
      { id: 'Bad Id', type: 'text', text: '说说' }] }),
    422, 'validation_failed', 'questions[0]', 'survey: bad id');
    zh(await call('POST', '/api/v1/survey-templates', { name: '问卷', questions: [
      { id: 'a', type: 'text', text: '说说' }, { id: 'a', type: 'text', text: '再说' }] }),
    422, 'validation_failed', 'questions', 'survey: id repeats');
  });

  test('self service of a counsellor', async () => {
    const acc = await call('POST', `/api/v1/counsellors/${counsellor.id}/account`, { username: 'zh_msg', password: 'Xk9!pq-long-enough-pass' });
    expectStatus(acc, 201, 'account');
    zh(await call('POST', `/api/v1/counsellors/${counsellor.id}/account`, { username: 'zh_msg', password: 'Xk9!pq-long-enough-pass' }),
      409, 'conflict', 'username', 'account: username taken');
    const ct = await login(s.url, 'zh_msg', 'Xk9!pq-long-enough-pass');
    const r = await api(s.url, 'POST', '/api/v1/me/availability', { token: ct,
      body: { counsellor_id: counsellor.id + 100000, start: '2030-01-01T09:00:00+08:00', end: '2030-01-01T12:00:00+08:00', kind: 'leave' } });
    zh(r, 403, 'forbidden', 'counsellor_id', 'me: leave of another');
  });

  test('events, cases, duty and indicators', async () => {
    zh(await call('POST', '/api/v1/events', { kind: 'training', title: '培训', station_id: station.id, venue: '会议室',
      start: '2026-03-02T12:00:00+08:00', end: '2026-03-02T09:00:00+08:00' }), 422, 'validation_failed', 'end', 'event: end before start');
    zh(await call('GET', '/api/v1/events/999999'), 404, 'not_found', undefined, 'event: none');
    zh(await call('POST', '/api/v1/cases', { label: 'zhangsan', opened_on: '2026-03-02' }), 422, 'validation_failed', 'label', 'case: a name as label');
    zh(await call('POST', '/api/v1/duty-metrics', { code: 'Bad-Code', name: '来访', unit: '人次' }), 422, 'validation_failed', 'code', 'duty: metric code');
    zh(await call('PATCH', '/api/v1/indicators/999999', { note: '说明' }), 422, 'validation_failed', 'note', 'indicator: unknown field');
  });

  test('every family was walked', () => {
    assert.ok(seen.length >= 30, `${seen.length} wrong requests walked`);
  });
});
