// Browser test of the participant pages on a phone (375×667) against the
// real binary: the event page and registration form, my registration with
// its QR code, the survey after the event, the thank-you page, staff
// check-in, the waiting list and cancelling, and the language switch.
// Untrusted text (titles, comments) must stay literal text.
// Run: node --test tests/browser/   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, login } from '../lib/harness.mjs';
import { startSuite, stopSuite, textOf, SHOTS, openPage, T, submitLogin, fromNow } from '../lib/browser.mjs';

const PHONE = { width: 375, height: 667 };
const H = 3600e3;
const at = fromNow;
const COMMENT = '老师讲得很耐心，谢谢！<script>alert(1)</script>';
const XSS_TITLE = '情绪疏导讲座 <img src=x onerror=alert(1)>';

let server;
let browser;
let token;
let call;

before(async () => {
  ({ server, browser, token, call } = await startSuite({ demo: true }));
});

after(stopSuite);

const text = textOf;

const ROOMS = ['二楼心理服务室', '一楼多功能厅', '三楼会议室', '四楼培训室', '五楼活动室', '六楼小会议室'];
let rooms = 0;
async function mkEvent(over) {
  const venue = ROOMS[rooms++ % ROOMS.length];
  const sl = await call('GET', '/api/v1/stations?limit=1');
  const r = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '情绪管理与压力疏导讲座', station_id: sl.body.items[0].id, venue,
    description: '由心理咨询师讲解常见的压力反应与自我调节方法。\n欢迎社区居民参加。',
    start: at(-H / 2), end: at(2 * H), public: true, status: 'confirmed', capacity: 30, ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// No horizontal scrolling on the phone.
async function fitsPhone(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `page is ${w}px wide`);
}

