// Browser test of the activity calendar (#/events) and the quarterly plans
// (#/plans) against the real binary with the demo data: the event form,
// conflicts in Chinese and saving anyway, drag to reschedule with a reason,
// the change history, cancelling, plan progress with its chart and
// suggested dates, and CSV import.
// Run: node --test tests/browser/events.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, root, api, login } from '../lib/harness.mjs';
import { launchChromium, openPage, T, uiLogin } from '../lib/browser.mjs';

const SHOTS = join(root, 'tests/browser/screenshots');
const FIXTURES = join(root, 'tests/fixtures');
const CSV = join(FIXTURES, 'activities-futian-2022H2.csv');
const SCREEN = { width: 1280, height: 900 };

let server;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ demo: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const day = (date) => `.fc-daygrid-day[data-date="${date}"]`;
const calEvent = (title) => `${T('cal-event')}:has-text("${title}")`;

async function fillEvent(page, e) {
  await page.click(T('event-add'));
  await page.waitForSelector(T('event-form'));
  await page.selectOption(T('event-kind'), e.kind);
  await page.fill(T('event-title'), e.title);
  if (e.station) await page.selectOption(T('event-station'), { label: e.station });
  if (e.venue) await page.fill(T('event-venue'), e.venue);
  await page.fill(T('event-date'), e.date);
  await page.fill(T('event-start'), e.start);
  await page.fill(T('event-end'), e.end);
  for (const name of e.speakers || []) await page.locator(`${T('speakers')} label`, { hasText: name }).locator('input').check();
  if (e.description) await page.fill(T('event-description'), e.description);
}

// Drags the calendar event `title` onto the day cell of `date` (month view).
async function dragTo(page, title, date) {
  const src = await page.locator(`${T('calendar')} ${calEvent(title)}`).first().boundingBox();
  const dst = await page.locator(`${day(date)} .fc-daygrid-day-frame`).boundingBox();
  await page.mouse.move(src.x + 12, src.y + src.height / 2);
  await page.mouse.down();
  await page.mouse.move(src.x + 24, src.y + src.height / 2 + 4, { steps: 4 });
  await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function canvasPainted(page, selector) {
  return page.$eval(`${selector} canvas`, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return { w: c.width, h: c.height, n };
  });
}

