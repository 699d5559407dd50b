// The channels beside e-mail end to end: hearth posts to receivers on
// 127.0.0.1 that check what the real services check (tests/lib/
// receivers.mjs) — a WeCom robot's message shape, a DingTalk robot's sign
// recomputed from its secret and timestamp, each SMS provider's request
// signature recomputed from its documented algorithm — over HTTPS with a
// throwaway CA. Time moves through the fake clock.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, api, login, run } from '../lib/harness.mjs';
import { makePki, startRobots, startSms, DINGTALK_SIGN_ERRCODE } from '../lib/receivers.mjs';
import { expectError, expectStatus } from './util.mjs';

const cleanups = [];
const pki = makePki();
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(pki.dir, { recursive: true, force: true });
});

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MIN = 60e3;
const HOUR = 3600e3;
const DAY = 86400e3;
const WKEY = '693a91f6-7b2c-4bc4-97a0-0ec2aaaa5aaa';
const DTOKEN = 'c0ffee0123456789abcdef';
const DSECRET = 'SEC3b1f0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0';
const ALI = { keyId: 'LTAI5tTestKeyId0001', secret: 'testAliSecretValue0001' };
const TC = { keyId: 'AKIDtestSecretId000000000001', secret: 'testTencentSecretKey0001', appId: '1400006666' };

// UTC ms of a Shanghai wall-clock time `days` after today, the day the
// file started (one day for the whole run, even across midnight: the
// times a test puts shifts at and moves the clock to stay together).
const START = Date.now();
function at(days, hh, mm = 0) {
  const d = new Date(START + 8 * HOUR);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, hh - 8, mm);
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
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

function smsEnv(provider, recv, extra = {}) {
  const cred = provider === 'aliyun' ? ALI : TC;
  return {
    HEARTH_SMS_PROVIDER: provider,
    HEARTH_SMS_ENDPOINT: `${recv.url}/`,
    HEARTH_SMS_KEY_ID: cred.keyId,
    HEARTH_SMS_KEY_SECRET: cred.secret,
    HEARTH_SMS_SIGN_NAME: '心访工作室',
    ...(provider === 'tencent' ? { HEARTH_SMS_APP_ID: TC.appId } : {}),
    HEARTH_SMS_TEMPLATE_REGISTERED: provider === 'aliyun' ? 'SMS_400001' : '1900001',
    HEARTH_SMS_TEMPLATE_PROMOTED: provider === 'aliyun' ? 'SMS_400002' : '1900002',
    HEARTH_SMS_TEMPLATE_CHANGE: provider === 'aliyun' ? 'SMS_400003' : '1900003',
    HEARTH_SMS_TEMPLATE_CANCEL: provider === 'aliyun' ? 'SMS_400004' : '1900004',
    HEARTH_SMS_TEMPLATE_REMINDER: provider === 'aliyun' ? 'SMS_400005' : '1900005',
    ...extra,
  };
}

// A server with the robots' receiver (and an SMS receiver when asked).
async function setup({ sms, smsExtra, env = {}, dir, smsSecret } = {}) {
  const robots = await startRobots({ tls: pki });
  cleanups.push(() => robots.close());
  robots.addWecom(WKEY);
  robots.addDingtalk(DTOKEN, DSECRET);
  let smsRecv = null;
  if (sms) {
    const cred = sms === 'aliyun' ? ALI : TC;
    smsRecv = await startSms({ provider: sms, keyId: cred.keyId, secret: smsSecret || cred.secret, appId: TC.appId, tls: pki });
    cleanups.push(() => smsRecv.close());
  }
  const s = await startServer({
    dir,
    env: {
      HEARTH_FAKE_CLOCK: '1',
      HEARTH_WECOM_URL: robots.wecomUrl,
      HEARTH_DINGTALK_URL: robots.dingtalkUrl,
      HEARTH_NOTIFY_CA_FILE: pki.caFile,
      HEARTH_NOTIFY_TIMEOUT_MS: '1500',
      HEARTH_ROBOT_RATE: '600',
      HEARTH_SMS_RATE: '6000',
      ...(sms ? smsEnv(sms, smsRecv, smsExtra) : {}),
      ...env,
    },
  });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const call = async (method, path, body) => api(s.url, method, path, { token, body });
  const clock = async (ms) => expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(ms) }), 200);
  const outbox = async (q = '') => {
    const r = await call('GET', `/api/v1/outbox?limit=200${q}`);
    expectStatus(r, 200);
    return r.body;
  };
  const row = async (id) => (await call('GET', `/api/v1/outbox/${id}`)).body;
  return { s, robots, sms: smsRecv, call, clock, outbox, row };
}

async function station(call, code, name) {
  const r = await call('POST', '/api/v1/stations', { code, name, kind: 'street' });
  expectStatus(r, 201);
  return r.body;
}

async function counsellor(call, name) {
  const r = await call('POST', '/api/v1/counsellors', { name, email: `c${Math.random().toString(16).slice(2)}@example.org` });
  expectStatus(r, 201);
  return r.body;
}

