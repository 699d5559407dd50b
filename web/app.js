// Hearth coordinator console: shell, session, hash router, view registry,
// and the overview, stations and counsellors views.
//
// No innerHTML anywhere: every node is built with h() (createElement and
// textContent), so data from the API is always shown as literal text.
//
// Adding a view later (rosters, events, indicators …):
//   // web/views/rosters.js, loaded from index.html with
//   // <script type="module" src="views/rosters.js"></script>
//   import { registerView, h, api } from '../app.js';
//   import { addMessages } from '../i18n.js';
//   registerView('rosters', { titleKey: 'nav.rosters', order: 40,
//     render(el, ctx) { … ; return () => { /* cleanup */ }; } });
// FullCalendar (window.FullCalendar, with the zh-cn locale) and ECharts
// (window.echarts) are loaded by index.html before this module.

import { t, getLang, setLang, onLangChange, LANGS } from './i18n.js';

/* ------------------------------------------------------------------ DOM */

// h('button', {class: 'btn', test: 'save', onclick: fn}, 'text', child, …)
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'test') el.setAttribute('data-test', v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  appendChildren(el, children);
  return el;
}

function appendChildren(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendChildren(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/* ------------------------------------------------------------------ API */

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter, detail) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
    // the whole error object of the body (conflicts, errors, …)
    this.detail = detail || {};
  }
}

let onUnauthorized = () => {};

// api('GET', '/stations?limit=20') → parsed JSON (null for 204).
// Throws ApiError; a 401 also sends the user back to the login page
// unless opts.allow401 is set. opts.contentType sends body as it is
// (e.g. a CSV string) with that Content-Type instead of as JSON.
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, credentials: 'same-origin', headers };
  if (body !== undefined && opts.contentType) {
    headers['Content-Type'] = opts.contentType;
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code || 'http_' + res.status,
      err.message || res.statusText, err.field, res.headers.get('Retry-After'), err);
    if (res.status === 401 && !opts.allow401) onUnauthorized(e);
    throw e;
  }
  return data;
}

// Fetches every item of a collection (pages of 500).
export async function listAll(path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const r = await api('GET', `${path}${sep}limit=500&offset=${offset}`);
    const page = (r && r.items) || [];
    items.push(...page);
    if (page.length === 0 || items.length >= (r.total ?? 0)) break;
  }
  return items;
}

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

/* ------------------------------------------------------------ UI pieces */

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

// Modal dialog built on <dialog>. Returns {dialog, body, footer, close}.
export function openDialog({ title, test, wide, onClose } = {}) {
  const titleId = 'dlg-title-' + Math.random().toString(36).slice(2);
  const body = h('div', { class: 'dialog-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const closeBtn = h('button', { type: 'button', class: 'dialog-x', 'aria-label': t('common.close'), title: t('common.close') }, '×');
  const dialog = h('dialog', { class: wide ? 'dialog dialog-wide' : 'dialog', test, 'aria-labelledby': titleId },
    h('div', { class: 'dialog-header' }, h('h2', { id: titleId, class: 'dialog-title' }, title), closeBtn),
    body, footer);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (dialog.open) dialog.close();
    dialog.remove();
    if (onClose) onClose();
  };
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('close', close);
  dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); close(); });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, body, footer, close };
}

// Resolves true when the user confirms.
export function confirmDialog(message, { okLabel, danger } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (v) => { if (!answered) { answered = true; resolve(v); } d.close(); };
    const d = openDialog({ title: t('common.confirm'), test: 'confirm-dialog', onClose: () => answer(false) });
    d.body.appendChild(h('p', { class: 'confirm-text', test: 'confirm-text' }, message));
    const ok = h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', test: 'confirm-ok', onclick: () => answer(true) }, okLabel || t('common.confirm'));
    d.footer.append(
      h('button', { type: 'button', class: 'btn', test: 'confirm-cancel', onclick: () => answer(false) }, t('common.cancel')),
      ok);
    ok.focus();
  });
}

export async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  if (input) {
    input.focus();
    input.select();
    try { return document.execCommand('copy'); } catch { return false; }
  }
  return false;
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
function showApiError(form, e, prefix, special) {
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

function statusBadge(active) {
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

function statusFilterSelect(value, test, onchange) {
  return h('select', { class: 'input input-select', test, 'aria-label': t('common.filterStatus'), onchange },
    [['all', 'common.filter.all'], ['true', 'common.filter.active'], ['false', 'common.filter.inactive']]
      .map(([v, k]) => h('option', { value: v, selected: v === value }, t(k))));
}

function searchInput(value, placeholder, test, onsearch) {
  let timer = null;
  const input = h('input', { type: 'search', class: 'input input-search', placeholder, 'aria-label': placeholder, test, value });
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => onsearch(input.value.trim()), 300); });
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { clearTimeout(timer); onsearch(input.value.trim()); } });
  return input;
}

