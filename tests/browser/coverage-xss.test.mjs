// Issue 17, point 6: station names went unescaped into the coverage heat
// map's HTML tooltip (only the CSP stopped the payload). A station named
// like an <img> tag shows as text; no element is made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, root, api, login } from '../lib/harness.mjs';
import { launchChromium, openPage, T, uiLogin } from '../lib/browser.mjs';

const SHOTS = join(root, 'tests/browser/screenshots');
const XSS = '<img src=x onerror=alert(1)>';
let server, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  const token = await login(server.url);
  const call = (m, p, b) => api(server.url, m, p, { token, body: b });
  const st = await call('POST', '/api/v1/stations', { code: 'XSS', name: XSS, kind: 'street', address: '', timezone: 'Asia/Shanghai' });
  assert.equal(st.status, 201, st.text);
  const tpl = await call('POST', '/api/v1/shift-templates', { station_id: st.body.id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', required: 1 });
  assert.equal(tpl.status, 201, tpl.text);
  // coverage counts from the roster's first day (issue 13): one open seat
  const sh = await call('POST', '/api/v1/shifts', { station_id: st.body.id, start: '2027-03-01T09:00:00+08:00', end: '2027-03-01T12:00:00+08:00' });
  assert.equal(sh.status, 201, sh.text);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the heat map tooltip shows a station name as text, at desktop and 390 px', async () => {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 820 }], ['phone', { width: 390, height: 844 }]]) {
    const { context, page, problems } = await openPage(browser, { viewport, expected: [[401, '/api/v1/session']] });
    try {
      await page.goto(`${server.url}/#/coverage/2027-03-01/2027-03-07`);
      await uiLogin(page);
      await page.waitForFunction(() => document.querySelector('[data-test="cov-heatmap"] canvas'));
      const before = await page.locator('img').count();
      // Show the tooltip of the first cell, as a pointer over it would.
      const tip = await page.evaluate(() => {
        const box = document.querySelector('[data-test="cov-heatmap"]');
        const chart = window.echarts.getInstanceByDom(box);
        chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
        return new Promise((res) => setTimeout(() => {
          // ECharts' tooltip: an absolutely placed div in the chart box.
          const el = [...box.querySelectorAll('div')].find((d) => d.style.position === 'absolute' && d.textContent.includes('onerror'));
          res(el ? { text: el.textContent, imgs: el.querySelectorAll('img').length } : null);
        }, 400));
      });
      assert.ok(tip, 'the tooltip is shown');
      assert.ok(tip.text.includes(XSS), `the name as text: ${tip.text}`);
      assert.equal(tip.imgs, 0, 'no element made from the name');
      assert.equal(await page.locator('img').count(), before, 'no image anywhere');
      await page.locator(T('cov-heatmap')).screenshot({ path: join(SHOTS, `coverage-tooltip-${name}.png`) });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});
