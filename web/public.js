// What the participant pages (/e/{id}, /r/{token}, /c/{token}, /s/{token},
// /u/{token}) have in common beyond web/lib: their frame (header with the
// language switch, footer), loading and notice cards, the event head,
// times in Asia/Shanghai as participants read them, the error sentence,
// the token of the path and a registration with its event's place.
// Their strings are in public-i18n.js, each page's in <page>-i18n.js.
//
// No innerHTML anywhere: every node is built with h() of lib/dom.js, so
// titles, names and comments from the API always show as literal text. No
// inline scripts or handlers (the CSP forbids them).
import { h, clear } from './lib/dom.js';
import { api } from './lib/api.js';
import { t, getLang, setLang, onLangChange, applyLang, LANGS } from './lib/i18n.js';
import './public-i18n.js';

const ZONE = 'Asia/Shanghai';

/* ------------------------------------------------------------ requests */

// A registration by its token, with the event's place when the event is
// public (best effort: a private event shows without it).
export async function loadRegistration(token) {
  const reg = await api('GET', `/registrations/${encodeURIComponent(token)}`);
  const ev = reg && reg.event;
  if (ev && Number.isInteger(ev.id)) {
    try {
      const p = await api('GET', `/public/events/${ev.id}`);
      reg.event = { ...ev, station_name: p.station_name, venue: p.venue };
    } catch { /* shown without the place */ }
  }
  return reg;
}

// Loads the registration of token into state.reg, or the error into
// state.error (no token: 404), then renders.
export async function loadRegistrationInto(state, token, render) {
  state.error = null;
  if (!token) { state.error = { status: 404 }; render(); return; }
  try {
    state.reg = await loadRegistration(token);
  } catch (e) {
    state.error = e;
  }
  render();
}

// Turns a registration's reminder e-mails on or off; resolves to the
// state the server answers (PUT /registrations/{token}/reminders).
export async function putReminders(token, enabled) {
  const r = await api('PUT', `/registrations/${encodeURIComponent(token)}/reminders`, { enabled });
  return r && typeof r.reminders === 'boolean' ? r.reminders : enabled;
}

// A general message for an error no page handles specially.
export function errorMessage(e) {
  if (!e || e.status === 0) return t('error.network');
  if (e.status === 404) return t('error.notFound');
  if (e.status === 429) return t('error.rate');
  return t('error.server');
}

// The last path segment after prefix ('/e/' → '12'), or '' when absent or
// not a plain token.
export function pathParam(prefix) {
  const p = location.pathname;
  if (!p.startsWith(prefix)) return '';
  const v = p.slice(prefix.length).replace(/\/+$/, '');
  return /^[A-Za-z0-9_-]{1,128}$/.test(v) ? v : '';
}

/* ----------------------------------------------------------------- time */

function parts(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE, year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short',
  });
  const o = {};
  for (const p of f.formatToParts(d)) o[p.type] = p.value;
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(o.weekday);
  return { y: Number(o.year), m: Number(o.month), d: Number(o.day), wd, hm: `${o.hour}:${o.minute}` };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

function dayText(p, withYear = true) {
  const wd = t('weekday').split(',')[p.wd];
  if (getLang() === 'en') return `${wd} ${p.d} ${MONTHS[p.m - 1]}${withYear ? ` ${p.y}` : ''}`;
  return `${withYear ? `${p.y}年` : ''}${p.m}月${p.d}日（${wd}）`;
}

// "2027年3月2日（周二）14:30–16:30" (Asia/Shanghai); another end day is
// spelled out.
export function formatRange(start, end) {
  const a = parts(start);
  const b = parts(end);
  if (!a) return '';
  const sep = getLang() === 'en' ? ', ' : '';
  if (!b) return `${dayText(a)}${sep}${a.hm}`;
  if (a.y === b.y && a.m === b.m && a.d === b.d) return `${dayText(a)}${sep}${a.hm}–${b.hm}`;
  return `${dayText(a)}${sep}${a.hm} – ${dayText(b, a.y !== b.y)}${sep}${b.hm}`;
}

