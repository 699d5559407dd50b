// Sessions: login, cookie and bearer authentication, logout, the login
// rate limit, and the generated admin password of a first start.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, ADMIN_PASSWORD } from '../lib/harness.mjs';
import { rmSync } from 'node:fs';
import { expectError, expectStatus, serveOn } from './util.mjs';

function sessionCookie(r) {
  const all = r.headers.getSetCookie();
  const c = all.find((s) => /^hearth_session=/.test(s));
  assert.ok(c, `a hearth_session cookie is set; Set-Cookie: ${JSON.stringify(all)}`);
  return c;
}

describe('sessions', () => {
  let s;
  before(async () => { s = await startServer(); });
  after(async () => { await s.stop(); });

  test('a protected route answers 401 unauthorized without a session', async () => {
    expectError(await api(s.url, 'GET', '/api/v1/stations'), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/counsellors'), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/session'), 401, 'unauthorized');
  });

  test('a made-up bearer token or cookie is refused', async () => {
    expectError(await api(s.url, 'GET', '/api/v1/stations', { token: 'a'.repeat(64) }), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/stations', { headers: { cookie: `hearth_session=${'b'.repeat(64)}` } }),
      401, 'unauthorized');
  });

  test('a wrong password and an unknown user answer 401', async () => {
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: 'wrong password' } });
    expectError(r, 401, 'unauthorized');
    assert.equal(r.headers.getSetCookie().filter((c) => /^hearth_session=[^;]/.test(c)).length, 0,
      'no session cookie on a failed login');
    expectError(await api(s.url, 'POST', '/api/v1/session', { body: { username: 'nobody', password: ADMIN_PASSWORD } }),
      401, 'unauthorized');
  });

  test('login returns a token, the user, and an HttpOnly SameSite=Strict cookie', async () => {
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectStatus(r, 200, 'login');
    assert.equal(typeof r.body.token, 'string');
    assert.ok(r.body.token.length >= 32, 'token is long enough to be unguessable');
    assert.equal(typeof r.body.expires_at, 'string');
    assert.ok(!Number.isNaN(Date.parse(r.body.expires_at)), 'expires_at is a date-time');
    assert.ok(Date.parse(r.body.expires_at) > Date.now(), 'expires_at is in the future');
    assert.equal(r.body.user.username, 'admin');
    assert.equal(r.body.user.role, 'coordinator');
    assert.equal(typeof r.body.user.id, 'number');
    const c = sessionCookie(r);
    assert.match(c, /;\s*HttpOnly/i, c);
    assert.match(c, /;\s*SameSite=Strict/i, c);
    assert.match(c, /;\s*Path=\//i, c);
  });

  test('the cookie alone authenticates', async () => {
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectStatus(r, 200, 'login');
    const pair = sessionCookie(r).split(';')[0];
    const st = await api(s.url, 'GET', '/api/v1/stations', { headers: { cookie: pair } });
    expectStatus(st, 200, 'GET stations with the cookie');
    assert.ok(Array.isArray(st.body.items));
    const me = await api(s.url, 'GET', '/api/v1/session', { headers: { cookie: pair } });
    expectStatus(me, 200, 'GET session with the cookie');
    assert.equal(me.body.user.username, 'admin');
  });

  test('Bearer authenticates and GET /session describes the user', async () => {
    const token = await login(s.url);
    expectStatus(await api(s.url, 'GET', '/api/v1/stations', { token }), 200, 'GET stations with bearer');
    const me = await api(s.url, 'GET', '/api/v1/session', { token });
    expectStatus(me, 200, 'GET session');
    assert.equal(me.body.user.username, 'admin');
    assert.equal(me.body.user.role, 'coordinator');
    assert.equal(typeof me.body.expires_at, 'string');
    assert.ok(Date.parse(me.body.expires_at) > Date.now());
  });

  test('DELETE /session answers 204 and the token stops working at once', async () => {
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectStatus(r, 200, 'login');
    const token = r.body.token;
    const pair = sessionCookie(r).split(';')[0];
    const other = await login(s.url);
    const del = await api(s.url, 'DELETE', '/api/v1/session', { token });
    expectStatus(del, 204, 'logout');
    assert.equal(del.text, '', '204 has no body');
    expectError(await api(s.url, 'GET', '/api/v1/stations', { token }), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/session', { token }), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/stations', { headers: { cookie: pair } }), 401, 'unauthorized');
    // Other sessions live on.
    expectStatus(await api(s.url, 'GET', '/api/v1/stations', { token: other }), 200, 'another session');
  });
});

describe('login rate limit', () => {
  let s;
  before(async () => { s = await startServer(); });
  after(async () => { await s.stop(); });

  test('5 failed logins, then even the right password answers 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: `wrong-${i}` } });
      expectError(r, 401, 'unauthorized');
    }
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectError(r, 429, 'rate_limited');
    const ra = r.headers.get('retry-after');
    assert.ok(ra, 'Retry-After header present');
    assert.match(ra, /^\d+$/, `Retry-After is delta-seconds: ${ra}`);
    assert.ok(Number(ra) > 0 && Number(ra) <= 15 * 60, `Retry-After within the 15-minute window: ${ra}`);
    assert.ok(!r.body.token, 'no token in a 429');
  });
});

describe('generated admin password', () => {
  let s;
  let stopped = false;
  const env = { HEARTH_ADMIN_PASSWORD: undefined };
  before(async () => { s = await startServer({ env }); });
  after(async () => {
    if (!stopped) await s.stop();
    rmSync(s.dir, { recursive: true, force: true });
  });

  function findPassword(log) {
    const line = log.split('\n').find((l) => /admin/i.test(l) && /password=/i.test(l));
    if (!line) return null;
    const m = line.match(/password=("(?:[^"\\]|\\.)*"|\S+)/i);
    if (!m) return null;
    return m[1].startsWith('"') ? JSON.parse(m[1]) : m[1];
  }

  test('a first start without HEARTH_ADMIN_PASSWORD prints a generated password once, and it logs in', async () => {
    const log = s.log();
    const pw = findPassword(log);
    assert.ok(pw, `a line with "admin" and "password=" in the log:\n${log}`);
    assert.ok(pw.length >= 12, `generated password is long: ${pw.length} chars`);
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: pw } });
    expectStatus(r, 200, 'login with the generated password');
    assert.equal(typeof r.body.token, 'string');
    expectError(await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } }),
      401, 'unauthorized');
  });

  test('a second start on the same database prints no password', async () => {
    const first = findPassword(s.log());
    // Restart on the same database: stop (keeping the dir), serve again on it.
    await s.stop({ keep: true });
    stopped = true;
    const s2 = await serveOn(s.db, { env });
    try {
      const log = s2.log();
      assert.equal(findPassword(log), null, `no password line on the second start:\n${log}`);
      if (first) {
        assert.ok(!log.includes(first), 'the first password is not printed again');
        expectStatus(await api(s2.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: first } }),
          200, 'the first password still logs in');
      }
    } finally {
      await s2.stop();
    }
  });
});
