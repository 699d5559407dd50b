// Browser test of the mail outbox view (邮件, #/outbox) and the reminder
// opt-out page (/u/{token}) against the real binary and a real SMTP
// server (tests/lib/smtp.mjs): a reminder the server refuses with 550 is
// given up at once, shows in the outbox with its error, is retried from
// the view once the server accepts, and arrives; the participant then
// stops reminders on the phone. Titles are untrusted: they must stay text.
// Time moves through the fake clock (HEARTH_FAKE_CLOCK=1).
// Run: HEARTH_BIN=$PWD/build/asan/hearth node --test tests/browser/outbox.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api, login } from '../lib/harness.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, uiLogin } from '../lib/browser.mjs';

const DESKTOP = { width: 1280, height: 820 };
const XSS = '<img src=x onerror=alert(1)>';
const TITLE = `情绪管理与压力疏导讲座 ${XSS}`;
const EMAIL = 'li.xiaomei@example.org';
const MIN = 60e3;
const HOUR = 3600e3;
const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let smtp;
let server;
let browser;
let token;

before(async () => {
  smtp = await startSmtp();
  smtp.setMode('reject5xx');
  ({ server, browser, token } = await startSuite({
    env: {
      HEARTH_FAKE_CLOCK: '1',
      HEARTH_SMTP_HOST: '127.0.0.1',
      HEARTH_SMTP_PORT: String(smtp.port),
      HEARTH_SMTP_STARTTLS: 'off',
      HEARTH_MAIL_FROM: 'hearth@example.org',
    },
  }));
});

after(async () => {
  await stopSuite();
  await smtp?.close();
});

const call = (method, path, body) => api(server.url, method, path, { token, body });
const text = async (scope, sel) => ((await scope.locator(sel).first().textContent()) || '').trim();

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function noHorizontalScroll(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = await page.evaluate(() => window.innerWidth);
  assert.ok(w <= vw, `page is ${w}px wide in a ${vw}px window`);
}

