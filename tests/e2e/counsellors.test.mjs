// Counsellors: CRUD, validation, the feed URL and its rotation.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, FEED_RE } from './util.mjs';

describe('counsellors', () => {
  let s, token, hall, street;
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const create = (body) => call('POST', '/api/v1/counsellors', body);
  let n = 0;
  const person = (extra = {}) => ({ name: `咨询师${++n}`, email: `c${n}@example.org`, ...extra });

  before(async () => {
    s = await startServer();
    token = await login(s.url);
    hall = (await call('POST', '/api/v1/stations', { code: 'HALL', name: '接待大厅', kind: 'hall' })).body;
    street = (await call('POST', '/api/v1/stations', { code: 'FT', name: '福田街道', kind: 'street' })).body;
    assert.ok(hall?.id && street?.id, 'stations created');
  });
  after(async () => { await s.stop(); });

  test('POST creates with defaults and a feed_url; GET answers the same', async () => {
    const r = await create({ name: '王老师', email: 'wang@example.org', phone: '+86 (755) 8888-0000', home_station_id: hall.id });
    expectStatus(r, 201, 'create');
    const c = r.body;
    assert.ok(Number.isInteger(c.id) && c.id > 0);
    assert.equal(c.name, '王老师');
    assert.equal(c.email, 'wang@example.org');
    assert.equal(c.phone, '+86 (755) 8888-0000');
    assert.equal(c.home_station_id, hall.id);
    assert.equal(c.max_weekly_hours, 40, 'default max_weekly_hours');
    assert.equal(c.active, true);
    assert.equal(typeof c.feed_url, 'string');
    assert.match(c.feed_url, FEED_RE, `feed_url shape: ${c.feed_url}`);
    assert.match(c.feed_url, /^https?:\/\//, 'feed_url is absolute');
    const loc = r.headers.get('location');
    assert.ok(loc, 'Location header');
    assert.equal(new URL(loc, s.url).pathname, `/api/v1/counsellors/${c.id}`);
    const g = await call('GET', `/api/v1/counsellors/${c.id}`);
    expectStatus(g, 200, 'get');
    assert.deepEqual(g.body, c);
  });

  test('each counsellor gets its own feed token', async () => {
    const a = await create(person());
    const b = await create(person());
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.notEqual(a.body.feed_url.match(FEED_RE)[1], b.body.feed_url.match(FEED_RE)[1]);
  });

  test('home_station_id null and max_weekly_hours at both bounds are accepted', async () => {
    const a = await create(person({ home_station_id: null, max_weekly_hours: 0 }));
    expectStatus(a, 201, 'null station, 0 hours');
    assert.equal(a.body.home_station_id, null);
    assert.equal(a.body.max_weekly_hours, 0);
    const b = await create(person({ max_weekly_hours: 80 }));
    expectStatus(b, 201, '80 hours');
    assert.equal(b.body.max_weekly_hours, 80);
  });

  test('list pages and filters by active, station_id and q', async () => {
    const x = await create(person({ name: 'Filter Alpha', home_station_id: street.id }));
    const y = await create(person({ name: 'Filter Beta', home_station_id: street.id, active: false }));
    expectStatus(x, 201);
    expectStatus(y, 201);
    const all = await call('GET', '/api/v1/counsellors?limit=500');
    expectStatus(all, 200);
    assert.equal(all.body.total, all.body.items.length);
    const ids = all.body.items.map((i) => i.id);
    assert.deepEqual(ids, [...ids].sort((p, q) => p - q));
    const page = await call('GET', '/api/v1/counsellors?limit=1&offset=1');
    expectStatus(page, 200);
    assert.deepEqual(page.body.items.map((i) => i.id), [ids[1]]);
    assert.equal(page.body.total, all.body.total);

    const byStation = await call('GET', `/api/v1/counsellors?station_id=${street.id}&limit=500`);
    expectStatus(byStation, 200);
    assert.deepEqual(byStation.body.items.map((i) => i.id).sort(), [x.body.id, y.body.id].sort());
    const byQ = await call('GET', '/api/v1/counsellors?q=Filter%20Al');
    expectStatus(byQ, 200);
    assert.deepEqual(byQ.body.items.map((i) => i.id), [x.body.id]);
    const active = await call('GET', `/api/v1/counsellors?station_id=${street.id}&active=true`);
    assert.deepEqual(active.body.items.map((i) => i.id), [x.body.id]);
    const inactive = await call('GET', `/api/v1/counsellors?station_id=${street.id}&active=false`);
    assert.deepEqual(inactive.body.items.map((i) => i.id), [y.body.id]);
  });

  test('PATCH updates only the fields sent; DELETE deactivates', async () => {
    const c = await create(person({ phone: '13800000000', home_station_id: hall.id, max_weekly_hours: 20 }));
    expectStatus(c, 201);
    const p = await call('PATCH', `/api/v1/counsellors/${c.body.id}`, { max_weekly_hours: 30, home_station_id: street.id });
    expectStatus(p, 200, 'patch');
    assert.equal(p.body.max_weekly_hours, 30);
    assert.equal(p.body.home_station_id, street.id);
    assert.equal(p.body.name, c.body.name);
    assert.equal(p.body.email, c.body.email);
    assert.equal(p.body.phone, '13800000000');
    assert.equal(p.body.feed_url, c.body.feed_url, 'PATCH keeps the feed token');
    const p2 = await call('PATCH', `/api/v1/counsellors/${c.body.id}`, { home_station_id: null });
    expectStatus(p2, 200);
    assert.equal(p2.body.home_station_id, null);
    const d = await call('DELETE', `/api/v1/counsellors/${c.body.id}`);
    expectStatus(d, 200, 'delete');
    assert.equal(d.body.active, false);
    const g = await call('GET', `/api/v1/counsellors/${c.body.id}`);
    expectStatus(g, 200, 'get after delete');
    assert.equal(g.body.active, false);
    assert.equal(g.body.max_weekly_hours, 30);
  });

  test('unknown ids answer 404', async () => {
    expectError(await call('GET', '/api/v1/counsellors/999999'), 404, 'not_found');
    expectError(await call('PATCH', '/api/v1/counsellors/999999', { name: 'x' }), 404, 'not_found');
    expectError(await call('DELETE', '/api/v1/counsellors/999999'), 404, 'not_found');
    expectError(await call('POST', '/api/v1/counsellors/999999/rotate-feed-token'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/counsellors/abc'), 404, 'not_found');
  });

  test('validation: home_station_id, email, max_weekly_hours, phone, name, unknown field', async () => {
    expectError(await create(person({ home_station_id: 999999 })), 422, 'validation_failed', 'home_station_id');
    expectError(await create(person({ home_station_id: 'one' })), 422, 'validation_failed', 'home_station_id');
    for (const email of ['not-an-email', 'a@b', 'a@@example.org', 'a b@example.org', '@example.org', '']) {
      expectError(await create(person({ email })), 422, 'validation_failed', 'email');
    }
    expectError(await create({ name: 'No email' }), 422, 'validation_failed', 'email');
    expectError(await create(person({ email: `${'a'.repeat(250)}@example.org` })), 422, 'validation_failed', 'email');
    for (const h of [81, -1, 1000, 40.5, '40']) {
      expectError(await create(person({ max_weekly_hours: h })), 422, 'validation_failed', 'max_weekly_hours');
    }
    expectError(await create(person({ phone: 'call me' })), 422, 'validation_failed', 'phone');
    expectError(await create(person({ phone: '1'.repeat(33) })), 422, 'validation_failed', 'phone');
    expectError(await create(person({ name: '名'.repeat(51) })), 422, 'validation_failed', 'name');
    expectError(await create(person({ name: 7 })), 422, 'validation_failed', 'name');
    expectError(await create(person({ nickname: 'x' })), 422, 'validation_failed');
    const c = (await create(person())).body;
    expectError(await call('PATCH', `/api/v1/counsellors/${c.id}`, { max_weekly_hours: 81 }), 422, 'validation_failed', 'max_weekly_hours');
    expectError(await call('PATCH', `/api/v1/counsellors/${c.id}`, { email: 'nope' }), 422, 'validation_failed', 'email');
    expectError(await call('PATCH', `/api/v1/counsellors/${c.id}`, { home_station_id: 999999 }), 422, 'validation_failed', 'home_station_id');
    const g = await call('GET', `/api/v1/counsellors/${c.id}`);
    assert.deepEqual(g.body, c, 'rejected PATCHes changed nothing');
  });

  test('feed_url is read-only: a feed_url sent in PATCH does not change it', async () => {
    const c = (await create(person())).body;
    const r = await call('PATCH', `/api/v1/counsellors/${c.id}`, {
      feed_url: `${s.url}/feeds/counsellors/${'0'.repeat(32)}.ics`,
    });
    // Either accepted and ignored (read-only round trip) or refused.
    assert.ok(r.status === 200 || r.status === 422, `status ${r.status} ${r.text}`);
    const g = await call('GET', `/api/v1/counsellors/${c.id}`);
    assert.equal(g.body.feed_url, c.feed_url);
  });

  test('rotate-feed-token gives a new feed_url; the old token appears nowhere in GET', async () => {
    const c = (await create(person({ home_station_id: hall.id }))).body;
    const oldTok = c.feed_url.match(FEED_RE)[1];
    const r = await call('POST', `/api/v1/counsellors/${c.id}/rotate-feed-token`);
    expectStatus(r, 200, 'rotate');
    assert.equal(r.body.id, c.id);
    assert.equal(r.body.name, c.name);
    assert.match(r.body.feed_url, FEED_RE);
    const newTok = r.body.feed_url.match(FEED_RE)[1];
    assert.notEqual(newTok, oldTok, 'a different token');
    const g = await call('GET', `/api/v1/counsellors/${c.id}`);
    expectStatus(g, 200);
    assert.equal(g.body.feed_url, r.body.feed_url);
    assert.ok(!g.text.includes(oldTok), 'old token absent from GET one');
    const l = await call('GET', '/api/v1/counsellors?limit=500');
    assert.ok(!l.text.includes(oldTok), 'old token absent from the list');
    assert.ok(l.text.includes(newTok), 'new token in the list');
    expectError(await api(s.url, 'POST', `/api/v1/counsellors/${c.id}/rotate-feed-token`), 401, 'unauthorized');
  });
});
