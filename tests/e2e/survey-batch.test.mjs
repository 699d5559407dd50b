// Survey answers arriving together share one transaction (issue 15
// point 4, branch surveycpu: http ROUTE_BATCH, server.c batch_run): each
// answer runs in its own savepoint, so a rejected one (an unknown token,
// a token answered before or earlier in the same batch, an answer out of
// range) writes nothing and gets its own JSON error, while the others of
// its batch are kept; every 201 is in the database, exactly one answer
// per token. Many answers are sent at once so that they queue behind
// each other; on SQLite the commits are fewer than the answers when they
// did (logged: how many went together is the server's timing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, storeRevision, eventKit } from './util.mjs';

let s, token;
before(async () => {
  s = await startServer({ env: { HEARTH_PUBLIC_WRITE_RATE: '0', HEARTH_CONNECTIONS_PER_ADDRESS: '0' } });
  token = await login(s.url);
});
after(async () => { await s?.stop(); });

const kit = eventKit(() => s, () => token, { event: { title: '批量问卷' } });
const { call } = kit;
const answer = (tok, answers) => api(s.url, 'POST', '/api/v1/surveys/responses', { body: { token: tok, answers } });
// A held past event with n walk-ins (ten at a time): {event, tokens}.
const heldEvent = (n) => kit.heldEvent(n, {}, 10);

async function answeredTokens(eventId) {
  return new Set((await kit.attendance(eventId)).filter((x) => x.answered).map((x) => x.survey_token));
}

async function walCommits() {
  const m = await api(s.url, 'GET', '/metrics', { token });
  const c = m.text.match(/^hearth_wal_commits_total (\d+)/m);
  return c ? Number(c[1]) : null;
}

test('answers sent together: each 201 kept, each rejection writes nothing', async () => {
  const { event, tokens } = await heldEvent(120);
  const good = tokens.slice(0, 80);
  const bad = tokens.slice(80, 100); // answered out of range: 422
  const untouched = tokens.slice(100);
  const c0 = await walCommits();
  const sends = [
    ...good.map((t, i) => ['good', t, answer(t, { overall: (i % 5) + 1, comment: `第${i}份` })]),
    // The same tokens again, in the same burst: one of the two is 201.
    ...good.slice(0, 20).map((t) => ['again', t, answer(t, { overall: 3 })]),
    ...bad.map((t) => ['bad', t, answer(t, { overall: 9 })]),
    ...Array.from({ length: 10 }, (_, i) => ['unknown', null, answer(`${'0'.repeat(31)}${i}`, { overall: 5 })]),
  ];
  const results = await Promise.all(sends.map(async ([kind, t, p]) => [kind, t, await p]));
  const c1 = await walCommits();
  // Requests on different connections arrive in no fixed order: of a
  // token sent twice, either may be the one kept.
  const created = new Map();
  const refused = new Map();
  for (const [kind, t, r] of results) {
    if (kind === 'bad') expectError(r, 422, 'validation_failed', 'overall');
    else if (kind === 'unknown') expectError(r, 404, 'not_found', 'token');
    else if (r.status === 201) {
      assert.ok(Number.isInteger(r.body.id), r.text);
      assert.ok(!created.has(t), `${t} answered twice`);
      created.set(t, r.body.id);
    } else {
      expectError(r, 409, 'conflict', 'token');
      refused.set(t, (refused.get(t) ?? 0) + 1);
    }
  }
  assert.deepEqual([...created.keys()].sort(), [...good].sort(), 'one 201 per good token');
  const sentTwice = new Set(good.slice(0, 20));
  for (const t of good) assert.equal(refused.get(t) ?? 0, sentTwice.has(t) ? 1 : 0, `${t}: one 409 for each answer sent after the first`);
  assert.equal(new Set(created.values()).size, good.length, 'one response id each');
  const answered = await answeredTokens(event.id);
  assert.deepEqual([...answered].sort(), [...good].sort(), 'exactly the acknowledged tokens are answered');
  for (const t of [...bad, ...untouched]) assert.ok(!answered.has(t), 'a rejected answer wrote nothing');
  const res = await call('GET', `/api/v1/events/${event.id}/survey-results`);
  expectStatus(res, 200, 'results');
  assert.equal(res.body.responses, good.length, 'responses counted once each');
  // The rejected tokens still answer, alone, afterwards.
  expectStatus(await answer(bad[0], { overall: 4 }), 201, 'a token refused in a batch answers later');
  expectError(await answer(bad[0], { overall: 4 }), 409, 'conflict', 'token');
  // PostgreSQL syncs each COMMIT itself: the WAL counters are SQLite's.
  if (c0 !== null && process.env.HEARTH_TEST_STORE !== 'pg') {
    const commits = c1 - c0;
    assert.ok(commits <= good.length, `${commits} commits for ${good.length} answers`);
    console.log(`survey-batch: ${good.length} answers kept of ${sends.length} sent at once in ${commits} commits`);
  }
});

test('a burst of only rejected answers changes nothing', async () => {
  const { event, tokens } = await heldEvent(30);
  const rev = await storeRevision(s.url, token).stable();
  const rs = await Promise.all(tokens.map((t) => answer(t, { overall: 0 })));
  for (const r of rs) expectError(r, 422, 'validation_failed', 'overall');
  assert.equal(await storeRevision(s.url, token).read(), rev, 'no commit for a batch of refusals');
  assert.equal((await answeredTokens(event.id)).size, 0);
  // Bodies the checks before the handler refuse never reach a batch.
  const raw = await api(s.url, 'POST', '/api/v1/surveys/responses', { raw: '{"token":', headers: { 'content-type': 'application/json' } });
  assert.equal(raw.status, 400, raw.text);
});