async function shift(call, st, c, start, end) {
  const r = await call('POST', '/api/v1/shifts', { station_id: st.id, counsellor_id: c ? c.id : null, start: iso(start), end: iso(end) });
  expectStatus(r, 201);
  return r.body;
}

async function register(s, eventId, body) {
  const r = await api(s.url, 'POST', `/api/v1/events/${eventId}/registrations`, { body });
  expectStatus(r, 201);
  return r.body;
}

test('a coordinator configures a WeCom robot for a station; the morning duty arrives at 08:00 station time, once', async () => {
  const { robots, call, clock, outbox } = await setup();
  const st = await station(call, 'YLJD', '园岭街道工作点');
  const wang = await counsellor(call, '王老师');
  await shift(call, st, wang, at(1, 9), at(1, 12));
  await shift(call, st, null, at(1, 14), at(1, 17));

  const put = await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: `${robots.wecomUrl}?key=${WKEY}` });
  expectStatus(put, 201);
  assert.equal(put.body.channel, 'wecom');
  assert.equal(put.body.webhook_hint, '••••5aaa');
  assert.ok(!put.text.includes(WKEY), 'the key is never sent back');
  const got = await call('GET', `/api/v1/stations/${st.id}/robots`);
  expectStatus(got, 200);
  assert.equal(got.body.wecom.webhook_hint, '••••5aaa');
  assert.equal(got.body.dingtalk, null);
  for (const path of [`/api/v1/stations/${st.id}/robots`, '/api/v1/channels', '/api/v1/audit?limit=50']) {
    assert.ok(!(await call('GET', path)).text.includes(WKEY), `${path} hides the key`);
  }

  await clock(at(1, 7, 59));
  await pause(500);
  assert.equal(robots.messages.filter((m) => /今日值班/.test(m.text)).length, 0, 'not before 08:00');
  await clock(at(1, 8, 1));
  const m = await robots.waitFor((x) => /今日值班/.test(x.text));
  assert.equal(m.channel, 'wecom');
  assert.equal(m.key, WKEY);
  assert.equal(m.body.msgtype, 'markdown');
  assert.match(m.text, /^### 今日值班 \d+月\d+日（周.）\n/);
  assert.match(m.text, /\*\*园岭街道工作点\*\*/);
  assert.match(m.text, /> 09:00–12:00 王老师/);
  assert.match(m.text, /> 14:00–17:00 （空缺，待安排）/);
  const rows = await outbox('&channel=wecom&kind=duty_day');
  assert.equal(rows.total, 1);
  assert.equal(rows.items[0].channel, 'wecom');
  assert.equal(rows.items[0].station_name, '园岭街道工作点');
  await until('the row sent', async () => (await outbox('&channel=wecom&kind=duty_day')).items[0].status === 'sent');

  await clock(at(1, 9, 30));
  await pause(500);
  assert.equal(robots.messages.filter((x) => /今日值班/.test(x.text)).length, 1, 'once a day');
  await clock(at(2, 8, 5));
  await pause(500);
  assert.equal(robots.messages.filter((x) => /今日值班/.test(x.text)).length, 1, 'no duty that day: no message');
});

test('roster changes reach the station\'s robot and the district\'s, gathered for ten minutes', async () => {
  const { robots, call, clock, outbox } = await setup();
  const st = await station(call, 'LHJD', '莲花街道工作点');
  const a = await counsellor(call, '甲老师');
  const b = await counsellor(call, '乙老师');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: WKEY }), 201);
  expectStatus(await call('PUT', '/api/v1/robots/dingtalk', { webhook: DTOKEN, secret: DSECRET }), 201);
  const s1 = await shift(call, st, a, at(3, 9), at(3, 12));
  const s2 = await shift(call, st, a, at(4, 9), at(4, 12));
  expectStatus(await call('PATCH', `/api/v1/shifts/${s1.id}`, { counsellor_id: b.id }), 200);
  expectStatus(await call('DELETE', `/api/v1/shifts/${s2.id}`), 204);
  const pending = (await outbox('&kind=roster')).items.filter((i) => i.channel !== 'email');
  assert.deepEqual(pending.map((i) => i.channel).sort(), ['dingtalk', 'wecom'], 'one gathering notice per robot');
  assert.ok(pending.every((i) => i.status === 'pending'));
  assert.equal((await outbox('&kind=roster&channel=email')).total, 2, 'the counsellors\' own mail as before');

  await clock(Date.now() + 11 * MIN);
  const w = await robots.waitFor((x) => x.channel === 'wecom' && /值班安排变动/.test(x.text));
  const d = await robots.waitFor((x) => x.channel === 'dingtalk' && /值班安排变动/.test(x.text));
  assert.match(w.text, /### 值班安排变动 · 莲花街道工作点/);
  assert.match(w.text, /- 新增 \d+月\d+日（周.）09:00–12:00 甲老师/);
  assert.match(w.text, /- 改派 \d+月\d+日（周.）09:00–12:00 乙老师（原为 甲老师）/);
  assert.match(w.text, /- 取消 \d+月\d+日（周.）09:00–12:00 甲老师/);
  assert.match(d.text, /莲花街道工作点：新增/, 'the district\'s lines name the station');
  assert.equal(d.title, '值班安排变动');
  await pause(300);
  assert.equal(robots.messages.length, 2);
});