// Line icons (24×24, stroke): a view may pass icon: 'name' or icon: ['path d', …].
const ICONS = {
  overview: ['M3 3h7v7H3z', 'M14 3h7v7h-7z', 'M14 14h7v7h-7z', 'M3 14h7v7H3z'],
  stations: ['M21 10c0 7-9 13-9 13s-9-6-9-13a9 9 0 0 1 18 0z', 'M12 7a3 3 0 1 0 0 6a3 3 0 1 0 0-6z'],
  counsellors: ['M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2', 'M9 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8z', 'M23 21v-2a4 4 0 0 0-3-3.87', 'M16 3.13a4 4 0 0 1 0 7.75'],
  calendar: ['M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', 'M16 2v4', 'M8 2v4', 'M3 10h18'],
  chart: ['M18 20V10', 'M12 20V4', 'M6 20v-6'],
  mail: ['M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', 'M22 6l-10 7L2 6'],
  dot: ['M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z'],
};

export function icon(spec, cls = 'icon') {
  const NS = 'http://www.w3.org/2000/svg';
  const paths = Array.isArray(spec) ? spec : ICONS[spec] || ICONS.dot;
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: 18, height: 18, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false', class: cls })) svg.setAttribute(k, String(v));
  for (const d of paths) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

/* ------------------------------------------------------- view registry */

const views = new Map();
let shell = null; // {nav, title, content, userName} once the console is shown

// registerView('stations', {titleKey, navKey?, order?, nav?, roles?, render(el, ctx)})
// render may be async and may return a cleanup function. ctx has
// {params, api, h, t, lang, toast, user, alive(), refresh()}.
// roles lists who sees the view (default: coordinators only); a counsellor
// gets only the views that name 'counsellor'.
export function registerView(route, def) {
  if (!def || typeof def.render !== 'function') throw new Error(`view ${route}: render missing`);
  views.set(route, { order: 100, nav: true, roles: ['coordinator'], ...def, route });
  if (shell) renderNav();
}

const userRole = () => (currentUser && currentUser.role) || 'coordinator';
const allowed = (v) => v.roles.includes(userRole());

// The first view of the signed-in role (overview for coordinators).
function homeRoute() {
  const first = [...views.values()].filter((v) => v.nav && allowed(v)).sort((a, b) => a.order - b.order)[0];
  return first ? first.route : 'overview';
}

export function navigate(route) {
  const target = '#/' + route;
  if (location.hash === target) renderRoute(); else location.hash = target;
}

function parseHash() {
  const parts = (location.hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { route: parts[0] || homeRoute(), params: parts.slice(1) };
}

/* --------------------------------------------------------------- shell */

const root = () => document.getElementById('app');
let currentUser = null;
let cleanup = null;
let renderSeq = 0;

function langSwitch() {
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

function runCleanup() {
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (e) { console.warn('view cleanup failed', e); }
  }
  cleanup = null;
}

function showLogin(notice) {
  runCleanup();
  renderSeq++;
  shell = null;
  currentUser = null;
  for (const d of document.querySelectorAll('dialog')) d.remove();
  document.title = `${t('login.title')} · ${t('app.name')}`;
  document.body.className = 'page-login';

  const username = h('input', { type: 'text', id: 'login-username', name: 'username', class: 'input', autocomplete: 'username', test: 'login-username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', id: 'login-password', name: 'password', class: 'input', autocomplete: 'current-password', test: 'login-password', required: true });
  const error = h('div', { class: 'login-error', role: 'alert', test: 'login-error', hidden: !notice }, notice || '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', test: 'login-submit' }, t('login.submit'));
  const form = h('form', { class: 'login-form', test: 'login-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'login-username', class: 'field-label' }, t('login.username')), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password', class: 'field-label' }, t('login.password')), password),
    error, submit);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const showError = (msg) => { error.textContent = msg; error.hidden = false; };
    if (!username.value.trim() || !password.value) { showError(t('login.error.required')); return; }
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      const r = await api('POST', '/session', { username: username.value.trim(), password: password.value }, { allow401: true });
      if (returnTarget()) { location.assign(returnTarget()); return; }
      showConsole((r && r.user) || { username: username.value.trim() });
    } catch (e) {
      submit.disabled = false;
      submit.textContent = t('login.submit');
      password.value = '';
      if (e.status === 401) showError(t('login.error.invalid'));
      else if (e.status === 429) {
        const secs = parseInt(e.retryAfter, 10);
        showError(secs > 0 ? t('login.error.rateLimitedFor', { minutes: Math.ceil(secs / 60) }) : t('login.error.rateLimited'));
      } else if (e.status === 0) showError(t('login.error.network'));
      else showError(t('login.error.other', { message: errorText(e) }));
      password.focus();
    }
  });

  clear(root()).appendChild(h('div', { class: 'login-page' },
    h('div', { class: 'login-top' }, langSwitch()),
    h('main', { class: 'login-card' },
      h('div', { class: 'brand brand-large' }, h('img', { class: 'brand-mark', src: 'favicon.svg', alt: '', width: 28, height: 28 }), h('span', { class: 'brand-name' }, t('app.name'))),
      h('p', { class: 'login-tagline' }, t('app.tagline')),
      h('h1', { class: 'login-title' }, t('login.title')),
      form)));
  username.focus();
}

