// What the browser tests (tests/browser/) share: Debian's chromium driven
// by playwright-core, a file's set-up (server, admin token, chromium), a
// page that collects what went wrong on it, the data-test selector and
// the console's login form.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ADMIN_PASSWORD, api, login, root, startServer } from './harness.mjs';

// Where the browser tests put their screenshots (look at them), and a
// phone's viewport.
export const SHOTS = join(root, 'tests/browser/screenshots');
export const PHONE = { width: 390, height: 844 };

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

// What startSuite started, for stopSuite (one file runs in one process).
const started = [];

// The set-up of a browser test file, for its before(): the screenshot
// folder, a server (startServer's options: { demo: true } for the demo
// stations and counsellors), the admin's token and chromium. Returns
// { server, browser, token, call, ok }: call(method, path, body, tok) is
// the API as the admin (or as tok), ok(…) the same asserting a 2xx and
// answering the body.
export async function startSuite(opts = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const server = await startServer(opts);
  started.push(server);
  const token = await login(server.url);
  const browser = await launchChromium();
  started.push(browser);
  const call = (method, path, body, tok = token) => api(server.url, method, path, { token: tok, body });
  const ok = async (method, path, body, tok) => {
    const r = await call(method, path, body, tok);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  return { server, browser, token, call, ok };
}

// The after() of a file set up by startSuite: chromium, then the server.
export async function stopSuite() {
  while (started.length) {
    const x = started.pop();
    await (x.stop ? x.stop() : x.close());
  }
}

// The active stations and counsellors (the demo's), as the admin sees them.
export async function activeRoster(call) {
  const stations = (await call('GET', '/api/v1/stations?limit=50')).body.items.filter((s) => s.active);
  const people = (await call('GET', '/api/v1/counsellors?limit=50')).body.items.filter((c) => c.active);
  return { stations, people };
}

// The trimmed text of T(id) on a page ('' when it has none).
export const textOf = async (page, id) => ((await page.textContent(T(id))) || '').trim();

// Shanghai wall-clock dates (the users' days): today's (or ms's) date,
// n days on, the Monday of a date's week, and a date's hh:mm as RFC 3339.
const H = 3600e3;
export const wallDay = (ms = Date.now()) => new Date(ms + 8 * H).toISOString().slice(0, 10);
export const addDays = (date, n) => { const d = new Date(`${date}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
export const mondayOf = (date) => addDays(date, 1 - (new Date(`${date}T00:00:00Z`).getUTCDay() || 7));
export const dayAt = (date, hm) => `${date}T${hm}:00+08:00`;
// The Shanghai time ms from now, to the minute, as RFC 3339.
export const fromNow = (ms) => {
  const t = Math.floor((Date.now() + ms) / 60e3) * 60e3;
  return `${new Date(t + 8 * H).toISOString().slice(0, 19)}+08:00`;
};

// Waits for the console's toast to say re; and until no toast shows
// (before a screenshot), its fade included.
export const toastSays = (page, re) => page.waitForFunction((src) => {
  const el = document.querySelector('[data-test="toast"]');
  return el && el.classList.contains('toast-show') && new RegExp(src).test(el.textContent);
}, re.source);
export const noToast = (page) => page.waitForFunction(() => {
  const el = document.querySelector('[data-test="toast"]');
  return !el || !el.classList.contains('toast-show');
}, null, { timeout: 8000 }).then(() => page.waitForTimeout(300));
