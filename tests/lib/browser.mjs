// What the browser tests (tests/browser/) share: Debian's chromium driven
// by playwright-core, a page that collects what went wrong on it, the
// data-test selector and the console's login form.
import { chromium } from 'playwright-core';
import { ADMIN_PASSWORD } from './harness.mjs';

// playwright-core brings no browser of its own: the system's chromium
// ($CHROMIUM or Debian's /usr/bin/chromium). --no-sandbox: chromium
// will not run as root with its sandbox, and the tests run as root here;
// no GPU either. This machine's network is closed: the other flags stop
// chromium's own traffic (component updates, sync, QUIC, first-run
// fetches), which could only fail, log errors and slow things down.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

// A fresh context and page, Chinese and in Shanghai time like the users,
// whose page errors, dialogs (alert() et al., none is expected: the UI
// asks in-page) and console errors are collected in `problems`; a test
// ends with assert.deepEqual(problems, []).
// Chromium logs every 4xx/5xx fetch as a console error, so `expected`
// lists the HTTP failures a test provokes on purpose, as [status, path].
// `mobile` makes a touch phone; `permissions` are granted for `origin`;
// `init` is a script run in every page before its own.
export async function openPage(browser, {
  viewport = { width: 1280, height: 820 }, expected = [], locale = 'zh-CN', timeout = 10000,
  mobile = false, permissions, origin, init,
} = {}) {
  const context = await browser.newContext({
    viewport, locale, timezoneId: 'Asia/Shanghai',
    ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  if (permissions) await context.grantPermissions(permissions, { origin });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`unexpected ${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    const url = (m.location() && m.location().url) || '';
    const st = /status of (\d{3})/.exec(text);
    if (st && expected.some(([code, path]) => Number(st[1]) === code && url.includes(path))) return;
    problems.push(`console error: ${text} ${url}`);
  });
  return { context, page, problems };
}

// The web pages mark what tests look for with data-test attributes.
export const T = (id) => `[data-test="${id}"]`;

// Fills in and submits the console's login form; waits for nothing (a
// test may expect a refusal).
export async function submitLogin(page, { username = 'admin', password = ADMIN_PASSWORD } = {}) {
  await page.fill(T('login-username'), username);
  await page.fill(T('login-password'), password);
  await page.click(T('login-submit'));
}

// Signs in on the console's login form, shown on the current page, and
// waits until the console greets the user.
export async function uiLogin(page, who) {
  await page.waitForSelector(T('login-form'));
  await submitLogin(page, who);
  await page.waitForSelector(T('user-name'));
}
