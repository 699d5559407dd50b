// Browser tests of the console's everyday jobs against the real binary
// (demo stations and counsellors): the dashboard's picture of today with
// its links; holidays as a range and edited, 休/班 on the activity
// calendar with a warning when an event lands on one; the week grid's
// leave marks, busy counsellors disabled with the reason and the one-step
// swap, the grid and the swap on a phone; dialogs and the back button,
// unsaved input, reload; the outbox's reasons in Chinese; a counsellor's
// week on a phone.
// Run: node --test tests/browser/jobs.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, login } from '../lib/harness.mjs';
import { startSuite, stopSuite, activeRoster, textOf, SHOTS, PHONE, openPage, T, uiLogin, wallDay, addDays, mondayOf, dayAt } from '../lib/browser.mjs';
import { clearOfMidnight } from '../lib/wallclock.mjs';

const at = dayAt;

let server;
let browser;
let token;
let stations;
let people;
let call;
let ok;

before(async () => {
  ({ server, browser, token, call, ok } = await startSuite({ demo: true }));
  ({ stations, people } = await activeRoster(call));
});

after(stopSuite);
// Today's date goes in here and the server and the page check it against
// theirs: one day from a test's start to its end.
beforeEach(() => clearOfMidnight(120e3));

const text = textOf;

test('dashboard: today on duty with leave and open seats, open seats this week, requests, missing logs, coming activities', async () => {
  const today = wallDay();
  const monday = mondayOf(today);
  const [s1, s2] = stations;
  const [c1, c2] = people;
  await ok('POST', '/api/v1/shift-templates', { station_id: s2.id, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '20:00', required: 2 });
  const mine = await ok('POST', '/api/v1/shifts', { station_id: s1.id, counsellor_id: c1.id, start: at(today, '09:00'), end: at(today, '12:00') });
  await ok('POST', '/api/v1/shifts', { station_id: s1.id, start: at(today, '14:00'), end: at(today, '17:00') });
  await ok('POST', '/api/v1/availability', { counsellor_id: c1.id, start: at(today, '08:00'), end: at(today, '13:00'), reason: '家中有事' });
  // yesterday's shift without a log, and a request to give a later one away
  await ok('POST', '/api/v1/shifts', { station_id: s1.id, counsellor_id: c2.id, start: at(addDays(today, -1), '09:00'), end: at(addDays(today, -1), '10:00') });
  const later = await ok('POST', '/api/v1/shifts', { station_id: s1.id, counsellor_id: c2.id, start: at(addDays(today, 1), '09:00'), end: at(addDays(today, 1), '12:00') });
  await ok('POST', `/api/v1/counsellors/${c2.id}/account`, { username: 'dash-c2', password: 'a-long-pass-2468' });
  const c2tok = await login(server.url, 'dash-c2', 'a-long-pass-2468');
  await ok('POST', '/api/v1/swap-requests', { shift_id: later.id, reason: '孩子生病' }, c2tok);
  const ev = await ok('POST', '/api/v1/events', {
    kind: 'salon', title: '亲子沟通沙龙 <b>周末</b>', station_id: s1.id, start: at(addDays(today, 2), '15:00'), end: at(addDays(today, 2), '17:00'), status: 'confirmed',
  });
  const cov = await ok('GET', `/api/v1/rosters/coverage?from=${monday}&to=${addDays(monday, 6)}`);
  const openSeats = cov.days.filter((d) => d.gap > 0 && d.date >= today).reduce((n, d) => n + d.gap, 0);
  const missing = await ok('GET', '/api/v1/duty-logs?missing=1&limit=1');

  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url);
    await uiLogin(page);
    await page.waitForSelector(T('dash-today-row'));
    const row = page.locator(T('dash-today-row'), { hasText: s1.name });
    assert.match(await row.textContent(), new RegExp(`09:00–12:00 ${c1.name} 请假；14:00–17:00 空缺`));
    assert.equal(await row.locator(T('dash-today-leave')).count(), 1);
    assert.match(await text(page, 'dash-today-sum'), /^1人在岗，1 个驻点；空缺 1 个$/);
    await page.waitForSelector(T('dash-open-count'));
    assert.ok(openSeats > 0);
    assert.equal(await text(page, 'dash-open-count'), String(openSeats));
    await page.waitForSelector(T('dash-pending-count'));
    assert.equal(await text(page, 'dash-pending-count'), '2');
    assert.match(await text(page, 'dash-swap-row'), new RegExp(`${c2.name}申请转让班次`));
    assert.match(await text(page, 'dash-leave-row'), new RegExp(`${c1.name}请假 .*涉及 1 个已排班次`));
    await page.waitForSelector(T('dash-logs-count'));
    assert.equal(await text(page, 'dash-logs-count'), String(missing.total));
    assert.ok(missing.total >= 1);
    const evRow = page.locator(T('dash-event-row'), { hasText: '亲子沟通沙龙' });
    assert.equal(await evRow.locator('.dash-ev-title').textContent(), '亲子沟通沙龙 <b>周末</b>');
    assert.equal(await page.locator(`${T('dashboard')} b`).count(), 0);
    // the stations and counsellors below stay
    await page.waitForSelector(T('stat-stations'));
    assert.equal(await page.getAttribute(T('dash-today-link'), 'href'), `#/rosters/${monday}`);
    assert.equal(await page.getAttribute(T('dash-pending-link'), 'href'), '#/rosters/swaps');
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
    await evRow.locator(T('dash-event-people')).click();
    await page.waitForSelector(T('pp-event-title'));
    assert.equal(await text(page, 'pp-event-title'), ev.title);

    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/#/overview`);
    await page.waitForSelector(T('dash-event-row'));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  // leave the week's shifts to the next test alone
  await ok('DELETE', `/api/v1/shifts/${mine.id}`);
});

