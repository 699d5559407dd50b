// The authorization matrix (issue 17, point 11): every route of the route
// table (read from `hearth routes`, so a route added to api/routes.c is
// in here without a line more) called anonymously, as a counsellor and as
// a coordinator. The answer must be exactly what the route's role says:
// public routes let everyone in, counsellor routes answer 401 without a
// session, coordinator routes 401 anonymously and 403 to a counsellor;
// where a caller is let in, the handler answers (404, 422, 200…) but
// never 401/403 (except the "not a counsellor's sign-in" of /me routes
// for a coordinator) and never 5xx. Then the ownership checks of the
// per-counsellor routes, with real rows of another counsellor.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, run } from '../lib/harness.mjs';
import { expectError, expectStatus, storeRevision } from './util.mjs';

const T = (date, hm) => `${date}T${hm}:00+08:00`;

async function routeTable() {
  const r = await run(['routes']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// A path of the pattern with ids and tokens that name nothing, so a let-in
// call reaches its handler and changes nothing.
const pathOf = (pattern) => pattern.replace(/\{id\}/g, '999999').replace(/\{tok\}/g, 'zzzzzzzzzzzzzzzz');

describe('authorization matrix: every route × anonymous / counsellor / coordinator', () => {
  let s, routes, admin, counsellor;
  const results = [];
  before(async () => {
    routes = await routeTable();
    s = await startServer({ demo: true, env: { HEARTH_FAKE_CLOCK: '1', HEARTH_PUBLIC_WRITE_RATE: '0' } });
    admin = await login(s.url);
    const cs = (await api(s.url, 'GET', '/api/v1/counsellors?limit=5', { token: admin })).body.items;
    expectStatus(await api(s.url, 'POST', `/api/v1/counsellors/${cs[1].id}/account`, { token: admin, body: { username: 'matrix_c', password: 'matrix-pass-1234' } }), 201, 'account');
    counsellor = await login(s.url, 'matrix_c', 'matrix-pass-1234');
  });
  after(async () => {
    console.log(`authorization matrix: ${routes.length} routes × 3 callers = ${results.length} requests`);
    await s.stop();
  });

  test('the route table is read from the binary and covers the API', () => {
    assert.ok(routes.length >= 100, `${routes.length} routes`);
    for (const r of routes) assert.match(r.role, /^(public|counsellor|coordinator)$/);
  });

  // A refused call must leave the store's revision where it was.
  const revision = () => storeRevision(s.url, admin).read();
  const stableRevision = () => storeRevision(s.url, admin).stable();

  test('each route answers each caller as its role says', async () => {
    const bad = [];
    let refusedWrites = 0;
    for (const rt of routes) {
      const path = pathOf(rt.pattern);
      for (const who of ['anonymous', 'counsellor', 'coordinator']) {
        // Signing out ends the session used: that call gets its own.
        let token = who === 'anonymous' ? undefined : who === 'counsellor' ? counsellor : admin;
        if (rt.method === 'DELETE' && rt.pattern === '/api/v1/session' && token) {
          token = who === 'counsellor' ? await login(s.url, 'matrix_c', 'matrix-pass-1234') : await login(s.url);
        }
        const opts = { token };
        if (rt.json) opts.body = {};
        else if (rt.raw) opts.raw = '', opts.headers = { 'content-type': rt.content_type };
        // A refused sign-in writes its audit row by design.
        const watch = rt.method !== 'GET' && !(rt.method === 'POST' && rt.pattern === '/api/v1/session');
        const before = watch ? await stableRevision() : 0;
        let r = await api(s.url, rt.method, path, opts);
        if (watch && r.status >= 400) {
          refusedWrites++;
          // The mailer thread commits too: a write seen during a refusal
          // counts only when the same call shows it again.
          if ((await revision()) !== before) {
            const again = await stableRevision();
            r = await api(s.url, rt.method, path, opts);
            if ((await revision()) !== again) bad.push(`write on refusal: ${rt.method} ${rt.pattern} as ${who}: ${r.status}`);
          }
        }
        results.push([rt.method, rt.pattern, who, r.status]);
        const where = `${rt.method} ${rt.pattern} as ${who}: ${r.status} ${r.text.slice(0, 120)}`;
        if (r.status >= 500) { bad.push(`5xx: ${where}`); continue; }
        let want;
        if (rt.role === 'public') want = 'in';
        else if (who === 'anonymous') want = 401;
        else if (rt.role === 'coordinator' && who === 'counsellor') want = 403;
        else want = 'in';
        if (want === 'in') {
          const notCounsellor = r.status === 403 && rt.role === 'counsellor' && who === 'coordinator' &&
            /不是咨询师账号/.test(r.body?.error?.message || '');
          if ((r.status === 401 || r.status === 403) && !notCounsellor) bad.push(`let in expected: ${where}`);
        } else if (r.status !== want) bad.push(`${want} expected: ${where}`);
      }
    }
    console.log(`authorization matrix: ${refusedWrites} refused writes, the store's revision checked around each`);
    assert.ok(refusedWrites > 100, `refused writes checked: ${refusedWrites}`);
    assert.deepEqual(bad, [], `${bad.length} violations of ${results.length} calls`);
    // The server is still up after all of it.
    expectStatus(await api(s.url, 'GET', '/healthz'), 200, 'healthz');
  });
});

describe('ownership of per-counsellor routes', () => {
  let s, admin, tkA, tkB, A, B, st;
  before(async () => {
    s = await startServer({ demo: true });
    admin = await login(s.url);
    const cs = (await api(s.url, 'GET', '/api/v1/counsellors?limit=5', { token: admin })).body.items;
    [A, B] = [cs[1], cs[2]];
    st = (await api(s.url, 'GET', '/api/v1/stations?limit=5', { token: admin })).body.items;
    for (const [c, u] of [[A, 'own_a'], [B, 'own_b']]) {
      expectStatus(await api(s.url, 'POST', `/api/v1/counsellors/${c.id}/account`, { token: admin, body: { username: u, password: `${u}-password-1` } }), 201, u);
    }
    tkA = await login(s.url, 'own_a', 'own_a-password-1');
    tkB = await login(s.url, 'own_b', 'own_b-password-1');
  });
  after(async () => { await s.stop(); });

  test("a counsellor can neither see nor change another counsellor's leave, shifts or requests", async () => {
    const lv = await api(s.url, 'POST', '/api/v1/me/availability', { token: tkB, body: { start: T('2027-10-20', '09:00'), end: T('2027-10-20', '12:00'), reason: '年假' } });
    expectStatus(lv, 201, "B's leave");
    const del = await api(s.url, 'DELETE', `/api/v1/me/availability/${lv.body.id}`, { token: tkA });
    assert.ok(del.status === 403 || del.status === 404, `A deleting B's leave: ${del.status}`);
    const mine = await api(s.url, 'GET', '/api/v1/me/availability', { token: tkA });
    assert.ok(!JSON.stringify(mine.body).includes('年假'), "B's leave is not in A's list");
    const sA = await api(s.url, 'POST', '/api/v1/shifts', { token: admin, body: { station_id: st[0].id, counsellor_id: A.id, start: T('2027-09-06', '09:00'), end: T('2027-09-06', '12:00') } });
    const sB = await api(s.url, 'POST', '/api/v1/shifts', { token: admin, body: { station_id: st[1].id, counsellor_id: B.id, start: T('2027-09-07', '09:00'), end: T('2027-09-07', '12:00') } });
    // A cannot offer B's shift as their own.
    const sw = await api(s.url, 'POST', '/api/v1/swap-requests', { token: tkA, body: { shift_id: sB.body.id, other_shift_id: sA.body.id } });
    assert.ok([403, 404, 409, 422].includes(sw.status), `A offering B's shift: ${sw.status} ${sw.text}`);
    const ok = await api(s.url, 'POST', '/api/v1/swap-requests', { token: tkA, body: { shift_id: sA.body.id, other_shift_id: sB.body.id } });
    expectStatus(ok, 201, "A's own request");
    const seenByB = await api(s.url, 'GET', '/api/v1/swap-requests', { token: tkB });
    const seenByA = await api(s.url, 'GET', '/api/v1/swap-requests', { token: tkA });
    assert.ok((seenByA.body.items ?? seenByA.body).some((x) => x.id === ok.body.id), 'A sees the own request');
    // B sees it only as the counsellor it is offered to, never A's others.
    for (const x of (seenByB.body.items ?? seenByB.body)) assert.ok(x.requested_by === B.id || x.target_counsellor_id === B.id || x.other_shift_id === sB.body.id, JSON.stringify(x));
    expectError(await api(s.url, 'POST', `/api/v1/swap-requests/${ok.body.id}/approve`, { token: tkB }), 403, 'forbidden');
    // A's /me is A's, whatever A asks.
    const me = await api(s.url, 'GET', '/api/v1/me', { token: tkA });
    assert.equal(me.body.id, A.id);
    const shifts = await api(s.url, 'GET', `/api/v1/me/shifts?counsellor_id=${B.id}`, { token: tkA });
    assert.ok(!(shifts.body.items ?? shifts.body ?? []).some?.((x) => x.counsellor_id === B.id), "no B shift in A's list");
  });
});
