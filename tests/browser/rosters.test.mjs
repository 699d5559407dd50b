// Browser test of the roster views against the real binary with the demo
// data: shift templates and holidays made through the UI, a generated
// week in the grid (stations × days), drag and drop (to another day, onto
// a counsellor with a clash → the overlap explained in Chinese), the
// shift dialog, coverage with its gaps, the print sheet, the .ics holiday
// import, and the counsellor's own page (我的排班: leave, give-away
// request) with the coordinator approving the request.
// Run: node --test tests/browser/rosters.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, openPage, T, uiLogin, toastSays, noToast } from '../lib/browser.mjs';

const ICS = join(root, 'tests/fixtures/holidays-cn-2025.ics');
const WEEK = '2027-03-01'; // a Monday
const HALL = '区信访局人民来访接待大厅';
const STREET = '园岭街道';
const SCREEN = { width: 1360, height: 900 };

let server;
let browser;
let token;
let hall; // station ids
let street;

before(async () => {
  ({ server, browser, token } = await startSuite({ demo: true }));
  const stations = (await api(server.url, 'GET', '/api/v1/stations?limit=100', { token })).body.items;
  hall = stations.find((s) => s.name === HALL).id;
  street = stations.find((s) => s.name === STREET).id;
});

after(stopSuite);

const cell = (station, date) => `${T('roster-cell')}[data-station="${station}"][data-date="${date}"]`;

const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();

async function addTemplate(page, { station, days, start, end, required }) {
  await page.click(T('tpl-add'));
  await page.waitForSelector(T('tpl-form'));
  await page.selectOption(T('tpl-station'), { label: station });
  for (let d = 1; d <= 7; d++) await page.setChecked(T(`tpl-wd-${d}`), days.includes(d));
  await page.fill(T('tpl-start'), start);
  await page.fill(T('tpl-end'), end);
  await page.fill(T('tpl-required'), String(required));
  await page.click(T('tpl-save'));
  await page.waitForSelector(T('tpl-dialog'), { state: 'detached' });
}

async function addHoliday(page, { date, kind, name, asWeekday }) {
  await page.click(T('hd-add'));
  await page.waitForSelector(T('hd-form'));
  await page.fill(T('hd-date'), date);
  await page.selectOption(T('hd-kind'), kind);
  await page.fill(T('hd-name'), name);
  if (asWeekday) await page.selectOption(T('hd-as_weekday'), String(asWeekday));
  await page.click(T('hd-save'));
  await page.waitForSelector(T('hd-dialog'), { state: 'detached' });
}