test('holidays: a range in one go, edit; 休/班 on the activity calendar; a warning on creating and moving onto a holiday', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 1000 }, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/setup/holidays`);
    await uiLogin(page);
    await page.waitForSelector(T('hd-year'));
    await page.fill(T('hd-year'), '2031');
    await page.dispatchEvent(T('hd-year'), 'change');
    await page.waitForSelector(T('empty'));
    // 春节 2031: seven days at once
    await page.click(T('hd-add'));
    await page.fill(T('hd-date'), '2031-01-22');
    await page.fill(T('hd-to'), '2031-01-28');
    await page.dispatchEvent(T('hd-to'), 'change');
    assert.equal(await text(page, 'hd-days'), '将录入 7 天：2031-01-22 至 2031-01-28；已有的日期会被更新');
    await page.fill(T('hd-name'), '春节');
    await page.click(T('hd-save'));
    await page.waitForSelector(T('hd-dialog'), { state: 'detached' });
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length === 7);
    assert.match(await text(page, 'toast'), /新增 7 天，更新 0 天/);
    // a make-up working day (one date; no range for those)
    await page.click(T('hd-add'));
    await page.fill(T('hd-date'), '2031-01-19');
    await page.selectOption(T('hd-kind'), 'workday');
    assert.ok(await page.isHidden(T('hd-to')));
    await page.fill(T('hd-name'), '春节调休');
    await page.selectOption(T('hd-as_weekday'), '5');
    await page.click(T('hd-save'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length === 8);
    // overlapping an existing day: that one is updated
    await page.click(T('hd-add'));
    await page.fill(T('hd-date'), '2031-01-28');
    await page.fill(T('hd-to'), '2031-01-29');
    await page.fill(T('hd-name'), '春节');
    await page.click(T('hd-save'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length === 9);
    assert.match(await text(page, 'toast'), /新增 1 天，更新 1 天/);
    // edit one
    await page.locator(T('hd-row'), { hasText: '2031-01-29' }).locator(T('hd-edit')).click();
    assert.equal(await page.inputValue(T('hd-name')), '春节');
    await page.fill(T('hd-name'), '春节（延长）');
    await page.click(T('hd-save'));
    await page.waitForSelector(`${T('hd-row')}:has-text("春节（延长）")`);
    assert.equal(await text(page, 'hd-summary'), '2031 年：放假 8 天，调休上班 1 天');
    await page.screenshot({ path: join(SHOTS, 'holidays-range.png'), fullPage: true });
    // on a phone the year stays between its arrows, on one row
    await page.setViewportSize(PHONE);
    const [prev, year, next] = await Promise.all(['hd-prev', 'hd-year', 'hd-next'].map((id) => page.locator(T(id)).boundingBox()));
    assert.ok(Math.abs(prev.y + prev.height / 2 - (next.y + next.height / 2)) < 2 && prev.x < year.x && year.x < next.x,
      `‹ ${JSON.stringify(prev)} year ${JSON.stringify(year)} › ${JSON.stringify(next)}`);
    assert.ok(next.x + next.width <= PHONE.width, '› fits the phone');
    await page.screenshot({ path: join(SHOTS, 'holidays-phone.png') });
    await page.setViewportSize({ width: 1280, height: 1000 });

    // the activity calendar shows them
    await page.goto(`${server.url}/#/events/2031-01`);
    await page.waitForSelector(`${T('cal-holiday')}[data-date="2031-01-23"]`);
    assert.equal(await page.locator(T('cal-holiday')).count(), 8);
    assert.match(await page.textContent(`${T('cal-holiday')}[data-date="2031-01-23"]`), /休 · 春节/);
    assert.match(await page.textContent(`${T('cal-workday')}[data-date="2031-01-19"]`), /班 · 春节调休/);
    await page.screenshot({ path: join(SHOTS, 'events-holidays.png'), fullPage: true });

    // creating an event on one warns (and still saves)
    await page.click(T('event-add'));
    await page.waitForSelector(T('event-form'));
    await page.fill(T('event-date'), '2031-01-23');
    await page.waitForSelector(`${T('holiday-warning')}:visible`);
    assert.match(await text(page, 'holiday-warning'), /1月23日（周四）是法定节假日（春节）/);
    await page.fill(T('event-date'), '2031-01-15');
    await page.waitForSelector(T('holiday-warning'), { state: 'hidden' });
    await page.selectOption(T('event-kind'), 'lecture');
    await page.fill(T('event-title'), '节前心理调适讲座');
    await page.click(T('event-save'));
    await page.waitForSelector(T('event-dialog'), { state: 'detached' });
    // dragged onto the holiday: the reschedule dialog says so
    const src = await page.locator(`${T('cal-event')}:has-text("节前心理调适讲座")`).boundingBox();
    const dst = await page.locator('.fc-daygrid-day[data-date="2031-01-24"] .fc-daygrid-day-frame').boundingBox();
    await page.mouse.move(src.x + 12, src.y + src.height / 2);
    await page.mouse.down();
    await page.mouse.move(src.x + 24, src.y + src.height / 2 + 4, { steps: 4 });
    await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 });
    await page.mouse.up();
    await page.waitForSelector(T('reschedule-dialog'));
    await page.waitForSelector(`${T('reschedule-dialog')} ${T('holiday-warning')}:visible`);
    assert.match(await page.textContent(`${T('reschedule-dialog')} ${T('holiday-warning')}`), /1月24日（周五）是法定节假日/);
    await page.screenshot({ path: join(SHOTS, 'events-holiday-warning.png') });
    await page.click(T('reschedule-cancel'));
    await page.waitForSelector(T('reschedule-dialog'), { state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('week grid: leave marked on a shift, busy counsellors disabled with the reason, a one-step swap', async () => {
  const today = wallDay();
  const monday = mondayOf(today);
  const [, , s3, s4] = stations;
  const c = people.slice(2, 9);
  const [ca, cb, cc, cd, ce, cf] = c;
  const a = await ok('POST', '/api/v1/shifts', { station_id: s3.id, counsellor_id: ca.id, start: at(today, '09:00'), end: at(today, '12:00') });
  const b = await ok('POST', '/api/v1/shifts', { station_id: s4.id, counsellor_id: cb.id, start: at(today, '14:00'), end: at(today, '17:00') });
  const open = await ok('POST', '/api/v1/shifts', { station_id: s3.id, start: at(today, '14:00'), end: at(today, '17:00') });
  await ok('POST', '/api/v1/availability', { counsellor_id: ca.id, start: at(today, '08:00'), end: at(today, '11:00'), reason: '看病' });
  await ok('POST', '/api/v1/availability', { counsellor_id: cd.id, start: at(today, '00:00'), end: at(addDays(today, 1), '00:00'), reason: '年假' });
  await ok('PATCH', `/api/v1/counsellors/${ce.id}`, { max_weekly_hours: 2 });
  void cc;

  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 1000 }, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/${monday}`);
    await uiLogin(page);
    const chipA = page.locator(`${T('shift')}[data-id="${a.id}"]`);
    await chipA.waitFor();
    assert.equal(await chipA.locator(T('shift-leave')).textContent(), '假');
    assert.match(await chipA.getAttribute('title'), /在此时段请假（看病）/);
    assert.equal(await page.locator(`${T('shift')}[data-id="${b.id}"] ${T('shift-leave')}`).count(), 0);

    // the open seat: busy people are in the list, disabled, with the reason
    await page.click(`${T('shift')}[data-id="${open.id}"]`);
    await page.waitForSelector(T('shift-dialog'));
    const opt = (id) => page.locator(`${T('shift-counsellor')} option[value="${id}"]`);
    // the reasons are the server's (GET /rosters/free)
    await page.waitForSelector(`${T('shift-counsellor')} option[value="${cb.id}"][data-busy]`, { state: 'attached' });
    assert.equal(await opt(cb.id).isDisabled(), true);
    assert.match(await opt(cb.id).textContent(), new RegExp(`— 已有班次：.*14:00–17:00 ${s4.name}`));
    assert.equal(await opt(cd.id).isDisabled(), true);
    assert.match(await opt(cd.id).textContent(), /— 请假（年假）/);
    assert.equal(await opt(ce.id).isDisabled(), true);
    assert.match(await opt(ce.id).textContent(), /— 本周将超过每周 2 小时上限/);
    assert.equal(await opt(ca.id).isDisabled(), false, 'leave ends at 11:00');
    assert.equal(await opt(cf.id).isDisabled(), false);
    await page.screenshot({ path: join(SHOTS, 'roster-busy.png') });
    await page.selectOption(T('shift-counsellor'), String(cf.id));
    await page.click(T('shift-save'));
    await page.waitForSelector(T('shift-dialog'), { state: 'detached' });
    await page.waitForSelector(`${T('shift')}[data-id="${open.id}"][data-counsellor="${cf.id}"]`);

    // the one-step swap: A's morning for B's afternoon
    await chipA.click();
    await page.waitForSelector(T('shift-leave-notice'));
    await page.selectOption(T('shift-swap-with'), String(b.id));
    await page.click(T('shift-swap'));
    assert.match(await text(page, 'confirm-text'), new RegExp(`把 ${ca.name} 的班次.*与 ${cb.name} 的班次.*对调吗？`));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('shift-dialog'), { state: 'detached' });
    await page.waitForSelector(`${T('shift')}[data-id="${a.id}"][data-counsellor="${cb.id}"]`);
    assert.equal((await ok('GET', `/api/v1/shifts/${b.id}`)).counsellor_id, ca.id);
    // on leave no more: the mark is gone
    assert.equal(await page.locator(`${T('shift')}[data-id="${a.id}"] ${T('shift-leave')}`).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('week grid on a 390 px phone: scrolls inside its box with the stations kept, today in view, the swap readable', async () => {
  const today = wallDay();
  const monday = mondayOf(today);
  const [s7, s8] = [stations[7], stations[8]];
  const [cx, cy] = [people[12], people[13]];
  const x = await ok('POST', '/api/v1/shifts', { station_id: s7.id, counsellor_id: cx.id, start: at(today, '08:00'), end: at(today, '09:00') });
  const y = await ok('POST', '/api/v1/shifts', { station_id: s8.id, counsellor_id: cy.id, start: at(today, '19:00'), end: at(today, '20:00') });

  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/${monday}`);
    await uiLogin(page);
    const chipX = page.locator(`${T('shift')}[data-id="${x.id}"]`);
    await chipX.waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= PHONE.width, 'the page is no wider than the phone');
    const wrap = page.locator(T('roster-grid-wrap'));
    const [sw, cw] = await wrap.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(sw > cw, `the grid scrolls in its box (${sw} > ${cw})`);
    // today's column is in view, right of the station column
    const corner = await page.locator('.rg-corner').boundingBox();
    const day = await page.locator(`${T('roster-day')}[data-date="${today}"]`).boundingBox();
    assert.ok(day.x >= corner.x + corner.width - 1 && day.x + day.width <= PHONE.width + 1, `today at ${day.x}–${day.x + day.width}`);
    // scrolled to either end, the stations stay at the left
    const station = page.locator(`${T('roster-row')}[data-station="${s7.id}"] .rg-station`);
    const x0 = (await station.boundingBox()).x;
    await wrap.evaluate((el) => { el.scrollLeft = 0; });
    assert.equal((await station.boundingBox()).x, x0);
    await wrap.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    assert.equal((await station.boundingBox()).x, x0);
    await page.screenshot({ path: join(SHOTS, 'roster-phone.png'), fullPage: true });

    // the swap on the phone: the colleague's name leads the choice, the button under it
    await wrap.evaluate((el, d) => { el.scrollLeft = el.querySelector(`[data-date="${d}"]`).offsetLeft - el.querySelector('.rg-corner').offsetWidth; }, today);
    await chipX.click();
    await page.waitForSelector(T('shift-dialog'));
    assert.match(await page.textContent(`${T('shift-swap-with')} option[value="${y.id}"]`), new RegExp(`^${cy.name} · `));
    await page.selectOption(T('shift-swap-with'), String(y.id));
    const pick = await page.locator(T('shift-swap-with')).boundingBox();
    const btn = await page.locator(T('shift-swap')).boundingBox();
    assert.ok(btn.y >= pick.y + pick.height - 1 && btn.height >= 44, 'the button under the choice, finger-sized');
    assert.ok(pick.x + pick.width <= PHONE.width, 'the choice fits the screen');
    await page.screenshot({ path: join(SHOTS, 'roster-swap-phone.png') });
    await page.click(T('shift-swap'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('shift-dialog'), { state: 'detached' });
    await page.waitForSelector(`${T('shift')}[data-id="${x.id}"][data-counsellor="${cy.id}"]`);
    assert.equal((await ok('GET', `/api/v1/shifts/${y.id}`)).counsellor_id, cx.id);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The console takes a closed dialog's history entry back off with a
// history.go() of its own, a task or two after the click; a back pressed
// before that lands would be eaten by it (no person is that fast).
const historySettled = (page) => page.waitForFunction(() =>
  ((history.state && Number(history.state.hearthDialog)) || 0) === document.querySelectorAll('dialog[open]').length);

test('dialogs: back closes them, unsaved input asks first (close, back, reload), another page closes them', async () => {
  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/overview`);
    await uiLogin(page);
    await page.click(T('nav-stations'));
    await page.waitForSelector(T('station-add'));
    // nothing typed: back closes the dialog and stays on the page
    await page.click(T('station-add'));
    await page.waitForSelector(T('station-dialog'));
    await historySettled(page);
    await page.goBack();
    await page.waitForSelector(T('station-dialog'), { state: 'detached' });
    assert.equal(await page.evaluate(() => location.hash), '#/stations');
    assert.equal(await text(page, 'page-title'), '驻点');

    // typed: back asks; keep editing keeps it all
    await page.click(T('station-add'));
    await page.fill(T('station-name'), '莲花街道心访工作点');
    await historySettled(page);
    await page.goBack();
    await page.waitForSelector(T('confirm-dialog'));
    assert.equal(await text(page, 'confirm-text'), '填写的内容还没有保存，确定放弃吗？');
    await page.click(T('confirm-cancel'));
    await page.waitForSelector(T('confirm-dialog'), { state: 'detached' });
    assert.equal(await page.inputValue(T('station-name')), '莲花街道心访工作点');
    // Esc and × ask too
    await page.keyboard.press('Escape');
    await page.waitForSelector(T('confirm-dialog'));
    await page.click(T('confirm-cancel'));
    await page.click(`${T('station-dialog')} .dialog-x`);
    await page.waitForSelector(T('confirm-dialog'));
    await page.click(T('confirm-cancel'));

    // a reload asks through the browser; staying keeps the input
    page.removeAllListeners('dialog');
    const asked = [];
    page.on('dialog', (d) => { asked.push(d.type()); d.dismiss().catch(() => {}); });
    await page.evaluate(() => setTimeout(() => location.reload(), 0));
    await page.waitForFunction(() => true);
    for (let i = 0; i < 40 && !asked.length; i++) await page.waitForTimeout(50);
    assert.deepEqual(asked, ['beforeunload']);
    assert.equal(await page.inputValue(T('station-name')), '莲花街道心访工作点');

    // back again, discard: closed, still on the stations page
    await historySettled(page);
    await page.goBack();
    await page.waitForSelector(T('confirm-dialog'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('station-dialog'), { state: 'detached' });
    assert.equal(await page.evaluate(() => location.hash), '#/stations');
    // the history is clean again: one more back leaves the page
    await historySettled(page);
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#/overview');
    await page.waitForSelector(T('dashboard'));

    // a dialog never stays over another page
    await page.goForward();
    await page.waitForSelector(T('station-add'));
    await page.click(T('station-add'));
    await page.waitForSelector(T('station-dialog'));
    await page.evaluate(() => { location.hash = '#/counsellors'; });
    await page.waitForSelector(T('station-dialog'), { state: 'detached' });
    assert.equal(await text(page, 'page-title'), '咨询师');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('outbox: a reminder superseded by a reschedule reads 已被更新的通知取代', async () => {
  const today = wallDay();
  const speaker = people[10];
  const ev = await ok('POST', '/api/v1/events', {
    kind: 'lecture', title: '睡眠与情绪讲座', station_id: stations[5].id, start: at(addDays(today, 5), '14:00'), end: at(addDays(today, 5), '16:00'),
    status: 'confirmed', speaker_ids: [speaker.id], reminders: [1440],
  });
  await ok('POST', `/api/v1/events/${ev.id}/reschedule`, { start: at(addDays(today, 6), '14:00'), end: at(addDays(today, 6), '16:00'), reason: '场地调整' });
  const rows = (await ok('GET', `/api/v1/outbox?event_id=${ev.id}&status=skipped`)).items;
  assert.ok(rows.some((m) => m.last_error === 'superseded'), JSON.stringify(rows.map((m) => m.last_error)));
  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/outbox/event/${ev.id}`);
    await uiLogin(page);
    await page.waitForSelector(`${T('outbox-error')}:has-text("已被更新的通知取代")`);
    assert.equal(await page.locator(`${T('outbox-error')}:has-text("superseded")`).count(), 0);
    assert.equal(await page.getAttribute(`${T('outbox-error')}:has-text("已被更新的通知取代")`, 'title'), 'superseded');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('我的排班 on a phone: the week as a day list with leave, the subscribe card', async () => {
  const today = wallDay();
  const me = people[11];
  await ok('POST', `/api/v1/counsellors/${me.id}/account`, { username: 'phone-me', password: 'a-long-pass-1357' });
  await ok('POST', '/api/v1/shifts', { station_id: stations[6].id, counsellor_id: me.id, start: at(today, '09:00'), end: at(today, '12:00') });
  await ok('POST', '/api/v1/availability', { counsellor_id: me.id, start: at(today, '00:00'), end: at(addDays(today, 1), '00:00'), reason: '调休' });
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url);
    await uiLogin(page, { username: 'phone-me', password: 'a-long-pass-1357' });
    await page.waitForSelector('.fc-listWeek-view');
    await page.waitForSelector(`.fc-listWeek-view ${T('my-shift')}`);
    assert.match(await page.textContent('.fc-listWeek-view'), /全天\s*请假：调休/);
    assert.match(await page.textContent(`.fc-listWeek-view ${T('my-shift')}`), new RegExp(stations[6].name));
    assert.match(await text(page, 'me-subscribe-ask'), /协调员在“日历订阅”页面发给您/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    await page.locator('.card-calendar').screenshot({ path: join(SHOTS, 'my-roster-phone-week.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
