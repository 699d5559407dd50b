// Incremental feeds (issue 15): after a random series of changes made
// through the API — events created, renamed, rescheduled, cancelled,
// given other speakers, made public or internal; shifts added, moved,
// cancelled and deleted; a station renamed or moved to another time
// zone; a counsellor renamed; a key case's follow-ups added, moved and
// cancelled; the clock moved a day (the window) — every feed the server
// keeps up to date from its pieces is byte for byte the feed a second
// server builds whole with libical (HEARTH_FEED_WHOLE=1) from the same
// database at the same moment, and ical.js reads it. The second server
// is started afresh for each comparison, so it has no cache at all.
// Most of the rebuilds must have been made from the previous build's
// pieces (the rows' fingerprints), not whole (/metrics says which).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import ICAL from 'ical.js';
import { startServer, api, login } from '../lib/harness.mjs';

const TZ = 'Asia/Shanghai';
const SEED = Number(process.env.FEED_SEED || 20261204);
const STEPS = 48;
const CHECK_EVERY = 8;

// A small deterministic generator (mulberry32): a failure names its seed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function get(base, path, headers = {}) {
  return new Promise((res, rej) => {
    const r = http.request(new URL(path, base), { headers }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => res({ status: resp.statusCode, headers: resp.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', rej);
    r.end();
  });
}

// The live server's clock is pinned (HEARTH_FAKE_CLOCK) to noon of the
// day the test starts and moved only by the test: its day and feed
// window never change under the test's feet at midnight, and the whole
// build is made at the live server's moment exactly.
let clockOffset = 0; // the live server's clock minus the real one
const liveNow = () => Date.now() + clockOffset;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(liveNow()));
const addDays = (ymd, n) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const at = (ymd, hm) => `${ymd}T${hm}:00+08:00`;

describe('incremental feeds', () => {
  let srv, base, token;
  const setClock = async (url, tk, ms) => {
    const c = await api(url, 'PUT', '/api/v1/_clock', { token: tk, body: { now: new Date(ms).toISOString() } });
    assert.equal(c.status, 200, c.text);
  };
  const st = [];      // stations {id, code}
  const people = [];  // counsellors {id, feed}
  const events = [];  // live event ids
  const shifts = [];  // live shift ids
  const followUps = []; // {caseId, id}
  let caseId;

  before(async () => {
    srv = await startServer({ env: { HEARTH_FAKE_CLOCK: '1' } });
    base = srv.url;
    token = await login(base);
    const noon = Date.parse(`${new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date())}T12:00:00+08:00`);
    await setClock(base, token, noon);
    clockOffset = noon - Date.now();
    for (let i = 0; i < 3; i++) {
      const r = await api(base, 'POST', '/api/v1/stations', { token, body: { code: `inc${i}`, name: `增量站${i}`, kind: 'street' } });
      assert.equal(r.status, 201, r.text);
      st.push({ id: r.body.id, code: r.body.code });
    }
    for (let i = 0; i < 3; i++) {
      const r = await api(base, 'POST', '/api/v1/counsellors', { token, body: { name: `咨询师${i}`, email: `c${i}@example.org`, max_weekly_hours: 60 } });
      assert.equal(r.status, 201, r.text);
      people.push({ id: r.body.id, feed: new URL(r.body.feed_url).pathname });
    }
    const c = await api(base, 'POST', '/api/v1/cases', { token, body: { label: '2026-101', station_id: st[0].id, counsellor_ids: [people[0].id], opened_on: today() } });
    assert.equal(c.status, 201, c.text);
    caseId = c.body.id;
  });
  after(async () => { await srv?.stop(); });

  const feeds = () => [
    ...people.flatMap((p) => [p.feed, `${p.feed}?alarms=1`]),
    ...st.map((s) => `/feeds/stations/${s.code}.ics`),
    '/feeds/events.ics', '/feeds/events.ics?alarms=1', '/feeds/events.ics?kind=lecture',
    `/feeds/events.ics?station=${st[1].code}`,
  ];

  let compared = 0, comparedBytes = 0, vevents = 0;

  // Every feed of the live server against a fresh whole build.
  async function compare(label) {
    const mine = new Map();
    for (const f of feeds()) {
      const r = await get(base, f);
      assert.equal(r.status, 200, `${label}: ${f}`);
      mine.set(f, r.body);
      const g = await get(base, f, { 'Accept-Encoding': 'gzip' });
      assert.equal(g.headers['content-encoding'], 'gzip');
      assert.ok(gunzipSync(g.body).equals(r.body), `${label}: ${f}: the gzip form has the same bytes`);
    }
    const whole = await startServer({
      dir: srv.dir,
      env: { HEARTH_FEED_WHOLE: '1', HEARTH_FAKE_CLOCK: '1' },
      args: ['--base-url', base],
    });
    try {
      const wt = await login(whole.url);
      await setClock(whole.url, wt, liveNow());
      for (const [f, body] of mine) {
        const r = await get(whole.url, f);
        assert.equal(r.status, 200);
        if (!r.body.equals(body)) {
          const a = body.toString(), b = r.body.toString();
          let i = 0;
          while (i < a.length && a[i] === b[i]) i++;
          assert.fail(`${label}: ${f} differs from the whole build at ${i}:\n` +
            `incremental: ${JSON.stringify(a.slice(Math.max(0, i - 80), i + 80))}\n` +
            `whole:       ${JSON.stringify(b.slice(Math.max(0, i - 80), i + 80))}`);
        }
        // and a calendar client reads it
        const cal = new ICAL.Component(ICAL.parse(body.toString()));
        assert.equal(cal.name, 'vcalendar');
        compared++;
        comparedBytes += body.length;
        vevents += cal.getAllSubcomponents('vevent').length;
      }
    } finally {
      await whole.stop({ keep: true });
    }
  }

  test(`a random series of ${STEPS} changes (seed ${SEED}) leaves every feed equal to a whole build`, async (t) => {
    const rand = rng(SEED);
    const pick = (a) => a[Math.floor(rand() * a.length)];
    const day = () => addDays(today(), Math.floor(rand() * 60) - 10);
    const hm = () => pick(['08:00', '09:30', '13:00', '15:30', '19:00']);
    const ok = (r, want = [200, 201, 204]) => assert.ok(want.includes(r.status), r.text);
    // a few of everything first
    for (let i = 0; i < 6; i++) {
      const d = day(), h = hm();
      const r = await api(base, 'POST', '/api/v1/events', { token, body: {
        kind: pick(['lecture', 'salon', 'training']), title: `活动${i}`, description: `说明，第${i}条；含逗号\n换行`,
        station_id: pick(st).id, start: at(d, h), end: at(d, h.replace(/^(\d\d)/, (m) => String(Number(m) + 1).padStart(2, '0'))),
        public: i % 2 === 0, speaker_ids: [pick(people).id], force: true, force_reason: '测试' } });
      ok(r);
      events.push(r.body.id);
    }
    await compare('start');
    for (let step = 1; step <= STEPS; step++) {
      const what = Math.floor(rand() * 14);
      switch (what) {
        case 0: { // a new event
          const d = day(), h = hm();
          const r = await api(base, 'POST', '/api/v1/events', { token, body: {
            kind: pick(['lecture', 'group', 'activity']), title: `新活动${step}`, station_id: pick([null, ...st.map((s) => s.id)]),
            start: at(d, h), end: at(d, h.replace(/^(\d\d)/, (m) => String(Number(m) + 2).padStart(2, '0'))),
            public: rand() < 0.6, speaker_ids: rand() < 0.7 ? [pick(people).id] : [], external_speaker: rand() < 0.3 ? '外请专家' : undefined,
            force: true, force_reason: '测试' } });
          ok(r);
          events.push(r.body.id);
          break;
        }
        case 1: // renamed, described
          if (events.length) ok(await api(base, 'PATCH', `/api/v1/events/${pick(events)}`, { token, body: { title: `改名${step}`, description: rand() < 0.5 ? '' : `新的说明${step}`, venue: `${step}号室` } }));
          break;
        case 2: { // rescheduled
          if (!events.length) break;
          const d = day();
          ok(await api(base, 'POST', `/api/v1/events/${pick(events)}/reschedule`, { token, body: { start: at(d, '10:00'), end: at(d, '11:30'), reason: '改期', force: true, force_reason: '测试' } }));
          break;
        }
        case 3: { // cancelled
          if (!events.length) break;
          const id = events.splice(Math.floor(rand() * events.length), 1)[0];
          ok(await api(base, 'POST', `/api/v1/events/${id}/cancel`, { token, body: { reason: '取消' } }));
          break;
        }
        case 4: // speakers, public, reminders
          if (events.length) ok(await api(base, 'PATCH', `/api/v1/events/${pick(events)}`, { token, body: { speaker_ids: [pick(people).id], public: rand() < 0.5, reminders: rand() < 0.5 ? [30] : [1440, 60], force: true, force_reason: '测试' } }));
          break;
        case 5: { // a shift
          const d = day();
          const r = await api(base, 'POST', '/api/v1/shifts', { token, body: { station_id: pick(st).id, counsellor_id: pick(people).id, start: at(d, '12:00'), end: at(d, '13:00'), note: rand() < 0.5 ? `备注${step}` : undefined } });
          if (r.status === 201) shifts.push(r.body.id);
          else assert.equal(r.status, 409, r.text); // a clash is a refusal, not a failure
          break;
        }
        case 6: // a shift moved or confirmed
          if (shifts.length) {
            const r = await api(base, 'PATCH', `/api/v1/shifts/${pick(shifts)}`, { token, body: rand() < 0.5 ? { status: 'confirmed' } : { note: `改${step}` } });
            ok(r, [200, 409]);
          }
          break;
        case 7: // a shift deleted (manual: gone) or cancelled
          if (shifts.length) {
            const id = shifts.splice(Math.floor(rand() * shifts.length), 1)[0];
            // one draw decides both (two draws sent a PATCH without a
            // body on some seeds); the second keeps the sequence. A
            // shift something refers to is not deleted (409).
            const del = rand() < 0.5;
            rand();
            ok(await api(base, del ? 'DELETE' : 'PATCH', `/api/v1/shifts/${id}`, del ? { token } : { token, body: { status: 'cancelled' } }), del ? [204, 409] : [200]);
          }
          break;
        case 8: // a station renamed: every event and shift there changes
          ok(await api(base, 'PATCH', `/api/v1/stations/${pick(st).id}`, { token, body: { name: `站点改名${step}` } }));
          break;
        case 9: // a station's zone
          ok(await api(base, 'PATCH', `/api/v1/stations/${pick(st).id}`, { token, body: { timezone: pick(['Asia/Shanghai', 'Asia/Urumqi', 'Europe/Berlin']) } }));
          break;
        case 10: // a counsellor renamed: their calendar's name and the speakers
          ok(await api(base, 'PATCH', `/api/v1/counsellors/${pick(people).id}`, { token, body: { name: `咨询师改名${step}` } }));
          break;
        case 11: { // a follow-up
          const d = addDays(today(), Math.floor(rand() * 20) + 1);
          const r = await api(base, 'POST', `/api/v1/cases/${caseId}/follow-ups`, { token, body: { due: at(d, '16:00'), counsellor_id: people[0].id, note: `回访${step}` } });
          ok(r);
          followUps.push(r.body.id);
          break;
        }
        case 12: // a follow-up moved, done, or cancelled
          if (followUps.length) {
            const id = pick(followUps);
            if (rand() < 0.3) {
              ok(await api(base, 'DELETE', `/api/v1/cases/${caseId}/follow-ups/${id}`, { token }));
              followUps.splice(followUps.indexOf(id), 1);
            } else ok(await api(base, 'PATCH', `/api/v1/cases/${caseId}/follow-ups/${id}`, { token, body: rand() < 0.5 ? { done: true } : { due: at(addDays(today(), 3), '09:00') } }));
          }
          break;
        default: { // a day later: the window moves, nothing is written
          const later = liveNow() + 86400000;
          await setClock(base, token, later);
          clockOffset = later - Date.now();
        }
      }
      // the server's kept feeds are read after most steps (so they are
      // maintained incrementally), and compared every few steps
      if (rand() < 0.7) for (const f of feeds()) assert.equal((await get(base, f)).status, 200);
      if (step % CHECK_EVERY === 0) await compare(`step ${step}`);
    }
    t.diagnostic(`${compared} feeds compared (${comparedBytes} bytes, ${vevents} VEVENTs)`);
    assert.ok(vevents > 100, 'the feeds were not empty');
    // Most rebuilds were made from the previous build's pieces, reading
    // only the changed rows (not whole, through feedcache).
    const m = await api(base, 'GET', '/metrics', { token });
    const num = (re) => Number((m.text.match(re) || [])[1]);
    const rows = num(/^hearth_feed_builds_total\{kind="rows"\} (\d+)$/m);
    const whole = num(/^hearth_feed_builds_total\{kind="whole"\} (\d+)$/m);
    const kept = num(/^hearth_feed_rows_total\{result="kept"\} (\d+)$/m);
    const made = num(/^hearth_feed_rows_total\{result="made"\} (\d+)$/m);
    t.diagnostic(`builds: ${rows} from pieces (${kept} VEVENTs kept, ${made} made), ${whole} whole`);
    assert.ok(rows > whole, `builds from pieces ${rows}, whole ${whole}`);
    assert.ok(kept > made, `VEVENTs kept ${kept}, made ${made}`);
  });

  // Three changes of an event's speakers alone, one right after the
  // other (the same second of updated_at): each is in the kept feeds of
  // the public events and of the new speaker at once (the fingerprint
  // covers the row, its sequence and its speakers), and they stay equal
  // to a whole build.
  test('a change of speakers alone reaches the kept feeds at once', async () => {
    const d = addDays(today(), 2);
    const r = await api(base, 'POST', '/api/v1/events', { token, body: {
      kind: 'lecture', title: '讲者更换', station_id: st[0].id, start: at(d, '14:00'), end: at(d, '15:00'),
      public: true, speaker_ids: [people[1].id], force: true, force_reason: '测试' } });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id;
    const description = async (f) => {
      const res = await get(base, f);
      assert.equal(res.status, 200);
      const cal = new ICAL.Component(ICAL.parse(res.body.toString()));
      const ev = cal.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid').startsWith(`event-${id}@`));
      assert.ok(ev, `event ${id} is in ${f}`);
      return ev.getFirstPropertyValue('description');
    };
    await description('/feeds/events.ics');
    for (const p of [people[2], people[0], people[2]]) {
      const c = await api(base, 'PATCH', `/api/v1/events/${id}`, { token, body: { speaker_ids: [p.id], force: true, force_reason: '测试' } });
      assert.equal(c.status, 200, c.text);
      const name = (await api(base, 'GET', `/api/v1/counsellors/${p.id}`, { token })).body.name;
      assert.ok((await description('/feeds/events.ics')).includes(name), `the speaker ${name} is in the events feed`);
      assert.ok((await description(p.feed)).includes(name), `the speaker ${name} is in their own feed`);
    }
    await compare('speakers');
  });
});