test('a refused reminder is given up, retried from the outbox and sent; the participant opts out on the phone', async () => {
  // A public activity in three days, 10:00–12:00 Beijing time (a start taken from the clock
  // crossed midnight when the suite ran after 22:00 there, and the page then shows two dates),
  // with one reminder an hour before, and a participant with an e-mail.
  const day3 = new Date(Date.now() + 3 * DAY);
  const start = Date.UTC(day3.getUTCFullYear(), day3.getUTCMonth(), day3.getUTCDate(), 2, 0, 0);
  const evr = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: TITLE, public: true, status: 'confirmed', venue: '二楼心理服务室',
    start: iso(start), end: iso(start + 2 * HOUR), reminders: [60],
  });
  assert.equal(evr.status, 201, evr.text);
  const ev = evr.body;
  const rr = await api(server.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '李晓梅', email: EMAIL } });
  assert.equal(rr.status, 201, rr.text);
  const reg = rr.body;

  const queued = await call('GET', `/api/v1/outbox?event_id=${ev.id}`);
  assert.equal(queued.status, 200, queued.text);
  assert.equal(queued.body.total, 1, 'one reminder for one participant');
  assert.equal(queued.body.items[0].status, 'pending');
  assert.equal(queued.body.smtp_configured, true);

  // 50 minutes before the start the reminder is due; the server refuses it with 550: dead at once.
  const clk = await call('PUT', '/api/v1/_clock', { now: iso(start - 50 * MIN) });
  assert.equal(clk.status, 200, clk.text);
  const dead = await until('the reminder to be given up', async () => {
    const r = await call('GET', `/api/v1/outbox?event_id=${ev.id}&status=dead`);
    return r.body.total === 1 ? r.body.items[0] : null;
  });
  assert.match(dead.last_error, /550/);
  assert.equal(dead.recipient, EMAIL);
  assert.equal(smtp.messages.length, 0);

  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/`);
    await uiLogin(page);
    assert.equal(await text(page, `${T('nav-outbox')} span`), '邮件与消息');
    await page.click(T('nav-outbox'));
    await page.waitForSelector(T('outbox-table'));
    assert.equal(await text(page, T('page-title')), '邮件与消息');
    assert.equal(await page.locator(T('outbox-no-smtp')).count(), 0, 'no banner: SMTP is configured');

    // Status tabs with their counts.
    assert.deepEqual((await page.locator(`${T('outbox-status-filter')} button > span:first-child`).allTextContents()).map((s) => s.trim()),
      ['全部', '待发送', '发送中', '已发送', '失败待重试', '已放弃', '已跳过']);
    assert.equal(await text(page, T('outbox-count-dead')), '1');
    assert.equal(await text(page, T('outbox-count-all')), '1');
    assert.equal(await text(page, T('outbox-count-sent')), '0');
    assert.deepEqual((await page.locator(`${T('outbox-kind-filter')} option`).allTextContents()).map((s) => s.trim()),
      ['全部类型', '活动提醒', '变更通知', '取消通知', '每周值班', '班表变动', '值班记录提醒', '今日值班', '报名成功', '候补转正', '测试消息']);
    assert.deepEqual((await page.locator(`${T('outbox-channel-filter')} option`).allTextContents()).map((s) => s.trim()),
      ['全部渠道', '邮件', '企业微信', '钉钉', '短信']);
    const heads = (await page.locator(`${T('outbox-table')} thead th`).allTextContents()).map((s) => s.trim());
    assert.deepEqual(heads, ['类型', '渠道', '收件人', '主题', '状态', '尝试次数', '最后错误', '计划时间', '下次尝试', '发送时间', '操作']);

    // The dead row: its 550, the title as text, a retry button.
    const row = page.locator(`${T('outbox-row')}[data-id="${dead.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'dead');
    assert.equal(await text(row, T('outbox-status')), '已放弃');
    assert.equal(await text(row, T('outbox-kind')), '活动提醒');
    assert.equal(await text(row, T('outbox-recipient')), EMAIL);
    assert.match(await text(row, T('outbox-error')), /550/);
    assert.ok((await text(row, T('outbox-subject'))).includes(TITLE), 'the subject shows the title literally');
    assert.equal(await text(row, T('outbox-attempts')), '1');
    assert.match(await text(row, T('outbox-due')), /^\d\d-\d\d \d\d:\d\d$/);
    assert.equal(await text(row, T('outbox-retry')), '立即重试');
    assert.equal(await page.locator(`${T('page-body')} img`).count(), 0, 'no image element from the title');

    // Filters: 已发送 is empty, 已放弃 shows the row, kind 变更通知 is empty.
    await page.click(T('outbox-tab-sent'));
    await page.waitForSelector(`${T('outbox-tab-sent')}[aria-pressed="true"]`);
    await page.waitForSelector(T('empty'));
    assert.equal(await text(page, T('empty')), '没有符合条件的邮件');
    await page.click(T('outbox-tab-dead'));
    await page.waitForSelector(`${T('outbox-row')}[data-id="${dead.id}"]`);
    await page.selectOption(T('outbox-kind-filter'), 'change');
    await page.waitForSelector(T('empty'));
    await page.selectOption(T('outbox-kind-filter'), '');
    await page.click(T('outbox-tab-all'));
    await page.waitForSelector(`${T('outbox-tab-all')}[aria-pressed="true"]`);
    await row.waitFor();
    await page.screenshot({ path: join(SHOTS, 'outbox.png'), fullPage: true });

    // The message in full: every field, the decoded text and the raw message, all as text.
    await row.locator(T('outbox-subject')).click();
    const dlg = page.locator(T('outbox-detail'));
    await dlg.locator(T('outbox-raw')).waitFor();
    assert.ok((await text(dlg, T('outbox-field-subject'))).includes(TITLE));
    assert.equal(await text(dlg, T('outbox-field-recipient')), EMAIL);
    assert.match(await text(dlg, T('outbox-field-error')), /550/);
    assert.match(await text(dlg, T('outbox-field-message-id')), /@/);
    const raw = await dlg.locator(T('outbox-raw')).textContent();
    assert.match(raw, /^Subject: =\?UTF-8\?B\?/m, 'the raw message as sent');
    // An invitation: text and calendar as alternatives (issue 14).
    assert.match(raw, /^Content-Type: multipart\/alternative/m);
    const body = await dlg.locator(T('outbox-body')).textContent();
    assert.match(body, /李晓梅，您好/);
    assert.match(body, /\/u\/[0-9a-f]{32}/, 'the opt-out link is in the text');
    assert.ok(!body.includes(`/u/${reg.token}`), 'with its own token, not the registration token');
    assert.ok(body.includes(XSS), 'the title stays literal in the text');
    assert.equal(await dlg.locator('img').count(), 0);
    assert.equal(await dlg.locator(T('outbox-detail-retry')).count(), 1);
    await page.screenshot({ path: join(SHOTS, 'outbox-detail.png') });
    await dlg.locator(T('outbox-detail-close')).click();
    await dlg.waitFor({ state: 'detached' });

    // The server accepts again: 立即重试 → queued → 已发送, and the message arrives.
    smtp.setMode('accept');
    await row.locator(T('outbox-retry')).click();
    await page.waitForSelector(`${T('outbox-flash')}:not([hidden])`);
    assert.match(await text(page, T('outbox-flash')), new RegExp(`已重新排队.*${EMAIL.replace(/\./g, '\\.')}`));
    await page.waitForSelector(`${T('outbox-row')}[data-id="${dead.id}"][data-status="sent"]`, { timeout: 15000 });
    assert.equal(await text(row, T('outbox-status')), '已发送');
    assert.match(await text(row, T('outbox-sent')), /^\d\d-\d\d \d\d:\d\d$/);
    assert.equal(await row.locator(T('outbox-retry')).count(), 0, 'nothing to retry once sent');
    assert.equal(await row.locator(T('outbox-error')).count(), 0, 'no error shown for a sent message');
    assert.equal(await text(page, T('outbox-count-sent')), '1');
    assert.equal(await text(page, T('outbox-count-dead')), '0');
    const got = await smtp.waitFor((m) => m.to.includes(EMAIL));
    assert.ok(got.parsed.subject.includes(TITLE), got.parsed.subject);
    assert.equal(await page.locator(`${T('page-body')} img`).count(), 0);
    await page.screenshot({ path: join(SHOTS, 'outbox-sent.png'), fullPage: true });

    // Retrying a sent message (another tab got there first) → 409, said in words.
    // (Through the API: the button is gone from the view.)
    const again = await call('POST', `/api/v1/outbox/${dead.id}/retry`);
    assert.equal(again.status, 409);

    // Leaving the view stops its refresh timer: no outbox request after that.
    let polls = 0;
    page.on('request', (r) => { if (r.url().includes('/api/v1/outbox')) polls++; });
    await page.click(T('nav-overview'));
    await page.waitForSelector(T('stat-stations'));
    await page.waitForTimeout(16000);
    assert.equal(polls, 0, 'no outbox polling after leaving the view');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // The opt-out page on a phone.
  const ph = await openPage(browser, { viewport: PHONE, mobile: true });
  try {
    await ph.page.goto(`${server.url}/u/${reg.token}`);
    await ph.page.waitForSelector(T('unsub-toggle'));
    assert.equal(await ph.page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await text(ph.page, T('event-title')), TITLE, 'the title is literal text');
    assert.equal(await ph.page.locator('main img').count(), 0, 'no image injected by the title');
    assert.match(await text(ph.page, T('event-time')), /^\d{4}年\d{1,2}月\d{1,2}日（周[日一二三四五六]）\d\d:\d\d–\d\d:\d\d$/);
    assert.match(await text(ph.page, T('event-place')), /二楼心理服务室/);
    assert.equal(await text(ph.page, `${T('unsub-on')} ${T('notice-title')}`), '活动提醒已开启');
    assert.equal(await text(ph.page, T('unsub-toggle')), '不再接收活动提醒');
    await noHorizontalScroll(ph.page);
    await ph.page.screenshot({ path: join(SHOTS, 'unsubscribe-on.png'), fullPage: true });

    await ph.page.click(T('unsub-toggle'));
    await ph.page.waitForSelector(T('unsub-off'));
    assert.equal(await text(ph.page, `${T('unsub-off')} ${T('notice-title')}`), '已退订');
    assert.match(await text(ph.page, T('unsub-off')), /您不会再收到此活动的提醒邮件；活动变更或取消时仍会通知您。/);
    assert.equal(await text(ph.page, T('unsub-toggle')), '恢复活动提醒');
    await noHorizontalScroll(ph.page);
    const box = await ph.page.locator(T('unsub-toggle')).boundingBox();
    assert.ok(box.height >= 44 && box.width >= 300, `a large button: ${box.width}×${box.height}`);
    await ph.page.screenshot({ path: join(SHOTS, 'unsubscribe.png'), fullPage: true });

    const after1 = await api(server.url, 'GET', `/api/v1/registrations/${reg.token}`);
    assert.equal(after1.status, 200);
    assert.equal(after1.body.reminders, false);

    // The registration page says so too, and turns them on again.
    await ph.page.goto(`${server.url}/r/${reg.token}`);
    await ph.page.waitForSelector(T('reg-reminders'));
    assert.equal(await text(ph.page, T('reg-reminders-state')), '已退订');
    assert.equal(await text(ph.page, T('reg-reminders-toggle')), '恢复提醒');
    await noHorizontalScroll(ph.page);
    await ph.page.click(T('reg-reminders-toggle'));
    await ph.page.waitForSelector(`${T('reg-reminders')}[data-enabled="true"]`);
    assert.equal(await text(ph.page, T('reg-reminders-state')), '已开启');
    assert.equal((await api(server.url, 'GET', `/api/v1/registrations/${reg.token}`)).body.reminders, true);
    await ph.page.screenshot({ path: join(SHOTS, 'registration-reminders.png'), fullPage: true });
    await ph.page.click(T('reg-reminders-toggle'));
    await ph.page.waitForSelector(`${T('reg-reminders')}[data-enabled="false"]`);
    assert.equal((await api(server.url, 'GET', `/api/v1/registrations/${reg.token}`)).body.reminders, false);

    // Back on the opt-out page: already off.
    await ph.page.goto(`${server.url}/u/${reg.token}`);
    await ph.page.waitForSelector(T('unsub-off'));
    assert.equal(await text(ph.page, T('unsub-toggle')), '恢复活动提醒');
    assert.deepEqual(ph.problems, []);
  } finally {
    await ph.context.close();
  }
});

