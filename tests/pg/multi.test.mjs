// PostgreSQL only (make test-pg): two Hearth instances on one database
// behind the real nginx running the shipped deploy/nginx-hearth.conf
// (tests/lib/multi.mjs). A write on one instance shows in the feeds and
// lists the other serves on the very next request (its feed cache is
// keyed on the database's revision); a session made on one works on the
// other; sign-in failures and public writes are limited across both;
// the fake test clock moved through one is the other's too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startMulti, send } from '../lib/multi.mjs';
import { ADMIN_PASSWORD } from '../lib/harness.mjs';
import { pgWanted } from '../lib/pg.mjs';

const TZ = 'Asia/Shanghai';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const addDays = (ymd, n) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const at = (ymd, hm) => `${ymd}T${hm}:00+08:00`;
const pathOf = (url) => { const u = new URL(url); return u.pathname + u.search; };

describe('two instances on one PostgreSQL database behind nginx', { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only' }, () => {
  let m, A, B, token;
  const viaA = (method, path, opts = {}) => send(A.url, method, path, { token, ...opts });
  const viaB = (method, path, opts = {}) => send(B.url, method, path, { token, ...opts });
  const viaNginx = (method, path, opts = {}) => m.request(method, path, { token, ...opts });
  const ok = (r, status, what) => assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);

  before(async () => {
    m = await startMulti({
      demo: true,
      // Room for the rate test below; the clock test needs the route.
      env: { HEARTH_PUBLIC_WRITE_RATE: '80', HEARTH_FAKE_CLOCK: '1' },
    });
    [A, B] = m.instances;
    const r = await viaNginx('POST', '/api/v1/session', { token: undefined, body: { username: 'admin', password: ADMIN_PASSWORD } });
    ok(r, 200, 'sign-in through nginx');
    token = r.body.token;
  });
  after(async () => { if (m) await m.stop(); });

  test('nginx serves both instances with the shipped configuration', async () => {
    // The redirect server of the shipped file, on its substituted port.
    const red = await send(m.httpUrl, 'GET', '/healthz');
    assert.equal(red.status, 301);
    // Enough requests reach both upstreams (round-robin): each
    // instance logs requests it served.
    for (let i = 0; i < 8; i++) ok(await viaNginx('GET', '/api/v1/stations'), 200, 'list through nginx');
    const r = await viaNginx('GET', '/healthz');
    ok(r, 200, 'healthz through nginx');
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000', 'the TLS server of the shipped file');
    assert.ok(m.nginxLog().includes('GET /api/v1/stations'), "nginx's access log");
    // Each instance logs the requests it served.
    const served = [A, B].map((s) => (s.log().match(/path=\/api\/v1\/stations /g) || []).length);
    assert.ok(served[0] > 0 && served[1] > 0, `both instances served the list: ${served}`);
  });

  test('a session made on one instance works on the other', async () => {
    const r = await send(A.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    ok(r, 200, 'sign-in on A');
    ok(await send(B.url, 'GET', '/api/v1/session', { token: r.body.token }), 200, 'the session on B');
    ok(await send(B.url, 'DELETE', '/api/v1/session', { token: r.body.token }), 204, 'sign-out on B');
    ok(await send(A.url, 'GET', '/api/v1/session', { token: r.body.token }), 401, 'gone on A too');
  });

  test("a write on A is in B's feeds and lists on the next request", async () => {
    const stations = (await viaB('GET', '/api/v1/stations?limit=500')).body.items;
    const station = stations[0];
    const people = (await viaB('GET', '/api/v1/counsellors?limit=500')).body.items;
    const X = people[0];
    const feeds = ['/feeds/events.ics', `/feeds/stations/${station.code}.ics`];
    // B builds and keeps its feeds first.
    for (const f of [...feeds, pathOf(X.feed_url)]) ok(await viaB('GET', f, { token: undefined }), 200, `B ${f}`);
    const day = addDays(today(), 9);
    // An event made on A.
    const title = `跨实例讲座-${process.pid}`;
    const ev = await viaA('POST', '/api/v1/events', { body: {
      kind: 'lecture', title, station_id: station.id, venue: '一楼', start: at(day, '09:30'), end: at(day, '11:00'),
      speaker_ids: [X.id], public: true, audience: 'residents',
    } });
    ok(ev, 201, 'event on A');
    for (const f of [...feeds, pathOf(X.feed_url)]) {
      const r = await viaB('GET', f, { token: undefined });
      ok(r, 200, `B ${f}`);
      assert.ok(r.text.includes(title), `B's ${f} has the event made on A`);
    }
    const list = await viaB('GET', `/api/v1/events?q=${encodeURIComponent(title)}`);
    ok(list, 200, 'list on B');
    assert.ok(list.body.items.some((e) => e.id === ev.body.id), "B's list has the event");
    // A shift made on A, then moved there: B's feed of X follows each.
    const sh = await viaA('POST', '/api/v1/shifts', { body: {
      station_id: station.id, counsellor_id: X.id, start: at(day, '14:00'), end: at(day, '17:00'),
    } });
    ok(sh, 201, 'shift on A');
    const uid = `shift-${sh.body.id}@`;
    let r = await viaB('GET', pathOf(X.feed_url), { token: undefined });
    assert.ok(r.text.includes(uid), "B's feed of X has the shift");
    assert.match(r.text, /DTSTART;TZID=Asia\/Shanghai:\d{8}T140000/);
    ok(await viaA('PATCH', `/api/v1/shifts/${sh.body.id}`, { body: { start: at(day, '15:00'), end: at(day, '18:00') } }), 200, 'move on A');
    r = await viaB('GET', pathOf(X.feed_url), { token: undefined });
    const vevent = r.text.split('BEGIN:VEVENT').find((v) => v.includes(uid));
    assert.ok(vevent && /DTSTART;TZID=Asia\/Shanghai:\d{8}T150000/.test(vevent), "B's feed has the shift's new time");
    const shifts = await viaB('GET', `/api/v1/shifts?from=${day}&to=${day}&limit=500`);
    assert.ok(shifts.body.items.some((x) => x.id === sh.body.id && x.start.includes('15:00')), "B's list has the move");
    // Reassigned on A: gone from X's feed on B.
    ok(await viaA('PATCH', `/api/v1/shifts/${sh.body.id}`, { body: { counsellor_id: people[1].id } }), 200, 'reassign on A');
    r = await viaB('GET', pathOf(X.feed_url), { token: undefined });
    assert.ok(!r.text.includes(uid), "X's feed on B no longer has the shift");
    // And the other way round, through nginx (either instance).
    ok(await viaB('PATCH', `/api/v1/events/${ev.body.id}`, { body: { title: `${title}（改）` } }), 200, 'rename on B');
    for (const s of [A, B]) {
      const f = await send(s.url, 'GET', '/feeds/events.ics');
      assert.ok(f.text.includes(`${title}（改）`), `${s.url}: the renamed event`);
    }
    for (let i = 0; i < 4; i++) {
      const f = await viaNginx('GET', '/feeds/events.ics', { token: undefined });
      assert.ok(f.text.includes(`${title}（改）`), 'through nginx: the renamed event');
    }
  });

  test('sign-in failures are limited across both instances', async () => {
    // One account: 5 failures a window in all (login_max_failures),
    // spread over A and B from one address.
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const fail = (s, username) => send(s.url, 'POST', '/api/v1/session', { headers: from, body: { username, password: 'wrong password 1' } });
    for (const s of [A, B, A, B, A]) ok(await fail(s, 'ghost'), 401, 'a failure');
    for (const s of [B, A]) {
      const r = await fail(s, 'ghost');
      ok(r, 429, 'the account is locked on both');
      assert.equal(r.body.error.code, 'rate_limited');
      assert.ok(Number(r.headers['retry-after']) > 0);
    }
    // One address: 50 failures a window over any names, on either.
    for (let i = 0; i < 45; i++) ok(await fail(i % 2 ? A : B, `ghost${i}`), 401, `failure ${i}`);
    for (const s of [A, B]) ok(await fail(s, 'someone-else'), 429, 'the address is locked on both');
    // Another address is not.
    ok(await send(B.url, 'POST', '/api/v1/session', { headers: { 'x-forwarded-for': '198.51.100.8' },
      body: { username: 'admin', password: ADMIN_PASSWORD } }), 200, 'another address');
  });

  test('public writes are limited across both instances', async () => {
    // 80 a minute per address (HEARTH_PUBLIC_WRITE_RATE), as many at
    // once: a bad body still takes its token (the rate comes first).
    // Alternating instances, the first 429 comes after the 80 plus what
    // refilled meanwhile (4/3 a second); a bucket per instance would
    // let 160 through.
    const from = { 'x-forwarded-for': '198.51.100.9' };
    const post = (s) => send(s.url, 'POST', '/api/v1/session', { headers: from, body: {} });
    const t0 = Date.now();
    let n = 0, r, last;
    for (; n < 200; n++) {
      last = n % 2 ? A : B;
      r = await post(last);
      if (r.status !== 422) break;
    }
    const seconds = (Date.now() - t0) / 1000;
    ok(r, 429, `a 429 after ${n} answered`);
    assert.match(r.body.error.message, /请求过于频繁/);
    assert.ok(n >= 80 && n <= 80 + Math.ceil(seconds * 80 / 60) + 1, `${n} answered in ${seconds} s`);
    // The other instance refuses as well (a token that refilled
    // meanwhile may let one through).
    const other = last === A ? B : A;
    const seen = [];
    for (let i = 0; i < 5 && seen.at(-1) !== 429; i++) seen.push((await post(other)).status);
    assert.equal(seen.at(-1), 429, `the other instance: ${seen}`);
  });

  test('the fake clock moved through one instance is the other\'s too', async () => {
    const want = '2031-03-04T10:00:00+08:00';
    ok(await viaA('PUT', '/api/v1/_clock', { body: { now: want } }), 200, 'clock on A');
    const r = await viaB('POST', '/api/v1/stations', { body: { code: `CLK${process.pid % 1000}`, name: '时钟站', kind: 'street' } });
    ok(r, 201, 'station on B');
    const t = Date.parse(r.body.created_at);
    assert.ok(Math.abs(t - Date.parse(want)) < 60000, `B's clock: ${r.body.created_at}`);
  });
  test('nginx bounds the requests in progress from one address (limit_conn 64 → 429); other addresses go on', async () => {
    // 70 writes from 127.0.0.3 whose bodies never finish: nginx holds
    // each while it reads the body; past 64 it answers 429 at once.
    const reqs = [];
    const answered = [];
    for (let i = 0; i < 70; i++) {
      const req = https.request(new URL('/api/v1/stations', m.url), {
        method: 'POST', ca: m.ca, agent: false, localAddress: '127.0.0.3',
        headers: { 'content-type': 'application/json', 'content-length': 200, authorization: `Bearer ${token}` },
      }, (resp) => { resp.resume(); answered.push(resp.statusCode); });
      req.on('error', () => {});
      req.write('{"code":');
      reqs.push(req);
    }
    try {
      const t0 = Date.now();
      while (answered.length < 6 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(answered, [429, 429, 429, 429, 429, 429], 'the 6 over 64 answered 429, the 64 held');
      // Another address is served meanwhile, through the same nginx.
      const other = await new Promise((res, rej) => {
        https.get(new URL('/healthz', m.url), { ca: m.ca, agent: false, localAddress: '127.0.0.4' }, (resp) => {
          resp.resume();
          res(resp.statusCode);
        }).on('error', rej);
      });
      assert.equal(other, 200, 'healthz from another address');
    } finally {
      for (const r of reqs) r.destroy();
    }
  });
});