function showConsole(user) {
  currentUser = user || currentUser || {};
  document.body.className = 'page-console';
  const nav = h('nav', { class: 'sidebar', 'aria-label': t('nav.label'), test: 'nav' });
  const title = h('h1', { class: 'page-title', test: 'page-title' });
  const content = h('div', { class: 'page-body', test: 'page-body' });
  const roleKey = currentUser.role ? `role.${currentUser.role}` : null;
  const logout = h('button', { type: 'button', class: 'btn btn-ghost', test: 'logout' }, t('header.logout'));
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    try { await api('DELETE', '/session', undefined, { allow401: true }); } catch { /* signed out anyway */ }
    showLogin();
  });

  clear(root()).appendChild(h('div', { class: 'shell' },
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/' + homeRoute(), test: 'brand' }, h('img', { class: 'brand-mark', src: 'favicon.svg', alt: '', width: 28, height: 28 }), h('span', { class: 'brand-name' }, t('app.name'))),
      h('div', { class: 'topbar-right' },
        h('span', { class: 'user', title: t('header.user') },
          h('span', { class: 'user-name', test: 'user-name' }, currentUser.username || ''),
          roleKey ? h('span', { class: 'user-role' }, t(roleKey)) : null),
        langSwitch(),
        logout)),
    h('div', { class: 'frame' },
      nav,
      h('main', { class: 'main', id: 'main' }, title, content))));
  shell = { nav, title, content };
  renderNav();
  renderRoute();
}

function renderNav() {
  if (!shell) return;
  const { route } = parseHash();
  const items = [...views.values()].filter((v) => v.nav && allowed(v)).sort((a, b) => a.order - b.order);
  clear(shell.nav).appendChild(h('ul', { class: 'nav-list' }, items.map((v) => h('li', null,
    h('a', {
      href: '#/' + v.route,
      class: v.route === route ? 'nav-link is-active' : 'nav-link',
      'aria-current': v.route === route ? 'page' : null,
      test: 'nav-' + v.route,
    }, icon(v.icon || v.route, 'nav-icon'), h('span', null, t(v.navKey || v.titleKey)))))));
}

async function renderRoute() {
  if (!shell) return;
  runCleanup();
  const seq = ++renderSeq;
  const { route, params } = parseHash();
  if (views.has(route) && !allowed(views.get(route)) && homeRoute() !== route) {
    // a view of another role: go to this role's first view instead
    history.replaceState(null, '', '#/' + homeRoute());
    renderRoute();
    return;
  }
  renderNav();
  const view = views.get(route);
  const content = clear(shell.content);
  if (!view) {
    shell.title.textContent = t('view.notFound');
    document.title = `${t('view.notFound')} · ${t('app.name')}`;
    content.appendChild(emptyState(t('view.notFoundText')));
    return;
  }
  shell.title.textContent = t(view.titleKey);
  document.title = `${t(view.titleKey)} · ${t('app.name')}`;
  content.setAttribute('data-view', route);
  const ctx = {
    params, api, h, t, toast, lang: getLang(), user: currentUser,
    alive: () => seq === renderSeq,
    refresh: () => { if (seq === renderSeq) renderRoute(); },
  };
  try {
    const c = await view.render(content, ctx);
    if (seq === renderSeq) cleanup = c; else if (typeof c === 'function') c();
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e instanceof ApiError && e.status === 401) return;
    console.warn('view failed', e);
    clear(content).appendChild(errorState(e, () => renderRoute()));
  }
}

/* ------------------------------------------------------------ overview */

