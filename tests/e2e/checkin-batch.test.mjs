// Check-ins arriving together share one transaction (POST
// /api/v1/checkin/{tok} is ROUTE_BATCH like survey answers and
// registrations, server.c batch_run): each runs in its own savepoint and
// sees what the ones before it in the batch wrote. So a burst at the door
// answers as the serial path does (registration.test.mjs "check-in by
// token"): one attendance row a person however often the code is
// scanned, every repeat 200 "already" with that same row, an unknown
// token 404 and a cancelled registration 409, neither writing anything.
// The event is on now and already marked held, so each first check-in
// also issues its survey token (a second write in its savepoint); next
// week's event (not held now) takes check-ins too, without a token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, eventKit, participantAddress, at, H, D, TOKEN_RE } from './util.mjs';

let s, token;
before(async () => {
  s = await startServer({ env: { HEARTH_CONNECTIONS_PER_ADDRESS: '0' } });
  token = await login(s.url);
});
after(async () => { await s?.stop(); });

const kit = eventKit(() => s, () => token, { event: { public: true, status: 'confirmed' } });
const { call, mkEvent, attendance } = kit;
let addr = 0;
// Each person registers from an address of their own (the per-address limit).
const register = async (eventId, name) => {
  addr += 1;
  const r = await kit.register(eventId, { name }, participantAddress(addr));
  expectStatus(r, 201, `register ${name}`);
  return r.body;
};
const auditTotal = async () => {
  const r = await call('GET', '/api/v1/audit?limit=1');
  expectStatus(r, 200, 'audit');
  return r.body.total;
};

test('a burst of check-ins: one attendance row a person, repeats answered "already", unknown and cancelled write nothing', async () => {
  const now = await mkEvent({ title: '批量签到讲座', start: at(-H), end: at(2 * H), capacity: 40 });
  const later = await mkEvent({ title: '下周的讲座', start: at(7 * D), end: at(7 * D + 2 * H) });
  // 50 people for 40 places: the last 10 waitlisted (they came: checked in).
  const people = [];
  for (let i = 0; i < 50; i++) people.push(await register(now.id, `签到者${i}`));
  assert.equal(people.filter((g) => g.status === 'waitlisted').length, 10);
  const cancelled = await register(now.id, '取消者');
  const cancel = await api(s.url, 'DELETE', `/api/v1/registrations/${cancelled.token}`);
  assert.ok(cancel.status === 200 || cancel.status === 204, `cancel: ${cancel.status} ${cancel.text}`);
  const next = [];
  for (let i = 0; i < 5; i++) next.push(await register(later.id, `下周${i}`));
  expectStatus(await call('PATCH', `/api/v1/events/${now.id}`, { status: 'held' }), 200, 'mark held');
  const audit0 = await auditTotal();

  const checkin = (tok) => call('POST', `/api/v1/checkin/${tok}`);
  const unknown = Array.from({ length: 10 }, () => randomBytes(16).toString('hex'));
  const sends = [
    ...people.map((g) => ['now', g, checkin(g.token)]),
    // The first fifteen scanned twice more in the same burst.
    ...people.slice(0, 15).flatMap((g) => [['now', g, checkin(g.token)], ['now', g, checkin(g.token)]]),
    ...next.map((g) => ['later', g, checkin(g.token)]),
    ['later', next[0], checkin(next[0].token)],
    ...unknown.map((tok) => ['unknown', tok, checkin(tok)]),
    ['cancelled', cancelled, checkin(cancelled.token)],
    ['cancelled', cancelled, checkin(cancelled.token)],
  ];
  const results = await Promise.all(sends.map(async ([kind, who, p]) => [kind, who, await p]));

  const byPerson = new Map();
  let ok = 0;
  for (const [kind, who, r] of results) {
    if (kind === 'unknown') {
      expectError(r, 404, 'not_found');
      continue;
    }
    if (kind === 'cancelled') {
      expectError(r, 409, 'conflict', 'registration');
      continue;
    }
    expectStatus(r, 200, `${kind} ${who.name}`);
    ok += 1;
    const a = r.body.attendance;
    assert.equal(a.registration_id, who.id, `${who.name}: its own registration`);
    assert.equal(r.body.was_waitlisted, who.status === 'waitlisted', `${who.name}: was_waitlisted`);
    if (kind === 'now') assert.match(a.survey_token || '', TOKEN_RE, `${who.name}: a survey token at once (held)`);
    else assert.equal(a.survey_token ?? null, null, `${who.name}: no survey token (not held)`);
    const seen = byPerson.get(who.id) ?? [];
    seen.push(r.body);
    byPerson.set(who.id, seen);
  }
  assert.equal(byPerson.size, 55, 'every person answered');
  for (const [id, bodies] of byPerson) {
    assert.equal(bodies.filter((b) => b.already === false).length, 1, `registration ${id}: one first check-in`);
    assert.equal(new Set(bodies.map((b) => b.attendance.id)).size, 1, `registration ${id}: one attendance row`);
    assert.equal(new Set(bodies.map((b) => b.attendance.survey_token)).size, 1, `registration ${id}: one survey token`);
  }

  // One row a person, none for the cancelled registration.
  const rows = await attendance(now.id);
  assert.equal(rows.length, 50, 'one attendance row a person');
  assert.deepEqual(new Set(rows.map((x) => x.registration_id)), new Set(people.map((g) => g.id)));
  assert.equal((await attendance(later.id)).length, 5);
  // An audit entry for each 200 (the serial path audits repeats too),
  // none for a 404 or a 409.
  assert.equal(ok, 50 + 30 + 5 + 1);
  assert.equal(await auditTotal() - audit0, ok, 'unknown and cancelled check-ins wrote nothing');

  // A repeat in the burst is answered as one alone is, to the letter.
  const dup = byPerson.get(people[0].id).find((b) => b.already === true);
  const alone = await checkin(people[0].token);
  expectStatus(alone, 200, 'serial repeat');
  assert.deepEqual(dup, alone.body);
  const waitFirst = byPerson.get(people[45].id)[0];
  const waitAlone = await checkin(people[45].token);
  expectStatus(waitAlone, 200, 'serial repeat (waitlisted)');
  assert.deepEqual([waitAlone.body.already, waitAlone.body.was_waitlisted], [true, true]);
  assert.deepEqual(waitAlone.body.attendance, waitFirst.attendance);
  expectError(await checkin(unknown[0]), 404, 'not_found');
});
