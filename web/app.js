// The console's shell: session (login, logout, expiry), top bar, side
// navigation, hash router and the view registry. It renders nothing until
// startConsole() is called (by index.js); importing it only defines.
//
// A view is a module of web/views/ with a message file of its own,
// loaded from index.html with <script type="module" src="views/x.js">:
//   // web/views/x.js
//   import { h, clear } from '../lib/dom.js';
//   import { api } from '../lib/api.js';
//   import { t } from '../lib/i18n.js';
//   import { loadingState } from '../ui.js';
//   import { registerView } from '../app.js';
//   import './x-i18n.js';   // addMessages('zh-CN', {…}); addMessages('en', {…});
//   registerView('x', { titleKey: 'x.title', order: 40,
//     render(el, ctx) { … ; return () => { /* cleanup */ }; } });
// FullCalendar (window.FullCalendar, with the zh-cn locale) and ECharts
// (window.echarts) are loaded by index.html before the views.

import { h, clear, svgIcon } from './lib/dom.js';
import { ApiError, api, setUnauthorizedHandler } from './lib/api.js';
import { t, getLang, onLangChange, applyLang } from './lib/i18n.js';
import { errorText, toast, loadingState, emptyState, errorState, langSwitch, closeAllDialogs } from './ui.js';
import './app-i18n.js';

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
  return svgIcon(Array.isArray(spec) ? spec : ICONS[spec] || ICONS.dot, cls);
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
  closeAllDialogs();
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

/* ---------------------------------------------------------------- boot */

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

let started = false;

// Starts the console (index.js calls it once): language, session expiry,
// router, then the session check and the first page. Module scripts run
// before DOMContentLoaded (readyState is already 'interactive' then);
// booting at DOMContentLoaded lets every view module of index.html
// register first, wherever its script tag stands.
export function startConsole() {
  if (started) return;
  started = true;
  applyLang();
  setUnauthorizedHandler(() => { if (shell) showLogin(t('login.sessionExpired')); });
  onLangChange(() => {
    const box = document.getElementById('toast');
    if (box) box.classList.remove('toast-show');
    if (shell) { showConsole(currentUser); return; }
    const typed = document.getElementById('login-username');
    const username = typed ? typed.value : '';
    showLogin();
    if (username) document.getElementById('login-username').value = username;
  });
  // A dialog never stays over another page.
  window.addEventListener('hashchange', () => { closeAllDialogs(); renderRoute(); });
  if (document.readyState === 'complete') queueMicrotask(boot);
  else document.addEventListener('DOMContentLoaded', boot);
}
