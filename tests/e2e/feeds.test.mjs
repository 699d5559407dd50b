// Feeds: counsellor, station and public events calendars read with
// ical.js (Thunderbird's parser), their HTTP behaviour (ETag, 304,
// gzip, HEAD, no stale cache), token rotation, alarms, feed health, the
// QR code and the subscribe-page info — docs/api.md "Feeds (public)".
//
// The feed window is relative to the real clock (90 days back, 400
// ahead), so the data lives in the week after the current one.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import ICAL from 'ical.js';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, rawHttp, FEED_RE } from './util.mjs';

const CT = 'text/calendar; charset=utf-8';
const TZ = 'Asia/Shanghai';

// Station-local (Asia/Shanghai) calendar dates as YYYY-MM-DD.
const todayShanghai = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const addDays = (ymd, n) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const isoDow = (ymd) => ((new Date(`${ymd}T00:00:00Z`).getUTCDay() + 6) % 7) + 1; // Monday = 1
const at = (ymd, hm) => `${ymd}T${hm}:00+08:00`;

// A 300-character Chinese description with the characters iCalendar
// must escape (comma, semicolon, backslash, newline).
const LONG_ZH = (() => {
  const base = '心理疏导，情绪管理；压力应对\\沟通技巧。\n来访群众的心理健康需要耐心倾听与专业支持，咨询师将结合案例讲解';
  let s = '';
  while (s.length < 300) s += base;
  return s.slice(0, 300);
})();

// One HTTP exchange through node:http, which adds no Accept,
// Accept-Encoding or User-Agent of its own and does not decompress.
function req(base, method, path, headers = {}) {
  return new Promise((res, rej) => {
    const r = http.request(new URL(path, base), { method, headers }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => {
        const body = Buffer.concat(chunks);
        res({ status: resp.statusCode, headers: resp.headers, body, text: body.toString('utf8') });
      });
    });
    r.on('error', rej);
    r.end();
  });
}

// Parses a feed with ical.js; registers its VTIMEZONEs (and only those)
// so that TZID-bound times resolve through the zone we ship.
function parseFeed(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const vtz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return cal;
}

// uid -> VEVENT component
function byUid(cal) {
  const m = new Map();
  for (const ve of cal.getAllSubcomponents('vevent')) {
    const uid = ve.getFirstPropertyValue('uid');
    assert.ok(!m.has(uid), `duplicate UID ${uid}`);
    m.set(uid, ve);
  }
  return m;
}

const uidKind = (uid) => {
  const m = /^(shift|event)-(\d+)@[^@\s]+$/.exec(uid);
  assert.ok(m, `UID shape: ${uid}`);
  return { kind: m[1], id: Number(m[2]) };
};
const idsOf = (cal, kind) => [...byUid(cal).keys()].map(uidKind).filter((u) => u.kind === kind).map((u) => u.id).sort((a, b) => a - b);
const sorted = (a) => [...a].sort((x, y) => x - y);
const veFor = (cal, kind, id) => [...byUid(cal).entries()].find(([uid]) => uidKind(uid).kind === kind && uidKind(uid).id === id)?.[1];

