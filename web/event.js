// /e/{id}: a public event and its registration form. On success the
// participant goes to /r/{token}, their registration page.
import { h } from '/lib/dom.js';
import { api } from '/lib/api.js';
import { t } from '/lib/i18n.js';
import { frame, loading, notice, eventHead, start, pathParam, errorMessage } from '/public.js';
import '/event-i18n.js';

const FIELDS = [
  { name: 'name', required: true, max: 50, type: 'text', autocomplete: 'name' },
  { name: 'phone', max: 32, type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
  { name: 'email', max: 254, type: 'email', autocomplete: 'email', inputmode: 'email' },
  { name: 'organisation', max: 100, type: 'text', autocomplete: 'organization' },
];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// A mainland mobile number: 1[3-9] and nine digits, optionally after
// +86; single spaces or hyphens between digits (as the server checks).
export function mobileOk(s) {
  const rest = s.startsWith('+86') ? s.slice(3).replace(/^[ -]/, '') : s;
  if (!/^\d(?:[ -]?\d)*$/.test(rest)) return false;
  return /^1[3-9]\d{9}$/.test(rest.replace(/[ -]/g, ''));
}

const id = pathParam('/e/');
const state = {
  ev: null, error: null,
  values: { name: '', phone: '', email: '', organisation: '' },
  sms: true,
  fieldErrors: {}, formError: '', formNote: '', submitting: false, focus: null,
};

async function load() {
  state.ev = null;
  state.error = null;
  render();
  if (!/^[1-9][0-9]{0,17}$/.test(id)) { state.error = { status: 404 }; render(); return; }
  try {
    state.ev = await api('GET', `/public/events/${id}`);
  } catch (e) {
    state.error = e;
  }
  render();
}

function closedReason(ev) {
  if (ev.status === 'cancelled') return ['warn', t('status.cancelled'), t('status.cancelledText'), 'event-cancelled'];
  if (ev.status === 'held') return ['info', t('status.held'), t('status.endedText'), 'event-held'];
  if (ev.end && Date.parse(ev.end) <= Date.now()) return ['info', t('status.ended'), t('status.endedText'), 'event-ended'];
  if (ev.status !== 'planned' && ev.status !== 'confirmed') return ['info', t('status.ended'), t('status.endedText'), 'event-closed'];
  return null;
}

function spotsText(ev) {
  if (ev.spots_left === null || ev.spots_left === undefined) {
    return ev.capacity === null || ev.capacity === undefined ? t('spots.unlimited') : '';
  }
  return ev.spots_left > 0 ? t('spots.left', { n: ev.spots_left }) : t('spots.full');
}

function validate() {
  const v = state.values;
  const errs = {};
  const name = v.name.trim();
  if (!name || [...name].length > 50) errs.name = t('form.err.name');
  const phone = v.phone.trim();
  if (phone && !mobileOk(phone)) errs.phone = t('form.err.phone');
  if (v.email.trim() && !EMAIL_RE.test(v.email.trim())) errs.email = t('form.err.email');
  if ([...v.organisation.trim()].length > 100) errs.organisation = t('form.err.organisation');
  return errs;
}

async function submit(ev) {
  if (state.submitting) return;
  state.fieldErrors = validate();
  state.formError = '';
  state.formNote = '';
  const bad = FIELDS.find((f) => state.fieldErrors[f.name]);
  if (bad) { state.focus = bad.name; render(); return; }
  const body = { name: state.values.name.trim() };
  for (const f of ['phone', 'email', 'organisation']) {
    const v = state.values[f].trim();
    if (v) body[f] = v;
  }
  if (ev.sms && body.phone && !state.sms) body.sms = false;
  state.submitting = true;
  render();
  try {
    const r = await api('POST', `/events/${ev.id}/registrations`, body);
    // The same phone or e-mail registered already: one place per
    // person; the link to it came with the first confirmation.
    if (r && r.already_registered) {
      state.submitting = false;
      state.formNote = t(r.status === 'waitlisted' ? 'form.alreadyWaitlisted' : 'form.already');
      render();
      return;
    }
    if (!r || typeof r.token !== 'string' || !/^[A-Za-z0-9_-]+$/.test(r.token)) throw new Error('no token');
    location.assign(`/r/${encodeURIComponent(r.token)}`);
    return;
  } catch (e) {
    state.submitting = false;
    if (e.status === 422 && e.field && FIELDS.some((f) => f.name === e.field)) {
      state.fieldErrors = { [e.field]: t(`form.err.${e.field}`) };
      state.focus = e.field;
    } else if (e.status === 409) {
      state.formError = t('form.err.closed');
      load();
      return;
    } else if (e.status === 404) {
      state.error = e;
    } else if (e.status === 422) {
      state.formError = t('form.err.other');
    } else {
      state.formError = e instanceof Error && e.status === undefined ? t('error.server') : errorMessage(e);
    }
    render();
  }
}

function field(f) {
  const err = state.fieldErrors[f.name];
  const input = h('input', {
    id: `f-${f.name}`, name: f.name, type: f.type, class: err ? 'input input-bad' : 'input',
    autocomplete: f.autocomplete, inputmode: f.inputmode, maxlength: f.max,
    required: f.required, value: state.values[f.name], test: `reg-${f.name}`,
    'aria-invalid': err ? 'true' : null, 'aria-describedby': err ? `e-${f.name}` : null,
  });
  input.addEventListener('input', () => {
    state.values[f.name] = input.value;
    if (state.fieldErrors[f.name]) {
      delete state.fieldErrors[f.name];
      input.classList.remove('input-bad');
      input.removeAttribute('aria-invalid');
      const msg = document.getElementById(`e-${f.name}`);
      if (msg) msg.remove();
    }
  });
  return h('div', { class: 'field' },
    h('label', { for: `f-${f.name}`, class: 'label' }, t(`form.${f.name}`),
      h('span', { class: f.required ? 'tag tag-req' : 'tag' }, t(f.required ? 'form.required' : 'form.optional'))),
    input,
    err ? h('p', { class: 'field-error', id: `e-${f.name}`, role: 'alert', test: `error-${f.name}` }, err) : null);
}

// The SMS choice, shown when the server sends SMS at all.
function smsChoice(ev) {
  if (!ev.sms) return null;
  const box = h('input', { type: 'checkbox', id: 'f-sms', class: 'check', checked: state.sms, test: 'reg-sms' });
  box.addEventListener('change', () => { state.sms = box.checked; });
  return h('div', { class: 'field field-check' },
    h('label', { for: 'f-sms', class: 'check-label' }, box, h('span', null, t('form.sms'))),
    h('p', { class: 'hint', test: 'reg-sms-hint' }, t('form.smsHint')));
}

function form(ev) {
  const full = ev.spots_left === 0;
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-block btn-big', test: 'reg-submit', disabled: state.submitting },
    state.submitting ? t('form.submitting') : t(full ? 'form.waitlist' : 'form.submit'));
  const f = h('form', { class: 'card form', test: 'reg-form', novalidate: true },
    h('h2', { class: 'card-title' }, t('form.title')),
    FIELDS.map(field),
    smsChoice(ev),
    h('p', { class: 'hint', test: 'reg-note' }, t('form.note')),
    state.formError ? h('p', { class: 'form-error', role: 'alert', test: 'reg-error' }, state.formError) : null,
    state.formNote ? h('p', { class: 'form-note', role: 'status', test: 'reg-already' }, state.formNote) : null,
    btn);
  f.addEventListener('submit', (e) => { e.preventDefault(); submit(ev); });
  return f;
}

function render() {
  if (state.error) {
    const e = state.error;
    if (e.status === 404) frame(t('event.notFound'), notice('info', t('event.notFound'), t('event.notFoundText'), 'event-missing'));
    else {
      frame('', notice('error', errorMessage(e), '', 'load-error',
        h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    }
    return;
  }
  const ev = state.ev;
  if (!ev) { frame('', loading()); return; }
  const closed = closedReason(ev);
  const spots = closed ? '' : spotsText(ev);
  const full = ev.spots_left === 0;
  const main = frame(ev.title,
    h('article', { class: 'card event', test: 'event' },
      eventHead(ev, { description: true }),
      spots ? h('p', { class: full ? 'spots spots-full' : 'spots', test: 'event-spots' }, spots) : null),
    closed ? notice(...closed) : form(ev));
  if (state.focus) {
    const el = main.querySelector(`#f-${state.focus}`);
    state.focus = null;
    if (el) { el.focus(); el.scrollIntoView({ block: 'center' }); }
  }
}

start(render);
load();
