// The console's widgets, shared by the shell, every view and the subscribe
// page: error texts, toast, loading / empty / error states, dialogs, form
// fields with their errors, tables, pager, search and filter inputs, the
// language switch. Built with h() of lib/dom.js; strings through t() of
// lib/i18n.js, from ui-i18n.js.

import { h, clear } from './lib/dom.js';
import { api } from './lib/api.js';
import { t, getLang, setLang, LANGS } from './lib/i18n.js';
import './ui-i18n.js';

// A short, translated description of an ApiError.
export function errorText(e) {
  const byStatus = {
    0: 'error.network', 401: 'error.unauthorized', 403: 'error.forbidden',
    404: 'error.notFound', 409: 'error.conflict', 413: 'error.tooLarge',
    422: 'error.validation', 429: 'error.rateLimited', 500: 'error.server',
    503: 'error.unavailable',
  };
  const key = byStatus[e && e.status] || 'error.generic';
  const detail = e && e.message && e.status !== 0 ? t('error.detail', { message: e.message }) : '';
  return t(key) + detail;
}

let toastTimer = null;
export function toast(message, kind = 'ok') {
  let box = document.getElementById('toast');
  if (!box) {
    box = h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite', test: 'toast' });
    document.body.appendChild(box);
  }
  box.className = `toast toast-${kind} toast-show`;
  box.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.className = `toast toast-${kind}`; }, 3500);
}