test('event changes and cancellations reach the robots once each; a DingTalk robot signs its requests', async () => {
  const { robots, call } = await setup();
  const st = await station(call, 'HFJD', '华富街道工作点');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/dingtalk`, { webhook: `${robots.dingtalkUrl}?access_token=${DTOKEN}`, secret: DSECRET }), 201);
  expectStatus(await call('PUT', '/api/v1/robots/wecom', { webhook: WKEY }), 201);
  const start = at(5, 14, 30);
  const ev = (await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '情绪管理讲座', station_id: st.id, venue: '三楼会议室', start: iso(start), end: iso(start + 2 * HOUR),
  })).body;
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/reschedule`, { start: iso(start + DAY), end: iso(start + DAY + 2 * HOUR), reason: '场地冲突' }), 200);
  const moved = await robots.waitFor((x) => x.channel === 'dingtalk' && /活动时间变更/.test(x.text));
  assert.match(moved.text, /讲座「情绪管理讲座」/);
  assert.match(moved.text, /> 原定：.*14:30–16:30/);
  assert.match(moved.text, /> 地点：华富街道工作点 三楼会议室/);
  assert.match(moved.text, /> 原因：场地冲突/);
  await robots.waitFor((x) => x.channel === 'wecom' && /活动时间变更/.test(x.text));
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '讲师生病' }), 200);
  const gone = await robots.waitFor((x) => x.channel === 'wecom' && /活动取消/.test(x.text));
  assert.match(gone.text, /> 已取消/);
  assert.match(gone.text, /讲师生病/);
  await robots.waitFor((x) => x.channel === 'dingtalk' && /活动取消/.test(x.text));
  await pause(400);
  assert.equal(robots.messages.length, 4, 'two notices, two robots, each once');
  // An event of no station reaches the district's robot alone.
  const e2 = (await call('POST', '/api/v1/events', { kind: 'training', title: '全区培训', start: iso(start), end: iso(start + HOUR) })).body;
  expectStatus(await call('POST', `/api/v1/events/${e2.id}/cancel`, { reason: '改期' }), 200);
  await robots.waitFor((x) => x.channel === 'wecom' && /全区培训/.test(x.text));
  await pause(400);
  assert.equal(robots.messages.filter((x) => /全区培训/.test(x.text)).length, 1);
});

test('a wrong DingTalk secret is refused with DingTalk\'s own error; the row backs off 1 min … 12 h and dies with that text', async () => {
  const { robots, call, clock, row } = await setup();
  const st = await station(call, 'XMJD', '香蜜湖街道工作点');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/dingtalk`, { webhook: DTOKEN, secret: 'SECwrongwrongwrongwrong0000' }), 201);
  const t = await call('POST', `/api/v1/stations/${st.id}/robots/dingtalk/test`);
  expectStatus(t, 202);
  const id = t.body.outbox_id;
  let m = await until('a failed try', async () => { const x = await row(id); return x.status === 'failed' && x; });
  assert.equal(m.attempts, 1);
  assert.equal(m.channel, 'dingtalk');
  assert.match(m.last_error, new RegExp(`^errcode ${DINGTALK_SIGN_ERRCODE}: description:机器人发送签名不匹配`));
  const gaps = [5 * MIN, 30 * MIN, 2 * HOUR, 12 * HOUR];
  for (let i = 0; i < gaps.length; i++) {
    const when = Date.parse(m.next_attempt_at) + 1000;
    await clock(when);
    const n = m.attempts + 1;
    m = await until(`try ${n}`, async () => { const x = await row(id); return x.attempts === n && x.status === 'failed' && x; });
    const gap = Date.parse(m.next_attempt_at) - when;
    assert.ok(gap > gaps[i] - 5000 && gap <= gaps[i] + 5000, `back-off ${i + 2}: ${gap} ms`);
  }
  await clock(Date.parse(m.next_attempt_at) + 1000);
  m = await until('dead', async () => { const x = await row(id); return x.status === 'dead' && x; });
  assert.equal(m.attempts, 6);
  assert.match(m.last_error, /^errcode 310000: description:机器人发送签名不匹配/);
  assert.equal(robots.messages.length, 0);

  // The right secret, then "retry now": the row is sent with it.
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/dingtalk`, { secret: DSECRET }), 200);
  expectStatus(await call('POST', `/api/v1/outbox/${id}/retry`), 200);
  const ok = await robots.waitFor((x) => x.channel === 'dingtalk');
  assert.match(ok.text, /测试消息/);
  assert.equal((await until('sent', async () => { const x = await row(id); return x.status === 'sent' && x; })).attempts, 7);
});

