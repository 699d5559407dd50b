// What the duty pages share (值班记录): their style, hours with two
// decimals, the metric list, and the form of one shift's log — opened by a
// counsellor on the phone from 我的排班 and by a coordinator from the
// 值班记录 page (who corrects with a reason). A log is numbers and a short
// note only: the form says so, and never asks for anyone's identity.
//
// Built with h()/textContent only; every name, note and label is text.
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { toast, openDialog, errorText, setFieldError, clearFormErrors, setFormError, focusError } from '../ui.js';
import { fmtRange } from './event-util.js';
import './duty-util-i18n.js';

export const MINUTES = 'counselling_minutes';

// Hours with two decimals from minutes, rounded half up in integers as
// the server does (svc/core duty_hours_format): 120576 → "2009.60".
export function hoursText(minutes) {
  const m = Math.abs(Math.round(Number(minutes) || 0));
  const c = Math.floor((m * 100 + 30) / 60);
  return `${minutes < 0 ? '-' : ''}${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

export const hoursLabel = (minutes) => t('duty.hours', { hours: hoursText(minutes) });

export const metricLabel = (m) => `${m.name}（${m.unit}）`;

/* --------------------------------------------------------------- style */

const CSS = `
.duty-badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.duty-badge-logged { color: var(--ok); background: var(--ok-tint); }
.duty-badge-absent { color: #8a5300; background: #fff3dc; }
.duty-badge-missing { color: var(--danger); background: #fdecea; }
.duty-badge-closed { color: #475467; background: #eef0f3; }
.duty-privacy { margin: 0 0 12px; padding: 8px 12px; font-size: 13px; color: #344054; background: #f3f6fa; border-left: 3px solid var(--primary); border-radius: 4px; }
.duty-closed { margin: 0 0 12px; padding: 10px 12px; color: #5c3d00; background: #fff8eb; border: 1px solid #f0c36d; border-radius: 6px; }
.duty-when { margin: 0 0 10px; font-weight: 600; }
.duty-attend { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin: 0 0 14px; }
.duty-attend button { min-height: 56px; font-size: 17px; font-weight: 600; color: #344054; background: #fff;
  border: 2px solid var(--border); border-radius: 10px; cursor: pointer; touch-action: manipulation; }
.duty-attend button[aria-pressed="true"] { color: #fff; background: var(--primary); border-color: var(--primary); }
.duty-attend button.duty-absent-btn[aria-pressed="true"] { background: #b54708; border-color: #b54708; }
.duty-attend button:disabled { cursor: default; opacity: .75; }
.duty-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px 14px; margin: 0 0 12px; }
.duty-grid .field { margin: 0; }
.duty-num { width: 100%; min-height: 48px; font-size: 18px; font-variant-numeric: tabular-nums; text-align: right; }
.duty-hint { min-height: 1em; font-size: 12.5px; color: var(--muted); text-align: right; }
.duty-save { min-height: 52px; font-size: 17px; }
.duty-form .field-label { font-size: 14px; }
.duty-form .form-actions { gap: 10px; }
.duty-list { list-style: none; margin: 0; padding: 0; }
.duty-list li + li { margin-top: 8px; }
.duty-item { display: flex; align-items: center; justify-content: space-between; gap: 12px; width: 100%; min-height: 56px;
  padding: 10px 14px; text-align: left; font: inherit; color: inherit; background: #fff; border: 1px solid var(--border);
  border-radius: 10px; cursor: pointer; touch-action: manipulation; }
.duty-item:hover { border-color: var(--primary); background: #f7fafd; }
.duty-item-main { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.duty-item-when { font-weight: 600; }
.duty-item-where { color: var(--muted); font-size: 13.5px; overflow-wrap: anywhere; }
.duty-item-go { flex: none; font-weight: 600; color: var(--primary); }
.duty-item-go.is-done { color: var(--ok); }
.duty-card-head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
.duty-count { display: inline-block; min-width: 22px; padding: 0 7px; margin-left: 6px; font-size: 13px; color: #fff; background: var(--danger); border-radius: 999px; text-align: center; }
.duty-filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 10px 14px; margin: 0 0 14px; }
.duty-filters .field { margin: 0; }
.duty-period-row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.duty-day { margin: 18px 0 8px; font-size: 15px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.duty-day .muted { font-weight: 400; font-size: 13px; }
.duty-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 10px; margin: 0 0 14px; }
.duty-table td.col-num, .duty-table th.col-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.duty-table tr.duty-total td { font-weight: 700; background: #f7f8fa; }
.duty-table-wrap { overflow-x: auto; }
.duty-metrics-add { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; margin-top: 14px; }
.duty-metrics-add .field { margin: 0; }
.duty-dialog .dialog-body { padding-bottom: 8px; }
@media (max-width: 760px) {
  .duty-dialog { width: 100vw; max-width: 100vw; max-height: 100vh; height: 100vh; border-radius: 0; margin: 0; }
  .duty-dialog .dialog-body { padding: 8px 14px 16px; }
  .duty-grid { grid-template-columns: 1fr 1fr; gap: 8px 10px; }
  .duty-form .form-actions { flex-direction: column-reverse; align-items: stretch; }
  .duty-form .form-actions .btn { width: 100%; min-height: 50px; }
  .duty-filters { flex-direction: column; align-items: stretch; }
  .duty-table-wrap { overflow: visible; }
}
`;

export function ensureDutyStyle() {
  ensureStyle('duty-style', CSS);
}

// The status of a log (or a missing one) as a badge.
export function logBadge(x) {
  if (!x.logged) return h('span', { class: 'duty-badge duty-badge-missing', test: 'duty-badge-missing' }, t('duty.missing'));
  if (x.attended === false) return h('span', { class: 'duty-badge duty-badge-absent', test: 'duty-badge-absent' }, t('duty.absentBadge'));
  return h('span', { class: 'duty-badge duty-badge-logged', test: 'duty-badge-logged' }, t('duty.logged'));
}

/* ---------------------------------------------------------------- form */

let metricCache = null;
// The active metrics, in order (cached for this page load; pass fresh to
// read them again).
export async function activeMetrics(fresh = false) {
  if (!metricCache || fresh) {
    const r = await api('GET', '/duty-metrics?active=true');
    metricCache = (r && r.items) || [];
  }
  return metricCache;
}
export const forgetMetrics = () => { metricCache = null; };

const INT_RE = /^\d{1,6}$/;

// Opens the log of a shift: GET /shifts/{id}/log, the form, PUT on save.
// coordinator: the form offers a reason when the server asks for one.
// onSaved(log) after a save.
export async function openLogForm(shiftId, { coordinator = false, onSaved } = {}) {
  ensureDutyStyle();
  const d = openDialog({ title: t('duty.formTitle'), test: 'duty-log-dialog', wide: true });
  d.dialog.classList.add('duty-dialog');
  d.footer.remove();
  d.body.appendChild(h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading')));
  let log;
  let metrics;
  try {
    [log, metrics] = await Promise.all([api('GET', `/shifts/${shiftId}/log`), activeMetrics(true)]);
  } catch (e) {
    if (e.status === 401) { d.close(); return; }
    clear(d.body).appendChild(h('div', { class: 'state state-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!d.dialog.isConnected) return;
  clear(d.body);
  const readOnly = !log.editable;
  const started = Date.parse(log.start) <= Date.now();
  let attended = log.logged ? log.attended !== false : true;

  const when = h('p', { class: 'duty-when', test: 'duty-when' },
    `${fmtRange(log.start, log.end, { weekday: true })} · ${log.station_name || ''}`,
    coordinator && log.counsellor_name ? ` · ${log.counsellor_name}` : '');
  const privacy = h('p', { class: 'duty-privacy', test: 'duty-privacy' }, t('duty.privacy'));
  let notice = null;
  if (readOnly && log.closed && !coordinator) notice = h('div', { class: 'duty-closed', role: 'status', test: 'duty-closed' }, t('duty.closedNotice'));
  else if (readOnly && !started) notice = h('div', { class: 'duty-closed', role: 'status', test: 'duty-not-started' }, t('duty.notStarted'));
  else if (readOnly) notice = h('div', { class: 'duty-closed', role: 'status', test: 'duty-read-only' }, t('duty.readOnlyNotice'));
  else if (coordinator && log.closed) notice = h('div', { class: 'duty-closed', role: 'status', test: 'duty-closed' }, t('duty.closedCoordinator'));

  const yes = h('button', { type: 'button', test: 'duty-attended', 'aria-pressed': String(attended), disabled: readOnly }, t('duty.attended'));
  const no = h('button', { type: 'button', class: 'duty-absent-btn', test: 'duty-absent', 'aria-pressed': String(!attended), disabled: readOnly }, t('duty.absent'));
  const attendRow = h('div', { class: 'duty-attend', role: 'group', 'aria-label': t('duty.attendance') }, yes, no);

  // Values of retired metrics stay in the log; they are shown, not edited.
  const inputs = new Map();
  const grid = h('div', { class: 'duty-grid', test: 'duty-grid' });
  for (const m of metrics) {
    const v = log.values && log.values[m.code] !== undefined ? String(log.values[m.code]) : '';
    const input = h('input', {
      type: 'text', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off', maxlength: 6,
      class: 'input duty-num', value: v, placeholder: '0', disabled: readOnly, test: `duty-value-${m.code}`,
    });
    const hint = m.code === MINUTES ? h('div', { class: 'duty-hint', test: 'duty-minutes-hours', 'aria-live': 'polite' }) : null;
    const syncHint = () => { if (hint) hint.textContent = INT_RE.test(input.value.trim()) ? t('duty.hoursHint', { hours: hoursText(Number(input.value.trim())) }) : ''; };
    input.addEventListener('input', syncHint);
    input.addEventListener('input', () => {
      const wrap = input.closest('.field');
      if (wrap && wrap.classList.contains('has-error')) {
        wrap.classList.remove('has-error');
        wrap.querySelector('.field-error').textContent = '';
        input.removeAttribute('aria-invalid');
      }
    });
    syncHint();
    inputs.set(m.code, input);
    const id = `duty-v-${m.code}`;
    input.id = id;
    grid.appendChild(h('div', { class: 'field', 'data-field': `values.${m.code}` },
      h('label', { class: 'field-label', for: id }, metricLabel(m)), input, hint,
      h('div', { class: 'field-error', 'aria-live': 'polite' })));
  }
  const retired = Object.entries(log.values || {}).filter(([code]) => !inputs.has(code));
  const retiredNote = retired.length ? h('p', { class: 'muted', test: 'duty-retired' }, t('duty.retiredValues', { list: retired.map(([c, v]) => `${c} ${v}`).join('，') })) : null;

  const note = h('textarea', { class: 'input textarea', rows: 2, maxlength: 200, placeholder: t('duty.notePlaceholder'), disabled: readOnly, test: 'duty-note' });
  note.value = log.note || '';
  note.id = 'duty-note';
  const reason = h('input', { type: 'text', class: 'input', maxlength: 200, test: 'duty-reason', id: 'duty-reason' });
  const reasonField = coordinator && !readOnly && (log.reason_required || log.logged)
    ? h('div', { class: 'field', 'data-field': 'reason' },
      h('label', { class: 'field-label', for: 'duty-reason' }, log.reason_required ? t('duty.reasonRequired') : t('duty.reasonOptional')),
      reason, h('div', { class: 'field-hint' }, t('duty.reasonHint')), h('div', { class: 'field-error', 'aria-live': 'polite' }))
    : null;

  const counts = h('div', { test: 'duty-counts' }, h('h3', { class: 'section-title' }, t('duty.counts')), grid, retiredNote);
  const sync = () => {
    yes.setAttribute('aria-pressed', String(attended));
    no.setAttribute('aria-pressed', String(!attended));
    counts.hidden = !attended;
  };
  yes.addEventListener('click', () => { attended = true; sync(); });
  no.addEventListener('click', () => { attended = false; sync(); });
  sync();

  const save = h('button', { type: 'submit', class: 'btn btn-primary duty-save', test: 'duty-save', hidden: readOnly }, t('duty.save'));
  const form = h('form', { class: 'form duty-form', test: 'duty-form', novalidate: true },
    when, notice, privacy,
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    attendRow, counts,
    h('div', { class: 'field', 'data-field': 'note' }, h('label', { class: 'field-label', for: 'duty-note' }, t('duty.note')), note,
      h('div', { class: 'field-error', 'aria-live': 'polite' })),
    reasonField,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: d.close, test: 'duty-close' }, readOnly ? t('common.close') : t('common.cancel')),
      save));
  d.body.appendChild(form);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (readOnly) return;
    clearFormErrors(form);
    const body = { attended, note: note.value.trim() };
    if (attended) {
      body.values = {};
      let bad = false;
      for (const [code, input] of inputs) {
        const v = input.value.trim();
        if (v === '') continue;
        if (!INT_RE.test(v)) { setFieldError(form, `values.${code}`, t('duty.error.int')); bad = true; continue; }
        body.values[code] = Number(v);
      }
      if (bad) { focusError(form); return; }
    }
    if (reasonField) {
      const r = reason.value.trim();
      if (log.reason_required && !r) { setFieldError(form, 'reason', t('duty.error.reason')); focusError(form); return; }
      if (r) body.reason = r;
    }
    save.disabled = true;
    try {
      const saved = await api('PUT', `/shifts/${shiftId}/log`, body);
      d.close();
      toast(t('duty.saved'));
      if (onSaved) onSaved(saved);
    } catch (e) {
      save.disabled = false;
      if (e.status === 401) return;
      if (e.field && (e.field === 'reason' || e.field === 'note' || e.field.startsWith('values.'))) {
        if (setFieldError(form, e.field, e.message)) { focusError(form); return; }
      }
      setFormError(form, e.status === 409 || e.status === 403 ? e.message : errorText(e));
    }
  });
  if (!readOnly) (attended ? yes : no).focus();
}
