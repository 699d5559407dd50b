// Duty metrics and duty logs (值班记录) end to end, against the real
// binary: who may read and write which log, every bad input refused with
// nothing written, the close of a month and the coordinator's audited
// correction, a year of logs summing exactly in GET /reports/duty by
// station, counsellor and month (and in its CSV and XLSX), and the one
// reminder 12 hours after a shift through a real SMTP server on
// 127.0.0.1, time moved by the fake clock.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startServer, api, login, run, dbFor } from '../lib/harness.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { clearOfMidnight } from '../lib/wallclock.mjs';
import { expectError, expectStatus, uniqueCode } from './util.mjs';

const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

const MIN = 60e3;
const HOUR = 3600e3;
const DAY = 86400e3;
const SHANGHAI = 8 * HOUR; // no daylight saving since 1991
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// "2023-05-01" → the UTC instant of that day's local hh:mm in Shanghai.
const local = (day, hh = 9, mm = 0) => Date.parse(`${day}T00:00:00Z`) + hh * HOUR + mm * MIN - SHANGHAI;
const dayOf = (ms) => new Date(ms + SHANGHAI).toISOString().slice(0, 10);
const monthOf = (ms) => new Date(ms + SHANGHAI).toISOString().slice(0, 7);
// What the console and the exports print: hours with two decimals,
// rounded half up in integers (as svc/core duty_hours_format).
const hours = (minutes) => {
  const c = Math.floor((minutes * 100 + 30) / 60);
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
};

const DEFAULT_CODES = ['batches', 'visitors', 'calmed', 'interventions', 'counselling_minutes', 'consultations',
  'mediations', 'legal_referrals', 'crisis', 'staff_counselled', 'scale_sas', 'scale_sds', 'scale_ssrs'];

async function setup({ smtp = false } = {}) {
  const mail = smtp ? await startSmtp() : null;
  if (mail) cleanups.push(() => mail.close());
  const s = await startServer({
    env: {
      HEARTH_FAKE_CLOCK: '1',
      HEARTH_MAIL_FROM: 'studio@example.org',
      HEARTH_SMTP_STARTTLS: 'off',
      HEARTH_MAIL_RATE: '6000',
      ...(mail ? { HEARTH_SMTP_HOST: '127.0.0.1', HEARTH_SMTP_PORT: String(mail.port) } : {}),
    },
  });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const as = (tok) => (method, path, body) => api(s.url, method, path, { token: tok, body });
  const call = as(token);
  const anon = as(undefined);
  const clock = async (ms) => expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(ms) }), 200);
  return { s, mail, token, call, anon, as, clock };
}

async function station(call, name, kind = 'street') {
  const r = await call('POST', '/api/v1/stations', { code: uniqueCode('D'), name, kind });
  expectStatus(r, 201);
  return r.body;
}

// A counsellor with a sign-in; returns {id, name, call}.
async function counsellor(ctx, name, email, { account = true } = {}) {
  const r = await ctx.call('POST', '/api/v1/counsellors', { name, email, max_weekly_hours: 60 });
  expectStatus(r, 201);
  const c = r.body;
  if (account) {
    const user = `u${c.id}x${process.pid}`;
    expectStatus(await ctx.call('POST', `/api/v1/counsellors/${c.id}/account`, { username: user, password: 'duty-password-1' }), 201);
    c.token = await login(ctx.s.url, user, 'duty-password-1');
    c.call = ctx.as(c.token);
  }
  return c;
}

async function shift(call, stationId, counsellorId, start, end) {
  const r = await call('POST', '/api/v1/shifts', { station_id: stationId, counsellor_id: counsellorId, start: iso(start), end: iso(end) });
  expectStatus(r, 201, 'create shift');
  return r.body;
}

async function logCount(call, query = '') {
  const r = await call('GET', `/api/v1/duty-logs?limit=500${query}`);
  expectStatus(r, 200);
  return r.body.total;
}

async function auditOf(call, shiftId) {
  const r = await call('GET', `/api/v1/audit?entity=duty_log&entity_id=${shiftId}`);
  expectStatus(r, 200);
  return r.body.items;
}

/* ------------------------------------------------------------ metrics */

