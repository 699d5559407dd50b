// Browser test of the channels view (消息渠道, #/channels) against the real
// binary and HTTPS receivers on 127.0.0.1 (tests/lib/receivers.mjs): a
// coordinator sets a station's WeCom robot by pasting its webhook address
// and sends a test message that reaches the receiver; a DingTalk robot
// with a wrong signing secret shows DingTalk's own refusal; the key never
// shows again in the page; the SMS settings are shown read-only; the
// outbox filters by channel. Desktop and 390 px, screenshots kept.
// Run: HEARTH_BIN=$PWD/build/asan/hearth node --test tests/browser/channels.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { api } from '../lib/harness.mjs';
import { makePki, startRobots, startSms } from '../lib/receivers.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, uiLogin } from '../lib/browser.mjs';

const DESKTOP = { width: 1280, height: 820 };
const WKEY = '693a91f6-7b2c-4bc4-97a0-0ec2bbbb9f3c';
const DTOKEN = 'c0ffee0123456789abcdef';
const DSECRET = 'SEC3b1f0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0';
const XSS = '<img src=x onerror=alert(1)>';

let pki;
let robots;
let sms;
let server;
let browser;
let token;
let station;
let salon; // the activity a participant registers for on the phone

before(async () => {
  pki = makePki();
  robots = await startRobots({ tls: pki });
  robots.addWecom(WKEY);
  robots.addDingtalk(DTOKEN, DSECRET);
  sms = await startSms({ provider: 'aliyun', keyId: 'LTAI5tTestKeyId0001', secret: 'x', tls: pki });
  ({ server, browser, token } = await startSuite({
    env: {
      HEARTH_FAKE_CLOCK: '1',
      HEARTH_WECOM_URL: robots.wecomUrl,
      HEARTH_DINGTALK_URL: robots.dingtalkUrl,
      HEARTH_NOTIFY_CA_FILE: pki.caFile,
      HEARTH_ROBOT_RATE: '600',
      HEARTH_SMS_PROVIDER: 'aliyun',
      HEARTH_SMS_ENDPOINT: `${sms.url}/`,
      HEARTH_SMS_KEY_ID: 'LTAI5tTestKeyId0001',
      HEARTH_SMS_KEY_SECRET: 'x',
      HEARTH_SMS_SIGN_NAME: '心访工作室',
      HEARTH_SMS_TEMPLATE_REGISTERED: 'SMS_400001',
      HEARTH_SMS_TEMPLATE_PROMOTED: 'SMS_400002',
      HEARTH_SMS_TEMPLATE_CANCEL: 'SMS_400004',
    },
  }));
  station = (await api(server.url, 'POST', '/api/v1/stations', { token, body: { code: 'YLJD', name: `园岭街道工作点 ${XSS}`, kind: 'street' } })).body;
  await api(server.url, 'POST', '/api/v1/stations', { token, body: { code: 'HFJD', name: '华富街道工作点', kind: 'street' } });
});