async function canvasPainted(page, selector) {
  return page.$eval(`${selector} canvas`, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
}

const weekShifts = async () => (await api(server.url, 'GET', `/api/v1/shifts?from=${WEEK}&to=2027-03-07&limit=500`, { token })).body.items
  .filter((s) => s.status !== 'cancelled');

test('roster: templates, holidays, generate, drag, conflict, coverage, print, counsellor self-service', async () => {
  const { context, page, problems } = await openPage(browser, {
    viewport: SCREEN, expected: [[401, '/api/v1/session'], [409, '/api/v1/shifts']],
  });
  let cpage;
  let ccontext;
  try {
    /* ---------------------------------------------- templates via the UI */
    await page.goto(server.url + '/#/rosters/setup/templates');
    await uiLogin(page);
    await page.waitForSelector(T('tpl-add'));
    assert.equal(await text(page, T('page-title')), '排班');
    assert.equal(await text(page, `${T('nav-rosters')} span`), '排班');
    assert.equal(await text(page, `${T('nav-coverage')} span`), '覆盖率');
    await page.waitForSelector(`${T('empty')}:has-text("暂无班次模板")`);
    await addTemplate(page, { station: HALL, days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required: 2 });
    await addTemplate(page, { station: STREET, days: [1, 3, 5], start: '14:00', end: '17:30', required: 1 });
    await page.waitForFunction(() => document.querySelectorAll('[data-test="tpl-row"]').length === 2);
    const tplText = await text(page, T('tpl-table'));
    for (const w of [HALL, STREET, '09:00–12:00', '14:00–17:30', '2 人', '启用']) assert.ok(tplText.includes(w), `templates show ${w}`);
    // a template without weekdays is refused next to the field
    await page.click(T('tpl-add'));
    await page.selectOption(T('tpl-station'), { label: STREET });
    for (let d = 1; d <= 5; d++) await page.setChecked(T(`tpl-wd-${d}`), false);
    await page.click(T('tpl-save'));
    assert.equal(await text(page, T('error-weekdays')), '请至少选择一天');
    await page.click(T('tpl-cancel'));
    await page.click(T('confirm-ok')); // discard what was typed
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'roster-templates.png'), fullPage: true });

    /* ------------------------------------- holidays via the UI, .ics import */
    await page.click(T('setup-tab-holidays'));
    await page.waitForSelector(T('hd-year'));
    await page.fill(T('hd-year'), '2027');
    await page.dispatchEvent(T('hd-year'), 'change');
    await page.waitForSelector(`${T('empty')}:has-text("2027 年暂无节假日")`);
    await addHoliday(page, { date: '2027-03-03', kind: 'holiday', name: '临时闭馆' });
    await addHoliday(page, { date: '2027-03-06', kind: 'workday', name: '调休上班', asWeekday: 3 });
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length === 2);
    assert.match(await text(page, T('hd-table')), /按周三排班/);
    assert.equal(await text(page, T('hd-summary')), '2027 年：放假 1 天，调休上班 1 天');

    if (existsSync(ICS)) {
      await page.setInputFiles(T('hd-file'), ICS);
      await page.click(T('hd-import'));
      await page.waitForSelector(T('hd-imported'));
      assert.match(await text(page, T('hd-imported')), /^导入完成：新增 \d+ 天，更新 0 天$/);
      assert.equal(await page.inputValue(T('hd-year')), '2025');
      await page.waitForSelector(`${T('hd-table')} >> text=春节 班`);
      const hdText = await text(page, T('hd-table'));
      assert.ok(hdText.includes('2025-01-28') && hdText.includes('休'), 'spring festival days off listed');
      assert.match(await text(page, T('hd-summary')), /^2025 年：放假 \d+ 天，调休上班 \d+ 天$/);
    } else {
      test.diagnostic?.(`no ${ICS}: .ics import step skipped`);
    }

    /* -------------------------------------------------- generate a week */
    await page.goto(server.url + `/#/rosters/${WEEK}`);
    await page.waitForSelector(T('roster-grid'));
    assert.equal(await text(page, T('week-title')), '2027年3月1日—3月7日 · 第 9 周');
    assert.equal(await page.locator(T('shift')).count(), 0);
    // holiday marks in the header
    assert.equal(await text(page, `${T('roster-day')}[data-date="2027-03-03"] ${T('holiday-off')}`), '休');
    assert.equal(await text(page, `${T('roster-day')}[data-date="2027-03-06"] ${T('holiday-work')}`), '班');

    await page.click(T('roster-generate'));
    await page.waitForSelector(T('gen-form'));
    assert.equal(await page.inputValue(T('gen-from')), WEEK);
    assert.equal(await page.inputValue(T('gen-to')), '2027-03-07');
    await page.click(T('gen-run'));
    await page.waitForSelector(T('gen-created'));
    // hall Mon, Tue, Thu, Fri and the make-up Saturday × 2, street Mon, Fri, Sat
    assert.equal(await text(page, T('gen-created')), '13');
    assert.equal(await text(page, T('gen-unfilled-count')), '0');
    assert.match(await text(page, T('gen-hours')), /^工时分布： 最少 [\d.]+ 小时，最多 [\d.]+ 小时，标准差 [\d.]+/);
    await page.waitForSelector(T('gen-all-filled'));
    await page.screenshot({ path: join(SHOTS, 'roster-generate.png') });
    await page.click(T('gen-close'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="shift"]').length === 13);
    assert.equal(await page.locator(`${cell(hall, '2027-03-01')} ${T('shift')}`).count(), 2);
    assert.equal(await page.locator(`${cell(hall, '2027-03-03')} ${T('shift')}`).count(), 0, 'no duty on the holiday');
    assert.equal(await page.locator(`${cell(hall, '2027-03-06')} ${T('shift')}`).count(), 2, 'make-up Saturday staffed like Wednesday');
    assert.equal(await page.locator(`${cell(street, '2027-03-06')} ${T('shift')}`).count(), 1);
    assert.match(await text(page, `${cell(hall, '2027-03-01')} ${T('shift')}`), /^09:00–12:00\S+$/);
    assert.equal(await text(page, T('roster-summary')), '本周共 13 个班次');
    // only stations with shifts
    await page.uncheck(T('roster-show-empty'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="roster-row"]').length === 2);
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'roster-week.png'), fullPage: true });

    /* -------------------------------------- drag a shift to another day */
    const shifts = await weekShifts();
    const streetMon = shifts.find((s) => s.station_id === street && s.start.startsWith('2027-03-01'));
    await page.locator(`${T('shift')}[data-id="${streetMon.id}"]`).dragTo(page.locator(cell(street, '2027-03-02')));
    await toastSays(page, /班次已调整到 园岭街道（3月2日）/);
    await page.waitForSelector(`${cell(street, '2027-03-02')} ${T('shift')}[data-id="${streetMon.id}"]`);
    assert.equal(await page.locator(`${cell(street, '2027-03-01')} ${T('shift')}`).count(), 0);
    const moved = (await api(server.url, 'GET', `/api/v1/shifts/${streetMon.id}`, { token })).body;
    assert.equal(moved.start, '2027-03-02T14:00:00+08:00');
    assert.equal(moved.end, '2027-03-02T17:30:00+08:00');

    /* ------------------ drop onto a counsellor who is busy then → overlap */
    const [a, b] = shifts.filter((s) => s.station_id === hall && s.start.startsWith('2027-03-01'));
    await page.locator(`${T('shift')}[data-id="${a.id}"]`).dragTo(page.locator(`${T('counsellor-drop')}[data-id="${b.counsellor_id}"]`));
    await page.waitForSelector(T('roster-conflict-dialog'));
    await noToast(page);
    assert.equal(await text(page, `${T('roster-conflict-dialog')} ${T('conflict-item')}`),
      `${b.counsellor_name} 在该时段已有 ${HALL} 的班次（3月1日 09:00–12:00）`);
    assert.match(await text(page, T('conflict-lead')), new RegExp(`无法把 ${HALL} 的班次（3月1日 09:00–12:00）指派给 ${b.counsellor_name}`));
    await page.screenshot({ path: join(SHOTS, 'roster-conflict.png') });
    await page.click(T('conflict-close'));
    await page.waitForSelector(T('roster-conflict-dialog'), { state: 'detached' });
    assert.equal((await api(server.url, 'GET', `/api/v1/shifts/${a.id}`, { token })).body.counsellor_id, a.counsellor_id, 'nothing changed');

    /* ------------ drop onto a counsellor who is free then → saved */
    const dayShifts = (await api(server.url, 'GET', '/api/v1/shifts?from=2027-03-01&to=2027-03-01&limit=500', { token })).body.items;
    const busyIds = new Set(dayShifts.filter((x) => x.counsellor_id && x.start < a.end && x.end > a.start).map((x) => x.counsellor_id));
    const people = (await api(server.url, 'GET', '/api/v1/counsellors?active=true&limit=500', { token })).body.items;
    const free = people.find((p) => !busyIds.has(p.id) && p.max_weekly_hours >= 40);
    assert.ok(free, 'someone is free on Monday morning');
    await page.locator(`${T('shift')}[data-id="${a.id}"]`).dragTo(page.locator(`${T('counsellor-drop')}[data-id="${free.id}"]`));
    await page.waitForFunction(async ([url, id, want, tok]) => {
      const r = await fetch(`${url}/api/v1/shifts/${id}`, { headers: { authorization: `Bearer ${tok}` } });
      return r.ok && (await r.json()).counsellor_id === want;
    }, [server.url, a.id, free.id, token]);
    await page.waitForSelector(`${T('shift')}[data-id="${a.id}"]:has-text("${free.name}")`);

    /* ------------------------------------- the shift dialog: unassign */
    const hallTue = shifts.filter((s) => s.station_id === hall && s.start.startsWith('2027-03-02'));
    await page.click(`${T('shift')}[data-id="${hallTue[0].id}"]`);
    await page.waitForSelector(T('shift-form'));
    assert.equal(await text(page, T('shift-station')), HALL);
    assert.match(await text(page, T('shift-time')), /3月2日（周二） 09:00–12:00/);
    await page.selectOption(T('shift-counsellor'), '');
    await page.click(T('shift-save'));
    await page.waitForSelector(T('shift-dialog'), { state: 'detached' });
    await page.waitForSelector(`${cell(hall, '2027-03-02')} .shift-chip.is-open:has-text("空缺")`);
    assert.match(await text(page, T('roster-summary')), /1 个空缺/);

    /* --------------------------------------------- coverage with gaps */
    await page.click(T('nav-coverage'));
    await page.waitForSelector(T('cov-table'));
    assert.equal(await text(page, T('page-title')), '覆盖率');
    assert.equal(await page.inputValue(T('cov-from')), WEEK);
    const hallTueCell = `${T('cov-row')}[data-station="${hall}"] ${T('cov-cell')}[data-date="2027-03-02"]`;
    assert.equal(await text(page, hallTueCell), '1/2');
    assert.match(await page.getAttribute(hallTueCell, 'class'), /is-gap/);
    const streetMonCell = `${T('cov-row')}[data-station="${street}"] ${T('cov-cell')}[data-date="2027-03-01"]`;
    assert.equal(await text(page, streetMonCell), '0/1', 'the moved shift leaves Monday short');
    assert.match(await page.getAttribute(streetMonCell, 'class'), /is-gap/);
    assert.match(await page.getAttribute(`${T('cov-row')}[data-station="${hall}"] ${T('cov-cell')}[data-date="2027-03-01"]`, 'class'), /is-ok/);
    assert.equal(await text(page, T('cov-gap')), '2');
    assert.equal(await text(page, T('cov-required')), '13');
    await page.waitForFunction(() => document.querySelector('[data-test="cov-heatmap"] canvas'));
    await page.waitForTimeout(500);
    assert.ok(await canvasPainted(page, T('cov-heatmap')) > 1000, 'heatmap painted');
    assert.ok(await page.locator(T('cov-hours-row')).count() >= 13, 'hours per counsellor');
    assert.match(await text(page, T('cov-hours')), /2027 第 9 周/);
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'coverage.png'), fullPage: true });

    /* ------------------------------------------------- the print sheet */
    await page.goto(server.url + `/#/rosters/print?week=${WEEK}`);
    await page.waitForSelector(T('sheet-table'));
    await page.fill(T('print-district'), '福田区');
    assert.equal(await text(page, T('sheet-title')), '福田区心访工作室值班表（2027年3月1日—3月7日）');
    assert.equal(await page.locator(T('sheet-row')).count(), 2);
    const sheet = await text(page, T('sheet-table'));
    for (const w of [HALL, STREET, '09:00–12:00', '14:00–17:30', '空缺', '休', '班', '周一', '周日']) assert.ok(sheet.includes(w), `sheet shows ${w}`);
    // Monday morning at the hall: b, and the free counsellor the shift was dropped on.
    assert.ok(sheet.includes(`${free.name}、${b.counsellor_name}`) || sheet.includes(`${b.counsellor_name}、${free.name}`), 'names of one band joined');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$eval('.topbar', (e) => getComputedStyle(e).display), 'none');
    assert.equal(await page.$eval('.sidebar', (e) => getComputedStyle(e).display), 'none');
    assert.equal(await page.$eval(T('print-button'), (e) => getComputedStyle(e.closest('.toolbar')).display), 'none');
    await page.screenshot({ path: join(SHOTS, 'roster-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
    assert.ok(pdf.length > 1000);

    /* -------------------------------------------- counsellor self-service */
    const mine = shifts.find((s) => s.station_id === hall && s.start.startsWith('2027-03-04'));
    const cid = mine.counsellor_id;
    const cname = mine.counsellor_name;
    const acc = await api(server.url, 'POST', `/api/v1/counsellors/${cid}/account`, { token, body: { username: 'xinfang01', password: 'xinfang-2027' } });
    assert.equal(acc.status, 201, acc.text);

    let cproblems;
    ({ context: ccontext, page: cpage, problems: cproblems } = await openPage(browser, { viewport: SCREEN, expected: [[401, '/api/v1/session']] }));
    await cpage.goto(server.url + `/#/me/${WEEK}`);
    await uiLogin(cpage, { username: 'xinfang01', password: 'xinfang-2027' });
    await cpage.waitForSelector(T('my-calendar'));
    assert.equal(await text(cpage, T('page-title')), '我的排班');
    assert.equal(await cpage.locator(`${T('nav')} a`).count(), 1, 'a counsellor sees only 我的排班');
    assert.equal(await text(cpage, `${T('nav-me')} span`), '我的排班');
    assert.equal(await text(cpage, T('me-name')), cname);
    await cpage.waitForSelector(T('my-shift'));
    // counted now: the drags and the unassign above changed the week
    const myCount = (await weekShifts()).filter((s) => s.counsellor_id === cid).length;
    assert.equal(await cpage.locator(T('my-shift')).count(), myCount);
    assert.match(await text(cpage, T('me-week')), /^第 9 周共 [\d.]+ 小时$/);
    // The weekly duty e-mail: on by default, turned off here and saved.
    assert.equal(await cpage.isChecked(T('me-weekly-mail')), true);
    await cpage.click(T('me-weekly-mail'));
    await cpage.waitForFunction(() => !document.querySelector('[data-test="me-weekly-mail"]').disabled);
    const meNow = await api(server.url, 'GET', `/api/v1/counsellors/${cid}`, { token });
    assert.equal(meNow.body.weekly_mail, false, 'saved off');
    assert.equal(await cpage.isChecked(T('me-weekly-mail')), false);
    // coordinator pages are not offered
    await cpage.evaluate(() => { location.hash = '#/rosters'; });
    await cpage.waitForFunction(() => location.hash.startsWith('#/me'));
    await cpage.waitForFunction(() => document.querySelector('[data-test="page-title"]')?.textContent.trim() === '我的排班');
    await cpage.goto(server.url + `/#/me/${WEEK}`);
    await cpage.waitForSelector(T('my-shift'));

    // declare leave
    await cpage.click(T('me-leave'));
    await cpage.waitForSelector(T('leave-form'));
    await cpage.fill(T('leave-from_date'), '2027-03-10');
    await cpage.fill(T('leave-to_date'), '2027-03-10');
    await cpage.fill(T('leave-reason'), '事假');
    await cpage.click(T('leave-save'));
    await toastSays(cpage, /请假已申报/);
    await cpage.waitForSelector(`${T('my-leave-row')}:has-text("事假")`);
    assert.match(await text(cpage, T('my-leave-row')), /3月10日（全天）/);

    // give a shift away
    await cpage.click(`${T('my-shift')}[data-id="${mine.id}"]`);
    await cpage.waitForSelector(T('my-shift-dialog'));
    assert.equal(await text(cpage, T('my-shift-id')), String(mine.id));
    await cpage.click(T('my-shift-swap'));
    await cpage.waitForSelector(T('swap-form'));
    assert.equal(await cpage.inputValue(T('swap-shift')), String(mine.id));
    assert.ok(await cpage.isChecked(T('swap-mode-give')));
    assert.ok(await cpage.isDisabled(T('swap-other')));
    await cpage.fill(T('swap-reason'), '当天需陪家人就医');
    await cpage.click(T('swap-submit'));
    await toastSays(cpage, /换班申请已提交/);
    await cpage.waitForSelector(`${T('my-request-row')}:has-text("待审批")`);
    assert.match(await text(cpage, T('my-request-row')), /^3月4日 09:00–12:00区信访局人民来访接待大厅转让/);
    await noToast(cpage);
    await cpage.screenshot({ path: join(SHOTS, 'my-roster.png'), fullPage: true });

    /* ------------------------------------------- the coordinator approves */
    await page.goto(server.url + '/#/rosters/swaps');
    await page.waitForSelector(T('swap-row'));
    const row = await text(page, T('swap-row'));
    for (const w of [cname, '3月4日', HALL, '转让', '当天需陪家人就医', '待审批']) assert.ok(row.includes(w), `swap row shows ${w}: ${row}`);
    await page.click(T('swap-approve'));
    assert.match(await text(page, T('confirm-text')), new RegExp(`批准 ${cname} 转让班次`));
    await page.click(T('confirm-ok'));
    await toastSays(page, /已批准/);
    await page.waitForSelector(`${T('empty')}:has-text("暂无待审批的换班申请")`);
    assert.equal((await api(server.url, 'GET', `/api/v1/shifts/${mine.id}`, { token })).body.counsellor_id, null, 'the shift is open again');
    await page.selectOption(T('swap-filter'), 'approved');
    await page.waitForSelector(`${T('swap-row')} ${T('swap-status')}:has-text("已批准")`);

    // the counsellor sees the decision and one shift fewer
    await cpage.reload();
    await cpage.waitForSelector(`${T('my-request-row')}:has-text("已批准")`);
    await cpage.waitForFunction((n) => document.querySelectorAll('[data-test="my-shift"]').length === n, myCount - 1);

    assert.deepEqual(cproblems, []);
    assert.deepEqual(problems, []);
  } finally {
    await ccontext?.close();
    await context.close();
  }
});

