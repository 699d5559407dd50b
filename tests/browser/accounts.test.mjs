// Sign-ins in the console (issue 17 point 2, issue 13 point 2): the
// counsellor form creates a sign-in (a weak password is refused with the
// reason), resets its password (shown once), disables and enables it; a
// counsellor changes their own password on 我的排班. Desktop and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api } from '../lib/harness.mjs';
import { startSuite, stopSuite, SHOTS, PHONE, openPage, T, uiLogin } from '../lib/browser.mjs';

let server, browser, token, counsellor;

before(async () => {
  ({ server, browser, token } = await startSuite({ demo: true }));
  counsellor = (await api(server.url, 'GET', '/api/v1/counsellors?limit=5', { token })).body.items[1];
});

after(stopSuite);

const signIn = (username, password) => api(server.url, 'POST', '/api/v1/session', { body: { username, password } });

test('the counsellor form creates, resets, disables and enables a sign-in', async () => {
  const { context, page, problems } = await openPage(browser, { expected: [[401, '/api/v1/session'], [422, '/account']] });
  try {
    await page.goto(`${server.url}/#/counsellors`);
    await uiLogin(page);
    const row = page.locator(`${T('counsellor-row')}[data-id="${counsellor.id}"]`);
    await row.locator(T('counsellor-edit')).click();
    await page.waitForSelector(T('account-create'));
    // A common password: refused with the server's reason, in Chinese.
    await page.fill(T('account-username-input'), 'ui_counsellor');
    await page.fill(T('account-password-input'), 'password123');
    await page.click(T('account-create'));
    await page.waitForSelector(`${T('account-section')} [data-field="password"].has-error`);
    assert.match(await page.textContent(`${T('account-section')} ${T('error-password')}`), /常见密码/);
    await page.fill(T('account-password-input'), 'ui-first-password-7');
    await page.click(T('account-create'));
    await page.waitForSelector(T('account-state'));
    assert.equal(await page.textContent(T('account-state')), '可以登录');
    assert.match(await page.textContent(T('account-username')), /ui_counsellor/);
    assert.equal((await signIn('ui_counsellor', 'ui-first-password-7')).status, 200);
    await page.screenshot({ path: join(SHOTS, 'account-form.png') });

    // Reset: the new password once, in a dialog.
    await page.click(T('account-reset'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(T('account-password-dialog'));
    const fresh = await page.inputValue(T('account-new-password'));
    assert.ok(fresh.length >= 10, fresh);
    await page.screenshot({ path: join(SHOTS, 'account-reset.png') });
    await page.click(T('account-password-close'));
    assert.equal((await signIn('ui_counsellor', 'ui-first-password-7')).status, 401, 'the old password stops');
    assert.equal((await signIn('ui_counsellor', fresh)).status, 200, 'the new one works');

    // Disable, then enable.
    await page.click(T('account-disable'));
    await page.click(T('confirm-ok'));
    await page.waitForSelector(`${T('account-state')}.badge-off`);
    assert.equal(await page.textContent(T('account-state')), '已停用，不能登录');
    assert.equal((await signIn('ui_counsellor', fresh)).status, 401, 'disabled');
    await page.click(T('account-enable'));
    await page.waitForSelector(`${T('account-state')}.badge-on`);
    assert.equal((await signIn('ui_counsellor', fresh)).status, 200, 'enabled again');
    counsellor.password = fresh;
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a counsellor changes their own password on 我的排班 (390 px)', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: PHONE, mobile: true, expected: [[401, '/api/v1/session'], [422, '/me/password']] });
  try {
    await page.goto(`${server.url}/#/me`);
    await uiLogin(page, { username: 'ui_counsellor', password: counsellor.password });
    await page.click(T('me-password'));
    await page.waitForSelector(T('password-form'));
    await page.fill('#pw-old_password', 'not-my-password-1');
    await page.fill('#pw-new_password', 'my-own-new-pass-42');
    await page.fill('#pw-again', 'my-own-new-pass-42');
    await page.click(T('password-save'));
    await page.waitForSelector('[data-field="old_password"].has-error');
    assert.match(await page.textContent(T('error-old_password')), /原密码不对/);
    await page.fill('#pw-old_password', counsellor.password);
    await page.fill('#pw-again', 'something-else-42');
    await page.click(T('password-save'));
    await page.waitForSelector('[data-field="again"].has-error');
    await page.fill('#pw-again', 'my-own-new-pass-42');
    await page.screenshot({ path: join(SHOTS, 'password-phone.png') });
    const box = await page.locator(T('password-save')).boundingBox();
    assert.ok(box.height >= 40, `a big touch target: ${box.height}px`);
    await page.click(T('password-save'));
    await page.waitForSelector(`${T('toast')}.toast-show`);
    assert.equal(await page.textContent(T('toast')), '密码已修改');
    assert.equal((await signIn('ui_counsellor', 'my-own-new-pass-42')).status, 200, 'the new password');
    assert.equal((await signIn('ui_counsellor', counsellor.password)).status, 401, 'not the old one');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
