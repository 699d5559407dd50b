// Behind nginx every request comes from 127.0.0.1: with trusted_proxies
// naming it, X-Forwarded-For says who the client is, so per-client limits
// (failed sign-ins per address: set to 5 here, login_failures_address;
// the names below are all different, so only the address counts) count
// each client on its own; from anyone
// else the header is ignored, so it cannot be used to escape them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, run } from '../lib/harness.mjs';
import { expectError } from './util.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

const FIVE = { HEARTH_LOGIN_FAILURES_ADDRESS: '5' };
let guess = 0;
// A failed sign-in under a name of its own, so only the address counts.
const badLogin = (s, xff) => api(s.url, 'POST', '/api/v1/session', {
  body: { username: `nobody${guess++}`, password: 'wrong password' },
  headers: xff ? { 'x-forwarded-for': xff } : {},
});

test('with trusted_proxies, clients behind the proxy are limited one by one', async () => {
  const s = await startServer({ env: { HEARTH_TRUSTED_PROXIES: '127.0.0.1, ::1', HEARTH_PUBLIC_WRITE_RATE: '0', ...FIVE } });
  servers.push(s);
  for (let i = 0; i < 5; i++) expectError(await badLogin(s, '203.0.113.1'), 401, 'unauthorized');
  expectError(await badLogin(s, '203.0.113.1'), 429, 'rate_limited');
  // A forged left part does not help: nginx appends the real address.
  expectError(await badLogin(s, '198.51.100.5, 203.0.113.1'), 429, 'rate_limited');
  // Another client behind the same proxy is not locked out.
  expectError(await badLogin(s, '203.0.113.2'), 401, 'unauthorized');
  // The request line is logged once the answer has gone out.
  for (let i = 0; i < 40 && !/client=203\.0\.113\.2/.test(s.log()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(s.log(), /client=203\.0\.113\.2/, 'the log names the real client');
});

test('without trusted_proxies the header is ignored', async () => {
  const s = await startServer({ env: { HEARTH_PUBLIC_WRITE_RATE: '0', ...FIVE } });
  servers.push(s);
  for (let i = 0; i < 5; i++) expectError(await badLogin(s, `203.0.113.${i + 10}`), 401, 'unauthorized');
  expectError(await badLogin(s, '203.0.113.99'), 429, 'rate_limited');
});

test('trusted_proxies that are not addresses stop the start', async () => {
  const r = await run(['serve', '--db', '/nonexistent/x.db', '--listen', '127.0.0.1:0'],
    { HEARTH_TRUSTED_PROXIES: '127.0.0.1, nginx' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /trusted_proxies/);
});
