// Browser test of the evaluation page (#/indicators with a framework)
// against the real binary: a coordinator with no manual imports Futian's
// 2023 table from its CSV, copies it as 2024's, retires a row, adds a
// checklist row with a penalty item through the row editor (plain Chinese
// choices), ticks the items inline and watches the score and the total
// follow, writes a deduction note, sees a malformed file refused with its
// line — at desktop width and at 390 px. And the whole Futian 2023
// evaluation on screen, with the key-case register and paper tallies
// entered, showing the report's total of 94.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, openPage, T, uiLogin } from '../lib/browser.mjs';
import {
  FRAMEWORK_CSV, REPORT, REPORT_TOTAL, seedFutian, enterCasesAndTallies,
} from '../lib/evaluation.mjs';

let server;
let browser;
let token;
const call = (method, path, body, extra = {}) => api(server.url, method, path, { token, body, ...extra });

before(async () => {
  ({ server, browser, token } = await startSuite({ demo: true }));
});

after(stopSuite);

const rowOf = (page, name) => page.locator(`${T('ind-row')}:has(${T('ind-level3')} .ind-name:text-is("${name}"))`);
const text = async (loc) => (await loc.textContent()).trim();
const noToast = (page) => page.waitForFunction(() => !document.querySelector('.toast-show'), null, { timeout: 8000 });
const totalIs = (page, v) => page.waitForFunction((want) => document.querySelector('[data-test="ind-total"]')?.textContent.trim() === want, v);

