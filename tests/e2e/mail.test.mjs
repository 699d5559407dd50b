// Reminder and notice mail end to end: hearth's mailer talks to a real
// SMTP server on 127.0.0.1 (smtp-server), the messages are read back with
// mailparser, and their calendar parts with ical.js. Time moves through
// the fake clock (HEARTH_FAKE_CLOCK=1), never by sleeping.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, api, login, run, sqlRun } from '../lib/harness.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { expectError, expectStatus } from './util.mjs';

const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MIN = 60e3;
const HOUR = 3600e3;
const DAY = 86400e3;

async function setup({ smtp = true, env = {}, dir } = {}) {
  const mail = smtp ? await startSmtp() : null;
  if (mail) cleanups.push(() => mail.close());
  const s = await startServer({
    dir,
    env: {
      HEARTH_FAKE_CLOCK: '1',
      HEARTH_MAIL_FROM: 'studio@example.org',
      HEARTH_SMTP_STARTTLS: 'off',
      HEARTH_MAIL_RATE: '6000',
      ...(mail ? { HEARTH_SMTP_HOST: '127.0.0.1', HEARTH_SMTP_PORT: String(mail.port) } : {}),
      ...env,
    },
  });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const call = async (method, path, body) => api(s.url, method, path, { token, body });
  const clock = async (ms) => expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(ms) }), 200);
  return { s, mail, token, call, clock };
}

async function counsellor(call, name, email) {
  const r = await call('POST', '/api/v1/counsellors', { name, email });
  expectStatus(r, 201);
  return r.body;
}

async function publicEvent(call, fields) {
  const r = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '情绪管理讲座', public: true, venue: '三楼会议室', ...fields,
  });
  expectStatus(r, 201);
  return r.body;
}

async function register(s, eventId, name, email) {
  const r = await api(s.url, 'POST', `/api/v1/events/${eventId}/registrations`, { body: { name, email } });
  expectStatus(r, 201);
  return r.body;
}

// The calendar part of a parsed message, read by ical.js.
function calendarOf(m) {
  const part = m.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  assert.ok(part, `a text/calendar part in ${m.parsed.subject}`);
  const cal = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  return { cal, part, vevents: cal.getAllSubcomponents('vevent') };
}

async function outbox(call, query = '') {
  const r = await call('GET', `/api/v1/outbox${query}`);
  expectStatus(r, 200);
  return r.body;
}

