// /u/{token}: what the opt-out link at the foot of a reminder e-mail
// opens. Says which activity, whether reminders are on, and has one
// button to stop them (or to start them again): GET and PUT
// /api/v1/reminders/{token} {"enabled": bool}. The token of the link is
// the opt-out token, which can do nothing else (older mails carry the
// registration token, which opens the same view and the registration
// link). Change and cancellation notices are sent either way.
import { h } from '/lib/dom.js';
import { api } from '/lib/api.js';
import { t } from '/lib/i18n.js';
import {
  frame, loading, notice, eventHead, start, pathParam, errorMessage,
} from '/public.js';
import '/unsubscribe-i18n.js';

const token = pathParam('/u/');
// changed: the state was set on this page (shows "resumed" rather than "on").
const state = { reg: null, error: null, busy: false, changed: false, actionError: '' };

async function load() {
  state.error = null;
  if (!token) { state.error = { status: 404 }; render(); return; }
  try {
    state.reg = await api('GET', `/reminders/${encodeURIComponent(token)}`);
  } catch (e) {
    state.error = e;
  }
  render();
}

async function setReminders(enabled) {
  state.busy = true;
  state.actionError = '';
  render();
  try {
    const r = await api('PUT', `/reminders/${encodeURIComponent(token)}`, { enabled });
    state.reg.reminders = r && typeof r.reminders === 'boolean' ? r.reminders : enabled;
    state.changed = true;
  } catch (e) {
    state.actionError = t('un.saveFailed', { message: errorMessage(e) });
  }
  state.busy = false;
  render();
  const btn = document.querySelector('[data-test="unsub-toggle"]');
  if (btn) btn.focus();
}

function stateCard(reg) {
  const on = reg.reminders !== false;
  const btn = h('button', {
    type: 'button',
    class: on ? 'btn btn-primary btn-block btn-big' : 'btn btn-block btn-big',
    test: 'unsub-toggle',
    'data-enabled': on ? 'true' : 'false',
    disabled: state.busy,
    onclick: () => setReminders(!on),
  }, state.busy ? t(on ? 'un.offBusy' : 'un.onBusy') : t(on ? 'un.off' : 'un.on'));
  const err = state.actionError ? h('p', { class: 'form-error', role: 'alert', test: 'unsub-error' }, state.actionError) : null;
  const box = on
    ? notice(state.changed ? 'ok' : 'info', t(state.changed ? 'un.resumedTitle' : 'un.onTitle'), t('un.onText'), 'unsub-on', err, btn)
    : notice('ok', t('un.offTitle'), t('un.offText'), 'unsub-off', err, btn);
  box.classList.add('unsub-state');
  box.appendChild(h('p', { class: 'unsub-note' }, t('un.note')));
  return box;
}

// A registration or event for which reminders no longer matter.
function closedCard(reg, ev) {
  if (reg.status === 'cancelled') return notice('info', t('un.cancelledTitle'), t('un.cancelledText'), 'unsub-closed');
  if (ev.status === 'cancelled') return notice('warn', t('un.eventCancelledTitle'), t('un.eventCancelledText'), 'unsub-closed');
  const ended = ev.status === 'held' || (ev.end && Date.parse(ev.end) <= Date.now());
  if (ended) return notice('info', t('un.endedTitle'), t('un.endedText'), 'unsub-closed');
  return null;
}

function render() {
  if (state.error) {
    const e = state.error;
    if (e.status === 404) frame(t('un.notFound'), notice('info', t('un.notFound'), t('un.notFoundText'), 'unsub-missing'));
    else frame(t('un.title'), notice('error', errorMessage(e), '', 'load-error', h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    return;
  }
  const reg = state.reg;
  if (!reg) { frame(t('un.title'), loading()); return; }
  const ev = reg.event || {};
  frame(t('un.title'),
    h('article', { class: 'card event event-small', test: 'unsub-event' },
      h('p', { class: 'eyebrow unsub-eyebrow' }, t('un.eyebrow')),
      eventHead(ev, { level: 'h2' })),
    closedCard(reg, ev) || stateCard(reg),
    // The opt-out token opens no registration page.
    reg.via === 'registration'
      ? h('p', { class: 'unsub-links' },
        h('a', { class: 'link', href: `/r/${encodeURIComponent(token)}`, test: 'unsub-reg-link' }, t('un.regLink')))
      : null);
}

start(render);
load();
