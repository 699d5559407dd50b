// A real SMTP server on 127.0.0.1 for end-to-end tests (the npm package
// smtp-server), keeping every message it accepts, parsed by mailparser.
//
//   const smtp = await startSmtp({ tls: { key, cert }, auth: { user, password } });
//   ... point hearth (or build/test/smtp_send) at 127.0.0.1:smtp.port ...
//   const m = await smtp.waitFor((m) => m.to.includes('a@example.org'));
//   await smtp.close();
//
// Options:
//   port   listen on this port instead of a free one (to restart a server
//          on the port a test stopped it on)
//   tls    {key, cert} (PEM): offer STARTTLS with this certificate.
//          Without it the server offers no STARTTLS at all (smtp-server
//          would otherwise offer it with a built-in self-signed one).
//   auth   {user, password}: require AUTH PLAIN or LOGIN (also without
//          TLS); anything else gets 535. Without it no AUTH is offered.
//   enhancedStatusCodes  false to hide ENHANCEDSTATUSCODES (default on,
//          as most real servers announce it)
//
// setMode(mode, stage) changes how the next commands are answered:
//   'accept'       the default
//   'reject5xx'    550 5.1.1 at RCPT TO, or 554 5.6.0 after the data
//   'tempfail4xx'  451 4.3.0 at RCPT TO, or after the data
//   'stall'        never answer RCPT TO, or the end of the data (the
//                  message is read first), to exercise client timeouts
// stage is 'rcpt' (default) or 'data'.
//
// setDelay(ms) answers the end of each message's data ms later (a slow
// server: a sender is mid-message for that long); inData counts the
// messages read whose answer is still held. The message is kept when
// it was read, as a real server keeps what it has whole even when the
// client is gone before the answer.
//
// Each message: {from, to: [...], raw (Buffer, as received after
// dot-unstuffing), parsed (simpleParser result), secure (STARTTLS was
// used), user (the AUTH user or undefined), servername (SNI or
// undefined), at (Date.now())}. connections counts accepted connections.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const MODES = new Set(['accept', 'reject5xx', 'tempfail4xx', 'stall']);
const STAGES = new Set(['rcpt', 'data']);

function smtpError(code, text) {
  const err = new Error(text);
  err.responseCode = code;
  return err;
}

export async function startSmtp(opts = {}) {
  const messages = [];
  const pending = new Set(); // callbacks held by 'stall'
  let mode = 'accept';
  let stage = 'rcpt';
  let connections = 0;
  let closing = null;
  let delay = 0;
  let inData = 0;

  // The answer for a command at this stage under the current mode:
  // undefined to go on, 'stall' to hold the callback, or an Error.
  function verdict(at) {
    if (mode === 'accept' || stage !== at) return undefined;
    if (mode === 'stall') return 'stall';
    if (mode === 'reject5xx') {
      return at === 'rcpt' ? smtpError(550, 'Error: mailbox unavailable (test)')
        : smtpError(554, 'Error: message refused (test)');
    }
    return smtpError(451, 'Error: try again later (test)');
  }

  function answer(at, callback, ok) {
    const v = verdict(at);
    if (v === 'stall') { pending.add(callback); return; }
    if (v) { callback(v); return; }
    ok();
  }

  const disabled = [];
  if (!opts.tls) disabled.push('STARTTLS');
  if (!opts.auth) disabled.push('AUTH');

  const server = new SMTPServer({
    logger: false,
    name: 'smtp.test',
    banner: 'hearth test server',
    disableReverseLookup: true,
    disabledCommands: disabled,
    hideENHANCEDSTATUSCODES: opts.enhancedStatusCodes === false,
    closeTimeout: 500,
    socketTimeout: 60000,
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    ...(opts.auth ? { authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: true } : {}),
    onConnect(session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(smtpError(535, 'Error: invalid username or password (test)'));
    },
    onRcptTo(address, session, callback) {
      answer('rcpt', callback, () => callback());
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (d) => chunks.push(d));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const v = verdict('data');
        if (v === 'stall') { pending.add(callback); return; }
        if (v) { callback(v); return; }
        let parsed;
        try {
          parsed = await simpleParser(raw);
        } catch (e) {
          parsed = { error: e };
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw,
          parsed,
          secure: Boolean(session.secure),
          user: session.user,
          servername: session.servername || undefined,
          at: Date.now(),
        });
        if (delay > 0) {
          inData += 1;
          setTimeout(() => { inData -= 1; callback(null, 'OK: queued (test)'); }, delay);
          return;
        }
        callback(null, 'OK: queued (test)');
      });
    },
  });
  server.on('error', () => {}); // a client vanishing mid-session is not a test failure

  await new Promise((resolve, reject) => {
    const onError = (e) => reject(e);
    server.server.once('error', onError);
    server.listen(opts.port || 0, '127.0.0.1', () => {
      server.server.removeListener('error', onError);
      resolve();
    });
  });
  const { port } = server.server.address();

  return {
    port,
    messages,
    get connections() { return connections; },
    get inData() { return inData; },
    setDelay(ms) { delay = ms; },
    setMode(m, s = 'rcpt') {
      if (!MODES.has(m)) throw new Error(`startSmtp: unknown mode ${m}`);
      if (!STAGES.has(s)) throw new Error(`startSmtp: unknown stage ${s}`);
      mode = m;
      stage = s;
    },
    // Resolves with the first message (already received or still to
    // come) for which predicate(message) is true; rejects after timeoutMs.
    waitFor(predicate = () => true, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const poll = () => {
          const m = messages.find(predicate);
          if (m) { resolve(m); return; }
          if (Date.now() >= deadline) {
            reject(new Error(`startSmtp: no matching message within ${timeoutMs} ms `
              + `(${messages.length} received)`));
            return;
          }
          setTimeout(poll, 25);
        };
        poll();
      });
    },
    // Stops listening and ends open sessions (a stalled one gets 421);
    // the port is free again when this resolves. Safe to call twice.
    close() {
      if (!closing) {
        for (const cb of pending) cb(smtpError(421, 'Error: shutting down (test)'));
        pending.clear();
        closing = new Promise((resolve) => server.close(() => resolve()));
      }
      return closing;
    },
  };
}
