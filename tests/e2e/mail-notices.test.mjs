// Change notices and the shape of mail (issue 13 point 9, issue 14's
// interop fixes): a newer notice supersedes an older unsent one to the
// same people (marked superseded, never sent), outbox rows carry Chinese
// labels, no English line in a letter, the first Subject line within 76
// characters, and an invitation's text and calendar as
// multipart/alternative — checked with python3's email package.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, api, login } from '../lib/harness.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { expectStatus } from './util.mjs';

const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3600e3;
const DAY = 86400e3;

async function setup(smtp) {
  const mail = smtp ? await startSmtp() : null;
  if (mail) cleanups.push(() => mail.close());
  const s = await startServer({
    env: {
      HEARTH_MAIL_FROM: 'studio@example.org', HEARTH_SMTP_STARTTLS: 'off', HEARTH_MAIL_RATE: '6000',
      ...(mail ? { HEARTH_SMTP_HOST: '127.0.0.1', HEARTH_SMTP_PORT: String(mail.port) } : {}),
    },
  });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const speaker = await call('POST', '/api/v1/counsellors', { name: '王老师', email: 'wang@example.org' });
  expectStatus(speaker, 201);
  return { s, mail, call, speaker: speaker.body };
}

test('a newer change notice supersedes the older unsent one: skipped as superseded, labelled in Chinese', async () => {
  const { call, speaker } = await setup(false); // no SMTP: rows wait
  const start = Date.now() + 5 * DAY;
  const ev = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '情绪管理讲座', venue: '三楼', start: iso(start), end: iso(start + HOUR),
    speaker_ids: [speaker.id], reminders: [],
  });
  expectStatus(ev, 201);
  for (const [i, reason] of [[1, '场地冲突'], [2, '讲师时间调整']]) {
    const t = start + i * DAY;
    expectStatus(await call('POST', `/api/v1/events/${ev.body.id}/reschedule`, { start: iso(t), end: iso(t + HOUR), reason }), 200);
  }
  const rows = (await call('GET', `/api/v1/outbox?event_id=${ev.body.id}&kind=change&limit=50`)).body.items
    .filter((m) => m.channel === 'email').sort((a, b) => a.id - b.id);
  assert.equal(rows.length, 2, JSON.stringify(rows.map((m) => [m.status, m.last_error])));
  assert.equal(rows[0].status, 'skipped');
  assert.equal(rows[0].last_error, 'superseded');
  assert.equal(rows[0].status_label, '已跳过');
  assert.equal(rows[0].reason_label, '已被更新的通知取代');
  assert.equal(rows[1].status, 'pending', 'only the current notice waits to be sent');
  assert.equal(rows[1].status_label, '待发送');
  assert.equal(rows[1].reason_label, null);
  // A cancel supersedes a pending change too.
  expectStatus(await call('POST', `/api/v1/events/${ev.body.id}/cancel`, { reason: '讲师生病' }), 200);
  const after2 = (await call('GET', `/api/v1/outbox?event_id=${ev.body.id}&limit=50`)).body.items.filter((m) => m.channel === 'email');
  assert.deepEqual(after2.filter((m) => m.status === 'pending').map((m) => m.kind), ['cancel']);
});

test('a change mail: Chinese lines only, Subject within 76 characters, text and calendar as multipart/alternative', async () => {
  const { s, mail, call, speaker } = await setup(true);
  const start = Date.now() + 5 * DAY;
  const ev = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '心理健康科普及减压活动（香蜜湖街道竹园社区）', venue: '三楼', start: iso(start),
    end: iso(start + HOUR), speaker_ids: [speaker.id], reminders: [],
  });
  expectStatus(ev, 201);
  const t = start + DAY;
  expectStatus(await call('POST', `/api/v1/events/${ev.body.id}/reschedule`, { start: iso(t), end: iso(t + HOUR), reason: '场地冲突' }), 200);
  const m = await mail.waitFor((x) => /时间变更/.test(x.parsed.subject));
  void s;
  const raw = m.raw.toString('latin1');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const subj = head.split('\r\n').findIndex((l) => l.startsWith('Subject: '));
  const lines = head.split('\r\n');
  assert.ok(lines[subj].length <= 76, `first Subject line is ${lines[subj].length} characters: ${lines[subj]}`);
  for (let i = subj + 1; i < lines.length && lines[i].startsWith(' '); i++) assert.ok(lines[i].length <= 76);
  assert.ok(lines[subj + 1].startsWith(' '), 'the long subject is folded');
  assert.doesNotMatch(m.parsed.text, /Changed|Reminder|Cancelled/, 'no English line');
  assert.match(m.parsed.text, /原定时间/);

  const py = spawnSync('python3', ['-c', `
import sys, json, email
from email import policy
msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
parts = [p for p in msg.walk()]
print(json.dumps({
  "type": msg.get_content_type(),
  "subject": str(msg["subject"]),
  "parts": [p.get_content_type() for p in parts[1:]],
  "method": [p.get_param("method") for p in parts if p.get_content_type() == "text/calendar"],
  "text": msg.get_body(preferencelist=("plain",)).get_content(),
  "cal": [p.get_content() for p in parts if p.get_content_type() == "text/calendar"],
}))
`], { input: m.raw });
  assert.equal(py.status, 0, py.stderr.toString());
  const p = JSON.parse(py.stdout.toString());
  assert.equal(p.type, 'multipart/alternative');
  assert.deepEqual(p.parts, ['text/plain', 'text/calendar']);
  assert.deepEqual(p.method, ['REQUEST']);
  assert.equal(p.subject, m.parsed.subject, 'python and mailparser read the same subject');
  assert.match(p.subject, /心理健康科普及减压活动（香蜜湖街道竹园社区）/);
  assert.match(p.text, /原定时间/);
  assert.match(p.cal[0], /BEGIN:VEVENT/);
});