test('duty metrics: counsellors read them, a coordinator edits them; bad codes write nothing; delete retires a used metric', async () => {
  const ctx = await setup();
  const { call, anon } = ctx;
  const st = await station(call, '指标测试街道');
  const a = await counsellor(ctx, '甲老师', 'jia@example.org');

  expectError(await anon('GET', '/api/v1/duty-metrics'), 401, 'unauthorized');
  const list = await a.call('GET', '/api/v1/duty-metrics');
  expectStatus(list, 200);
  assert.deepEqual(list.body.items.map((m) => m.code), DEFAULT_CODES, 'the 13 defaults in order');
  const minutes = list.body.items.find((m) => m.code === 'counselling_minutes');
  assert.deepEqual([minutes.name, minutes.unit, minutes.active], ['心理疏导时长', '分钟', true]);

  // Only a coordinator writes; the counsellor's tries change nothing.
  expectError(await a.call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '热线', unit: '人次' }), 403, 'forbidden');
  expectError(await a.call('PATCH', '/api/v1/duty-metrics/visitors', { name: 'x' }), 403, 'forbidden');
  expectError(await a.call('DELETE', '/api/v1/duty-metrics/visitors'), 403, 'forbidden');
  expectError(await anon('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '热线', unit: '人次' }), 401, 'unauthorized');

  for (const code of ['Hotline', '1st', '_x', 'a-b', 'a b', '热线', 'x'.repeat(33), '']) {
    expectError(await call('POST', '/api/v1/duty-metrics', { code, name: '热线', unit: '人次' }), 422, 'validation_failed', 'code');
  }
  expectError(await call('POST', '/api/v1/duty-metrics', { code: 'hotline', unit: '人次' }), 422, 'validation_failed', 'name');
  expectError(await call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '热线', unit: '' }), 422, 'validation_failed', 'unit');
  expectError(await call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '热线', unit: '人次', position: -1 }), 422, 'validation_failed', 'position');
  expectError(await call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '热线', unit: '人次', colour: 'red' }), 422, 'validation_failed', 'colour');
  assert.equal((await call('GET', '/api/v1/duty-metrics')).body.total, 13, 'nothing was added');

  const made = await call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '心理热线', unit: '人次' });
  expectStatus(made, 201);
  assert.equal(made.body.position, 14, 'appended after the last');
  assert.equal(made.headers.get('location'), '/api/v1/duty-metrics/hotline');
  expectError(await call('POST', '/api/v1/duty-metrics', { code: 'hotline', name: '重复', unit: '人' }), 409, 'conflict', 'code');

  // Rename and reorder; the code stays.
  const renamed = await call('PATCH', '/api/v1/duty-metrics/hotline', { name: '心理援助热线', position: 0 });
  expectStatus(renamed, 200);
  assert.equal(renamed.body.name, '心理援助热线');
  assert.equal((await call('GET', '/api/v1/duty-metrics')).body.items[0].code, 'hotline', 'position 0 comes first');
  expectError(await call('PATCH', '/api/v1/duty-metrics/hotline', { code: 'hotline2' }), 422, 'validation_failed', 'code');
  expectError(await call('PATCH', '/api/v1/duty-metrics/hotline', { name: '' }), 422, 'validation_failed', 'name');
  expectError(await call('PATCH', '/api/v1/duty-metrics/nosuch', { name: 'x' }), 404, 'not_found');
  expectError(await call('PATCH', '/api/v1/duty-metrics/NoSuch', { name: 'x' }), 404, 'not_found');

  // A metric with values is retired, one without is deleted.
  const sh = await shift(call, st.id, a.id, Date.now() - 5 * HOUR, Date.now() - 2 * HOUR);
  expectStatus(await a.call('PUT', `/api/v1/shifts/${sh.id}/log`, { attended: true, values: { hotline: 3, visitors: 2 } }), 200);
  const del = await call('DELETE', '/api/v1/duty-metrics/hotline');
  expectStatus(del, 200);
  assert.deepEqual([del.body.code, del.body.active, del.body.used], ['hotline', false, true]);
  const unused = await call('DELETE', '/api/v1/duty-metrics/scale_ssrs');
  expectStatus(unused, 204);
  expectError(await call('DELETE', '/api/v1/duty-metrics/scale_ssrs'), 404, 'not_found');
  const all = (await call('GET', '/api/v1/duty-metrics')).body.items.map((m) => m.code);
  assert.ok(all.includes('hotline') && !all.includes('scale_ssrs'));
  const active = (await a.call('GET', '/api/v1/duty-metrics?active=true')).body.items.map((m) => m.code);
  assert.ok(!active.includes('hotline'), 'a retired metric is not offered');
  // A retired metric takes no new values, but its old ones stay.
  expectError(await a.call('PUT', `/api/v1/shifts/${sh.id}/log`, { attended: true, values: { hotline: 1 } }), 422, 'validation_failed', 'values.hotline');
  const kept = await a.call('PUT', `/api/v1/shifts/${sh.id}/log`, { attended: true, values: { visitors: 5 } });
  expectStatus(kept, 200);
  assert.deepEqual(kept.body.values, { visitors: 5, hotline: 3 });
  // Back in service.
  const back = await call('PATCH', '/api/v1/duty-metrics/hotline', { active: true });
  expectStatus(back, 200);
  assert.equal(back.body.active, true);
  const audit = (await call('GET', '/api/v1/audit?entity=duty_metric')).body.items.map((x) => x.action);
  assert.deepEqual(audit.slice(0, 5), ['update', 'delete', 'deactivate', 'update', 'create']);
});

/* ------------------------------------------------------------ the log */

