// PostgreSQL only (make test-pg): failover (issue 16 item 4). A primary
// and a synchronous streaming replica on this machine (tests/lib/pg.mjs,
// pgPair), Hearth on a multi-host URI with
// target_session_attrs=read-write. Under a steady load of public
// registrations (every 201 recorded) and signed-in reads, the primary's
// postmaster is killed (kill -9) and the replica promoted. The requests
// that meet the dead primary answer 503 with Retry-After (never a 500,
// never a dropped connection), writes resume within seconds of the
// promotion, and every acknowledged registration is on the new primary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { pgCluster, pgDatabase, pgPair, pgQuery, pgWanted } from '../lib/pg.mjs';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

test('failover: kill -9 of the primary, promote the replica; 503 meanwhile, no acknowledged write lost',
  { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only', timeout: 180000 }, async () => {
    const pair = pgPair();
    const db = `hearth_fo_${process.pid}`;
    const uri = pair.database(db);
    const s = await startServer({ db: uri, args: ['--trusted-proxies', '127.0.0.1'] });
    try {
      const token = await login(s.url);
      const day = new Date(Date.now() + 10 * 86400e3).toISOString().slice(0, 10);
      const ev = await api(s.url, 'POST', '/api/v1/events', {
        token,
        body: { kind: 'lecture', title: '切换演练讲座', start: `${day}T02:00:00Z`, end: `${day}T04:00:00Z`, public: true, capacity: 100000 },
      });
      assert.equal(ev.status, 201, ev.text);

      const acked = [];            // emails of the 201s
      const writes = [];           // {t0, t1, status}
      const reads = [];
      const bad = [];              // anything but 201/200/503-with-Retry-After
      let stop = false;
      let n = 0;
      const t = () => performance.now();
      const writer = async (w) => {
        while (!stop) {
          const k = ++n;
          const email = `fo${w}_${k}@example.org`;
          const t0 = t();
          let r;
          try {
            r = await api(s.url, 'POST', `/api/v1/events/${ev.body.id}/registrations`, {
              body: { name: `切换${k}`, email },
              headers: { 'x-forwarded-for': `10.${w}.${(k >> 8) & 255}.${k & 255}` },
            });
          } catch (e) {
            bad.push(`POST ${email}: ${e.cause?.code || e.message}`);
            continue;
          }
          writes.push({ t0, t1: t(), status: r.status, message: r.body?.error?.message });
          if (r.status === 201) acked.push(email);
          else if (r.status !== 503 || r.headers.get('retry-after') !== '1') bad.push(`POST ${r.status} ${r.headers.get('retry-after')} ${r.text.slice(0, 200)}`);
          else await sleep(20);
        }
      };
      const reader = async () => {
        while (!stop) {
          let r;
          try {
            r = await api(s.url, 'GET', '/api/v1/stations', { token });
          } catch (e) {
            bad.push(`GET: ${e.cause?.code || e.message}`);
            continue;
          }
          reads.push({ t1: t(), status: r.status });
          if (r.status !== 200 && (r.status !== 503 || r.headers.get('retry-after') !== '1')) bad.push(`GET ${r.status} ${r.text.slice(0, 200)}`);
          await sleep(r.status === 200 ? 10 : 20);
        }
      };
      const load = [writer(1), writer(2), writer(3), writer(4), reader()];

      await sleep(1500);
      const before = acked.length;
      assert.ok(before > 0, 'writes go through before the failover');
      const tKill = t();
      pair.killPrimary();
      // The requests in flight and those that follow meet the dead
      // primary until the replica is promoted (an operator's or a
      // manager's reaction time: half a second here).
      await sleep(500);
      const tPromote = t();
      const promoteMs = pair.promote();
      // Until writes have gone through for a while on the new primary.
      const deadline = t() + 20000;
      while (t() < deadline && !writes.some((x) => x.t0 > tPromote + promoteMs + 1000 && x.status === 201)) await sleep(50);
      await sleep(500);
      stop = true;
      await Promise.all(load);

      const firstAfter = writes.filter((x) => x.t0 > tKill && x.status === 201).sort((a, b) => a.t1 - b.t1)[0];
      const last503 = writes.filter((x) => x.status === 503);
      const gapKill = firstAfter ? firstAfter.t1 - tKill : Infinity;
      const gapPromote = firstAfter ? firstAfter.t1 - (tPromote + promoteMs) : Infinity;
      const count = (arr, st) => arr.filter((x) => x.status === st).length;
      console.log(`failover: ${writes.length} writes (${count(writes, 201)} × 201, ${count(writes, 503)} × 503), ` +
        `${reads.length} reads (${count(reads, 200)} × 200, ${count(reads, 503)} × 503); ` +
        `promote ${promoteMs.toFixed(0)} ms; first 201 after the kill ${gapKill.toFixed(0)} ms after it, ` +
        `${gapPromote.toFixed(0)} ms after the promotion; ${last503.length} writes answered 503`);
      assert.deepEqual(bad, [], 'only 201/200 or 503 with Retry-After: 1; no dropped connection');
      // A database that cannot be reached is not called busy.
      const said = [...new Set(last503.map((x) => x.message))];
      console.log(`failover: the 503s said ${JSON.stringify(said)}`);
      assert.ok(said.some((m) => /暂时不可用/.test(m)) && !said.some((m) => /正忙/.test(m)),
        `503s say the database cannot be reached, never that it is busy: ${said}`);
      assert.ok(firstAfter, 'writes resume after the promotion');
      assert.ok(gapPromote < 5000, `writes resume within 5 s of the promotion (${gapPromote.toFixed(0)} ms)`);
      assert.ok(reads.some((x) => x.t1 > tPromote + promoteMs && x.status === 200), 'reads resume');

      // Every acknowledged registration is on the new primary.
      const have = new Set(pgQuery(pair.replica, `SELECT email FROM registrations WHERE event_id = ${ev.body.id}`, db)
        .split('\n').filter(Boolean));
      const lost = acked.filter((e) => !have.has(e));
      console.log(`failover: ${acked.length} acknowledged registrations, ${have.size} rows on the new primary, ${lost.length} lost`);
      assert.deepEqual(lost, [], 'no acknowledged write lost');
      assert.ok(have.size >= acked.length);

      // And the service goes on: a signed-in write on the new primary.
      const st = await api(s.url, 'POST', '/api/v1/stations', { token, body: { code: 'FO1', name: '切换后驻点', kind: 'street' } });
      assert.equal(st.status, 201, st.text);
    } finally {
      await s.stop();
    }
  });

