// Browser test of 活动参与者 (#/participants/{id}) against the real binary:
// from the event detail to the page; the registrations and the waiting
// list with the CSV; roll call with search, a waitlisted check-in that
// warns, a walk-in, undo; the door code typed on a phone; training
// assessment; 标记为已举办 with its confirmation; the survey links, the
// anonymous link with a QR code and poster, the results with a chart per
// question whose tooltips stay text, the comments. And web/lib/qr.js draws
// the very symbols libqrencode draws for the server's own QR images.
// Run: node --test tests/browser/participants.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login } from '../lib/harness.mjs';
import { startSuite, stopSuite, textOf, SHOTS, PHONE, openPage, T, uiLogin, fromNow } from '../lib/browser.mjs';
import { qrMatrix } from '../../web/lib/qr.js';

const H = 3600e3;
const at = fromNow;
const XSS = '<img src=x onerror=window.__xss=1>';

let server;
let browser;
let token;
let call;

before(async () => {
  ({ server, browser, token, call } = await startSuite({ demo: true }));
});

after(stopSuite);

const text = textOf;

async function register(eventId, body) {
  const r = await api(server.url, 'POST', `/api/v1/events/${eventId}/registrations`, { body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

let templates = 0;

// A training that started half an hour ago, with a questionnaire whose
// texts are markup, capacity 2 and three registrations (the third waits).
async function setUp() {
  const tpl = await call('POST', '/api/v1/survey-templates', {
    name: `培训反馈 ${++templates}`,
    questions: [
      { id: 'overall', type: 'likert5', text: '总体满意度', required: true, satisfaction: true },
      { id: 'topic', type: 'choice', text: `最有用的部分 ${XSS}`, required: false, options: [{ id: 'a', text: `案例 ${XSS}` }, { id: 'b', text: '演练' }] },
      { id: 'comment', type: 'text', text: '建议', required: false },
    ],
  });
  assert.equal(tpl.status, 201, tpl.text);
  const sl = await call('GET', '/api/v1/stations?limit=1');
  const ev = await call('POST', '/api/v1/events', {
    kind: 'training', title: '心访咨询师危机干预培训', station_id: sl.body.items[0].id, venue: `三楼培训室 ${templates}`,
    start: at(-H / 2), end: at(2 * H), public: true, status: 'confirmed', capacity: 2, survey_template_id: tpl.body.id,
  });
  assert.equal(ev.status, 201, ev.text);
  const a = await register(ev.body.id, { name: '王丽华', phone: '13800138001' });
  const b = await register(ev.body.id, { name: '陈建国', phone: '13900139002', organisation: '园岭街道' });
  const c = await register(ev.body.id, { name: XSS, email: 'c@example.cn' });
  assert.deepEqual([a.status, b.status, c.status], ['registered', 'registered', 'waitlisted']);
  return { ev: ev.body, a, b, c };
}

test('participants: list, roll call, waitlisted warning, walk-in, undo, door code, assessment, held, survey', async () => {
  const { ev, b } = await setUp();
  const { context, page, problems } = await openPage(browser, {
    viewport: { width: 1280, height: 900 }, expected: [[401, '/api/v1/session'], [409, '/attendance'], [422, '/attendance']],
  });
  try {
    // from the event detail of 活动计划
    await page.goto(`${server.url}/#/events/${ev.start.slice(0, 10)}`);
    await uiLogin(page);
    await page.click(`${T('cal-event')}[data-id="${ev.id}"]`);
    await page.waitForSelector(T('event-participants'));
    // 标记为已举办 asks first; cancelling leaves the event as it was
    await page.click(T('event-held'));
    assert.match(await text(page, 'confirm-text'), /标记为已举办吗？.*问卷链接.*不能再改期或取消/);
    await page.click(T('confirm-cancel'));
    await page.waitForSelector(T('confirm-dialog'), { state: 'detached' });
    assert.equal((await call('GET', `/api/v1/events/${ev.id}`)).body.status, 'confirmed');
    await page.click(T('event-participants'));
    await page.waitForSelector(T('pp-tab-checkin')); // started: the roll call first
    await page.waitForSelector(T('event-detail'), { state: 'detached' });
    assert.equal(await text(page, 'page-title'), '活动参与者');
    assert.equal(await text(page, 'pp-event-title'), '心访咨询师危机干预培训');
    assert.equal(await text(page, 'pp-stat-registered'), '2');
    assert.equal(await text(page, 'pp-stat-waitlisted'), '1');

    // search, then check in from the roll call
    await page.fill(T('pp-search'), '8001');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="pp-person"]').length === 1);
    assert.match(await page.textContent(T('pp-person')), /王丽华.*手机尾号 8001/);
    await page.fill(T('pp-search'), '不在名单');
    await page.waitForSelector(T('pp-roll-none'));
    await page.fill(T('pp-search'), '王');
    await page.click(`${T('pp-person')}:has-text("王丽华") ${T('pp-checkin')}`);
    await page.waitForSelector(`${T('pp-person')}:has-text("王丽华") ${T('pp-attended')}`);
    assert.equal(await text(page, 'pp-stat-attended'), '1');

    // the waitlisted one: a warning first, with the place in the queue
    await page.fill(T('pp-search'), '');
    const waiting = page.locator(T('pp-person'), { has: page.locator(T('pp-waitlisted')) });
    assert.equal(await waiting.locator('.pp-name').evaluate((n) => n.firstChild.textContent), XSS, 'a name is text');
    assert.equal(await waiting.locator(T('pp-waitlisted')).textContent(), '候补第 1 位');
    await waiting.locator(T('pp-checkin')).click();
    assert.equal(await text(page, 'confirm-text'), `${XSS} 在候补名单中（第 1 位），没有报名名额。确定仍然签到吗？`);
    await page.click(T('confirm-ok'));
    await waiting.locator(T('pp-attended')).waitFor();
    assert.equal(await text(page, 'pp-stat-attended'), '2');

    // a walk-in, then undone
    await page.fill(T('pp-walkin-name'), '来宾赵敏');
    await page.click(T('pp-walkin-add'));
    await page.waitForSelector(`${T('pp-walkin-row')}:has-text("来宾赵敏")`);
    assert.match(await text(page, 'pp-stat-attended'), /^3$/);
    await page.click(`${T('pp-walkin-row')}:has-text("来宾赵敏") ${T('pp-undo')}`);
    assert.equal(await text(page, 'confirm-text'), '确定撤销 来宾赵敏 的签到吗？');
    await page.click(T('confirm-ok'));
    await page.waitForSelector(`${T('pp-walkin-row')}:has-text("来宾赵敏")`, { state: 'detached' });
    await page.fill(T('pp-walkin-name'), '来宾孙琳');
    await page.click(T('pp-walkin-add'));
    await page.waitForSelector(`${T('pp-walkin-row')}:has-text("来宾孙琳")`);
    await page.screenshot({ path: join(SHOTS, 'participants-checkin.png'), fullPage: true });

    // the list, with the waiting list and the CSV
    await page.click(T('pp-tabbtn-list'));
    await page.waitForSelector(T('pp-tab-list'));
    assert.equal(await page.locator(`${T('pp-registered')} ${T('pp-reg-row')}`).count(), 2);
    assert.equal(await page.locator(`${T('pp-waitlist')} ${T('pp-reg-row')}`).count(), 1);
    assert.match(await page.textContent(T('pp-waitlist')), /候补第 1 位/);
    // The CSV is the server's (GET /events/{id}/registrations.csv, core's
    // writer), downloaded through the link.
    assert.match(await page.getAttribute(T('pp-csv'), 'href'), new RegExp(`/api/v1/events/${ev.id}/registrations\\.csv$`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(T('pp-csv'))]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\uFEFF姓名,状态,手机,邮箱'), csv.slice(0, 40));
    assert.match(csv, /\r\n陈建国,已报名,13900139002,,园岭街道,/);
    assert.match(csv, /\r\n来宾孙琳,现场参加,/);
    assert.equal(csv.split('\r\n').length, 6, 'head, three registrations, one walk-in, end');
    await page.screenshot({ path: join(SHOTS, 'participants-list.png'), fullPage: true });

    // training assessment: a bad score is refused next to it, then saved
    await page.click(T('pp-tabbtn-assess'));
    await page.waitForSelector(T('pp-assess'));
    const row = (name) => page.locator(T('pp-assess-row'), { hasText: name });
    await row('王丽华').locator(T('pp-passed')).selectOption('true');
    await row('王丽华').locator(T('pp-score')).fill('101');
    await row('来宾孙琳').locator(T('pp-passed')).selectOption('false');
    await row('来宾孙琳').locator(T('pp-score')).fill('58.5');
    await page.click(T('pp-assess-save-all'));
    await page.waitForSelector(`${T('pp-score-error')}:has-text("0 到 100")`);
    // the refusal shows at once (checked in the page); the tally once the
    // other row's save has come back
    await page.waitForFunction(() => /已保存 1 \/ 2 名/.test(document.querySelector('[data-test="pp-assess-status"]').textContent));
    await row('王丽华').locator(T('pp-score')).fill('92');
    await row('王丽华').locator(T('pp-assess-save')).click();
    await page.waitForFunction(() => /已通过 1 名/.test(document.querySelector('[data-test="pp-assess-summary"]').textContent));
    const att = (await call('GET', `/api/v1/events/${ev.id}/attendance`)).body.items;
    const byName = Object.fromEntries(att.map((x) => [x.name, x]));
    assert.equal(byName['王丽华'].passed, true);
    assert.equal(byName['王丽华'].score, 92);
    assert.equal(byName['来宾孙琳'].passed, false);
    assert.equal(byName['来宾孙琳'].score, 58.5);
    await page.screenshot({ path: join(SHOTS, 'participants-assess.png'), fullPage: true });

    // mark held, confirmed
    await page.click(T('pp-held'));
    assert.match(await text(page, 'confirm-text'), /心访咨询师危机干预培训/);
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('pp-held-note'));
    assert.equal((await call('GET', `/api/v1/events/${ev.id}`)).body.status, 'held');
    assert.equal(await page.locator(T('pp-held')).count(), 0);

    // the survey tab: personal links, the anonymous link with QR and poster
    await page.click(T('pp-tabbtn-survey'));
    await page.waitForSelector(T('pp-personal'));
    assert.equal(await page.locator(T('pp-personal-row')).count(), 3);
    await page.click(`${T('pp-personal-row')}:has-text("来宾孙琳") ${T('pp-personal-qr')}`);
    await page.waitForSelector(`${T('pp-qr-dialog')} svg path`);
    await page.keyboard.press('Escape');
    await page.waitForSelector(T('pp-qr-dialog'), { state: 'detached' });
    await page.click(T('pp-anon-on'));
    await page.waitForSelector(T('pp-anon-qr'));
    const anonUrl = await page.inputValue(T('pp-anon-url'));
    assert.match(anonUrl, /\/s\/[0-9a-f]{32}$/);
    // the QR code drawn here is the link's
    const drawn = await page.$eval(`${T('pp-anon-qr')} path`, (p) => p.getAttribute('d'));
    const m = qrMatrix(anonUrl);
    let d = '';
    m.modules.forEach((r, y) => r.forEach((dark, x) => { if (dark) d += `M${x + 4} ${y + 4}h1v1h-1z`; }));
    assert.equal(drawn, d);
    const [poster] = await Promise.all([context.waitForEvent('page'), page.click(T('pp-anon-poster'))]);
    await poster.waitForSelector('body[data-ready="1"]');
    assert.equal(await poster.textContent(T('poster-event')), '心访咨询师危机干预培训');
    assert.equal(await poster.textContent(T('poster-url')), anonUrl, 'the same link: it stays while on');
    assert.equal(await poster.locator(`${T('poster-qr')} path`).count(), 1);
    await poster.screenshot({ path: join(SHOTS, 'participants-poster.png'), fullPage: true });
    await poster.close();

    // answers: two personal, one anonymous with markup in the comment
    const tokens = (await call('GET', `/api/v1/events/${ev.id}/attendance`)).body.items.map((x) => x.survey_token);
    const answer = (tok, answers) => api(server.url, 'POST', '/api/v1/surveys/responses', { body: { token: tok, answers } });
    assert.equal((await answer(tokens[0], { overall: 5, topic: 'a', comment: `很好 ${XSS}` })).status, 201);
    assert.equal((await answer(tokens[1], { overall: 4, topic: 'a' })).status, 201);
    assert.equal((await answer(anonUrl.split('/s/')[1], { overall: 2, topic: 'b' })).status, 201);
    await page.click(T('pp-tabbtn-list'));
    await page.click(T('pp-tabbtn-survey'));
    await page.waitForSelector(`${T('pp-chart-topic')} canvas`);
    assert.equal(await text(page, 'pp-res-responses'), '3');
    assert.equal(await text(page, 'pp-res-rate'), '66.7%');
    assert.equal(await text(page, 'pp-res-sat'), '66.7%');
    assert.equal(await page.textContent(`${T('pp-comments')} li`), `很好 ${XSS}`);
    assert.match(await page.getAttribute(T('pp-results-csv'), 'href'), new RegExp(`/api/v1/events/${ev.id}/survey-results\\.csv$`));
    assert.equal(await page.locator(`${T('pp-personal-row')} ${T('pp-answered')}`).count(), 2);
    // the tooltip of option a's bar shows the markup as text
    await page.$eval(T('pp-chart-topic'), (el) => window.echarts.getInstanceByDom(el).dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 }));
    await page.waitForFunction(() => [...document.querySelectorAll('div')].some((x) => x.style.position === 'absolute' && /案例 <img/.test(x.textContent)));
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'participants-survey.png'), fullPage: true });

    // the registration page shows the code staff can type
    const reg = await openPage(browser, { viewport: PHONE, mobile: true });
    await reg.page.goto(`${server.url}/r/${b.token}`);
    await reg.page.waitForSelector(T('reg-code'));
    assert.equal(await reg.page.textContent(T('reg-code')), b.token.match(/.{4}/g).join(' '));
    await reg.context.close();
    assert.deepEqual(reg.problems, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('participants on a phone: the door code, big buttons, nothing wider than the screen', async () => {
  const { ev, a, b, c } = await setUp();
  const { context, page, problems } = await openPage(browser, {
    viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session'], [409, '/attendance'], [422, '/attendance']],
  });
  try {
    await page.goto(`${server.url}/#/participants/${ev.id}`);
    await uiLogin(page);
    await page.waitForSelector(T('pp-door'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    const btn = await page.locator(T('pp-code-go')).boundingBox();
    assert.ok(btn.height >= 44, `button ${btn.height}px high`);
    await page.screenshot({ path: join(SHOTS, 'participants-phone.png'), fullPage: true });

    // typed as the registration page shows it, in groups of four; a
    // check-in from the roll call meanwhile redraws the tab and keeps it
    const typed = b.token.match(/.{4}/g).join(' ').toUpperCase();
    await page.fill(T('pp-code'), typed);
    await page.click(`${T('pp-person')}:has-text("王丽华") ${T('pp-checkin')}`);
    await page.waitForSelector(`${T('pp-person')}:has-text("王丽华") ${T('pp-attended')}`);
    assert.equal(await page.inputValue(T('pp-code')), typed);
    await page.click(T('pp-code-go'));
    await page.waitForSelector(T('pp-code-ok'));
    assert.equal(await text(page, 'pp-code-ok'), '✓ 陈建国 签到成功');
    await page.waitForSelector(`${T('pp-person')}:has-text("陈建国") ${T('pp-attended')}`);
    assert.equal(await page.inputValue(T('pp-code')), '', 'cleared for the next person');
    // the whole link pasted of one already in: says so
    await page.fill(T('pp-code'), `${server.url}/c/${a.token}`);
    await page.click(T('pp-code-go'));
    await page.waitForSelector(T('pp-code-again'));
    assert.equal(await page.inputValue(T('pp-code')), `${server.url}/c/${a.token}`);
    // the waitlisted one is checked in, with a warning
    await page.fill(T('pp-code'), c.token);
    await page.click(T('pp-code-go'));
    await page.waitForSelector(T('pp-code-waitlisted'));
    assert.match(await text(page, 'pp-code-waitlisted'), /候补名单中（第 1 位）/);
    // the staff check-in page /c/{token} warns about the waiting list too
    const d = await register(ev.id, { name: '周晓梅', phone: '13700137004' });
    assert.equal(d.status, 'waitlisted');
    await page.goto(`${server.url}/c/${d.token}`);
    await page.waitForSelector(T('checkin-waitlisted'));
    assert.match(await text(page, 'checkin-result'), /周晓梅/);
    assert.equal(await text(page, 'checkin-waitlisted'), '注意：此人在候补名单中（第 2 位），没有报名名额，请确认现场是否还有座位。');
    await page.screenshot({ path: join(SHOTS, 'checkin-waitlisted.png'), fullPage: true });
    await page.goto(`${server.url}/#/participants/${ev.id}/checkin`);
    await page.waitForSelector(T('pp-door'));
    // not a code; a code of no registration of this event
    await page.fill(T('pp-code'), '1234');
    await page.click(T('pp-code-go'));
    await page.waitForSelector(T('pp-code-bad'));
    await page.fill(T('pp-code'), 'ab'.repeat(16));
    await page.click(T('pp-code-go'));
    await page.waitForSelector(T('pp-code-unknown'));
    assert.equal(await text(page, 'pp-stat-attended'), '4');
    await page.screenshot({ path: join(SHOTS, 'participants-phone-door.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// Issue 13 points 1 and 5 on the server (branch imports): a coordinator
// gives a waitlisted person a place and cancels a registration from the
// list; 撤销“已举办” while nobody answered, refused with the server's
// Chinese reason after an answer; the public page says "already
// registered" instead of making a second place. Desktop and 390 px.
test('participants: promote, cancel, undo held; a second registration of the same phone is told it has one', async () => {
  const { ev, a, c } = await setUp();
  const { context, page, problems } = await openPage(browser, {
    viewport: { width: 1280, height: 900 }, expected: [[401, '/api/v1/session'], [409, '/undo-held']],
  });
  try {
    await page.goto(`${server.url}/#/participants/${ev.id}/list`);
    await uiLogin(page);
    await page.waitForSelector(T('pp-tab-list'));
    // promote the waitlisted one (capacity 2, already full: the coordinator decides)
    const waitRow = page.locator(`${T('pp-waitlist')} ${T('pp-reg-row')}`);
    assert.equal(await waitRow.count(), 1);
    assert.equal(await page.locator(`${T('pp-registered')} ${T('pp-promote')}`).count(), 0, 'no promote for a registered person');
    await waitRow.locator(T('pp-promote')).click();
    assert.match(await text(page, 'confirm-text'), /转为正式报名吗？/);
    await page.click(T('confirm-ok'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="pp-registered"] [data-test="pp-reg-row"]').length === 3);
    assert.match(await text(page, 'toast'), /已转为正式报名/);
    assert.equal((await call('GET', `/api/v1/events/${ev.id}/registrations`)).body.items.find((g) => g.id === c.id).status, 'registered');
    assert.equal(await text(page, 'pp-stat-registered'), '3');
    await page.screenshot({ path: join(SHOTS, 'participants-promote.png'), fullPage: true });
    // cancel 王丽华's registration
    await page.click(`${T('pp-registered')} ${T('pp-reg-row')}:has-text("王丽华") ${T('pp-cancel-reg')}`);
    assert.match(await text(page, 'confirm-text'), /取消“王丽华”的报名吗？/);
    await page.click(T('confirm-ok'));
    await page.waitForSelector(`${T('pp-cancelled')} ${T('pp-reg-row')}:has-text("王丽华")`);
    assert.equal((await call('GET', `/api/v1/events/${ev.id}/registrations`)).body.items.find((g) => g.id === a.id).status, 'cancelled');
    assert.equal(await page.locator(`${T('pp-cancelled')} ${T('pp-cancel-reg')}`).count(), 0, 'nothing to do on a cancelled one');

    // mark held, then undo while nobody answered
    await page.click(T('pp-held'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('pp-undo-held'));
    await page.click(T('pp-undo-held'));
    assert.match(await text(page, 'confirm-text'), /改回“已确认”吗？/);
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('pp-held'));
    assert.equal((await call('GET', `/api/v1/events/${ev.id}`)).body.status, 'confirmed');
    // held again, a walk-in answers: the undo is refused with the reason
    assert.equal((await call('POST', `/api/v1/events/${ev.id}/attendance`, { walk_in: { name: '来宾' } })).status, 201);
    await page.click(T('pp-held'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('pp-undo-held'));
    const tok = (await call('GET', `/api/v1/events/${ev.id}/attendance`)).body.items[0].survey_token;
    assert.equal((await api(server.url, 'POST', '/api/v1/surveys/responses', { body: { token: tok, answers: { overall: 5 } } })).status, 201);
    await page.click(T('pp-undo-held'));
    await page.click(T('confirm-ok'));
    await page.waitForFunction(() => /问卷/.test(document.querySelector('[data-test="toast"]')?.textContent || ''));
    assert.match(await text(page, 'toast'), /已经有人填写了这场活动的问卷/);
    assert.equal((await call('GET', `/api/v1/events/${ev.id}`)).body.status, 'held');
    await page.screenshot({ path: join(SHOTS, 'participants-undo-refused.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // The public page on a phone: the same phone again is told it has a place.
  const open = await call('POST', '/api/v1/events', {
    kind: 'lecture', title: '亲子沟通讲座', start: at(24 * H), end: at(26 * H), public: true, status: 'confirmed',
  });
  assert.equal(open.status, 201, open.text);
  await register(open.body.id, { name: '周晓梅', phone: '13700137009' });
  const pub = await openPage(browser, { viewport: PHONE, mobile: true });
  try {
    await pub.page.goto(`${server.url}/e/${open.body.id}`);
    await pub.page.fill('#f-name', '周晓梅');
    await pub.page.fill('#f-phone', '137 0013 7009');
    await pub.page.click('button[type="submit"]');
    await pub.page.waitForSelector(T('reg-already'));
    assert.match(await pub.page.textContent(T('reg-already')), /您已经报过名了/);
    assert.equal(new URL(pub.page.url()).pathname, `/e/${open.body.id}`, 'no new registration page');
    const width = await pub.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await pub.page.screenshot({ path: join(SHOTS, 'event-already-registered-phone.png'), fullPage: true });
    assert.equal((await call('GET', `/api/v1/events/${open.body.id}/registrations`)).body.items.length, 1);
    assert.deepEqual(pub.problems, []);
  } finally {
    await pub.context.close();
  }

  // The list with its action buttons at 390 px.
  const phone = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await phone.page.goto(`${server.url}/#/participants/${ev.id}/list`);
    await uiLogin(phone.page);
    await phone.page.waitForSelector(T('pp-tab-list'));
    await phone.page.screenshot({ path: join(SHOTS, 'participants-list-phone.png'), fullPage: true });
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.context.close();
  }
});

// Issue 13: the 操作 column of the registration list is on screen at a
// 1280 px desktop (no sideways scrolling of the table), and the list
// reads at 390 px with big buttons — a person with a long e-mail and
// organisation on the list makes it wide.
test('participants list: every column, 操作 included, fits 1280 px; 390 px reads without sideways scrolling', async () => {
  const { ev } = await setUp();
  await register(ev.id, {
    name: '欧阳思远', phone: '13600136006', email: 'ouyang.siyuan.longname@futian-district-petition.example.cn',
    organisation: '福田区信访局人民来访接待大厅心理服务工作站',
  });
  const fits = (page) => page.evaluate(() => {
    const out = { doc: document.documentElement.scrollWidth, wraps: [], buttons: [] };
    for (const w of document.querySelectorAll('.pp-list-table .table-wrap')) out.wraps.push([w.scrollWidth, w.clientWidth]);
    for (const b of document.querySelectorAll('[data-test="pp-promote"], [data-test="pp-cancel-reg"]')) {
      const r = b.getBoundingClientRect();
      out.buttons.push([Math.round(r.left), Math.round(r.right), Math.round(r.height)]);
    }
    return out;
  });
  for (const [vp, name] of [[{ width: 1280, height: 900 }, 'participants-list-1280.png'], [PHONE, 'participants-list-390.png']]) {
    const phone = vp.width < 500;
    const { context, page, problems } = await openPage(browser, { viewport: vp, mobile: phone, expected: [[401, '/api/v1/session']] });
    try {
      await page.goto(`${server.url}/#/participants/${ev.id}/list`);
      await uiLogin(page);
      await page.waitForSelector(`${T('pp-waitlist')} ${T('pp-reg-row')}`);
      const f = await fits(page);
      assert.ok(f.doc <= vp.width, `${vp.width}: the page is ${f.doc} px wide`);
      assert.equal(f.wraps.length, 2, 'registered and waitlist tables');
      for (const [sw, cw] of f.wraps) assert.ok(sw <= cw + 1, `${vp.width}: a table scrolls sideways (${sw} > ${cw})`);
      assert.equal(f.buttons.length, 6, 'cancel for the two registered, promote and cancel for the two waiting');
      for (const [l, r, height] of f.buttons) {
        assert.ok(l >= 0 && r <= vp.width, `${vp.width}: a button at ${l}–${r} is off screen`);
        if (phone) assert.ok(height >= 44, `a ${height} px button on a phone`);
      }
      // the contact column has both the phone and the e-mail
      const row = page.locator(`${T('pp-waitlist')} ${T('pp-reg-row')}:has-text("欧阳思远")`);
      assert.match(await row.textContent(), /13600136006[\s\S]*ouyang\.siyuan/);
      await page.screenshot({ path: join(SHOTS, name), fullPage: true });
      if (phone) await page.locator(T('pp-waitlist')).screenshot({ path: join(SHOTS, 'participants-list-390-waitlist.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

test('web/lib/qr.js draws what libqrencode draws (level M, same mask)', async () => {
  // A base URL without digits keeps libqrencode in 8-bit mode throughout,
  // as long as the token has no run of four digits (libqrencode codes such
  // a run as numbers from versions 1 to 26; ours stays 8-bit): about one
  // token in twelve, so up to 400 are asked for.
  const srv = await startServer({ demo: true, env: { HEARTH_BASE_URL: 'https://hearth.example' } });
  try {
    const tok = await login(srv.url);
    const H2 = { token: tok };
    let compared = 0;
    let sameMask = 0;
    for (let n = 0; n < 400 && compared < 8; n++) {
      const link = await api(srv.url, 'POST', '/api/v1/stations/1/survey-link', H2);
      assert.ok(link.status === 200 || link.status === 201, link.text);
      const url = link.body.url;
      if (/\d{4}/.test(url)) continue; // coded as numbers by libqrencode
      const svg = (await api(srv.url, 'GET', '/api/v1/stations/1/survey-qr.svg', H2)).text;
      const size = Number(/viewBox="0 0 (\d+)/.exec(svg)[1]) - 8;
      const grid = Array.from({ length: size }, () => new Array(size).fill(false));
      for (const x of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) grid[Number(x[2]) - 4][Number(x[1]) - 4] = true;
      const same = (q) => q.size === size && q.modules.every((r, y) => r.every((dark, x) => dark === grid[y][x]));
      const masks = [0, 1, 2, 3, 4, 5, 6, 7].filter((mask) => same(qrMatrix(url, { mask })));
      assert.equal(masks.length, 1, `${url}: libqrencode's symbol is one of ours`);
      if (qrMatrix(url).mask === masks[0]) sameMask++;
      compared++;
    }
    assert.ok(compared >= 4, `compared ${compared}`);
    assert.ok(sameMask >= 1, 'the mask choice agrees at times');
  } finally {
    await srv.stop();
  }
  // larger versions: the version information blocks (v7+), two error blocks
  const long = qrMatrix(`https://hearth.example/s/${'a'.repeat(120)}`);
  assert.ok(long.version >= 7 && long.size === long.version * 4 + 17);
});
