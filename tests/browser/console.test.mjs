// Browser test of the coordinator console (web/) against the real binary:
// login, stations, counsellors, overview chart, language switch, escaping.
// Run: node --test tests/browser/   (HEARTH_BIN defaults to build/hearth)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api, login } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, openPage, T, submitLogin } from '../lib/browser.mjs';

const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;

before(async () => {
  ({ server, browser } = await startSuite());
});

after(stopSuite);

async function addStation(page, { code, name, kind, address }) {
  await page.click(T('station-add'));
  await page.fill(T('station-code'), code);
  await page.fill(T('station-name'), name);
  await page.selectOption(T('station-kind'), kind);
  if (address) await page.fill(T('station-address'), address);
  assert.equal(await page.inputValue(T('station-timezone')), 'Asia/Shanghai');
  await page.click(T('station-save'));
}

test('coordinator adds a station and a counsellor, sees the chart, switches language', async () => {
  // The session probe on load answers 401; one wrong password; one duplicate code.
  const { context, page, problems } = await openPage(browser, {
    expected: [[401, '/api/v1/session'], [409, '/api/v1/stations']],
  });
  try {
    await page.goto(server.url + '/');
    await page.waitForSelector(T('login-form'));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.textContent('.login-card'), /Hearth 心访排班/);
    await page.screenshot({ path: join(SHOTS, 'login.png'), fullPage: true });

    // wrong password → Chinese message
    await submitLogin(page, { password: 'not the password' });
    await page.waitForSelector(`${T('login-error')}:not([hidden])`);
    assert.equal((await page.textContent(T('login-error'))).trim(), '用户名或密码错误');

    await submitLogin(page);
    await page.waitForSelector(T('user-name'));
    assert.equal((await page.textContent(T('user-name'))).trim(), 'admin');
    assert.equal((await page.textContent(T('page-title'))).trim(), '总览');

    // stations: empty state, add two, duplicate code refused next to the field
    await page.click(T('nav-stations'));
    await page.waitForFunction(() => location.hash === '#/stations');
    // the view renders after the hash changes: wait for its title
    await page.waitForFunction(() => document.querySelector('[data-test="page-title"]')?.textContent.trim() === '驻点');
    await page.waitForSelector(T('empty'));
    assert.match(await page.textContent(T('empty')), /暂无数据/);

    await addStation(page, { code: 'FT-01', name: '福田区人民来访接待厅', kind: 'hall', address: '深圳市福田区福华三路 88 号' });
    await page.waitForSelector(`${T('stations-table')} >> text=福田区人民来访接待厅`);
    await addStation(page, { code: 'FT-02', name: '园岭街道心访工作点', kind: 'street' });
    await page.waitForSelector(`${T('stations-table')} >> text=园岭街道心访工作点`);

    await addStation(page, { code: 'ft-01', name: '重复代码', kind: 'service_point' });
    await page.waitForSelector(`${T('error-code')}:has-text("驻点代码已存在")`);
    // what was typed is not thrown away without asking
    await page.click(T('station-cancel'));
    assert.equal(await page.textContent(T('confirm-text')), '填写的内容还没有保存，确定放弃吗？');
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('station-dialog'), { state: 'detached' });

    const rows = page.locator(`${T('stations-table')} tbody tr`);
    assert.equal(await rows.count(), 2);
    const first = await rows.first().textContent();
    for (const word of ['FT-01', '福田区人民来访接待厅', '大厅', 'Asia/Shanghai', '启用']) assert.ok(first.includes(word), `row shows ${word}: ${first}`);
    assert.ok((await rows.nth(1).textContent()).includes('街道'));

    // deactivate with confirmation, filter, re-activate
    await rows.nth(1).locator(T('station-deactivate')).click();
    await page.click(T('confirm-ok'));
    await page.waitForSelector(`${T('stations-table')} tbody tr:nth-child(2) >> text=停用`);
    await page.selectOption(T('station-filter'), 'true');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="stations-table"] tbody tr').length === 1);
    await page.selectOption(T('station-filter'), 'all');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="stations-table"] tbody tr').length === 2);
    await rows.nth(1).locator(T('station-activate')).click();
    await page.waitForSelector(`${T('stations-table')} tbody tr:nth-child(2) ${T('station-deactivate')}`);

    // search
    await page.fill(T('station-search'), '园岭');
    await page.press(T('station-search'), 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="stations-table"] tbody tr').length === 1);
    await page.fill(T('station-search'), '');
    await page.press(T('station-search'), 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="stations-table"] tbody tr').length === 2);
    await page.screenshot({ path: join(SHOTS, 'stations-zh.png'), fullPage: true });

    // counsellor with that home station
    await page.click(T('nav-counsellors'));
    await page.waitForSelector(T('counsellor-add'));
    await page.click(T('counsellor-add'));
    await page.fill(T('counsellor-name'), '李心怡');
    await page.fill(T('counsellor-email'), 'li.xinyi@example.org');
    await page.fill(T('counsellor-phone'), '+86 138 0000 0000');
    await page.selectOption(T('counsellor-station'), { label: '福田区人民来访接待厅（FT-01）' });
    await page.fill(T('counsellor-hours'), '24');
    assert.equal(await page.isChecked(T('counsellor-weekly-mail')), true, 'weekly duty e-mail on by default');
    await page.screenshot({ path: join(SHOTS, 'counsellor-form-zh.png') });
    await page.click(T('counsellor-save'));
    const crow = page.locator(`${T('counsellors-table')} tbody tr`, { hasText: '李心怡' });
    await crow.waitFor();
    assert.equal((await crow.locator(T('counsellor-cell-station')).textContent()).trim(), '福田区人民来访接待厅');
    assert.match(await crow.textContent(), /24 小时/);

    // reset the feed link
    await crow.locator(T('counsellor-rotate')).click();
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('feed-url'));
    assert.match(await page.inputValue(T('feed-url')), /\/feeds\/counsellors\/[^/]+\.ics$/);
    await page.screenshot({ path: join(SHOTS, 'counsellors-rotate-zh.png') });
    await page.click(T('rotate-close'));

    // overview: counts and the ECharts canvas
    await page.click(T('nav-overview'));
    await page.waitForSelector(`${T('chart-counsellors-per-station')} canvas`);
    assert.equal((await page.textContent(T('stat-stations'))).trim(), '2');
    assert.equal((await page.textContent(T('stat-counsellors'))).trim(), '1');
    await page.waitForTimeout(700); // let the bar animation finish
    const painted = await page.$eval(`${T('chart-counsellors-per-station')} canvas`, (c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
      return { w: c.width, h: c.height, n };
    });
    assert.ok(painted.w > 200 && painted.h > 100, `canvas size ${painted.w}x${painted.h}`);
    assert.ok(painted.n > 1000, `canvas has ${painted.n} painted pixels`);
    await page.screenshot({ path: join(SHOTS, 'overview-zh.png'), fullPage: true });

    // FullCalendar is loaded for later views, with its zh-cn locale and its
    // icon font (a data: URL, allowed by the CSP's font-src)
    const fc = await page.evaluate(async () => {
      const el = document.createElement('div');
      document.body.appendChild(el);
      const cal = new window.FullCalendar.Calendar(el, { locale: 'zh-cn', initialView: 'dayGridMonth' });
      cal.render();
      await document.fonts.ready;
      const today = el.querySelector('.fc-today-button').textContent;
      const icon = getComputedStyle(el.querySelector('.fc-icon')).fontFamily;
      const loaded = [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'fcicons' && f.status === 'loaded');
      cal.destroy();
      el.remove();
      return { today, icon, loaded };
    });
    assert.deepEqual(fc, { today: '今天', icon: 'fcicons', loaded: true });

    // English, kept across a reload
    await page.click(T('lang-en'));
    await page.waitForSelector(`${T('nav-stations')}:has-text("Stations")`);
    assert.equal((await page.textContent(T('page-title'))).trim(), 'Overview');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click(T('nav-stations'));
    await page.waitForSelector(`${T('stations-table')} >> text=Reception hall`);
    assert.match(await page.textContent(T('station-add')), /Add station/);
    assert.match(await page.textContent(`${T('stations-table')} thead`), /Code/);
    await page.screenshot({ path: join(SHOTS, 'stations-en.png'), fullPage: true });

    await page.reload();
    await page.waitForSelector(T('stations-table'));
    assert.equal((await page.textContent(T('nav-stations'))).trim(), 'Stations');
    assert.equal((await page.textContent(T('page-title'))).trim(), 'Stations');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    // phone width: stacked layout, no horizontal scrolling of the page
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at phone width`);
    await page.screenshot({ path: join(SHOTS, 'stations-en-phone.png'), fullPage: true });
    await page.click(T('lang-zh'));
    await page.waitForSelector(`${T('nav-stations')}:has-text("驻点")`);
    await page.screenshot({ path: join(SHOTS, 'stations-zh-phone.png'), fullPage: true });

    // logout returns to the login page
    await page.click(T('logout'));
    await page.waitForSelector(T('login-form'));

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('names are shown as text, never as markup', async () => {
  const token = await login(server.url);
  const s = await api(server.url, 'POST', '/api/v1/stations', { token, body: { code: 'XSS-1', name: XSS, kind: 'service_point', address: XSS } });
  assert.equal(s.status, 201, s.text);
  const c = await api(server.url, 'POST', '/api/v1/counsellors', { token, body: { name: XSS, email: 'x@example.org', home_station_id: s.body.id } });
  assert.equal(c.status, 201, c.text);

  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session']] });
  try {
    await page.goto(server.url + '/#/stations');
    await page.waitForSelector(T('login-form'));
    await submitLogin(page);
    await page.waitForSelector(T('stations-table'));
    const cell = page.locator(`${T('station-row')}[data-id="${s.body.id}"] ${T('station-cell-name')}`);
    assert.equal(await cell.textContent(), XSS);
    assert.equal(await page.locator('main img').count(), 0);

    await page.click(T('nav-counsellors'));
    const crow = page.locator(`${T('counsellor-row')}[data-id="${c.body.id}"]`);
    await crow.waitFor();
    assert.equal(await crow.locator(T('counsellor-cell-name')).textContent(), XSS);
    assert.equal(await crow.locator(T('counsellor-cell-station')).textContent(), XSS);
    await crow.locator(T('counsellor-edit')).click();
    const option = await page.$eval(`${T('counsellor-station')} option:checked`, (o) => o.textContent);
    assert.equal(option, `${XSS}（XSS-1）`);
    await page.click(T('counsellor-cancel'));
    assert.equal(await page.locator('img:not(.brand-mark)').count(), 0);

    await page.click(T('nav-overview'));
    await page.waitForSelector(`${T('chart-counsellors-per-station')} canvas`);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('img:not(.brand-mark)').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('too many failed logins show the rate-limit message', async () => {
  const own = await startServer(); // its own server: the limit is per client address
  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session'], [429, '/api/v1/session']] });
  try {
    await page.goto(own.url + '/');
    await page.waitForSelector(T('login-form'));
    let text = '';
    for (let i = 0; i < 8 && !text.includes('过多'); i++) {
      await submitLogin(page, { password: `wrong ${i}` });
      await page.waitForFunction(() => {
        const b = document.querySelector('[data-test="login-submit"]');
        const e = document.querySelector('[data-test="login-error"]');
        return b && !b.disabled && e && !e.hidden;
      });
      text = await page.textContent(T('login-error'));
    }
    assert.match(text, /登录失败次数过多/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await own.stop();
  }
});