test('register on the phone, show the QR code, answer the survey after the event', async () => {
  const ev = await mkEvent({ title: XSS_TITLE });
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[422, '/registrations']] });
  try {
    // The event page
    await page.goto(`${server.url}/e/${ev.id}`);
    await page.waitForSelector(T('reg-form'));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await text(page, 'event-kind'), '讲座');
    assert.equal(await text(page, 'event-title'), XSS_TITLE, 'the title is literal text');
    assert.equal(await page.locator('main img').count(), 0, 'no image injected by the title');
    assert.match(await text(page, 'event-time'), /^\d{4}年\d{1,2}月\d{1,2}日（周[日一二三四五六]）\d\d:\d\d(–\d\d:\d\d| – .+)$/);
    assert.match(await text(page, 'event-place'), /二楼心理服务室/);
    assert.equal(await text(page, 'event-spots'), '剩余 30 个名额');
    assert.match(await text(page, 'reg-note'), /仅用于本次活动/);
    await fitsPhone(page);
    await page.screenshot({ path: join(SHOTS, 'event-page.png'), fullPage: true });

    // Validation: an empty name, then a bad e-mail address (client side).
    await page.click(T('reg-submit'));
    await page.waitForSelector(T('error-name'));
    assert.match(await text(page, 'error-name'), /请填写姓名/);
    await page.fill(T('reg-name'), '李晓梅');
    await page.fill(T('reg-email'), 'not-an-email');
    await page.click(T('reg-submit'));
    await page.waitForSelector(T('error-email'));
    assert.equal(await page.locator(T('error-name')).count(), 0);
    assert.match(await text(page, 'error-email'), /邮箱/);
    // A server-side refusal (422 field email) is shown next to the field too:
    // the page lets this address through, the server does not.
    await page.fill(T('reg-email'), 'li@example..cn');
    await page.click(T('reg-submit'));
    await page.waitForSelector(`${T('error-email')}`);
    await page.waitForFunction(() => !document.querySelector('[data-test="reg-submit"]').disabled);
    assert.match(await text(page, 'error-email'), /邮箱/);
    assert.equal(await page.inputValue(T('reg-name')), '李晓梅', 'the form keeps what was typed');
    await page.fill(T('reg-email'), '');
    await page.fill(T('reg-phone'), '138 0013 8000');
    await page.click(T('reg-submit'));
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);

    // My registration: status, QR code loaded, bookmark hint, cancel button.
    const regToken = new URL(page.url()).pathname.split('/').pop();
    await page.waitForSelector(T('reg-status-registered'));
    assert.equal(await text(page, 'notice-title'), '报名成功');
    assert.match(await page.textContent(T('reg-status-registered')), /李晓梅/);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-test="reg-qr-img"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await page.getAttribute(T('reg-qr-img'), 'src'), `/registrations/${regToken}/qr.svg`);
    assert.match(await page.textContent(T('reg-qr')), /签到时请出示此二维码/);
    assert.match(await text(page, 'reg-bookmark'), /收藏本页/);
    assert.equal(await text(page, 'event-title'), XSS_TITLE);
    assert.equal(await page.locator(T('reg-survey-link')).count(), 0, 'no survey before the event is held');
    assert.equal(await page.locator(T('reg-cancel')).count(), 1);
    await fitsPhone(page);
    await page.screenshot({ path: join(SHOTS, 'registration.png'), fullPage: true });

    // The event happens: check-in and held, through the API.
    const ci = await call('POST', `/api/v1/checkin/${regToken}`);
    assert.equal(ci.status, 200, ci.text);
    const held = await call('PATCH', `/api/v1/events/${ev.id}`, { status: 'held' });
    assert.equal(held.status, 200, held.text);
    await page.reload();
    await page.waitForSelector(T('reg-survey-link'));
    assert.equal(await text(page, 'reg-survey-link'), '填写满意度问卷');
    assert.equal(await page.locator(T('reg-cancel')).count(), 0, 'no cancelling after the event');

    // The survey
    await page.click(T('reg-survey-link'));
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]+$/);
    await page.waitForSelector(T('survey-form'));
    assert.equal(await text(page, 'survey-event'), XSS_TITLE);
    const labels = await page.locator(`${T('question-overall')} .opt-label`).allTextContents();
    assert.deepEqual(labels.map((s) => s.trim()), ['非常满意', '满意', '一般', '不满意', '非常不满意']);
    assert.match(await page.textContent(T('question-overall')), /必答/);
    // Submitting without the required answer highlights the question.
    await page.click(T('survey-submit'));
    await page.waitForSelector(`${T('question-overall')}.q-bad ${T('error-overall')}`);
    await page.click(`${T('question-overall')} label:has-text("非常满意")`);
    assert.equal(await page.locator(T('error-overall')).count(), 0, 'the error clears on answering');
    assert.ok(await page.isChecked(T('q-overall-5')));
    await page.fill(T('q-comment-text'), COMMENT);
    assert.equal(await text(page, 'q-comment-counter'), `${[...COMMENT].length}/2000`);
    await fitsPhone(page);
    // Each likert option is a large target.
    const box = await page.locator(`${T('question-overall')} .opt-label`).first().boundingBox();
    assert.ok(box.height >= 48 && box.width >= 300, `likert option ${box.width}×${box.height}`);
    await page.screenshot({ path: join(SHOTS, 'survey.png'), fullPage: true });
    await page.click(T('survey-submit'));
    await page.waitForSelector(T('survey-thanks'));
    assert.equal(await text(page, 'notice-title'), '感谢您的反馈');
    await page.screenshot({ path: join(SHOTS, 'thanks.png'), fullPage: true });

    // The coordinator sees the comment as literal text.
    const res = await call('GET', `/api/v1/events/${ev.id}/survey-results`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.comments, [COMMENT]);
    assert.deepEqual(res.body.satisfaction, { satisfied: 1, total: 1, rate: 1 });

    // Back on my registration: the survey button is gone once answered.
    await page.goto(`${server.url}/r/${regToken}`);
    await page.waitForSelector(T('reg-status-registered'));
    assert.equal(await page.locator(T('reg-survey-link')).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an answered survey link says so; a closed one says closed', async () => {
  const ev = await mkEvent({ title: '已答问卷', capacity: null });
  const r = await api(server.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '周华' } });
  assert.equal(r.status, 201, r.text);
  await call('POST', `/api/v1/checkin/${r.body.token}`);
  await call('PATCH', `/api/v1/events/${ev.id}`, { status: 'held' });
  const tok = (await call('GET', `/api/v1/events/${ev.id}/attendance`)).body.items[0].survey_token;
  assert.equal((await api(server.url, 'POST', '/api/v1/surveys/responses', { body: { token: tok, answers: { overall: 4 } } })).status, 201);
  const notHeld = await mkEvent({ title: '尚未举办', start: at(H), end: at(3 * H), capacity: null });
  const anon = await call('POST', `/api/v1/events/${notHeld.id}/anonymous-survey`, { enabled: true });
  assert.equal(anon.status, 200, anon.text);

  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[409, '/api/v1/surveys/'], [404, '/api/v1/surveys/']] });
  try {
    await page.goto(`${server.url}/s/${tok}`);
    await page.waitForSelector(T('survey-answered'));
    assert.equal(await text(page, 'notice-title'), '您已提交过问卷，谢谢');
    await page.goto(`${server.url}/s/${anon.body.token}`);
    await page.waitForSelector(T('survey-closed'));
    assert.equal(await text(page, 'notice-title'), '问卷已关闭');
    await page.goto(`${server.url}/s/0123456789abcdef0123456789abcdef`);
    await page.waitForSelector(T('survey-missing'));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('staff check-in: sign-in link when signed out, then 签到成功 and 已签到过', async () => {
  const ev = await mkEvent({ title: '签到页面测试' });
  const r = await api(server.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '欧阳明' } });
  assert.equal(r.status, 201, r.text);
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/checkin/'], [404, '/api/v1/checkin/'], [401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/c/${r.body.token}`);
    await page.waitForSelector(T('checkin-login'));
    const href = await page.getAttribute(T('checkin-login-link'), 'href');
    assert.equal(href, `/#/login?next=${encodeURIComponent(`/c/${r.body.token}`)}`);
    assert.equal((await api(server.url, 'GET', `/api/v1/registrations/${r.body.token}`)).body.checked_in, false, 'nothing happened signed out');

    // Follow the link, sign in on the console's form, and be sent back to
    // the check-in page, which then checks the person in.
    await page.click(T('checkin-login-link'));
    await page.waitForSelector(T('login-username'));
    await submitLogin(page);
    await page.waitForURL(`${server.url}/c/${r.body.token}`);
    await page.waitForSelector(T('checkin-ok'));
    assert.equal(await text(page, 'checkin-result'), '签到成功：欧阳明');
    assert.match(await text(page, 'checkin-event'), /签到页面测试/);
    const color = await page.$eval(T('checkin-result'), (el) => getComputedStyle(el).color);
    assert.equal(color, 'rgb(31, 122, 77)', 'green');
    await fitsPhone(page);
    await page.screenshot({ path: join(SHOTS, 'checkin.png'), fullPage: true });
    await page.reload();
    await page.waitForSelector(T('checkin-already'));
    assert.equal(await text(page, 'checkin-result'), '已签到过：欧阳明');
    assert.equal((await api(server.url, 'GET', `/api/v1/registrations/${r.body.token}`)).body.checked_in, true);

    await page.goto(`${server.url}/c/0123456789abcdef0123456789abcdef`);
    await page.waitForSelector(T('checkin-error'));
    assert.match(await page.textContent(T('checkin-error')), /无效的签到码/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('waiting list, cancelling with confirmation, a cancelled event, English', async () => {
  const ev = await mkEvent({ title: '小型团体辅导', kind: 'group', capacity: 1, start: at(24 * H), end: at(26 * H) });
  const first = await api(server.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '甲' } });
  assert.equal(first.body.status, 'registered');
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true });
  try {
    await page.goto(`${server.url}/e/${ev.id}`);
    await page.waitForSelector(T('reg-form'));
    assert.equal(await text(page, 'event-kind'), '团体辅导');
    assert.equal(await text(page, 'event-spots'), '名额已满（可候补）');
    assert.equal(await text(page, 'reg-submit'), '登记候补');
    await page.fill(T('reg-name'), '候补的人');
    await page.click(T('reg-submit'));
    await page.waitForURL(/\/r\//);
    await page.waitForSelector(T('reg-status-waitlisted'));
    assert.equal(await text(page, 'notice-title'), '候补第 1 位');
    assert.equal(await page.locator(T('reg-qr')).count(), 0, 'no QR code while waitlisted');

    // English, remembered across pages (hearth.lang, like the console).
    await page.click(T('lang-en'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, 'notice-title'), 'Waiting list: number 1');
    assert.equal(await page.evaluate(() => localStorage.getItem('hearth.lang')), 'en');
    await page.click(T('lang-zh-CN'));
    assert.equal(await text(page, 'notice-title'), '候补第 1 位');

    // Cancel, with an in-page confirmation (no window.confirm).
    await page.click(T('reg-cancel'));
    await page.waitForSelector(T('reg-cancel-confirm'));
    await page.click(T('reg-cancel-no'));
    assert.equal(await page.locator(T('reg-cancel-confirm')).count(), 0);
    await page.click(T('reg-cancel'));
    await page.click(T('reg-cancel-yes'));
    await page.waitForSelector(T('reg-status-cancelled'));
    assert.equal(await text(page, 'notice-title'), '报名已取消');
    const token2 = new URL(page.url()).pathname.split('/').pop();
    assert.equal((await api(server.url, 'GET', `/api/v1/registrations/${token2}`)).body.status, 'cancelled');

    // A cancelled event shows a message instead of the form.
    assert.equal((await call('POST', `/api/v1/events/${ev.id}/cancel`, { reason: '讲师临时有事' })).status, 200);
    await page.goto(`${server.url}/e/${ev.id}`);
    await page.waitForSelector(T('event-cancelled'));
    assert.equal(await page.locator(T('reg-form')).count(), 0);
    assert.match(await page.textContent(T('event-cancelled')), /本活动已取消/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
