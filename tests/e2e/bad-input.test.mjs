// The bad-input sweep (issue 17, point 11): every JSON write route of the
// route table (read from `hearth routes`) gets malformed JSON, non-object
// bodies, an empty body, unknown fields, wrong types, huge strings and
// negative or overflowing numbers in each of its fields. A body that
// passes a field is learnt from the 422 replies (each names the field it
// refused), so the mutations reach past the first check. Asserted: no
// crash (the sanitizer build stops at the first error), no 5xx, and no
// partial write: a refused request leaves the store's commit counter
// (hearth_store_revision of /metrics) where it was.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, run } from '../lib/harness.mjs';
import { expectStatus, storeRevision } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;

// A plausible value for a field, from its name: what a form would send.
function guess(name, ids) {
  const g = {
    username: 'sweep_user', password: 'sweep-password-1', old_password: 'wrong-old-pass-1', new_password: 'sweep-new-pass-9',
    name: '扫描', title: '扫描活动', code: `SW${Math.floor(Math.random() * 1e6)}`, email: 'sweep@example.org', phone: '13800000000',
    kind: 'lecture', audience: 'mixed', status: 'planned', address: '', timezone: 'Asia/Shanghai', venue: '', description: '',
    start: T('2027-05-10', '09:00'), end: T('2027-05-10', '11:00'), date: '2027-05-10', from: '2027-05-10', to: '2027-05-16',
    weekdays: [1, 2], required: 1, capacity: 10, reminders: [60], speaker_ids: [], station_ids: [], public: false,
    enabled: true, active: true, weekly_mail: true, reason: '扫描', note: '', token: ids.regToken || 'zz', answers: {},
    questions: [{ id: 'q1', type: 'likert5', text: '满意吗', required: true }], targets: { lecture: 1 },
    max_weekly_hours: 40, external_speaker: '', value: 1, target: '>=1', weight: 1, rule: 'ratio', now: T('2027-05-10', '09:00'),
    walk_in: { name: '扫描' }, passed: true, score: 80, seat: 0, pinned: false, retention_days: 365, events: [],
  };
  if (name in g) return g[name];
  if (/_id$/.test(name)) return ids[name] ?? ids.station_id ?? 1;
  if (/_ids$/.test(name)) return [];
  return 'x';
}

const BAD_VALUES = [null, true, false, -1, 0, 1.5, 2 ** 53, -(2 ** 53), 1e308, '', ' ', '\u0000', 'x'.repeat(3000),
  '<img src=x onerror=alert(1)>', '2026-13-45', '9999-12-31T23:59:59Z', '0000-01-01', [], [null], [-1, 2 ** 60], {}, { a: { b: [] } }];
const RAW_BODIES = ['', '{', '[1,2', 'nul', '{"a":}', '{"a":1,"a":2}', '[]', '1', '"s"', 'null', '{}x',
  '{"x":9223372036854775808}', '{"x":-9223372036854775809}', '{"x":1e400}', '\xff\xfe{}', '{"\u0000":1}'];

