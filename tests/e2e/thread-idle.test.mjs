// The job thread (imports, roster generation) and the sync thread (it
// waits for each committed batch of public writes to be on the disk)
// let their database connection go after a few seconds without work
// (svc/http/server.c queue_wait, THREAD_IDLE_S; on PostgreSQL the
// connection is kept, and the sync thread needs none), and take one
// again for the next work. Seen in /metrics: hearth_store_connections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login, root } from '../lib/harness.mjs';
import { expectStatus, eventKit } from './util.mjs';

const FIXTURE = readFileSync(join(root, 'tests/fixtures/activities-futian-2022H2.csv'));
const pg = process.env.HEARTH_TEST_STORE === 'pg';

let s, token;
before(async () => {
  s = await startServer({ env: { HEARTH_PUBLIC_WRITE_RATE: '0', HEARTH_CONNECTIONS_PER_ADDRESS: '0' } });
  token = await login(s.url);
});
after(async () => { await s?.stop(); });

const kit = eventKit(() => s, () => token, { event: { title: '空闲连接' } });
const answer = (tok, overall) => api(s.url, 'POST', '/api/v1/surveys/responses', { body: { token: tok, answers: { overall } } });

async function connections() {
  const m = await api(s.url, 'GET', '/metrics', { token });
  expectStatus(m, 200, 'metrics');
  const c = m.text.match(/^hearth_store_connections (\d+)$/m);
  assert.ok(c, 'hearth_store_connections in /metrics');
  return Number(c[1]);
}

// Polls until pred(connections) holds, up to ms: the last count read.
async function connectionsUntil(pred, ms) {
  const end = Date.now() + ms;
  let n = await connections();
  while (!pred(n) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    n = await connections();
  }
  return n;
}

// Work for both threads: an import checked on the job thread, and a
// burst of survey answers (batches, each synced on the sync thread).
async function work(tokens, overall) {
  const [dry, ...answers] = await Promise.all([
    api(s.url, 'POST', '/api/v1/events/import?dry_run=1&create_stations=1', { token, raw: FIXTURE, headers: { 'content-type': 'text/csv' } }),
    ...tokens.map((t) => answer(t, overall)),
  ]);
  expectStatus(dry, 200, 'import dry run');
  for (const r of answers) expectStatus(r, 201, 'survey answer');
}

test('the job and sync threads let their connections go when idle, and take one again for the next work', async () => {
  const { event, tokens } = await kit.heldEvent(60, {}, 10);
  const base = await connections();
  await work(tokens.slice(0, 30), 4);
  const busy = await connections();
  // The job thread's connection and the sync thread's (SQLite: a
  // PostgreSQL connection is kept, and the sync thread takes none).
  const theirs = pg ? 0 : 2;
  assert.ok(busy >= base + theirs, `${busy} connections after the work, ${base} before`);
  const idle = await connectionsUntil((n) => n <= busy - theirs, 15000);
  assert.ok(idle <= busy - theirs, `${idle} connections 15 s after the work, ${busy} right after it`);
  // Work again: both threads take a connection again and every answer is kept.
  await work(tokens.slice(30), 5);
  const rows = await kit.attendance(event.id);
  assert.equal(rows.filter((x) => x.answered).length, 60, 'every acknowledged answer kept');
});
