// Shared helpers for the end-to-end tests (not a test file itself).
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, api } from '../lib/harness.mjs';

// Asserts the contract's error shape: the status, a JSON body
// {"error":{"code","message"[,"field"]}} with the given code (and field,
// when given).
export function expectError(r, status, code, field) {
  const where = `${status} ${code}${field ? ` (${field})` : ''}; got ${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, `status: want ${where}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, `content-type of ${where}`);
  assert.ok(r.body && typeof r.body === 'object' && r.body.error && typeof r.body.error === 'object',
    `error body: want ${where}`);
  assert.equal(r.body.error.code, code, `error code: want ${where}`);
  assert.equal(typeof r.body.error.message, 'string', `message is a string: ${where}`);
  assert.ok(r.body.error.message.length > 0, `message is not empty: ${where}`);
  if (field !== undefined) assert.equal(r.body.error.field, field, `error field: want ${where}`);
}

// Expects status; shows the body on failure.
export function expectStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what} want ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
}

// Sends bytes over a raw TCP connection (no URL normalisation by a client
// library) and resolves {status, head, body, raw} once the server closes.
export function rawHttp(baseUrl, request, timeoutMs = 5000) {
  const u = new URL(baseUrl);
  return new Promise((res, rej) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); rej(new Error('raw request timed out')); }, timeoutMs);
    sock.on('connect', () => sock.write(request));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => { clearTimeout(timer); rej(e); });
    sock.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const i = raw.indexOf('\r\n\r\n');
      const head = i >= 0 ? raw.slice(0, i) : raw;
      const body = i >= 0 ? raw.slice(i + 4) : '';
      const m = head.match(/^HTTP\/1\.[01] (\d{3})/);
      res({ status: m ? Number(m[1]) : 0, head, body, raw });
    });
  });
}

export function rawGet(baseUrl, target, extra = '') {
  const u = new URL(baseUrl);
  return rawHttp(baseUrl, `GET ${target} HTTP/1.1\r\nHost: ${u.host}\r\n${extra}Connection: close\r\n\r\n`);
}

let seq = 0;
// A unique station code for this process (A–Z, 0–9, '-', at most 32).
export function uniqueCode(prefix = 'T') {
  seq += 1;
  return `${prefix}${process.pid.toString(36)}-${seq}`.toUpperCase().slice(0, 32);
}

export const FEED_RE = /\/feeds\/counsellors\/([0-9a-f]{32})\.ics$/;

// Starts `hearth serve` on an existing database path (the harness makes
// a fresh one unless told): {url, log(), stop()}; stop() never removes
// the database.
export function serveOn(db, { env = {}, args = [] } = {}) {
  return startServer({ db, env, args });
}

// A request through node:http, which (unlike fetch) still reads the
// response when the server answers before the upload is complete (413).
// Resolves {status, headers (lower-case object), text, body}.
export function httpRequest(baseUrl, method, path, { headers = {}, body } = {}) {
  const u = new URL(path, baseUrl);
  return new Promise((res, rej) => {
    let answered = false;
    const req = http.request(u, { method, headers }, (resp) => {
      answered = true;
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        if ((resp.headers['content-type'] || '').includes('json') && text) {
          try { parsed = JSON.parse(text); } catch { /* left undefined */ }
        }
        res({ status: resp.statusCode, headers: { get: (k) => resp.headers[k.toLowerCase()] ?? null }, text, body: parsed });
      });
    });
    // A write error after (or just before) the answer is expected when the
    // server refuses a large upload early; give the answer time to arrive.
    req.on('error', (e) => { if (!answered) setTimeout(() => { if (!answered) rej(e); }, 1000); });
    if (body !== undefined) req.end(body); else req.end();
  });
}

// A JSON request from a chosen local address (from: another participant's
// phone); resolves like harness api().
export function requestFrom(base, method, path, { body, raw, headers = {}, from = '127.0.0.1', token } = {}) {
  const u = new URL(path, base);
  const h = { ...headers };
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = Buffer.from(JSON.stringify(body)); h['content-type'] ??= 'application/json'; }
  if (payload !== undefined) h['content-length'] = Buffer.byteLength(payload);
  if (token) h.authorization = `Bearer ${token}`;
  return new Promise((res, rej) => {
    const req = http.request(u, { method, headers: h, localAddress: from }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        if ((resp.headers['content-type'] || '').includes('json') && text) parsed = JSON.parse(text);
        res({ status: resp.statusCode, headers: { get: (k) => resp.headers[k.toLowerCase()] ?? null }, text, body: parsed });
      });
    });
    req.on('error', rej);
    req.end(payload);
  });
}