test('an unknown opt-out link says so', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[404, '/api/v1/reminders/']] });
  try {
    await page.goto(`${server.url}/u/no-such-token-123`);
    await page.waitForSelector(T('unsub-missing'));
    assert.equal(await text(page, T('notice-title')), '未找到对应的报名');
    assert.match(await text(page, T('unsub-missing')), /退订链接可能不完整/);
    assert.equal(await page.locator(T('unsub-toggle')).count(), 0);
    await noHorizontalScroll(page);
    await page.screenshot({ path: join(SHOTS, 'unsubscribe-notfound.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without SMTP the outbox view says mail is kept, not sent', async () => {
  const bare = await startServer({ env: { HEARTH_FAKE_CLOCK: '1' } });
  try {
    const tok = await login(bare.url);
    const start = Math.floor((Date.now() + 2 * DAY) / MIN) * MIN;
    const evr = await api(bare.url, 'POST', '/api/v1/events', {
      token: tok,
      body: { kind: 'salon', title: `周末沙龙 ${XSS}`, public: true, start: iso(start), end: iso(start + HOUR), reminders: [1440, 60] },
    });
    assert.equal(evr.status, 201, evr.text);
    const rr = await api(bare.url, 'POST', `/api/v1/events/${evr.body.id}/registrations`, { body: { name: '张三', email: 'zhang@example.org' } });
    assert.equal(rr.status, 201, rr.text);
    // A second activity, to see the per-activity view filter.
    const other = await api(bare.url, 'POST', '/api/v1/events', {
      token: tok,
      body: { kind: 'lecture', title: '另一场讲座', public: true, start: iso(start), end: iso(start + HOUR), reminders: [60] },
    });
    assert.equal(other.status, 201, other.text);
    assert.equal((await api(bare.url, 'POST', `/api/v1/events/${other.body.id}/registrations`, { body: { name: '李四', email: 'li4@example.org' } })).status, 201);

    const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
    try {
      await page.goto(`${bare.url}/#/outbox`);
      await uiLogin(page);
      await page.waitForSelector(T('outbox-no-smtp'));
      assert.match(await text(page, T('outbox-no-smtp')), /尚未配置 SMTP 服务器：邮件保存在发件箱中，不会发出。/);
      assert.match(await text(page, T('outbox-no-smtp')), /smtp_host.*mail_from/);
      await page.waitForSelector(T('outbox-table'));
      assert.equal(await page.locator(T('outbox-row')).count(), 3);
      assert.equal(await text(page, T('outbox-count-pending')), '3');
      // One activity's mail (the link of the event detail).
      await page.goto(`${bare.url}/#/outbox/event/${evr.body.id}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-test="outbox-row"]').length === 2);
      assert.equal(await text(page, T('outbox-count-pending')), '2', 'counts follow the activity');
      assert.equal(await page.locator(T('outbox-retry')).count(), 0, 'pending mail has no retry button');
      assert.equal(await page.locator(`${T('page-body')} img`).count(), 0);
      await page.screenshot({ path: join(SHOTS, 'outbox-no-smtp.png'), fullPage: true });

      // The phone layout: rows become cards, nothing wider than the screen.
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(200);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(SHOTS, 'outbox-phone.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  } finally {
    await bare.stop();
  }
});