// Resolves once a chart's canvas has painted pixels.
async function painted(page, sel, min = 300) {
  await page.waitForSelector(`${sel} canvas`);
  await page.waitForFunction(({ sel, min }) => {
    const c = document.querySelector(`${sel} canvas`);
    if (!c || !c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n >= min;
  }, { sel, min });
}

test('the framework editor: import the Futian CSV, copy it for 2024, retire a row, add a checklist row, tick it inline', async () => {
  const { context, page, problems } = await openPage(browser, {
    viewport: { width: 1366, height: 900 }, timeout: 15000,
    expected: [[401, '/api/v1/session'], [422, '/api/v1/frameworks/import'], [422, '/api/v1/indicators']],
  });
  try {
    await page.goto(server.url + '/');
    await uiLogin(page);
    await page.click(T('nav-indicators'));
    await page.waitForSelector(T('ind-fwbar'));

    // a malformed file: refused with its line, nothing imported
    await page.click(T('ind-fw-import'));
    await page.waitForSelector(T('fw-import-dialog'));
    await page.fill(T('fw-name'), '坏文件');
    await page.setInputFiles(T('fw-file'), { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(FRAMEWORK_CSV.replace(',2,=100%,', ',two,=100%,')) });
    await page.click(T('fw-submit'));
    await page.waitForSelector(`${T('fw-import-error')}:has-text("第 8 行 weight")`);
    await page.screenshot({ path: join(SHOTS, 'evaluation-import-error.png') });
    assert.equal((await call('GET', '/api/v1/frameworks')).body.total, 1, 'nothing imported');

    // the good file, as 2023's framework
    await page.fill(T('fw-name'), '福田区 2023 年度');
    await page.fill(T('fw-from'), '2023-01-01');
    await page.fill(T('fw-to'), '2023-12-31');
    await page.setInputFiles(T('fw-file'), { name: 'framework-futian-2023.csv', mimeType: 'text/csv', buffer: Buffer.from(FRAMEWORK_CSV) });
    await page.click(T('fw-submit'));
    await page.waitForSelector(T('fw-import-dialog'), { state: 'detached' });
    await page.waitForFunction(() => /^#\/indicators\/2023\/table\/\d+$/.test(location.hash));
    await page.waitForSelector(`${T('ind-fw-meta')}:has-text("19 项，合计 100 分")`);
    assert.equal(await page.locator(T('ind-row')).count(), 19);
    const heads = (await page.locator(`${T('ind-table')} thead th`).allTextContents()).map((x) => x.trim());
    assert.deepEqual(heads.slice(0, 10), ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明', '同比']);
    // merged level-1 groups as the report prints them
    const spans = await page.$$eval(`${T('ind-table')} tbody th.ind-l1`, (ths) => ths.map((x) => [x.textContent, x.rowSpan]));
    assert.deepEqual(spans, [['决策', 6], ['过程', 5], ['产出', 5], ['效益', 2], ['满意度', 1]]);
    // each checklist item with its mark box; the penalty item marked as such
    const compliance = rowOf(page, '资金使用合规性');
    assert.equal(await compliance.locator(T('ind-mark')).count(), 4);
    assert.match(await text(compliance.locator(`${T('ind-point')}.is-penalty`)), /存在截留.*−1/);
    assert.equal(await text(compliance.locator(T('ind-score'))), '—');

    // ticking the items scores the row at once; the fault happening takes a point off
    for (let i = 0; i < 3; i++) await compliance.locator(T('ind-mark')).nth(i).check();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="ind-row"]')]
      .find((r) => r.textContent.includes('资金使用合规性'))?.querySelector('[data-test="ind-score-value"]')?.textContent === '3');
    await totalIs(page, '3');
    await compliance.locator(T('ind-mark')).nth(3).check();
    await page.waitForFunction(() => document.querySelector('[data-test="ind-total"]')?.textContent.trim() === '2');
    await compliance.locator(T('ind-entry-note')).fill('发现一笔虚列支出，扣 1 分');
    await compliance.locator(T('ind-entry-note')).blur();
    await noToast(page);
    const fw23 = Number((await page.evaluate(() => location.hash)).split('/').pop());
    await expectRow(fw23, '资金使用合规性', { score: 2, note: '发现一笔虚列支出，扣 1 分', marks: [true, true, true, true] });
    // a rating inline on a band row: 70 % → 3 of 5
    const harmony = rowOf(page, '辅助维护社会和谐稳定');
    await harmony.locator(T('ind-entry-rating')).fill('70');
    await harmony.locator(T('ind-entry-rating')).blur();
    await totalIs(page, '5');
    assert.equal(await text(harmony.locator(T('ind-score'))), '3');
    // a bad rating is refused in the page
    await harmony.locator(T('ind-entry-rating')).fill('150');
    await harmony.locator(T('ind-entry-rating')).blur();
    await page.waitForSelector(`${T('ind-entry-rating-error')}:has-text("0 到 100")`);
    await harmony.locator(T('ind-entry-rating')).fill('70');
    await harmony.locator(T('ind-entry-rating')).blur();
    await painted(page, T('ind-group-chart'));
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'evaluation-2023.png'), fullPage: true });

    // copy it as 2024's: the same rows, empty entries, 同比 from 2023
    await page.click(T('ind-fw-copy'));
    await page.waitForSelector(T('fw-copy-dialog'));
    assert.equal(await page.inputValue(T('fw-from')), '2024-01-01');
    assert.equal(await page.inputValue(T('fw-to')), '2024-12-31');
    await page.fill(T('fw-name'), '福田区 2024 年度');
    await page.click(T('fw-submit'));
    await page.waitForFunction(() => /^#\/indicators\/2024\/table\/\d+$/.test(location.hash));
    await page.waitForSelector(`${T('ind-fw-meta')}:has-text("19 项")`);
    assert.equal(await text(rowOf(page, '资金使用合规性').locator(T('ind-previous'))), '2');
    assert.equal(await text(rowOf(page, '辅助维护社会和谐稳定').locator(T('ind-previous'))), '3');
    const fw24 = Number((await page.evaluate(() => location.hash)).split('/').pop());
    assert.notEqual(fw24, fw23);

    // edit mode: retire 支出进度达标率 (10 points) from 2024 only
    await page.click(T('ind-fw-edit'));
    await page.waitForSelector(T('ind-row-add'));
    await rowOf(page, '支出进度达标率').locator(T('ind-row-edit')).click();
    await page.waitForSelector(T('row-editor'));
    await page.click(T('row-retire'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('row-editor'), { state: 'detached' });
    await page.waitForSelector(`${T('ind-fw-meta')}:has-text("18 项，合计 90 分")`);
    assert.equal((await call('GET', `/api/v1/frameworks/${fw23}`)).body.rows, 19, '2023 keeps the row');

    // add a checklist row with a penalty item, as a coordinator would
    await page.click(T('ind-row-add'));
    await page.waitForSelector(T('row-editor'));
    await page.fill(T('row-level1'), '过程');
    await page.fill(T('row-level2'), '组织实施');
    await page.fill(T('row-level3'), '档案管理规范性');
    await page.fill(T('row-weight'), '150');
    await page.selectOption(T('row-rule'), 'checklist');
    const points = [['台账齐全，按月更新', '4', false], ['个案记录只用化名，不含身份信息', '3', false], ['资料按时归档', '3', false], ['发生记录遗失', '2', true]];
    for (const [i, [txt, pts, pen]] of points.entries()) {
      if (i > 0) await page.click(T('row-point-add'));
      const line = page.locator(T('row-point')).nth(i);
      await line.locator(T('row-point-text')).fill(txt);
      await line.locator(T('row-point-points')).fill(pts);
      if (pen) await line.locator(T('row-point-penalty')).check();
    }
    await page.click(T('row-save'));
    await page.waitForSelector(`${T('error-weight')}:has-text("0 到 100")`);
    await page.fill(T('row-weight'), '10');
    await page.waitForSelector(`${T('row-points-sum')}:has-text("要点合计 10 分（分值 10 分）")`);
    await page.screenshot({ path: join(SHOTS, 'evaluation-row-editor.png') });
    await page.click(T('row-save'));
    await page.waitForSelector(T('row-editor'), { state: 'detached' });
    await page.waitForSelector(`${T('ind-fw-meta')}:has-text("19 项，合计 100 分")`);
    const archives = rowOf(page, '档案管理规范性');
    assert.equal(await archives.locator(T('ind-mark')).count(), 4);
    const row = (await call('GET', `/api/v1/frameworks/${fw24}`)).body.indicators.find((i) => i.level3 === '档案管理规范性');
    assert.deepEqual([row.rule, row.source, row.weight, row.target], ['checklist', 'manual', 10, '']);
    assert.deepEqual(row.checklist.map((c) => c.points), [4, 3, 3, -2]);

    // back to entering: tick two items, then the fault
    await page.click(T('ind-fw-edit'));
    await page.waitForSelector(T('ind-row-add'), { state: 'detached' });
    await rowOf(page, '档案管理规范性').locator(T('ind-mark')).nth(0).check();
    await totalIs(page, '4');
    await rowOf(page, '档案管理规范性').locator(T('ind-mark')).nth(1).check();
    await totalIs(page, '7');
    await rowOf(page, '档案管理规范性').locator(T('ind-mark')).nth(3).check();
    await totalIs(page, '5');
    assert.equal(await text(rowOf(page, '档案管理规范性').locator(T('ind-score'))), '5');
    await rowOf(page, '档案管理规范性').locator(T('ind-entry-note')).fill('一份记录遗失，扣 2 分');
    await rowOf(page, '档案管理规范性').locator(T('ind-entry-note')).blur();
    await expectRow(fw24, '档案管理规范性', { score: 5, note: '一份记录遗失，扣 2 分', marks: [true, true, false, true] });
    await painted(page, T('ind-group-chart'));
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'evaluation-editor.png'), fullPage: true });

    // the same page on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(400);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.nav-list, .ind-table-wrap'))
      .map((e) => `${e.tagName}.${e.className}`).slice(0, 8));
    assert.deepEqual(wide, [], 'nothing wider than the phone but the scrolling table');
    const box = await rowOf(page, '档案管理规范性').locator(T('ind-mark')).nth(2).boundingBox();
    assert.ok(box.width >= 22 && box.height >= 22, `a big enough mark box: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(SHOTS, 'evaluation-phone.png'), fullPage: true });

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The API agrees with what the page shows.
async function expectRow(fw, level3, want) {
  for (let i = 0; i < 50; i++) {
    const r = await call('GET', `/api/v1/indicators?framework=${fw}`);
    const it = r.body.items.find((x) => x.level3 === level3);
    if (it.score === want.score && it.note === want.note && JSON.stringify(it.checklist.map((c) => c.met)) === JSON.stringify(want.marks)) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  const it = (await call('GET', `/api/v1/indicators?framework=${fw}`)).body.items.find((x) => x.level3 === level3);
  assert.deepEqual({ score: it.score, note: it.note, marks: it.checklist.map((c) => c.met) }, want);
}

test('Futian 2023 on screen: every row the report\'s score, the total 94, the printable page', async (t) => {
  const fw = await seedFutian(call);
  await enterCasesAndTallies(call, fw.hall);
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1366, height: 900 }, timeout: 15000, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/');
    await uiLogin(page);
    await page.goto(`${server.url}/#/indicators/2023/table/${fw.id}`);
    await page.waitForSelector(T('ind-table'));
    await totalIs(page, String(REPORT_TOTAL));
    assert.equal((await page.textContent(T('ind-max'))).trim(), '/ 100');
    for (const [name, rep] of REPORT) assert.equal(await text(rowOf(page, name).locator(T('ind-score'))), String(rep.score), name);
    await painted(page, T('ind-group-chart'));
    await noToast(page);
    await page.screenshot({ path: join(SHOTS, 'evaluation-futian-94.png'), fullPage: true });
    const [report] = await Promise.all([context.waitForEvent('page'), page.click(T('ind-print'))]);
    await report.waitForSelector('body[data-ready="1"]');
    assert.equal((await report.textContent(T('report-total'))).trim(), String(REPORT_TOTAL));
    assert.match(await report.textContent(T('report-framework')), /福田区心访工作室 2023 年度绩效评价/);
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: join(SHOTS, 'evaluation-futian-report.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, 'evaluation-futian-94-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