test('leave through the UI, counsellor calendar: leave in the background, drag refused and accepted, English', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: SCREEN, expected: [[401, '/api/v1/session'], [409, '/api/v1/shifts']] });
  try {
    const s = (await weekShifts()).find((x) => x.counsellor_id != null && x.start.startsWith('2027-03-05T09'));
    const name = s.counsellor_name;

    // leave recorded by the coordinator
    await page.goto(server.url + '/#/rosters/setup/leave');
    await uiLogin(page);
    await page.waitForSelector(T('leave-add'));
    await page.click(T('leave-add'));
    await page.waitForSelector(T('leave-form'));
    await page.selectOption(T('leave-counsellor'), String(s.counsellor_id));
    await page.fill(T('leave-from_date'), '2027-03-08');
    await page.fill(T('leave-to_date'), '2027-03-08');
    await page.fill(T('leave-reason'), '外出培训');
    await page.click(T('leave-save'));
    const row = page.locator(T('leave-row'), { hasText: '外出培训' });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(`${name}.*2027年3月8日（全天）`));

    // the counsellor's calendar
    await page.click(T('rtab-counsellor'));
    await page.waitForSelector(T('ccal-counsellor'));
    await page.goto(server.url + `/#/rosters/counsellor/${s.counsellor_id}?date=${WEEK}`);
    await page.waitForSelector(`${T('ccal-shift')}[data-id="${s.id}"]`);
    assert.equal(await page.inputValue(T('ccal-counsellor')), String(s.counsellor_id));
    assert.equal(await text(page, '.fc-toolbar-title'), '2027年3月1日 – 7日');
    assert.equal(await text(page, '.fc-col-header-cell[data-date="2027-03-01"]'), '周一 3/1');
    await page.click('.fc-next-button');
    await page.waitForSelector(T('ccal-leave'));
    await page.click('.fc-prev-button');

    // month view: drag onto the leave day → refused in Chinese, reverted
    await page.click('.fc-dayGridMonth-button');
    await page.waitForSelector(`.fc-daygrid-day[data-date="2027-03-08"]`);
    const drag = async (date) => {
      const src = await page.locator(`${T('ccal-shift')}[data-id="${s.id}"]`).boundingBox();
      const dst = await page.locator(`.fc-daygrid-day[data-date="${date}"] .fc-daygrid-day-frame`).boundingBox();
      await page.mouse.move(src.x + 12, src.y + src.height / 2);
      await page.mouse.down();
      await page.mouse.move(src.x + 24, src.y + src.height / 2 + 4, { steps: 4 });
      await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 });
      await page.mouse.up();
    };
    await drag('2027-03-08');
    await page.waitForSelector(T('roster-conflict-dialog'));
    assert.equal(await text(page, `${T('roster-conflict-dialog')} ${T('conflict-item')}`), `${name} 当时请假（原因：外出培训）`);
    await page.screenshot({ path: join(SHOTS, 'roster-counsellor-conflict.png') });
    await page.click(T('conflict-close'));
    await page.waitForSelector(`.fc-daygrid-day[data-date="2027-03-05"] ${T('ccal-shift')}[data-id="${s.id}"]`);
    assert.equal((await api(server.url, 'GET', `/api/v1/shifts/${s.id}`, { token })).body.start, s.start);

    // to a free Sunday → saved
    await drag('2027-03-07');
    await toastSays(page, /班次已改到/);
    await page.waitForSelector(`.fc-daygrid-day[data-date="2027-03-07"] ${T('ccal-shift')}[data-id="${s.id}"]`);
    assert.equal((await api(server.url, 'GET', `/api/v1/shifts/${s.id}`, { token })).body.start, '2027-03-07T09:00:00+08:00');
    await page.click('.fc-timeGridWeek-button');
    await page.waitForSelector(`${T('ccal-shift')}[data-id="${s.id}"]`);
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'roster-counsellor.png'), fullPage: true });

    // a new shift from the + of a cell: the clash is explained in the form, an open one is saved
    await page.goto(server.url + `/#/rosters/${WEEK}`);
    await page.waitForSelector(T('roster-grid'));
    await page.click(`${cell(street, '2027-03-07')} ${T('cell-add')}`);
    await page.waitForSelector(T('newshift-form'));
    assert.equal(await page.inputValue(T('newshift-station')), String(street));
    assert.equal(await page.inputValue(T('newshift-date')), '2027-03-07');
    // the counsellor already on duty then is offered disabled, with the reason
    const busy = page.locator(`${T('newshift-counsellor')} option[value="${s.counsellor_id}"]`);
    await page.waitForSelector(`${T('newshift-counsellor')} option[value="${s.counsellor_id}"][data-busy]`, { state: 'attached' });
    assert.equal(await busy.isDisabled(), true);
    assert.equal(await busy.textContent(), `${name} — 已有班次：3月7日（周日）09:00–12:00 ${HALL}`);
    await page.click(T('newshift-save'));
    await page.waitForSelector(T('shift-add-dialog'), { state: 'detached' });
    await page.waitForSelector(`${cell(street, '2027-03-07')} .shift-chip.is-open`);

    // English
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('rtab-week')}:has-text("Week")`);
    await page.waitForSelector(T('roster-grid'));
    assert.equal(await text(page, T('page-title')), 'Rosters');
    assert.equal(await text(page, T('week-title')), 'Mar 1 – Mar 7, 2027 · week 9');
    assert.equal(await text(page, `${T('roster-day')}[data-date="2027-03-03"] ${T('holiday-off')}`), 'Off');
    assert.equal(await text(page, T('roster-generate')), 'Generate roster');
    assert.match(await text(page, `${cell(hall, '2027-03-02')} .shift-chip.is-open`), /Open/);
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('page-title')}:has-text("排班")`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