registerView('overview', {
  titleKey: 'overview.title',
  order: 10,
  async render(el, ctx) {
    el.appendChild(loadingState());
    const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors?active=true')]);
    if (!ctx.alive()) return undefined;
    const activeStations = stations.filter((s) => s.active);

    const stat = (label, value, unit, test, route, linkKey) => h('section', { class: 'card stat' },
      h('div', { class: 'stat-label' }, label),
      h('div', { class: 'stat-value' }, h('span', { test }, String(value)), unit ? h('span', { class: 'stat-unit' }, unit) : null),
      h('a', { class: 'stat-link', href: '#/' + route }, t(linkKey) + ' →'));

    const chartBox = h('div', { class: 'chart', test: 'chart-counsellors-per-station', role: 'img', 'aria-label': t('overview.chartTitle') });
    clear(el).append(
      h('div', { class: 'stats' },
        stat(t('overview.activeStations'), activeStations.length, t('overview.unit.stations'), 'stat-stations', 'stations', 'overview.manageStations'),
        stat(t('overview.activeCounsellors'), counsellors.length, t('overview.unit.counsellors'), 'stat-counsellors', 'counsellors', 'overview.manageCounsellors')),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h2', { class: 'card-title' }, t('overview.chartTitle')),
          h('span', { class: 'card-hint' }, t('overview.chartHint'))),
        chartBox));

    // Bars: every active station, plus inactive ones still someone's home, plus "no home station".
    const counts = new Map();
    let unassigned = 0;
    for (const c of counsellors) {
      if (c.home_station_id == null) unassigned++;
      else counts.set(c.home_station_id, (counts.get(c.home_station_id) || 0) + 1);
    }
    const bars = stations.filter((s) => s.active || counts.has(s.id))
      .map((s) => ({ name: s.name, value: counts.get(s.id) || 0 }));
    for (const [id, n] of counts) if (!stations.some((s) => s.id === id)) bars.push({ name: `#${id}`, value: n });
    if (unassigned) bars.push({ name: t('overview.unassigned'), value: unassigned });

    if (bars.length === 0) {
      chartBox.replaceWith(emptyState());
      return undefined;
    }
    if (!window.echarts) {
      chartBox.replaceWith(h('div', { class: 'state state-error' }, t('overview.chartUnavailable')));
      return undefined;
    }
    // Vertical bars while every name fits under its bar; horizontal bars
    // (names readable on the left) for many stations or a narrow screen.
    const layout = (width) => {
      const slot = Math.floor((width - 60) / bars.length);
      return slot >= 84 ? { horizontal: false, slot } : { horizontal: true, slot };
    };
    const option = ({ horizontal, slot }) => {
      const names = { type: 'category', data: bars.map((b) => b.name), axisTick: { alignWithLabel: true }, inverse: horizontal,
        axisLabel: { interval: 0, color: '#4a5563', width: horizontal ? 130 : Math.max(60, slot - 12), overflow: 'truncate' } };
      const values = { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } };
      return {
        color: ['#2f6b9a'],
        textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
        grid: { left: 8, right: horizontal ? 28 : 16, top: horizontal ? 8 : 24, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: horizontal ? values : names,
        yAxis: horizontal ? names : values,
        series: [{
          name: t('overview.chartSeries'),
          type: 'bar',
          barMaxWidth: horizontal ? 22 : 48,
          data: bars.map((b) => b.value),
          label: { show: true, position: horizontal ? 'right' : 'top', color: '#1f2933' },
          itemStyle: { borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] },
        }],
        animationDuration: 400,
      };
    };
    let current = layout(chartBox.clientWidth);
    const sizeBox = () => {
      chartBox.style.height = current.horizontal ? `${Math.max(240, bars.length * 34 + 40)}px` : '';
    };
    sizeBox();
    const chart = window.echarts.init(chartBox, null, { renderer: 'canvas' });
    chart.setOption(option(current));
    const ro = new ResizeObserver(() => {
      const next = layout(chartBox.clientWidth);
      if (next.horizontal !== current.horizontal || (!next.horizontal && next.slot !== current.slot)) {
        current = next;
        sizeBox();
        chart.setOption(option(current), true);
      }
      chart.resize();
    });
    ro.observe(chartBox);
    return () => { ro.disconnect(); chart.dispose(); };
  },
});

/* ------------------------------------------------------------ stations */

const STATION_KINDS = ['hall', 'street', 'service_point'];
const TIMEZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'UTC'];
const PAGE_SIZE = 20;

const kindLabel = (k) => (STATION_KINDS.includes(k) ? t(`stations.kind.${k}`) : k || '');

