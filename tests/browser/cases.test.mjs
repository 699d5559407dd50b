// Browser test of the key-case register and the counselling surveys
// against the real binary: a coordinator registers a case, records a
// session and a follow-up and closes it (desktop); the counsellor sees the
// follow-up on a 390 px phone, ticks it off and adds a session; a
// visitor fills the station's survey on a 390 px phone; a coordinator
// enters a paper tally with a live total and sees it in the results;
// the QR poster. Untrusted text stays literal.
// Run: node --test tests/browser/cases.test.mjs
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, run, ADMIN_PASSWORD } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, uiLogin } from '../lib/browser.mjs';
import { clearOfMidnight } from '../lib/wallclock.mjs';

const DESKTOP = { width: 1280, height: 860 };
const XSS = '情绪较稳定 <img src=x onerror=alert(1)>';

let server;
let browser;
let token;
let hall;
let people;

const call = (method, path, body) => api(server.url, method, path, { token, body });
const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const dayPlus = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

async function fits(page, width) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `page is ${w}px wide`);
}

before(async () => {
  // The demo data of `make run` (--demo-activities 1): key cases, the
  // hall's survey link with answers, paper tallies.
  const dir = mkdtempSync(join(tmpdir(), 'hearth-cases-'));
  const r = await run(['demo', '--db', join(dir, 'hearth.db'), '--demo-activities', '1'], { HEARTH_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(r.code, 0, r.stderr);
  ({ server, browser, token } = await startSuite({ dir }));
  const st = await call('GET', '/api/v1/stations?limit=100');
  hall = st.body.items[0];
  people = (await call('GET', '/api/v1/counsellors?limit=100')).body.items;
});

after(stopSuite);
// Today's date goes in here and the server and the page check it against
// theirs: one day from a test's start to its end.
beforeEach(() => clearOfMidnight(120e3));

test('coordinator: create a case, add a session and a follow-up, close it', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session'], [422, '/api/v1/cases']] });
  try {
    await page.goto(`${server.url}/#/cases`);
    await uiLogin(page);
    await page.waitForSelector(T('cases-table'));
    assert.equal(await text(page, T('page-title')), '重点个案');
    // The demo register: open cases first, status chips filter.
    await page.click(T('case-chip-resolved'));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="case-status"]')].every((x) => x.textContent === '已化解'));
    await page.click(T('case-chip-'));
    await page.screenshot({ path: join(SHOTS, 'cases-list.png'), fullPage: true });

    await page.click(T('case-add'));
    await page.waitForSelector(T('case-form'));
    // A name is refused by the server with its Chinese message.
    await page.fill(T('case-label'), 'wangwu-1');
    await page.selectOption(T('case-station'), String(hall.id));
    await page.check(T(`case-counsellor-${people[1].id}`));
    await page.fill(T('case-note'), XSS);
    await page.click(T('case-save'));
    await page.waitForSelector(`${T('error-label')}:not(:empty)`);
    assert.match(await text(page, T('error-label')), /姓名/);
    await page.fill(T('case-label'), 'BR-2025-101');
    await page.click(T('case-save'));
    await page.waitForSelector(T('case-detail'));
    assert.equal(await text(page, T('case-title')), 'BR-2025-101');
    assert.equal(await text(page, `${T('case-detail')} ${T('case-status')}`), '跟进中');
    assert.ok((await page.textContent(T('case-detail'))).includes(XSS), 'the note is literal text');
    assert.equal(await page.locator(`${T('case-detail')} img`).count(), 0);

    // A session: 90 minutes by phone.
    await page.click(T('case-add-session'));
    await page.waitForSelector(T('session-form'));
    await page.click(T('minutes-90'));
    await page.check(T('kind-phone'));
    await page.fill(T('session-note'), '电话疏导，情绪缓和');
    await page.click(T('session-save'));
    await page.waitForSelector(T('session-row'));
    assert.match(await text(page, T('session-row')), /90/);
    assert.match(await text(page, T('session-row')), /电话疏导/);
    assert.equal(await text(page, T('case-summary')), '共 1 次咨询，1.50 小时');

    // A follow-up in two days at 15:30.
    await page.click(T('case-add-follow-up'));
    await page.fill(T('follow-up-date'), dayPlus(2));
    await page.fill(T('follow-up-time'), '15:30');
    await page.click(T('follow-up-save'));
    await page.waitForSelector(T('follow-up-row'));
    assert.match(await text(page, T('follow-up-row')), /15:30/);
    assert.match(await text(page, T('follow-up-row')), /待回访/);
    await page.screenshot({ path: join(SHOTS, 'case-detail.png'), fullPage: true });

    // Close as resolved today; the delete button is gone (it has a session).
    assert.equal(await page.locator(T('case-delete')).count(), 0);
    await page.click(T('case-close'));
    await page.waitForSelector(T('close-ok'));
    await page.check(T('close-resolved'));
    await page.fill(T('close-date'), today());
    await page.click(T('close-ok'));
    await page.waitForSelector(T('case-reopen'));
    assert.equal(await text(page, `${T('case-detail')} ${T('case-status')}`), '已化解');
    assert.equal(await text(page, T('case-closed')), today());
    const list = await call('GET', '/api/v1/cases?q=BR-2025-101');
    assert.equal(list.body.items[0].status, 'resolved');
    assert.equal(list.body.items[0].session_minutes, 90);
    await page.screenshot({ path: join(SHOTS, 'case-closed.png'), fullPage: true });
    // Reopen clears the closing date.
    await page.click(T('case-reopen'));
    await page.waitForSelector(T('case-close'));
    assert.equal(await text(page, T('case-closed')), '—');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('counsellor on a 390 px phone: sees the follow-up, ticks it off, adds a session', async () => {
  const me = people[2];
  const acc = await call('POST', `/api/v1/counsellors/${me.id}/account`, { username: 'zixun02', password: 'zixun-2027-pw' });
  assert.equal(acc.status, 201, acc.text);
  const c = await call('POST', '/api/v1/cases', { label: 'PH-2025-7', station_id: hall.id, counsellor_ids: [me.id], opened_on: dayPlus(-10) });
  assert.equal(c.status, 201, c.text);
  const fu = await call('POST', `/api/v1/cases/${c.body.id}/follow-ups`, { due: `${dayPlus(1)}T09:30:00+08:00`, counsellor_id: me.id, note: '确认复学情况' });
  assert.equal(fu.status, 201, fu.text);
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/me`);
    await uiLogin(page, { username: 'zixun02', password: 'zixun-2027-pw' });
    await page.waitForSelector(`${T('my-follow-up')}[data-id="${fu.body.id}"]`);
    const card = `${T('my-follow-up')}[data-id="${fu.body.id}"]`;
    assert.match(await text(page, card), /回访 PH-2025-7/);
    assert.match(await text(page, `${card} ${T('my-follow-up-when')}`), /09:30/);
    await page.waitForSelector(`${T('my-case')}[data-id="${c.body.id}"]`);
    // Big touch targets.
    const box = await page.locator(`${card} ${T('my-follow-up-done')}`).boundingBox();
    assert.ok(box.height >= 44, `done button is ${box.height}px high`);
    await page.locator(T('my-cases-section')).scrollIntoViewIfNeeded();
    await fits(page, PHONE.width);
    await page.screenshot({ path: join(SHOTS, 'my-follow-ups-phone.png'), fullPage: true });
    await page.click(`${card} ${T('my-follow-up-done')}`);
    await page.waitForSelector(`${card} ${T('my-follow-up-undo')}`);
    assert.match(await text(page, `${card} ${T('follow-up-state')}`), /已完成/);
    // A session from the phone.
    await page.click(`${T('my-case')}[data-id="${c.body.id}"] ${T('my-case-session')}`);
    await page.waitForSelector(T('session-form'));
    await page.click(T('minutes-45'));
    await page.check(T('kind-one_to_one'));
    await fits(page, PHONE.width);
    await page.screenshot({ path: join(SHOTS, 'my-session-phone.png'), fullPage: false });
    await page.click(T('session-save'));
    await page.waitForSelector(`${T('my-case')}[data-id="${c.body.id}"]:has-text("1 次咨询")`);
    const got = await call('GET', `/api/v1/cases/${c.body.id}`);
    assert.equal(got.body.sessions.length, 1);
    assert.equal(got.body.sessions[0].minutes, 45);
    assert.equal(got.body.sessions[0].counsellor_id, me.id);
    assert.equal(got.body.follow_ups[0].done, true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a visitor answers the station survey on a 390 px phone', async () => {
  const link = await call('POST', `/api/v1/stations/${hall.id}/survey-link`);
  assert.ok([200, 201].includes(link.status), link.text);
  const before = (await call('GET', `/api/v1/stations/${hall.id}/survey-results`)).body.responses;
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true });
  try {
    await page.goto(`${server.url}/s/${link.body.token}`);
    await page.waitForSelector(T('survey-form'));
    assert.equal(await text(page, T('survey-station')), hall.name);
    assert.match(await page.textContent('main'), /心理咨询满意度调查/);
    assert.match(await text(page, T('survey-anonymous')), /匿名/);
    await fits(page, PHONE.width);
    await page.screenshot({ path: join(SHOTS, 'station-survey-phone.png'), fullPage: true });
    await page.click('label[for="q-overall-0"]');
    await page.fill(T('q-comment-text'), '老师很耐心 <b>谢谢</b>');
    await page.click(T('survey-submit'));
    await page.waitForSelector(T('survey-thanks'));
    assert.match(await page.textContent('footer'), /匿名/);
    await page.screenshot({ path: join(SHOTS, 'station-survey-thanks-phone.png') });
    const after = (await call('GET', `/api/v1/stations/${hall.id}/survey-results`)).body;
    assert.equal(after.responses, before + 1);
    assert.ok(after.comments.includes('老师很耐心 <b>谢谢</b>'));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('coordinator enters a paper tally with a live total; results and poster', async () => {
  await call('POST', `/api/v1/stations/${hall.id}/survey-link`);
  const before = (await call('GET', `/api/v1/stations/${hall.id}/survey-results`)).body;
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/stations`);
    await uiLogin(page);
    await page.click(`${T('station-row')}[data-id="${hall.id}"] ${T('station-survey')}`);
    await page.waitForSelector(T('ssv-qr'));
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-test="ssv-qr"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await text(page, T('ssv-station')), hall.name);
    await page.waitForSelector(T('tally-form'));
    await page.fill(T('tally-n5'), '20');
    await page.fill(T('tally-n4'), '23');
    await page.fill(T('tally-n3'), '5');
    await page.fill(T('tally-n2'), '2');
    assert.equal(await text(page, T('tally-total')), '合计 50 份');
    assert.equal(await text(page, T('tally-rate')), '满意度 86.0%');
    await page.click(T('tally-save'));
    await page.waitForSelector(`${T('tally-row')}:has-text("50")`);
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-test="res-paper"] .stat-value');
      return el && el.textContent === String(n);
    }, before.satisfaction_paper.total + 50);
    const after = (await call('GET', `/api/v1/stations/${hall.id}/survey-results`)).body;
    assert.equal(after.satisfaction.total, before.satisfaction.total + 50);
    assert.equal(after.satisfaction.satisfied, before.satisfaction.satisfied + 43);
    await page.screenshot({ path: join(SHOTS, 'station-survey-console.png'), fullPage: true });

    // The poster: Chinese title, the station's name, the QR code.
    const [poster] = await Promise.all([context.waitForEvent('page'), page.click(T('ssv-poster'))]);
    await poster.waitForSelector('body[data-ready="1"]');
    assert.equal(await text(poster, T('poster-title')), '心理咨询满意度调查');
    assert.equal(await text(poster, T('poster-station')), hall.name);
    assert.ok(await poster.evaluate(() => document.querySelector('[data-test="poster-qr"]').naturalWidth > 0));
    await poster.screenshot({ path: join(SHOTS, 'station-poster.png'), fullPage: true });
    await poster.close();

    // The same page on a phone fits the screen.
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.waitForSelector(T('tally-form'));
    await fits(page, PHONE.width);
    await page.screenshot({ path: join(SHOTS, 'station-survey-console-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the event detail shows its survey results with a tally form', async () => {
  const ev = (await call('GET', '/api/v1/events?status=held&limit=1')).body.items[0];
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/events/${ev.start.slice(0, 10)}/listMonth`);
    await uiLogin(page);
    await page.click(`text=${ev.title}`);
    await page.waitForSelector(`${T('event-detail')} ${T('tally-form')}`);
    await page.waitForSelector(`${T('event-detail')} ${T('res-paper')}`);
    // The demo's paper tally of this event: 50 forms.
    assert.equal(await text(page, `${T('res-paper')} .stat-value`), '50');
    await page.fill(T('tally-n5'), '4');
    await page.fill(T('tally-n1'), '1');
    assert.equal(await text(page, T('tally-rate')), '满意度 80.0%');
    await page.click(T('tally-save'));
    await page.waitForFunction(() => document.querySelector('[data-test="res-paper"] .stat-value')?.textContent === '55');
    await page.screenshot({ path: join(SHOTS, 'event-tally.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