test('a shift\'s log: the counsellor of the shift or a coordinator; bad input answers 4xx and writes nothing', async () => {
  const ctx = await setup();
  const { call, anon } = ctx;
  const st = await station(call, '值班测试街道');
  const a = await counsellor(ctx, '赵老师', 'zhao@example.org');
  const b = await counsellor(ctx, '钱老师', 'qian@example.org');
  const now = Date.now();
  const past = await shift(call, st.id, a.id, now - 6 * HOUR, now - 3 * HOUR);
  const running = await shift(call, st.id, a.id, now - HOUR, now + 2 * HOUR);
  const future = await shift(call, st.id, a.id, now + 2 * DAY, now + 2 * DAY + 3 * HOUR);
  const cancelled = await shift(call, st.id, a.id, now - 2 * DAY, now - 2 * DAY + 3 * HOUR);
  expectStatus(await call('PATCH', `/api/v1/shifts/${cancelled.id}`, { status: 'cancelled' }), 200);
  const open = await shift(call, st.id, null, now - 3 * DAY, now - 3 * DAY + 3 * HOUR);
  const bs = await shift(call, st.id, b.id, now - 6 * HOUR, now - 3 * HOUR);
  const good = { attended: true, values: { visitors: 12, counselling_minutes: 95 }, note: '情绪平稳，已转介法律咨询' };

  // Nobody signed in: 401.
  expectError(await anon('GET', `/api/v1/shifts/${past.id}/log`), 401, 'unauthorized');
  expectError(await anon('PUT', `/api/v1/shifts/${past.id}/log`, good), 401, 'unauthorized');
  expectError(await anon('GET', '/api/v1/duty-logs'), 401, 'unauthorized');

  // Before anything is written the log reads as not logged.
  const empty = await a.call('GET', `/api/v1/shifts/${past.id}/log`);
  expectStatus(empty, 200);
  assert.equal(empty.body.logged, false);
  assert.equal(empty.body.attended, null);
  assert.deepEqual(empty.body.values, {});
  assert.equal(empty.body.editable, true);

  // Another counsellor: 403 both ways.
  expectError(await b.call('GET', `/api/v1/shifts/${past.id}/log`), 403, 'forbidden');
  expectError(await b.call('PUT', `/api/v1/shifts/${past.id}/log`, good), 403, 'forbidden');
  expectError(await a.call('PUT', `/api/v1/shifts/${bs.id}/log`, good), 403, 'forbidden');
  expectError(await a.call('PUT', `/api/v1/shifts/${open.id}/log`, good), 403, 'forbidden');
  expectError(await a.call('PUT', '/api/v1/shifts/999999/log', good), 404, 'not_found');

  // Bad input, each 4xx naming its field.
  const bad = [
    [{ attended: true, values: { visitors: -1 } }, 'values.visitors'],
    [{ attended: true, values: { visitors: 1.5 } }, 'values.visitors'],
    [{ attended: true, values: { visitors: 2.0 } }, 'values.visitors'], // JSON 2.0 is not an integer
    [{ attended: true, values: { visitors: '12' } }, 'values.visitors'],
    [{ attended: true, values: { visitors: 100001 } }, 'values.visitors'],
    [{ attended: true, values: { petitioners: 3 } }, 'values.petitioners'],
    [{ attended: true, values: { 姓名: 1 } }, 'values'],
    [{ attended: true, values: [1, 2] }, 'values'],
    [{ attended: false, values: { visitors: 1 } }, 'values'],
    [{ values: { visitors: 1 } }, 'attended'],
    [{ attended: 'yes' }, 'attended'],
    [{ attended: true, note: 'x'.repeat(201) }, 'note'],
    [{ attended: true, note: 'a\u0007b' }, 'note'],
    [{ attended: true, petitioner_name: '张三' }, 'petitioner_name'],
  ];
  for (const [body, field] of bad) {
    const raw = JSON.stringify(body).replace('"visitors":2}', '"visitors":2.0}');
    const r = await api(ctx.s.url, 'PUT', `/api/v1/shifts/${past.id}/log`, { token: undefined, raw, headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` } });
    expectError(r, 422, 'validation_failed', field);
  }
  const notJson = await api(ctx.s.url, 'PUT', `/api/v1/shifts/${past.id}/log`, { raw: '{"attended": tru', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` } });
  expectError(notJson, 400, 'bad_request');
  expectError(await a.call('PUT', `/api/v1/shifts/${future.id}/log`, good), 422, 'validation_failed', 'start');
  expectError(await a.call('PUT', `/api/v1/shifts/${cancelled.id}/log`, good), 409, 'conflict');
  expectError(await call('PUT', `/api/v1/shifts/${cancelled.id}/log`, good), 409, 'conflict');
  expectError(await call('PUT', `/api/v1/shifts/${open.id}/log`, good), 409, 'conflict', 'counsellor_id');
  assert.equal(await logCount(call), 0, 'nothing was written');
  assert.equal((await auditOf(call, past.id)).length, 0, 'nothing audited');

  // The counsellor's own log; a running shift may be logged too.
  const w = await a.call('PUT', `/api/v1/shifts/${past.id}/log`, good);
  expectStatus(w, 200);
  assert.equal(w.body.logged, true);
  assert.equal(w.body.attended, true);
  assert.deepEqual(w.body.values, good.values);
  assert.equal(w.body.note, good.note);
  assert.equal(w.body.counsellor_id, a.id);
  assert.equal(w.body.shift_id, past.id);
  for (const k of ['shift_id', 'station_id', 'counsellor_id', 'start', 'end', 'attended', 'values', 'note', 'updated_at']) {
    assert.ok(k in w.body, `the log has ${k}`);
  }
  expectStatus(await a.call('PUT', `/api/v1/shifts/${running.id}/log`, { attended: true, values: { batches: 1 } }), 200);
  // Rewriting one's own log needs no reason until the close.
  const again = await a.call('PUT', `/api/v1/shifts/${past.id}/log`, { ...good, values: { visitors: 13 } });
  expectStatus(again, 200);
  assert.deepEqual(again.body.values, { visitors: 13 }, 'a PUT replaces the values');
  expectStatus(await b.call('PUT', `/api/v1/shifts/${bs.id}/log`, { attended: false }), 200);

  // Lists: the coordinator sees all, a counsellor only their own.
  assert.equal(await logCount(call), 3);
  assert.equal(await logCount(a.call), 2);
  assert.equal(await logCount(b.call), 1);
  assert.equal(await logCount(call, `&counsellor_id=${b.id}`), 1);
  assert.equal(await logCount(call, `&station_id=${st.id}`), 3);
  expectError(await a.call('GET', `/api/v1/duty-logs?counsellor_id=${b.id}`), 403, 'forbidden');
  expectError(await call('GET', '/api/v1/duty-logs?missing=maybe'), 422, 'validation_failed', 'missing');
  expectError(await call('GET', '/api/v1/duty-logs?from=2023-02-30'), 422, 'validation_failed', 'from');
  const mine = (await a.call('GET', '/api/v1/duty-logs')).body;
  assert.ok(mine.items.every((x) => x.counsellor_id === a.id));
  assert.equal(mine.closed_through, null);

  // An absent counsellor's log takes no values and drops the old ones.
  const absent = await a.call('PUT', `/api/v1/shifts/${running.id}/log`, { attended: false });
  expectStatus(absent, 200);
  assert.equal(absent.body.attended, false);
  assert.deepEqual(absent.body.values, {});

  // A coordinator correcting what a counsellor wrote gives a reason.
  expectError(await call('PUT', `/api/v1/shifts/${past.id}/log`, { attended: true, values: { visitors: 14 } }), 422, 'validation_failed', 'reason');
  assert.deepEqual((await call('GET', `/api/v1/shifts/${past.id}/log`)).body.values, { visitors: 13 }, 'unchanged');
  const fixed = await call('PUT', `/api/v1/shifts/${past.id}/log`, { attended: true, values: { visitors: 14 }, reason: '核对登记簿后更正人数' });
  expectStatus(fixed, 200);
  assert.equal(fixed.body.counsellor_id, a.id, 'still the counsellor who was on duty');
  assert.equal(fixed.body.entered_by, 'admin');
  const trail = await auditOf(call, past.id);
  assert.deepEqual(trail.map((x) => x.action), ['correct', 'update', 'create']);
  assert.equal(trail[0].detail.reason, '核对登记簿后更正人数');
  assert.deepEqual(trail[0].detail.before.values, { visitors: 13 });
  assert.deepEqual(trail[0].detail.values, { visitors: 14 });

  // The missing list: ended, staffed, not cancelled, no log.
  const late = await shift(call, st.id, b.id, now - 30 * HOUR, now - 27 * HOUR);
  const missing = (await call('GET', '/api/v1/duty-logs?missing=1')).body.items.map((x) => x.shift_id);
  assert.deepEqual(missing, [late.id], 'not the cancelled one, not the open seat, not the future one');
  assert.deepEqual((await b.call('GET', '/api/v1/duty-logs?missing=1')).body.items.map((x) => x.shift_id), [late.id]);
  assert.deepEqual((await a.call('GET', '/api/v1/duty-logs?missing=1')).body.items, []);

  // A logged shift has happened: it is not cancelled or deleted.
  expectError(await call('PATCH', `/api/v1/shifts/${past.id}`, { status: 'cancelled' }), 409, 'conflict');
  expectError(await call('DELETE', `/api/v1/shifts/${past.id}`), 409, 'conflict');
  expectStatus(await call('PATCH', `/api/v1/shifts/${past.id}`, { note: '已核对' }), 200);
});

