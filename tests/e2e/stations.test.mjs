// Stations: create, read, list (paging and filters), partial update,
// deactivation, and every validation rule of docs/api.md.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

describe('stations', () => {
  let s, token;
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const create = (body) => call('POST', '/api/v1/stations', body);

  before(async () => {
    s = await startServer();
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('POST creates: 201, Location, fields echoed, defaults', async () => {
    const r = await create({ code: 'YL', name: '园岭街道', kind: 'street', address: '深圳市福田区园岭街道' });
    expectStatus(r, 201, 'create');
    const st = r.body;
    assert.ok(Number.isInteger(st.id) && st.id > 0, `integer id: ${st.id}`);
    assert.equal(st.code, 'YL');
    assert.equal(st.name, '园岭街道');
    assert.equal(st.kind, 'street');
    assert.equal(st.address, '深圳市福田区园岭街道');
    assert.equal(st.timezone, 'Asia/Shanghai');
    assert.equal(st.active, true);
    assert.equal(typeof st.created_at, 'string');
    assert.equal(typeof st.updated_at, 'string');
    const loc = r.headers.get('location');
    assert.ok(loc, 'Location header');
    assert.equal(new URL(loc, s.url).pathname, `/api/v1/stations/${st.id}`);

    const g = await call('GET', `/api/v1/stations/${st.id}`);
    expectStatus(g, 200, 'get');
    assert.deepEqual(g.body, st, 'GET answers what POST answered');
  });

  test('POST accepts an explicit timezone, active:false, and a 100-character (CJK) name', async () => {
    const name = '福'.repeat(100);
    const r = await create({ code: 'UR-1', name, kind: 'service_point', timezone: 'Asia/Urumqi', active: false });
    expectStatus(r, 201, 'create');
    assert.equal(r.body.name, name);
    assert.equal(r.body.timezone, 'Asia/Urumqi');
    assert.equal(r.body.active, false);
    assert.equal(r.body.kind, 'service_point');
  });

  test('list pages with limit/offset, ordered by id, with the total', async () => {
    for (let i = 0; i < 5; i++) expectStatus(await create({ code: `PG${i}`, name: `Paging ${i}`, kind: 'hall' }), 201);
    const all = await call('GET', '/api/v1/stations?limit=500');
    expectStatus(all, 200, 'list');
    assert.ok(Array.isArray(all.body.items));
    const total = all.body.total;
    assert.equal(total, all.body.items.length);
    assert.ok(total >= 7);
    const ids = all.body.items.map((x) => x.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ordered by id');

    const p1 = await call('GET', '/api/v1/stations?limit=2&offset=0');
    const p2 = await call('GET', '/api/v1/stations?limit=2&offset=2');
    const past = await call('GET', `/api/v1/stations?limit=2&offset=${total}`);
    for (const p of [p1, p2, past]) expectStatus(p, 200, 'page');
    assert.deepEqual(p1.body.items.map((x) => x.id), ids.slice(0, 2));
    assert.deepEqual(p2.body.items.map((x) => x.id), ids.slice(2, 4));
    assert.equal(p1.body.total, total, 'total counts all, not the page');
    assert.equal(p2.body.total, total);
    assert.deepEqual(past.body.items, []);
    assert.equal(past.body.total, total);

    const dflt = await call('GET', '/api/v1/stations');
    expectStatus(dflt, 200);
    assert.equal(dflt.body.items.length, Math.min(total, 50), 'default limit 50');
  });

  test('list filters: q (part of code or name) and active', async () => {
    expectStatus(await create({ code: 'QX1', name: '梅林街道', kind: 'street' }), 201);
    expectStatus(await create({ code: 'QX2', name: 'Lotus', kind: 'street', active: false }), 201);
    const byCode = await call('GET', '/api/v1/stations?q=QX&limit=500');
    expectStatus(byCode, 200);
    assert.deepEqual(byCode.body.items.map((x) => x.code).sort(), ['QX1', 'QX2']);
    assert.equal(byCode.body.total, 2);
    const byName = await call('GET', `/api/v1/stations?q=${encodeURIComponent('梅林')}`);
    expectStatus(byName, 200);
    assert.deepEqual(byName.body.items.map((x) => x.code), ['QX1']);
    const none = await call('GET', '/api/v1/stations?q=zzzznothing');
    expectStatus(none, 200);
    assert.deepEqual(none.body, { items: [], total: 0 });

    const inactive = await call('GET', '/api/v1/stations?active=false&limit=500');
    expectStatus(inactive, 200);
    assert.ok(inactive.body.items.length >= 1);
    assert.ok(inactive.body.items.every((x) => x.active === false), 'active=false lists only inactive');
    assert.ok(inactive.body.items.some((x) => x.code === 'QX2'));
    const active = await call('GET', '/api/v1/stations?active=true&limit=500');
    expectStatus(active, 200);
    assert.ok(active.body.items.every((x) => x.active === true), 'active=true lists only active');
    assert.ok(!active.body.items.some((x) => x.code === 'QX2'));
    const both = await call('GET', '/api/v1/stations?q=QX&active=true');
    expectStatus(both, 200);
    assert.deepEqual(both.body.items.map((x) => x.code), ['QX1']);
  });

  test('PATCH updates only the fields sent', async () => {
    const c = await create({ code: 'PA', name: 'Before', kind: 'street', address: 'Old address' });
    expectStatus(c, 201);
    const r = await call('PATCH', `/api/v1/stations/${c.body.id}`, { name: 'After' });
    expectStatus(r, 200, 'patch');
    assert.equal(r.body.name, 'After');
    assert.equal(r.body.code, 'PA');
    assert.equal(r.body.kind, 'street');
    assert.equal(r.body.address, 'Old address');
    assert.equal(r.body.timezone, 'Asia/Shanghai');
    assert.equal(r.body.active, true);
    const g = await call('GET', `/api/v1/stations/${c.body.id}`);
    assert.equal(g.body.name, 'After');
    assert.equal(g.body.address, 'Old address');
    const r2 = await call('PATCH', `/api/v1/stations/${c.body.id}`, { kind: 'hall', timezone: 'Asia/Hong_Kong' });
    expectStatus(r2, 200);
    assert.equal(r2.body.kind, 'hall');
    assert.equal(r2.body.timezone, 'Asia/Hong_Kong');
    assert.equal(r2.body.name, 'After');
    expectError(await call('PATCH', `/api/v1/stations/${c.body.id}`, { kind: 'castle' }), 422, 'validation_failed', 'kind');
    expectError(await call('PATCH', '/api/v1/stations/999999', { name: 'x' }), 404, 'not_found');
  });

  test('a duplicate code answers 409 conflict on field code, also differing only in case', async () => {
    expectStatus(await create({ code: 'DUP', name: 'First', kind: 'street' }), 201);
    expectError(await create({ code: 'DUP', name: 'Second', kind: 'street' }), 409, 'conflict', 'code');
    expectError(await create({ code: 'dup', name: 'Third', kind: 'street' }), 409, 'conflict', 'code');
    expectError(await create({ code: 'Dup', name: 'Fourth', kind: 'hall' }), 409, 'conflict', 'code');
    const other = await create({ code: 'OTHER', name: 'Other', kind: 'street' });
    expectStatus(other, 201);
    expectError(await call('PATCH', `/api/v1/stations/${other.body.id}`, { code: 'dUp' }), 409, 'conflict', 'code');
    const list = await call('GET', '/api/v1/stations?q=dup&limit=500');
    const upper = await call('GET', '/api/v1/stations?q=DUP&limit=500');
    const dups = [...list.body.items, ...upper.body.items].filter((x) => x.code.toUpperCase() === 'DUP');
    assert.equal(new Set(dups.map((x) => x.id)).size, 1, 'only the first DUP exists');
  });

  test('DELETE deactivates: answers the station with active:false, still GET-able', async () => {
    const c = await create({ code: 'DEL', name: 'To deactivate', kind: 'street' });
    expectStatus(c, 201);
    const d = await call('DELETE', `/api/v1/stations/${c.body.id}`);
    expectStatus(d, 200, 'delete');
    assert.equal(d.body.id, c.body.id);
    assert.equal(d.body.active, false);
    assert.equal(d.body.code, 'DEL');
    const g = await call('GET', `/api/v1/stations/${c.body.id}`);
    expectStatus(g, 200, 'get after delete');
    assert.equal(g.body.active, false);
    assert.equal(g.body.name, 'To deactivate');
    const l = await call('GET', '/api/v1/stations?active=false&limit=500');
    assert.ok(l.body.items.some((x) => x.id === c.body.id));
    // The code stays taken.
    expectError(await create({ code: 'DEL', name: 'Again', kind: 'street' }), 409, 'conflict', 'code');
  });

  test('unknown and non-numeric ids answer 404 not_found', async () => {
    expectError(await call('GET', '/api/v1/stations/999999'), 404, 'not_found');
    expectError(await call('DELETE', '/api/v1/stations/999999'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/abc'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/0'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/-1'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/1.5'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/99999999999999999999999'), 404, 'not_found');
  });

  test('validation: kind, unknown field, types, lengths, timezone, required fields', async () => {
    const ok = { code: 'V1', name: 'Valid', kind: 'street' };
    expectError(await create({ ...ok, kind: 'castle' }), 422, 'validation_failed', 'kind');
    expectError(await create({ ...ok, colour: 'red' }), 422, 'validation_failed');
    expectError(await create({ ...ok, name: 5 }), 422, 'validation_failed', 'name');
    expectError(await create({ ...ok, name: 'n'.repeat(101) }), 422, 'validation_failed', 'name');
    expectError(await create({ ...ok, name: '福'.repeat(101) }), 422, 'validation_failed', 'name');
    expectError(await create({ ...ok, name: '' }), 422, 'validation_failed', 'name');
    expectError(await create({ ...ok, timezone: 'Mars/Olympus' }), 422, 'validation_failed', 'timezone');
    expectError(await create({ ...ok, timezone: '../../etc/passwd' }), 422, 'validation_failed', 'timezone');
    expectError(await create({ ...ok, address: 'a'.repeat(201) }), 422, 'validation_failed', 'address');
    expectError(await create({ ...ok, active: 'yes' }), 422, 'validation_failed', 'active');
    expectError(await create({ ...ok, code: 'has space' }), 422, 'validation_failed', 'code');
    expectError(await create({ ...ok, code: 'C'.repeat(33) }), 422, 'validation_failed', 'code');
    expectError(await create({ name: 'No code', kind: 'street' }), 422, 'validation_failed', 'code');
    expectError(await create({ code: 'V2', kind: 'street' }), 422, 'validation_failed', 'name');
    expectError(await create({ code: 'V3', name: 'No kind' }), 422, 'validation_failed', 'kind');
    const l = await call('GET', '/api/v1/stations?q=V&limit=500');
    assert.ok(!l.body.items.some((x) => /^V\d$/.test(x.code)), 'nothing was created by rejected requests');
    // A 32-character code and a 200-character address are fine.
    expectStatus(await create({ code: 'C'.repeat(32), name: 'Long code', kind: 'street', address: 'a'.repeat(200) }), 201);
  });

  test('limit 0, 501, and bad offsets answer 422 naming the parameter', async () => {
    for (const [q, param] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'], ['offset=-1', 'offset']]) {
      const r = await call('GET', `/api/v1/stations?${q}`);
      expectError(r, 422, 'validation_failed');
      assert.ok(r.body.error.field === param || r.body.error.message.includes(param),
        `${q}: the error names ${param}: ${r.text}`);
    }
    expectStatus(await call('GET', '/api/v1/stations?limit=1'), 200);
    expectStatus(await call('GET', '/api/v1/stations?limit=500'), 200);
  });
});
