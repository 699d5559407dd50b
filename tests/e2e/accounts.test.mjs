// Accounts and sign-in limits (issue 17, points 2, 3 and 9; issue 13,
// point 4): failures counted per account and per address, a success that
// never clears the address's count, every sign-in event audited;
// deactivating a counsellor ends their account, sessions and feed; a
// coordinator disables, enables and resets any account; a user changes
// their own password; the password rule for every password.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, run, ADMIN_PASSWORD } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const signIn = (url, username, password) => api(url, 'POST', '/api/v1/session', { body: { username, password } });
const CHINESE = /[\u4e00-\u9fff]/;

async function withAccounts(s, token, names) {
  const cs = (await api(s.url, 'GET', '/api/v1/counsellors?limit=500', { token })).body.items;
  const out = {};
  let i = 1;
  for (const name of names) {
    const c = cs[i++];
    const pw = `${name}-secret-pass-9`;
    const r = await api(s.url, 'POST', `/api/v1/counsellors/${c.id}/account`, { token, body: { username: name, password: pw } });
    expectStatus(r, 201, `account ${name}`);
    out[name] = { counsellor: c, password: pw, user: r.body };
  }
  return out;
}

describe('sign-in limits per account and per address', () => {
  let s, token, acc;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    acc = await withAccounts(s, token, ['wang_li']);
  });
  after(async () => { await s.stop(); });

  test("five wrong passwords by one counsellor lock that account, never admin's", async () => {
    for (let i = 0; i < 5; i++) expectError(await signIn(s.url, 'wang_li', `not-it-${i}`), 401, 'unauthorized');
    const locked = await signIn(s.url, 'wang_li', acc.wang_li.password);
    expectError(locked, 429, 'rate_limited');
    const ra = Number(locked.headers.get('retry-after'));
    assert.ok(ra > 0 && ra <= 15 * 60, `Retry-After within the window: ${ra}`);
    assert.match(locked.body.error.message, CHINESE);
    // The same address signs in as admin: another account is not locked.
    expectStatus(await signIn(s.url, 'admin', ADMIN_PASSWORD), 200, 'admin from the same address');
    // The name is compared as the database does (ASCII case folded).
    expectError(await signIn(s.url, 'WANG_LI', acc.wang_li.password), 429, 'rate_limited');
  });

  test('every sign-in event is in the audit log: success, failure, locked, logout', async () => {
    const t = await login(s.url);
    expectStatus(await api(s.url, 'DELETE', '/api/v1/session', { token: t }), 204, 'logout');
    const r = await api(s.url, 'GET', '/api/v1/audit?entity=session&limit=500', { token });
    expectStatus(r, 200, 'audit');
    const actions = new Set(r.body.items.map((x) => x.action));
    for (const a of ['login', 'login_failed', 'login_locked', 'logout']) assert.ok(actions.has(a), `audit has ${a}: ${[...actions]}`);
    const failed = r.body.items.find((x) => x.action === 'login_failed');
    const detail = typeof failed.detail === 'string' ? JSON.parse(failed.detail) : failed.detail;
    assert.equal(detail.username, 'wang_li');
    assert.equal(detail.client, '127.0.0.1');
    assert.ok(!JSON.stringify(r.body).includes('not-it-'), 'no typed password is recorded');
  });
});

describe('a success never clears the per-address count', () => {
  let s, token, acc;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    acc = await withAccounts(s, token, ['li_na']);
  });
  after(async () => { await s.stop(); });

  test("4 admin guesses, sign in as oneself, repeat: admin locks after the fifth guess", async () => {
    let guesses = 0, refused = null;
    for (let round = 0; round < 4 && !refused; round++) {
      for (let i = 0; i < 4; i++) {
        const r = await signIn(s.url, 'admin', `guess-${round}-${i}`);
        if (r.status === 429) { refused = guesses; break; }
        expectError(r, 401, 'unauthorized');
        guesses++;
      }
      if (!refused) expectStatus(await signIn(s.url, 'li_na', acc.li_na.password), 200, 'own sign-in');
    }
    assert.equal(refused, 5, `the sixth admin guess is refused (before: 40 guesses went through); refused after ${refused}`);
  });

  test('spraying many names from one address stops at the per-address cap (50 a window)', async () => {
    // 4 guesses per name never lock a name; the address cap must.
    let n = 0, status = 0;
    for (let name = 0; name < 20 && status !== 429; name++) {
      for (let i = 0; i < 4; i++) {
        const r = await signIn(s.url, `spray${name}`, `password-${i}`);
        status = r.status;
        if (status === 429) break;
        expectError(r, 401, 'unauthorized');
        n++;
      }
    }
    assert.equal(status, 429, 'the address is stopped');
    // 5 admin failures of the test before count for the address too.
    assert.ok(n + 5 === 50, `stopped at the 50th failure of the address (${n} here + 5 before)`);
    // Now even a right password from this address is refused.
    expectError(await signIn(s.url, 'li_na', acc.li_na.password), 429, 'rate_limited');
  });
});

