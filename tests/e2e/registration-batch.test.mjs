// Registrations arriving together share one transaction (issue 15 point
// 4: the route is ROUTE_BATCH like survey answers, server.c batch_run):
// each runs in its own savepoint and sees what the ones before it in the
// batch wrote. So a burst at a small event fills exactly its capacity and
// waitlists the rest, a person who registers twice in the same burst gets
// one registration (one 201, the other 200 "already registered" with the
// same id), and a rejected registration writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, eventKit, participantAddress, at, H, D } from './util.mjs';

let s, token;
before(async () => {
  s = await startServer({ env: { HEARTH_CONNECTIONS_PER_ADDRESS: '0' } });
  token = await login(s.url);
});
after(async () => { await s?.stop(); });

const { call, mkEvent, register: registerFrom } = eventKit(() => s, () => token);
// Each person from an address of their own (the per-address limit).
const register = (eventId, body, n) => registerFrom(eventId, body, participantAddress(n));

test('a burst of registrations: capacity kept exactly, one registration a person, rejections write nothing', async () => {
  const { id } = await mkEvent({
    title: '批量报名讲座', start: at(10 * D), end: at(10 * D + 2 * H), public: true, status: 'confirmed', capacity: 10,
  });
  const phone = (i) => `1380013${String(i).padStart(4, '0')}`;
  const sends = [
    ...Array.from({ length: 40 }, (_, i) => ['person', i, register(id, { name: `报名者${i}`, phone: phone(i) }, i)]),
    // The first twelve again, the same phone written another way.
    ...Array.from({ length: 12 }, (_, i) => ['again', i, register(id, { name: `报名者${i}`, phone: `+86 ${phone(i)}` }, 40 + i)]),
    // No name: 422, nothing stored.
    ...Array.from({ length: 6 }, (_, i) => ['bad', 100 + i, register(id, { phone: phone(100 + i) }, 60 + i)]),
  ];
  const results = await Promise.all(sends.map(async ([kind, i, p]) => [kind, i, await p]));
  const byPerson = new Map();
  for (const [kind, i, r] of results) {
    if (kind === 'bad') {
      expectError(r, 422, 'validation_failed', 'name');
      continue;
    }
    assert.ok(r.status === 201 || (r.status === 200 && r.body.already_registered === true), `${kind} ${i}: ${r.status} ${r.text}`);
    const seen = byPerson.get(i) ?? [];
    seen.push(r);
    byPerson.set(i, seen);
  }
  assert.equal(byPerson.size, 40);
  for (const [i, rs] of byPerson) {
    assert.equal(rs.filter((r) => r.status === 201).length, 1, `person ${i}: one 201`);
    assert.equal(new Set(rs.map((r) => r.body.id)).size, 1, `person ${i}: one registration`);
  }
  const list = await call('GET', `/api/v1/events/${id}/registrations?limit=500`);
  expectStatus(list, 200, 'list');
  assert.equal(list.body.total, 40, 'no second row for a person, none for a rejection');
  const status = list.body.items.map((x) => x.status);
  assert.equal(status.filter((x) => x === 'registered').length, 10, 'capacity kept exactly');
  assert.equal(status.filter((x) => x === 'waitlisted').length, 30);
  const pub = await api(s.url, 'GET', `/api/v1/public/events/${id}`);
  expectStatus(pub, 200, 'public event');
  assert.deepEqual([pub.body.registered, pub.body.waitlisted, pub.body.spots_left], [10, 30, 0]);
});
