// Public subscribe page: /subscribe.html?feed=/feeds/counsellors/<token>.ics
// (or a station feed, or /feeds/events.ics with filters). Shows the
// calendar's name, its webcal:// and https:// links with copy buttons, a QR
// code, a reminders switch in words, and steps per calendar: Apple, the
// calendars of Huawei/Honor, Xiaomi/Redmi, OPPO/OnePlus/realme and
// vivo/iQOO phones (said plainly where URL subscription is not confirmed,
// with what works instead: Outlook, or a one-time import of the file),
// Outlook, then Google (not reachable in mainland China) and Thunderbird.
// The phone's own maker (from its User-Agent) is opened first.
// Chinese by default; the language choice is shared with the console
// (localStorage "hearth.lang"). No innerHTML: text goes in with textContent.
//
// Stand-alone: it does not load app.js (the console's shell).
import { h, clear, svgIcon, copyText } from './lib/dom.js';
import { api } from './lib/api.js';
import { t, onLangChange, applyLang } from './lib/i18n.js';
import { langSwitch } from './ui.js';
import './subscribe-i18n.js';

const ICON_CAL = ['M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', 'M16 2v4', 'M8 2v4', 'M3 10h18'];
const ICON_PLUS = ['M12 5v14', 'M5 12h14'];
const ICON_LOCK = ['M6 11h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z', 'M8 11V7a4 4 0 0 1 8 0v4'];

/* -------------------------------------------------------------- the feed */

const QR_PREFIX = '/feeds/qr.svg?feed=';

