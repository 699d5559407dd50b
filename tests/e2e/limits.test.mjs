// Limits that keep one client from taking the service off the air (issue
// 17, point 3): connections per address with idle connections closed,
// and a bounded rate of public writes per address with 429 and
// Retry-After.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

// GET /healthz from a given source address (the loopback range is all
// local), with a timeout; resolves the status or 0 when nothing came.
function healthFrom(base, from, timeoutMs = 2000) {
  const u = new URL('/healthz', base);
  return new Promise((res) => {
    const req = http.request(u, { localAddress: from, agent: false, timeout: timeoutMs }, (resp) => {
      resp.resume();
      resp.on('end', () => res(resp.statusCode));
    });
    req.on('timeout', () => { req.destroy(); res(0); });
    req.on('error', () => res(0));
    req.end();
  });
}

function post(base, path, body, from) {
  const u = new URL(path, base);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((res, rej) => {
    const req = http.request(u, { method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        res({ status: resp.statusCode, headers: { get: (k) => resp.headers[k.toLowerCase()] ?? null }, text,
          body: (resp.headers['content-type'] || '').includes('json') && text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', rej);
    req.end(payload);
  });
}

describe('1,100 idle connections from one address', () => {
  let s;
  const TIMEOUT_S = 3;
  const socks = [];
  before(async () => { s = await startServer({ env: { HEARTH_CONNECTION_TIMEOUT: String(TIMEOUT_S) } }); });
  // A failed assertion must not leave 1,100 sockets holding the run open.
  after(async () => { for (const c of socks) c.destroy(); await s.stop(); });

  test('leave /healthz answering for others, and for the same address once the idle ones time out', async () => {
    const u = new URL(s.url);
    let open = 0, closedEarly = 0;
    const opened = Date.now();
    await Promise.all(Array.from({ length: 1100 }, () => new Promise((res) => {
      const c = net.connect({ host: u.hostname, port: Number(u.port), localAddress: '127.0.0.1' });
      socks.push(c);
      c.on('connect', () => { open++; res(); });
      c.on('error', () => res());
      c.on('close', () => { closedEarly++; res(); });
    })));
    // The server closes what is over the limit at once; the rest sit idle.
    await new Promise((r) => setTimeout(r, 500));
    const alive = socks.filter((c) => !c.destroyed && c.readyState === 'open').length;
    console.log(`1,100 sockets: ${open} connected, ${alive} held open by the server after 0.5 s`);
    assert.ok(alive <= 256, `at most a bounded number stay open per address: ${alive}`);
    // Others: 8 of 8 answered at once.
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => healthFrom(s.url, `127.0.0.${20 + i}`)));
    assert.deepEqual(others, Array(8).fill(200), `healthz for other addresses: ${others}`);
    // The same address: answered within a few seconds after the idle
    // connections time out.
    let mine = 0, at = 0;
    while (Date.now() - opened < (TIMEOUT_S + 8) * 1000) {
      mine = await healthFrom(s.url, '127.0.0.1', 1000);
      if (mine === 200) { at = Date.now() - opened; break; }
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`the same address answered ${at} ms after opening (idle timeout ${TIMEOUT_S} s); closed early: ${closedEarly}`);
    assert.equal(mine, 200, 'the same address is answered again');
    for (const c of socks) c.destroy();
  });
});

describe('public writes: a bounded rate per address, 429 with Retry-After', () => {
  let s, token, ev;
  before(async () => {
    s = await startServer({ demo: true, env: { HEARTH_PUBLIC_WRITE_RATE: '30' } });
    token = await login(s.url);
    const start = new Date(Date.now() + 5 * 86400000);
    const r = await api(s.url, 'POST', '/api/v1/events', { token, body: { kind: 'lecture', title: '限流：公开报名',
      start: start.toISOString(), end: new Date(start.getTime() + 7200000).toISOString(), public: true } });
    expectStatus(r, 201, 'event');
    ev = r.body.id;
  });
  after(async () => { await s.stop(); });

  test('failed registration attempts count too: the 31st attempt in a minute answers 429; another address goes on', async () => {
    const path = `/api/v1/events/${ev}/registrations`;
    for (let i = 0; i < 30; i++) expectError(await post(s.url, path, { name: '' }, '127.0.0.5'), 422, 'validation_failed');
    const over = await post(s.url, path, { name: '参加者' }, '127.0.0.5');
    expectError(over, 429, 'rate_limited');
    const ra = Number(over.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `Retry-After: ${ra}`);
    expectStatus(await post(s.url, path, { name: '另一地址的参加者' }, '127.0.0.6'), 201, 'another address');
    // An anonymous survey answer and a sign-in from the limited address
    // are public writes too.
    expectError(await post(s.url, '/api/v1/session', { username: 'admin', password: 'x' }, '127.0.0.5'), 429, 'rate_limited');
  });
});

describe('sign-in limits from the configuration', () => {
  let s;
  before(async () => {
    s = await startServer({ env: { HEARTH_LOGIN_FAILURES: '2', HEARTH_LOGIN_FAILURES_ADDRESS: '3', HEARTH_LOGIN_WINDOW: '120' } });
  });
  after(async () => { await s.stop(); });

  test('login_failures per account, login_failures_address per address, Retry-After within login_window', async () => {
    const signIn = (username, password, from) => post(s.url, '/api/v1/session', { username, password }, from);
    for (let i = 0; i < 2; i++) expectError(await signIn('admin', `wrong-${i}`, '127.0.0.7'), 401, 'unauthorized');
    const locked = await signIn('admin', 'wrong-again', '127.0.0.8');
    expectError(locked, 429, 'rate_limited');
    const ra = Number(locked.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 120, `Retry-After within the 120 s window: ${ra}`);
    // The address: its third failure (another account) uses it up.
    expectError(await signIn('nobody', 'wrong', '127.0.0.7'), 401, 'unauthorized');
    expectError(await signIn('someone', 'wrong', '127.0.0.7'), 429, 'rate_limited');
    expectError(await signIn('someone', 'wrong', '127.0.0.9'), 401, 'unauthorized');
  });
});