describe('deactivating a counsellor ends their account, sessions and feed at once', () => {
  let s, token, acc, tk, feed;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    acc = await withAccounts(s, token, ['zhao_min']);
    tk = await login(s.url, 'zhao_min', acc.zhao_min.password);
    feed = new URL(acc.zhao_min.counsellor.feed_url).pathname;
    expectStatus(await api(s.url, 'GET', feed), 200, 'feed before');
    expectStatus(await api(s.url, 'GET', '/api/v1/me', { token: tk }), 200, 'session before');
  });
  after(async () => { await s.stop(); });

  test('session, sign-in, feed, leave and swap requests all stop', async () => {
    const id = acc.zhao_min.counsellor.id;
    expectStatus(await api(s.url, 'DELETE', `/api/v1/counsellors/${id}`, { token }), 200, 'deactivate');
    expectError(await api(s.url, 'GET', '/api/v1/me', { token: tk }), 401, 'unauthorized');
    expectError(await api(s.url, 'POST', '/api/v1/me/availability', { token: tk, body: { start: '2027-10-20T09:00:00+08:00', end: '2027-10-20T12:00:00+08:00', reason: '年假' } }), 401, 'unauthorized');
    expectError(await api(s.url, 'POST', '/api/v1/swap-requests', { token: tk, body: { shift_id: 1, other_shift_id: 2 } }), 401, 'unauthorized');
    expectError(await signIn(s.url, 'zhao_min', acc.zhao_min.password), 401, 'unauthorized');
    const f = await api(s.url, 'GET', feed);
    assert.ok(f.status === 404 || f.status === 410, `feed stops: ${f.status}`);
    assert.match(f.body.error.message, CHINESE);
    const a = await api(s.url, 'GET', `/api/v1/counsellors/${id}/account`, { token });
    expectStatus(a, 200, 'account');
    assert.equal(a.body.account.active, false, 'the account is disabled');
    assert.equal(a.body.account.username, 'zhao_min');
    const none = await api(s.url, 'GET', `/api/v1/counsellors/${acc.zhao_min.counsellor.id + 1}/account`, { token });
    expectStatus(none, 200, 'a counsellor without a sign-in');
    assert.equal(none.body.account, null);
  });

  test('enabling the counsellor again leaves the account to the coordinator; enable, then sign in', async () => {
    const id = acc.zhao_min.counsellor.id;
    const user = acc.zhao_min.user.id;
    // The account cannot be enabled while the counsellor is inactive.
    expectError(await api(s.url, 'POST', `/api/v1/users/${user}/enable`, { token }), 409, 'conflict');
    expectStatus(await api(s.url, 'PATCH', `/api/v1/counsellors/${id}`, { token, body: { active: true } }), 200, 'reactivate');
    expectStatus(await api(s.url, 'GET', feed), 200, 'the feed is back with the counsellor');
    expectError(await signIn(s.url, 'zhao_min', acc.zhao_min.password), 401, 'unauthorized');
    const en = await api(s.url, 'POST', `/api/v1/users/${user}/enable`, { token });
    expectStatus(en, 200, 'enable');
    assert.equal(en.body.active, true);
    expectStatus(await signIn(s.url, 'zhao_min', acc.zhao_min.password), 200, 'sign-in again');
  });
});