test('calendar: create, conflict, save anyway, drag to reschedule, history, cancel, held', async () => {
  const { context, page, problems } = await openPage(browser, {
    viewport: { width: 1280, height: 1000 }, expected: [[401, '/api/v1/session'], [409, '/api/v1/events']],
  });
  try {
    await page.goto(server.url + '/#/events/2030-03');
    await uiLogin(page);
    await page.waitForSelector(day('2030-03-05'));
    assert.equal((await page.textContent(T('page-title'))).trim(), '活动计划');
    assert.equal((await page.textContent('.fc-toolbar-title')).trim(), '2030年3月');
    assert.equal(await page.locator('.fc-today-button').textContent(), '今天');
    for (const k of ['讲座', '沙龙', '培训', '团体辅导', '活动']) assert.match(await page.textContent(T('legend')), new RegExp(k));
    assert.equal(await page.inputValue(T('events-month')), '2030-03');
    assert.equal(await page.getAttribute(T('events-export'), 'href'), '/api/v1/events.csv?from=2030-03-01&to=2030-03-31');

    // 1. a lecture through the form, shown on the month calendar
    await fillEvent(page, {
      kind: 'lecture', title: '情绪管理讲座', station: '园岭街道', venue: '二楼会议室',
      date: '2030-03-05', start: '09:00', end: '11:00', speakers: ['黄若溪'], description: '面向信访工作者的情绪管理讲座。\n第二行',
    });
    await page.click(T('event-save'));
    await page.waitForSelector(T('event-dialog'), { state: 'detached' });
    const a = page.locator(`${day('2030-03-05')} ${calEvent('情绪管理讲座')}`);
    await a.waitFor();
    assert.match(await a.textContent(), /09:00/);
    const colour = await a.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(47, 111, 176)', 'lectures are blue');

    // 2. same speaker, same venue, overlapping → 409 shown as Chinese sentences
    await fillEvent(page, {
      kind: 'salon', title: '压力释放沙龙', station: '园岭街道', venue: '二楼会议室',
      date: '2030-03-05', start: '10:00', end: '12:00', speakers: ['黄若溪'],
    });
    await page.click(T('event-save'));
    await page.waitForSelector(T('conflicts'));
    const items = (await page.locator(T('conflict-item')).allTextContents()).map((s) => s.trim());
    assert.ok(items.includes('黄若溪 同时在活动《情绪管理讲座》中授课（2030年3月5日 09:00–11:00）'), items.join(' | '));
    assert.ok(items.includes('场地“二楼会议室”已被活动《情绪管理讲座》占用（2030年3月5日 09:00–11:00）'), items.join(' | '));
    assert.match(await page.textContent(T('conflicts')), /时间冲突/);
    await page.screenshot({ path: join(SHOTS, 'event-conflict.png') });

    // save anyway, with a reason
    await page.click(T('conflict-force'));
    await page.waitForSelector(`${T('force-dialog')} ${T('reason-input')}`);
    await page.click(`${T('force-dialog')} ${T('reason-ok')}`); // empty reason refused
    assert.equal((await page.textContent(`${T('force-dialog')} ${T('reason-error')}`)).trim(), '请填写原因');
    await page.fill(`${T('force-dialog')} ${T('reason-input')}`, '已与主讲人协商，时间可错开');
    await page.click(`${T('force-dialog')} ${T('reason-ok')}`);
    await page.waitForSelector(T('event-dialog'), { state: 'detached' });
    await page.locator(`${day('2030-03-05')} ${calEvent('压力释放沙龙')}`).waitFor();

    // 3. drag the lecture a week later, then abandon: it goes back
    await dragTo(page, '情绪管理讲座', '2030-03-19');
    await page.waitForSelector(T('reschedule-dialog'));
    assert.match(await page.textContent(T('reschedule-to')), /2030年3月19日（周二） 09:00–11:00/);
    await page.click(T('reschedule-cancel'));
    await page.waitForSelector(T('reschedule-dialog'), { state: 'detached' });
    await page.locator(`${day('2030-03-05')} ${calEvent('情绪管理讲座')}`).waitFor();
    assert.equal(await page.locator(`${day('2030-03-19')} ${T('cal-event')}`).count(), 0);

    // … and for real, with a reason
    await dragTo(page, '情绪管理讲座', '2030-03-12');
    await page.waitForSelector(T('reschedule-dialog'));
    assert.match(await page.textContent(T('reschedule-from')), /2030年3月5日（周二） 09:00–11:00/);
    assert.match(await page.textContent(T('reschedule-to')), /2030年3月12日（周二） 09:00–11:00/);
    await page.click(T('reschedule-ok'));
    assert.equal((await page.textContent(T('error-reason'))).trim(), '请填写原因');
    await page.fill(T('resched-reason'), '会议室维修，顺延一周');
    await page.click(T('reschedule-ok'));
    await page.waitForSelector(T('reschedule-dialog'), { state: 'detached' });
    await page.locator(`${day('2030-03-12')} ${calEvent('情绪管理讲座')}`).waitFor();
    assert.equal(await page.locator(`${day('2030-03-05')} ${calEvent('情绪管理讲座')}`).count(), 0);

    // 4. details and the change history
    await page.click(`${day('2030-03-12')} ${calEvent('情绪管理讲座')}`);
    await page.waitForSelector(T('history'));
    assert.equal((await page.textContent(T('detail-speakers'))).trim(), '黄若溪');
    assert.equal((await page.textContent(T('detail-station'))).trim(), '园岭街道');
    assert.equal((await page.textContent(T('detail-venue'))).trim(), '二楼会议室');
    assert.match(await page.textContent(T('detail-time')), /2030年3月12日（周二） 09:00–11:00/);
    assert.match(await page.textContent(T('detail-planned')), /2030年3月5日 09:00/);
    assert.equal(await page.textContent(T('detail-description')), '面向信访工作者的情绪管理讲座。\n第二行');
    assert.equal((await page.textContent(T('event-status'))).trim(), '计划中');
    const kinds = await page.locator(T('history-kind')).allTextContents();
    assert.deepEqual(kinds, ['创建', '改期']);
    const moved = page.locator(`${T('history-item')}[data-kind="rescheduled"]`);
    assert.equal((await moved.locator(T('history-change')).textContent()).trim(), '2030年3月5日 09:00–11:00 → 2030年3月12日 09:00–11:00');
    assert.equal((await moved.locator(T('history-reason')).textContent()).trim(), '原因：会议室维修，顺延一周');
    assert.ok(await page.isDisabled(T('event-held')), 'not held before it starts');
    assert.match(await page.getAttribute(T('detail-mail-link'), 'href'), /^#\/outbox\/event\/\d+$/, 'a link to its mail');
    // confirm it
    await page.click(T('event-confirm'));
    await page.waitForSelector(`${T('event-status')}:has-text("已确认")`);
    assert.deepEqual(await page.locator(T('history-kind')).allTextContents(), ['创建', '改期', '确认']);
    await page.screenshot({ path: join(SHOTS, 'event-history.png') });
    await page.click(T('event-detail-close'));
    await page.waitForSelector(T('event-detail'), { state: 'detached' });

    // 5. cancel the salon, with a reason; its history shows the forced save
    await page.click(`${day('2030-03-05')} ${calEvent('压力释放沙龙')}`);
    await page.waitForSelector(T('history'));
    assert.deepEqual(await page.locator(T('history-kind')).allTextContents(), ['创建', '强制保存']);
    assert.match(await page.textContent(T('history')), /原因：已与主讲人协商，时间可错开/);
    await page.click(T('event-cancel-event'));
    await page.fill(`${T('cancel-dialog')} ${T('reason-input')}`, '主讲人临时出差');
    await page.click(`${T('cancel-dialog')} ${T('reason-ok')}`);
    await page.waitForSelector(`${T('event-status')}:has-text("已取消")`);
    assert.equal(await page.locator(T('event-cancel-event')).count(), 0);
    assert.match(await page.textContent(`${T('history-item')}[data-kind="cancelled"]`), /原因：主讲人临时出差/);
    await page.click(T('event-detail-close'));
    const cancelled = page.locator(`${day('2030-03-05')} ${T('cal-event')}[data-status="cancelled"]`);
    await cancelled.waitFor();
    assert.match(await cancelled.textContent(), /\[已取消\] 压力释放沙龙/);
    assert.match(await cancelled.locator('.fc-event-title').evaluate((el) => getComputedStyle(el).textDecorationLine), /line-through/);

    // filters: kind
    await page.selectOption(T('events-filter-kind'), 'salon');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="cal-event"]').length === 1);
    await page.selectOption(T('events-filter-kind'), '');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="cal-event"]').length === 2);
    await page.mouse.move(5, 5);
    await page.screenshot({ path: join(SHOTS, 'events-month.png'), fullPage: true });

    // week view shows the lecture in its time slot
    await page.click('.fc-timeGridWeek-button');
    await page.click('.fc-next-button');
    await page.locator(`.fc-timegrid ${calEvent('情绪管理讲座')}`).waitFor();

    // a past event can be marked as held
    const token = await login(server.url);
    const past = await api(server.url, 'POST', '/api/v1/events', { token, body: {
      kind: 'training', title: '咨询师业务培训', station_id: 1, start: '2026-01-06T14:30:00+08:00', end: '2026-01-06T16:30:00+08:00', status: 'confirmed',
    } });
    assert.equal(past.status, 201, past.text);
    await page.evaluate(() => { location.hash = '#/events/2026-01/dayGridMonth'; });
    await page.click(`${day('2026-01-06')} ${calEvent('咨询师业务培训')}`);
    await page.waitForSelector(T('history'));
    assert.ok(!(await page.isDisabled(T('event-held'))));
    assert.equal(await page.locator(T('event-confirm')).count(), 0, 'already confirmed');
    await page.click(T('event-held'));
    // it asks first: what follows cannot be undone
    assert.match(await page.textContent(T('confirm-text')), /标记为已举办吗？/);
    await page.click(T('confirm-ok'));
    await page.waitForSelector(`${T('event-status')}:has-text("已举办")`);
    assert.deepEqual(await page.locator(T('history-kind')).allTextContents(), ['创建', '已举办']);
    assert.equal(await page.locator(T('event-reschedule')).count(), 0, 'a held event is not rescheduled');
    await page.click(T('event-detail-close'));
    await page.waitForSelector(`${day('2026-01-06')} ${T('cal-event')}[data-status="held"]:has-text("✓ 咨询师业务培训")`);

    // English calendar
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('nav-events')}:has-text("Activities")`);
    await page.waitForSelector('.fc-today-button');
    assert.equal(await page.locator('.fc-today-button').textContent(), 'today');
    assert.match(await page.textContent(T('legend')), /Lecture/);
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('nav-events')}:has-text("活动计划")`);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('plan: targets, progress chart, suggested dates', async () => {
  // one confirmed lecture and one cancelled salon in the period
  const token = await login(server.url);
  const mk = async (body) => {
    const r = await api(server.url, 'POST', '/api/v1/events', { token, body: { station_id: 4, ...body } });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  await mk({ kind: 'lecture', title: '二季度讲座', start: '2030-05-07T09:00:00+08:00', end: '2030-05-07T11:00:00+08:00', status: 'confirmed' });
  const salon = await mk({ kind: 'salon', title: '二季度沙龙', start: '2030-05-08T09:00:00+08:00', end: '2030-05-08T11:00:00+08:00' });
  assert.equal((await api(server.url, 'POST', `/api/v1/events/${salon.id}/cancel`, { token, body: { reason: '测试' } })).status, 200);

  const { context, page, problems } = await openPage(browser, { viewport: SCREEN, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/#/plans');
    await uiLogin(page);
    await page.waitForSelector(T('empty'));
    assert.equal((await page.textContent(T('page-title'))).trim(), '季度计划');
    await page.click(T('plan-add'));
    await page.fill(T('plan-name'), '2030年第二季度');
    await page.fill(T('plan-from'), '2030-04-01');
    await page.fill(T('plan-to'), '2030-06-30');
    await page.fill(T('plan-target-lecture'), '3');
    await page.fill(T('plan-target-salon'), '2');
    await page.fill(T('plan-target-training'), '1');
    await page.click(T('plan-save'));
    await page.waitForSelector(`${T('plan-chart')} canvas`);
    assert.equal((await page.textContent(T('plan-title'))).trim(), '2030年第二季度');
    assert.equal((await page.textContent(T('plan-ontime'))).trim(), '暂无数据');
    assert.equal((await page.textContent(T('plan-target'))).trim(), '6');
    // the confirmed lecture (the cancelled salon does not count)
    assert.equal((await page.textContent(T('plan-scheduled'))).trim(), '1');
    assert.match(await page.textContent(T('plan-by-station')), /园岭街道/);
    assert.match(await page.textContent(T('plan-by-month')), /2030-05/);

    // suggested dates for the gap: 2 lectures, 2 salons, 1 training
    await page.click(T('plan-propose'));
    await page.waitForSelector(T('proposal-list'));
    assert.equal(await page.locator(T('proposal')).count(), 5);
    assert.match(await page.textContent(T('proposal-list')), /14:30–16:30/);
    await page.locator(T('proposal-check')).last().uncheck();
    assert.equal((await page.textContent(T('plan-accept'))).trim(), '采纳 4 个');
    await page.click(T('plan-accept'));
    await page.waitForSelector(`${T('toast')}:has-text("已创建 4 个活动")`);
    await page.waitForFunction(() => document.querySelector('[data-test="plan-scheduled"]')?.textContent.trim() === '5');
    await page.waitForTimeout(700); // bar animation
    const painted = await canvasPainted(page, T('plan-chart'));
    assert.ok(painted.w > 300 && painted.h > 100, `canvas size ${painted.w}x${painted.h}`);
    assert.ok(painted.n > 3000, `canvas has ${painted.n} painted pixels`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'plan-progress.png'), fullPage: true });

    await page.click(T('plan-back'));
    await page.waitForSelector(`${T('plans-table')} >> text=2030年第二季度`);
    assert.match(await page.textContent(T('plans-table')), /讲座 3 · 沙龙 2 · 培训 1/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('CSV import: row errors, dry run, confirm, events in the 2022-08 list', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: SCREEN, expected: [[401, '/api/v1/session'], [422, '/api/v1/events/import']] });
  try {
    await page.goto(server.url + '/#/events');
    await uiLogin(page);
    await page.waitForSelector('.fc-daygrid-day');

    await page.click(T('events-import'));
    // an unknown station: refused with its line number …
    await page.setInputFiles(T('import-file'), {
      name: 'bad.csv', mimeType: 'text/csv',
      buffer: Buffer.from('date,station,title,category,audience\n2022-08-01,新洲街道,社区减压沙龙,沙龙,社区居民\n'),
    });
    await page.waitForSelector(T('import-errors'));
    const err = (await page.textContent(T('import-error'))).trim();
    assert.match(err, /第 2 行/);
    assert.match(err, /未知的驻点“新洲街道”/);
    assert.ok(await page.isDisabled(T('import-confirm')));
    // … accepted once unknown stations may be created
    await page.check(T('import-create-stations'));
    await page.waitForSelector(T('import-preview'));
    assert.match(await page.textContent(T('import-row')), /新洲街道（新建）/);

    // the real file: 23 rows previewed, then imported
    await page.uncheck(T('import-create-stations'));
    await page.setInputFiles(T('import-file'), join(FIXTURES, 'activities-futian-2022H2.csv'));
    await page.waitForSelector(`${T('import-preview-title')}:has-text("23")`);
    assert.equal(await page.locator(T('import-row')).count(), 23);
    assert.equal((await page.textContent(T('import-confirm'))).trim(), '确认导入 23 个活动');
    await page.click(T('import-confirm'));
    await page.waitForSelector(T('import-dialog'), { state: 'detached' });
    await page.waitForSelector(`${T('toast')}:has-text("已导入 23 个活动")`);

    // The same rows again, as Chinese Excel saves them (GB18030): the
    // console sends the file's bytes, the server reads them, and every row
    // is already there — nothing to import, each row said.
    await page.click(T('events-import'));
    await page.setInputFiles(T('import-file'), join(FIXTURES, 'activities-futian-2022H2.gb18030.csv'));
    await page.waitForSelector(`${T('import-skipped-title')}:has-text("23")`);
    assert.equal(await page.locator(T('import-skipped-row')).count(), 23);
    assert.equal(await page.locator(T('import-row')).count(), 0);
    assert.equal((await page.textContent(T('import-preview-title'))).trim(), '文件中的活动都已存在，无需导入。');
    assert.match(await page.textContent(T('import-skipped')), /生活中有趣的心理现象（上）/);
    assert.ok(await page.isDisabled(T('import-confirm')), 'nothing to import');
    await page.screenshot({ path: join(SHOTS, 'import-skipped.png') });
    await page.click(T('import-cancel'));
    await page.waitForSelector(T('import-dialog'), { state: 'detached' });

    // August 2022 in the list view
    await page.fill(T('events-month'), '2022-08');
    await page.click('.fc-listMonth-button');
    await page.waitForSelector(`.fc-list ${calEvent('生活中有趣的心理现象（上）')}`);
    assert.equal((await page.textContent('.fc-toolbar-title')).trim(), '2022年8月');
    const titles = await page.locator('.fc-list-event-title a').allTextContents();
    assert.equal(titles.length, 6, titles.join(' | '));
    assert.match(await page.textContent('.fc-list'), /梅林街道/);
    assert.match(await page.textContent('.fc-list'), /14:30/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('titles and descriptions are text, never markup (English UI)', async () => {
  const XSS = '<img src=x onerror=alert(1)>';
  const token = await login(server.url);
  const r = await api(server.url, 'POST', '/api/v1/events', { token, body: {
    kind: 'group', title: XSS, description: XSS, venue: XSS, external_speaker: XSS, station_id: 2, speaker_ids: [5],
    start: '2030-07-02T14:30:00+08:00', end: '2030-07-02T16:30:00+08:00',
  } });
  assert.equal(r.status, 201, r.text);
  const { context, page, problems } = await openPage(browser, { viewport: SCREEN, expected: [[401, '/api/v1/session'], [409, '/api/v1/events']] });
  try {
    await page.goto(server.url + '/#/events/2030-07');
    await uiLogin(page);
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('nav-events')}:has-text("Activities")`);
    const ev = page.locator(`${day('2030-07-02')} ${T('cal-event')}`);
    await ev.waitFor();
    assert.match(await ev.textContent(), /<img src=x onerror=alert\(1\)>/);
    await ev.click();
    await page.waitForSelector(T('history'));
    assert.equal(await page.textContent(T('detail-description')), XSS);
    assert.equal(await page.textContent(T('detail-venue')), XSS);
    assert.match(await page.textContent(T('detail-speakers')), /<img src=x onerror=alert\(1\)>/);
    assert.deepEqual(await page.locator(T('history-kind')).allTextContents(), ['Created']);
    await page.click(T('event-detail-close'));

    // a clash with it, in English
    await page.click(T('event-add'));
    await page.selectOption(T('event-kind'), 'lecture');
    await page.fill(T('event-title'), 'Clash');
    await page.fill(T('event-date'), '2030-07-02');
    await page.fill(T('event-start'), '15:00');
    await page.fill(T('event-end'), '17:00');
    await page.check(T('speaker-5'));
    await page.click(T('event-save'));
    await page.waitForSelector(T('conflicts'));
    const text = (await page.textContent(T('conflict-item'))).trim();
    assert.match(text, /is speaking at “<img src=x onerror=alert\(1\)>” at the same time \(Jul 2, 2030 14:30–16:30\)/);
    await page.click(T('event-cancel'));
    await page.click(T('confirm-ok')); // discard what was typed

    await page.click('.fc-listMonth-button');
    await page.waitForSelector('.fc-list');
    assert.equal(await page.locator('img:not(.brand-mark)').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
