// `make bench`, roster case (issue 15): a quarter's roster of 13
// stations and 14 counsellors (each with a home station), generated
// quarter after quarter on the same database, so the 5th quarter runs
// with four quarters of shifts before it. Per quarter it prints the time
// of the POST (client side, the commit included) and the handler's own
// time from the server's log (ms=; since issue 17 the write lock is held
// only in its batches, see the roster+register block at the end):
//
//   bench roster q1: 2,392 seats, POST 71 ms, handler 48 ms (cpu 40 ms), 11,000 shifts before
//   bench roster q1 phases (wall/cpu ms): hold=… setup=… … result=…
//   bench roster: q1 … ms, q5 … ms, q5/q1 <x> (goal < 100 ms, flat)
//
// Stations: two templates each (08:30–12:00 every day, 13:30–17:30 on
// workdays, one seat each). Knobs: BENCH_ROSTER_QUARTERS (5),
// BENCH_ROSTER_SEATS (seats a template, 1; 10 with 140 counsellors makes
// the 20,000-seat quarter of issue 17), HEARTH_BIN (default build/hearth).
import { startServer, api, login } from '../tests/lib/harness.mjs';

process.env.HEARTH_BIN ||= new URL('../build/hearth', import.meta.url).pathname;
const quarters = Number(process.env.BENCH_ROSTER_QUARTERS || 5);
const seats = Number(process.env.BENCH_ROSTER_SEATS || 1);
const s = await startServer({ env: { HEARTH_LOG_LEVEL: 'info' } });
try {
  const token = await login(s.url);
  const call = async (method, path, body, want = [200, 201]) => {
    const r = await api(s.url, method, path, { token, body });
    if (!want.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.body;
  };
  const stations = [];
  for (let i = 0; i < 13; i++) {
    const st = await call('POST', '/api/v1/stations', { code: `RB${i}`, name: `排班压测驻点${i}`, kind: 'street' });
    stations.push(st.id);
    await call('POST', '/api/v1/shift-templates', { station_id: st.id, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:30', end: '12:00', required: seats });
    await call('POST', '/api/v1/shift-templates', { station_id: st.id, weekdays: [1, 2, 3, 4, 5], start: '13:30', end: '17:30', required: seats });
  }
  for (let i = 0; i < 14 * seats; i++)
    await call('POST', '/api/v1/counsellors', { name: `排班压测咨询师${i}`, email: `rb${i}@example.org`, home_station_id: stations[i % 13], max_weekly_hours: 40 });
  const times = [];
  const start = new Date(Date.UTC(2027, 0, 1));
  for (let q = 0; q < quarters; q++) {
    const from = new Date(start); from.setUTCMonth(q * 3);
    const to = new Date(start); to.setUTCMonth(q * 3 + 3); to.setUTCDate(0);
    const before = (await call('GET', '/api/v1/shifts?limit=1')).total;
    const logAt = s.log().length;
    const t0 = performance.now();
    const r = await call('POST', '/api/v1/rosters/generate', { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) });
    const ms = performance.now() - t0;
    await new Promise((res) => setTimeout(res, 50));
    const m = s.log().slice(logAt).match(/msg="roster generate" seats=(\d+) .*ms=([\d.]+) cpu_ms=([\d.]+)/);
    times.push(ms);
    console.log(`bench roster q${q + 1}: ${m ? m[1] : '?'} seats, ${r.created} created, POST ${ms.toFixed(0)} ms, handler ${m ? m[2] : '?'} ms (cpu ${m ? m[3] : '?'} ms), ${before} shifts before`);
    const ph = s.log().slice(logAt).match(/msg="roster generate phases" ([^\n]*)/);
    if (ph) console.log(`bench roster q${q + 1} phases (wall/cpu ms): ${ph[1]}`);
  }
  console.log(`bench roster (${14 * seats} counsellors, ${seats} seat(s) a template): q1 ${times[0].toFixed(0)} ms, q${quarters} ${times[quarters - 1].toFixed(0)} ms, q${quarters}/q1 ${(times[quarters - 1] / times[0]).toFixed(2)} (goal < 100 ms, flat)`);

  // --- issue 17 (branch rostergen): registrations during a generation.
  // One more quarter is generated while BENCH_ROSTER_CLIENTS (4) clients
  // register for a public event back to back (each from addresses of its
  // own); before it, the same clients for BENCH_ROSTER_IDLE_MS (1,500)
  // without it. Prints the generation's transactions, the longest time
  // one of them held the write lock (wall and CPU, from the log line) and
  // the registrations' p50/p99/max both ways:
  //
  //   bench roster+register: 20,020 seats in 22 transactions, longest lock 19.8 ms (cpu 14.1 ms), generation 2,310 ms; …
  {
    const clients = Number(process.env.BENCH_ROSTER_CLIENTS || 4);
    const idleMs = Number(process.env.BENCH_ROSTER_IDLE_MS || 1500);
    const http = await import('node:http');
    const evStart = new Date(Date.now() + 7 * 86400000);
    const ev = await call('POST', '/api/v1/events', { kind: 'lecture', title: '排班压测时报名', start: evStart.toISOString(),
      end: new Date(evStart.getTime() + 7200000).toISOString(), public: true, capacity: 100000 });
    const path = `/api/v1/events/${ev.id}/registrations`;
    let nreg = 0;
    const register = () => new Promise((res, rej) => {
      const k = nreg++;
      const payload = Buffer.from(JSON.stringify({ name: '压测参加者', email: `rr${k}@example.org` }));
      const t0 = performance.now();
      const req = http.request(new URL(path, s.url), { method: 'POST', agent: false, localAddress: `127.${1 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${(k & 255) || 1}`,
        headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (resp) => {
        resp.resume();
        resp.on('end', () => (resp.statusCode === 201 ? res(performance.now() - t0) : rej(new Error(`registration: ${resp.statusCode}`))));
      });
      req.on('error', rej);
      req.end(payload);
    });
    const load = async (going) => {
      const lat = [];
      await Promise.all(Array.from({ length: clients }, async () => { while (going()) lat.push(await register()); }));
      return lat.sort((a, b) => a - b);
    };
    const pct = (l, p) => l[Math.min(l.length - 1, Math.floor(p * l.length))];
    const fmt = (l) => `${l.length} registrations, p50 ${pct(l, 0.5).toFixed(1)} ms, p99 ${pct(l, 0.99).toFixed(1)} ms, max ${l.at(-1).toFixed(1)} ms`;
    const tIdle = performance.now();
    const idle = await load(() => performance.now() - tIdle < idleMs);
    const from = new Date(start); from.setUTCMonth(quarters * 3);
    const to = new Date(start); to.setUTCMonth(quarters * 3 + 3); to.setUTCDate(0);
    const logAt = s.log().length;
    let generating = true;
    const t0 = performance.now();
    const gen = call('POST', '/api/v1/rosters/generate', { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) })
      .finally(() => { generating = false; });
    const busy = await load(() => generating);
    await gen;
    const ms = performance.now() - t0;
    await new Promise((res) => setTimeout(res, 50));
    const m = s.log().slice(logAt).match(/msg="roster generate" seats=(\d+) .*batches=(\d+) lock_max_ms=([\d.]+) lock_cpu_max_ms=([\d.]+)/);
    console.log(`bench roster+register: ${m ? m[1] : '?'} seats in ${m ? m[2] : '?'} transactions, longest lock ${m ? m[3] : '?'} ms (cpu ${m ? m[4] : '?'} ms), generation ${ms.toFixed(0)} ms`);
    console.log(`bench roster+register: idle: ${fmt(idle)}`);
    console.log(`bench roster+register: during generation: ${fmt(busy)} (goal: p99 < 100 ms)`);
  }
} finally {
  await s.stop();
}