describe('a coordinator disables, enables and resets any account; a user changes their own password', () => {
  let s, token, acc;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    acc = await withAccounts(s, token, ['sun_yue', 'zhou_jie']);
  });
  after(async () => { await s.stop(); });

  test('disable ends the sessions; enable lets the same password in again', async () => {
    const tk = await login(s.url, 'sun_yue', acc.sun_yue.password);
    const user = acc.sun_yue.user.id;
    const d = await api(s.url, 'POST', `/api/v1/users/${user}/disable`, { token });
    expectStatus(d, 200, 'disable');
    assert.equal(d.body.active, false);
    expectError(await api(s.url, 'GET', '/api/v1/session', { token: tk }), 401, 'unauthorized');
    expectError(await signIn(s.url, 'sun_yue', acc.sun_yue.password), 401, 'unauthorized');
    expectStatus(await api(s.url, 'POST', `/api/v1/users/${user}/enable`, { token }), 200, 'enable');
    expectStatus(await signIn(s.url, 'sun_yue', acc.sun_yue.password), 200, 'sign in again');
    const list = await api(s.url, 'GET', '/api/v1/users', { token });
    expectStatus(list, 200, 'users');
    assert.ok(list.body.items.some((u) => u.username === 'admin' && u.role === 'coordinator'));
    assert.ok(!list.text.includes('argon2'), 'no hashes in the list');
  });

  test('a coordinator cannot disable their own account or the last coordinator', async () => {
    const me = (await api(s.url, 'GET', '/api/v1/session', { token })).body.user.id;
    const r = await api(s.url, 'POST', `/api/v1/users/${me}/disable`, { token });
    expectError(r, 409, 'conflict');
    assert.match(r.body.error.message, CHINESE);
    expectError(await api(s.url, 'POST', '/api/v1/users/999999/disable', { token }), 404, 'not_found');
  });

  test('reset shows a new password once; the old one and the old sessions stop', async () => {
    const tk = await login(s.url, 'zhou_jie', acc.zhou_jie.password);
    const r = await api(s.url, 'POST', `/api/v1/users/${acc.zhou_jie.user.id}/reset-password`, { token });
    expectStatus(r, 200, 'reset');
    assert.equal(typeof r.body.password, 'string');
    assert.ok(r.body.password.length >= 10, r.body.password);
    assert.match(r.headers.get('cache-control') || '', /no-store/);
    expectError(await api(s.url, 'GET', '/api/v1/session', { token: tk }), 401, 'unauthorized');
    expectError(await signIn(s.url, 'zhou_jie', acc.zhou_jie.password), 401, 'unauthorized');
    expectStatus(await signIn(s.url, 'zhou_jie', r.body.password), 200, 'the new password');
    acc.zhou_jie.password = r.body.password;
    const audit = await api(s.url, 'GET', '/api/v1/audit?entity=user&limit=100', { token });
    assert.ok(!audit.text.includes(r.body.password), 'the password is not in the audit log');
    assert.ok(audit.body.items.some((x) => x.action === 'reset_password'));
  });

  test('PUT /me/password: old + new; the other sessions end, this one goes on', async () => {
    const here = await login(s.url, 'zhou_jie', acc.zhou_jie.password);
    const other = await login(s.url, 'zhou_jie', acc.zhou_jie.password);
    const put = (body) => api(s.url, 'PUT', '/api/v1/me/password', { token: here, body });
    expectError(await put({ old_password: 'wrong-old-password', new_password: 'a-fine-new-pass-7' }), 422, 'validation_failed', 'old_password');
    for (const weak of ['short', 'password123', 'zhou_jie2024', 'aaaaaaaaaaaa', '1234567890', 'qwertyuiop']) {
      const r = await put({ old_password: acc.zhou_jie.password, new_password: weak });
      expectError(r, 422, 'validation_failed', 'new_password');
      assert.match(r.body.error.message, CHINESE, weak);
    }
    expectStatus(await put({ old_password: acc.zhou_jie.password, new_password: 'a-fine-new-pass-7' }), 204, 'change');
    expectStatus(await api(s.url, 'GET', '/api/v1/session', { token: here }), 200, 'this session goes on');
    expectError(await api(s.url, 'GET', '/api/v1/session', { token: other }), 401, 'unauthorized');
    expectStatus(await signIn(s.url, 'zhou_jie', 'a-fine-new-pass-7'), 200, 'the new password');
  });
});

describe('the password rule', () => {
  let s, token, cs;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    cs = (await api(s.url, 'GET', '/api/v1/counsellors?limit=500', { token })).body.items;
  });
  after(async () => { await s.stop(); });

  test('counsellor accounts: at least 10 characters, not the name, not common, not repeated or a run', async () => {
    const c = cs[5];
    for (const pw of ['password', '12345678', 'aaaaaaaa', 'aaaaaaaaaa', 'password12', 'abcdefghij',
      '9876543210', 'woaini1314', 'qwertyuiop', 'Password2024!', 'lin_feng123', 'lin_feng']) {
      const r = await api(s.url, 'POST', `/api/v1/counsellors/${c.id}/account`, { token, body: { username: 'lin_feng', password: pw } });
      expectError(r, 422, 'validation_failed', 'password');
      assert.match(r.body.error.message, CHINESE, pw);
    }
    expectStatus(await api(s.url, 'POST', `/api/v1/counsellors/${c.id}/account`, { token, body: { username: 'lin_feng', password: 'correct horse battery staple' } }), 201, 'a passphrase');
  });
});

describe('the first admin password', () => {
  test('HEARTH_ADMIN_PASSWORD=a stops the start with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-pw-'));
    try {
      for (const pw of ['a', 'password123', 'admin12345']) {
        const r = await run(['serve', '--db', join(dir, `x${pw.length}.db`), '--listen', '127.0.0.1:0'], { HEARTH_ADMIN_PASSWORD: pw });
        assert.notEqual(r.code, 0, `start refused for ${pw}`);
        assert.match(r.stderr, /admin password .*refused/i, r.stderr);
        assert.match(r.stderr, CHINESE);
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  test("the test harness's passphrase starts fine", async () => {
    const s = await startServer();
    try { await login(s.url, 'admin', ADMIN_PASSWORD); } finally { await s.stop(); }
  });
});
