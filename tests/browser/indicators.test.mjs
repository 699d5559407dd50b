// Browser test of 绩效指标 (#/indicators) and the printable report
// (report.html) against the real binary: a year seeded through the API
// (the 2022 H2 activity catalogue imported — past rows become held — plus
// two assessed trainings and manual values), the indicator table with its
// scores and 暂无数据, a manual value entered through the dialog, the
// dashboard's charts painted, the English switch, the exports' links and
// the A4 report in print media. Recent events with survey answers (surveys
// close 30 days after an event) and a two-week roster give the current
// year a satisfaction line and roster coverage.
// Run: node --test tests/browser/   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, openPage, T, uiLogin, addDays } from '../lib/browser.mjs';

const H = 3600e3;
const D = 24 * H;
const START = Date.now();
const day = (days) => new Date(START + days * D + 8 * H).toISOString().slice(0, 10);
// The recent activities and roster: the 25 days up to yesterday, all in
// one year, the one the dashboard then shows — the year before when they
// would straddle New Year (early January), else the current one.
const LAST = day(-25).slice(0, 4) === day(-1).slice(0, 4) ? day(-1) : `${day(-25).slice(0, 4)}-12-31`;
const ago = (n) => addDays(LAST, 1 - n); // ago(1) is LAST
const YEAR = LAST.slice(0, 4);

let server;
let browser;
let token;
const call = (method, path, body, extra = {}) => api(server.url, method, path, { token, body, ...extra });
async function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

