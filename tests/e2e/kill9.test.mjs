// kill -9 under load (issue 17, point 11): writers create rows as fast
// as they can, the server is killed with SIGKILL ten times at random
// moments and started again on the same database; every write it
// acknowledged (201) must be there afterwards, and the database must
// open clean each time. Half the writers are public registrations (issue
// 15: they share WAL syncs with each other and with the stations, group
// commit, and are acknowledged only after the sync that holds them).
// Survey answers run alongside (issue 15 point 4, surveycpu: answers
// that arrive together share one transaction, each acknowledged only
// after its commit's sync): every 201 must have marked its token
// answered after the restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, api, login } from '../lib/harness.mjs';

test('10 kill -9 runs under concurrent writes lose no acknowledged write', async () => {
  const acked = new Map(); // code -> id
  const ackedRegs = new Map(); // e-mail -> id
  const ackedAnswers = new Set(); // survey tokens answered (201)
  const env = { HEARTH_PUBLIC_WRITE_RATE: '0', HEARTH_TRUSTED_PROXIES: '127.0.0.1, ::1' };
  let s = await startServer({ env });
  const dir = s.dir;
  let seq = 0, failed = 0;
  const day = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  try {
    const ev = await api(s.url, 'POST', '/api/v1/events', { token: await login(s.url), body: { kind: 'lecture', title: '断电测试报名', start: `${day}T02:00:00Z`, end: `${day}T04:00:00Z`, public: true, capacity: 100000 } });
    assert.equal(ev.status, 201, ev.text);
    // A held past event whose walk-ins' tokens the answerers use, each
    // once (a token whose answer the kill cut is not sent again).
    const past = new Date(Date.now() - 3 * 86400e3).toISOString().slice(0, 10);
    const admin0 = await login(s.url);
    const held = await api(s.url, 'POST', '/api/v1/events', { token: admin0, body: { kind: 'lecture', title: '断电测试问卷', start: `${past}T02:00:00Z`, end: `${past}T04:00:00Z` } });
    assert.equal(held.status, 201, held.text);
    for (let i = 0; i < 1500; i += 25) {
      await Promise.all(Array.from({ length: 25 }, async (_, j) => {
        const r = await api(s.url, 'POST', `/api/v1/events/${held.body.id}/attendance`, { token: admin0, body: { walk_in: { name: `断电${i + j}` } } });
        assert.equal(r.status, 201, r.text);
      }));
    }
    assert.equal((await api(s.url, 'PATCH', `/api/v1/events/${held.body.id}`, { token: admin0, body: { status: 'held' } })).status, 200);
    const list = await api(s.url, 'GET', `/api/v1/events/${held.body.id}/attendance`, { token: admin0 });
    assert.equal(list.status, 200, list.text);
    const surveyTokens = list.body.items.map((x) => x.survey_token);
    assert.equal(surveyTokens.length, 1500);
    for (let round = 0; round < 10; round++) {
      const token = await login(s.url);
      let stop = false;
      const registrant = async (w) => {
        while (!stop) {
          const n = seq++;
          const email = `k${round}-${w}-${n}@example.org`;
          const xff = `10.${round}.${w}.${(n % 250) + 1}`;
          try {
            const r = await api(s.url, 'POST', `/api/v1/events/${ev.body.id}/registrations`, { body: { name: `断电${n}`, email }, headers: { 'x-forwarded-for': xff } });
            if (r.status === 201) ackedRegs.set(email, r.body.id);
            else if (r.status !== 503 && r.status !== 429) assert.fail(`${email}: ${r.status} ${r.text}`);
          } catch { failed++; return; }
        }
      };
      const worker = async (w) => {
        while (!stop) {
          const code = `K${round}-${w}-${seq++}`;
          try {
            const r = await api(s.url, 'POST', '/api/v1/stations', { token, body: { code, name: `断电测试${code}`, kind: 'street', address: '', timezone: 'Asia/Shanghai' } });
            if (r.status === 201) acked.set(code, r.body.id);
            else if (r.status !== 503) assert.fail(`${code}: ${r.status} ${r.text}`);
          } catch { failed++; return; } // the connection died with the server
        }
      };
      const answerer = async () => {
        while (!stop && surveyTokens.length > 0) {
          const t = surveyTokens.pop();
          try {
            const r = await api(s.url, 'POST', '/api/v1/surveys/responses', { body: { token: t, answers: { overall: 4, comment: '断电' } } });
            if (r.status === 201) ackedAnswers.add(t);
            else if (r.status !== 503) assert.fail(`answer ${t}: ${r.status} ${r.text}`);
          } catch { failed++; return; }
        }
      };
      const workers = [...Array.from({ length: 6 }, (_, w) => worker(w)),
        ...Array.from({ length: 6 }, (_, w) => registrant(w)),
        ...Array.from({ length: 8 }, () => answerer())];
      await new Promise((res) => setTimeout(res, 300 + Math.floor(Math.random() * 600)));
      const before = acked.size;
      const exit = await s.kill();
      assert.equal(exit.signal, 'SIGKILL');
      stop = true;
      await Promise.all(workers);
      assert.ok(acked.size > before || round > 0 || acked.size > 0, 'writes were acknowledged before the kill');
      s = await startServer({ dir, env });
      const admin = await login(s.url);
      const have = new Map();
      for (let offset = 0; ; offset += 500) {
        const r = await api(s.url, 'GET', `/api/v1/stations?limit=500&offset=${offset}&active=all`, { token: admin });
        assert.equal(r.status, 200, r.text);
        for (const x of r.body.items) have.set(x.code, x.id);
        if (r.body.items.length < 500) break;
      }
      const lost = [...acked].filter(([code, id]) => have.get(code) !== id);
      assert.deepEqual(lost, [], `round ${round}: acknowledged writes lost`);
      const regs = await api(s.url, 'GET', `/api/v1/events/${ev.body.id}/registrations`, { token: admin });
      assert.equal(regs.status, 200, regs.text);
      const haveRegs = new Map(regs.body.items.map((x) => [x.email, x.id]));
      const lostRegs = [...ackedRegs].filter(([email, id]) => haveRegs.get(email) !== id);
      assert.deepEqual(lostRegs, [], `round ${round}: acknowledged registrations lost`);
      const att = await api(s.url, 'GET', `/api/v1/events/${held.body.id}/attendance`, { token: admin });
      assert.equal(att.status, 200, att.text);
      const answered = new Set(att.body.items.filter((x) => x.answered).map((x) => x.survey_token));
      const lostAnswers = [...ackedAnswers].filter((t) => !answered.has(t));
      assert.deepEqual(lostAnswers, [], `round ${round}: acknowledged survey answers lost`);
    }
    assert.ok(ackedRegs.size > 0, 'registrations were acknowledged');
    assert.ok(ackedAnswers.size > 0, 'survey answers were acknowledged');
    console.log(`kill -9: 10 runs, ${acked.size} stations, ${ackedRegs.size} registrations and ${ackedAnswers.size} survey answers acknowledged, all present after restart; ${failed} requests cut by the kills`);
  } finally {
    await s.stop({ keep: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