export function loadingState() {
  return h('div', { class: 'state state-loading', test: 'loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));
}

export function emptyState(text) {
  return h('div', { class: 'state state-empty', test: 'empty' }, text || t('common.empty'));
}

export function errorState(e, retry) {
  return h('div', { class: 'state state-error', test: 'load-error', role: 'alert' },
    h('span', { text: t('common.loadFailed', { message: errorText(e) }) }),
    retry ? h('button', { type: 'button', class: 'btn btn-small', onclick: retry, test: 'retry' }, t('common.retry')) : null);
}

/* -------------------------------------------------------------- dialogs
 *
 * Every dialog is a history entry of its own (same URL, state
 * {hearthDialog: depth}), so the browser's back button closes the dialog
 * on top instead of leaving it over another page. A dialog closed by its
 * buttons takes its entry back off (history.go), unless the page has
 * moved on in the meantime (a link inside the dialog was followed).
 *
 * A half-filled form is not lost silently: when a form control inside a
 * dialog's <form> differs from what it showed when the user first touched
 * it, closing the dialog by ×, Esc, back or a button wired as
 * onclick: d.close (the click event reaches close) asks first, and a
 * reload or leaving the page asks through the browser (beforeunload).
 * close() called without an event (after a save) closes at once. Controls
 * under [data-guard="off"] and read-only ones do not count.
 */

const openDialogs = []; // bottom first: {idx, dirty(), ask(), force(), deferred}
let traversal = null;    // a history.go() of ours still under way
let resync = false;      // a close waited for that traversal
let historyHooked = false;

const dialogDepth = () => (history.state && Number(history.state.hearthDialog)) || 0;

function hookHistory() {
  if (historyHooked) return;
  historyHooked = true;
  window.addEventListener('popstate', onPopState);
  window.addEventListener('beforeunload', (ev) => {
    if (!openDialogs.some((x) => x.dirty())) return;
    ev.preventDefault();
    ev.returnValue = '';
  });
}

function onPopState() {
  const ours = Boolean(traversal);
  if (traversal) { clearTimeout(traversal); traversal = null; }
  const cur = dialogDepth();
  for (let i = openDialogs.length - 1; i >= 0; i--) {
    const x = openDialogs[i];
    if (x.deferred || x.idx <= cur) continue;
    if (x.dirty()) {
      // Keep it and its entry; ask whether to throw the input away.
      history.pushState({ hearthDialog: x.idx }, '', location.href);
      x.ask();
      break;
    }
    x.force();
  }
  // Dialogs opened while our own traversal was under way get their entry now.
  for (const x of openDialogs) {
    if (!x.deferred) continue;
    x.deferred = false;
    x.idx = dialogDepth() + 1;
    history.pushState({ hearthDialog: x.idx }, '', location.href);
  }
  // Stale entries met by the user's own back or forward stay (going
  // forward must keep working); only closes that waited are caught up.
  if (ours && resync) { resync = false; syncHistory(); }
}

// Takes the entries of closed dialogs back off the history, once the
// closing code has run (a link it followed has changed the page by then).
function syncHistory() {
  if (traversal) { resync = true; return; }
  const target = openDialogs.length ? openDialogs[openDialogs.length - 1].idx : 0;
  const cur = dialogDepth();
  if (cur <= target) return;
  // popstate ends it; the timer only guards against one that never comes
  traversal = setTimeout(() => { traversal = null; }, 1500);
  history.go(target - cur);
}

const GUARDED = 'form input, form select, form textarea';
const controlValue = (el) => (el.type === 'checkbox' || el.type === 'radio' ? String(el.checked) : el.value);
const guarded = (el) => el.matches && el.matches(GUARDED) && !el.readOnly && !el.disabled &&
  !['button', 'submit', 'reset', 'hidden'].includes(el.type) && !el.closest('[data-guard="off"]');

// What a dialog's controls showed when first touched; dirty() compares.
function formGuard(dialog) {
  const seen = new Map();
  const remember = (ev) => {
    const el = ev.target;
    if (guarded(el) && !seen.has(el)) seen.set(el, controlValue(el));
  };
  for (const type of ['focusin', 'pointerdown', 'keydown']) dialog.addEventListener(type, remember, true);
  // A change with nothing remembered (no focus first) is a change all the same.
  const changed = (ev) => { const el = ev.target; if (guarded(el) && !seen.has(el)) seen.set(el, null); };
  dialog.addEventListener('input', changed, true);
  dialog.addEventListener('change', changed, true);
  return () => {
    for (const [el, v] of seen) if (el.isConnected && guarded(el) && controlValue(el) !== v) return true;
    return false;
  };
}

// Modal dialog built on <dialog>. Returns {dialog, body, footer, close}.
export function openDialog({ title, test, wide, onClose } = {}) {
  hookHistory();
  const titleId = 'dlg-title-' + Math.random().toString(36).slice(2);
  const body = h('div', { class: 'dialog-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const closeBtn = h('button', { type: 'button', class: 'dialog-x', 'aria-label': t('common.close'), title: t('common.close') }, '×');
  const dialog = h('dialog', { class: wide ? 'dialog dialog-wide' : 'dialog', test, 'aria-labelledby': titleId },
    h('div', { class: 'dialog-header' }, h('h2', { id: titleId, class: 'dialog-title' }, title), closeBtn),
    body, footer);
  const dirty = formGuard(dialog);
  let closed = false;
  let asking = false;
  const force = () => {
    if (closed) return;
    closed = true;
    const at = openDialogs.indexOf(entry);
    if (at >= 0) openDialogs.splice(at, 1);
    if (dialog.open) dialog.close();
    dialog.remove();
    if (onClose) onClose();
    setTimeout(syncHistory, 0);
  };
  const ask = async () => {
    if (asking || closed) return;
    asking = true;
    const discard = await confirmDialog(t('common.discardText'), { okLabel: t('common.discard'), cancelLabel: t('common.keepEditing'), danger: true });
    asking = false;
    if (discard) force();
  };
  // close(): at once; close(event) (a button's click): asks first when dirty.
  const close = (ev) => {
    if (ev instanceof Event && dirty()) ask(); else force();
  };
  const entry = { idx: 0, dirty, ask, force, deferred: false };
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('close', () => force());
  dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); close(ev); });
  document.body.appendChild(dialog);
  dialog.showModal();
  // Its history entry: a stale one of a dialog just closed is reused.
  const below = openDialogs.length ? openDialogs[openDialogs.length - 1].idx : 0;
  entry.idx = below + 1;
  if (traversal) entry.deferred = true;
  else if (dialogDepth() >= entry.idx) history.replaceState({ hearthDialog: entry.idx }, '', location.href);
  else history.pushState({ hearthDialog: entry.idx }, '', location.href);
  openDialogs.push(entry);
  return { dialog, body, footer, close, isDirty: dirty };
}

// Closes every open dialog at once (the console does when the page
// changes under them).
export function closeAllDialogs() {
  for (const x of [...openDialogs].reverse()) x.force();
}

// Whether a dialog with unsaved input is open.
export function hasDirtyDialog() {
  return openDialogs.some((x) => x.dirty());
}

// Resolves true when the user confirms.
export function confirmDialog(message, { okLabel, cancelLabel, danger } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (v) => { if (!answered) { answered = true; resolve(v); } d.close(); };
    const d = openDialog({ title: t('common.confirm'), test: 'confirm-dialog', onClose: () => answer(false) });
    d.body.appendChild(h('p', { class: 'confirm-text', test: 'confirm-text' }, message));
    const ok = h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', test: 'confirm-ok', onclick: () => answer(true) }, okLabel || t('common.confirm'));
    d.footer.append(
      h('button', { type: 'button', class: 'btn', test: 'confirm-cancel', onclick: () => answer(false) }, cancelLabel || t('common.cancel')),
      ok);
    ok.focus();
  });
}

