// Browser test of the subscribe page (web/subscribe.html) on a phone and
// of the console's 日历订阅 view (#/feeds) against the real binary:
// name, links, QR, steps, copy (Clipboard API and the fallback), the
// reminders switch, English, unknown feeds, and feed health after a fetch.
// Run: node --test tests/browser/subscribe.test.mjs  (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, submitLogin } from '../lib/browser.mjs';


let server;
let browser;
let token;
let people = [];

before(async () => {
  ({ server, browser, token } = await startSuite({ demo: true }));
  const r = await api(server.url, 'GET', '/api/v1/counsellors?limit=500', { token });
  assert.equal(r.status, 200);
  people = r.body.items;
  assert.ok(people.length >= 4, 'demo counsellors');
});

after(stopSuite);

const feedPath = (url) => { const u = new URL(url); return u.pathname + u.search; };
const subscribeUrl = (path) => `${server.url}/subscribe.html?feed=${encodeURIComponent(path)}`;
const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();

async function qrLoaded(page) {
  await page.waitForFunction((sel) => {
    const img = document.querySelector(sel);
    return img && img.complete && img.naturalWidth > 0;
  }, T('sub-qr'));
}

test('subscribe page on a phone: name, links, QR, steps, copy, reminders, English', async () => {
  const c = people[0];
  const path = feedPath(c.feed_url);
  const webcal = c.feed_url.replace(/^https?:\/\//, 'webcal://');
  // The QR of "?alarms=1" may be refused for a counsellor feed (the page
  // then shows the plain one): that 404 is expected.
  const { context, page, problems } = await openPage(browser, {
    viewport: PHONE, mobile: true, permissions: ['clipboard-read', 'clipboard-write'], origin: server.url, expected: [[404, '/feeds/qr.svg']],
  });
  try {
    await page.goto(subscribeUrl(path));
    await page.waitForSelector(T('sub-name'));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await text(page, T('sub-name')), `心访排班 · ${c.name}`);
    assert.match(await page.title(), /订阅日历/);
    assert.equal(await page.inputValue(T('sub-url-webcal')), webcal);
    assert.equal(await page.inputValue(T('sub-url-https')), c.feed_url);
    assert.equal(await page.getAttribute(T('sub-onetap'), 'href'), webcal);
    assert.match(await text(page, T('sub-onetap')), /一键订阅/);
    assert.match(await text(page, T('sub-private')), /个人链接/);

    await qrLoaded(page);
    const qrSrc = await page.getAttribute(T('sub-qr'), 'src');
    assert.ok(qrSrc.startsWith('/feeds/qr.svg?feed='), qrSrc);

    const steps = await text(page, T('sub-steps'));
    for (const words of ['Apple 日历', '设置 → 日历 → 账户 → 添加账户 → 其他 → 添加已订阅的日历', 'Google 日历', '通过网址添加',
      '几个小时', 'Outlook', '添加日历', '从 Internet 订阅', 'Thunderbird', '新建日历 → 在网络上']) {
      assert.ok(steps.includes(words), `steps mention ${words}`);
    }
    // the calendars of Chinese phones, said plainly; a one-time import for any
    for (const words of ['华为 / 荣耀手机', '我们未能从厂商说明中确认', '小米 / 红米手机', '通过链接（URL）导入',
      'OPPO / 一加 / realme 与 vivo / iQOO 手机', 'Outlook App', '一次性导入', '不会自动更新', '中国大陆无法访问']) {
      assert.ok(steps.includes(words), `steps mention ${words}`);
    }
    assert.equal(await page.getAttribute(T('sub-download'), 'href'), c.feed_url);
    // a desktop Chrome's agent names no maker: Apple and Outlook are open
    assert.equal(await page.getAttribute(T('sub-steps-apple'), 'open'), '');
    assert.equal(await page.getAttribute(T('sub-steps-huawei'), 'open'), null);
    // reminders in words, not "?alarms=1"
    assert.doesNotMatch(await text(page, '#sub-alarms-hint'), /alarms/);
    assert.equal(await text(page, T('sub-alarms-state')), '提醒：未开启');

    // phone layout: nothing wider than the screen, tap targets of a usable size
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    const copyBox = await page.locator(T('sub-copy-https')).boundingBox();
    assert.ok(copyBox.height >= 40, `copy button height ${copyBox.height}`);
    await page.screenshot({ path: join(SHOTS, 'subscribe-phone.png'), fullPage: true });

    // copy with the Clipboard API
    await page.click(T('sub-copy-https'));
    await page.waitForSelector(`${T('sub-copy-https')}:has-text("已复制")`);
    assert.match(await text(page, T('sub-status')), /已复制/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), c.feed_url);
    await page.click(T('sub-copy-webcal'));
    await page.waitForFunction(async (want) => (await navigator.clipboard.readText()) === want, webcal);

    // reminders: both links gain ?alarms=1, and lose it again
    await page.click('label[for="sub-alarms"]');
    assert.equal(await page.isChecked(T('sub-alarms')), true);
    assert.equal(await page.inputValue(T('sub-url-https')), `${c.feed_url}?alarms=1`);
    assert.equal(await page.inputValue(T('sub-url-webcal')), `${webcal}?alarms=1`);
    assert.equal(await page.getAttribute(T('sub-onetap'), 'href'), `${webcal}?alarms=1`);
    assert.equal(await page.getAttribute(T('sub-download'), 'href'), `${c.feed_url}?alarms=1`);
    assert.equal(await text(page, T('sub-alarms-state')), '提醒：已开启，下面的链接带提醒');
    // the QR either encodes the alarms link or falls back to the plain one with a note
    await page.waitForFunction((sel) => {
      const img = document.querySelector(sel);
      const note = document.querySelector('[data-test="sub-qr-note"]');
      return img.complete && img.naturalWidth > 0 && (img.dataset.alarms === '1' || (note && !note.hidden));
    }, T('sub-qr'));
    await page.click('label[for="sub-alarms"]');
    assert.equal(await page.inputValue(T('sub-url-https')), c.feed_url);
    assert.equal(await page.isHidden(T('sub-qr-note')), true);
    await qrLoaded(page);

    // English, remembered with the console's key; then back to Chinese
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('sub-steps')} >> text=Subscribe in your calendar app`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await text(page, T('sub-onetap')), /Subscribe in one tap/);
    assert.match(await text(page, T('sub-steps')), /Add Subscribed Calendar/);
    assert.equal(await text(page, T('sub-name')), `心访排班 · ${c.name}`, 'the calendar name is data, not translated');
    assert.equal(await page.evaluate(() => localStorage.getItem('hearth.lang')), 'en');
    await page.reload();
    await page.waitForSelector(T('sub-name'));
    assert.match(await text(page, T('sub-copy-https')), /^Copy$/);
    await page.screenshot({ path: join(SHOTS, 'subscribe-phone-en.png'), fullPage: true });
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('sub-copy-https')}:has-text("复制")`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('copy falls back to selecting the text without the Clipboard API', async () => {
  const c = people[1];
  const { context, page, problems } = await openPage(browser, {
    viewport: PHONE,
    init: () => { Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }); },
  });
  try {
    await page.goto(subscribeUrl(feedPath(c.feed_url)));
    await page.waitForSelector(T('sub-name'));
    assert.equal(await page.evaluate(() => navigator.clipboard), undefined);
    await page.click(T('sub-copy-https'));
    await page.waitForSelector(`${T('sub-status')}:not(:empty)`);
    const sel = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.value !== undefined ? el.value.slice(el.selectionStart, el.selectionEnd) : null;
    });
    assert.equal(sel, c.feed_url, 'the link is selected for copying');
    assert.match(await text(page, T('sub-status')), /已复制|手动复制|长按/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('unknown or missing feed: a clear Chinese error', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, expected: [[404, '/api/v1/feeds/info']] });
  try {
    await page.goto(subscribeUrl('/feeds/counsellors/00000000000000000000000000000000.ics'));
    await page.waitForSelector(T('sub-error'));
    assert.equal(await text(page, T('sub-error-title')), '找不到这个日历');
    assert.match(await text(page, T('sub-error-text')), /协调员/);
    assert.equal(await page.locator(T('sub-name')).count(), 0);
    await page.screenshot({ path: join(SHOTS, 'subscribe-notfound.png') });

    await page.goto(`${server.url}/subscribe.html`);
    await page.waitForSelector(T('sub-error'));
    assert.equal(await text(page, T('sub-error-title')), '链接不完整');

    await page.goto(subscribeUrl('/etc/passwd'));
    await page.waitForSelector(T('sub-error'));
    assert.equal(await text(page, T('sub-error-title')), '找不到这个日历');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('public feeds: events and station pages, no personal note', async () => {
  const st = await api(server.url, 'GET', '/api/v1/stations?limit=1', { token });
  const s = st.body.items[0];
  const { context, page, problems } = await openPage(browser, { viewport: PHONE });
  try {
    await page.goto(subscribeUrl('/feeds/events.ics?kind=lecture'));
    await page.waitForSelector(T('sub-name'));
    assert.equal(await text(page, T('sub-name')), '心访工作室公开活动');
    assert.ok((await page.inputValue(T('sub-url-https'))).endsWith('/feeds/events.ics?kind=lecture'));
    assert.equal(await page.locator(T('sub-private')).count(), 0);
    await qrLoaded(page);
    await page.click('label[for="sub-alarms"]');
    assert.ok((await page.inputValue(T('sub-url-webcal'))).endsWith('/feeds/events.ics?kind=lecture&alarms=1'));
    await page.waitForFunction((sel) => {
      const img = document.querySelector(sel);
      return img.complete && img.naturalWidth > 0 && img.dataset.alarms === '1';
    }, T('sub-qr'));
    assert.equal(await page.getAttribute(T('sub-qr'), 'src'),
      `/feeds/qr.svg?feed=${encodeURIComponent('/feeds/events.ics?kind=lecture&alarms=1')}`);

    await page.goto(subscribeUrl(`/feeds/stations/${s.code}.ics`));
    await page.waitForSelector(T('sub-name'));
    assert.equal(await text(page, T('sub-name')), `心访工作室活动 · ${s.name}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('console 日历订阅: every counsellor 从未订阅, then a fetch shows up', async () => {
  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/');
    await submitLogin(page);
    await page.waitForSelector(T('user-name'));
    await page.click(T('nav-feeds'));
    await page.waitForFunction(() => location.hash === '#/feeds');
    await page.waitForSelector(T('feeds-table'));
    assert.equal(await text(page, T('page-title')), '日历订阅');

    const rows = page.locator(`${T('feeds-table')} ${T('feeds-row')}`);
    assert.equal(await rows.count(), people.length);
    // the subscribe pages above read /api/v1/feeds/info, never a feed: all "never"
    assert.equal(await page.locator(`${T('feeds-table')} ${T('feeds-mark-never')}`).count(), people.length);
    const first = rows.first();
    assert.match(await first.textContent(), /从未订阅/);
    assert.equal(await first.locator(T('feeds-cell-last')).textContent(), '从未');
    assert.equal(await text(page, T('feeds-stat-never')), String(people.length));
    const href = await first.locator(T('feeds-subscribe-link')).getAttribute('href');
    assert.equal(href, `/subscribe.html?feed=${encodeURIComponent(feedPath(people[0].feed_url))}`);

    // public feeds: all public activities plus one per active station
    const stations = await api(server.url, 'GET', '/api/v1/stations?active=true&limit=500', { token });
    assert.equal(await page.locator(`${T('feeds-public-table')} ${T('feeds-public-row')}`).count(), 1 + stations.body.items.length);
    assert.match(await text(page, `${T('feeds-public-table')} ${T('feeds-public-row')}:first-child`), /全部公开活动/);
    assert.equal(await page.locator(`${T('feeds-public-table')} ${T('feeds-public-row')}:first-child ${T('feeds-subscribe-link')}`).getAttribute('href'),
      `/subscribe.html?feed=${encodeURIComponent('/feeds/events.ics')}`);

    // calendar apps fetch some feeds
    const agents = [
      [people[0], 'Google-Calendar-Importer', 'Google 日历'],
      [people[1], 'iOS/17.5 (21F79) dataaccessd/1.0', 'Apple 日历'],
      [people[2], 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)', 'Outlook'],
      [people[3], 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0', 'Thunderbird'],
    ];
    for (const [p, ua] of agents) {
      const r = await fetch(p.feed_url, { headers: { 'User-Agent': ua } });
      assert.equal(r.status, 200);
      const again = await fetch(p.feed_url, { headers: { 'User-Agent': ua, 'If-None-Match': r.headers.get('etag') } });
      assert.equal(again.status, 304);
    }
    await fetch(`${server.url}/feeds/events.ics`, { headers: { 'User-Agent': 'Google-Calendar-Importer' } });

    await page.click(T('feeds-refresh'));
    const row0 = page.locator(`${T('feeds-row')}[data-id="${people[0].id}"]`);
    await row0.locator(T('feeds-mark-ok')).waitFor();
    assert.match(await row0.locator(T('feeds-cell-last')).textContent(), /^(刚刚|1 分钟前)$/);
    assert.equal(await row0.locator(T('feeds-cell-client')).textContent(), 'Google 日历');
    assert.equal(await row0.locator(T('feeds-cell-client')).getAttribute('title'), 'Google-Calendar-Importer');
    assert.equal(await row0.locator(T('feeds-cell-200')).textContent(), '1');
    assert.equal(await row0.locator(T('feeds-cell-304')).textContent(), '1');
    for (const [p, , name] of agents) {
      assert.equal(await page.locator(`${T('feeds-row')}[data-id="${p.id}"] ${T('feeds-cell-client')}`).textContent(), name);
    }
    assert.equal(await text(page, T('feeds-stat-syncing')), String(agents.length));
    assert.equal(await text(page, T('feeds-stat-never')), String(people.length - agents.length));
    assert.match(await text(page, `${T('feeds-public-table')} ${T('feeds-public-row')}:first-child`), /刚刚/);
    await page.screenshot({ path: join(SHOTS, 'feeds-health.png'), fullPage: true });

    // English
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('page-title')}:has-text("Calendar feeds")`);
    await page.waitForSelector(T('feeds-table'));
    assert.match(await text(page, T('feeds-table')), /Never subscribed/);
    assert.match(await text(page, T('feeds-table')), /Google Calendar/);
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('page-title')}:has-text("日历订阅")`);

    // phone
    await page.setViewportSize(PHONE);
    await page.waitForSelector(T('feeds-table'));
    await page.screenshot({ path: join(SHOTS, 'feeds-health-phone.png'), fullPage: false });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('subscribe page on a Huawei phone opens the Huawei steps', async () => {
  const c = people[0];
  const { context, page, problems } = await openPage(browser, {
    viewport: PHONE, mobile: true,
    init: "Object.defineProperty(navigator, 'userAgent', { get: () => 'Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 HuaweiBrowser/14.0 Mobile Safari/537.36' })",
  });
  try {
    await page.goto(subscribeUrl(feedPath(c.feed_url)));
    await page.waitForSelector(T('sub-steps-huawei'));
    assert.equal(await page.getAttribute(T('sub-steps-huawei'), 'open'), '');
    assert.equal(await page.getAttribute(T('sub-steps-apple'), 'open'), null);
    assert.ok(await page.isVisible(`${T('sub-steps-huawei')} li >> nth=1`));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    await page.screenshot({ path: join(SHOTS, 'subscribe-huawei.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