test('HTTP 5xx and a receiver that never answers: back-off (the channel pauses), then dead', async () => {
  const { robots, call, clock, row, outbox } = await setup();
  const st = await station(call, 'FTJD', '福田街道工作点');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: WKEY }), 201);
  expectStatus(await call('PUT', '/api/v1/robots/wecom', { webhook: WKEY }), 201);
  robots.setMode('5xx');
  // One change, two WeCom robots (the station's, the district's): two rows
  // in one commit.
  const start = at(5, 9);
  const ev = (await call('POST', '/api/v1/events', { kind: 'group', title: '团体辅导', station_id: st.id, start: iso(start), end: iso(start + HOUR) })).body;
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '测试' }), 200);
  const first = await until('a failed try', async () => (await outbox('&channel=wecom&status=failed')).items[0]);
  const id = first.id;
  let m = await row(id);
  assert.equal(m.last_error, 'HTTP 503: <html>503 Service Temporarily Unavailable</html>');
  await pause(500);
  const b = await outbox('&channel=wecom&kind=cancel');
  assert.equal(b.counts.failed, 1);
  assert.equal(b.counts.pending, 1, 'a service that is down pauses the channel: the other waits untried');
  const waiting = b.items.find((i) => i.status === 'pending');
  assert.equal(waiting.attempts, 0);
  // The other's robot goes: its row is skipped, this one goes on alone.
  expectStatus(await call('DELETE', waiting.station_id ? `/api/v1/stations/${st.id}/robots/wecom` : '/api/v1/robots/wecom'), 204);

  robots.setMode('hang');
  await clock(Date.parse(m.next_attempt_at) + 1000);
  m = await until('a timed-out try', async () => { const x = await row(id); return x.attempts === 2 && x.status === 'failed' && x; }, 15000);
  assert.match(m.last_error, /timed out/i);
  for (let n = 3; n <= 6; n++) {
    await clock(Date.parse(m.next_attempt_at) + 1000);
    m = await until(`try ${n}`, async () => { const x = await row(id); return x.attempts === n && (x.status === 'failed' || x.status === 'dead') && x; }, 15000);
  }
  assert.equal(m.status, 'dead');
  assert.match(m.last_error, /timed out/i);
  assert.equal((await outbox('&channel=wecom&status=dead')).total >= 1, true);
  robots.setMode('accept');
});

test('HTTPS is verified: a receiver whose certificate another CA signed is refused', async () => {
  const { robots, call, row } = await setup({ env: { HEARTH_NOTIFY_CA_FILE: pki.otherCaFile } });
  const st = await station(call, 'SHJD', '沙头街道工作点');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: WKEY }), 201);
  const id = (await call('POST', `/api/v1/stations/${st.id}/robots/wecom/test`)).body.outbox_id;
  const m = await until('a failed try', async () => { const x = await row(id); return x.status === 'failed' && x; });
  assert.match(m.last_error, /certificate/i);
  assert.equal(robots.messages.length, 0);
});

test('missing duty logs reach the station\'s robot twelve hours after the shift; a written log stops its notice', async () => {
  const { robots, call, clock } = await setup();
  const st = await station(call, 'MLJD', '梅林街道工作点');
  const c = await counsellor(call, '丙老师');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: WKEY }), 201);
  const s1 = await shift(call, st, c, at(1, 9), at(1, 12));
  const s2 = await shift(call, st, c, at(1, 14), at(1, 17));
  await clock(at(1, 18));
  expectStatus(await call('PUT', `/api/v1/shifts/${s2.id}/log`, { attended: true, values: { visitors: 3 } }), 200);
  await clock(at(2, 0, 1));
  const m = await robots.waitFor((x) => /值班记录待填写/.test(x.text));
  assert.match(m.text, /> 丙老师 \d+月\d+日（周.）09:00–12:00 梅林街道工作点/);
  await clock(at(2, 6));
  await pause(500);
  assert.equal(robots.messages.filter((x) => /值班记录待填写/.test(x.text)).length, 1, 'one per shift; none for the logged one');
  void s1;
});

