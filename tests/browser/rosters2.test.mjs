// Browser tests of issue 13's roster jobs against the real binary (demo
// data): leave awaiting approval marked in the week grid, approved and
// refused from 请假 (desktop and 390 px); a counsellor picks a colleague's
// shift for a swap from a list by name, station and date and withdraws
// the request (desktop and 390 px); the generator's away-from-home count;
// the shipped holiday calendar offered and imported (desktop and 390 px).
// Run: node --test tests/browser/rosters2.test.mjs   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, root, api, login } from '../lib/harness.mjs';
import { launchChromium, openPage, T, uiLogin } from '../lib/browser.mjs';

const SHOTS = join(root, 'tests/browser/screenshots');
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 1000 };
const H = 3600e3;
const wallDay = (ms = Date.now()) => new Date(ms + 8 * H).toISOString().slice(0, 10);
const addDays = (date, n) => { const d = new Date(`${date}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
const mondayOf = (date) => addDays(date, 1 - (new Date(`${date}T00:00:00Z`).getUTCDay() || 7));
const at = (date, hm) => `${date}T${hm}:00+08:00`;
const MONDAY = addDays(mondayOf(wallDay()), 7); // next week: ahead of now

let server;
let browser;
let token;
let stations;
let people;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ demo: true });
  token = await login(server.url);
  browser = await launchChromium();
  stations = (await call('GET', '/api/v1/stations?limit=50')).body.items.filter((s) => s.active);
  people = (await call('GET', '/api/v1/counsellors?limit=50')).body.items.filter((c) => c.active);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function call(method, path, body, tok = token) {
  return api(server.url, method, path, { token: tok, body });
}
async function ok(method, path, body, tok) {
  const r = await call(method, path, body, tok);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}
async function account(c, username) {
  await ok('POST', `/api/v1/counsellors/${c.id}/account`, { username, password: `${username}-pass-1` });
  return login(server.url, username, `${username}-pass-1`);
}
const text = async (page, id) => ((await page.textContent(T(id))) || '').trim();
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
    // a second visit offers nothing
    await page.reload();
    await page.waitForSelector(T('hd-table'));
    await page.waitForTimeout(300);
    assert.equal(await page.locator(T('hd-offer')).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