after(async () => {
  await stopSuite();
  await robots?.close();
  await sms?.close();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const text = async (scope, sel) => ((await scope.locator(sel).first().textContent()) || '').trim();

async function noHorizontalScroll(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = await page.evaluate(() => window.innerWidth);
  assert.ok(w <= vw, `page is ${w}px wide in a ${vw}px window`);
}

test('a coordinator sets a station\'s WeCom robot and its test message arrives; a wrong DingTalk secret shows DingTalk\'s refusal', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session'], [422, '/robots/wecom']] });
  try {
    await page.goto(`${server.url}/`);
    await uiLogin(page);
    assert.equal(await text(page, `${T('nav-channels')} span`), '消息渠道');
    await page.click(T('nav-channels'));
    await page.waitForSelector(T('channels-stations-table'));
    assert.equal(await text(page, T('page-title')), '消息渠道');
    assert.equal(await text(page, T('district-wecom-state')), '未设置');
    assert.match(await text(page, T('channels-duty-time')), /08:00/);
    // SMS: read-only, what is configured and what is not.
    assert.equal(await text(page, T('sms-provider')), '阿里云短信');
    assert.equal(await text(page, T('sms-sign-name')), '【心访工作室】');
    assert.equal(await text(page, T('sms-key-id')), '••••0001');
    assert.equal(await text(page, T('sms-template-promoted')), 'SMS_400002');
    assert.equal(await text(page, T('sms-template-registered')), 'SMS_400001');
    assert.equal(await text(page, T('sms-template-reminder')), '未设置（不发送）');
    assert.equal(await text(page, T('sms-daily-limit')), '10 条');
    // The station's name is text, not markup.
    const row = page.locator(T('channels-station-row')).filter({ hasText: '园岭街道工作点' });
    assert.ok((await text(row, T('channels-station-name'))).includes(XSS));
    assert.equal(await page.locator(`${T('page-body')} img`).count(), 0);
    await page.screenshot({ path: join(SHOTS, 'channels.png'), fullPage: true });

    // The station's robots: paste the WeCom webhook, save, send a test.
    await row.locator(T('station-robots')).click();
    const dlg = page.locator(T('robot-dialog'));
    await dlg.locator(T('robot-wecom-form')).waitFor();
    await dlg.locator(T('robot-wecom-webhook')).fill(`https://evil.example/cgi-bin/webhook/send?key=${WKEY}`);
    await dlg.locator(T('robot-wecom-save')).click();
    await dlg.locator(`${T('robot-wecom-error')}:not([hidden])`).waitFor();
    assert.match(await text(dlg, T('robot-wecom-error')), /Webhook 地址不正确/);
    await dlg.locator(T('robot-wecom-webhook')).fill(`${robots.wecomUrl}?key=${WKEY}`);
    await dlg.locator(T('robot-wecom-save')).click();
    await dlg.locator(`${T('robot-wecom-state')}:has-text("••••9f3c")`).waitFor();
    assert.equal(await dlg.locator(T('robot-wecom-webhook')).inputValue(), '', 'the key is not shown again');
    await dlg.locator(T('robot-wecom-test')).click();
    await dlg.locator(`${T('robot-wecom-result')}[data-state="sent"]`).waitFor({ timeout: 15000 });
    assert.match(await text(dlg, T('robot-wecom-result')), /^测试消息已送达群聊/);
    const got = await robots.waitFor((m) => m.channel === 'wecom');
    assert.equal(got.key, WKEY);
    assert.match(got.text, /### 测试消息/);
    assert.ok(!(await page.content()).includes(WKEY), 'the key is nowhere in the page');
    await page.screenshot({ path: join(SHOTS, 'channels-robot-dialog.png') });

    // DingTalk with a secret DingTalk does not know: its 310000 answer shows.
    await dlg.locator(T('robot-dingtalk-webhook')).fill(DTOKEN);
    await dlg.locator(T('robot-dingtalk-secret')).fill('SECnotthesecretdingtalkknows000');
    await dlg.locator(T('robot-dingtalk-save')).click();
    await dlg.locator(`${T('robot-dingtalk-state')}:has-text("••••cdef")`).waitFor();
    await dlg.locator(T('robot-dingtalk-test')).click();
    await dlg.locator(`${T('robot-dingtalk-result')}[data-state="failed"]`).waitFor({ timeout: 15000 });
    assert.match(await text(dlg, T('robot-dingtalk-result')), /^发送失败：errcode 310000: description:机器人发送签名不匹配.*将在 \d\d:\d\d:\d\d 重试/);
    // The right secret: the next test goes through.
    await dlg.locator(T('robot-dingtalk-secret')).fill(DSECRET);
    await dlg.locator(T('robot-dingtalk-save')).click();
    await page.waitForTimeout(300);
    await dlg.locator(T('robot-dingtalk-test')).waitFor();
    await dlg.locator(T('robot-dingtalk-test')).click();
    await dlg.locator(`${T('robot-dingtalk-result')}[data-state="sent"]`).waitFor({ timeout: 15000 });
    await robots.waitFor((m) => m.channel === 'dingtalk');
    assert.ok(!(await page.content()).includes(DSECRET), 'the secret is nowhere in the page');
    await page.screenshot({ path: join(SHOTS, 'channels-robot-dialog-dingtalk.png') });
    await dlg.locator(T('robot-dialog-close')).click();
    await dlg.waitFor({ state: 'detached' });
    assert.equal(await text(row, T('station-wecom-state')), '••••9f3c');
    assert.equal(await text(row, T('station-dingtalk-state')), '••••cdef');

    // The outbox shows the channel and filters by it.
    await page.click(T('nav-outbox'));
    await page.waitForSelector(T('outbox-table'));
    await page.selectOption(T('outbox-channel-filter'), 'wecom');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-test="outbox-channel"]')];
      return cells.length > 0 && cells.every((c) => c.getAttribute('data-channel') === 'wecom');
    });
    assert.equal(await text(page, T('outbox-channel')), '企业微信');
    await page.locator(T('outbox-subject')).first().click();
    const det = page.locator(T('outbox-detail'));
    await det.locator(T('outbox-body')).waitFor();
    assert.match(await text(det, T('outbox-body')), /### 测试消息/);
    assert.equal(await text(det, T('outbox-field-channel')), '企业微信');
    await page.screenshot({ path: join(SHOTS, 'channels-outbox.png'), fullPage: true });
    await det.locator(T('outbox-detail-close')).click();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the channels view and the robot dialog at 390 px', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/channels`);
    await uiLogin(page);
    await page.waitForSelector(T('channels-stations-table'));
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SHOTS, 'channels-phone.png'), fullPage: true });
    await page.click(T('district-configure'));
    const dlg = page.locator(T('robot-dialog'));
    await dlg.locator(T('robot-dingtalk-form')).waitFor();
    await dlg.locator(T('robot-dingtalk-webhook')).fill(`${robots.dingtalkUrl}?access_token=${DTOKEN}`);
    await dlg.locator(T('robot-dingtalk-secret')).fill(DSECRET);
    await dlg.locator(T('robot-dingtalk-save')).tap();
    await dlg.locator(`${T('robot-dingtalk-state')}:has-text("••••cdef")`).waitFor();
    const box = await dlg.locator(T('robot-dingtalk-test')).boundingBox();
    assert.ok(box.height >= 44, `the test button is a big touch target (${box.height}px)`);
    await dlg.locator(T('robot-dingtalk-test')).tap();
    await dlg.locator(`${T('robot-dingtalk-result')}[data-state="sent"]`).waitFor({ timeout: 15000 });
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SHOTS, 'channels-robot-dialog-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the registration form offers SMS on a phone; the registration page turns it off', async () => {
  const start = Date.now() + 3 * 86400e3;
  const ev = (await api(server.url, 'POST', '/api/v1/events', {
    token, body: { kind: 'salon', title: '亲子沟通沙龙', public: true, station_id: station.id, start: new Date(start).toISOString(), end: new Date(start + 3600e3).toISOString() },
  })).body;
  salon = ev;
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[422, '/registrations']] });
  try {
    await page.goto(`${server.url}/e/${ev.id}`);
    await page.waitForSelector(T('reg-form'));
    assert.equal(await page.locator(T('reg-sms')).isChecked(), true, 'SMS on by default');
    await page.fill(T('reg-name'), '李梅');
    await page.fill(T('reg-phone'), '0755-88880000');
    await page.click(T('reg-submit'));
    await page.waitForSelector(T('error-phone'));
    assert.match(await text(page, T('error-phone')), /11 位/);
    await page.fill(T('reg-phone'), '+86 138 0013 8000');
    await page.screenshot({ path: join(SHOTS, 'registration-sms-phone.png'), fullPage: true });
    await page.click(T('reg-submit'));
    await page.waitForSelector(T('reg-sms-state'));
    assert.equal(await text(page, T('reg-sms-state')), '已开启');
    const confirmed = await sms.waitFor((m) => m.phone === '13800138000');
    assert.equal(confirmed.template, 'SMS_400001');
    await page.tap(T('reg-sms-toggle'));
    await page.waitForSelector(`${T('reg-sms')}[data-enabled="false"]`);
    assert.equal(await text(page, T('reg-sms-state')), '已退订');
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SHOTS, 'registration-sms-off-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an activity\'s detail lists each participant with the channels their messages took', async () => {
  assert.ok(salon, 'the previous test registered someone');
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
  try {
    const date = new Date(Date.parse(salon.start) + 8 * 3600e3).toISOString().slice(0, 10);
    await page.goto(`${server.url}/#/events/${date}`);
    await uiLogin(page);
    await page.click(`${T('cal-event')}:has-text("亲子沟通沙龙")`);
    const table = page.locator(T('event-registrations-table'));
    await table.waitFor();
    const row = table.locator(T('event-registration-row')).first();
    assert.ok((await row.textContent()).includes('李梅'));
    assert.ok((await row.textContent()).includes('+86 138 0013 8000'));
    assert.equal(await text(row, T('reg-channel-sms')), '短信 1/1');
    assert.equal(await text(row, T('reg-sms-off')), '不收短信');
    await page.locator(T('event-registrations-table')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'event-registrations-channels.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
