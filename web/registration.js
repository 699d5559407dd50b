// /r/{token}: the participant's registration — status (registered or
// waiting-list place), the check-in QR code, cancel, and the survey link
// once the event is held.
import { h } from '/lib/dom.js';
import { api } from '/lib/api.js';
import { t } from '/lib/i18n.js';
import {
  frame, loading, notice, eventHead, start, pathParam, errorMessage, safeHref, loadRegistrationInto, putReminders,
} from '/public.js';
import '/registration-i18n.js';

const token = pathParam('/r/');
const state = { reg: null, error: null, confirming: false, busy: false, actionError: '', remindBusy: false, remindError: '', smsBusy: false, smsError: '' };

const load = () => loadRegistrationInto(state, token, render);

async function cancel() {
  state.busy = true;
  state.actionError = '';
  render();
  try {
    await api('DELETE', `/registrations/${encodeURIComponent(token)}`);
    state.confirming = false;
    state.busy = false;
    await load();
  } catch (e) {
    state.busy = false;
    state.actionError = e.status === 409 ? t('form.err.closed') : errorMessage(e);
    render();
  }
}

// Reminder e-mails on or off (PUT /registrations/{token}/reminders).
async function setReminders(enabled) {
  state.remindBusy = true;
  state.remindError = '';
  render();
  try {
    state.reg.reminders = await putReminders(token, enabled);
  } catch (e) {
    state.remindError = t('rm.failed', { message: errorMessage(e) });
  }
  state.remindBusy = false;
  render();
  const btn = document.querySelector('[data-test="reg-reminders-toggle"]');
  if (btn) btn.focus();
}

// SMS on or off (PUT /registrations/{token}/sms).
async function setSms(enabled) {
  state.smsBusy = true;
  state.smsError = '';
  render();
  try {
    const r = await api('PUT', `/registrations/${encodeURIComponent(token)}/sms`, { enabled });
    state.reg.sms = r && typeof r.sms === 'boolean' ? r.sms : enabled;
  } catch (e) {
    state.smsError = t('rm.failed', { message: errorMessage(e) });
  }
  state.smsBusy = false;
  render();
  const btn = document.querySelector('[data-test="reg-sms-toggle"]');
  if (btn) btn.focus();
}

function smsLine(reg) {
  if (!reg.sms_available || !reg.has_phone || typeof reg.sms !== 'boolean') return null;
  const on = reg.sms;
  return h('section', { class: 'card remind', test: 'reg-sms', 'data-enabled': on ? 'true' : 'false' },
    h('div', { class: 'remind-row' },
      h('div', { class: 'remind-text' },
        h('span', { class: 'remind-label' }, t('sms.label')),
        h('span', { class: on ? 'remind-state remind-on' : 'remind-state remind-off', test: 'reg-sms-state' }, t(on ? 'rm.on' : 'rm.off'))),
      h('button', {
        type: 'button', class: 'btn remind-btn', test: 'reg-sms-toggle', disabled: state.smsBusy,
        onclick: () => setSms(!on),
      }, state.smsBusy ? t('rm.saving') : t(on ? 'rm.stop' : 'rm.resume'))),
    h('p', { class: 'remind-hint' }, t(on ? 'sms.onHint' : 'sms.offHint')),
    state.smsError ? h('p', { class: 'form-error', role: 'alert', test: 'reg-sms-error' }, state.smsError) : null);
}

function remindersLine(reg) {
  if (typeof reg.reminders !== 'boolean' || reg.has_email === false) return null;
  const on = reg.reminders;
  return h('section', { class: 'card remind', test: 'reg-reminders', 'data-enabled': on ? 'true' : 'false' },
    h('div', { class: 'remind-row' },
      h('div', { class: 'remind-text' },
        h('span', { class: 'remind-label' }, t('rm.label')),
        h('span', { class: on ? 'remind-state remind-on' : 'remind-state remind-off', test: 'reg-reminders-state' }, t(on ? 'rm.on' : 'rm.off'))),
      h('button', {
        type: 'button', class: 'btn remind-btn', test: 'reg-reminders-toggle', disabled: state.remindBusy,
        onclick: () => setReminders(!on),
      }, state.remindBusy ? t('rm.saving') : t(on ? 'rm.stop' : 'rm.resume'))),
    h('p', { class: 'remind-hint' }, t(on ? 'rm.onHint' : 'rm.offHint')),
    state.remindError ? h('p', { class: 'form-error', role: 'alert', test: 'reg-reminders-error' }, state.remindError) : null);
}