async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a reminder reaches speaker and participant with a Chinese subject and an iTIP REQUEST', async () => {
  const { s, mail, call, clock } = await setup();
  const speaker = await counsellor(call, '王老师', 'wang@example.org');
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, {
    start: iso(start), end: iso(start + 2 * HOUR), speaker_ids: [speaker.id], reminders: [1440, 60],
  });
  const reg = await register(s, ev.id, '李女士', 'li@example.org');

  const queued = await outbox(call, `?event_id=${ev.id}&kind=reminder`);
  assert.equal(queued.total, 4, 'two offsets for two people');
  assert.ok(queued.items.every((i) => i.status === 'pending'));
  assert.equal(queued.smtp_configured, true);

  await clock(start - 1439 * MIN);
  const toLi = await mail.waitFor((m) => m.to.includes('li@example.org'));
  await mail.waitFor((m) => m.to.includes('wang@example.org'));
  assert.equal(toLi.from, 'studio@example.org');
  assert.match(toLi.parsed.subject, /^活动提醒：情绪管理讲座（/);
  assert.match(toLi.raw.toString('latin1'), /^Subject: =\?UTF-8\?B\?/m, 'the subject is RFC 2047 encoded');
  assert.match(toLi.parsed.text, /李女士，您好/);
  // Every line in Chinese (issue 13.9: the English line is gone).
  assert.doesNotMatch(toLi.parsed.text, /Reminder:|Changed:|Cancelled:/, 'no English line');
  // The opt-out link carries a token of its own, not the registration's
  // (which can cancel): it changes reminders and nothing else.
  const optout = toLi.parsed.text.match(/\/u\/([0-9a-f]{32})/)?.[1];
  assert.ok(optout, 'the opt-out link');
  assert.notEqual(optout, reg.token, 'not the registration token');
  assert.match(toLi.raw.toString('latin1'), new RegExp(`^List-Unsubscribe: <http://[^>]+/u/${optout}>`, 'm'));
  expectError(await api(s.url, 'DELETE', `/api/v1/registrations/${optout}`), 404, 'not_found');
  expectError(await api(s.url, 'GET', `/api/v1/registrations/${optout}`), 404, 'not_found');
  const rem = await api(s.url, 'GET', `/api/v1/reminders/${optout}`);
  expectStatus(rem, 200, 'the reminders view');
  assert.equal(rem.body.via, 'optout');
  assert.equal(rem.body.reminders, true);
  assert.ok(!rem.text.includes('李女士') && !rem.text.includes('li@example.org'), 'no name or address');
  assert.ok(toLi.parsed.messageId, 'a Message-ID');
  assert.ok(toLi.parsed.date instanceof Date, 'a Date');
  // Composed when sent, not when queued three days before (a Date in
  // the past is what spam filters score): Date and DTSTAMP are the
  // sending time, here the fake clock's.
  const sentAt = start - 1439 * MIN;
  assert.ok(Math.abs(toLi.parsed.date.getTime() - sentAt) < 2 * MIN,
    `Date ${toLi.parsed.date.toISOString()} is the sending time ${iso(sentAt)}`);

  const { cal, vevents } = calendarOf(toLi);
  assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
  assert.equal(vevents.length, 1);
  const ve = vevents[0];
  const host = new URL(s.url).hostname;
  assert.equal(ve.getFirstPropertyValue('uid'), `event-${ev.id}@${host}`);
  assert.match(ve.getFirstProperty('organizer').getFirstValue(), /mailto:studio@example.org/i);
  assert.match(ve.getFirstProperty('attendee').getFirstValue(), /mailto:li@example.org/i);
  assert.equal(ve.getFirstPropertyValue('dtstart').toJSDate().getTime(), Math.floor(start / 1000) * 1000);
  assert.ok(Math.abs(ve.getFirstPropertyValue('dtstamp').toJSDate().getTime() - sentAt) < 2 * MIN,
    'DTSTAMP is the sending time');

  // The same UID and SEQUENCE as the speaker's feed.
  const feedUrl = (await call('GET', `/api/v1/counsellors/${speaker.id}`)).body.feed_url;
  const feed = await (await fetch(feedUrl)).text();
  const fve = new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents('vevent')
    .find((v) => v.getFirstPropertyValue('uid') === ve.getFirstPropertyValue('uid'));
  assert.ok(fve, 'the feed has the event under the same UID');
  assert.equal(fve.getFirstPropertyValue('sequence'), ve.getFirstPropertyValue('sequence'));

  // The 60-minute reminders come later; nothing is sent twice.
  await clock(start - 59 * MIN);
  await until('four reminders', () => mail.messages.length >= 4 && mail.messages);
  await until('four rows sent', async () => (await outbox(call, `?event_id=${ev.id}`)).counts.sent === 4);
  await clock(start - 30 * MIN);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mail.messages.length, 4, 'no duplicates');
});

