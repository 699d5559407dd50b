// Defects of issue 17 that a request can reach, each with the request
// that showed it: coverage of a day without seats, foreign keys answered
// as 409, holiday years, /metrics, CSRF origin, libmicrohttpd's own error
// replies, anonymous survey links and the opt-out token of mails.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login, root } from '../lib/harness.mjs';
import { expectError, expectStatus, rawHttp } from './util.mjs';

describe('coverage of a day without seats', () => {
  let s, token;
  before(async () => { s = await startServer(); token = await login(s.url); });
  after(async () => { await s.stop(); });

  test('GET /rosters/coverage on an empty database answers 200 with no days (no qsort of NULL)', async () => {
    const r = await api(s.url, 'GET', '/api/v1/rosters/coverage?from=2026-01-05&to=2026-01-05', { token });
    expectStatus(r, 200, 'coverage of an empty day');
    assert.deepEqual(r.body.days, []);
    // The server is still up (the sanitizer build aborted here before).
    expectStatus(await api(s.url, 'GET', '/healthz'), 200, 'healthz after coverage');
  });
});

describe('rows still referenced answer 409, never 500', () => {
  let s, token, st, A, B, tkA;
  const T = (date, hm) => `${date}T${hm}:00+08:00`;
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    st = (await call('GET', '/api/v1/stations?limit=500')).body.items;
    const cs = (await call('GET', '/api/v1/counsellors?limit=500')).body.items;
    [A, B] = [cs[1], cs[2]];
    expectStatus(await call('POST', `/api/v1/counsellors/${A.id}/account`, { username: 'fk_a', password: 'fk-test-pass-A1' }), 201, 'account A');
    tkA = await login(s.url, 'fk_a', 'fk-test-pass-A1');
  });
  after(async () => { await s.stop(); });

  test('DELETE /shifts/{id} of a shift named in a swap request → 409 in Chinese; the shift stays', async () => {
    const a = await call('POST', '/api/v1/shifts', { station_id: st[0].id, counsellor_id: A.id, start: T('2027-09-06', '09:00'), end: T('2027-09-06', '12:00') });
    expectStatus(a, 201, 'shift A');
    const b = await call('POST', '/api/v1/shifts', { station_id: st[1].id, counsellor_id: B.id, start: T('2027-09-07', '09:00'), end: T('2027-09-07', '12:00') });
    expectStatus(b, 201, 'shift B');
    const req = await api(s.url, 'POST', '/api/v1/swap-requests', { token: tkA, body: { shift_id: a.body.id, other_shift_id: b.body.id, reason: '家中有事' } });
    expectStatus(req, 201, 'swap request');
    for (const id of [a.body.id, b.body.id]) {
      const r = await call('DELETE', `/api/v1/shifts/${id}`);
      expectError(r, 409, 'conflict');
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/, `a Chinese message: ${r.body.error.message}`);
      expectStatus(await call('GET', `/api/v1/shifts/${id}`), 200, 'the shift is still there');
    }
    const none = await call('GET', '/api/v1/audit?limit=500');
    assert.ok(!none.body.items.some((x) => x.action === 'delete' && x.entity === 'shift'), 'no delete audited');
  });
});

