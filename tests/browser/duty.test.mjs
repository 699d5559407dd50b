// Browser test of the duty logs (值班记录) against the real binary: a
// counsellor fills a shift's log on a 390 px phone (我的排班 → 待填写 →
// the form: big buttons, numeric inputs, the hours shown as they type),
// the coordinator sees it on the 值班记录 page, corrects it with a reason
// (audited), reads the report with counselling time as "2009.60 小时",
// edits the metric list and closes a month. Screenshots at desktop and
// 390 px go to tests/browser/screenshots/duty-*.png.
// Run: node --test tests/browser/duty.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, uiLogin, toastSays, noToast } from '../lib/browser.mjs';

const DESKTOP = { width: 1360, height: 900 };
const HOUR = 3600e3;
const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dayOf = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

let server;
let browser;
let token;
let st;
let counsellor;
let fresh; // the shift the counsellor logs on the phone
const PASSWORD = 'duty-phone-pass-1';

const call = (method, path, body, tok = token) => api(server.url, method, path, { token: tok, body });

before(async () => {
  ({ server, browser, token } = await startSuite());
  st = (await call('POST', '/api/v1/stations', { code: 'YL', name: '园岭街道', kind: 'street' })).body;
  const other = (await call('POST', '/api/v1/stations', { code: 'HALL', name: '区信访局人民来访接待大厅', kind: 'hall' })).body;
  counsellor = (await call('POST', '/api/v1/counsellors', { name: '林晓岚', email: 'lin@example.org', home_station_id: st.id })).body;
  const colleague = (await call('POST', '/api/v1/counsellors', { name: '陈思远', email: 'chen@example.org' })).body;
  assert.equal((await call('POST', `/api/v1/counsellors/${counsellor.id}/account`, { username: 'linxl', password: PASSWORD })).status, 201);
  const now = Date.now();
  const mk = async (station, who, start, hours = 3) => {
    const r = await call('POST', '/api/v1/shifts', { station_id: station, counsellor_id: who, start: iso(start), end: iso(start + hours * HOUR) });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  // To fill on the phone: ended two hours ago.
  fresh = await mk(st.id, counsellor.id, now - 5 * HOUR);
  // Earlier work of the last days, logged through the API: with the
  // phone's 95 minutes the period holds 120,576 minutes = 2009.60 hours.
  const a = await mk(other.id, colleague.id, now - 3 * DAY);
  const b = await mk(st.id, counsellor.id, now - 2 * DAY);
  const c = await mk(other.id, colleague.id, now - 4 * DAY);
  assert.equal((await call('PUT', `/api/v1/shifts/${a.id}/log`, { attended: true, values: { batches: 3000, visitors: 6500, counselling_minutes: 100000 } })).status, 200);
  assert.equal((await call('PUT', `/api/v1/shifts/${b.id}/log`, { attended: true, values: { batches: 1845, visitors: 4136, counselling_minutes: 20481 } })).status, 200);
  assert.equal((await call('PUT', `/api/v1/shifts/${c.id}/log`, { attended: false })).status, 200);
  // And one the colleague never logged.
  await mk(other.id, colleague.id, now - 30 * HOUR);
});

after(stopSuite);


// Height of an element in CSS pixels.
const heightOf = (page, sel) => page.$eval(sel, (el) => el.getBoundingClientRect().height);
const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('a counsellor fills a shift\'s log on a 390 px phone', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  await page.goto(server.url + '/');
  await uiLogin(page, { username: 'linxl', password: PASSWORD });
  await page.waitForSelector(T('my-duty-pending-item'));
  assert.equal((await page.textContent(T('my-duty-pending-count'))).trim(), '1');
  const pending = page.locator(T('my-duty-pending-item'));
  assert.equal(await pending.count(), 1);
  assert.equal(await pending.getAttribute('data-id'), String(fresh.id));
  assert.match(await pending.textContent(), /园岭街道/);
  assert.match(await pending.textContent(), /填写值班记录/);
  assert.ok(await heightOf(page, T('my-duty-pending-item')) >= 48, 'a big touch target');
  // The last two weeks: the logged one says so.
  assert.match(await page.textContent(T('my-duty-recent')), /已记录/);
  assert.ok(await noSideScroll(page), 'nothing wider than the phone');
  await page.screenshot({ path: join(SHOTS, 'duty-phone-pending.png'), fullPage: true });

  await pending.click();
  await page.waitForSelector(T('duty-form'));
  await page.screenshot({ path: join(SHOTS, 'duty-phone-form-top.png') });
  assert.match(await page.textContent(T('duty-privacy')), /请勿记录来访群众的姓名/);
  for (const sel of ['duty-attended', 'duty-absent', 'duty-save', 'duty-value-visitors']) {
    assert.ok(await heightOf(page, T(sel)) >= 44, `${sel} is a big touch target`);
  }
  assert.equal(await page.getAttribute(T('duty-value-visitors'), 'inputmode'), 'numeric');
  const labels = await page.$$eval('[data-test="duty-grid"] .field-label', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.includes('接待人数（人）') && labels.includes('心理疏导时长（分钟）'), 'labels with units');
  // Absent hides the counts; attended shows them.
  await page.click(T('duty-absent'));
  assert.equal(await page.isVisible(T('duty-grid')), false);
  await page.click(T('duty-attended'));
  assert.equal(await page.getAttribute(T('duty-attended'), 'aria-pressed'), 'true');
  // A fraction is refused before anything is sent.
  await page.fill(T('duty-value-visitors'), '1.5');
  await page.click(T('duty-save'));
  await page.waitForSelector('[data-field="values.visitors"].has-error');
  await page.fill(T('duty-value-visitors'), '12');
  await page.fill(T('duty-value-batches'), '5');
  await page.fill(T('duty-value-counselling_minutes'), '95');
  assert.equal((await page.textContent(T('duty-minutes-hours'))).trim(), '= 1.58 小时');
  await page.fill(T('duty-note'), '两人结伴来访，情绪平稳');
  assert.ok(await noSideScroll(page));
  await page.screenshot({ path: join(SHOTS, 'duty-phone-form.png'), fullPage: false });
  await page.click(T('duty-save'));
  await toastSays(page, /值班记录已保存/);
  await page.waitForSelector(T('my-duty-pending-none'));
  const done = page.locator(`${T('my-duty-recent-item')}[data-id="${fresh.id}"]`);
  assert.match(await done.textContent(), /已记录/);
  await noToast(page);
  await page.screenshot({ path: join(SHOTS, 'duty-phone-done.png'), fullPage: true });

  const log = (await call('GET', `/api/v1/shifts/${fresh.id}/log`)).body;
  assert.deepEqual(log.values, { batches: 5, visitors: 12, counselling_minutes: 95 });
  assert.equal(log.note, '两人结伴来访，情绪平稳');
  assert.equal(log.entered_by, 'linxl');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the coordinator sees the log, corrects it with a reason, and reads the report in hours', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: DESKTOP, expected: [[401, '/api/v1/session']] });
  await page.goto(server.url + '/#/duty');
  await uiLogin(page);
  await page.waitForSelector(T('duty-logs'));
  // The last week, so that the month boundary never hides the shifts.
  await page.fill(T('duty-period-from'), dayOf(Date.now() - 7 * DAY));
  await page.fill(T('duty-period-to'), dayOf(Date.now()));
  await page.waitForFunction(() => document.querySelectorAll('[data-test="duty-log-row"]').length === 5);
  const row = page.locator(`${T('duty-log-row')}[data-id="${fresh.id}"]`);
  assert.match(await row.textContent(), /林晓岚/);
  assert.match(await row.textContent(), /已记录/);
  assert.match(await row.textContent(), /12 人/);
  assert.match(await row.textContent(), /1\.58 小时/);
  assert.equal(await page.locator(T('duty-badge-missing')).count(), 1, 'the colleague\'s missing log');
  assert.match(await page.textContent(T('duty-closed-through')), /尚未关账/);
  await page.screenshot({ path: join(SHOTS, 'duty-console-logs.png'), fullPage: true });

  // Missing only.
  await page.check(T('duty-missing-only'));
  await page.waitForFunction(() => document.querySelectorAll('[data-test="duty-log-row"]').length === 1);
  await page.uncheck(T('duty-missing-only'));
  await page.waitForFunction(() => document.querySelectorAll('[data-test="duty-log-row"]').length === 5);

  // Correct it: a reason is needed for what a counsellor wrote.
  await page.locator(`${T('duty-log-row')}[data-id="${fresh.id}"] ${T('duty-open')}`).click();
  await page.waitForSelector(T('duty-form'));
  assert.equal(await page.inputValue(T('duty-value-visitors')), '12');
  await page.fill(T('duty-value-visitors'), '13');
  await page.click(T('duty-save'));
  await page.waitForSelector('[data-field="reason"].has-error');
  await page.fill(T('duty-reason'), '核对接待登记簿，更正人数');
  await page.screenshot({ path: join(SHOTS, 'duty-console-correct.png') });
  await page.click(T('duty-save'));
  await toastSays(page, /值班记录已保存/);
  await page.waitForFunction((id) => /13 人/.test(document.querySelector(`[data-test="duty-log-row"][data-id="${id}"]`)?.textContent || ''), fresh.id);
  const audit = (await call('GET', `/api/v1/audit?entity=duty_log&entity_id=${fresh.id}`)).body.items;
  assert.equal(audit[0].action, 'correct');
  assert.equal(audit[0].detail.reason, '核对接待登记簿，更正人数');

  // The report: every metric, counselling time in hours.
  await page.click(T('duty-tab-report'));
  await page.waitForSelector(T('duty-report'));
  await page.fill(T('duty-rperiod-from'), dayOf(Date.now() - 7 * DAY));
  await page.fill(T('duty-rperiod-to'), dayOf(Date.now()));
  await page.waitForFunction(() => (document.querySelector('[data-test="duty-stat-hours"]')?.textContent || '') === '2009.60 小时');
  const total = await page.textContent(T('duty-report-total'));
  assert.match(total, /合计/);
  assert.match(total, /2009\.60 小时/);
  const heads = await page.$$eval('[data-test="duty-report-table"] thead th', (ths) => ths.map((x) => x.textContent));
  for (const hd of ['驻点', '班次', '接待批次（批次）', '接待人数（人）', '心理疏导时长（小时）', '社会支持量表（份）']) assert.ok(heads.includes(hd), hd);
  assert.equal(await page.locator(T('duty-report-row')).count(), 2);
  assert.match(await page.getAttribute(T('duty-export-csv'), 'href'), /^\/api\/v1\/reports\/duty\.csv\?from=.*&by=station$/);
  assert.match(await page.getAttribute(T('duty-export-xlsx'), 'href'), /^\/api\/v1\/reports\/duty\.xlsx\?/);
  await noToast(page);
  await page.screenshot({ path: join(SHOTS, 'duty-console-report.png'), fullPage: true });
  await page.click(T('duty-by-month'));
  await page.waitForFunction(() => /年\d+月/.test(document.querySelector('[data-test="duty-report-row"]')?.textContent || ''));
  await page.click(T('duty-by-counsellor'));
  await page.waitForFunction(() => /林晓岚/.test(document.querySelector('[data-test="duty-report-table"]')?.textContent || ''));
  // The CSV link answers with the file (the session cookie signs it in).
  const csv = await page.evaluate(async (href) => { const r = await fetch(href); return { status: r.status, text: await r.text() }; }, await page.getAttribute(T('duty-export-csv'), 'href'));
  assert.equal(csv.status, 200);
  assert.match(csv.text, /合计/);
  assert.match(csv.text, /2009\.60/);

  // The metric list: add, rename, move up, delete an unused one.
  await page.click(T('duty-tab-metrics'));
  await page.waitForSelector(T('duty-metric-table'));
  await page.fill(T('duty-metric-code'), 'Hotline');
  await page.fill(T('duty-metric-name'), '心理热线');
  await page.fill(T('duty-metric-unit'), '人次');
  await page.click(T('duty-metric-add-submit'));
  await page.waitForSelector('[data-field="code"].has-error');
  await page.fill(T('duty-metric-code'), 'hotline');
  await page.click(T('duty-metric-add-submit'));
  await toastSays(page, /已添加统计项/);
  await page.waitForSelector(`${T('duty-metric-row')}[data-id="hotline"]`);
  await page.locator(`${T('duty-metric-row')}[data-id="hotline"] ${T('duty-metric-edit')}`).click();
  await page.fill(T('duty-metric-edit-name'), '心理援助热线');
  await page.click(T('duty-metric-edit-save'));
  await page.waitForFunction(() => /心理援助热线/.test(document.querySelector('[data-test="duty-metric-row"][data-id="hotline"]')?.textContent || ''));
  await page.locator(`${T('duty-metric-row')}[data-id="hotline"] ${T('duty-metric-up')}`).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test="duty-metric-row"]')].map((r) => r.getAttribute('data-id'));
    return rows.indexOf('hotline') === rows.length - 2;
  });
  await noToast(page);
  await page.screenshot({ path: join(SHOTS, 'duty-console-metrics.png'), fullPage: true });
  await page.locator(`${T('duty-metric-row')}[data-id="scale_ssrs"] ${T('duty-metric-retire')}`).click();
  await page.click(T('confirm-ok'));
  await page.waitForFunction(() => !document.querySelector('[data-test="duty-metric-row"][data-id="scale_ssrs"]'));
  const metrics = (await call('GET', '/api/v1/duty-metrics')).body.items;
  assert.equal(metrics.find((m) => m.code === 'hotline').name, '心理援助热线');
  assert.ok(!metrics.some((m) => m.code === 'scale_ssrs'));

  // Close last month, with a confirmation.
  await page.click(T('duty-tab-logs'));
  await page.waitForSelector(T('duty-close'));
  await page.click(T('duty-close'));
  await page.waitForSelector(T('duty-close-dialog'));
  await page.click(T('duty-close-submit'));
  await page.waitForSelector(T('confirm-dialog'));
  assert.match(await page.textContent(T('confirm-text')), /关账后咨询师不能再修改/);
  await page.click(T('confirm-ok'));
  const lastDay = dayOf(Date.parse(`${dayOf(Date.now()).slice(0, 7)}-01T00:00:00+08:00`) - 1);
  await toastSays(page, new RegExp(`已关账至 ${lastDay}`));
  await page.waitForFunction((d) => (document.querySelector('[data-test="duty-closed-through"]')?.textContent || '').includes(d), lastDay);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the report and the logs on a 390 px phone', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  await page.goto(server.url + '/#/duty/report');
  await uiLogin(page);
  await page.waitForSelector(T('duty-report'));
  await page.fill(T('duty-rperiod-from'), dayOf(Date.now() - 7 * DAY));
  await page.fill(T('duty-rperiod-to'), dayOf(Date.now()));
  await page.waitForFunction(() => (document.querySelector('[data-test="duty-stat-hours"]')?.textContent || '') === '2009.60 小时');
  assert.match(await page.textContent(T('duty-report-total')), /2009\.60 小时/);
  assert.ok(await noSideScroll(page), 'the report fits the phone');
  await page.screenshot({ path: join(SHOTS, 'duty-phone-report.png'), fullPage: true });
  await page.click(T('duty-tab-logs'));
  await page.waitForSelector(T('duty-logs'));
  await page.fill(T('duty-period-from'), dayOf(Date.now() - 7 * DAY));
  await page.fill(T('duty-period-to'), dayOf(Date.now()));
  await page.waitForFunction(() => document.querySelectorAll('[data-test="duty-log-row"]').length === 5);
  assert.ok(await noSideScroll(page), 'the logs fit the phone');
  await page.screenshot({ path: join(SHOTS, 'duty-phone-logs.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