describe('feeds', () => {
  let s, token;
  const st = {};            // code -> station
  let people = [];          // counsellors (demo)
  let X, Y;                 // X: the counsellor whose feed we read; Y: another
  let A, B;                 // two stations (codes)
  let mon;                  // Monday of next week (YYYY-MM-DD)
  let shifts = [];          // generated shifts of that week
  const ev = {};            // name -> event
  let xFeed;                // path of X's feed

  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const get = (path, headers = {}) => req(s.url, 'GET', path, headers);
  const ok = async (path, headers = {}) => {
    const r = await get(path, headers);
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text.slice(0, 200)}`);
    return r;
  };
  const feedCal = async (path, headers) => parseFeed((await ok(path, headers)).text);
  const mkEvent = async (name, body) => {
    const r = await call('POST', '/api/v1/events', body);
    expectStatus(r, 201, `create event ${name}`);
    ev[name] = r.body;
    return r.body;
  };
  const pathOf = (url) => { const u = new URL(url); return u.pathname + u.search; };

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    const sl = await call('GET', '/api/v1/stations?limit=500');
    expectStatus(sl, 200);
    for (const x of sl.body.items) st[x.code] = x;
    const codes = Object.keys(st);
    assert.ok(codes.length >= 3, 'demo stations');
    [A, B] = [codes[0], codes[1]];
    const cl = await call('GET', '/api/v1/counsellors?limit=500');
    expectStatus(cl, 200);
    people = cl.body.items;
    assert.ok(people.length >= 3, 'demo counsellors');

    const today = todayShanghai();
    mon = addDays(today, 8 - isoDow(today));
    assert.equal(isoDow(mon), 1);

    // Templates on weekdays at two stations; generate that week.
    for (const [code, start, end] of [[A, '09:00', '12:00'], [B, '14:00', '17:30']]) {
      const r = await call('POST', '/api/v1/shift-templates', { station_id: st[code].id, weekdays: [1, 2, 3, 4, 5], start, end, required: 1 });
      expectStatus(r, 201, `template ${code}`);
    }
    const g = await call('POST', '/api/v1/rosters/generate', { from: mon, to: addDays(mon, 6), station_ids: [st[A].id, st[B].id] });
    expectStatus(g, 200, 'generate');
    assert.equal(g.body.created, 10, 'ten shifts generated');
    const sh = await call('GET', `/api/v1/shifts?from=${mon}&to=${addDays(mon, 6)}&limit=500`);
    expectStatus(sh, 200);
    shifts = sh.body.items;
    assert.equal(shifts.length, 10);
    assert.ok(shifts.every((x) => x.counsellor_id != null), 'every generated shift is filled');

    // X: the counsellor of the first shift; Y: someone else with shifts, or anyone else.
    X = people.find((p) => p.id === shifts[0].counsellor_id);
    Y = people.find((p) => p.id !== X.id && shifts.some((x) => x.counsellor_id === p.id)) || people.find((p) => p.id !== X.id);
    xFeed = pathOf(X.feed_url);
    assert.match(xFeed, FEED_RE);

    // Weekend events (no duty shifts then). X speaks at talk (public,
    // 300-char description), salon (private) and fair (public, later
    // cancelled); Y speaks at training (public, other station).
    const sat = addDays(mon, 5), sun = addDays(mon, 6);
    await mkEvent('talk', { kind: 'lecture', title: '情绪管理与压力应对讲座', description: LONG_ZH, station_id: st[A].id,
      venue: '二楼会议室', start: at(sat, '09:30'), end: at(sat, '11:30'), speaker_ids: [X.id], public: true, audience: 'residents' });
    await mkEvent('salon', { kind: 'salon', title: '咨询师内部沙龙', station_id: st[B].id, venue: '三楼活动室',
      start: at(sun, '14:00'), end: at(sun, '16:00'), speaker_ids: [X.id], public: false, audience: 'staff', reminders: [30], status: 'confirmed' });
    await mkEvent('fair', { kind: 'activity', title: '社区心理健康宣传日', station_id: st[A].id, venue: '广场',
      start: at(sun, '09:00'), end: at(sun, '11:00'), speaker_ids: [X.id], public: true, audience: 'mixed' });
    await mkEvent('training', { kind: 'training', title: '信访工作者心理调适培训', station_id: st[B].id, venue: '培训室',
      start: at(sat, '14:00'), end: at(sat, '17:00'), speaker_ids: [Y.id], public: true, audience: 'staff' });
    await mkEvent('group', { kind: 'group', title: '亲子沟通团体辅导', description: LONG_ZH, station_id: st[A].id, venue: '团辅室',
      start: at(sat, '15:00'), end: at(sat, '17:00'), public: true, audience: 'residents' });
  });
  after(async () => { await s.stop(); });

  test("counsellor feed: exactly that counsellor's shifts and talks, at the right instants", async () => {
    const cal = await feedCal(xFeed);
    const wantShifts = sorted(shifts.filter((x) => x.counsellor_id === X.id).map((x) => x.id));
    assert.ok(wantShifts.length >= 1);
    assert.deepEqual(idsOf(cal, 'shift'), wantShifts, 'shift UIDs');
    assert.deepEqual(idsOf(cal, 'event'), sorted([ev.talk.id, ev.salon.id, ev.fair.id]), 'event UIDs (X speaks)');

    const apiById = new Map([...shifts.map((x) => [`shift-${x.id}`, x]), ...Object.values(ev).map((e) => [`event-${e.id}`, e])]);
    for (const [uid, ve] of byUid(cal)) {
      const { kind, id } = uidKind(uid);
      const row = apiById.get(`${kind}-${id}`);
      for (const [prop, field] of [['dtstart', 'start'], ['dtend', 'end']]) {
        const p = ve.getFirstProperty(prop);
        assert.equal(p.getParameter('tzid'), TZ, `${uid} ${prop} TZID`);
        const t = p.getFirstValue();
        assert.equal(t.zone && t.zone.tzid, TZ, `${uid} ${prop} resolves through the shipped VTIMEZONE`);
        assert.equal(t.toJSDate().getTime(), Date.parse(row[field]), `${uid} ${prop} instant = API ${field} ${row[field]}`);
      }
      for (const prop of ['dtstamp', 'last-modified', 'sequence', 'summary', 'status', 'categories']) {
        assert.ok(ve.hasProperty(prop), `${uid} has ${prop}`);
      }
      const summary = ve.getFirstPropertyValue('summary');
      if (kind === 'shift') {
        assert.equal(summary, `值班 · ${st[Object.keys(st).find((c) => st[c].id === row.station_id)].name}`, 'shift summary');
        assert.equal(ve.getFirstPropertyValue('categories'), '值班');
        assert.equal(ve.getFirstPropertyValue('status'), 'CONFIRMED');
      } else {
        assert.ok(summary.includes(row.title), `${uid} summary names the title: ${summary}`);
        assert.ok(ve.getFirstPropertyValue('description').includes(X.name), `${uid} description names the speaker`);
        assert.equal(ve.getFirstPropertyValue('status'), row.status === 'planned' ? 'TENTATIVE' : 'CONFIRMED', `${uid} status`);
      }
    }
    assert.equal(veFor(cal, 'event', ev.talk.id).getFirstPropertyValue('summary'), `讲座：${ev.talk.title}`);
    assert.equal(veFor(cal, 'event', ev.salon.id).getFirstPropertyValue('status'), 'CONFIRMED');
  });

  test('calendar properties: VTIMEZONE, names, refresh hints', async () => {
    const r = await ok(xFeed);
    const cal = parseFeed(r.text);
    const zones = cal.getAllSubcomponents('vtimezone');
    assert.equal(zones.length, 1, 'one VTIMEZONE');
    assert.equal(zones[0].getFirstPropertyValue('tzid'), TZ);
    assert.ok(!/freeassociation/i.test(r.text), 'no libical TZID prefix');
    assert.equal(cal.getFirstPropertyValue('x-wr-calname'), `心访排班 · ${X.name}`);
    assert.equal(cal.getFirstPropertyValue('x-wr-timezone'), TZ);
    assert.equal(cal.getFirstPropertyValue('version'), '2.0');
    assert.match(r.text, /\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n/);
    assert.match(r.text, /\r\nX-PUBLISHED-TTL:PT1H\r\n/);
    assert.match(r.text, /\r\nNAME:心访排班 · /);
  });

  test('text form: CRLF only, lines of at most 75 octets, a 300-char Chinese description round-trips', async () => {
    for (const path of [xFeed, '/feeds/events.ics', `/feeds/stations/${A}.ics`]) {
      const text = (await ok(path)).text;
      assert.ok(text.endsWith('\r\n'), `${path} ends with CRLF`);
      assert.ok(!/[^\r]\n/.test(text) && !/\r(?!\n)/.test(text), `${path}: every line ends with CRLF`);
      for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `${path}: ${Buffer.byteLength(line)} octets: ${line}`);
      assert.ok(!text.includes('\uFFFD'), `${path}: folding never splits a character`);
    }
    assert.equal(LONG_ZH.length, 300);
    // no speaker: the description is exactly the event's
    const pub = await feedCal('/feeds/events.ics');
    assert.equal(veFor(pub, 'event', ev.group.id).getFirstPropertyValue('description'), LONG_ZH);
    // with a speaker: the description, then the speakers
    const mine = await feedCal(xFeed);
    assert.equal(veFor(mine, 'event', ev.talk.id).getFirstPropertyValue('description'), `${LONG_ZH}\n主讲：${X.name}`);
  });

  test('Content-Type is text/calendar whatever Accept says, and without Accept', async () => {
    for (const path of [xFeed, '/feeds/events.ics', `/feeds/stations/${A}.ics`]) {
      for (const headers of [{}, { Accept: 'application/json' }, { Accept: 'text/html' }, { Accept: '*/*' }]) {
        const r = await ok(path, headers);
        assert.equal(r.headers['content-type'], CT, `${path} ${JSON.stringify(headers)}`);
        assert.ok(r.text.startsWith('BEGIN:VCALENDAR\r\n'));
      }
    }
    assert.equal((await ok(xFeed)).headers['cache-control'], 'private, no-cache');
    assert.equal((await ok('/feeds/events.ics')).headers['cache-control'], 'public, max-age=300');
  });

  test('conditional GET: strong ETag, If-None-Match, If-Modified-Since, INM wins', async () => {
    const r = await ok(xFeed);
    const etag = r.headers.etag;
    const lm = r.headers['last-modified'];
    assert.match(etag, /^"[^"]+"$/, `strong ETag: ${etag}`);
    assert.ok(lm && !Number.isNaN(Date.parse(lm)), `Last-Modified: ${lm}`);
    assert.match(r.headers.vary || '', /Accept-Encoding/i);
    assert.equal((await ok(xFeed)).headers.etag, etag, 'same bytes, same ETag');

    const nm = await get(xFeed, { 'If-None-Match': etag });
    assert.equal(nm.status, 304);
    assert.equal(nm.body.length, 0, '304 has no body');
    assert.equal(nm.headers.etag, etag, '304 carries the ETag');
    assert.equal(nm.headers['last-modified'], lm);
    assert.equal((await get(xFeed, { 'If-None-Match': `"nope", ${etag}` })).status, 304, 'ETag in a list');
    assert.equal((await get(xFeed, { 'If-None-Match': '*' })).status, 304, 'INM *');

    // a raw socket: nothing at all after the 304 head
    const u = new URL(s.url);
    const raw = await rawHttp(s.url, `GET ${xFeed} HTTP/1.1\r\nHost: ${u.host}\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`);
    assert.equal(raw.status, 304);
    assert.equal(raw.body, '', 'no bytes after the 304 head');

    assert.equal((await get(xFeed, { 'If-Modified-Since': lm })).status, 304, 'IMS = Last-Modified');
    const now = new Date().toUTCString();
    assert.equal((await get(xFeed, { 'If-Modified-Since': now })).status, 304, 'IMS after Last-Modified');
    const before = new Date(Date.parse(lm) - 86400000).toUTCString();
    assert.equal((await get(xFeed, { 'If-Modified-Since': before })).status, 200, 'IMS before Last-Modified');

    const future = new Date(Date.now() + 30 * 86400000).toUTCString();
    const both = await get(xFeed, { 'If-None-Match': '"not-the-etag"', 'If-Modified-Since': future });
    assert.equal(both.status, 200, 'a mismatching INM wins over IMS');
    assert.equal(both.text, r.text);
    assert.equal((await get(xFeed, { 'If-None-Match': etag, 'If-Modified-Since': before })).status, 304, 'a matching INM wins over IMS');
  });

  test('gzip when asked (own ETag, Vary), identity otherwise', async () => {
    const plain = await ok(xFeed);
    assert.equal(plain.headers['content-encoding'], undefined, 'identity without Accept-Encoding');
    const gz = await ok(xFeed, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(gz.headers.vary || '', /Accept-Encoding/i);
    assert.equal(gz.headers['content-type'], CT);
    assert.ok(gz.body[0] === 0x1f && gz.body[1] === 0x8b, 'gzip magic');
    assert.ok(gunzipSync(gz.body).equals(plain.body), 'decompresses to the plain body, byte for byte');
    assert.notEqual(gz.headers.etag, plain.headers.etag, 'each representation its own ETag');
    assert.match(gz.headers.etag, /^"[^"]+-gz"$/);
    assert.equal((await ok(xFeed, { 'Accept-Encoding': 'gzip, deflate, br' })).headers['content-encoding'], 'gzip');
    assert.equal((await ok(xFeed, { 'Accept-Encoding': 'identity' })).headers['content-encoding'], undefined);
    assert.equal((await ok(xFeed, { 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding'], undefined, 'q=0 refuses gzip');
    assert.equal((await ok(xFeed, { 'Accept-Encoding': 'deflate' })).headers['content-encoding'], undefined);
    const nm = await get(xFeed, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
    assert.equal(nm.status, 304);
    assert.equal(nm.body.length, 0);
    assert.equal(nm.headers.etag, gz.headers.etag);
    assert.equal(nm.headers['content-encoding'], 'gzip');
    assert.equal((await get(xFeed, { 'Accept-Encoding': 'gzip', 'If-None-Match': plain.headers.etag })).status, 200,
      'the identity ETag does not validate the gzip representation');
  });

  test('HEAD answers the headers and no body', async () => {
    const g = await ok(xFeed);
    const h = await req(s.url, 'HEAD', xFeed);
    assert.equal(h.status, 200);
    assert.equal(h.headers['content-type'], CT);
    assert.equal(h.headers.etag, g.headers.etag);
    assert.equal(h.headers['last-modified'], g.headers['last-modified']);
    const u = new URL(s.url);
    const raw = await rawHttp(s.url, `HEAD ${xFeed} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
    assert.equal(raw.status, 200);
    assert.equal(raw.body, '', 'no body bytes');
    const cl = /\r\ncontent-length: *(\d+)/i.exec(raw.head);
    if (cl) assert.equal(Number(cl[1]), g.body.length, 'Content-Length of the GET');
  });

  test('UIDs are stable across rebuilds; a write anywhere shows on the next request', async () => {
    const r1 = await ok(xFeed);
    const c1 = parseFeed(r1.text);
    const seq1 = new Map([...byUid(c1)].map(([uid, ve]) => [uid, ve.getFirstPropertyValue('sequence')]));

    // an unrelated write: the feed is rebuilt, with the same UIDs and sequences
    const other = await call('POST', '/api/v1/stations', { code: 'FEEDTEST1', name: '测试驻点', kind: 'street' });
    expectStatus(other, 201);
    const c2 = await feedCal(xFeed);
    assert.deepEqual(new Map([...byUid(c2)].map(([uid, ve]) => [uid, ve.getFirstPropertyValue('sequence')])), seq1);

    // renaming the counsellor: new calendar name and speaker line at once
    // (a second later: Last-Modified has one-second resolution)
    await new Promise((res) => setTimeout(res, 1100));
    const renamed = `${X.name}（改）`;
    expectStatus(await call('PATCH', `/api/v1/counsellors/${X.id}`, { name: renamed }), 200);
    X = { ...X, name: renamed };
    const r3 = await ok(xFeed);
    assert.notEqual(r3.headers.etag, r1.headers.etag, 'new ETag');
    const c3 = parseFeed(r3.text);
    assert.equal(c3.getFirstPropertyValue('x-wr-calname'), `心访排班 · ${renamed}`);
    assert.ok(veFor(c3, 'event', ev.talk.id).getFirstPropertyValue('description').endsWith(`主讲：${renamed}`));
    assert.equal((await get(xFeed, { 'If-None-Match': r1.headers.etag })).status, 200, 'the old ETag no longer matches');
    assert.equal((await get(xFeed, { 'If-Modified-Since': r1.headers['last-modified'] })).status, 200,
      'If-Modified-Since alone sees the rename too');

    // a shift note: shows at once
    const mine = shifts.find((x) => x.counsellor_id === X.id);
    expectStatus(await call('PATCH', `/api/v1/shifts/${mine.id}`, { note: '带好工作证' }), 200);
    const c4 = await feedCal(xFeed);
    const ve = veFor(c4, 'shift', mine.id);
    assert.match(ve.getFirstPropertyValue('description'), /带好工作证/);
    assert.ok(ve.getFirstPropertyValue('sequence') > seq1.get(ve.getFirstPropertyValue('uid')), 'shift SEQUENCE grows');
  });

  test('If-Modified-Since alone sees changes that touch no item of the feed (station rename)', async () => {
    const r1 = await ok(xFeed);
    await new Promise((res) => setTimeout(res, 1100)); // Last-Modified has one-second resolution
    const code = Object.keys(st).find((c) => st[c].id === shifts.find((x) => x.counsellor_id === X.id).station_id);
    const moved = await call('PATCH', `/api/v1/stations/${st[code].id}`, { name: `${st[code].name}（新址）` });
    expectStatus(moved, 200);
    st[code] = moved.body;
    const r2 = await ok(xFeed);
    assert.notEqual(r2.text, r1.text, 'the shift summaries changed');
    assert.notEqual(r2.headers['last-modified'], r1.headers['last-modified'], 'so should Last-Modified');
    assert.equal((await get(xFeed, { 'If-Modified-Since': r1.headers['last-modified'] })).status, 200);
  });

  test('reschedule raises SEQUENCE; cancel keeps the item as STATUS:CANCELLED with [已取消]', async () => {
    const before = veFor(await feedCal(xFeed), 'event', ev.salon.id);
    const seq0 = before.getFirstPropertyValue('sequence');
    const sun = addDays(mon, 6);
    const r = await call('POST', `/api/v1/events/${ev.salon.id}/reschedule`, { start: at(sun, '15:00'), end: at(sun, '17:00'), reason: '场地调整' });
    expectStatus(r, 200, 'reschedule');
    const after1 = veFor(await feedCal(xFeed), 'event', ev.salon.id);
    assert.ok(after1.getFirstPropertyValue('sequence') > seq0, 'SEQUENCE grows');
    assert.equal(after1.getFirstPropertyValue('sequence'), r.body.sequence, 'SEQUENCE = API sequence');
    assert.equal(after1.getFirstPropertyValue('uid'), before.getFirstPropertyValue('uid'), 'same UID');
    assert.equal(after1.getFirstPropertyValue('dtstart').toJSDate().getTime(), Date.parse(r.body.start));

    const c = await call('POST', `/api/v1/events/${ev.fair.id}/cancel`, { reason: '天气原因' });
    expectStatus(c, 200, 'cancel');
    for (const path of [xFeed, '/feeds/events.ics', `/feeds/stations/${A}.ics`]) {
      const ve = veFor(await feedCal(path), 'event', ev.fair.id);
      assert.ok(ve, `${path}: the cancelled event stays`);
      assert.equal(ve.getFirstPropertyValue('status'), 'CANCELLED');
      assert.ok(ve.getFirstPropertyValue('summary').startsWith('[已取消]'), ve.getFirstPropertyValue('summary'));
      assert.equal(ve.getFirstPropertyValue('sequence'), c.body.sequence);
    }
    ev.fair = c.body;
  });

  test('station feed: only that station\'s public events; unknown station 404', async () => {
    const cal = await feedCal(`/feeds/stations/${A}.ics`);
    assert.deepEqual(idsOf(cal, 'event'), sorted([ev.talk.id, ev.fair.id, ev.group.id]));
    assert.deepEqual(idsOf(cal, 'shift'), [], 'no shifts');
    assert.equal(cal.getFirstPropertyValue('x-wr-calname'), `心访工作室活动 · ${st[A].name}`);
    const calB = await feedCal(`/feeds/stations/${B}.ics`);
    assert.deepEqual(idsOf(calB, 'event'), [ev.training.id], 'private salon left out');
    const lower = await get(`/feeds/stations/${A.toLowerCase()}.ics`);
    assert.ok([200, 404].includes(lower.status));
    const nf = await api(s.url, 'GET', '/feeds/stations/NO-SUCH-STATION.ics');
    expectError(nf, 404, 'not_found');
  });

  test('events.ics: public events, filtered by kind, station and audience', async () => {
    const all = await feedCal('/feeds/events.ics');
    assert.deepEqual(idsOf(all, 'event'), sorted([ev.talk.id, ev.fair.id, ev.training.id, ev.group.id]), 'all public events');
    assert.deepEqual(idsOf(all, 'shift'), []);
    assert.deepEqual(idsOf(await feedCal('/feeds/events.ics?kind=lecture'), 'event'), [ev.talk.id]);
    assert.deepEqual(idsOf(await feedCal('/feeds/events.ics?kind=salon'), 'event'), [], 'the salon is private');
    assert.deepEqual(idsOf(await feedCal(`/feeds/events.ics?station=${B}`), 'event'), [ev.training.id]);
    assert.deepEqual(idsOf(await feedCal('/feeds/events.ics?audience=residents'), 'event'), sorted([ev.talk.id, ev.group.id]));
    assert.deepEqual(idsOf(await feedCal(`/feeds/events.ics?audience=residents&station=${A}&kind=group`), 'event'), [ev.group.id]);
    assert.deepEqual(idsOf(await feedCal('/feeds/events.ics?kind=&station=&audience='), 'event'), idsOf(all, 'event'), 'empty filters');
    expectError(await api(s.url, 'GET', '/feeds/events.ics?kind=party'), 422, 'validation_failed', 'kind');
    expectError(await api(s.url, 'GET', '/feeds/events.ics?audience=everyone'), 422, 'validation_failed', 'audience');
    expectError(await api(s.url, 'GET', '/feeds/events.ics?station=NO-SUCH-STATION'), 404, 'not_found');
  });

  test('?alarms=1 adds VALARMs (event reminders; 60 minutes before shifts); default has none', async () => {
    const plain = await ok(xFeed);
    assert.ok(!plain.text.includes('BEGIN:VALARM'), 'no VALARM by default');
    const cal = parseFeed((await ok(`${xFeed}?alarms=1`)).text);
    const live = [...byUid(cal).values()].filter((ve) => ve.getFirstPropertyValue('status') !== 'CANCELLED');
    assert.ok(live.length >= 2);
    for (const ve of live) {
      const { kind, id } = uidKind(ve.getFirstPropertyValue('uid'));
      const want = kind === 'shift' ? [60] : Object.values(ev).find((e) => e.id === id).reminders;
      const alarms = ve.getAllSubcomponents('valarm');
      const got = alarms.map((a) => -a.getFirstPropertyValue('trigger').toSeconds() / 60).sort((a, b) => a - b);
      assert.deepEqual(got, [...want].sort((a, b) => a - b), `${kind}-${id} alarms`);
      for (const a of alarms) assert.ok(a.hasProperty('action'), 'VALARM has ACTION');
    }
    assert.deepEqual(veFor(cal, 'event', ev.salon.id).getAllSubcomponents('valarm').length, 1, 'salon: reminders [30]');
    const pub = await ok('/feeds/events.ics?alarms=1');
    assert.ok(pub.text.includes('BEGIN:VALARM'));
    assert.ok(!(await ok('/feeds/events.ics')).text.includes('BEGIN:VALARM'));
  });

  test('rotating the token: the old URL is 404 at once, the new one 200', async () => {
    const old = xFeed;
    await ok(old); // built and cached
    const r = await call('POST', `/api/v1/counsellors/${X.id}/rotate-feed-token`);
    expectStatus(r, 200, 'rotate');
    const fresh = pathOf(r.body.feed_url);
    assert.match(fresh, FEED_RE);
    assert.notEqual(fresh, old);
    expectError(await api(s.url, 'GET', old), 404, 'not_found');
    assert.equal((await get(old, { 'If-None-Match': '*' })).status, 404);
    expectError(await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(old)}`), 404, 'not_found', 'feed');
    const cal = await feedCal(fresh);
    assert.deepEqual(idsOf(cal, 'event'), sorted([ev.talk.id, ev.salon.id, ev.fair.id]));
    xFeed = fresh;
  });

  test('feed health: last fetch, user agent, 200/304 counts, stale', async () => {
    const c = await call('POST', '/api/v1/counsellors', { name: '订阅测试', email: 'feeds-health@example.org' });
    expectStatus(c, 201);
    const path = pathOf(c.body.feed_url);
    const health = async () => { const r = await call('GET', '/api/v1/feeds/health'); expectStatus(r, 200); return r.body; };

    let h = await health();
    let row = h.items.find((x) => x.counsellor_id === c.body.id);
    assert.ok(row, 'a row per active counsellor');
    assert.equal(row.name, '订阅测试');
    assert.equal(row.feed_url, c.body.feed_url);
    assert.equal(row.last_fetch_at, null);
    assert.equal(row.count_200, 0);
    assert.equal(row.count_304, 0);
    assert.equal(row.stale, true, 'never fetched is stale');

    const UA = 'Google-Calendar-Importer';
    const t0 = Date.now() - 2000;
    const first = await ok(path, { 'User-Agent': UA });
    await ok(path, { 'User-Agent': UA });
    assert.equal((await get(path, { 'User-Agent': UA, 'If-None-Match': first.headers.etag })).status, 304);
    h = await health();
    row = h.items.find((x) => x.counsellor_id === c.body.id);
    assert.equal(row.user_agent, UA);
    assert.equal(row.count_200, 2);
    assert.equal(row.count_304, 1);
    assert.equal(row.stale, false);
    assert.match(row.last_fetch_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    assert.ok(Date.parse(row.last_fetch_at) >= Math.floor(t0 / 1000) * 1000 && Date.parse(row.last_fetch_at) <= Date.now() + 1000,
      `recent: ${row.last_fetch_at}`);

    // every other never-fetched counsellor is stale with no time
    for (const x of h.items.filter((i) => i.count_200 + i.count_304 === 0)) {
      assert.equal(x.stale, true);
      assert.equal(x.last_fetch_at, null);
    }
    // deactivated counsellors leave the list
    expectStatus(await call('DELETE', `/api/v1/counsellors/${c.body.id}`), 200);
    assert.ok(!(await health()).items.some((x) => x.counsellor_id === c.body.id));

    // public feeds
    await ok('/feeds/events.ics', { 'User-Agent': 'Thunderbird/128.0' });
    const pub = (await health()).public;
    assert.ok(Array.isArray(pub));
    const evRow = pub.find((x) => x.feed === 'events');
    assert.ok(evRow, `events feed counted: ${JSON.stringify(pub)}`);
    assert.equal(evRow.user_agent, 'Thunderbird/128.0');
    assert.ok(evRow.count_200 >= 1);
    assert.ok(pub.some((x) => x.feed === `station:${A}`), 'station feed counted');

    expectError(await api(s.url, 'GET', '/api/v1/feeds/health'), 401, 'unauthorized');
  });

  test('subscribe info and QR code', async () => {
    const r = await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(xFeed)}`);
    expectStatus(r, 200);
    const cr = await call('GET', `/api/v1/counsellors/${X.id}`);
    assert.equal(r.body.name, `心访排班 · ${X.name}`);
    assert.equal(r.body.https_url, cr.body.feed_url);
    assert.equal(r.body.webcal_url, cr.body.feed_url.replace(/^https?:\/\//, 'webcal://'));
    assert.match(r.body.webcal_url, /^webcal:\/\//);
    assert.match(r.body.https_url, /^https?:\/\//);
    assert.ok(r.body.qr_url.startsWith('/feeds/qr.svg?feed='));
    const qr = await get(r.body.qr_url);
    assert.equal(qr.status, 200);
    assert.match(qr.headers['content-type'], /^image\/svg\+xml/);
    assert.match(qr.text, /^<svg[\s>]/);
    assert.match(qr.text, /<\/svg>\s*$/);

    for (const [path, name] of [['/feeds/events.ics', '心访工作室公开活动'], [`/feeds/stations/${A}.ics`, `心访工作室活动 · ${st[A].name}`]]) {
      const i = await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(path)}`);
      expectStatus(i, 200, path);
      assert.equal(i.body.name, name);
      assert.ok(i.body.https_url.endsWith(path) && i.body.webcal_url.endsWith(path));
      assert.equal((await get(`/feeds/qr.svg?feed=${encodeURIComponent(path)}`)).status, 200);
    }
    const alarms = await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent('/feeds/events.ics?alarms=1')}`);
    expectStatus(alarms, 200);
    assert.ok(alarms.body.https_url.endsWith('/feeds/events.ics?alarms=1') && alarms.body.webcal_url.endsWith('/feeds/events.ics?alarms=1'));

    // '/feeds/stations/x' and '/feeds/counsellors/0' (no '.ics') crashed the process (issue 17).
    for (const bad of ['/feeds/counsellors/00000000000000000000000000000000.ics', '/feeds/stations/NO-SUCH.ics', '/etc/passwd', '',
      '/feeds/stations/x', '/feeds/counsellors/0', '/feeds/stations/', '/feeds/counsellors/0.ics?x=<', '/feeds/events.icsx']) {
      expectError(await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(bad)}`), 404, 'not_found');
      assert.equal((await get(`/feeds/qr.svg?feed=${encodeURIComponent(bad)}`)).status, 404, `qr ${bad}`);
    }
    expectError(await api(s.url, 'GET', '/api/v1/feeds/info'), 404, 'not_found');
    expectError(await api(s.url, 'GET', '/feeds/counsellors/00000000000000000000000000000000.ics'), 404, 'not_found');
  });

  test('qr_url keeps every query parameter of the feed', async () => {
    const path = '/feeds/events.ics?kind=lecture&alarms=1';
    const i = await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(path)}`);
    expectStatus(i, 200);
    const viaInfo = await get(i.body.qr_url);
    const direct = await get(`/feeds/qr.svg?feed=${encodeURIComponent(path)}`);
    assert.ok(viaInfo.text === direct.text, 'the QR of qr_url encodes the whole feed URL');
  });

  test('info and QR take ?alarms=1 on counsellor and station feeds too', async () => {
    for (const path of [`${xFeed}?alarms=1`, `/feeds/stations/${A}.ics?alarms=1`]) {
      assert.equal((await ok(path)).status, 200, `${path} itself is served`);
      const i = await api(s.url, 'GET', `/api/v1/feeds/info?feed=${encodeURIComponent(path)}`);
      assert.equal(i.status, 200, `info ${path}`);
      assert.equal((await get(`/feeds/qr.svg?feed=${encodeURIComponent(path)}`)).status, 200, `qr ${path}`);
    }
  });
});