// A labelled form field with an error slot: field('station', 'code', label, input, hint)
export function field(prefix, name, label, input, hint) {
  const id = `${prefix}-${name}`;
  input.id = id;
  input.setAttribute('name', name);
  if (!input.hasAttribute('data-test')) input.setAttribute('data-test', id);
  const err = h('div', { class: 'field-error', id: `${id}-error`, test: `error-${name}`, 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id, class: 'field-label' }, label),
    input,
    hint ? h('div', { class: 'field-hint' }, hint) : null,
    err);
}

export function setFieldError(form, name, message) {
  const wrap = form.querySelector(`[data-field="${name}"]`);
  if (!wrap) return false;
  wrap.classList.add('has-error');
  wrap.querySelector('.field-error').textContent = message;
  const input = wrap.querySelector('input, select, textarea');
  if (input) input.setAttribute('aria-invalid', 'true');
  return true;
}

export function clearFormErrors(form) {
  for (const w of form.querySelectorAll('.field.has-error')) {
    w.classList.remove('has-error');
    w.querySelector('.field-error').textContent = '';
    const input = w.querySelector('[aria-invalid]');
    if (input) input.removeAttribute('aria-invalid');
  }
  const fe = form.querySelector('.form-error');
  if (fe) { fe.textContent = ''; fe.hidden = true; }
}

export function setFormError(form, message) {
  const fe = form.querySelector('.form-error');
  fe.textContent = message;
  fe.hidden = false;
}

// Shows an API error next to its field (translated per field), or above the form.
export function showApiError(form, e, prefix, special) {
  const mapped = special && special(e);
  if (mapped && mapped.field && setFieldError(form, mapped.field, mapped.message)) return focusError(form);
  if (mapped && !mapped.field) { setFormError(form, mapped.message); return; }
  if (e.field && (e.status === 422 || e.status === 409)) {
    const msg = /required|missing/i.test(e.message || '') ? t('common.required') : t(`${prefix}.error.${e.field}`);
    if (setFieldError(form, e.field, msg)) return focusError(form);
  }
  setFormError(form, errorText(e));
}

export function focusError(form) {
  const input = form.querySelector('.field.has-error input, .field.has-error select');
  if (input) input.focus();
}

export function statusBadge(active) {
  return h('span', { class: active ? 'badge badge-on' : 'badge badge-off' }, active ? t('common.active') : t('common.inactive'));
}

// columns: [{label, cell(row) → Node|string, class}]
export function dataTable({ columns, rows, test, rowTest, caption }) {
  const thead = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label))));
  const tbody = h('tbody', null, rows.map((row) => h('tr', { test: rowTest, 'data-id': row.id },
    columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(row))))));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', test }, caption ? h('caption', { class: 'sr-only' }, caption) : null, thead, tbody));
}