describe('bad-input sweep over every JSON write route', () => {
  let s, admin, counsellor, routes;
  const ids = {};
  const counts = { requests: 0, fivexx: 0, partial: 0, routes: 0 };
  const problems = [];

  const revision = () => storeRevision(s.url, admin).read();
  const stableRevision = () => storeRevision(s.url, admin).stable();

  before(async () => {
    const r = await run(['routes']);
    routes = JSON.parse(r.stdout).filter((x) => x.json && !x.fake_clock_only);
    s = await startServer({ demo: true, env: { HEARTH_PUBLIC_WRITE_RATE: '0' } });
    admin = await login(s.url);
    const call = (m, p, b) => api(s.url, m, p, { token: admin, body: b });
    const st = (await call('GET', '/api/v1/stations?limit=5')).body.items;
    const cs = (await call('GET', '/api/v1/counsellors?limit=5')).body.items;
    ids.station_id = ids.home_station_id = st[0].id;
    ids.counsellor_id = cs[1].id;
    expectStatus(await call('POST', `/api/v1/counsellors/${cs[1].id}/account`, { username: 'sweep_c', password: 'sweep-c-password-1' }), 201, 'account');
    counsellor = await login(s.url, 'sweep_c', 'sweep-c-password-1');
    const start = new Date(Date.now() + 5 * 86400000);
    const ev = await call('POST', '/api/v1/events', { kind: 'lecture', title: '扫描', start: start.toISOString(), end: new Date(start.getTime() + 3600000).toISOString(), public: true });
    ids.event_id = ev.body.id;
    const reg = await api(s.url, 'POST', `/api/v1/events/${ev.body.id}/registrations`, { body: { name: '扫描', email: 'p@example.org' } });
    ids.regToken = reg.body.token;
    ids.registration_id = reg.body.id;
    const sh = await call('POST', '/api/v1/shifts', { station_id: st[0].id, counsellor_id: cs[1].id, start: T('2027-06-07', '09:00'), end: T('2027-06-07', '12:00') });
    ids.shift_id = sh.body.id;
    const sh2 = await call('POST', '/api/v1/shifts', { station_id: st[1].id, counsellor_id: cs[2].id, start: T('2027-06-08', '09:00'), end: T('2027-06-08', '12:00') });
    ids.other_shift_id = sh2.body.id;
    const tpl = await call('POST', '/api/v1/shift-templates', { station_id: st[0].id, weekdays: [1], start: '09:00', end: '12:00', required: 1 });
    ids.template = tpl.body.id;
    const pl = await call('POST', '/api/v1/plans', { name: '扫描计划', from: '2027-04-01', to: '2027-06-30', targets: { lecture: 1 } });
    ids.plan = pl.body?.id;
    const av = await call('POST', '/api/v1/availability', { counsellor_id: cs[1].id, start: T('2027-07-01', '09:00'), end: T('2027-07-01', '12:00'), reason: '请假' });
    ids.availability = av.body?.id;
    const ho = await call('POST', '/api/v1/holidays', { date: '2027-10-01', kind: 'holiday', name: '国庆' });
    ids.holiday = ho.body?.id;
    const at = await call('POST', `/api/v1/events/${ev.body.id}/attendance`, { walk_in: { name: '现场' } });
    ids.attendance = at.body?.id;
    const ind = await call('GET', '/api/v1/indicators');
    ids.indicator = (ind.body?.items ?? ind.body?.indicators ?? [])[0]?.code;
  });

  after(async () => {
    console.log(`bad-input sweep: ${counts.routes} routes, ${counts.requests} requests, ${counts.fivexx} answers 5xx, ${counts.partial} partial writes`);
    await s.stop(); // a sanitizer report fails the stop
  });

  // The path of a route with rows that exist, so its body is looked at.
  function pathOf(pattern) {
    const byPrefix = [['/stations/', ids.station_id], ['/counsellors/', ids.counsellor_id], ['/events/', ids.event_id],
      ['/plans/', ids.plan], ['/shift-templates/', ids.template], ['/shifts/', ids.shift_id], ['/availability/', ids.availability],
      ['/holidays/', ids.holiday], ['/attendance/', ids.attendance]];
    let p = pattern;
    for (const [pre, id] of byPrefix) if (p.includes(`${pre}{id}`)) p = p.replace(`${pre}{id}`, `${pre}${id ?? 1}`);
    return p.replace(/\{id\}/g, '1').replace('/indicators/{tok}', `/indicators/${ids.indicator ?? 'x'}`).replace(/\{tok\}/g, ids.regToken);
  }

  test('no crash, no 5xx, no partial write', async () => {
    for (const rt of routes) {
      counts.routes++;
      const path = pathOf(rt.pattern);
      const token = rt.role === 'public' ? undefined : rt.role === 'counsellor' ? counsellor : admin;
      // A refused sign-in writes its audit row by design (every sign-in
      // event is audited): that route's refusals may commit.
      const audited = rt.method === 'POST' && rt.pattern === '/api/v1/session';
      const send = async (opts, what) => {
        const once = async () => {
          const before = await stableRevision();
          const r = await api(s.url, rt.method, path, { token, ...opts });
          return { r, wrote: (await revision()) !== before };
        };
        let { r, wrote } = await once();
        counts.requests++;
        const where = `${rt.method} ${path} ${what}: ${r.status} ${r.text.slice(0, 160)}`;
        if (r.status >= 500) { counts.fivexx++; problems.push(`5xx ${where}`); }
        // The mailer thread commits too (housekeeping every 30 s and after
        // mail is queued): a commit seen during a refusal counts only
        // when the same request shows it again.
        if (r.status >= 400 && wrote && !audited) ({ r, wrote } = await once());
        if (r.status >= 400 && wrote && !audited) { counts.partial++; problems.push(`write on refusal ${where}`); }
        return r;
      };
      // Malformed and non-object bodies, empty body.
      for (const raw of RAW_BODIES) await send({ raw, headers: { 'content-type': 'application/json' } }, `raw ${JSON.stringify(raw)}`);
      // A body learnt from the 422s: fill the field each one names.
      const base = {};
      for (let i = 0; i < 12; i++) {
        const r = await send({ body: base }, `learning ${JSON.stringify(Object.keys(base))}`);
        const f = r.body?.error?.field;
        if (r.status !== 422 || !f || f === 'file' || f in base) break;
        base[f] = guess(f, ids);
      }
      // Unknown fields; huge strings at and past the body limit.
      await send({ body: { ...base, no_such_field_at_all: 1 } }, 'unknown field');
      await send({ body: { ...base, name: 'x'.repeat(Math.max(0, rt.body_max - 64)) } }, 'a string as large as the limit');
      await send({ body: { ...base, name: 'x'.repeat(rt.body_max + 10) } }, 'past the limit');
      // Each field of the base with each bad value.
      for (const f of Object.keys(base)) {
        for (const v of BAD_VALUES) await send({ body: { ...base, [f]: v } }, `${f}=${JSON.stringify(v).slice(0, 40)}`);
      }
    }
    expectStatus(await api(s.url, 'GET', '/healthz'), 200, 'alive');
    assert.deepEqual(problems, [], `${problems.length} problems in ${counts.requests} requests`);
  });
});