function statusCard(reg, ev) {
  if (reg.status === 'cancelled') {
    const again = ev.id ? h('a', { class: 'btn btn-block', href: `/e/${encodeURIComponent(ev.id)}`, test: 'reg-again' }, t('reg.eventLink')) : null;
    return notice('info', t('reg.cancelled'), t('reg.cancelledText'), 'reg-status-cancelled', again);
  }
  if (ev.status === 'cancelled') return notice('warn', t('status.cancelled'), t('reg.eventCancelled'), 'reg-event-cancelled');
  if (reg.status === 'waitlisted') {
    const pos = Number.isInteger(reg.waitlist_position) && reg.waitlist_position > 0
      ? t('reg.waitlisted', { n: reg.waitlist_position }) : t('reg.waitlistedNoPos');
    const bySms = reg.sms_available && reg.has_phone && reg.sms;
    return notice('warn', pos, t(bySms ? 'sms.waitlistText' : 'reg.waitlistText'), 'reg-status-waitlisted');
  }
  return notice('ok', reg.checked_in ? t('reg.checkedIn') : t('reg.registered'),
    reg.name ? t('reg.hello', { name: reg.name }) : '', 'reg-status-registered');
}

function surveyCard(reg) {
  const href = safeHref(reg.survey_url);
  if (!href) return null;
  return h('section', { class: 'card survey-call', test: 'reg-survey' },
    h('p', { class: 'survey-call-text' }, t('reg.surveyText')),
    h('a', { class: 'btn btn-primary btn-block btn-big', href, test: 'reg-survey-link' }, t('reg.survey')));
}

function qrCard(reg) {
  return h('section', { class: 'card qr', test: 'reg-qr' },
    h('img', {
      class: 'qr-img', src: `/registrations/${encodeURIComponent(token)}/qr.svg`,
      alt: t('reg.qrAlt'), width: 240, height: 240, test: 'reg-qr-img',
    }),
    h('p', { class: 'qr-hint' }, t('reg.qrHint')),
    // The code under the QR code, in groups of four, for staff to type
    // when the code cannot be scanned.
    h('p', { class: 'qr-code-text' }, t('reg.code'), ' ',
      h('span', { class: 'mono', test: 'reg-code' }, (token || '').match(/.{1,4}/g)?.join(' ') || '')),
    reg.checked_in ? h('p', { class: 'badge badge-ok', test: 'reg-checked-in' }, t('reg.checkedIn')) : null);
}

function cancelCard() {
  if (state.confirming) {
    const no = h('button', { type: 'button', class: 'btn', test: 'reg-cancel-no', disabled: state.busy,
      onclick: () => { state.confirming = false; render(); } }, t('reg.cancelNo'));
    const yes = h('button', { type: 'button', class: 'btn btn-danger', test: 'reg-cancel-yes', disabled: state.busy,
      onclick: cancel }, state.busy ? t('reg.cancelling') : t('reg.cancelYes'));
    const box = h('section', { class: 'card confirm', role: 'alertdialog', 'aria-labelledby': 'cc-text', test: 'reg-cancel-confirm' },
      h('p', { id: 'cc-text', class: 'confirm-text' }, t('reg.cancelConfirm')),
      state.actionError ? h('p', { class: 'form-error', role: 'alert' }, state.actionError) : null,
      h('div', { class: 'btn-row' }, no, yes));
    queueMicrotask(() => no.focus());
    return box;
  }
  return h('div', { class: 'cancel-row' },
    h('button', { type: 'button', class: 'btn btn-quiet', test: 'reg-cancel',
      onclick: () => { state.confirming = true; render(); } }, t('reg.cancel')));
}

function render() {
  if (state.error) {
    const e = state.error;
    if (e.status === 404) frame(t('reg.notFound'), notice('info', t('reg.notFound'), t('reg.notFoundText'), 'reg-missing'));
    else frame('', notice('error', errorMessage(e), '', 'load-error', h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    return;
  }
  const reg = state.reg;
  if (!reg) { frame('', loading()); return; }
  const ev = reg.event || {};
  const active = reg.status !== 'cancelled' && ev.status !== 'cancelled';
  const ended = ev.status === 'held' || (ev.end && Date.parse(ev.end) <= Date.now());
  frame(t('reg.title'),
    statusCard(reg, ev),
    surveyCard(reg),
    active && reg.status === 'registered' ? qrCard(reg) : null,
    h('article', { class: 'card event event-small', test: 'reg-event' },
      eventHead(ev, { level: 'h2' }),
      ev.id ? h('a', { class: 'link', href: `/e/${encodeURIComponent(ev.id)}`, test: 'reg-event-link' }, t('reg.eventLink')) : null),
    active && !ended ? remindersLine(reg) : null,
    active && !ended ? smsLine(reg) : null,
    active ? h('p', { class: 'card tip', test: 'reg-bookmark' }, t('reg.bookmark')) : null,
    active && !ended && !reg.checked_in ? cancelCard() : null);
}

start(render);
load();