test('reschedule sends a change notice with a higher SEQUENCE and re-arms; cancel sends METHOD:CANCEL', async () => {
  const { s, mail, call, clock } = await setup();
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { title: '团体辅导', start: iso(start), end: iso(start + HOUR), reminders: [60] });
  await register(s, ev.id, '赵先生', 'zhao@example.org');

  const later = start + DAY;
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/reschedule`, {
    start: iso(later), end: iso(later + HOUR), reason: '场地冲突',
  }), 200);
  const change = await mail.waitFor((m) => /时间变更/.test(m.parsed.subject));
  assert.match(change.parsed.text, /原定时间/);
  assert.match(change.parsed.text, /场地冲突/);
  const c = calendarOf(change);
  assert.equal(c.cal.getFirstPropertyValue('method'), 'REQUEST');
  assert.ok(c.vevents[0].getFirstPropertyValue('sequence') > ev.sequence, 'SEQUENCE went up');
  assert.equal(c.vevents[0].getFirstPropertyValue('dtstart').toJSDate().getTime(), Math.floor(later / 1000) * 1000);

  const reminders = (await outbox(call, `?event_id=${ev.id}&kind=reminder`)).items;
  assert.equal(reminders.length, 2);
  assert.ok(reminders.some((r) => r.status === 'skipped' && /superseded/.test(r.last_error)), 'the old reminder is dropped');

  await clock(start - 59 * MIN);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(mail.messages.filter((m) => /活动提醒/.test(m.parsed.subject)).length, 0, 'the old time sends nothing');
  await clock(later - 59 * MIN);
  const rem = await mail.waitFor((m) => /活动提醒/.test(m.parsed.subject));
  assert.equal(calendarOf(rem).vevents[0].getFirstPropertyValue('dtstart').toJSDate().getTime(), Math.floor(later / 1000) * 1000);

  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '讲师生病' }), 200);
  const cancel = await mail.waitFor((m) => /活动取消/.test(m.parsed.subject));
  const k = calendarOf(cancel);
  assert.equal(k.cal.getFirstPropertyValue('method'), 'CANCEL');
  assert.equal(k.vevents[0].getFirstPropertyValue('status'), 'CANCELLED');
  assert.match(cancel.parsed.text, /讲师生病/);
  const contentType = cancel.raw.toString('latin1').match(/Content-Type: text\/calendar[^\r\n]*/)[0];
  assert.match(contentType, /method=CANCEL/);
});

test('SMTP down: the row backs off and goes out when the server is back; 5xx makes it dead', async () => {
  const { s, mail, call, clock } = await setup();
  const port = mail.port;
  await mail.close();
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { start: iso(start), end: iso(start + HOUR), reminders: [] });
  await register(s, ev.id, '钱女士', 'qian@example.org');
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '暂停' }), 200);

  let row = await until('a failed try', async () => {
    const b = await outbox(call, '?kind=cancel');
    return b.items[0]?.status === 'failed' && b.items[0];
  });
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /refused|connect/i);
  const t0 = Date.parse(row.next_attempt_at);

  // One minute later: the second try fails too, then five minutes.
  await clock(t0 + 1000);
  row = await until('a second try', async () => {
    const b = await outbox(call, '?kind=cancel');
    return b.items[0]?.attempts === 2 && b.items[0].status === 'failed' && b.items[0];
  });
  const gap = Date.parse(row.next_attempt_at) - (t0 + 1000);
  assert.ok(gap > 4 * MIN && gap <= 5 * MIN + 5000, `second back-off ${gap} ms`);

  const back = await startSmtp({ port });
  cleanups.push(() => back.close());
  await clock(Date.parse(row.next_attempt_at) + 1000);
  const m = await back.waitFor((x) => x.to.includes('qian@example.org'));
  assert.match(m.parsed.subject, /活动取消/);
  row = await until('the row sent', async () => {
    const b = await outbox(call, '?kind=cancel');
    return b.items[0]?.status === 'sent' && b.items[0];
  });
  assert.equal(row.attempts, 3);

  // A server that refuses the recipient for good.
  back.setMode('reject5xx');
  await register(s, (await publicEvent(call, { start: iso(start), end: iso(start + HOUR) })).id, '孙先生', 'sun@example.org');
  const ev2 = (await outbox(call, '?kind=reminder')).items[0];
  await clock(Date.parse(ev2.due_at) + 1000);
  const dead = await until('a dead row', async () => {
    const b = await outbox(call, '?status=dead');
    return b.items[0];
  });
  assert.match(dead.last_error, /550/);
  assert.equal(dead.attempts, 1);

  // Retry now, with the server accepting again.
  back.setMode('accept');
  const r = await call('POST', `/api/v1/outbox/${dead.id}/retry`);
  expectStatus(r, 200);
  await back.waitFor((x) => x.to.includes('sun@example.org'));
  expectError(await call('POST', `/api/v1/outbox/${dead.id}/retry`), 409, 'conflict', 'status');
});

test('kill -9 with mail pending: after a restart every message arrives, duplicates only with the same Message-ID', async () => {
  const mail = await startSmtp();
  cleanups.push(() => mail.close());
  const env = {
    HEARTH_FAKE_CLOCK: '1', HEARTH_MAIL_FROM: 'studio@example.org', HEARTH_SMTP_STARTTLS: 'off',
    HEARTH_SMTP_HOST: '127.0.0.1', HEARTH_SMTP_PORT: String(mail.port), HEARTH_MAIL_RATE: '600',
  };
  let s = await startServer({ env });
  const dir = s.dir;
  let token = await login(s.url);
  const start = Date.now() + 3 * DAY;
  const ev = (await api(s.url, 'POST', '/api/v1/events', {
    token, body: { kind: 'salon', title: '减压沙龙', public: true, start: iso(start), end: iso(start + HOUR), reminders: [] },
  })).body;
  const n = 12;
  for (let i = 0; i < n; i++) await register(s, ev.id, `参加者${i}`, `p${i}@example.org`);
  expectStatus(await api(s.url, 'POST', `/api/v1/events/${ev.id}/cancel`, { token, body: { reason: '停电' } }), 200);
  await until('the first messages', () => mail.messages.length >= 2, 15000);
  await s.kill();
  const before = mail.messages.length;
  assert.ok(before < n, `killed mid-way (${before} of ${n} sent)`);

  s = await startServer({ env, dir });
  cleanups.push(() => s.stop());
  token = await login(s.url);
  await until('every recipient', () => {
    const got = new Set(mail.messages.flatMap((m) => m.to));
    return got.size === n;
  }, 20000);
  const byTo = new Map();
  for (const m of mail.messages) for (const to of m.to) byTo.set(to, [...(byTo.get(to) || []), m]);
  let dups = 0;
  for (const [to, ms] of byTo) {
    if (ms.length > 1) {
      dups++;
      assert.equal(new Set(ms.map((m) => m.parsed.messageId)).size, 1, `${to}: a repeat keeps its Message-ID`);
    }
  }
  assert.ok(dups <= 1, `at most the message in flight repeats (${dups})`);
  // The row in flight at the kill may be on its second delivery still.
  await until('every row sent', async () =>
    (await api(s.url, 'GET', '/api/v1/outbox?kind=cancel', { token })).body.counts.sent === n);
  const again = new Set(mail.messages.flatMap((m) => m.to));
  assert.equal(again.size, n);
});

test('opt-out stops that participant\'s reminders, not the speaker\'s, and not change notices', async () => {
  const { s, mail, call, clock } = await setup();
  const speaker = await counsellor(call, '周老师', 'zhou@example.org');
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { start: iso(start), end: iso(start + HOUR), speaker_ids: [speaker.id], reminders: [60] });
  const reg = await register(s, ev.id, '吴女士', 'wu@example.org');
  expectStatus(await api(s.url, 'GET', `/u/${reg.token}`), 200, 'the opt-out page');
  let g = await api(s.url, 'GET', `/api/v1/registrations/${reg.token}`);
  assert.equal(g.body.reminders, true);
  expectError(await api(s.url, 'PUT', `/api/v1/registrations/${reg.token}/reminders`, { body: { enabled: 'no' } }), 422, 'validation_failed', 'enabled');
  expectError(await api(s.url, 'PUT', '/api/v1/registrations/ffffffffffffffffffffffffffffffff/reminders', { body: { enabled: false } }), 404, 'not_found');
  const off = await api(s.url, 'PUT', `/api/v1/registrations/${reg.token}/reminders`, { body: { enabled: false } });
  expectStatus(off, 200);
  assert.equal(off.body.reminders, false);
  g = await api(s.url, 'GET', `/api/v1/registrations/${reg.token}`);
  assert.equal(g.body.reminders, false);

  await clock(start - 59 * MIN);
  await mail.waitFor((m) => m.to.includes('zhou@example.org'));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(mail.messages.filter((m) => m.to.includes('wu@example.org')).length, 0, 'no reminder after opting out');

  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '改期' }), 200);
  const notice = await mail.waitFor((m) => m.to.includes('wu@example.org') && /活动取消/.test(m.parsed.subject));
  assert.doesNotMatch(notice.raw.toString('latin1'), /^List-Unsubscribe:/m, 'the opt-out does not stop notices, so they offer none');
});

test('roster changes make one notice per counsellor after a quiet period; the weekly summary goes out Monday 08:00', async () => {
  const { mail, call, clock } = await setup();
  const st = (await call('POST', '/api/v1/stations', { code: 'MAILST', name: '测试街道工作点', kind: 'street' })).body;
  const c = await counsellor(call, '郑老师', 'zheng@example.org');
  // Next Monday 09:00 Shanghai (01:00 UTC), at least two days ahead.
  const now = Date.now();
  let monday = new Date(now + 2 * DAY);
  while (monday.getUTCDay() !== 1) monday = new Date(monday.getTime() + DAY);
  const m9 = Date.UTC(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate(), 1, 0, 0);
  const a = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c.id, start: iso(m9), end: iso(m9 + 3 * HOUR) });
  expectStatus(a, 201);
  const b = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c.id, start: iso(m9 + DAY), end: iso(m9 + DAY + 3 * HOUR) });
  expectStatus(b, 201);
  expectStatus(await call('PATCH', `/api/v1/shifts/${b.body.id}`, { start: iso(m9 + DAY + HOUR), end: iso(m9 + DAY + 4 * HOUR) }), 200);
  const rows = (await outbox(call, '?kind=roster')).items;
  assert.equal(rows.length, 1, 'one gathering notice');
  assert.equal(rows[0].status, 'pending');

  await clock(now + 11 * MIN);
  const notice = await mail.waitFor((m) => /值班安排有变动/.test(m.parsed.subject));
  assert.match(notice.parsed.subject, /3 项/);
  assert.match(notice.parsed.text, /新增/);
  assert.match(notice.parsed.text, /调整为/);
  const cal = calendarOf(notice);
  assert.equal(cal.cal.getFirstPropertyValue('method'), 'PUBLISH');
  assert.equal(cal.vevents.length, 2);
  // RFC 5546 3.2.1: every VEVENT of a PUBLISH names its ORGANIZER.
  for (const v of cal.vevents)
    assert.match(v.getFirstProperty('organizer')?.getFirstValue() ?? '', /mailto:studio@example.org/i, 'ORGANIZER on a PUBLISH');

  // Monday 08:01 Shanghai = 00:01 UTC.
  await clock(m9 - HOUR + MIN);
  const weekly = await mail.waitFor((m) => /本周值班安排/.test(m.parsed.subject));
  const week = calendarOf(weekly).vevents;
  assert.equal(week.length, 2, 'the week\'s two shifts in the calendar');
  for (const v of week)
    assert.match(v.getFirstProperty('organizer')?.getFirstValue() ?? '', /mailto:studio@example.org/i, 'ORGANIZER on the weekly PUBLISH');
  assert.match(weekly.parsed.text, /测试街道工作点/);
  assert.match(weekly.parsed.text, /共 2 班/);
  assert.doesNotMatch(weekly.parsed.text, /Your duty this week/, 'every line in Chinese');
  await clock(m9 - HOUR + 30 * MIN);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mail.messages.filter((m) => /本周值班安排/.test(m.parsed.subject)).length, 1, 'once a week');
});

test('outbox API: filters, one message in full, errors', async () => {
  const { s, call } = await setup({ smtp: false });
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { start: iso(start), end: iso(start + HOUR), reminders: [60] });
  await register(s, ev.id, '冯先生', 'feng@example.org');
  const all = await outbox(call);
  assert.equal(all.smtp_configured, false);
  assert.equal(all.counts.pending, 1);
  const item = all.items[0];
  const one = await call('GET', `/api/v1/outbox/${item.id}`);
  expectStatus(one, 200);
  assert.match(one.body.message, /^From: /);
  assert.ok(!/[^\r]\n/.test(one.body.message), 'CRLF line ends only');
  expectError(await call('GET', '/api/v1/outbox?status=lost'), 422, 'validation_failed', 'status');
  expectError(await call('GET', '/api/v1/outbox?kind=spam'), 422, 'validation_failed', 'kind');
  expectError(await call('GET', '/api/v1/outbox/999999'), 404, 'not_found');
  expectError(await call('POST', `/api/v1/outbox/${item.id}/retry`), 409, 'conflict', 'status');
  expectError(await api(s.url, 'GET', '/api/v1/outbox'), 401, 'unauthorized');
  const metrics = (await call('GET', '/metrics')).text; // coordinators only
  assert.match(metrics, /hearth_outbox_messages\{status="pending"\} 1/);
  // Without SMTP the reminder waits, then expires rather than going late.
  const { clock } = { clock: async (ms) => expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(ms) }), 200) };
  await clock(start - 20 * MIN);
  await until('expiry', async () => (await outbox(call, '?status=skipped')).total === 1);
});

test('mail settings that do not hold together stop the start', async () => {
  const cases = [
    [{ HEARTH_SMTP_HOST: '127.0.0.1' }, /set mail_from/],
    [{ HEARTH_SMTP_STARTTLS: 'sometimes' }, /smtp_starttls/],
    [{ HEARTH_MAIL_FROM: 'Hearth <a@b.org>' }, /plain e-mail/],
    [{ HEARTH_MAIL_RATE: '0' }, /mail_rate/],
    [{ HEARTH_SMTP_PORT: '70000' }, /smtp_port/],
    [{ HEARTH_SMTP_HOST: '::1', HEARTH_MAIL_FROM: 'a@b.org' }, /IPv6/],
  ];
  for (const [env, why] of cases) {
    const r = await run(['serve', '--db', '/nonexistent/never-created.db', '--listen', '127.0.0.1:0'], env);
    assert.equal(r.code, 1, JSON.stringify(env));
    assert.match(r.stderr, why);
  }
});

test('a generated roster makes one notice per counsellor, with every new shift in its calendar', async () => {
  const { mail, call, clock } = await setup();
  const st = (await call('POST', '/api/v1/stations', { code: 'GENST', name: '生成测试工作点', kind: 'street' })).body;
  const a = await counsellor(call, '甲老师', 'jia@example.org');
  const b = await counsellor(call, '乙老师', 'yi@example.org');
  expectStatus(await call('POST', '/api/v1/shift-templates', {
    station_id: st.id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required: 1,
  }), 201);
  const day = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
  const gen = await call('POST', '/api/v1/rosters/generate', { from: day(Date.now() + 2 * DAY), to: day(Date.now() + 15 * DAY) });
  expectStatus(gen, 200);
  assert.ok(gen.body.created >= 8, `created ${gen.body.created}`);
  const rows = (await outbox(call, '?kind=roster')).items;
  assert.equal(rows.length, 2, 'one notice per counsellor, however many shifts');

  await clock(Date.now() + 11 * MIN);
  for (const c of [a, b]) {
    const m = await mail.waitFor((x) => x.to.includes(c.email) && /值班安排有变动/.test(x.parsed.subject));
    const mine = (await call('GET', `/api/v1/shifts?counsellor_id=${c.id}&limit=500`)).body.items;
    assert.ok(mine.length > 0);
    assert.match(m.parsed.subject, new RegExp(`（${mine.length} 项）`));
    // The lines as svc_mail_shift words a new shift (the generation
    // makes them from the stations in memory, issue 15 point 5).
    assert.match(m.parsed.text, /新增 \d+月\d+日（周.）09:00–12:00 生成测试工作点/);
    const { cal, vevents } = calendarOf(m);
    assert.equal(cal.getFirstPropertyValue('method'), 'PUBLISH');
    assert.deepEqual(vevents.map((v) => v.getFirstPropertyValue('uid')).sort(),
      mine.map((x) => `shift-${x.id}@127.0.0.1`).sort());
  }
});

test('a speaker\'s new address gets the reminders; a deactivated speaker gets none', async () => {
  const { mail, call, clock } = await setup();
  const a = await counsellor(call, '陈老师', 'chen.old@example.org');
  const b = await counsellor(call, '林老师', 'lin@example.org');
  const start = Date.now() + 3 * DAY;
  await publicEvent(call, { start: iso(start), end: iso(start + HOUR), speaker_ids: [a.id, b.id], reminders: [60] });
  expectStatus(await call('PATCH', `/api/v1/counsellors/${a.id}`, { email: 'chen.new@example.org' }), 200);
  expectStatus(await call('DELETE', `/api/v1/counsellors/${b.id}`), 200);
  await clock(start - 59 * MIN);
  const m = await mail.waitFor((x) => /活动提醒/.test(x.parsed.subject));
  assert.deepEqual(m.to, ['chen.new@example.org']);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(mail.messages.length, 1, 'nothing to the old address or to the deactivated speaker');
});

test('a counsellor who turned the weekly summary off gets none; PATCH /me sets it', async () => {
  const { s, mail, call, clock } = await setup();
  const st = (await call('POST', '/api/v1/stations', { code: 'WKST', name: '周报测试工作点', kind: 'street' })).body;
  const on = await counsellor(call, '何老师', 'he@example.org');
  const off = await counsellor(call, '吕老师', 'lv@example.org');
  assert.equal(off.weekly_mail, true, 'on by default');
  expectStatus(await call('POST', `/api/v1/counsellors/${off.id}/account`, { username: 'lvlaoshi', password: 'lv-password-1' }), 201);
  const ctoken = await login(s.url, 'lvlaoshi', 'lv-password-1');
  expectError(await api(s.url, 'PATCH', '/api/v1/me', { token: ctoken, body: { weekly_mail: 'no' } }), 422, 'validation_failed', 'weekly_mail');
  expectError(await api(s.url, 'PATCH', '/api/v1/me', { token: ctoken, body: { weekly_mail: false, name: 'x' } }), 422, 'validation_failed', 'name');
  const me = await api(s.url, 'PATCH', '/api/v1/me', { token: ctoken, body: { weekly_mail: false } });
  expectStatus(me, 200);
  assert.equal(me.body.weekly_mail, false);
  assert.equal((await call('GET', `/api/v1/counsellors/${off.id}`)).body.weekly_mail, false);

  let monday = new Date(Date.now() + 2 * DAY);
  while (monday.getUTCDay() !== 1) monday = new Date(monday.getTime() + DAY);
  const m9 = Date.UTC(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate(), 1, 0, 0);
  for (const c of [on, off]) {
    expectStatus(await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c.id, start: iso(m9), end: iso(m9 + 3 * HOUR) }), 201);
  }
  await clock(m9 - HOUR + MIN);
  await mail.waitFor((m) => /本周值班安排/.test(m.parsed.subject) && m.to.includes('he@example.org'));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(mail.messages.filter((m) => /本周值班安排/.test(m.parsed.subject)).length, 1, 'only the one who wants it');
});

test('a temporary failure pauses the queue: one try, not one per waiting message', async () => {
  const { s, mail, call, clock } = await setup();
  mail.setMode('tempfail4xx');
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { start: iso(start), end: iso(start + HOUR), reminders: [] });
  for (let i = 0; i < 3; i++) await register(s, ev.id, `排队${i}`, `q${i}@example.org`);
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '测试' }), 200);
  const failed = await until('one failed try', async () => (await outbox(call, '?status=failed')).items[0]);
  assert.match(failed.last_error, /451/);
  await new Promise((r) => setTimeout(r, 500));
  const b = await outbox(call, '?kind=cancel');
  assert.equal(b.counts.failed, 1);
  assert.equal(b.counts.pending, 2, 'the others wait untried');
  assert.ok(b.items.filter((i) => i.status === 'pending').every((i) => i.attempts === 0));

  mail.setMode('accept');
  await clock(Date.parse(failed.next_attempt_at) + 1000);
  await until('all three sent', async () => (await outbox(call, '?kind=cancel')).counts.sent === 3);
});

// Reminders are composed only when they go out (not also when queued).
// One that cannot be composed then — here a recipient address the MIME
// rules refuse, written behind the service's back — ends dead with a
// clear error, never skipped as if nobody wanted it, and nothing is sent.
test('a reminder that cannot be built when due ends dead with why', async () => {
  const { s, mail, call, clock } = await setup();
  const start = Date.now() + 3 * DAY;
  const ev = await publicEvent(call, { start: iso(start), end: iso(start + HOUR), reminders: [60] });
  await register(s, ev.id, '周女士', 'zhou@example.org');
  const queued = await outbox(call, `?event_id=${ev.id}&kind=reminder`);
  assert.equal(queued.total, 1);
  assert.equal(queued.items[0].status, 'pending');
  // a literal tab inside the SQL string: the same on SQLite and PostgreSQL
  sqlRun(s.db, "UPDATE registrations SET email = 'zhou\t@example.org' WHERE email = 'zhou@example.org'");

  await clock(start - 59 * MIN);
  const dead = await until('the reminder dead', async () => {
    const b = await outbox(call, `?event_id=${ev.id}&kind=reminder`);
    return b.items[0]?.status === 'dead' && b.items[0];
  });
  assert.match(dead.last_error, /cannot build the message/);
  assert.equal(dead.attempts, 0, 'never handed to SMTP');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mail.messages.length, 0, 'nothing sent');
});
