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

import { t, getLang, onLangChange, applyLang } from './lib/i18n.js';
import { h, clear, svgIcon, copyText } from './lib/dom.js';
import { ApiError, api, listAll, setUnauthorizedHandler } from './lib/api.js';
import {
  errorText, toast, loadingState, emptyState, errorState, openDialog, confirmDialog, field, setFieldError,
  clearFormErrors, setFormError, showApiError, focusError, statusBadge, dataTable, pager, statusFilterSelect,
  searchInput, langSwitch,
} from './ui.js';
import './i18n.js';

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

/* --------------------------------------------------------- counsellors */

const PAGE_SIZE = 20;

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
  window.addEventListener('hashchange', () => renderRoute());
  // For non-module scripts added later.
  window.Hearth = { registerView, icon, navigate, api, listAll, h, clear, toast, openDialog, confirmDialog, errorText, ApiError,
    field, setFieldError, clearFormErrors, setFormError, dataTable, loadingState, emptyState, errorState };
  if (document.readyState === 'complete') queueMicrotask(boot);
  else document.addEventListener('DOMContentLoaded', boot);
}