/* ------------------------------------------------------------ closing */

test('closing: logs through a day become read-only for counsellors; a coordinator still corrects one, with a reason, audited', async () => {
  await clearOfMidnight(); // "before today" is the server's today: one day through the test
  const ctx = await setup();
  const { call } = ctx;
  const st = await station(call, '关账测试街道');
  const a = await counsellor(ctx, '孙老师', 'sun@example.org');
  const now = Date.now();
  const today = dayOf(now);
  const yesterday = dayOf(now - DAY);
  const old = await shift(call, st.id, a.id, local(dayOf(now - 3 * DAY), 9), local(dayOf(now - 3 * DAY), 12));
  const oldMissing = await shift(call, st.id, a.id, local(dayOf(now - 4 * DAY), 9), local(dayOf(now - 4 * DAY), 12));
  expectStatus(await a.call('PUT', `/api/v1/shifts/${old.id}/log`, { attended: true, values: { visitors: 4 } }), 200);

  expectError(await a.call('POST', '/api/v1/duty-logs/close', { through: yesterday }), 403, 'forbidden');
  expectError(await call('POST', '/api/v1/duty-logs/close', { through: today }), 422, 'validation_failed', 'through');
  expectError(await call('POST', '/api/v1/duty-logs/close', { through: '2023-02-30' }), 422, 'validation_failed', 'through');
  expectError(await call('POST', '/api/v1/duty-logs/close', {}), 422, 'validation_failed', 'through');
  assert.equal((await call('GET', '/api/v1/duty-logs')).body.closed_through, null, 'nothing closed by the refusals');

  const closeDay = dayOf(now - 2 * DAY);
  const closed = await call('POST', '/api/v1/duty-logs/close', { through: closeDay });
  expectStatus(closed, 200);
  assert.deepEqual(closed.body, { through: closeDay, previous: null });
  assert.equal((await a.call('GET', '/api/v1/duty-logs')).body.closed_through, closeDay);

  const view = await a.call('GET', `/api/v1/shifts/${old.id}/log`);
  expectStatus(view, 200);
  assert.equal(view.body.closed, true);
  assert.equal(view.body.editable, false, 'read-only for the counsellor');
  const refused = await a.call('PUT', `/api/v1/shifts/${old.id}/log`, { attended: true, values: { visitors: 5 } });
  expectError(refused, 409, 'conflict');
  assert.match(refused.body.error.message, /已关账/);
  assert.match(refused.body.error.message, new RegExp(closeDay));
  // A missing log of a closed day cannot be added late either.
  expectError(await a.call('PUT', `/api/v1/shifts/${oldMissing.id}/log`, { attended: true }), 409, 'conflict');

  // The coordinator corrects it, and must say why.
  const cview = await call('GET', `/api/v1/shifts/${old.id}/log`);
  assert.equal(cview.body.editable, true);
  assert.equal(cview.body.reason_required, true);
  expectError(await call('PUT', `/api/v1/shifts/${old.id}/log`, { attended: true, values: { visitors: 5 } }), 422, 'validation_failed', 'reason');
  expectError(await call('PUT', `/api/v1/shifts/${old.id}/log`, { attended: true, values: { visitors: 5 }, reason: '   ' }), 422, 'validation_failed', 'reason');
  assert.deepEqual((await call('GET', `/api/v1/shifts/${old.id}/log`)).body.values, { visitors: 4 });
  const fixed = await call('PUT', `/api/v1/shifts/${old.id}/log`, { attended: true, values: { visitors: 5 }, reason: '月末核对' });
  expectStatus(fixed, 200);
  assert.deepEqual(fixed.body.values, { visitors: 5 });
  const trail = await auditOf(call, old.id);
  assert.equal(trail[0].action, 'correct');
  assert.equal(trail[0].detail.reason, '月末核对');
  assert.deepEqual(trail[0].detail.before.values, { visitors: 4 });
  // A coordinator's first log of a closed day needs a reason too.
  expectError(await call('PUT', `/api/v1/shifts/${oldMissing.id}/log`, { attended: false }), 422, 'validation_failed', 'reason');
  expectStatus(await call('PUT', `/api/v1/shifts/${oldMissing.id}/log`, { attended: false, reason: '当日请假，补记缺席' }), 200);

  // Shifts after the close stay open to the counsellor.
  const fresh = await shift(call, st.id, a.id, local(yesterday, 9), local(yesterday, 12));
  expectStatus(await a.call('PUT', `/api/v1/shifts/${fresh.id}/log`, { attended: true }), 200);
  const closeAudit = (await call('GET', '/api/v1/audit?entity=duty_logs')).body.items;
  assert.equal(closeAudit[0].action, 'close');
  assert.equal(closeAudit[0].detail.through, closeDay);
});

/* ------------------------------------------------------------ a year */

// A small deterministic generator (mulberry32), so every run logs the
// same year.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inBatches(items, n, fn) {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
}

// CSV as RFC 4180 (quotes, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// One file of a zip: `unzip -p` when the machine has it, else node's zlib
// through the central directory (stored or deflated entries).
function unzipFile(buf, name, path) {
  if (existsSync('/usr/bin/unzip')) return execFileSync('/usr/bin/unzip', ['-p', path, name]).toString('utf8');
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip');
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const nameLen = buf.readUInt16LE(p + 28);
    const entry = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (entry === name) {
      const at = buf.readUInt32LE(p + 42);
      const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
      const data = buf.subarray(start, start + buf.readUInt32LE(p + 20));
      return buf.readUInt16LE(p + 10) === 0 ? data.toString('utf8') : inflateRawSync(data).toString('utf8');
    }
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return null;
}

