// Re-generation after the data changed: a counsellor who goes on leave
// (or is deactivated) loses the generated shifts that fall in it, and
// they are filled again by someone else; shifts a coordinator edited by
// hand stay exactly as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectStatus } from './util.mjs';

let s, token;
const call = (method, path, body) => api(s.url, method, path, { token, body });

before(async () => {
  s = await startServer({ demo: true });
  token = await login(s.url);
  for (const station_id of [4, 5]) {
    expectStatus(await call('POST', '/api/v1/shift-templates', {
      station_id, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '12:00',
    }), 201, 'template');
  }
});
after(async () => { await s.stop(); });

async function shifts() {
  const r = await call('GET', '/api/v1/shifts?from=2027-05-03&to=2027-05-07&limit=500');
  expectStatus(r, 200, 'shifts');
  return r.body.items;
}

test('leave and deactivation reassign unedited generated shifts; manual edits survive', async () => {
  const g = await call('POST', '/api/v1/rosters/generate', { from: '2027-05-03', to: '2027-05-07' });
  expectStatus(g, 200, 'generate');
  assert.equal(g.body.created, 10);
  let list = await shifts();
  // Pin one shift by hand: give it to counsellor 9.
  const pinned = list[0];
  expectStatus(await call('PATCH', `/api/v1/shifts/${pinned.id}`, { counsellor_id: 9 }), 200, 'manual edit');
  // The counsellor of another shift goes on leave for the whole week.
  const victim = list.find((x) => x.id !== pinned.id && x.counsellor_id !== 9).counsellor_id;
  const theirs = list.filter((x) => x.counsellor_id === victim && x.id !== pinned.id).map((x) => x.id);
  assert.ok(theirs.length > 0);
  expectStatus(await call('POST', '/api/v1/availability', {
    counsellor_id: victim, start: '2027-05-03T00:00:00+08:00', end: '2027-05-08T00:00:00+08:00', reason: '请假',
  }), 201, 'leave');
  // Counsellor 9 goes on leave too: their hand-set shift stays, their
  // generated ones move.
  const nines = list.filter((x) => x.counsellor_id === 9 && x.id !== pinned.id).map((x) => x.id);
  expectStatus(await call('POST', '/api/v1/availability', {
    counsellor_id: 9, start: '2027-05-03T00:00:00+08:00', end: '2027-05-08T00:00:00+08:00', reason: '培训',
  }), 201, 'leave 9');

  const again = await call('POST', '/api/v1/rosters/generate', { from: '2027-05-03', to: '2027-05-07' });
  expectStatus(again, 200, 'regenerate');
  assert.equal(again.body.created, 0, 'nothing new');
  assert.equal(again.body.reassigned, theirs.length + nines.length, 'the shifts of those on leave are filled again');
  list = await shifts();
  for (const id of theirs) {
    const sh = list.find((x) => x.id === id);
    assert.notEqual(sh.counsellor_id, victim, `shift ${id} moved off the counsellor on leave`);
    assert.ok(sh.counsellor_id === null || sh.counsellor_id > 0);
  }
  for (const id of nines) assert.notEqual(list.find((x) => x.id === id).counsellor_id, 9);
  const kept = list.find((x) => x.id === pinned.id);
  assert.equal(kept.counsellor_id, 9, 'the manual edit is kept');
  assert.equal(kept.pinned, true);

  // A third run changes nothing at all.
  const third = await call('POST', '/api/v1/rosters/generate', { from: '2027-05-03', to: '2027-05-07' });
  assert.equal(third.body.created, 0);
  assert.equal(third.body.reassigned, 0);
  assert.deepEqual(await shifts(), list);

  // Deactivating a counsellor frees their unedited shifts on the next run.
  const someone = list.find((x) => x.counsellor_id && x.id !== pinned.id).counsellor_id;
  expectStatus(await call('DELETE', `/api/v1/counsellors/${someone}`), 200, 'deactivate');
  const fourth = await call('POST', '/api/v1/rosters/generate', { from: '2027-05-03', to: '2027-05-07' });
  assert.ok(fourth.body.reassigned > 0);
  assert.ok((await shifts()).every((x) => x.counsellor_id !== someone));
});
