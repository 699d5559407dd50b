// Static files: security headers, ETag/304, HEAD, path traversal.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/harness.mjs';
import { rawGet, rawHttp } from './util.mjs';

describe('static files', () => {
  let s;
  before(async () => { s = await startServer(); });
  after(async () => { await s.stop(); });

  test('GET / is HTML with CSP (frame-ancestors \'none\'), nosniff and Referrer-Policy', async () => {
    const r = await fetch(`${s.url}/`);
    const body = await r.text();
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/html/);
    assert.match(body, /<html/i);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, 'Content-Security-Policy header');
    assert.match(csp, /frame-ancestors\s+'none'/, csp);
    assert.match(csp, /default-src|script-src/, csp);
    assert.equal((r.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff');
    const rp = (r.headers.get('referrer-policy') || '').toLowerCase();
    assert.ok(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin']
      .some((v) => rp.split(',').map((x) => x.trim()).includes(v)), `Referrer-Policy: ${rp}`);
  });

  test('/app.js is JavaScript with an ETag; If-None-Match answers 304 without a body', async () => {
    const r = await fetch(`${s.url}/app.js`);
    const body = await r.text();
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^(text|application)\/javascript/);
    assert.ok(body.length > 0);
    const etag = r.headers.get('etag');
    assert.ok(etag, 'ETag header');
    assert.match(etag, /^(W\/)?"[^"]+"$/, `ETag is a quoted string: ${etag}`);
    const r2 = await fetch(`${s.url}/app.js`, { headers: { 'if-none-match': etag } });
    const body2 = await r2.text();
    assert.equal(r2.status, 304);
    assert.equal(body2, '');
    assert.equal(r2.headers.get('etag'), etag, '304 repeats the ETag');
    const r3 = await fetch(`${s.url}/app.js`, { headers: { 'if-none-match': '"something-else"' } });
    assert.equal(r3.status, 200, 'a different ETag gets the file');
    assert.equal(await r3.text(), body);
    // A raw 304: no body bytes at all after the head.
    const raw = await rawGet(s.url, '/app.js', `If-None-Match: ${etag}\r\n`);
    assert.equal(raw.status, 304);
    assert.equal(raw.body, '');
  });

  test('HEAD / answers the headers of GET / without a body', async () => {
    const g = await fetch(`${s.url}/`);
    const gbody = Buffer.from(await g.arrayBuffer());
    const u = new URL(s.url);
    const h = await rawHttp(s.url, `HEAD / HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
    assert.equal(h.status, 200, h.head);
    assert.match(h.head, /^content-type:\s*text\/html/im);
    assert.match(h.head, /^content-security-policy:/im);
    assert.equal(h.body, '', 'no body on HEAD');
    const cl = h.head.match(/^content-length:\s*(\d+)/im);
    if (cl) assert.equal(Number(cl[1]), gbody.length, 'HEAD Content-Length matches GET');
  });

  test('an unknown file answers 404', async () => {
    const r = await fetch(`${s.url}/no-such-file.js`);
    await r.arrayBuffer();
    assert.equal(r.status, 404);
  });

  test('a NUL byte in the path is refused, not truncated (hardening)', async () => {
    for (const t of ['/app.js%00.html', '/index.html%00', '/%00']) {
      const r = await rawGet(s.url, t);
      assert.ok(r.status === 400 || r.status === 404, `${t}: 400 or 404, got ${r.status}\n${r.head}`);
    }
  });

  test('path traversal never serves files outside web/', async () => {
    const targets = [
      '/..%2f..%2fetc/passwd',
      '/../../etc/passwd',
      '/../../../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%252f..%252fetc/passwd',
      '/app.js/../../../../etc/passwd',
      '/..\\..\\..\\..\\etc\\passwd',
      '/%2fetc%2fpasswd',
      '//etc/passwd',
      '/../docs/api.md',
      '/..%2fdocs%2fapi.md',
      '/%2e%2e/Makefile',
    ];
    for (const t of targets) {
      const r = await rawGet(s.url, t);
      assert.ok(r.status === 400 || r.status === 404, `${t}: 400 or 404, got ${r.status}\n${r.raw.slice(0, 400)}`);
      assert.ok(!/root:.*:0:0:/.test(r.body), `${t}: /etc/passwd leaked`);
      assert.ok(!r.body.includes('# Hearth HTTP API'), `${t}: docs/api.md leaked`);
      assert.ok(!/^\s*CFLAGS|^build\/hearth:/m.test(r.body), `${t}: Makefile leaked`);
    }
  });
});