const stationState = { q: '', active: 'all', offset: 0 };

registerView('stations', {
  titleKey: 'stations.title',
  order: 20,
  render(el, ctx) {
    const st = stationState;
    const results = h('div', { class: 'results' });
    const search = searchInput(st.q, t('stations.searchPlaceholder'), 'station-search', (q) => { st.q = q; st.offset = 0; load(); });
    const filter = statusFilterSelect(st.active, 'station-filter', () => { st.active = filter.value; st.offset = 0; load(); });
    el.append(
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' }, search, filter),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'station-add', onclick: () => stationForm(null, load) }, '+ ' + t('stations.add'))),
      results);

    async function load() {
      clear(results).appendChild(loadingState());
      const qs = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(st.offset) });
      if (st.q) qs.set('q', st.q);
      if (st.active !== 'all') qs.set('active', st.active);
      let r;
      try {
        r = await api('GET', '/stations?' + qs);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
        return;
      }
      if (!ctx.alive()) return;
      const items = r.items || [];
      if (items.length === 0 && st.offset > 0 && r.total > 0) { st.offset = Math.max(0, (Math.ceil(r.total / PAGE_SIZE) - 1) * PAGE_SIZE); load(); return; }
      clear(results);
      if (items.length === 0) {
        results.appendChild(emptyState(st.q || st.active !== 'all' ? t('common.emptyFiltered') : t('stations.empty')));
        return;
      }
      results.append(
        dataTable({
          test: 'stations-table',
          rowTest: 'station-row',
          caption: t('stations.title'),
          rows: items,
          columns: [
            { label: t('stations.code'), class: 'col-code', cell: (s) => h('span', { class: 'mono' }, s.code) },
            { label: t('stations.name'), class: 'col-name', cell: (s) => h('span', { test: 'station-cell-name' }, s.name) },
            { label: t('stations.kind'), cell: (s) => kindLabel(s.kind) },
            { label: t('stations.address'), class: 'col-wrap', cell: (s) => s.address || '—' },
            { label: t('stations.timezone'), cell: (s) => s.timezone || '' },
            { label: t('common.status'), cell: (s) => statusBadge(s.active) },
            { label: t('common.actions'), class: 'col-actions', cell: (s) => h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-small', test: 'station-edit', onclick: () => stationForm(s, load) }, t('common.edit')),
              s.active
                ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'station-deactivate', onclick: () => setStationActive(s, false, load) }, t('common.deactivate'))
                : h('button', { type: 'button', class: 'btn btn-small', test: 'station-activate', onclick: () => setStationActive(s, true, load) }, t('common.activate'))) },
          ],
        }),
        pager({ total: r.total ?? items.length, offset: st.offset, limit: PAGE_SIZE, onPage: (o) => { st.offset = Math.max(0, o); load(); } }));
    }
    load();
    return undefined;
  },
});

async function setStationActive(s, active, reload) {
  if (!active) {
    const ok = await confirmDialog(t('stations.confirmDeactivate', { name: s.name }), { okLabel: t('common.deactivate'), danger: true });
    if (!ok) return;
  }
  try {
    if (active) await api('PATCH', `/stations/${s.id}`, { active: true });
    else await api('DELETE', `/stations/${s.id}`);
    toast(t(active ? 'stations.activated' : 'stations.deactivated', { name: s.name }));
    reload();
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
  }
}

