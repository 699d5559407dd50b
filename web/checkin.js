// /c/{token}: staff scan a participant's QR code and land here. Signed in
// as a coordinator, the page checks the holder in at once (scanning twice
// is harmless) and shows the name big and green; otherwise it links to the
// console login, which brings them back.
import { h } from '/lib/dom.js';
import { api } from '/lib/api.js';
import { t } from '/lib/i18n.js';
import { frame, notice, start, pathParam, errorMessage, formatMoment, loading } from '/public.js';
import '/checkin-i18n.js';

const token = pathParam('/c/');
const state = { phase: 'working', result: null, error: null, reg: null, busy: false, undone: false };

function loginHref() {
  return `/#/login?next=${encodeURIComponent(location.pathname)}`;
}

async function checkIn() {
  state.phase = 'working';
  state.error = null;
  state.undone = false;
  render();
  if (!token) { state.phase = 'error'; state.error = { status: 404 }; render(); return; }
  try {
    state.result = await api('POST', `/checkin/${encodeURIComponent(token)}`);
    state.phase = 'done';
    // The registration adds the event title (best effort; public route).
    try { state.reg = await api('GET', `/registrations/${encodeURIComponent(token)}`); } catch { state.reg = null; }
  } catch (e) {
    state.phase = e.status === 401 ? 'login' : 'error';
    state.error = e;
  }
  render();
}

async function undo() {
  const a = state.result && state.result.attendance;
  if (!a || !a.id) return;
  state.busy = true;
  render();
  try {
    await api('DELETE', `/attendance/${encodeURIComponent(a.id)}`);
    state.undone = true;
  } catch (e) {
    state.error = e;
  }
  state.busy = false;
  render();
}

function personName() {
  const a = (state.result && state.result.attendance) || {};
  return a.name || (state.reg && state.reg.name) || '—';
}

function render() {
  if (state.phase === 'working') { frame(t('ci.title'), loading()); return; }
  if (state.phase === 'login') {
    frame(t('ci.title'), notice('info', t('ci.login'), t('ci.loginText'), 'checkin-login',
      h('a', { class: 'btn btn-primary btn-block btn-big', href: loginHref(), test: 'checkin-login-link' }, t('ci.loginLink'))));
    return;
  }
  if (state.phase === 'error') {
    const e = state.error || {};
    let body;
    if (e.status === 404) body = notice('error', t('ci.notFound'), t('ci.notFoundText'), 'checkin-error');
    else if (e.status === 403) body = notice('error', t('ci.forbidden'), '', 'checkin-error',
      h('a', { class: 'btn btn-block', href: loginHref() }, t('ci.loginLink')));
    else if (e.status === 409) {
      // the server's reason is English: the two it gives, in words
      const why = e.field === 'registration' ? t('ci.regCancelled') : e.field === 'status' ? t('ci.eventCancelled') : e.message || '';
      body = notice('error', t('ci.conflict', { message: why }), '', 'checkin-error');
    }
    else body = notice('error', errorMessage(e), '', 'checkin-error',
      h('button', { type: 'button', class: 'btn btn-block', onclick: checkIn }, t('retry')));
    frame(t('ci.title'), body);
    return;
  }
  const r = state.result || {};
  const a = r.attendance || {};
  const ev = state.reg && state.reg.event;
  const name = personName();
  if (state.undone) {
    frame(t('ci.title'), notice('warn', t('ci.undone'), name, 'checkin-undone',
      h('button', { type: 'button', class: 'btn btn-primary btn-block', onclick: checkIn, test: 'checkin-again' }, t('ci.again'))));
    return;
  }
  const details = [
    a.checked_in_at ? h('p', { class: 'notice-text', test: 'checkin-at' }, t('ci.at', { time: formatMoment(a.checked_in_at) })) : null,
    ev && ev.title ? h('p', { class: 'notice-text', test: 'checkin-event' }, t('ci.event', { title: ev.title })) : null,
  ];
  const big = h('section', { class: 'card checkin checkin-ok', role: 'status', test: r.already ? 'checkin-already' : 'checkin-ok' },
    h('div', { class: 'checkin-mark', 'aria-hidden': 'true' }, '✓'),
    h('h1', { class: 'checkin-name', test: 'checkin-result' }, t(r.already ? 'ci.already' : 'ci.ok', { name })),
    r.already ? h('p', { class: 'notice-text' }, t('ci.alreadyText')) : null,
    details);
  // checked in from the waiting list: the staff must know there is no place
  const waiting = state.reg && state.reg.status === 'waitlisted'
    ? h('p', { class: 'card checkin-waitlist', role: 'alert', test: 'checkin-waitlisted' },
      t('ci.waitlisted', { n: state.reg.waitlist_position ?? '' }))
    : null;
  frame(t('ci.title'), big, waiting,
    state.error ? h('p', { class: 'card form-error', role: 'alert' }, errorMessage(state.error)) : null,
    h('p', { class: 'card tip' }, t('ci.next')),
    !r.already && a.id ? h('div', { class: 'cancel-row' },
      h('button', { type: 'button', class: 'btn btn-quiet', disabled: state.busy, onclick: undo, test: 'checkin-undo' }, t('ci.undo'))) : null);
}

start(render);
checkIn();