test('SMS through Alibaba Cloud: confirmed, exactly one on promotion from the waitlist, the day before, changed, cancelled', async () => {
  const { s, sms, call, clock, outbox } = await setup({ sms: 'aliyun' });
  const st = await station(call, 'NYJD', '南园街道工作点');
  const start = at(4, 14, 30);
  const ev = (await call('POST', '/api/v1/events', {
    kind: 'salon', title: '亲子沟通沙龙', public: true, capacity: 1, station_id: st.id, venue: '二楼活动室',
    start: iso(start), end: iso(start + 2 * HOUR), reminders: [60],
  })).body;
  const pub = (await api(s.url, 'GET', `/api/v1/public/events/${ev.id}`)).body;
  assert.equal(pub.sms, true, 'the form offers SMS');
  const a = await register(s, ev.id, { name: '李梅', phone: '13800138000' });
  const b = await register(s, ev.id, { name: '陈红', phone: '+86 139-0000-0000' });
  assert.equal(b.status, 'waitlisted');
  const confirmed = await sms.waitFor((m) => m.phone === '13800138000');
  assert.equal(confirmed.template, 'SMS_400001');
  assert.equal(confirmed.signName, '心访工作室');
  assert.deepEqual(Object.keys(confirmed.params).sort(), ['place', 'time', 'title']);
  assert.equal(confirmed.params.title, '亲子沟通沙龙');
  assert.equal(confirmed.params.place, '南园街道工作点 二楼活动室');
  assert.match(confirmed.params.time, /^\d+月\d+日14:30$/);
  assert.match(confirmed.outId, /^sms-[0-9a-f]{32}$/);
  await pause(300);
  assert.equal(sms.messages.filter((m) => m.phone === '13900000000').length, 0, 'no SMS for a waitlist place');

  expectStatus(await api(s.url, 'DELETE', `/api/v1/registrations/${a.token}`), 200);
  const promoted = await sms.waitFor((m) => m.phone === '13900000000');
  assert.equal(promoted.template, 'SMS_400002');
  await pause(800);
  assert.equal(sms.messages.filter((m) => m.phone === '13900000000').length, 1, 'exactly one SMS for the promotion');
  const rows = await outbox('&channel=sms&kind=promoted');
  assert.equal(rows.total, 1);
  assert.equal(rows.items[0].recipient, '13900000000');
  assert.equal(rows.items[0].status, 'sent');
  const regs = (await call('GET', `/api/v1/events/${ev.id}/registrations`)).body.items;
  const rb = regs.find((x) => x.id === b.id);
  assert.ok(rb.channels.some((c) => c.channel === 'sms' && c.sent === 1), JSON.stringify(rb.channels));
  assert.equal(rb.sms, true);

  // The day before: the participant still registered, not the one who left.
  await clock(start - DAY + MIN);
  const rem = await sms.waitFor((m) => m.template === 'SMS_400005');
  assert.equal(rem.phone, '13900000000');
  await pause(300);
  assert.equal(sms.messages.filter((m) => m.template === 'SMS_400005').length, 1);

  expectStatus(await call('POST', `/api/v1/events/${ev.id}/reschedule`, { start: iso(start + HOUR), end: iso(start + 3 * HOUR), reason: '场地调整' }), 200);
  const changed = await sms.waitFor((m) => m.template === 'SMS_400003');
  assert.match(changed.params.time, /15:30$/);
  expectStatus(await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '暂停' }), 200);
  await sms.waitFor((m) => m.template === 'SMS_400004');
  await pause(300);
  assert.equal(sms.messages.length, 5, 'confirmed, promoted, reminder, changed, cancelled');
  assert.equal(new Set(sms.messages.map((m) => m.outId)).size, 5);
});

test('SMS through Tencent Cloud (TC3-HMAC-SHA256); a wrong secret key is refused with AuthFailure and backs off', async () => {
  const good = await setup({ sms: 'tencent' });
  const ev = (await good.call('POST', '/api/v1/events', {
    kind: 'lecture', title: '压力管理讲座', public: true, start: iso(at(3, 9)), end: iso(at(3, 11)), reminders: [],
  })).body;
  await register(good.s, ev.id, { name: '周敏', phone: '15012345678' });
  const m = await good.sms.waitFor((x) => x.phone === '15012345678');
  assert.equal(m.template, '1900001');
  assert.deepEqual(m.params, ['压力管理讲座', m.params[1], '另行通知']);
  assert.match(m.params[1], /^\d+月\d+日09:00$/);
  assert.match(m.outId, /^sms-/);

  const bad = await setup({ sms: 'tencent', smsSecret: 'theReceiverKnowsAnotherKey' });
  const ev2 = (await bad.call('POST', '/api/v1/events', {
    kind: 'lecture', title: '睡眠讲座', public: true, start: iso(at(3, 9)), end: iso(at(3, 11)),
  })).body;
  await register(bad.s, ev2.id, { name: '吴刚', phone: '15012345679' });
  const row = await until('a failed SMS', async () => (await bad.outbox('&channel=sms&status=failed')).items[0]);
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /^AuthFailure\.SignatureFailure: The provided credentials could not be validated/);
  assert.equal(bad.sms.messages.length, 0);
  await bad.clock(Date.parse(row.next_attempt_at) + 1000);
  const again = await until('a second try', async () => { const x = (await bad.outbox('&channel=sms')).items[0]; return x.attempts === 2 && x.status === 'failed' && x; });
  assert.match(again.last_error, /^AuthFailure\.SignatureFailure/);
});