// The cells of a worksheet: {"B3": {v, f, t}}; shared strings resolved.
function readSheet(sheetXml, sharedXml) {
  const shared = [...(sharedXml || '').matchAll(/<si>(.*?)<\/si>/gs)].map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((x) => x[1]).join(''))
    .map((s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
  const cells = {};
  for (const m of sheetXml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const attrs = m[2];
    const body = m[3] || '';
    const t = /t="(\w+)"/.exec(attrs)?.[1];
    const v = /<v>(.*?)<\/v>/s.exec(body)?.[1];
    const f = /<f>(.*?)<\/f>/s.exec(body)?.[1];
    cells[m[1]] = { t, f, v: t === 's' ? shared[Number(v)] : v === undefined ? undefined : Number(v) };
  }
  return cells;
}

const colName = (i) => { let s = ''; for (i += 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s; return s; };

test('a year of logs made through the API sums exactly in GET /reports/duty by station, counsellor and month, and in its CSV and XLSX', async () => {
  const ctx = await setup();
  const { call } = ctx;
  const stations = [
    await station(call, '区信访局人民来访接待大厅', 'hall'),
    await station(call, '福田街道'),
    await station(call, '=HYPERLINK("http://x","点我")'), // a name a spreadsheet would run
  ];
  const people = [];
  for (const [i, n] of ['林晓岚', '陈思远', '黄若溪', '张明哲'].entries()) people.push(await counsellor(ctx, n, `year${i}@example.org`, { account: false }));
  const rand = rng(20230101);
  const plan = [];
  // Every other day of 2023 at each station, plus the edges of the year
  // and of months in local time.
  for (let d = 0; d < 365; d += 2) {
    const day = dayOf(Date.parse('2023-01-01T04:00:00Z') + d * DAY);
    stations.forEach((st, k) => plan.push({ st, who: people[(d / 2 * 3 + k) % 4], start: local(day, 9 + k), hoursLong: 3 }));
  }
  plan.push({ st: stations[0], who: people[0], start: local('2023-01-01', 0, 30), hoursLong: 1 }); // 2022-12-31 16:30Z: January
  plan.push({ st: stations[1], who: people[1], start: local('2023-03-31', 23, 0), hoursLong: 2 }); // ends in April: March
  plan.push({ st: stations[0], who: people[2], start: local('2023-12-31', 23, 0), hoursLong: 1 }); // December, the last hour
  const outside = [
    { st: stations[0], who: people[3], start: local('2022-12-31', 23, 30), hoursLong: 1, out: true },
    { st: stations[1], who: people[3], start: local('2024-01-01', 0, 0), hoursLong: 1, out: true },
  ];
  const made = [];
  await inBatches([...plan, ...outside], 8, async (p) => {
    const sh = await shift(call, p.st.id, p.who.id, p.start, p.start + p.hoursLong * HOUR);
    made.push({ ...p, id: sh.id });
  });
  // Most shifts logged with small counts, some absent, some missing, one
  // cancelled; a few logged after the seat was emptied.
  const exp = { station: new Map(), counsellor: new Map(), month: new Map() };
  const totals = {};
  let shifts = 0, logged = 0, absent = 0, missing = 0;
  const bump = (map, key) => {
    if (!map.has(key)) map.set(key, { values: {}, shifts: 0, logged: 0, absent: 0, missing: 0 });
    return map.get(key);
  };
  made.sort((x, y) => x.id - y.id);
  const jobs = [];
  for (const p of made) {
    const r = rand();
    const inYear = !p.out;
    if (r < 0.01) { p.kind = 'cancel'; jobs.push(() => call('PATCH', `/api/v1/shifts/${p.id}`, { status: 'cancelled' }).then((x) => expectStatus(x, 200))); continue; }
    if (r < 0.05) p.kind = 'missing';
    else if (r < 0.08) p.kind = 'absent';
    else p.kind = 'log';
    if (p.kind !== 'missing') {
      const values = {};
      if (p.kind === 'log') {
        const batches = Math.floor(rand() * 4);
        const visitors = batches + Math.floor(rand() * 5);
        const calmed = Math.floor(rand() * (visitors + 1));
        Object.assign(values, { batches, visitors, calmed, interventions: Math.floor(rand() * (calmed + 1)), counselling_minutes: Math.floor(rand() * 181) });
        if (rand() < 0.2) values.scale_sas = 1 + Math.floor(rand() * 2);
        if (rand() < 0.1) values.crisis = 1;
      }
      p.values = values;
      jobs.push(() => call('PUT', `/api/v1/shifts/${p.id}/log`, { attended: p.kind === 'log', values, note: rand() < 0.1 ? '家属陪同来访' : '' })
        .then((x) => expectStatus(x, 200, `log of ${p.id}`)));
    }
    if (!inYear) continue;
    const keys = { station: p.st.id, counsellor: p.who.id, month: monthOf(p.start) };
    for (const by of Object.keys(exp)) {
      const g = bump(exp[by], keys[by]);
      g.shifts++;
      if (p.kind === 'missing') g.missing++;
      else {
        g.logged++;
        if (p.kind === 'absent') g.absent++;
        for (const [k, v] of Object.entries(p.values)) g.values[k] = (g.values[k] || 0) + v;
      }
    }
    shifts++;
    if (p.kind === 'missing') missing++;
    else {
      logged++;
      if (p.kind === 'absent') absent++;
      for (const [k, v] of Object.entries(p.values)) totals[k] = (totals[k] || 0) + v;
    }
  }
  await inBatches(jobs, 8, (j) => j());
  // A logged shift whose seat was emptied later still counts, for the
  // counsellor who was on duty.
  const seat = made.find((p) => p.kind === 'log' && p.st === stations[1] && monthOf(p.start) === '2023-06');
  expectStatus(await call('PATCH', `/api/v1/shifts/${seat.id}`, { counsellor_id: null }), 200);
  assert.ok(logged > 300 && missing > 5 && absent > 5, `a real mix: ${logged} logged, ${missing} missing, ${absent} absent`);

  const full = (m) => Object.fromEntries(DEFAULT_CODES.map((c) => [c, m[c] || 0]));
  for (const by of ['station', 'counsellor', 'month']) {
    const r = await call('GET', `/api/v1/reports/duty?from=2023-01-01&to=2023-12-31&by=${by}`);
    expectStatus(r, 200, by);
    const rep = r.body;
    assert.equal(rep.by, by);
    assert.deepEqual(rep.totals, full(totals), `totals by ${by}`);
    assert.deepEqual([rep.shifts, rep.logged, rep.absent, rep.missing], [shifts, logged, absent, missing], `counts by ${by}`);
    assert.equal(rep.counselling_hours, hours(totals.counselling_minutes));
    assert.deepEqual(rep.metrics.map((m) => m.code), DEFAULT_CODES);
    const want = [...exp[by].entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    assert.deepEqual(rep.groups.map((g) => g.key), want.map(([k]) => k), `groups by ${by}`);
    for (const [i, [key, g]] of want.entries()) {
      const got = rep.groups[i];
      assert.deepEqual(got.values, full(g.values), `values of ${by} ${key}`);
      assert.deepEqual([got.shifts, got.logged, got.absent, got.missing], [g.shifts, g.logged, g.absent, g.missing], `counts of ${by} ${key}`);
      assert.equal(got.counselling_hours, hours(g.values.counselling_minutes || 0));
    }
    if (by === 'month') {
      assert.equal(rep.groups.length, 12);
      assert.equal(rep.groups[0].name, '2023年1月');
    }
    if (by === 'station') assert.equal(rep.groups[2].name, stations[2].name);
  }
  // A narrower period and the edges: the day range is local.
  const jan1 = (await call('GET', '/api/v1/reports/duty?from=2023-01-01&to=2023-01-01&by=month')).body;
  assert.equal(jan1.groups.length, 1);
  assert.equal(jan1.groups[0].key, '2023-01');

  // Errors of the report.
  expectError(await call('GET', '/api/v1/reports/duty?to=2023-12-31'), 422, 'validation_failed', 'from');
  expectError(await call('GET', '/api/v1/reports/duty?from=2023-01-01'), 422, 'validation_failed', 'to');
  expectError(await call('GET', '/api/v1/reports/duty?from=2023-12-31&to=2023-01-01'), 422, 'validation_failed', 'to');
  expectError(await call('GET', '/api/v1/reports/duty?from=2023-01-01&to=2023-12-31&by=year'), 422, 'validation_failed', 'by');
  expectError(await call('GET', '/api/v1/reports/duty?from=2020-01-01&to=2023-12-31'), 422, 'validation_failed', 'to');
  const c = await counsellor(ctx, '周老师', 'zhou@example.org');
  expectError(await c.call('GET', '/api/v1/reports/duty?from=2023-01-01&to=2023-12-31'), 403, 'forbidden');
  expectError(await c.call('GET', '/api/v1/reports/duty.csv?from=2023-01-01&to=2023-12-31'), 403, 'forbidden');
  expectError(await ctx.anon('GET', '/api/v1/reports/duty.xlsx?from=2023-01-01&to=2023-12-31'), 401, 'unauthorized');

  // CSV: BOM, the same numbers, hours with two decimals, no formula.
  const byStation = (await call('GET', '/api/v1/reports/duty?from=2023-01-01&to=2023-12-31&by=station')).body;
  const res = await fetch(`${ctx.s.url}/api/v1/reports/duty.csv?from=2023-01-01&to=2023-12-31&by=station`, { headers: { authorization: `Bearer ${ctx.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="duty-station-2023-01-01-2023-12-31\.csv"/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'a UTF-8 BOM');
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'CRLF rows');
  const rows = parseCsv(text);
  const head = rows[0];
  assert.deepEqual(head.slice(0, 5), ['驻点', '班次', '已记录', '缺席', '未填写']);
  const minutesCol = head.indexOf('心理疏导时长（分钟）');
  assert.equal(head[minutesCol + 1], '心理疏导时数（小时）');
  assert.equal(rows.length, 1 + byStation.groups.length + 1);
  for (const row of rows) {
    for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `no cell a spreadsheet would run: ${cell}`);
  }
  assert.ok(text.includes(`"'=HYPERLINK(""http://x"",""点我"")"`), 'the formula-like name is quoted text');
  const total = rows[rows.length - 1];
  assert.equal(total[0], '合计');
  assert.equal(Number(total[1]), shifts);
  assert.equal(Number(total[minutesCol]), totals.counselling_minutes);
  assert.equal(total[minutesCol + 1], hours(totals.counselling_minutes));
  assert.equal(Number(total[head.indexOf('接待人数（人）')]), totals.visitors);
  for (const [i, g] of byStation.groups.entries()) {
    assert.equal(Number(rows[i + 1][head.indexOf('接待批次（批次）')]), g.values.batches);
  }

  // XLSX: number cells, hours as a number shown with two decimals, 合计
  // as SUM formulas carrying the right values.
  const xr = await fetch(`${ctx.s.url}/api/v1/reports/duty.xlsx?from=2023-01-01&to=2023-12-31&by=month`, { headers: { authorization: `Bearer ${ctx.token}` } });
  assert.equal(xr.status, 200);
  assert.equal(xr.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const xbuf = Buffer.from(await xr.arrayBuffer());
  assert.equal(xbuf.readUInt32LE(0), 0x04034b50, 'a zip');
  const path = `${ctx.s.dir}/duty.xlsx`;
  writeFileSync(path, xbuf);
  const cells = readSheet(unzipFile(xbuf, 'xl/worksheets/sheet1.xml', path), unzipFile(xbuf, 'xl/sharedStrings.xml', path));
  const byMonth = (await call('GET', '/api/v1/reports/duty?from=2023-01-01&to=2023-12-31&by=month')).body;
  assert.match(cells.A1.v, /值班统计（按月份）2023-01-01 至 2023-12-31/);
  const xhead = Object.keys(cells).filter((k) => /^[A-Z]+2$/.test(k)).map((k) => cells[k].v);
  const mcol = xhead.indexOf('心理疏导时长（分钟）');
  assert.ok(mcol > 4);
  assert.equal(xhead[mcol + 1], '心理疏导时数（小时）');
  for (const [i, g] of byMonth.groups.entries()) {
    const r = i + 3;
    assert.equal(cells[`A${r}`].v, g.name);
    assert.equal(cells[`B${r}`].t, undefined, 'a number cell');
    assert.equal(cells[`B${r}`].v, g.shifts);
    assert.equal(cells[`${colName(mcol)}${r}`].v, g.values.counselling_minutes);
    assert.equal(cells[`${colName(mcol + 1)}${r}`].v.toFixed(2), g.counselling_hours);
  }
  const tr = byMonth.groups.length + 3;
  assert.equal(cells[`A${tr}`].v, '合计');
  assert.equal(cells[`B${tr}`].f, `SUM(B3:B${tr - 1})`);
  assert.equal(cells[`B${tr}`].v, shifts);
  assert.equal(cells[`${colName(mcol)}${tr}`].v, totals.counselling_minutes);
  assert.equal(cells[`${colName(mcol + 1)}${tr}`].f, `ROUND(${colName(mcol)}${tr}/60,2)`);
  assert.equal(cells[`${colName(mcol + 1)}${tr}`].v.toFixed(2), hours(totals.counselling_minutes));
  const styles = unzipFile(xbuf, 'xl/styles.xml', path);
  assert.match(styles, /formatCode="0\.00"/, 'hours shown with two decimals');

  // The evaluation reads the same records: indicators whose sources are
  // the duty metrics sum to the report's totals over the same year, edges
  // of the year in local time included (issue 12, "Done means").
  const fw = await call('POST', '/api/v1/frameworks', { name: '值班记录汇总 2023', from: '2023-01-01', to: '2023-12-31' });
  expectStatus(fw, 201, 'framework');
  const dutyRows = [['接待人数', 'duty.visitors', '>=1000'], ['心理疏导时数', 'duty.counselling_hours', '>=100'],
    ['接待批次', 'duty.batches', '>=100'], ['到岗率', 'duty.attendance_rate', '>=95%']];
  for (const [level3, source, target] of dutyRows) {
    expectStatus(await call('POST', '/api/v1/indicators', { framework_id: fw.body.id, level1: '产出', level2: '值班', level3,
      weight: 5, target, rule: 'ratio', source }), 201, source);
  }
  const ind = await call('GET', `/api/v1/indicators?framework=${fw.body.id}&from=2023-01-01&to=2023-12-31`);
  expectStatus(ind, 200, 'indicators');
  const actual = new Map(ind.body.items.map((i) => [i.level3, i.actual]));
  assert.equal(actual.get('接待人数'), totals.visitors, 'duty.visitors = the report\'s visitors');
  assert.equal(actual.get('接待批次'), totals.batches, 'duty.batches = the report\'s batches');
  assert.equal(Number(actual.get('心理疏导时数')).toFixed(2), hours(totals.counselling_minutes), 'hours = minutes / 60');
  const attended = byStation.groups.reduce((n, g) => n + g.logged - g.absent, 0);
  const loggedAll = byStation.groups.reduce((n, g) => n + g.logged, 0);
  assert.ok(Math.abs(actual.get('到岗率') - (100 * attended) / loggedAll) < 0.01, `attendance ${actual.get('到岗率')} vs ${attended}/${loggedAll}`);
});

/* ------------------------------------------------------------ reminder */

test('the reminder: one mail 12 hours after a shift without a log, through a real SMTP server; none when the log came first, for a cancelled or a closed shift', async () => {
  const ctx = await setup({ smtp: true });
  const { call, mail, clock } = ctx;
  const st = await station(call, '提醒测试街道');
  const late = await counsellor(ctx, '吴老师', 'wu@example.org');
  const prompt = await counsellor(ctx, '郑老师', 'zheng@example.org');
  const gone = await counsellor(ctx, '冯老师', 'feng@example.org');
  const old = await counsellor(ctx, '褚老师', 'chu@example.org');
  const now = Date.now();
  const start = now + HOUR;
  const end = start + 3 * HOUR;
  const a = await shift(call, st.id, late.id, start, end);
  const b = await shift(call, st.id, prompt.id, start, end);
  const c = await shift(call, st.id, gone.id, start, end);
  expectStatus(await call('PATCH', `/api/v1/shifts/${c.id}`, { status: 'cancelled' }), 200);
  // A shift two days ago of a day that is closed.
  const twoDaysAgo = dayOf(now - 2 * DAY);
  expectStatus(await call('POST', '/api/v1/duty-logs/close', { through: twoDaysAgo }), 200);
  await shift(call, st.id, old.id, local(twoDaysAgo, 9), local(twoDaysAgo, 12));

  // The shifts run; one counsellor logs at once.
  await clock(end + 10 * MIN);
  expectStatus(await prompt.call('PUT', `/api/v1/shifts/${b.id}/log`, { attended: true, values: { visitors: 3 } }), 200);
  // Not yet 12 hours.
  await clock(end + 12 * HOUR - MIN);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(mail.messages.filter((m) => /值班记录/.test(m.parsed.subject)).length, 0, 'nothing before 12 hours');

  await clock(end + 12 * HOUR + MIN);
  const m = await mail.waitFor((x) => x.to.includes('wu@example.org') && /值班记录/.test(x.parsed.subject));
  assert.match(m.parsed.subject, /^请填写值班记录：/);
  assert.match(m.parsed.subject, /提醒测试街道/);
  assert.match(m.raw.toString('latin1'), /^Subject: =\?UTF-8\?B\?/m, 'an encoded subject');
  assert.match(m.parsed.text, /吴老师，您好/);
  assert.match(m.parsed.text, /值班记录还没有填写/);
  assert.match(m.parsed.text, /我的排班/);
  assert.match(m.parsed.text, new RegExp(`${ctx.s.url.replace(/[.]/g, '\\.')}/#/me`), 'a link to 我的排班');
  assert.match(m.parsed.text, /请勿填写来访群众的姓名或身份信息/);
  assert.doesNotMatch(m.parsed.text, /Your duty log/, 'every line in Chinese');

  // Once only, however long the log stays missing.
  await clock(end + 13 * HOUR);
  await clock(end + 30 * HOUR);
  await new Promise((r) => setTimeout(r, 600));
  const duty = mail.messages.filter((x) => /值班记录/.test(x.parsed.subject));
  assert.deepEqual(duty.map((x) => x.to[0]), ['wu@example.org'], 'one mail: not to the one who logged, the cancelled or the closed shift');
  const ob = (await call('GET', '/api/v1/outbox?kind=duty_log')).body;
  assert.equal(ob.total, 1);
  assert.equal(ob.items[0].status, 'sent');
  assert.equal(ob.items[0].counsellor_id, late.id);

  // The late log still goes in (no close), and no more mail comes.
  expectStatus(await late.call('PUT', `/api/v1/shifts/${a.id}/log`, { attended: true }), 200);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mail.messages.filter((x) => /值班记录/.test(x.parsed.subject)).length, 1);
});

test('a reminder waiting for the mail server is dropped when the log arrives', async () => {
  const ctx = await setup({ smtp: true });
  const { call, mail, clock } = ctx;
  mail.setMode('tempfail4xx');
  const st = await station(call, '重试测试街道');
  const c = await counsellor(ctx, '卫老师', 'wei@example.org');
  // A shift that ended 13 hours ago (a past shift sends no roster notice
  // that could hold the queue).
  const end = Date.now() - 13 * HOUR;
  const sh = await shift(call, st.id, c.id, end - 3 * HOUR, end);
  await clock(Date.now() + MIN);
  const until = async (fn) => {
    for (let i = 0; i < 200; i++) { const v = await fn(); if (v) return v; await new Promise((r) => setTimeout(r, 50)); }
    throw new Error('timed out');
  };
  const failed = await until(async () => (await call('GET', '/api/v1/outbox?kind=duty_log&status=failed')).body.items[0]);
  assert.match(failed.last_error, /451/);
  expectStatus(await c.call('PUT', `/api/v1/shifts/${sh.id}/log`, { attended: true, values: { batches: 1 } }), 200);
  const skipped = (await call('GET', '/api/v1/outbox?kind=duty_log')).body.items[0];
  assert.equal(skipped.status, 'skipped');
  assert.match(skipped.last_error, /值班记录已填写/);
  mail.setMode('accept');
  await clock(Date.parse(failed.next_attempt_at) + 1000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(mail.messages.length, 0, 'never sent');
});

/* ------------------------------------------------------------ demo */

test('hearth demo --demo-activities 1 loads a quarter of duty logs once (a second run adds nothing), summing in the report as in the logs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-duty-demo-'));
  const db = dbFor(dir);
  const env = { HEARTH_ADMIN_PASSWORD: 'demo-password-1' };
  await clearOfMidnight(120e3); // the demo's today is the test's through the test
  for (let i = 0; i < 2; i++) {
    const r = await run(['demo', '--db', db, '--demo-activities', '1'], env);
    assert.equal(r.code, 0, r.stderr);
  }
  const s = await startServer({ dir });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const call = (method, path) => api(s.url, method, path, { token });
  const today = dayOf(Date.now());
  const from = dayOf(Date.now() - 100 * DAY);
  const rep = (await call('GET', `/api/v1/reports/duty?from=${from}&to=${today}&by=station`)).body;
  assert.ok(rep.shifts > 500, `a quarter of shifts: ${rep.shifts}`);
  assert.ok(rep.shifts <= 12 * 66, `the second run added none: ${rep.shifts}`);
  assert.ok(rep.logged > 0.9 * rep.shifts, 'most are logged');
  assert.ok(rep.absent > 0, 'a few absences');
  // Only shifts of the last two working days before the demo's today
  // (the last two days with shifts: on a Monday, Thursday and Friday)
  // are left to write, about half of them.
  const worked = [];
  for (let back = 1; worked.length < 2 && back <= 20; back++) {
    const d = dayOf(Date.now() - back * DAY);
    const r = (await call('GET', `/api/v1/reports/duty?from=${d}&to=${d}&by=station`)).body;
    if (r.shifts > 0) worked.push(r);
  }
  assert.equal(worked.length, 2, 'two working days with shifts within the last 20 days');
  const last2 = { shifts: worked[0].shifts + worked[1].shifts, missing: worked[0].missing + worked[1].missing };
  assert.equal(rep.missing, last2.missing, 'the missing logs are all of the last two working days');
  assert.ok(last2.missing > 0 && last2.missing < last2.shifts, `about half of the last two working days' ${last2.shifts} shifts still to write: ${last2.missing}`);
  assert.ok(rep.missing < 20, `a few of the last days still to write: ${rep.missing}`);
  assert.equal(rep.shifts, rep.logged + rep.missing, 'every past shift is logged or missing');
  assert.equal(rep.groups.length, 11, 'the hall and the ten street offices');
  // Plausible small counts: a few visitors and some counselling a shift.
  const perShift = rep.totals.visitors / rep.logged;
  assert.ok(perShift > 1 && perShift < 6, `visitors per shift ${perShift}`);
  assert.ok(rep.totals.counselling_minutes > 0 && rep.totals.batches <= rep.totals.visitors);
  assert.match(rep.counselling_hours, /^\d+\.\d{2}$/);
  // The report is the sum of the logs.
  const sums = {};
  let n = 0;
  for (let offset = 0; ; offset += 500) {
    const page = (await call('GET', `/api/v1/duty-logs?from=${from}&to=${today}&limit=500&offset=${offset}`)).body;
    for (const item of page.items) {
      n++;
      for (const [k, v] of Object.entries(item.values)) sums[k] = (sums[k] || 0) + v;
    }
    if (page.items.length < 500) break;
  }
  assert.equal(n, rep.logged);
  for (const code of DEFAULT_CODES) assert.equal(rep.totals[code], sums[code] || 0, code);
  const missing = (await call('GET', '/api/v1/duty-logs?missing=1')).body;
  assert.equal(missing.total, rep.missing);
});