function stationForm(station, onSaved) {
  const editing = Boolean(station);
  const d = openDialog({ title: t(editing ? 'stations.edit' : 'stations.add'), test: 'station-dialog' });
  const code = h('input', { type: 'text', class: 'input', maxlength: 32, autocomplete: 'off', spellcheck: 'false', value: editing ? station.code : '' });
  const name = h('input', { type: 'text', class: 'input', maxlength: 100, value: editing ? station.name : '' });
  const kind = h('select', { class: 'input input-select' },
    h('option', { value: '', disabled: true, selected: !editing }, t('common.choose')),
    STATION_KINDS.map((k) => h('option', { value: k, selected: editing && station.kind === k }, t(`stations.kind.${k}`))));
  const address = h('input', { type: 'text', class: 'input', maxlength: 200, value: editing ? station.address || '' : '' });
  const listId = 'tz-list';
  const tz = h('input', { type: 'text', class: 'input', list: listId, autocomplete: 'off', spellcheck: 'false', value: editing ? station.timezone || 'Asia/Shanghai' : 'Asia/Shanghai' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'station-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'station-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('station', 'code', t('stations.code'), code, t('stations.codeHint')),
      field('station', 'name', t('stations.name'), name),
      field('station', 'kind', t('stations.kind'), kind),
      field('station', 'timezone', t('stations.timezone'), tz, t('stations.timezoneHint')),
      h('div', { class: 'form-span' }, field('station', 'address', t('stations.address'), address))),
    h('datalist', { id: listId }, TIMEZONES.map((z) => h('option', { value: z }))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'station-cancel', onclick: d.close }, t('common.cancel')),
      save));
  d.body.appendChild(form);
  d.footer.remove();
  (editing ? name : code).focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      code: code.value.trim(),
      name: name.value.trim(),
      kind: kind.value,
      address: address.value.trim(),
      timezone: tz.value.trim() || 'Asia/Shanghai',
    };
    let bad = false;
    for (const f of ['code', 'name', 'kind']) if (!body[f]) { setFieldError(form, f, t('common.required')); bad = true; }
    if (bad) { focusError(form); return; }
    if (!editing && !body.address) delete body.address;
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      if (editing) await api('PATCH', `/stations/${station.id}`, body);
      else await api('POST', '/stations', body);
      d.close();
      toast(editing ? t('common.saved') : t('stations.created', { name: body.name }));
      onSaved();
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      showApiError(form, e, 'stations', (err) => (err.status === 409 && (!err.field || err.field === 'code')
        ? { field: 'code', message: t('stations.error.codeTaken') } : null));
    }
  });
}

/* --------------------------------------------------------- counsellors */

const counsellorState = { q: '', active: 'all', station: '', offset: 0 };

registerView('counsellors', {
  titleKey: 'counsellors.title',
  order: 30,
  async render(el, ctx) {
    const st = counsellorState;
    el.appendChild(loadingState());
    let stations = await listAll('/stations');
    if (!ctx.alive()) return undefined;
    const stationById = () => new Map(stations.map((s) => [s.id, s]));
    let byId = stationById();
    const reloadStations = async () => { stations = await listAll('/stations'); byId = stationById(); };

    const results = h('div', { class: 'results' });
    const search = searchInput(st.q, t('counsellors.searchPlaceholder'), 'counsellor-search', (q) => { st.q = q; st.offset = 0; load(); });
    const filter = statusFilterSelect(st.active, 'counsellor-filter', () => { st.active = filter.value; st.offset = 0; load(); });
    const stationFilter = h('select', { class: 'input input-select', test: 'counsellor-station-filter', 'aria-label': t('counsellors.stationFilter') },
      h('option', { value: '' }, t('counsellors.allStations')),
      stations.map((s) => h('option', { value: String(s.id), selected: String(s.id) === st.station },
        s.active ? s.name : t('counsellors.inactiveStation', { name: s.name }))));
    stationFilter.addEventListener('change', () => { st.station = stationFilter.value; st.offset = 0; load(); });
    const openForm = (c) => counsellorForm(c, stations, async () => { await reloadStations().catch(() => {}); load(); });

    clear(el).append(
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' }, search, stationFilter, filter),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'counsellor-add', onclick: () => openForm(null) }, '+ ' + t('counsellors.add'))),
      results);

    const stationName = (c) => {
      if (c.home_station_id == null) return h('span', { class: 'muted' }, '—');
      const s = byId.get(c.home_station_id);
      if (!s) return `#${c.home_station_id}`;
      return s.active ? s.name : t('counsellors.inactiveStation', { name: s.name });
    };

    async function load() {
      clear(results).appendChild(loadingState());
      const qs = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(st.offset) });
      if (st.q) qs.set('q', st.q);
      if (st.active !== 'all') qs.set('active', st.active);
      if (st.station) qs.set('station_id', st.station);
      let r;
      try {
        r = await api('GET', '/counsellors?' + qs);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
        return;
      }
      if (!ctx.alive()) return;
      const items = r.items || [];
      if (items.length === 0 && st.offset > 0 && r.total > 0) { st.offset = Math.max(0, (Math.ceil(r.total / PAGE_SIZE) - 1) * PAGE_SIZE); load(); return; }
      clear(results);
      if (items.length === 0) {
        results.appendChild(emptyState(st.q || st.active !== 'all' || st.station ? t('common.emptyFiltered') : t('counsellors.empty')));
        return;
      }
      results.append(
        dataTable({
          test: 'counsellors-table',
          rowTest: 'counsellor-row',
          caption: t('counsellors.title'),
          rows: items,
          columns: [
            { label: t('counsellors.name'), class: 'col-name', cell: (c) => h('span', { test: 'counsellor-cell-name' }, c.name) },
            { label: t('counsellors.email'), class: 'col-email', cell: (c) => c.email || '' },
            { label: t('counsellors.phone'), cell: (c) => c.phone || '—' },
            { label: t('counsellors.homeStation'), cell: (c) => h('span', { test: 'counsellor-cell-station' }, stationName(c)) },
            { label: t('counsellors.maxWeeklyHours'), class: 'col-num', cell: (c) => t('counsellors.hoursUnit', { hours: c.max_weekly_hours ?? '' }) },
            { label: t('common.status'), cell: (c) => statusBadge(c.active) },
            { label: t('common.actions'), class: 'col-actions', cell: (c) => h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-edit', onclick: () => openForm(c) }, t('common.edit')),
              h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-rotate', onclick: () => rotateFeed(c, load) }, t('counsellors.rotate')),
              c.active
                ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'counsellor-deactivate', onclick: () => setCounsellorActive(c, false, load) }, t('common.deactivate'))
                : h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-activate', onclick: () => setCounsellorActive(c, true, load) }, t('common.activate'))) },
          ],
        }),
        pager({ total: r.total ?? items.length, offset: st.offset, limit: PAGE_SIZE, onPage: (o) => { st.offset = Math.max(0, o); load(); } }));
    }
    load();
    return undefined;
  },
});