test('SMS: mainland mobile numbers only, the explicit opt-out, the reminder opt-out, at most N a day per number', async () => {
  const { s, sms, call, clock, outbox } = await setup({ sms: 'aliyun', smsExtra: { HEARTH_SMS_DAILY_LIMIT: '2' } });
  const start = at(5, 10);
  const mk = async (title) => (await call('POST', '/api/v1/events', {
    kind: 'salon', title, public: true, start: iso(start), end: iso(start + HOUR), reminders: [60],
  })).body;
  const ev = await mk('沙龙一');
  for (const phone of ['0755-88880000', '12800138000', '+852 9123 4567', '138001380001', '138 0013 800']) {
    expectError(await api(s.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '某某', phone } }), 422, 'validation_failed', 'phone');
  }
  expectError(await api(s.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '某某', phone: '13800138000', sms: 'no' } }), 422, 'validation_failed', 'sms');

  // sms:false at registration: nothing is queued for them.
  const quiet = await register(s, ev.id, { name: '不要短信', phone: '13700000001', sms: false });
  assert.equal((await api(s.url, 'GET', `/api/v1/registrations/${quiet.token}`)).body.sms, false);
  // Opting out later skips what waits (the reminder); opting in brings it back.
  const later = await register(s, ev.id, { name: '后来退订', phone: '13700000002' });
  await sms.waitFor((m) => m.phone === '13700000002');
  let reminder = (await outbox('&channel=sms&kind=reminder')).items.find((i) => i.recipient === '13700000002');
  assert.equal(reminder.status, 'pending');
  expectError(await api(s.url, 'PUT', `/api/v1/registrations/${later.token}/sms`, { body: { enabled: 'no' } }), 422, 'validation_failed', 'enabled');
  expectError(await api(s.url, 'PUT', '/api/v1/registrations/ffffffffffffffffffffffffffffffff/sms', { body: { enabled: false } }), 404, 'not_found');
  const off = await api(s.url, 'PUT', `/api/v1/registrations/${later.token}/sms`, { body: { enabled: false } });
  expectStatus(off, 200);
  assert.equal(off.body.sms, false);
  reminder = (await outbox('&channel=sms&kind=reminder')).items.find((i) => i.recipient === '13700000002');
  assert.equal(reminder.status, 'skipped');
  assert.match(reminder.last_error, /turned SMS off/);
  expectStatus(await api(s.url, 'PUT', `/api/v1/registrations/${later.token}/sms`, { body: { enabled: true } }), 200);
  reminder = (await outbox('&channel=sms&kind=reminder')).items.find((i) => i.recipient === '13700000002');
  assert.equal(reminder.status, 'pending', 'opting in again brings the reminder back');
  // The reminder opt-out (the e-mail link) stops SMS reminders too.
  expectStatus(await api(s.url, 'PUT', `/api/v1/registrations/${later.token}/reminders`, { body: { enabled: false } }), 200);
  reminder = (await outbox('&channel=sms&kind=reminder')).items.find((i) => i.recipient === '13700000002');
  assert.equal(reminder.status, 'skipped');

  // Per number: at most 2 in 24 hours; the third is skipped, not sent.
  const limited = '13700000003';
  for (const title of ['沙龙二', '沙龙三', '沙龙四']) await register(s, (await mk(title)).id, { name: '常客', phone: limited });
  await until('two sent, one skipped', async () => {
    const rows = (await outbox('&channel=sms&kind=registered')).items.filter((i) => i.recipient === limited);
    return rows.filter((i) => i.status === 'sent').length === 2 && rows.filter((i) => i.status === 'skipped').length === 1 && rows;
  });
  const skipped = (await outbox('&channel=sms&status=skipped&kind=registered')).items.find((i) => i.recipient === limited);
  assert.match(skipped.last_error, /rate limit: 2 SMS to this number in 24 hours/);
  assert.equal(sms.messages.filter((m) => m.phone === limited).length, 2);
  // A day later the number may get SMS again.
  await clock(Date.now() + DAY + HOUR);
  await register(s, (await mk('沙龙五')).id, { name: '常客', phone: limited });
  await until('a third, a day later', async () => sms.messages.filter((m) => m.phone === limited).length === 3);
  assert.equal(sms.messages.filter((m) => m.phone === '13700000001').length, 0, 'sms:false gets none');
});