export function pager({ total, offset, limit, onPage }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return h('div', { class: 'pager', test: 'pager' },
    h('span', { class: 'pager-info', test: 'pager-info' }, t('common.pageInfo', { total, page, pages })),
    h('span', { class: 'pager-buttons' },
      h('button', { type: 'button', class: 'btn btn-small', test: 'pager-prev', disabled: page <= 1, onclick: () => onPage(offset - limit) }, t('common.prev')),
      h('button', { type: 'button', class: 'btn btn-small', test: 'pager-next', disabled: page >= pages, onclick: () => onPage(offset + limit) }, t('common.next'))));
}

// One page of a collection into box: the loading state, the error state
// with a retry, back to the last page when this one is past the end, the
// empty state (empty: its text), else table(items) and the pager. st.offset
// is the page shown; paging sets it and calls reload (the caller's loader,
// which calls this). params with an empty value are left out.
export async function showPage(box, { path, params = {}, st, limit, alive, reload, empty, table }) {
  clear(box).appendChild(loadingState());
  const qs = new URLSearchParams({ limit: String(limit), offset: String(st.offset) });
  for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
  let r;
  try {
    r = await api('GET', `${path}?${qs}`);
  } catch (e) {
    if (alive() && e.status !== 401) clear(box).appendChild(errorState(e, reload));
    return;
  }
  if (!alive()) return;
  const items = r.items || [];
  if (items.length === 0 && st.offset > 0 && r.total > 0) { st.offset = Math.max(0, (Math.ceil(r.total / limit) - 1) * limit); reload(); return; }
  clear(box);
  if (items.length === 0) {
    box.appendChild(emptyState(empty));
    return;
  }
  box.append(
    table(items),
    pager({ total: r.total ?? items.length, offset: st.offset, limit, onPage: (o) => { st.offset = Math.max(0, o); reload(); } }));
}

// Deactivates a record of path (DELETE, after the user confirms) or
// activates it again (PATCH {active: true}), says so and calls reload. The
// strings are <prefix>.confirmDeactivate, <prefix>.deactivated and
// <prefix>.activated, each with {name}.
export async function setActive(path, item, active, prefix, reload) {
  if (!active) {
    const ok = await confirmDialog(t(`${prefix}.confirmDeactivate`, { name: item.name }), { okLabel: t('common.deactivate'), danger: true });
    if (!ok) return;
  }
  try {
    if (active) await api('PATCH', path, { active: true });
    else await api('DELETE', path);
    toast(t(active ? `${prefix}.activated` : `${prefix}.deactivated`, { name: item.name }));
    reload();
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
  }
}

export function statusFilterSelect(value, test, onchange) {
  return h('select', { class: 'input input-select', test, 'aria-label': t('common.filterStatus'), onchange },
    [['all', 'common.filter.all'], ['true', 'common.filter.active'], ['false', 'common.filter.inactive']]
      .map(([v, k]) => h('option', { value: v, selected: v === value }, t(k))));
}

export function searchInput(value, placeholder, test, onsearch) {
  let timer = null;
  const input = h('input', { type: 'search', class: 'input input-search', placeholder, 'aria-label': placeholder, test, value });
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => onsearch(input.value.trim()), 300); });
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { clearTimeout(timer); onsearch(input.value.trim()); } });
  return input;
}

// The language switch of the console's top bar (and the subscribe page's).
export function langSwitch() {
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.switch'), test: 'lang-switch' },
    LANGS.map((l) => h('button', {
      type: 'button',
      class: l.code === getLang() ? 'lang-btn is-current' : 'lang-btn',
      'aria-pressed': l.code === getLang() ? 'true' : 'false',
      lang: l.code,
      test: l.code === 'en' ? 'lang-en' : 'lang-zh',
      onclick: () => setLang(l.code),
    }, l.label)));
}