// formatRange as nodes: the time span of a one-day event does not break.
export function rangeNodes(start, end) {
  const a = parts(start);
  const b = parts(end);
  if (!a || !b || a.y !== b.y || a.m !== b.m || a.d !== b.d) return [formatRange(start, end)];
  return [`${dayText(a)}${getLang() === 'en' ? ', ' : ''}`, h('span', { class: 'nowrap' }, `${a.hm}–${b.hm}`)];
}

// "3月2日 14:30" for a single moment.
export function formatMoment(iso) {
  const a = parts(iso);
  if (!a) return '';
  return `${dayText(a, false)}${getLang() === 'en' ? ', ' : ''}${a.hm}`;
}

export function kindWord(kind) {
  const k = `kind.${kind}`;
  const s = t(k);
  return s === k ? '' : s;
}

/* ---------------------------------------------------------------- frame */

function langSwitch() {
  return h('div', { class: 'lang', role: 'group', 'aria-label': t('lang.label'), test: 'lang' },
    LANGS.map((l) => h('button', {
      type: 'button',
      class: l.code === getLang() ? 'lang-btn lang-on' : 'lang-btn',
      'aria-pressed': l.code === getLang() ? 'true' : 'false',
      lang: l.code,
      test: `lang-${l.code}`,
      onclick: () => setLang(l.code),
    }, l.label)));
}

// Replaces the page with the frame (header, main, footer) around content;
// returns main.
export function frame(title, ...content) {
  document.title = title ? `${title} · ${t('site.name')}` : t('site.name');
  const main = h('main', { class: 'main', id: 'main', test: 'main' }, content);
  const app = document.getElementById('app');
  clear(app).append(
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#main' },
        h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }),
        h('span', null, t('site.name'))),
      langSwitch()),
    main,
    h('footer', { class: 'foot' }, t('site.footer')));
  return main;
}

export function loading() {
  return h('div', { class: 'card loading', test: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading'));
}

// A card with a large icon, a heading and text: tone ok / warn / error / info.
export function notice(tone, heading, text, test, ...extra) {
  const icon = { ok: '✓', warn: '!', error: '✕', info: 'i' }[tone] || 'i';
  return h('section', { class: `card notice notice-${tone}`, test: test || `notice-${tone}`, role: tone === 'error' ? 'alert' : 'status' },
    h('div', { class: 'notice-icon', 'aria-hidden': 'true' }, icon),
    h('h1', { class: 'notice-title', test: 'notice-title' }, heading),
    text ? h('p', { class: 'notice-text' }, text) : null,
    extra);
}

// Event summary: kind badge, title, time, place, optional description.
export function eventHead(ev, { description = false, level = 'h1' } = {}) {
  const place = [ev.station_name, ev.venue].filter(Boolean).join(' · ');
  const rows = [
    ev.start ? [t('field.time'), rangeNodes(ev.start, ev.end), 'event-time'] : null,
    place ? [t('field.place'), place, 'event-place'] : null,
  ].filter(Boolean);
  return h('div', { class: 'event-head' },
    ev.kind ? h('span', { class: `kind kind-${ev.kind}`, test: 'event-kind' }, kindWord(ev.kind)) : null,
    h(level, { class: 'event-title', test: 'event-title' }, ev.title || ''),
    rows.length ? h('dl', { class: 'facts' }, rows.map(([k, v, test]) =>
      h('div', { class: 'fact' }, h('dt', null, k), h('dd', { test }, v)))) : null,
    description && ev.description ? h('p', { class: 'event-desc', test: 'event-desc' }, ev.description) : null);
}

// Runs render() now and after each language switch.
export function start(render) {
  applyLang();
  onLangChange(() => render());
  render();
}

// A safe link target from the API: same-origin paths, http(s) URLs only.
export function safeHref(url) {
  if (typeof url !== 'string' || !url) return null;
  if (/^\/(?!\/)/.test(url)) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch { return null; }
}
