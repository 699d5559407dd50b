// SIGTERM: a clean exit (code 0) within 5 seconds, even with an idle
// keep-alive connection open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, api, login } from '../lib/harness.mjs';

test('SIGTERM after some traffic exits 0 within 5 s', async () => {
  const s = await startServer();
  const token = await login(s.url);
  assert.equal((await api(s.url, 'POST', '/api/v1/stations', { token, body: { code: 'SD', name: 'Shutdown', kind: 'hall' } })).status, 201);
  const t0 = Date.now();
  const r = await s.stop();
  assert.equal(r.code, 0);
  assert.ok(Date.now() - t0 < 5000, `exited in ${Date.now() - t0} ms`);
});

test('SIGTERM with an idle open connection exits 0 within 5 s', async () => {
  const s = await startServer();
  const u = new URL(s.url);
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  // Half a request: the server holds a connection that never completes.
  sock.write(`GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\n`);
  sock.on('error', () => {});
  await new Promise((res) => setTimeout(res, 100));
  const t0 = Date.now();
  const stopping = s.stop();
  stopping.catch(() => {});
  try {
    const r = await Promise.race([
      stopping,
      new Promise((_, rej) => setTimeout(() => rej(new Error('no exit within 5 s of SIGTERM')), 5000)),
    ]);
    assert.equal(r.code, 0);
    assert.ok(Date.now() - t0 < 5000, `exited in ${Date.now() - t0} ms`);
  } finally {
    sock.destroy();
    s.child.kill('SIGKILL');
  }
});