async function setCounsellorActive(c, active, reload) {
  if (!active) {
    const ok = await confirmDialog(t('counsellors.confirmDeactivate', { name: c.name }), { okLabel: t('common.deactivate'), danger: true });
    if (!ok) return;
  }
  try {
    if (active) await api('PATCH', `/counsellors/${c.id}`, { active: true });
    else await api('DELETE', `/counsellors/${c.id}`);
    toast(t(active ? 'counsellors.activated' : 'counsellors.deactivated', { name: c.name }));
    reload();
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
  }
}

function feedUrlBox(url) {
  const input = h('input', { type: 'text', class: 'input mono', readonly: true, value: url || '', test: 'feed-url', 'aria-label': t('counsellors.feedUrl') });
  input.addEventListener('focus', () => input.select());
  const btn = h('button', { type: 'button', class: 'btn', test: 'feed-copy' }, t('common.copy'));
  btn.addEventListener('click', async () => {
    const ok = await copyText(input.value, input);
    if (ok) { btn.textContent = t('common.copied'); setTimeout(() => { btn.textContent = t('common.copy'); }, 2000); }
    else toast(t('common.copyFailed'), 'error');
  });
  return h('div', { class: 'copy-box' }, input, btn);
}

async function rotateFeed(c, reload) {
  const ok = await confirmDialog(t('counsellors.confirmRotate', { name: c.name }), { okLabel: t('counsellors.rotate'), danger: true });
  if (!ok) return;
  let r;
  try {
    r = await api('POST', `/counsellors/${c.id}/rotate-feed-token`);
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
    return;
  }
  const d = openDialog({ title: t('counsellors.rotated'), test: 'rotate-dialog', wide: true });
  d.body.append(
    h('p', null, t('counsellors.rotatedText', { name: c.name })),
    feedUrlBox((r && r.feed_url) || ''));
  d.footer.appendChild(h('button', { type: 'button', class: 'btn btn-primary', test: 'rotate-close', onclick: d.close }, t('common.close')));
  reload();
}

// Parts other views add to the counsellor form: part(c or null) → Node
// or null (views/accounts.js adds the sign-in).
export const counsellorFormParts = [];

