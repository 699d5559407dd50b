// 日历订阅 (#/feeds): who syncs their calendar. One row per active
// counsellor from GET /api/v1/feeds/health — last fetch (relative), the
// calendar client (from its User-Agent), 200/304 counts and a red mark
// when the feed went stale — each with a link to its subscribe page; then
// the public feeds (all public activities, one per station).
import { h, clear, copyText } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import { toast, loadingState, errorState, emptyState, dataTable } from '../ui.js';
import { registerView } from '../app.js';
import './feeds-i18n.js';

// Styles live in subscribe.css (scoped .fh-*); load it once.
function ensureStyles() {
  if (document.querySelector('link[data-feeds-css]')) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href: 'subscribe.css', 'data-feeds-css': '' }));
}

// A feed icon (24×24 stroke paths, like app.js ICONS).
const FEED_ICON = ['M4 11a9 9 0 0 1 9 9', 'M4 4a16 16 0 0 1 16 16', 'M5 18a1 1 0 1 0 0 2a1 1 0 1 0 0-2z'];

/* --------------------------------------------------------------- helpers */

// The calendar client behind a User-Agent, or null when unknown.
const CLIENTS = [
  [/Thunderbird|Lightning\//i, 'thunderbird'],
  [/Microsoft Outlook|Outlook|Microsoft Office|Exchange/i, 'outlook'],
  [/Google-Calendar-Importer|Google-Calendar|GoogleCalendar|Google Calendar/i, 'google'],
  [/dataaccessd|CalendarAgent|iCal\/|remindd|accountsd|^iOS\/|^macOS\/|\biPhone\b|\biPad\b/i, 'apple'],
];

export function clientKey(ua) {
  if (!ua) return null;
  for (const [re, key] of CLIENTS) if (re.test(ua)) return key;
  return null;
}

// A short, recognisable name: "Google 日历", "Apple 日历", or the first
// product token of an unknown agent ("curl").
export function clientName(ua) {
  if (!ua) return '—';
  const key = clientKey(ua);
  if (key) return t(`feeds.client.${key}`);
  const first = ua.trim().split(/[\s/;(]+/)[0] || ua.trim();
  return first.length > 24 ? `${first.slice(0, 23)}…` : first;
}

// "3 小时前", "刚刚", "从未".
export function ago(iso, now = Date.now()) {
  if (!iso) return t('feeds.never');
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = Math.max(0, Math.floor((now - ms) / 1000));
  if (s < 60) return t('feeds.justNow');
  if (s < 3600) return t('feeds.minutesAgo', { n: Math.floor(s / 60) });
  if (s < 48 * 3600) return t('feeds.hoursAgo', { n: Math.floor(s / 3600) });
  return t('feeds.daysAgo', { n: Math.floor(s / 86400) });
}

function fullTime(iso) {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(getLang(), { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

// The path (and query) of a feed URL: what subscribe.html?feed= takes.
function feedPath(url) {
  try { const u = new URL(url, location.href); return u.pathname + u.search; } catch { return url; }
}

const subscribeHref = (path) => `/subscribe.html?feed=${encodeURIComponent(path)}`;

function mark(row) {
  if (!row.stale) return h('span', { class: 'fh-mark fh-mark-ok', test: 'feeds-mark-ok' }, t('feeds.state.ok'));
  const never = !row.last_fetch_at;
  return h('span', { class: 'fh-mark fh-mark-bad', test: never ? 'feeds-mark-never' : 'feeds-mark-stopped' },
    t(never ? 'feeds.state.never' : 'feeds.state.stopped'));
}

const count = (n, test) => h('span', { class: n ? null : 'fh-zero', test }, String(n || 0));

const timeCell = (iso, bad) => h('time', {
  class: bad ? 'fh-time-bad' : null, datetime: iso || null, title: fullTime(iso) || null, test: 'feeds-cell-last',
}, ago(iso));

const clientCell = (ua) => h('span', { title: ua || null, test: 'feeds-cell-client' }, clientName(ua));

function linkButtons(path, absolute, extra) {
  const page = h('a', { class: 'btn btn-small', href: subscribeHref(path), target: '_blank', rel: 'noopener', test: 'feeds-subscribe-link' },
    t('feeds.subscribePage'));
  const copy = h('button', { type: 'button', class: 'btn btn-small', title: t('feeds.copyLinkTitle'), test: 'feeds-copy' }, t('feeds.copyLink'));
  copy.addEventListener('click', async () => {
    if (await copyText(absolute)) toast(t('feeds.linkCopied'));
    else toast(`${t('common.copyFailed')}: ${absolute}`, 'error');
  });
  return h('span', { class: 'row-actions' }, page, copy, extra);
}

function stat(label, value, cls, test) {
  return h('section', { class: `card stat ${cls}` },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, h('span', { test }, String(value)),
      t('feeds.stat.unit') ? h('span', { class: 'stat-unit' }, t('feeds.stat.unit')) : null));
}

/* ------------------------------------------------------------------ view */

registerView('feeds', {
  titleKey: 'feeds.title',
  navKey: 'nav.feeds',
  order: 60,
  icon: FEED_ICON,
  async render(el, ctx) {
    ensureStyles();
    el.appendChild(loadingState());
    let timer = null;

    async function load(quiet) {
      let health, stations;
      try {
        [health, stations] = await Promise.all([api('GET', '/feeds/health'), listAll('/stations?active=true')]);
      } catch (e) {
        if (ctx.alive() && e.status !== 401 && !quiet) clear(el).appendChild(errorState(e, () => load(false)));
        return;
      }
      if (!ctx.alive()) return;
      show(health || {}, stations || []);
    }

    function show(health, stations) {
      const items = health.items || [];
      const now = Date.now();
      const syncing = items.filter((r) => !r.stale).length;
      const never = items.filter((r) => r.stale && !r.last_fetch_at).length;
      const stopped = items.length - syncing - never;
      const origin = (() => {
        try { return new URL(items[0].feed_url).origin; } catch { return location.origin; }
      })();

      const refresh = h('button', { type: 'button', class: 'btn btn-small', test: 'feeds-refresh', onclick: () => load(false) }, t('feeds.refresh'));
      const updated = h('span', { class: 'fh-updated', test: 'feeds-updated' },
        t('feeds.updatedAt', { time: new Intl.DateTimeFormat(getLang(), { timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(now)) }));

      const people = items.length === 0 ? emptyState(t('feeds.empty')) : dataTable({
        test: 'feeds-table',
        rowTest: 'feeds-row',
        caption: t('feeds.counsellorsTitle'),
        rows: items.map((r) => ({ ...r, id: r.counsellor_id })),
        columns: [
          { label: t('feeds.col.counsellor'), class: 'col-name', cell: (r) => h('span', { test: 'feeds-cell-name' }, r.name) },
          { label: t('feeds.col.state'), cell: (r) => mark(r) },
          { label: t('feeds.col.lastFetch'), cell: (r) => timeCell(r.last_fetch_at, r.stale && r.last_fetch_at) },
          { label: t('feeds.col.client'), cell: (r) => clientCell(r.user_agent) },
          { label: t('feeds.col.ok'), class: 'col-num', cell: (r) => count(r.count_200, 'feeds-cell-200') },
          { label: t('feeds.col.notModified'), class: 'col-num', cell: (r) => count(r.count_304, 'feeds-cell-304') },
          { label: t('feeds.col.links'), class: 'col-actions', cell: (r) => {
            const path = feedPath(r.feed_url);
            return linkButtons(path, `${origin}${subscribeHref(path)}`);
          } },
        ],
      });

      const counters = new Map((health.public || []).map((p) => [p.feed, p]));
      const publicRows = [
        { id: 'events', key: 'events', name: t('feeds.allPublic'), code: null, path: '/feeds/events.ics' },
        ...stations.filter((s) => s.active !== false).map((s) => ({
          id: `station-${s.code}`, key: `station:${s.code}`, name: s.name, code: s.code, path: `/feeds/stations/${encodeURIComponent(s.code)}.ics`,
        })),
      ].map((r) => ({ ...r, hit: counters.get(r.key) || null }));
      const pub = dataTable({
        test: 'feeds-public-table',
        rowTest: 'feeds-public-row',
        caption: t('feeds.publicTitle'),
        rows: publicRows,
        columns: [
          { label: t('feeds.col.calendar'), class: 'col-name', cell: (r) => h('span', { test: 'feeds-public-name' },
            r.name, r.code ? h('span', { class: 'fh-code' }, r.code) : null) },
          { label: t('feeds.col.lastFetch'), cell: (r) => timeCell(r.hit && r.hit.last_fetch_at, false) },
          { label: t('feeds.col.client'), cell: (r) => clientCell(r.hit && r.hit.user_agent) },
          { label: t('feeds.col.ok'), class: 'col-num', cell: (r) => count(r.hit && r.hit.count_200) },
          { label: t('feeds.col.notModified'), class: 'col-num', cell: (r) => count(r.hit && r.hit.count_304) },
          { label: t('feeds.col.links'), class: 'col-actions', cell: (r) => linkButtons(r.path, `${origin}${subscribeHref(r.path)}`,
            h('a', { class: 'btn btn-small', href: r.path, test: 'feeds-ics-link', download: '' }, '.ics')) },
        ],
      });

      clear(el).append(
        h('div', { class: 'stats fh-stats' },
          stat(t('feeds.stat.syncing'), syncing, 'fh-stat-ok', 'feeds-stat-syncing'),
          stat(t('feeds.stat.stopped'), stopped, stopped ? 'fh-stat-bad' : '', 'feeds-stat-stopped'),
          stat(t('feeds.stat.never'), never, never ? 'fh-stat-warn' : '', 'feeds-stat-never')),
        h('section', { class: 'fh-section', test: 'feeds-counsellors' },
          h('div', { class: 'fh-section-head' },
            h('div', null,
              h('h2', { class: 'fh-section-title' }, t('feeds.counsellorsTitle')),
              h('p', { class: 'fh-section-hint' }, t('feeds.counsellorsHint'))),
            h('div', { class: 'toolbar-right' }, updated, refresh)),
          people),
        h('section', { class: 'fh-section', test: 'feeds-public' },
          h('div', { class: 'fh-section-head' },
            h('div', null,
              h('h2', { class: 'fh-section-title' }, t('feeds.publicTitle')),
              h('p', { class: 'fh-section-hint' }, t('feeds.publicHint')))),
          pub));
    }

    await load(false);
    // Relative times age and new fetches arrive: refresh every minute.
    timer = setInterval(() => { if (ctx.alive()) load(true); }, 60000);
    return () => clearInterval(timer);
  },
});
