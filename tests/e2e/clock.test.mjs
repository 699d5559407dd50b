// The service's clock for tests: PUT /api/v1/_clock exists only with
// HEARTH_FAKE_CLOCK=1, and moving it moves the domain's time (an event
// can be marked held once the clock passes its start; a survey closes 30
// days after the event) without signing anyone out.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('without HEARTH_FAKE_CLOCK the route does not exist', async () => {
  const s = await startServer();
  servers.push(s);
  const token = await login(s.url);
  expectError(await api(s.url, 'PUT', '/api/v1/_clock', { token, body: { now: iso(Date.now()) } }), 404, 'not_found');
});

test('with HEARTH_FAKE_CLOCK=1 coordinators move the domain clock', async () => {
  const s = await startServer({ env: { HEARTH_FAKE_CLOCK: '1' } });
  servers.push(s);
  assert.match(s.log(), /HEARTH_FAKE_CLOCK=1/, 'the server warns at start');
  const token = await login(s.url);
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  expectError(await api(s.url, 'PUT', '/api/v1/_clock', { body: { now: iso(Date.now()) } }), 401, 'unauthorized');
  expectError(await call('PUT', '/api/v1/_clock', { now: 'tomorrow' }), 422, 'validation_failed', 'now');

  const start = Date.now() + 3600e3;
  const ev = await call('POST', '/api/v1/events', {
    kind: 'training', title: '时钟测试', public: true, start: iso(start), end: iso(start + 2 * 3600e3),
  });
  expectStatus(ev, 201);
  expectError(await call('PATCH', `/api/v1/events/${ev.body.id}`, { status: 'held' }), 422, 'validation_failed', 'status');
  expectStatus(await call('POST', `/api/v1/events/${ev.body.id}/attendance`, { walk_in: { name: '学员' }, passed: true }), 201);

  // Three hours on: the training has happened.
  const moved = await call('PUT', '/api/v1/_clock', { now: iso(start + 2 * 3600e3) });
  expectStatus(moved, 200);
  assert.ok(Math.abs(Date.parse(moved.body.now) - (start + 2 * 3600e3)) < 5000, moved.text);
  expectStatus(await call('PATCH', `/api/v1/events/${ev.body.id}`, { status: 'held' }), 200, 'held once its start has passed');
  const tok = (await call('GET', `/api/v1/events/${ev.body.id}/attendance`)).body.items[0].survey_token;
  expectStatus(await api(s.url, 'GET', `/api/v1/surveys/${tok}`), 200, 'the survey is open');

  // Forty days on: the survey has closed; the session still works.
  expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(start + 40 * 86400e3) }), 200);
  expectError(await api(s.url, 'GET', `/api/v1/surveys/${tok}`), 409, 'conflict');
  expectStatus(await call('GET', '/api/v1/stations'), 200, 'still signed in');

  // And back.
  expectStatus(await call('PUT', '/api/v1/_clock', { now: iso(start + 3 * 3600e3) }), 200);
  expectStatus(await api(s.url, 'GET', `/api/v1/surveys/${tok}`), 200);
});