function counsellorForm(c, stations, onSaved) {
  const editing = Boolean(c);
  const d = openDialog({ title: t(editing ? 'counsellors.edit' : 'counsellors.add'), test: 'counsellor-dialog', wide: true });
  const name = h('input', { type: 'text', class: 'input', maxlength: 50, value: editing ? c.name : '' });
  const email = h('input', { type: 'email', class: 'input', maxlength: 254, autocomplete: 'off', spellcheck: 'false', value: editing ? c.email || '' : '' });
  const phone = h('input', { type: 'tel', class: 'input', maxlength: 32, value: editing ? c.phone || '' : '' });
  const home = editing ? c.home_station_id : null;
  const options = stations.filter((s) => s.active || s.id === home);
  const station = h('select', { class: 'input input-select' },
    h('option', { value: '' }, t('counsellors.noStation')),
    options.map((s) => h('option', { value: String(s.id), selected: s.id === home },
      s.active ? `${s.name}（${s.code}）` : t('counsellors.inactiveStation', { name: s.name }))));
  const hours = h('input', { type: 'number', class: 'input input-num', min: 0, max: 80, step: 1, inputmode: 'numeric', value: editing ? String(c.max_weekly_hours ?? 40) : '40' });
  const weekly = h('input', { type: 'checkbox', test: 'counsellor-weekly-mail', checked: editing ? c.weekly_mail !== false : true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'counsellor-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'counsellor-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('counsellor', 'name', t('counsellors.name'), name),
      field('counsellor', 'email', t('counsellors.email'), email),
      field('counsellor', 'phone', t('counsellors.phone'), phone),
      field('counsellor', 'home_station_id', t('counsellors.homeStation'), station),
      field('counsellor', 'max_weekly_hours', t('counsellors.maxWeeklyHours'), hours),
      h('label', { class: 'field form-span check-line' }, weekly, ' ', t('counsellors.weeklyMail'))),
    editing && c.feed_url ? h('div', { class: 'field form-span' },
      h('div', { class: 'field-label' }, t('counsellors.feedUrl')),
      feedUrlBox(c.feed_url),
      h('div', { class: 'field-hint' }, t('counsellors.feedUrlHint'))) : null,
    counsellorFormParts.map((part) => part(c)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'counsellor-cancel', onclick: d.close }, t('common.cancel')),
      save));
  // stable short hooks for the two fields whose names are long
  station.setAttribute('data-test', 'counsellor-station');
  hours.setAttribute('data-test', 'counsellor-hours');
  d.body.appendChild(form);
  d.footer.remove();
  name.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      name: name.value.trim(),
      email: email.value.trim(),
      phone: phone.value.trim(),
      home_station_id: station.value ? Number(station.value) : null,
      weekly_mail: weekly.checked,
    };
    let bad = false;
    for (const f of ['name', 'email']) if (!body[f]) { setFieldError(form, f, t('common.required')); bad = true; }
    const hv = hours.value.trim();
    if (hv !== '') {
      const n = Number(hv);
      if (!Number.isInteger(n) || n < 0 || n > 80) { setFieldError(form, 'max_weekly_hours', t('counsellors.error.max_weekly_hours')); bad = true; } else body.max_weekly_hours = n;
    }
    if (bad) { focusError(form); return; }
    if (!editing && !body.phone) delete body.phone;
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      if (editing) await api('PATCH', `/counsellors/${c.id}`, body);
      else await api('POST', '/counsellors', body);
      d.close();
      toast(editing ? t('common.saved') : t('counsellors.created', { name: body.name }));
      onSaved();
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      showApiError(form, e, 'counsellors', (err) => (err.status === 409 && !err.field
        ? { message: t('counsellors.error.conflict') } : null));
    }
  });
}

/* ---------------------------------------------------------------- boot */

onUnauthorized = () => { if (shell) showLogin(t('login.sessionExpired')); };

onLangChange(() => {
  const box = document.getElementById('toast');
  if (box) box.classList.remove('toast-show');
  if (shell) { showConsole(currentUser); return; }
  const typed = document.getElementById('login-username');
  const username = typed ? typed.value : '';
  showLogin();
  if (username) document.getElementById('login-username').value = username;
});

window.addEventListener('hashchange', () => renderRoute());

// A page outside the console (the check-in page /c/{token}) sends staff
// here as #/login?next=/c/{token}; after signing in they go back. Only a
// same-site path of that shape is followed.
function returnTarget() {
  const m = (location.hash || '').match(/^#\/login\?next=([^&]+)$/);
  if (!m) return null;
  let next;
  try { next = decodeURIComponent(m[1]); } catch { return null; }
  return /^\/[a-z]\/[A-Za-z0-9_-]{1,128}$/.test(next) ? next : null;
}

async function boot() {
  const app = root();
  clear(app).appendChild(loadingState());
  try {
    const r = await api('GET', '/session', undefined, { allow401: true });
    if (returnTarget()) { location.assign(returnTarget()); return; }
    showConsole((r && r.user) || r || {});
  } catch (e) {
    if (e.status === 401) showLogin();
    else {
      clear(app).appendChild(h('div', { class: 'boot-error' }, errorState(e, boot)));
    }
  }
}

// Module scripts run before DOMContentLoaded (readyState is already
// 'interactive' then); booting at DOMContentLoaded lets the view modules
// loaded after this one register first.
if (document.readyState === 'complete') queueMicrotask(boot);
else document.addEventListener('DOMContentLoaded', boot);

// For non-module scripts added later.
window.Hearth = { registerView, icon, navigate, api, listAll, h, clear, toast, openDialog, confirmDialog, errorText, ApiError,
  field, setFieldError, clearFormErrors, setFormError, dataTable, loadingState, emptyState, errorState };
