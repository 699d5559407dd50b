// Browser tests of issue 13's roster jobs against the real binary (demo
// data): leave awaiting approval marked in the week grid, approved and
// refused from 请假 (desktop and 390 px); a counsellor picks a colleague's
// shift for a swap from a list by name, station and date and withdraws
// the request (desktop and 390 px); the generator's away-from-home count;
// the shipped holiday calendar offered and imported (desktop and 390 px).
// Run: node --test tests/browser/rosters2.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, login } from '../lib/harness.mjs';
import { startSuite, stopSuite, activeRoster, textOf, SHOTS, PHONE, openPage, T, uiLogin, wallDay, addDays, mondayOf, dayAt } from '../lib/browser.mjs';

const DESK = { width: 1280, height: 1000 };
const at = dayAt;
const MONDAY = addDays(mondayOf(wallDay()), 7); // next week: ahead of now

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

async function account(c, username) {
  await ok('POST', `/api/v1/counsellors/${c.id}/account`, { username, password: `${username}-pass-1` });
  return login(server.url, username, `${username}-pass-1`);
}
const text = textOf;
const noScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('leave awaiting approval: marked 待批 in the week grid, approved from 请假, then marked 假', async () => {
  const c = people[3];
  const tk = await account(c, 'r2-leave');
  const day = addDays(MONDAY, 1);
  const sh = await ok('POST', '/api/v1/shifts', { station_id: stations[0].id, counsellor_id: c.id, start: at(day, '09:00'), end: at(day, '12:00') });
  const lv = await ok('POST', '/api/v1/me/availability', { start: at(day, '00:00'), end: at(day, '23:00'), reason: '病假' }, tk);
  assert.equal(lv.status, 'pending');
  const { context, page, problems } = await openPage(browser, { viewport: DESK, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/${MONDAY}`);
    await uiLogin(page);
    const mark = page.locator(`${T('shift')}[data-id="${sh.id}"] ${T('shift-leave')}`);
    await mark.waitFor();
    assert.equal(await mark.textContent(), '待批');
    assert.equal(await mark.getAttribute('data-status'), 'pending');
    assert.match(await page.locator(`${T('shift')}[data-id="${sh.id}"]`).getAttribute('title'), /申请在此时段请假（病假），待审批/);
    await page.locator(`${T('shift')}[data-id="${sh.id}"]`).screenshot({ path: join(SHOTS, 'leave-pending-chip.png') });

    await page.goto(`${server.url}/#/rosters/setup/leave`);
    const row = page.locator(T('leave-row')).filter({ hasText: c.name }).filter({ hasText: '病假' });
    await row.waitFor();
    assert.equal(await row.locator(T('leave-status')).getAttribute('data-status'), 'pending');
    await page.screenshot({ path: join(SHOTS, 'leave-pending.png') });
    await row.locator(T('leave-approve')).click();
    await page.waitForSelector(T('leave-decide-dialog'));
    await page.fill(T('leave-decide-note'), '已安排顶班');
    await page.click(T('leave-decide-ok'));
    await page.waitForSelector(T('leave-decide-dialog'), { state: 'detached' });
    assert.match(await text(page, 'toast'), /已批准并通知咨询师；其 1 个班次已标记/);
    await page.waitForSelector(`${T('leave-row')} ${T('leave-status')}[data-status="approved"]`);
    assert.equal((await ok('GET', `/api/v1/availability/${lv.id}`)).decision_note, '已安排顶班');

    await page.goto(`${server.url}/#/rosters/${MONDAY}`);
    await page.waitForSelector(`${T('shift')}[data-id="${sh.id}"] ${T('shift-leave')}[data-status="approved"]`);
    assert.equal(await page.textContent(`${T('shift')}[data-id="${sh.id}"] ${T('shift-leave')}`), '假');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // a phone: a second request refused with a note
  const day2 = addDays(MONDAY, 2);
  await ok('POST', '/api/v1/shifts', { station_id: stations[0].id, counsellor_id: c.id, start: at(day2, '09:00'), end: at(day2, '12:00') });
  const lv2 = await ok('POST', '/api/v1/me/availability', { start: at(day2, '08:00'), end: at(day2, '13:00'), reason: '事假' }, tk);
  const phone = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    const p = phone.page;
    await p.goto(`${server.url}/#/rosters/setup/leave`);
    await uiLogin(p);
    const row = p.locator(T('leave-row')).filter({ hasText: '事假' });
    await row.waitFor();
    assert.ok(await noScroll(p), 'no horizontal scrolling');
    const box = await row.locator(T('leave-refuse')).boundingBox();
    assert.ok(box.height >= 32, `a finger-sized button (${box.height} px)`);
    await p.screenshot({ path: join(SHOTS, 'leave-pending-phone.png'), fullPage: true });
    await row.locator(T('leave-refuse')).click();
    await p.fill(T('leave-decide-note'), '当天人手不足');
    await p.click(T('leave-decide-ok'));
    await p.waitForSelector(T('leave-decide-dialog'), { state: 'detached' });
    assert.equal((await ok('GET', `/api/v1/availability/${lv2.id}`)).status, 'refused');
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.context.close();
  }
});

test('a counsellor picks a colleague\'s shift from a list, then withdraws the request', async () => {
  const [a, b] = [people[5], people[6]];
  const tk = await account(a, 'r2-swap');
  void tk;
  const a1 = await ok('POST', '/api/v1/shifts', { station_id: stations[1].id, counsellor_id: a.id, start: at(addDays(MONDAY, 2), '14:00'), end: at(addDays(MONDAY, 2), '17:00') });
  const b1 = await ok('POST', '/api/v1/shifts', { station_id: stations[2].id, counsellor_id: b.id, start: at(addDays(MONDAY, 3), '09:00'), end: at(addDays(MONDAY, 3), '12:00') });
  for (const [viewport, mobile, shot] of [[DESK, false, 'swap-pick.png'], [PHONE, true, 'swap-pick-phone.png']]) {
    const { context, page, problems } = await openPage(browser, { viewport, mobile, expected: [[401, '/api/v1/session']] });
    try {
      await page.goto(`${server.url}/#/me`);
      await uiLogin(page, { username: 'r2-swap', password: 'r2-swap-pass-1' });
      await page.click(T('me-swap'));
      await page.waitForSelector(T('swap-form'));
      await page.selectOption(T('swap-shift'), String(a1.id));
      await page.check(T('swap-mode-swap'));
      const opt = page.locator(`${T('swap-other')} option[value="${b1.id}"]`);
      await opt.waitFor({ state: 'attached' });
      assert.match(await opt.textContent(), new RegExp(`^${b.name} · ${stations[2].name} · \\d+月\\d+日（周.）09:00–12:00$`));
      assert.doesNotMatch(await page.textContent(T('swap-form')), /#\d|编号/);
      await page.selectOption(T('swap-other'), String(b1.id));
      await page.fill(T('swap-reason'), '孩子开家长会');
      if (mobile) assert.ok(await noScroll(page), 'no horizontal scrolling');
      await page.screenshot({ path: join(SHOTS, shot) });
      await page.click(T('swap-submit'));
      await page.waitForSelector(T('swap-dialog'), { state: 'detached' });
      const row = page.locator(T('my-request-row')).first();
      await row.locator(T('my-request-other')).waitFor();
      assert.match(await row.locator(T('my-request-other')).textContent(), new RegExp(`与 ${b.name} 的 .*09:00–12:00 ${stations[2].name} 互换`));
      await page.locator(T('my-requests')).screenshot({ path: join(SHOTS, shot.replace('pick', 'requests')) });
      await row.locator(T('my-request-withdraw')).click();
      await page.click(T('confirm-ok'));
      await page.waitForSelector(`${T('my-request-row')}:first-child ${T('swap-status')}:has-text("已撤回")`);
      assert.equal(await page.locator(T('my-request-withdraw')).count(), 0, 'nothing left to withdraw');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  const reqs = (await ok('GET', '/api/v1/swap-requests')).items.filter((x) => x.shift_id === a1.id);
  assert.deepEqual(reqs.map((x) => [x.other_shift_id, x.status]), [[b1.id, 'withdrawn'], [b1.id, 'withdrawn']]);
});

test('the generator says how many shifts are away from home and why', async () => {
  const week = addDays(MONDAY, 21);
  // templates at the hall and at every street office: weekday mornings
  for (const st of stations.filter((x) => x.kind === 'hall' || x.kind === 'street')) {
    await ok('POST', '/api/v1/shift-templates', { station_id: st.id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required: st.kind === 'hall' ? 3 : 1 });
  }
  const { context, page, problems } = await openPage(browser, { viewport: DESK, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/${week}`);
    await uiLogin(page);
    await page.click(T('roster-generate'));
    await page.waitForSelector(T('gen-form'));
    await page.fill(T('gen-from'), week);
    await page.fill(T('gen-to'), addDays(week, 6));
    await page.click(T('gen-run'));
    await page.waitForSelector(T('gen-away'));
    await page.locator(T('gen-result')).screenshot({ path: join(SHOTS, 'gen-away.png') });
    const r = await ok('GET', `/api/v1/shifts?from=${week}&to=${addDays(week, 6)}&limit=500`);
    assert.ok(r.items.length > 0, 'generated');
    assert.match(await text(page, 'gen-away'), /^离开常驻驻点 [1-9]\d* 班/);
    assert.ok(await page.locator(T('gen-away-reason')).count() > 0, 'the reasons');
    await page.locator(T('gen-result')).screenshot({ path: join(SHOTS, 'gen-away.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the shipped holiday calendar is offered on first use and imported once', async () => {
  const phone = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await phone.page.goto(`${server.url}/#/rosters/setup/holidays`);
    await uiLogin(phone.page);
    await phone.page.waitForSelector(T('hd-offer'));
    assert.ok(await noScroll(phone.page), 'no horizontal scrolling');
    await phone.page.screenshot({ path: join(SHOTS, 'holiday-offer-phone.png'), fullPage: true });
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.context.close();
  }
  const { context, page, problems } = await openPage(browser, { viewport: DESK, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/setup/holidays`);
    await uiLogin(page);
    await page.waitForSelector(T('hd-offer'));
    const offer = await page.textContent(T('hd-offer'));
    assert.match(offer, /导入 2026、2027 年法定节假日与调休/);
    assert.match(offer, /2027：.*以国务院办公厅通知为准/);
    // said plainly: 2027 has the statutory days only (no 调休 days shipped)
    assert.match(await text(page, 'hd-offer-unconfirmed'), /^2027 年只含法定假日：该年的调休上班日（班）以国务院办公厅通知为准，请核对后补充。$/);
    const n = Number((await text(page, 'hd-offer-import')).match(/\d+/)[0]);
    assert.ok(n > 0 && n <= 52, `offers the days not entered yet (${n})`);
    await page.screenshot({ path: join(SHOTS, 'holiday-offer.png') });
    await page.click(T('hd-offer-import'));
    await page.waitForSelector(T('hd-offer'), { state: 'detached' });
    assert.match(await text(page, 'toast'), new RegExp(`已导入 ${n} 天`));
    await page.fill(T('hd-year'), '2026');
    await page.dispatchEvent(T('hd-year'), 'change');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length >= 39);
    assert.match(await text(page, 'hd-summary'), /2026 年：放假 \d+ 天，调休上班 \d+ 天/);
    assert.equal(await page.locator(T('hd-unconfirmed')).count(), 0, 'no notice over the complete 2026');
    // a second visit offers nothing
    await page.reload();
    await page.waitForSelector(T('hd-table'));
    await page.waitForTimeout(300);
    assert.equal(await page.locator(T('hd-offer')).count(), 0);

    // 2027: the notice stays after the import, with a button for a 班 day
    await page.fill(T('hd-year'), '2027');
    await page.dispatchEvent(T('hd-year'), 'change');
    await page.waitForSelector(T('hd-unconfirmed'));
    assert.match(await text(page, 'hd-unconfirmed'), /^2027 年的调休上班日以国务院办公厅通知为准，请核对后补充。 随系统提供的 2027 年日历只有法定假日/);
    await page.waitForFunction(() => document.querySelectorAll('[data-test="hd-row"]').length > 0);
    const before = await page.locator(T('hd-row')).count();
    assert.equal(await page.locator(`${T('hd-row')} .hd-work`).count(), 0, 'no 班 day shipped for 2027');
    await page.screenshot({ path: join(SHOTS, 'holiday-2027-unconfirmed.png') });
    await page.click(T('hd-unconfirmed-add'));
    await page.waitForSelector(T('hd-dialog'));
    assert.match(await page.textContent(`${T('hd-dialog')} .dialog-title`), /调休上班日（班）/);
    assert.equal(await page.inputValue(T('hd-kind')), 'workday', 'the dialog opens for a 班 day');
    assert.ok(await page.locator(T('hd-to')).isHidden(), 'one day at a time, no range');
    // a test date only: the real 2027 make-up days are not known
    await page.fill(T('hd-date'), '2027-03-06');
    await page.fill(T('hd-name'), '测试调休上班');
    await page.selectOption(T('hd-as_weekday'), '5');
    await page.click(T('hd-save'));
    await page.waitForSelector(T('hd-dialog'), { state: 'detached' });
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="hd-row"]').length === n + 1, before);
    const row = page.locator(T('hd-row')).filter({ hasText: '2027-03-06' });
    assert.match(await row.textContent(), /班.*测试调休上班.*按周五排班/);
    const made = (await ok('GET', '/api/v1/holidays?year=2027')).items.find((x) => x.date === '2027-03-06');
    assert.deepEqual([made.kind, made.as_weekday], ['workday', 5]);
    // the toolbar has the same button beside 新增日期
    assert.match(await text(page, 'hd-add-workday'), /调休上班日（班）/);
    await page.screenshot({ path: join(SHOTS, 'holiday-2027-workday-added.png') });
    await ok('DELETE', `/api/v1/holidays/${made.id}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // the notice and both buttons on a phone
  const ph = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    await ph.page.goto(`${server.url}/#/rosters/setup/holidays`);
    await uiLogin(ph.page);
    await ph.page.waitForSelector(T('hd-year'));
    await ph.page.fill(T('hd-year'), '2027');
    await ph.page.dispatchEvent(T('hd-year'), 'change');
    await ph.page.waitForSelector(T('hd-unconfirmed'));
    assert.ok(await noScroll(ph.page), 'no horizontal scrolling');
    await ph.page.screenshot({ path: join(SHOTS, 'holiday-2027-unconfirmed-phone.png'), fullPage: true });
    assert.deepEqual(ph.problems, []);
  } finally {
    await ph.context.close();
  }
});

// Issue 13: approving leave over assigned shifts says which shifts now
// need cover (count and list); each 改派 opens the assign dialog of that
// shift over its week, where only counsellors free then can be chosen.
// Desktop and 390 px.
test('approving leave lists the shifts that need cover; 改派 opens the assign dialog offering only the free', async () => {
  const week = addDays(MONDAY, 35);
  const [c, busy] = [people[people.length - 1], people[people.length - 2]];
  const tk = await account(c, 'r2-cover');
  const day = addDays(week, 1);
  const s1 = await ok('POST', '/api/v1/shifts', { station_id: stations[0].id, counsellor_id: c.id, start: at(day, '09:00'), end: at(day, '12:00') });
  const s2 = await ok('POST', '/api/v1/shifts', { station_id: stations[1].id, counsellor_id: c.id, start: at(day, '14:00'), end: at(day, '17:00') });
  await ok('POST', '/api/v1/shifts', { station_id: stations[2].id, counsellor_id: busy.id, start: at(day, '09:00'), end: at(day, '12:00') });
  await ok('POST', '/api/v1/me/availability', { start: at(day, '00:00'), end: at(day, '23:00'), reason: '病假' }, tk);
  const { context, page, problems } = await openPage(browser, { viewport: DESK, expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(`${server.url}/#/rosters/setup/leave`);
    await uiLogin(page);
    const row = page.locator(T('leave-row')).filter({ hasText: c.name }).filter({ hasText: '病假' });
    await row.waitFor();
    await row.locator(T('leave-approve')).click();
    await page.click(T('leave-decide-ok'));
    await page.waitForSelector(T('leave-cover-dialog'));
    assert.match(await page.textContent(`${T('leave-cover-dialog')} .dialog-title`), /需要顶班的班次（2 个）/);
    assert.match(await text(page, 'leave-cover-lead'), new RegExp(`${c.name} 请假期间已排的 2 个班次需要改派`));
    const items = page.locator(T('leave-cover-item'));
    assert.deepEqual(await items.evaluateAll((xs) => xs.map((x) => Number(x.dataset.id))), [s1.id, s2.id]);
    assert.match(await items.nth(0).textContent(), new RegExp(`09:00.*12:00.*${stations[0].name}.*改派`));
    assert.match(await items.nth(1).textContent(), new RegExp(`14:00.*17:00.*${stations[1].name}`));
    await page.locator(T('leave-cover-dialog')).screenshot({ path: join(SHOTS, 'leave-cover.png') });
    // 改派 of the first: the week grid with that shift's assign dialog
    await items.nth(0).locator(T('leave-cover-assign')).click();
    await page.waitForSelector(T('shift-dialog'));
    assert.equal(new URL(page.url()).hash, `#/rosters/${week}`, 'the link has done its work');
    assert.match(await text(page, 'shift-station'), new RegExp(stations[0].name));
    assert.match(await text(page, 'shift-leave-notice'), /请假/);
    // the busy colleague and the one on leave are marked; only the free can be chosen
    await page.waitForSelector(`${T('shift-counsellor')} option[value="${busy.id}"][data-busy]`, { state: 'attached' });
    const free = new Map((await ok('GET', `/api/v1/rosters/free?shift_id=${s1.id}`)).items.map((x) => [x.counsellor_id, x.free]));
    const opts = await page.locator(`${T('shift-counsellor')} option`).evaluateAll((xs) => xs.map((o) => [o.value, o.disabled]));
    assert.equal(free.get(c.id), false);
    assert.equal(free.get(busy.id), false);
    for (const [v, disabled] of opts) {
      if (v === '' || Number(v) === c.id) continue; // unassigned; the current holder stays selectable as is
      assert.equal(disabled, free.get(Number(v)) !== true, `option ${v}: disabled exactly when not free`);
    }
    assert.ok(opts.some(([v, disabled]) => v !== '' && !disabled && Number(v) !== c.id), 'someone free to choose');
    await page.locator(T('shift-dialog')).screenshot({ path: join(SHOTS, 'leave-cover-assign.png') });
    // give it to a free colleague
    const pick = opts.find(([v, disabled]) => v !== '' && !disabled && Number(v) !== c.id)[0];
    await page.selectOption(T('shift-counsellor'), pick);
    await page.click(T('shift-save'));
    await page.waitForSelector(T('shift-dialog'), { state: 'detached' });
    const after = (await ok('GET', `/api/v1/shifts?from=${day}&to=${day}&limit=100`)).items.find((x) => x.id === s1.id);
    assert.equal(after.counsellor_id, Number(pick));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // a phone: a second request, approved, the list and its links
  const day2 = addDays(week, 2);
  const s3 = await ok('POST', '/api/v1/shifts', { station_id: stations[0].id, counsellor_id: c.id, start: at(day2, '09:00'), end: at(day2, '12:00') });
  await ok('POST', '/api/v1/me/availability', { start: at(day2, '08:00'), end: at(day2, '13:00'), reason: '事假' }, tk);
  const phone = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session']] });
  try {
    const p = phone.page;
    await p.goto(`${server.url}/#/rosters/setup/leave`);
    await uiLogin(p);
    const row = p.locator(T('leave-row')).filter({ hasText: '事假' }).filter({ hasText: c.name });
    await row.waitFor();
    await row.locator(T('leave-approve')).click();
    await p.click(T('leave-decide-ok'));
    await p.waitForSelector(T('leave-cover-dialog'));
    assert.equal(await p.locator(T('leave-cover-item')).count(), 1);
    assert.ok(await noScroll(p), 'no horizontal scrolling');
    const box = await p.locator(T('leave-cover-assign')).boundingBox();
    assert.ok(box.height >= 44, `a finger-sized link (${box.height} px)`);
    await p.screenshot({ path: join(SHOTS, 'leave-cover-phone.png') });
    await p.click(T('leave-cover-assign'));
    await p.waitForSelector(T('shift-dialog'));
    assert.match(await p.textContent(T('shift-time')), /09:00/);
    void s3;
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.context.close();
  }
});