// The store's revision (hearth_store_revision of /metrics, read as the
// coordinator token): read() now, stable() once the mailer's wake-up
// after a write has passed. A refused request must leave it where it was.
export function storeRevision(base, token) {
  const read = async () => {
    const m = await api(base, 'GET', '/metrics', { token });
    return Number(m.text.match(/^hearth_store_revision (\d+)/m)[1]);
  };
  const stable = async () => {
    let a = await read();
    for (let i = 0; i < 20; i++) {
      await new Promise((res) => setTimeout(res, i ? 60 : 5));
      const b = await read();
      if (b === a) return b;
      a = b;
    }
    return a;
  };
  return { read, stable };
}

// ---- Events with their people (registration, check-in and survey tests) ----

export const H = 3600e3;
export const D = 24 * H;
// RFC 3339 in Asia/Shanghai, whole minutes, `ms` from now.
export const at = (ms) => {
  const t = Math.floor((Date.now() + ms) / 60e3) * 60e3;
  return `${new Date(t + 8 * H).toISOString().slice(0, 19)}+08:00`;
};
export const TOKEN_RE = /^[A-Za-z0-9_-]{16,}$/;
// Participant n's own loopback address (127.0.x.y), as from their own
// phone, so the per-address limit bites only where a test means it to.
export const participantAddress = (n) => `127.0.${1 + Math.floor(n / 200)}.${1 + (n % 200)}`;

// An event held with registrations or walk-ins and their tokens, on a
// server and coordinator token known later (getters: before() starts
// the server). `event` gives the default body of mkEvent (kind lecture
// else): an object, or a function for times taken when it is called.
export function eventKit(server, token, { event = {} } = {}) {
  const call = (method, path, body, extra = {}) => api(server().url, method, path, { token: token(), body, ...extra });
  const pub = (method, path, body, extra = {}) => api(server().url, method, path, { body, ...extra });
  const mkEvent = async (over = {}) => {
    const r = await call('POST', '/api/v1/events', { kind: 'lecture', ...(typeof event === 'function' ? event() : event), ...over });
    expectStatus(r, 201, 'create event');
    return r.body;
  };
  // A registration from address `from`: the reply, whatever it is.
  const register = (eventId, body, from) =>
    requestFrom(server().url, 'POST', `/api/v1/events/${eventId}/registrations`, { body, from });
  // Walk-ins by name, `together` at a time.
  const walkIns = async (eventId, names, together = 1) => {
    for (let i = 0; i < names.length; i += together) {
      await Promise.all(names.slice(i, i + together).map(async (name) =>
        expectStatus(await call('POST', `/api/v1/events/${eventId}/attendance`, { walk_in: { name } }), 201, `walk-in ${name}`)));
    }
  };
  const markHeld = async (eventId) => expectStatus(await call('PATCH', `/api/v1/events/${eventId}`, { status: 'held' }), 200, 'mark held');
  const attendance = async (eventId) => {
    const r = await call('GET', `/api/v1/events/${eventId}/attendance?limit=500`);
    expectStatus(r, 200, 'attendance');
    return r.body.items;
  };
  // An event three days ago with n walk-ins, marked held: {event, tokens}.
  const heldEvent = async (n, over = {}, together = 1) => {
    const ev = await mkEvent({ start: at(-3 * D), end: at(-3 * D + 2 * H), ...over });
    await walkIns(ev.id, Array.from({ length: n }, (_, i) => `参加者${i + 1}`), together);
    await markHeld(ev.id);
    const tokens = (await attendance(ev.id)).map((x) => x.survey_token);
    for (const t of tokens) assert.match(t || '', TOKEN_RE, 'survey token issued');
    return { event: ev, tokens };
  };
  return { call, pub, mkEvent, register, walkIns, markHeld, attendance, heldEvent };
}
