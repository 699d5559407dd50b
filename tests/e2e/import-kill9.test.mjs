// A kill -9 in the middle of a batched import (issue 17): a 10,000-row
// CSV with 10,000 new stations is published in 20 transactions of 1,000
// rows. The server is killed with SIGKILL once the log says a batch of
// events has been committed (stations and events both half written);
// started again on the same database, it undoes the run before serving
// (the log says how many rows), 0 rows of the import remain, the rows
// from before are all there, and the same file then imports whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectStatus } from './util.mjs';

const ROWS = 10000;

function csv(n, tag) {
  let out = 'date,station,title,category,audience\n';
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2027, 0, 1) + (i % 300) * 86400000).toISOString().slice(0, 10);
    out += `${d},断电导入驻点${tag}${i},断电导入讲座${tag}${i},讲座,社区居民\n`;
  }
  return out;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Both stores (issue 17, pgbatch: PostgreSQL batches too, its undo at
// start the same).
test('an import killed between its batches is undone at the next start', async () => {
  // debug: the import logs each batch it commits.
  const env = { HEARTH_LOG_LEVEL: 'debug' };
  let s = await startServer({ demo: true, env });
  const dir = s.dir;
  try {
    let token = await login(s.url);
    const total = async (path) => {
      const r = await api(s.url, 'GET', `${path}?limit=1&active=all`, { token });
      expectStatus(r, 200, path);
      return r.body.total;
    };
    const ev0 = await total('/api/v1/events'), st0 = await total('/api/v1/stations');
    const first = await api(s.url, 'GET', '/api/v1/stations?limit=500&active=all', { token });
    const before = new Map(first.body.items.map((x) => [x.id, x.code]));
    const body = csv(ROWS, 'K');
    let undone = null, tries = 0;
    // A kill lands between batches nearly always (18 batches remain);
    // when the import finished or had not begun first, try again.
    while (undone === null && tries < 5) {
      tries++;
      const seen = s.log().length;
      const importing = api(s.url, 'POST', '/api/v1/events/import?create_stations=1', { token, raw: body, headers: { 'content-type': 'text/csv' } })
        .then((r) => ({ status: r.status }), (e) => ({ error: String(e) }));
      // The first batch of events: 10 of stations are in before it.
      const t0 = performance.now();
      while (!/msg="events import batch" done=1[1-9] of=20/.test(s.log().slice(seen)) &&
        !/msg="events import" rows=/.test(s.log().slice(seen)) && performance.now() - t0 < 60000) await sleep(1);
      const exit = await s.kill();
      assert.equal(exit.signal, 'SIGKILL');
      const reply = await importing;
      s = await startServer({ dir, env });
      token = await login(s.url);
      const m = s.log().match(/msg="store: undid an import stopped between its batches" run=\d+ started_at=\d+ events=(\d+) stations=(\d+)/);
      const ev = await total('/api/v1/events'), st = await total('/api/v1/stations');
      if (m) {
        undone = { events: Number(m[1]), stations: Number(m[2]) };
        assert.ok(reply.error, `the import answered ${reply.status} though it was undone`);
        assert.equal(ev, ev0, 'events of the killed import remain');
        assert.equal(st, st0, 'stations of the killed import remain');
      } else {
        // Not between batches: all of it, or none.
        console.log(`try ${tries}: the kill did not land between batches (${JSON.stringify(reply)})`);
        assert.ok((ev === ev0 && st === st0) || (ev === ev0 + ROWS && st === st0 + ROWS), `${ev - ev0} events, ${st - st0} stations of the import`);
        assert.ok(ev === ev0 || reply.status === 201 || reply.error);
        if (ev !== ev0) break; // finished: a re-import would duplicate
      }
    }
    assert.ok(undone, `no kill landed between batches in ${tries} tries`);
    assert.ok(undone.stations === ROWS, `undid ${undone.stations} stations`);
    assert.ok(undone.events >= 1000 && undone.events < ROWS, `undid ${undone.events} events`);
    // The rows from before the import are all there, unchanged.
    const after = await api(s.url, 'GET', '/api/v1/stations?limit=500&active=all', { token });
    for (const [id, code] of before) assert.equal(after.body.items.find((x) => x.id === id)?.code, code, `station ${id}`);
    // The undo is audited.
    const audit = await api(s.url, 'GET', '/api/v1/audit?limit=50', { token });
    expectStatus(audit, 200, 'audit');
    assert.ok(audit.body.items.some((x) => x.action === 'import_undo'), 'the undo is in the audit log');
    // The same file now imports whole.
    const r = await api(s.url, 'POST', '/api/v1/events/import?create_stations=1', { token, raw: body, headers: { 'content-type': 'text/csv' } });
    expectStatus(r, 201, 're-import');
    assert.equal(r.body.created, ROWS);
    assert.equal(r.body.new_stations, ROWS);
    assert.equal(await total('/api/v1/events'), ev0 + ROWS);
    assert.equal(await total('/api/v1/stations'), st0 + ROWS);
    console.log(`kill -9 after batch ${undone.stations / 1000 + undone.events / 1000} of 20 (try ${tries}): undid ${undone.stations} stations and ${undone.events} events at start; re-import 201`);
  } finally {
    await s.stop({ keep: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