test('kill -9 with robot and SMS messages pending: after a restart each arrives, a repeat only of the one in flight, with its id', async () => {
  const robots = await startRobots({ tls: pki });
  cleanups.push(() => robots.close());
  robots.addWecom(WKEY);
  const sms = await startSms({ provider: 'aliyun', keyId: ALI.keyId, secret: ALI.secret, tls: pki });
  cleanups.push(() => sms.close());
  robots.setDelay(150);
  sms.setDelay(150);
  const env = {
    HEARTH_FAKE_CLOCK: '1', HEARTH_WECOM_URL: robots.wecomUrl, HEARTH_DINGTALK_URL: '', HEARTH_NOTIFY_CA_FILE: pki.caFile,
    HEARTH_ROBOT_RATE: '600', HEARTH_SMS_RATE: '6000', ...smsEnv('aliyun', sms),
  };
  let s = await startServer({ env });
  const dir = s.dir;
  let token = await login(s.url);
  const call = async (method, path, body) => api(s.url, method, path, { token, body });
  const st = await station(call, 'KILL', '重启测试工作点');
  expectStatus(await call('PUT', `/api/v1/stations/${st.id}/robots/wecom`, { webhook: WKEY }), 201);
  const ev = (await call('POST', '/api/v1/events', { kind: 'salon', title: '重启沙龙', public: true, start: iso(at(3, 9)), end: iso(at(3, 11)), reminders: [] })).body;
  const n = 10;
  for (let i = 0; i < n; i++) {
    expectStatus(await call('POST', `/api/v1/stations/${st.id}/robots/wecom/test`), 202);
    await register(s, ev.id, { name: `参加者${i}`, phone: `1360000${String(i).padStart(4, '0')}` });
  }
  await until('the first of each', () => robots.messages.length >= 2 && sms.messages.length >= 2, 15000);
  await s.kill();
  assert.ok(robots.messages.length < n && sms.messages.length < n, `killed mid-way (${robots.messages.length}, ${sms.messages.length} of ${n})`);

  s = await startServer({ env, dir });
  cleanups.push(() => s.stop());
  token = await login(s.url);
  await until('every robot message', () => new Set(robots.messages.map((m) => m.id)).size === n, 20000);
  await until('every SMS', () => new Set(sms.messages.map((m) => m.phone)).size === n, 20000);
  const repeats = (list, keyOf) => {
    const seen = new Map();
    for (const m of list) seen.set(keyOf(m), (seen.get(keyOf(m)) || 0) + 1);
    return [...seen.values()].filter((c) => c > 1).length;
  };
  assert.ok(repeats(robots.messages, (m) => m.id) <= 1, 'at most the robot message in flight repeats');
  assert.ok(repeats(sms.messages, (m) => m.outId) <= 1, 'at most the SMS in flight repeats');
  for (const m of sms.messages) {
    const same = sms.messages.filter((x) => x.phone === m.phone);
    assert.equal(new Set(same.map((x) => x.outId)).size, 1, 'a repeat keeps its OutId');
  }
  await until('every row sent', async () => {
    const b = (await api(s.url, 'GET', '/api/v1/outbox?limit=100', { token })).body;
    return b.items.every((i) => i.status === 'sent') && b.total === 2 * n;
  }, 15000);
});

test('robot settings: validation, a channel turned off, removal skips what waits, the outbox by channel', async () => {
  const { s, robots, call, clock, outbox } = await setup();
  const st = await station(call, 'VALJ', '校验工作点');
  const base = `/api/v1/stations/${st.id}/robots`;
  expectError(await call('PUT', `${base}/wecom`, {}), 422, 'validation_failed', 'webhook');
  expectError(await call('PUT', `${base}/wecom`, { webhook: `https://evil.example/cgi-bin/webhook/send?key=${WKEY}` }), 422, 'validation_failed', 'webhook');
  expectError(await call('PUT', `${base}/wecom`, { webhook: `${robots.wecomUrl}?token=${WKEY}` }), 422, 'validation_failed', 'webhook');
  expectError(await call('PUT', `${base}/wecom`, { webhook: 'short' }), 422, 'validation_failed', 'webhook');
  expectError(await call('PUT', `${base}/wecom`, { webhook: WKEY, secret: DSECRET }), 422, 'validation_failed', 'secret');
  expectError(await call('PUT', `${base}/dingtalk`, { webhook: DTOKEN, secret: 'SEC has spaces' }), 422, 'validation_failed', 'secret');
  expectError(await call('PUT', `${base}/wecom`, { webhook: WKEY, colour: 'red' }), 422, 'validation_failed', 'colour');
  expectError(await call('PUT', `${base}/fax`, { webhook: WKEY }), 404, 'not_found');
  expectError(await call('PUT', '/api/v1/stations/999999/robots/wecom', { webhook: WKEY }), 404, 'not_found');
  expectError(await call('DELETE', `${base}/wecom`), 404, 'not_found');
  expectError(await call('POST', `${base}/wecom/test`), 404, 'not_found');
  expectError(await api(s.url, 'GET', '/api/v1/channels'), 401, 'unauthorized');
  expectError(await api(s.url, 'PUT', '/api/v1/robots/wecom', { body: { webhook: WKEY } }), 401, 'unauthorized');
  assert.equal((await outbox()).total, 0, 'rejected requests wrote nothing');

  expectStatus(await call('PUT', `${base}/wecom`, { webhook: WKEY }), 201);
  const off = await call('PUT', `${base}/wecom`, { active: false });
  expectStatus(off, 200);
  assert.equal(off.body.active, false);
  expectError(await call('POST', `${base}/wecom/test`), 409, 'conflict', 'active');
  expectStatus(await call('PUT', `${base}/wecom`, { active: true }), 200);

  // A notice still gathering when the robot is removed is skipped.
  const c = await counsellor(call, '丁老师');
  await shift(call, st, c, at(3, 9), at(3, 12));
  assert.equal((await outbox('&channel=wecom&kind=roster')).items[0].status, 'pending');
  expectStatus(await call('DELETE', `${base}/wecom`), 204);
  const skipped = (await outbox('&channel=wecom&kind=roster')).items[0];
  assert.equal(skipped.status, 'skipped');
  assert.match(skipped.last_error, /robot was removed/);
  await clock(Date.now() + 11 * MIN);
  await pause(400);
  assert.equal(robots.messages.length, 0);

  expectError(await call('GET', '/api/v1/outbox?channel=fax'), 422, 'validation_failed', 'channel');
  expectStatus(await call('PUT', `${base}/dingtalk`, { webhook: DTOKEN, secret: DSECRET }), 201);
  expectStatus(await call('POST', `${base}/dingtalk/test`), 202);
  await robots.waitFor((m) => m.channel === 'dingtalk');
  const byCh = await outbox('&channel=dingtalk');
  assert.equal(byCh.total, 1);
  assert.equal(byCh.counts.sent + byCh.counts.sending + byCh.counts.pending, 1);
  const mail = await outbox('&channel=email');
  assert.ok(mail.total >= 1 && mail.items.every((i) => i.channel === 'email'), 'the filter keeps one channel');
  const audit = (await call('GET', '/api/v1/audit?limit=50')).body.items.filter((a) => a.entity === 'robot');
  assert.ok(audit.some((a) => a.action === 'test') && audit.some((a) => a.action === 'delete'), JSON.stringify(audit.map((a) => a.action)));

  // WeCom turned off in the configuration: nothing to configure.
  const none = await setup({ env: { HEARTH_WECOM_URL: '' } });
  const st2 = await station(none.call, 'OFFW', '关闭测试');
  const turnedOff = await none.call('PUT', `/api/v1/stations/${st2.id}/robots/wecom`, { webhook: WKEY });
  expectError(turnedOff, 409, 'conflict', 'channel');
  assert.match(turnedOff.body.error.message, /^企业微信群机器人未启用/);
  const ch = (await none.call('GET', '/api/v1/channels')).body;
  assert.equal(ch.wecom.enabled, false);
  assert.equal(ch.dingtalk.enabled, true);
  assert.equal(ch.sms.configured, false);
  assert.equal(ch.duty_message_time, '08:00');
});