describe('smaller defects of issue 17', () => {
  let s, token;
  const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
  before(async () => {
    s = await startServer({ demo: true, env: { HEARTH_METRICS_TOKEN: METRICS_TOKEN } });
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('/metrics needs a coordinator or the metrics_token; /healthz stays public', async () => {
    expectError(await api(s.url, 'GET', '/metrics'), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/metrics', { token: 'x'.repeat(METRICS_TOKEN.length) }), 401, 'unauthorized');
    const byToken = await api(s.url, 'GET', '/metrics', { token: METRICS_TOKEN });
    expectStatus(byToken, 200, 'metrics with the token');
    assert.match(byToken.text, /hearth_http_requests_total/);
    expectStatus(await api(s.url, 'GET', '/metrics', { token }), 200, 'metrics as a coordinator');
    // The metrics token opens nothing else.
    expectError(await api(s.url, 'GET', '/api/v1/stations', { token: METRICS_TOKEN }), 401, 'unauthorized');
    expectStatus(await api(s.url, 'GET', '/healthz'), 200, 'healthz');
  });

  test('JSON holiday dates take years 1970–2100 only', async () => {
    for (const date of ['0000-01-01', '9999-12-31', '1969-12-31', '2101-01-01']) {
      expectError(await api(s.url, 'POST', '/api/v1/holidays', { token, body: { date, kind: 'holiday', name: '测试' } }), 422, 'validation_failed', 'date');
    }
    for (const date of ['1970-01-01', '2100-12-31']) {
      const r = await api(s.url, 'POST', '/api/v1/holidays', { token, body: { date, kind: 'holiday', name: '边界' } });
      expectStatus(r, 201, date);
    }
  });

  test('re-enabling an anonymous survey link makes a new token; the disable reply shows none', async () => {
    const start = new Date(Date.now() - 3 * 86400000);
    const ev = await api(s.url, 'POST', '/api/v1/events', { token, body: { kind: 'lecture', title: '匿名问卷', start: start.toISOString(), end: new Date(start.getTime() + 3600000).toISOString() } });
    expectStatus(ev, 201, 'event');
    expectStatus(await api(s.url, 'PATCH', `/api/v1/events/${ev.body.id}`, { token, body: { status: 'held' } }), 200, 'held');
    const path = `/api/v1/events/${ev.body.id}/anonymous-survey`;
    const on = await api(s.url, 'POST', path, { token, body: { enabled: true } });
    expectStatus(on, 200, 'on');
    const same = await api(s.url, 'POST', path, { token, body: { enabled: true } });
    assert.equal(same.body.token, on.body.token, 'on again while on: the same link');
    const off = await api(s.url, 'POST', path, { token, body: { enabled: false } });
    expectStatus(off, 200, 'off');
    assert.equal(off.body.token, null);
    assert.ok(!off.text.includes(on.body.token), 'the old token is not shown');
    const again = await api(s.url, 'POST', path, { token, body: { enabled: true } });
    expectStatus(again, 200, 'on again');
    assert.notEqual(again.body.token, on.body.token, 'a new token');
    expectError(await api(s.url, 'GET', `/api/v1/surveys/${on.body.token}`), 404, 'not_found');
    expectStatus(await api(s.url, 'GET', `/api/v1/surveys/${again.body.token}`), 200, 'the new link');
  });

  test("the CSRF check compares Origin's scheme, host and port with the base URL", async () => {
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: 'correct horse battery staple' } });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('hearth_session=')).split(';')[0];
    const u = new URL(s.url);
    const body = { code: 'CSRF1', name: '跨站测试', kind: 'street', address: '', timezone: 'Asia/Shanghai' };
    const post = (origin, code) => api(s.url, 'POST', '/api/v1/stations', { body: { ...body, code }, headers: { cookie, origin } });
    for (const [origin, code] of [[`https://${u.host}`, 'CSRF2'], [`http://${u.hostname}:${Number(u.port) + 1}`, 'CSRF3'],
      ['http://evil.example', 'CSRF4'], [`http://${u.host}.evil.example`, 'CSRF5'], ['null', 'CSRF6']]) {
      expectError(await post(origin, code), 403, 'forbidden');
    }
    expectStatus(await post(`http://${u.host}`, 'CSRF7'), 201, 'the same origin');
    expectStatus(await post(`HTTP://${u.host.toUpperCase()}`, 'CSRF8'), 201, 'case folded');
  });

  test("libmicrohttpd's own 431 reflects nothing; nginx adds the security headers to every reply", async () => {
    const u = new URL(s.url);
    const r = await rawHttp(s.url, `GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\nX-Big: <script>${'a'.repeat(200000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 431);
    assert.ok(!r.raw.includes('<script>') && !r.raw.includes('aaaa'), 'a fixed body');
    // What can be added: libmicrohttpd 0.9.75 builds this reply itself
    // (no hook); behind nginx, the deployed config adds Hearth's security
    // headers to every reply (`always`), its own errors included, and
    // hides Hearth's copies so none is doubled.
    const conf = readFileSync(join(root, 'deploy/nginx-hearth.conf'), 'utf8');
    const ok = await api(s.url, 'GET', '/healthz');
    for (const name of ['Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy', 'Cross-Origin-Opener-Policy']) {
      const value = ok.headers.get(name);
      assert.ok(value, `Hearth sends ${name}`);
      assert.ok(conf.includes(`add_header ${name} "${value}" always;`), `nginx adds ${name}: "${value}" always`);
      assert.ok(conf.includes(`proxy_hide_header ${name};`), `nginx hides Hearth's ${name}`);
    }
  });
});
