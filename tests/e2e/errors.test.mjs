// Every error code of the contract with its status and body shape; a
// rejected request writes nothing; health and metrics.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, ADMIN_PASSWORD } from '../lib/harness.mjs';
import { expectError, expectStatus, httpRequest } from './util.mjs';

const INVALID_UTF8 = Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
const JSON_CT = { 'content-type': 'application/json' };

function bigStationBody() {
  return JSON.stringify({ code: 'BIG', name: 'Big', kind: 'hall', address: 'a'.repeat(2 * 1024 * 1024) });
}

describe('error codes', () => {
  let s, token, station, other, counsellor;
  const call = (method, path, opts = {}) => api(s.url, method, path, { token, ...opts });

  before(async () => {
    s = await startServer();
    token = await login(s.url);
    station = (await call('POST', '/api/v1/stations', { body: { code: 'HALL', name: '接待大厅', kind: 'hall' } })).body;
    other = (await call('POST', '/api/v1/stations', { body: { code: 'FT', name: '福田街道', kind: 'street' } })).body;
    counsellor = (await call('POST', '/api/v1/counsellors', {
      body: { name: '李老师', email: 'li@example.org', home_station_id: station.id },
    })).body;
    assert.ok(station?.id && other?.id && counsellor?.id, 'fixtures created');
  });
  after(async () => { await s.stop(); });

  test('bad_request 400: malformed JSON, a JSON array, a JSON string, an empty body', async () => {
    expectError(await call('POST', '/api/v1/stations', { raw: '{"name":', headers: JSON_CT }), 400, 'bad_request');
    expectError(await call('POST', '/api/v1/stations', { raw: '[{"code":"A","name":"A","kind":"hall"}]', headers: JSON_CT }),
      400, 'bad_request');
    expectError(await call('POST', '/api/v1/stations', { raw: '"hall"', headers: JSON_CT }), 400, 'bad_request');
    expectError(await call('POST', '/api/v1/stations', { raw: '', headers: JSON_CT }), 400, 'bad_request');
    expectError(await call('PATCH', `/api/v1/stations/${station.id}`, { raw: '{"name":"x",}', headers: JSON_CT }),
      400, 'bad_request');
  });

  test('bad_request 400 (or 422): invalid UTF-8 in a JSON body', async () => {
    const r = await call('POST', '/api/v1/stations', { raw: INVALID_UTF8, headers: JSON_CT });
    assert.ok(r.status === 400 || r.status === 422, `400 or 422, got ${r.status} ${r.text}`);
    expectError(r, r.status, r.status === 400 ? 'bad_request' : 'validation_failed');
  });

  test('unauthorized 401: no session, malformed Authorization', async () => {
    expectError(await api(s.url, 'GET', '/api/v1/stations'), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/stations', { headers: { authorization: 'Bearer' } }), 401, 'unauthorized');
    expectError(await api(s.url, 'GET', '/api/v1/stations', { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } }),
      401, 'unauthorized');
    expectError(await api(s.url, 'POST', '/api/v1/stations', { body: { code: 'X', name: 'X', kind: 'hall' } }), 401, 'unauthorized');
  });

  test('forbidden 403: a cookie-authenticated POST with a cross-site Origin', async () => {
    const lr = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectStatus(lr, 200, 'login');
    const cookie = lr.headers.getSetCookie().find((c) => c.startsWith('hearth_session=')).split(';')[0];
    const evil = await api(s.url, 'POST', '/api/v1/stations', {
      body: { code: 'EVIL', name: 'Evil', kind: 'hall' },
      headers: { cookie, origin: 'http://evil.example' },
    });
    expectError(evil, 403, 'forbidden');
    const evilPatch = await api(s.url, 'PATCH', `/api/v1/stations/${station.id}`, {
      body: { name: 'Pwned' }, headers: { cookie, origin: 'http://evil.example' },
    });
    expectError(evilPatch, 403, 'forbidden');
    const l = await call('GET', '/api/v1/stations?q=EVIL');
    assert.equal(l.body.total, 0, 'nothing created');
    assert.equal((await call('GET', `/api/v1/stations/${station.id}`)).body.name, '接待大厅', 'nothing changed');
    // The console's own origin is fine.
    const same = await api(s.url, 'POST', '/api/v1/stations', {
      body: { code: 'SAME', name: 'Same origin', kind: 'hall' },
      headers: { cookie, origin: new URL(s.url).origin },
    });
    expectStatus(same, 201, 'same-origin cookie POST');
    const evilLogout = await api(s.url, 'DELETE', '/api/v1/session', { headers: { cookie, origin: 'http://evil.example' } });
    expectError(evilLogout, 403, 'forbidden');
    expectStatus(await api(s.url, 'GET', '/api/v1/session', { headers: { cookie } }), 200, 'cookie still valid after a cross-site logout');
  });

  test('not_found 404: unknown route and unknown id', async () => {
    expectError(await call('GET', '/api/v1/nope'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/999999'), 404, 'not_found');
    expectError(await call('GET', `/api/v1/counsellors/${counsellor.id + 1000}`), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/x1'), 404, 'not_found');
  });

  test('conflict 409: a duplicate station code', async () => {
    expectError(await call('POST', '/api/v1/stations', { body: { code: 'hall', name: 'Again', kind: 'hall' } }),
      409, 'conflict', 'code');
  });

  test('too_large 413: a 2 MB JSON body', async () => {
    const r = await httpRequest(s.url, 'POST', '/api/v1/stations', {
      headers: { ...JSON_CT, authorization: `Bearer ${token}` },
      body: bigStationBody(),
    });
    expectError(r, 413, 'too_large');
    const l = await call('GET', '/api/v1/stations?q=BIG');
    expectStatus(l, 200);
    assert.equal(l.body.total, 0, 'nothing created');
    // The server still answers on a fresh connection.
    expectStatus(await call('GET', '/api/v1/stations'), 200, 'after 413');
  });

  test('unsupported_media_type 415: JSON sent as text/plain', async () => {
    expectError(await call('POST', '/api/v1/stations', {
      raw: JSON.stringify({ code: 'TXT', name: 'Text', kind: 'hall' }),
      headers: { 'content-type': 'text/plain' },
    }), 415, 'unsupported_media_type');
    expectError(await call('PATCH', `/api/v1/stations/${station.id}`, {
      raw: JSON.stringify({ name: 'Form' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }), 415, 'unsupported_media_type');
  });

  test('application/json with a charset parameter is accepted', async () => {
    const r = await call('POST', '/api/v1/stations', {
      raw: JSON.stringify({ code: 'CS', name: 'Charset', kind: 'hall' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expectStatus(r, 201, 'charset parameter');
  });

  test('validation_failed 422 with the field', async () => {
    expectError(await call('POST', '/api/v1/stations', { body: { code: 'VF', name: 'V', kind: 'palace' } }),
      422, 'validation_failed', 'kind');
  });

  test('method_not_allowed 405 with Allow', async () => {
    const r = await call('PUT', '/api/v1/stations', { body: { code: 'PUT', name: 'Put', kind: 'hall' } });
    expectError(r, 405, 'method_not_allowed');
    const allow = (r.headers.get('allow') || '').split(',').map((m) => m.trim().toUpperCase());
    assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow lists GET and POST: ${r.headers.get('allow')}`);
    assert.ok(!allow.includes('PUT'), 'Allow does not list PUT');
    const one = await call('PUT', `/api/v1/stations/${station.id}`, { body: { name: 'Put' } });
    expectError(one, 405, 'method_not_allowed');
    const allowOne = (one.headers.get('allow') || '').split(',').map((m) => m.trim().toUpperCase());
    for (const m of ['GET', 'PATCH', 'DELETE']) assert.ok(allowOne.includes(m), `Allow on one station lists ${m}: ${one.headers.get('allow')}`);
    expectError(await call('DELETE', '/api/v1/stations'), 405, 'method_not_allowed');
  });

  test('a batch of rejected writes leaves the database unchanged', async () => {
    async function snapshot() {
      const out = {};
      for (const p of ['/api/v1/stations?limit=500', '/api/v1/counsellors?limit=500',
        `/api/v1/stations/${station.id}`, `/api/v1/stations/${other.id}`, `/api/v1/counsellors/${counsellor.id}`,
        '/api/v1/audit?limit=500']) {
        const r = await call('GET', p);
        out[p] = { status: r.status, body: r.body ?? r.text };
      }
      return out;
    }
    const before = await snapshot();
    assert.equal(before['/api/v1/stations?limit=500'].status, 200);
    assert.equal(before['/api/v1/counsellors?limit=500'].status, 200);

    const seen = [];
    const expect = (r, status, what) => { seen.push(`${what}: ${r.status}`); assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`); };
    // 409: duplicate code on create, and a PATCH that renames and then clashes.
    expect(await call('POST', '/api/v1/stations', { body: { code: 'HALL', name: 'Dup', kind: 'hall' } }), 409, 'dup create');
    expect(await call('PATCH', `/api/v1/stations/${other.id}`, { body: { name: 'Renamed', address: 'New', code: 'Hall' } }),
      409, 'patch to a taken code');
    // 422: a valid field together with an invalid one must not half-apply.
    expect(await call('PATCH', `/api/v1/stations/${station.id}`, { body: { name: 'Half applied', kind: 'palace' } }),
      422, 'patch half-invalid');
    expect(await call('PATCH', `/api/v1/stations/${station.id}`, { body: { address: 'Somewhere', timezone: 'Mars/Olympus' } }),
      422, 'patch bad zone');
    expect(await call('POST', '/api/v1/stations', { body: { code: 'NEW1', name: 'New', kind: 'palace' } }), 422, 'create bad kind');
    expect(await call('POST', '/api/v1/counsellors', { body: { name: 'Ghost', email: 'g@example.org', home_station_id: 999999 } }),
      422, 'counsellor unknown station');
    expect(await call('PATCH', `/api/v1/counsellors/${counsellor.id}`, { body: { name: 'Changed', email: 'bad' } }),
      422, 'counsellor half-invalid');
    expect(await call('PATCH', `/api/v1/counsellors/${counsellor.id}`, { body: { max_weekly_hours: 10, home_station_id: 999999 } }),
      422, 'counsellor bad station');
    // 413
    expect(await httpRequest(s.url, 'POST', '/api/v1/stations', {
      headers: { ...JSON_CT, authorization: `Bearer ${token}` }, body: bigStationBody(),
    }), 413, 'too large');
    expect(await httpRequest(s.url, 'PATCH', `/api/v1/stations/${station.id}`, {
      headers: { ...JSON_CT, authorization: `Bearer ${token}` },
      body: JSON.stringify({ address: 'b'.repeat(2 * 1024 * 1024) }),
    }), 413, 'too large patch');
    // 400
    expect(await call('POST', '/api/v1/stations', { raw: '{"code":"NEW2","name":', headers: JSON_CT }), 400, 'malformed');
    expect(await call('POST', '/api/v1/counsellors', { raw: '[{"name":"A","email":"a@example.org"}]', headers: JSON_CT }),
      400, 'array');
    // 401
    expect(await api(s.url, 'POST', '/api/v1/stations', { body: { code: 'NEW3', name: 'Anon', kind: 'hall' } }), 401, 'anon create');
    expect(await api(s.url, 'PATCH', `/api/v1/stations/${station.id}`, { body: { name: 'Anon' } }), 401, 'anon patch');
    expect(await api(s.url, 'DELETE', `/api/v1/stations/${station.id}`), 401, 'anon delete');
    expect(await api(s.url, 'DELETE', `/api/v1/counsellors/${counsellor.id}`), 401, 'anon delete counsellor');
    expect(await api(s.url, 'POST', `/api/v1/counsellors/${counsellor.id}/rotate-feed-token`), 401, 'anon rotate');
    // 415, 404, 405
    expect(await call('POST', '/api/v1/stations', { raw: '{"code":"NEW4","name":"T","kind":"hall"}', headers: { 'content-type': 'text/plain' } }),
      415, 'text/plain');
    expect(await call('PATCH', '/api/v1/stations/999999', { body: { name: 'Nobody' } }), 404, 'unknown id');
    expect(await call('PUT', `/api/v1/stations/${station.id}`, { body: { name: 'Put' } }), 405, 'PUT');

    const after = await snapshot();
    assert.deepEqual(after, before, `database unchanged after: ${seen.join(', ')}`);
  });

  test('GET /healthz answers {"status":"ok","schema":N} without a session', async () => {
    const r = await api(s.url, 'GET', '/healthz');
    expectStatus(r, 200, 'healthz');
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    assert.equal(r.body.status, 'ok');
    assert.ok(Number.isInteger(r.body.schema) && r.body.schema >= 1, `schema: ${r.body.schema}`);
  });

  test('GET /metrics is Prometheus text with a request counter that grows', async () => {
    function requests(text) {
      let sum = 0, found = false;
      for (const line of text.split('\n')) {
        const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([0-9.eE+-]+)/);
        if (m && /request/i.test(m[1]) && !/(duration|seconds|bytes|_bucket|_sum)/.test(m[1])) { sum += Number(m[3]); found = true; }
      }
      return found ? sum : null;
    }
    // Coordinators only (or the metrics_token): see hardening.test.mjs.
    const auth = { headers: { authorization: `Bearer ${await login(s.url)}` } };
    const r1 = await fetch(`${s.url}/metrics`, auth);
    const t1 = await r1.text();
    assert.equal(r1.status, 200);
    assert.match(r1.headers.get('content-type') || '', /^text\/plain/);
    assert.match(t1, /^# (HELP|TYPE) /m, 'HELP/TYPE comments');
    assert.match(t1, /^# TYPE \S*request\S* counter$/m, `a request counter:\n${t1}`);
    const n1 = requests(t1);
    assert.ok(n1 !== null && n1 >= 1, `a request counter with a value:\n${t1}`);
    for (let i = 0; i < 3; i++) await (await fetch(`${s.url}/healthz`)).arrayBuffer();
    const n2 = requests(await (await fetch(`${s.url}/metrics`, auth)).text());
    assert.ok(n2 >= n1 + 3, `request count grows: ${n1} -> ${n2}`);
  });

  test('rate_limited 429 after 5 failed logins (last: it locks this server\'s logins)', async () => {
    for (let i = 0; i < 5; i++) {
      expectError(await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: 'nope' } }), 401, 'unauthorized');
    }
    const r = await api(s.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectError(r, 429, 'rate_limited');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/);
    // A signed-in session is not affected by the login limit.
    expectStatus(await call('GET', '/api/v1/stations'), 200, 'bearer after lockout');
  });
});