test('a channel turned off in the configuration: what it had queued is skipped at the next start, not left pending', async () => {
  const first = await setup({ sms: 'aliyun' });
  const ev = (await first.call('POST', '/api/v1/events', {
    kind: 'salon', title: '关停测试', public: true, start: iso(at(4, 10)), end: iso(at(4, 11)), reminders: [60],
  })).body;
  await register(first.s, ev.id, { name: '某某', phone: '13500000001' });
  await until('the reminder queued', async () => (await first.outbox('&channel=sms&kind=reminder')).items[0]);
  const dir = first.s.dir;
  await first.s.stop({ keep: true });
  const s = await startServer({ dir, env: { HEARTH_FAKE_CLOCK: '1' } });
  cleanups.push(() => s.stop());
  const token = await login(s.url);
  const row = (await api(s.url, 'GET', '/api/v1/outbox?channel=sms&kind=reminder', { token })).body.items[0];
  assert.equal(row.status, 'skipped');
  assert.match(row.last_error, /turned off in the configuration/);
});

test('channel settings that do not hold together stop the start', async () => {
  const cases = [
    [{ HEARTH_WECOM_URL: 'http://qyapi.example.cn/cgi-bin/webhook/send' }, /wecom_url and dingtalk_url/],
    [{ HEARTH_DINGTALK_URL: 'ftp://127.0.0.1/robot/send' }, /wecom_url and dingtalk_url/],
    [{ HEARTH_NOTIFY_TIMEOUT_MS: '50' }, /notify_timeout_ms/],
    [{ HEARTH_ROBOT_RATE: '0' }, /robot_rate/],
    [{ HEARTH_DUTY_MESSAGE_TIME: '25:00' }, /duty_message_time/],
    [{ HEARTH_SMS_PROVIDER: 'cmcc' }, /sms_provider must be/],
    [{ HEARTH_SMS_PROVIDER: 'aliyun' }, /set sms_key_id/],
    [{ HEARTH_SMS_PROVIDER: 'tencent', HEARTH_SMS_KEY_ID: 'a', HEARTH_SMS_KEY_SECRET: 'b', HEARTH_SMS_SIGN_NAME: 'c' }, /sms_app_id/],
    [{ HEARTH_SMS_DAILY_LIMIT: '-1' }, /sms_daily_limit/],
  ];
  for (const [env, why] of cases) {
    const r = await run(['serve', '--db', '/nonexistent/never-created.db', '--listen', '127.0.0.1:0'], env);
    assert.equal(r.code, 1, JSON.stringify(env));
    assert.match(r.stderr, why);
  }
});