async function heldEvent(body, walkIns = [], answers = []) {
  const e = await ok(await call('POST', '/api/v1/events', body), 201, `create ${body.title}`);
  for (const w of walkIns) await ok(await call('POST', `/api/v1/events/${e.id}/attendance`, w), 201, 'walk-in');
  await ok(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' }), 200, 'held');
  if (answers.length) {
    const att = await ok(await call('GET', `/api/v1/events/${e.id}/attendance?limit=500`), 200, 'attendance');
    for (const [i, v] of answers.entries()) {
      await ok(await api(server.url, 'POST', '/api/v1/surveys/responses', { body: { token: att.items[i].survey_token, answers: { overall: v } } }), 201, 'answer');
    }
  }
  return e;
}

before(async () => {
  ({ server, browser, token } = await startSuite({ demo: true }));
  const stations = (await ok(await call('GET', '/api/v1/stations?limit=500'), 200, 'stations')).items;
  const sid = Object.fromEntries(stations.map((s) => [s.code, s.id]));

  // 2022: the catalogue of the second half (23 activities, all in the past → held) …
  const csv = readFileSync(join(root, 'tests/fixtures/activities-futian-2022H2.csv'), 'utf8');
  const imp = await ok(await call('POST', '/api/v1/events/import', undefined, { raw: csv, headers: { 'content-type': 'text/csv' } }), 201, 'import');
  assert.equal(imp.created, 23);
  // … two trainings held on their planned day: 5 of 6 trainees passed …
  const w = (name, passed) => ({ walk_in: { name }, passed, score: passed ? 88 : 45 });
  await heldEvent({ kind: 'training', title: '心访咨询师岗前培训', station_id: sid.HALL, audience: 'staff',
    start: '2022-09-20T14:30:00+08:00', end: '2022-09-20T17:00:00+08:00' }, [w('学员一', true), w('学员二', true), w('学员三', false)]);
  await heldEvent({ kind: 'training', title: '心访咨询师督导培训', station_id: sid.HALL, audience: 'staff',
    start: '2022-11-15T09:00:00+08:00', end: '2022-11-15T11:30:00+08:00' }, [w('学员一', true), w('学员四', true), w('学员五', true)]);
  // … and three of the manual values (the fourth is entered in the browser).
  const codes = Object.fromEntries((await ok(await call('GET', '/api/v1/indicators?from=2022-01-01&to=2022-12-31'), 200, 'indicators')).items.map((i) => [i.level3, i.code]));
  const P = { from: '2022-01-01', to: '2022-12-31' };
  await ok(await call('PUT', `/api/v1/indicators/${codes['支出进度达标率']}`, { ...P, value: 97.5, note: '年度预算执行' }), 200, 'spend');
  await ok(await call('PUT', `/api/v1/indicators/${codes['辅助维护社会和谐稳定']}`, { ...P, value: 90 }), 200, 'harmony');
  await ok(await call('PUT', `/api/v1/indicators/${codes['有效提升民众法治信访意识']}`, { ...P, value: 75 }), 200, 'lawful');

  // The current year (see LAST): recent activities with survey answers.
  const at = (d, hm) => `${d}T${hm}:00+08:00`;
  await heldEvent({ kind: 'lecture', title: '情绪与压力讲座', station_id: sid.YL, audience: 'residents', start: at(ago(25), '14:30'), end: at(ago(25), '16:30') },
    [1, 2, 3, 4].map((i) => ({ walk_in: { name: `居民${i}` } })), [5, 5, 4, 2]);
  await heldEvent({ kind: 'salon', title: '减压沙龙', station_id: sid.NY, audience: 'community_workers', start: at(ago(6), '14:30'), end: at(ago(6), '16:30') },
    [1, 2, 3].map((i) => ({ walk_in: { name: `社工${i}` } })), [5, 4, 5]);

  // … and a roster for the last two weeks (coverage by station, duty hours).
  const rf = ago(14);
  const rt = ago(1);
  for (const [code, required] of [['HALL', 2], ['YL', 1], ['NY', 1], ['FT', 1]]) {
    await ok(await call('POST', '/api/v1/shift-templates', { station_id: sid[code], weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required, valid_from: rf, valid_to: rt }), 201, `template ${code}`);
  }
  const gen = await call('POST', '/api/v1/rosters/generate', { from: rf, to: rt });
  assert.ok(gen.status === 200 || gen.status === 201, `generate: ${gen.status} ${gen.text.slice(0, 200)}`);

});

after(stopSuite);

// Resolves once the chart's canvas has at least `min` painted pixels.
async function painted(page, sel, min = 500) {
  await page.waitForSelector(`${sel} canvas`);
  await page.waitForFunction(({ sel, min }) => {
    const c = document.querySelector(`${sel} canvas`);
    if (!c || !c.width || !c.height) return false;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n >= min;
  }, { sel, min });
}

// Waits until no toast is showing (they would cover the screenshots).
const noToast = (page) => page.waitForFunction(() => !document.querySelector('.toast-show'), null, { timeout: 8000 });
const rowOf = (page, name) => page.locator(`${T('ind-row')}:has(${T('ind-level3')}:has-text("${name}"))`);
const cell = async (page, name, test) => (await rowOf(page, name).locator(T(test)).textContent()).trim();

test('绩效指标: the 2022 table, a manual value through the dialog, the dashboard, English, exports', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 }, timeout: 15000, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/');
    await uiLogin(page);
    await page.click(T('nav-indicators'));
    await page.waitForSelector(T('ind-table'));
    assert.equal((await page.textContent(T('page-title'))).trim(), '绩效指标');
    assert.equal(await page.locator(`${T('ind-mode-year')}.is-current`).count(), 1);

    // year 2022 from the picker
    await page.selectOption(T('ind-year'), '2022');
    await page.waitForFunction(() => location.hash === '#/indicators/2022/table');
    await page.waitForSelector(`${T('ind-period')}:has-text("2022年度")`);
    await page.waitForSelector(T('ind-table'));
    const heads = (await page.locator(`${T('ind-table')} thead th`).allTextContents()).map((x) => x.trim());
    assert.deepEqual(heads.slice(0, 10), ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明', '同比']);
    assert.equal(await page.locator(T('ind-row')).count(), 8);
    // level 1 grouped: three row groups spanning 5, 2 and 1 rows
    const spans = await page.$$eval(`${T('ind-table')} tbody th.ind-l1`, (ths) => ths.map((x) => [x.textContent, x.rowSpan]));
    assert.deepEqual(spans, [['产出指标', 5], ['效益指标', 2], ['满意度指标', 1]]);

    // computed from the records: 2 trainings (ratio 2/2 × 5), 5 of 6 passed, both on time
    assert.equal(await cell(page, '心访咨询师培训开展期数', 'ind-actual-value'), '2');
    assert.equal(await cell(page, '心访咨询师培训开展期数', 'ind-score'), '5');
    assert.equal(await cell(page, '心访咨询师培训开展期数', 'ind-met'), '✓');
    assert.match(await cell(page, '培训合格率', 'ind-actual'), /^83\.33%/);
    assert.equal(await cell(page, '培训合格率', 'ind-score'), '8.33');
    assert.equal(await cell(page, '培训合格率', 'ind-met'), '✗');
    assert.equal(await cell(page, '心访咨询师培训及时率', 'ind-score'), '10');
    // no survey answers in 2022, no manual value yet for the key cases
    assert.equal(await cell(page, '培训和心理咨询对象满意度', 'ind-actual'), '暂无数据');
    assert.equal(await cell(page, '培训和心理咨询对象满意度', 'ind-score'), '—');
    assert.equal(await rowOf(page, '协助重点案件化解率').locator(T('ind-entry-value')).inputValue(), '', 'nothing entered yet');
    assert.equal(await cell(page, '协助重点案件化解率', 'ind-score'), '—');
    // manual values, entered inline, with who entered them and the note
    assert.equal(await rowOf(page, '支出进度达标率').locator(T('ind-entry-value')).inputValue(), '97.5');
    assert.equal(await rowOf(page, '支出进度达标率').locator(T('ind-entry-note')).inputValue(), '年度预算执行');
    assert.match(await cell(page, '支出进度达标率', 'ind-manual-note'), /admin/);
    assert.equal(await cell(page, '辅助维护社会和谐稳定', 'ind-score'), '5');
    assert.equal(await cell(page, '有效提升民众法治信访意识', 'ind-score'), '3');
    // 5 + 8.33 + 10 + 10 + 5 + 3 = 41.33 of 60
    assert.equal((await page.textContent(T('ind-total'))).trim(), '41.33');
    assert.equal((await page.textContent(T('ind-max'))).trim(), '/ 60');
    assert.equal((await page.textContent(T('ind-sum-score'))).trim(), '41.33');
    await page.screenshot({ path: join(SHOTS, 'indicators-table.png'), fullPage: true });

    // a manual value for 2022 through the dialog: 6 of 10 key cases → 60 % of a 50 % target → full 5
    await rowOf(page, '协助重点案件化解率').locator(T('ind-level3')).click();
    await page.waitForSelector(T('ind-dialog'));
    assert.match(await page.textContent(T('ind-dialog')), /2022年度/);
    await page.fill(T('ind-value'), '-3');
    await page.click(T('ind-save-value'));
    await page.waitForSelector(`${T('error-value')}:has-text("请输入有效的数值")`);
    await page.fill(T('ind-value'), '60');
    await page.fill(T('ind-note'), '重点案件 10 件，协助化解 6 件');
    await page.screenshot({ path: join(SHOTS, 'indicators-dialog.png') });
    await page.click(T('ind-save-value'));
    await page.waitForSelector(T('ind-dialog'), { state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-test="ind-total"]')?.textContent.trim() === '46.33');
    assert.equal(await cell(page, '协助重点案件化解率', 'ind-score'), '5');
    assert.match(await cell(page, '协助重点案件化解率', 'ind-manual-note'), /admin/);
    assert.equal(await rowOf(page, '协助重点案件化解率').locator(T('ind-entry-note')).inputValue(), '重点案件 10 件，协助化解 6 件');
    const api2022 = await ok(await call('GET', '/api/v1/indicators?from=2022-01-01&to=2022-12-31'), 200, 'indicators');
    const kc = api2022.items.find((i) => i.level3 === '协助重点案件化解率');
    assert.deepEqual([kc.manual.value, kc.manual.username], [60, 'admin']);

    // a weight for this period only, through the dialog
    await rowOf(page, '有效提升民众法治信访意识').locator(T('ind-level3')).click();
    await page.waitForSelector(T('ind-dialog'));
    await page.check(T('ind-scope-period'));
    await page.fill(T('ind-weight-input'), '10');
    await page.click(T('ind-save-settings'));
    await page.waitForSelector(T('ind-dialog'), { state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-test="ind-max"]')?.textContent.trim() === '/ 65');
    assert.equal(await cell(page, '有效提升民众法治信访意识', 'ind-score'), '6');
    const fw = await ok(await call('GET', '/api/v1/indicators?from=2021-01-01&to=2021-12-31'), 200, '2021');
    assert.equal(fw.items.find((i) => i.level3 === '有效提升民众法治信访意识').weight, 5, 'the framework is unchanged');

    // exports and the report link carry the period
    for (const [id, path] of [['ind-export-csv', '/api/v1/reports/indicators.csv'], ['ind-export-xlsx', '/api/v1/reports/indicators.xlsx'], ['ind-print', '/report.html']]) {
      const href = await page.getAttribute(T(id), 'href');
      assert.equal(href, `${path}?framework=1&from=2022-01-01&to=2022-12-31`);
    }
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), await page.getAttribute(T('ind-export-csv'), 'href'));
    assert.match(csv, /一级指标,二级指标,三级指标,分值,年度指标值,实际完成值,得分,评价要点,扣分说明/);

    // the dashboard
    await page.click(T('ind-tab-dashboard'));
    await page.waitForFunction(() => location.hash === '#/indicators/2022/dashboard');
    await page.waitForSelector(T('ind-dashboard'));
    assert.equal((await page.textContent(T('dash-held'))).trim(), '25');
    assert.equal((await page.textContent(T('dash-attended'))).trim(), '6');
    for (const c of ['chart-by-month', 'chart-scores', 'chart-coverage', 'chart-audience']) await painted(page, T(c));
    await page.waitForSelector(`${T('chart-satisfaction-empty')}:has-text("本期暂无问卷回答")`);
    await page.waitForTimeout(600); // let the bars finish growing
    await noToast(page);
    await page.waitForTimeout(400); // the toast fades out
    await page.screenshot({ path: join(SHOTS, 'dashboard-2022.png'), fullPage: true });

    // a quarter, then the current year (YEAR) with its satisfaction line
    await page.click(T('ind-mode-quarter'));
    await page.waitForFunction(() => location.hash === '#/indicators/2022-Q1/dashboard');
    await page.selectOption(T('ind-quarter'), '4');
    await page.waitForFunction(() => location.hash === '#/indicators/2022-Q4/dashboard');
    await page.waitForSelector(`${T('ind-period')}:has-text("2022年第四季度")`);
    await painted(page, T('chart-by-month'));
    await page.selectOption(T('ind-year'), YEAR);
    await page.click(T('ind-mode-year'));
    await page.waitForFunction((y) => location.hash === `#/indicators/${y}/dashboard`, YEAR);
    await painted(page, T('chart-satisfaction'));
    await painted(page, T('chart-by-month'));
    assert.equal((await page.textContent(T('dash-satisfaction'))).trim(), '85.7%'); // 6 of 7 answers 4 or 5
    await painted(page, T('chart-coverage'));
    await page.waitForSelector(`${T('chart-coverage-card')}:has-text("驻点排班覆盖率")`);
    assert.ok(Number(await page.textContent(T('dash-hours'))) > 0, 'duty hours');
    await page.waitForTimeout(600);
    await noToast(page);
    await page.waitForTimeout(400); // the toast fades out
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });

    // custom range, validated in the page
    await page.click(T('ind-mode-custom'));
    await page.fill(T('ind-from'), '2022-12-31');
    await page.fill(T('ind-to'), '2022-07-01');
    await page.click(T('ind-apply'));
    await page.waitForSelector(`${T('ind-range-error')}:has-text("结束日期不能早于开始日期")`);
    await page.fill(T('ind-from'), '2022-07-01');
    await page.fill(T('ind-to'), '2022-12-31');
    await page.click(T('ind-apply'));
    await page.waitForFunction(() => location.hash === '#/indicators/2022-07-01~2022-12-31/dashboard');
    await page.waitForSelector(`${T('ind-period')}:has-text("2022年下半年")`);

    // English
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('ind-tab-dashboard')}:has-text("Dashboard")`);
    assert.equal((await page.textContent(T('page-title'))).trim(), 'Performance indicators');
    assert.match(await page.textContent(T('ind-period')), /Second half of 2022/);
    await painted(page, T('chart-by-month'));
    assert.match(await page.textContent(T('chart-satisfaction-empty')), /No survey answers/);
    await page.click(T('ind-tab-table'));
    await page.waitForSelector(T('ind-table'));
    const en = (await page.locator(`${T('ind-table')} thead th`).allTextContents()).map((x) => x.trim());
    assert.deepEqual(en.slice(0, 7), ['Level 1', 'Level 2', 'Indicator', 'Weight', 'Annual target', 'Actual', 'Score']);
    assert.match(await page.textContent(T('ind-summary')), /Total score/);
    await page.screenshot({ path: join(SHOTS, 'indicators-en.png'), fullPage: true });
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('ind-tab-table')}:has-text("指标评分")`);

    // a phone: the table stays one table, the picker wraps
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    assert.equal(await page.locator(T('ind-row')).count(), 8);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.nav-list, .ind-table-wrap'))
      .map((e) => `${e.tagName}.${e.className}`).slice(0, 8));
    assert.deepEqual(wide, [], 'nothing wider than the phone');
    await page.screenshot({ path: join(SHOTS, 'indicators-phone.png'), fullPage: true });

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('report.html: the A4 report of 2022 with title, indicator table, counts and the activity catalogue', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1000, height: 1300 }, timeout: 15000, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/');
    await uiLogin(page);
    await page.goto(`${server.url}/#/indicators/2022/table`);
    await page.waitForSelector(T('ind-print'));
    const [report] = await Promise.all([context.waitForEvent('page'), page.click(T('ind-print'))]);
    report.on('pageerror', (e) => problems.push(`report page error: ${e.message}`));
    await report.waitForSelector('body[data-ready="1"]');
    assert.equal(new URL(report.url()).pathname, '/report.html');
    assert.equal((await report.textContent(T('report-title'))).trim(), '心访工作室绩效评价报告（2022年度）');
    await report.fill(T('report-org'), '福田区');
    assert.equal((await report.textContent(T('report-title'))).trim(), '福田区心访工作室绩效评价报告（2022年度）');
    assert.equal(await report.title(), '福田区心访工作室绩效评价报告（2022年度）');
    assert.match(await report.textContent(T('report-period')), /2022年1月1日至2022年12月31日/);

    assert.equal(await report.locator(T('report-ind-row')).count(), 8);
    const heads = (await report.locator(`${T('report-indicators')} thead th`).allTextContents()).map((x) => x.trim());
    assert.deepEqual(heads, ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明']);
    const total = await ok(await call('GET', '/api/v1/indicators?from=2022-01-01&to=2022-12-31'), 200, 'indicators');
    assert.equal((await report.textContent(T('report-total'))).trim(), String(total.total_score));
    assert.match(await report.textContent(T('report-total-row')), /合计/);
    assert.match(await report.textContent(T('report-indicators')), /暂无数据/);

    // the catalogue: 23 imported + 2 trainings, in date order
    assert.equal(await report.locator(T('report-activity')).count(), 25);
    const first = (await report.locator(T('report-activity')).first().locator('td').allTextContents()).map((x) => x.trim());
    assert.deepEqual(first, ['1', '2022-06-10', '香蜜湖街道', '心理健康科普及减压活动', '沙龙', '社区工作人员']);
    assert.equal((await report.textContent(T('report-count-total'))).trim(), '25');
    assert.match(await report.textContent(T('report-summary')), /本期共开展活动 25 场，其中讲座 12 场、沙龙 10 场、培训 2 场、活动 1 场/);

    // print media: the tool bar is hidden, the sheet fills the page
    await report.emulateMedia({ media: 'print' });
    assert.equal(await report.isVisible(T('report-print')), false, 'print button hidden in print');
    assert.equal(await report.isVisible(T('report-tools')), false);
    await report.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
    const pdf = await report.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
    writeFileSync(join(SHOTS, 'report.pdf'), pdf);
    await report.emulateMedia({ media: 'screen' });
    assert.equal(await report.isVisible(T('report-print')), true);
    await report.screenshot({ path: join(SHOTS, 'report-screen.png'), fullPage: true });

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
