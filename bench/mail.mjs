// `make bench`, mail case: how fast the mailer empties the outbox into a
// real SMTP server on 127.0.0.1 (one SMTP session per message, as in
// production). N counsellors each get a shift, so N roster notices
// gather; the fake clock moves past their quiet period and the time until
// the server holds all N is measured.
//
//   bench mail: <msgs/s> messages/s (<n> messages, one SMTP session each)
//
// smtp-server waits 100 ms before its greeting (early-talker check), as
// some real servers do: with one session per message that delay, not
// hearth, sets the pace (about 7 messages/s on loopback; the client's
// own share of a session is about 10 ms).
//
// Knobs: BENCH_MAIL_N (default 200), HEARTH_BIN (default build/hearth).
import { startServer, api, login } from '../tests/lib/harness.mjs';
import { startSmtp } from '../tests/lib/smtp.mjs';

const n = Number(process.env.BENCH_MAIL_N || 200);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const smtp = await startSmtp();
const s = await startServer({
  env: {
    HEARTH_FAKE_CLOCK: '1', HEARTH_MAIL_FROM: 'bench@example.org', HEARTH_SMTP_HOST: '127.0.0.1',
    HEARTH_SMTP_PORT: String(smtp.port), HEARTH_SMTP_STARTTLS: 'off', HEARTH_MAIL_RATE: '6000',
  },
});
try {
  const token = await login(s.url);
  const call = (method, path, body) => api(s.url, method, path, { token, body });
  const st = (await call('POST', '/api/v1/stations', { code: 'BENCH', name: '压测工作点', kind: 'street' })).body;
  const start = Date.now() + 3 * 86400e3;
  for (let i = 0; i < n; i++) {
    const c = (await call('POST', '/api/v1/counsellors', { name: `咨询师${i}`, email: `c${i}@example.org` })).body;
    const r = await call('POST', '/api/v1/shifts', {
      station_id: st.id, counsellor_id: c.id, start: iso(start), end: iso(start + 3 * 3600e3),
    });
    if (r.status !== 201) throw new Error(`shift: ${r.status} ${r.text}`);
  }
  const t0 = performance.now();
  await call('PUT', '/api/v1/_clock', { now: iso(Date.now() + 11 * 60e3) });
  const deadline = Date.now() + 120e3;
  while (smtp.messages.length < n) {
    if (Date.now() > deadline) throw new Error(`only ${smtp.messages.length} of ${n} arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`bench mail: ${(n / secs).toFixed(0)} messages/s (${n} messages, one SMTP session each, ${secs.toFixed(2)} s)`);
} finally {
  await s.stop();
  await smtp.close();
}