// A server that turns read-only under Hearth (default_transaction_read_only,
// as a demoted primary or a standby behind a URI without
// target_session_attrs): writes answer 503 with Retry-After (not 500) and
// their connection is dropped, reads go on, and writes come back once the
// server takes them again.
test('a read-only server: writes 503 with Retry-After, reads go on, writes resume',
  { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only', timeout: 60000 }, async () => {
    const s = await startServer({ db: pgDatabase() });
    const node = { sock: pgCluster().dir };
    const readOnly = (on) => {
      pgQuery(node, `ALTER SYSTEM SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
      pgQuery(node, 'SELECT pg_reload_conf()');
    };
    try {
      const token = await login(s.url);
      const add = (code) => api(s.url, 'POST', '/api/v1/stations', { token, body: { code, name: `只读${code}`, kind: 'street' } });
      assert.equal((await add('RO0')).status, 201);
      readOnly(true);
      await sleep(300); // the backends read the new setting at their next command
      const codes = [];
      for (let i = 1; i <= 4; i++) {
        const r = await add(`RO${i}`);
        codes.push(r.status);
        assert.equal(r.status, 503, r.text);
        assert.equal(r.headers.get('retry-after'), '1');
        const g = await api(s.url, 'GET', '/api/v1/stations?q=RO', { token });
        assert.equal(g.status, 200, 'reads go on on a read-only server');
      }
      assert.match(s.log(), /read-only transaction/, 'the refusal is logged');
      readOnly(false);
      await sleep(300);
      let ok = false;
      for (let i = 0; i < 5 && !ok; i++) {
        const r = await add(`RW${i}`);
        assert.ok(r.status === 201 || r.status === 503, `201 or 503: ${r.status}`);
        ok = r.status === 201;
      }
      assert.ok(ok, 'writes resume');
      const list = await api(s.url, 'GET', '/api/v1/stations?q=RO&limit=100', { token });
      assert.deepEqual(list.body.items.map((x) => x.code).filter((c) => /^RO/.test(c)), ['RO0'], 'no refused write is there');
    } finally {
      try { readOnly(false); } catch { /* the cluster is gone */ }
      await s.stop();
    }
  });
