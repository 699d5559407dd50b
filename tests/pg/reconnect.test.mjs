// PostgreSQL only (make test-pg): the server's connections are cut by a
// restart of the cluster; Hearth answers 503 (never 500) for the
// requests that meet the dead connection, reconnects, and serves reads
// and writes again within a few requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { pgRestart, pgWanted } from '../lib/pg.mjs';

test('a cut connection: 503 with Retry-After, then reads and writes again', { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only' }, async () => {
  const s = await startServer();
  try {
    const token = await login(s.url);
    assert.equal((await api(s.url, 'GET', '/api/v1/stations', { token })).status, 200);
    pgRestart();
    const seen = [];
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      const r = await api(s.url, 'GET', '/api/v1/stations', { token });
      seen.push(r.status);
      if (r.status === 503) assert.equal(r.headers.get('retry-after'), '1');
      ok = r.status === 200;
    }
    assert.ok(ok, `reads resume: ${seen}`);
    assert.ok(seen.every((x) => x === 200 || x === 503), `only 200 or 503: ${seen}`);
    // Every worker thread's connection was cut: writes on any of them
    // come back too.
    const codes = [];
    for (let i = 0; i < 12; i++) {
      const r = await api(s.url, 'POST', '/api/v1/stations', {
        token,
        body: { code: `RC${i}`, name: `重连${i}`, kind: 'street' },
      });
      codes.push(r.status);
    }
    assert.ok(codes.every((x) => x === 201 || x === 503), `only 201 or 503: ${codes}`);
    assert.ok(codes.slice(-3).every((x) => x === 201), `writes resume: ${codes}`);
    const list = await api(s.url, 'GET', '/api/v1/stations?q=RC&limit=100', { token });
    assert.equal(list.body.items.filter((x) => /^RC/.test(x.code)).length, codes.filter((x) => x === 201).length,
      'every acknowledged write is there, no other');
  } finally {
    await s.stop();
  }
});
