// `make bench`, roster case (issue 15): a quarter's roster of 13
// stations and 14 counsellors (each with a home station), generated
// quarter after quarter on the same database, so the 5th quarter runs
// with four quarters of shifts before it. Per quarter it prints the time
// of the POST (client side, the commit included) and the handler's own
// time from the server's log (ms=, inside the write transaction, i.e.
// how long generation holds the write lock):
//
//   bench roster q1: 2,392 seats, POST 71 ms, handler 48 ms (cpu 40 ms), 11,000 shifts before
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
  }
  console.log(`bench roster (${14 * seats} counsellors, ${seats} seat(s) a template): q1 ${times[0].toFixed(0)} ms, q${quarters} ${times[quarters - 1].toFixed(0)} ms, q${quarters}/q1 ${(times[quarters - 1] / times[0]).toFixed(2)} (goal < 100 ms, flat)`);
} finally {
  await s.stop();
}