// The feed named by ?feed=: a path (or a full https/webcal URL of one)
// under /feeds/. Returns {path (without alarms), alarms} or null when
// missing, {invalid: true} when it is not a feed path.
export function parseFeedParam(search) {
  const raw = new URLSearchParams(search).get('feed');
  if (raw === null || raw.trim() === '') return null;
  let u;
  try {
    u = new URL(raw.trim().replace(/^webcal:/i, 'https:'), 'https://feed.invalid');
  } catch {
    return { invalid: true };
  }
  if (!/^\/feeds\/[^?#]+\.ics$/.test(u.pathname)) return { invalid: true };
  const alarms = ['1', 'true'].includes(u.searchParams.get('alarms'));
  u.searchParams.delete('alarms');
  const q = u.searchParams.toString();
  return { path: u.pathname + (q ? `?${q}` : ''), alarms };
}

const withAlarms = (url) => `${url}${url.includes('?') ? '&' : '?'}alarms=1`;

// The QR image for a feed path. qr_url from the server carries the feed
// path unencoded, so a path with more than one query parameter is
// re-encoded here (else "&…" would be read as a parameter of qr.svg).
function qrSrc(info, path) {
  if (info.qr_url === QR_PREFIX + path && !/[&#+%]/.test(path)) return info.qr_url;
  return QR_PREFIX + encodeURIComponent(path);
}

/* ----------------------------------------------------------------- state */

const feed = parseFeedParam(location.search);
const state = {
  status: 'loading', // loading | ready | missing | notfound | network | error
  httpStatus: 0,
  info: null,
  alarms: Boolean(feed && feed.alarms),
  qrFailed: false,    // the alarms variant of the QR was refused
};
const isPersonal = () => Boolean(feed && feed.path && feed.path.startsWith('/feeds/counsellors/'));

async function load() {
  if (!feed) { state.status = 'missing'; render(); return; }
  if (feed.invalid) { state.status = 'notfound'; render(); return; }
  state.status = 'loading';
  render();
  let info;
  try {
    info = await api('GET', `/feeds/info?feed=${encodeURIComponent(feed.path)}`, undefined, { credentials: 'omit' });
  } catch (e) {
    if (e.status === 0) state.status = 'network';
    else if (e.status === 404) state.status = 'notfound';
    else { state.status = 'error'; state.httpStatus = e.status; }
    render();
    return;
  }
  if (info && typeof info === 'object') {
    state.info = info;
    state.status = 'ready';
  } else {
    state.status = 'error';
    state.httpStatus = 200;
  }
  render();
}

/* ---------------------------------------------------------------- render */

let refs = {};

function topbar() {
  return h('header', { class: 'topbar sub-topbar' },
    h('span', { class: 'brand' },
      h('img', { class: 'brand-mark', src: 'favicon.svg', alt: '', width: 28, height: 28 }),
      h('span', { class: 'brand-name' }, t('app.name'))),
    langSwitch());
}

function errorCard() {
  const keys = {
    missing: ['sub.missingTitle', 'sub.missing'],
    notfound: ['sub.notFoundTitle', 'sub.notFound'],
    network: ['sub.networkTitle', 'sub.network'],
    error: ['sub.errorTitle', 'sub.error'],
  }[state.status];
  const retry = state.status === 'network' || state.status === 'error';
  return h('section', { class: 'card sub-error', role: 'alert', test: 'sub-error' },
    h('div', { class: 'sub-error-icon', 'aria-hidden': 'true' }, '!'),
    h('h1', { class: 'sub-error-title', test: 'sub-error-title' }, t(keys[0])),
    h('p', { class: 'sub-error-text', test: 'sub-error-text' }, t(keys[1], { status: state.httpStatus })),
    retry ? h('button', { type: 'button', class: 'btn', test: 'sub-retry', onclick: load }, t('sub.retry')) : null);
}

function linkRow(kind, label, forText, url) {
  const id = `sub-url-${kind}`;
  const input = h('input', {
    type: 'text', id, class: 'input sub-url', readonly: true, value: url, test: id,
    spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off', inputmode: 'url',
  });
  input.addEventListener('focus', () => input.select());
  const btn = h('button', { type: 'button', class: 'btn btn-primary-soft sub-copy', test: `sub-copy-${kind}`, 'aria-describedby': id }, t('sub.copy'));
  let timer = null;
  btn.addEventListener('click', async () => {
    const ok = await copyText(input.value, input);
    refs.status.textContent = ok ? t('sub.copiedLong') : t('sub.copyManual');
    refs.status.className = ok ? 'sub-status sub-status-ok' : 'sub-status sub-status-warn';
    if (ok) {
      btn.textContent = t('sub.copied');
      btn.classList.add('is-done');
      clearTimeout(timer);
      timer = setTimeout(() => { btn.textContent = t('sub.copy'); btn.classList.remove('is-done'); }, 2000);
    }
  });
  refs[kind] = input;
  return h('div', { class: 'sub-link', test: `sub-link-${kind}` },
    h('div', { class: 'sub-link-head' },
      h('label', { for: id, class: 'sub-link-label' }, label),
      h('span', { class: 'sub-link-for' }, forText)),
    h('div', { class: 'copy-box' }, input, btn));
}

// Applies the alarms choice to the links, the one-tap button and the QR.
function applyUrls() {
  const { info } = state;
  const https = state.alarms ? withAlarms(info.https_url) : info.https_url;
  const webcal = state.alarms ? withAlarms(info.webcal_url) : info.webcal_url;
  refs.https.value = https;
  refs.webcal.value = webcal;
  refs.oneTap.setAttribute('href', webcal);
  if (refs.download) refs.download.setAttribute('href', https);
  refs.alarmsState.textContent = t(state.alarms ? 'sub.alarmsOn' : 'sub.alarmsOff');
  refs.alarmsState.className = state.alarms ? 'sub-alarms-state is-on' : 'sub-alarms-state';
  const wantAlarmsQr = state.alarms && !state.qrFailed;
  refs.qr.setAttribute('src', qrSrc(info, wantAlarmsQr ? withAlarms(feed.path) : feed.path));
  refs.qr.dataset.alarms = wantAlarmsQr ? '1' : '0';
  refs.qrNote.hidden = !(state.alarms && state.qrFailed);
}

// The maker of this phone from its User-Agent: apple, huawei, xiaomi,
// oppo, vivo, or null.
export function phoneMaker(ua) {
  const s = String(ua || '');
  if (/iPhone|iPad|iPod|Macintosh/i.test(s)) return 'apple';
  if (/HUAWEI|HONOR|HarmonyOS|OpenHarmony|EMUI/i.test(s)) return 'huawei';
  if (/XiaoMi|Redmi|MIUI|HyperOS|POCO/i.test(s)) return 'xiaomi';
  if (/OPPO|OnePlus|realme|ColorOS|HeyTap/i.test(s)) return 'oppo';
  if (/vivo|iQOO|OriginOS/i.test(s)) return 'vivo';
  return null;
}

// One calendar's steps, as a disclosure; the phone's own maker is open.
function stepSection(key, steps, note, test, open) {
  return h('details', { class: 'sub-app', test, open: Boolean(open) },
    h('summary', { class: 'sub-app-title' }, t(`${key}.title`)),
    h('ol', { class: 'sub-app-steps' }, steps.map((n) => h('li', null, t(`${key}.${n}`)))),
    note ? h('p', { class: 'sub-note' }, t(note)) : null);
}

function readyView() {
  const { info } = state;
  refs = {};
  const isHttps = /^https:/i.test(info.https_url);

  refs.oneTap = h('a', { class: 'btn btn-primary sub-onetap', href: info.webcal_url, test: 'sub-onetap' },
    svgIcon(ICON_PLUS, 'sub-icon'), t('sub.oneTap'));
  const toggle = h('input', { type: 'checkbox', role: 'switch', id: 'sub-alarms', test: 'sub-alarms', checked: state.alarms,
    'aria-describedby': 'sub-alarms-hint' });
  toggle.addEventListener('change', () => { state.alarms = toggle.checked; applyUrls(); });
  refs.status = h('p', { class: 'sub-status', role: 'status', 'aria-live': 'polite', test: 'sub-status' });
  refs.alarmsState = h('span', { class: 'sub-alarms-state', test: 'sub-alarms-state', 'aria-live': 'polite' });

  refs.qr = h('img', { class: 'sub-qr-img', alt: t('sub.qrAlt'), width: 200, height: 200, test: 'sub-qr' });
  refs.qr.addEventListener('error', () => {
    // The server may refuse a query on this feed's QR: show the plain one.
    if (refs.qr.dataset.alarms === '1') { state.qrFailed = true; applyUrls(); }
  });
  refs.qrNote = h('p', { class: 'sub-note sub-qr-note', test: 'sub-qr-note', hidden: true }, t('sub.qrNoAlarms'));

  const hero = h('section', { class: 'card sub-hero', test: 'sub-hero' },
    h('p', { class: 'sub-eyebrow' }, svgIcon(ICON_CAL, 'sub-icon'), t('sub.eyebrow')),
    h('h1', { class: 'sub-name', test: 'sub-name' }, info.name),
    h('p', { class: 'sub-lead' }, t(isPersonal() ? 'sub.lead.counsellor' : 'sub.lead.public')),
    refs.oneTap,
    h('p', { class: 'sub-onetap-hint' }, t('sub.oneTapHint')),
    h('label', { class: 'sub-toggle', for: 'sub-alarms' },
      toggle,
      h('span', { class: 'sub-switch', 'aria-hidden': 'true' }),
      h('span', { class: 'sub-toggle-text' },
        h('span', { class: 'sub-toggle-label' }, t('sub.alarms')),
        h('span', { class: 'sub-toggle-hint', id: 'sub-alarms-hint' }, t('sub.alarmsHint')),
        refs.alarmsState)),
    linkRow('webcal', t('sub.webcal'), t('sub.webcalFor'), info.webcal_url),
    linkRow('https', t(isHttps ? 'sub.https' : 'sub.http'), t('sub.httpsFor'), info.https_url),
    refs.status,
    isPersonal() ? h('p', { class: 'sub-private', test: 'sub-private' }, svgIcon(ICON_LOCK, 'sub-icon'), h('span', null, t('sub.private'))) : null);

  const qr = h('section', { class: 'card sub-qr', test: 'sub-qr-card' },
    h('h2', { class: 'sub-h2' }, t('sub.qrTitle')),
    h('div', { class: 'sub-qr-frame' }, refs.qr),
    h('p', { class: 'sub-qr-hint' }, t('sub.qrHint')),
    refs.qrNote);

  const maker = phoneMaker(navigator.userAgent);
  refs.download = h('a', { class: 'btn sub-download', href: info.https_url, download: 'hearth.ics', test: 'sub-download' }, t('sub.download'));
  const steps = h('section', { class: 'card sub-steps', test: 'sub-steps' },
    h('h2', { class: 'sub-h2' }, t('sub.stepsTitle')),
    h('p', { class: 'sub-note sub-which', test: 'sub-which' }, t('sub.which')),
    stepSection('sub.apple', [1, 2, 3], null, 'sub-steps-apple', maker === 'apple' || !maker),
    stepSection('sub.huawei', [1, 2, 3], 'sub.huawei.note', 'sub-steps-huawei', maker === 'huawei'),
    stepSection('sub.xiaomi', [1, 2], 'sub.xiaomi.note', 'sub-steps-xiaomi', maker === 'xiaomi'),
    stepSection('sub.oppo', [1, 2], 'sub.oppo.note', 'sub-steps-oppo', maker === 'oppo' || maker === 'vivo'),
    stepSection('sub.outlook', [1, 2, 3], 'sub.outlook.note', 'sub-steps-outlook', !maker),
    h('details', { class: 'sub-app', test: 'sub-steps-file' },
      h('summary', { class: 'sub-app-title' }, t('sub.file.title')),
      h('ol', { class: 'sub-app-steps' }, h('li', null, t('sub.file.1')), h('li', null, t('sub.file.2'))),
      refs.download,
      h('p', { class: 'sub-note' }, t('sub.file.note'))),
    stepSection('sub.google', [1, 2, 3], 'sub.google.note', 'sub-steps-google'),
    stepSection('sub.thunderbird', [1, 2], null, 'sub-steps-thunderbird'));

  return [hero, qr, steps, h('p', { class: 'sub-foot' }, t('sub.refresh'))];
}

function render() {
  document.title = state.status === 'ready' && state.info
    ? `${t('sub.title')} · ${state.info.name}`
    : `${t('sub.title')} · ${t('app.name')}`;
  let body;
  if (state.status === 'loading') {
    body = h('div', { class: 'state state-loading', role: 'status', test: 'loading' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('sub.loading'));
  } else if (state.status === 'ready') body = readyView();
  else body = errorCard();
  clear(document.getElementById('sub')).append(
    topbar(),
    h('main', { class: `sub-main sub-${state.status}`, id: 'main', test: 'sub-main' }, body));
  if (state.status === 'ready') applyUrls();
}

applyLang();
onLangChange(() => render());
load();
