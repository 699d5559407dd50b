// 邮件与消息 (#/outbox): the outbox for coordinators — mail, and the
// channels beside it (企业微信 / 钉钉 group robots, SMS), with a channel
// column and filter. What is waiting,
// what went out, what failed and why (GET /api/v1/outbox with status,
// kind and event filters, counts per status), "retry now" for failed and
// given-up messages (POST /api/v1/outbox/{id}/retry), and each message in
// full with its raw RFC 5322 text (GET /api/v1/outbox/{id}).
//
// #/outbox/event/{id} shows only the mail of one activity.
//
// Subjects, addresses and errors come from outside (an activity title is
// in the subject): everything is built with h()/textContent, never HTML.
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import { toast, openDialog, loadingState, errorState, emptyState, dataTable, errorText, pager } from '../ui.js';
import { registerView } from '../app.js';
import './outbox-i18n.js';
import './channels-i18n.js';

export const STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead', 'skipped'];
export const KINDS = ['reminder', 'change', 'cancel', 'weekly', 'roster', 'duty_log', 'duty_day', 'registered', 'promoted', 'test'];
export const CHANNELS = ['email', 'wecom', 'dingtalk', 'sms'];
const RETRYABLE = new Set(['failed', 'dead']);
const WITH_ERROR = new Set(['failed', 'dead', 'skipped']);
const PAGE_SIZE = 20;
const REFRESH_MS = 15000;
// After "retry now": look again every FAST_MS for up to FAST_FOR_MS while
// the message is still pending or being sent.
const FAST_MS = 1500;
const FAST_FOR_MS = 20000;

const statusLabel = (s) => (STATUSES.includes(s) ? t(`outbox.status.${s}`) : s || '');
const kindLabel = (k) => (KINDS.includes(k) ? t(`outbox.kind.${k}`) : k || '');
const channelLabel = (c) => (CHANNELS.includes(c) ? t(`channel.${c}`) : c || '');

/* --------------------------------------------------------------- style */

const STYLE = `
.ob-banner { display: flex; gap: 12px; align-items: flex-start; margin: 0 0 14px; padding: 12px 16px;
  background: #fff8eb; border: 1px solid #f0c36d; border-left: 4px solid #e0a93c; border-radius: 6px; color: #5c3d00; }
.ob-banner-icon { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 22px; height: 22px;
  margin-top: 1px; border-radius: 50%; background: #e0a93c; color: #fff; font-weight: 700; font-size: 14px; }
.ob-banner-title { margin: 0 0 2px; font-weight: 700; }
.ob-banner-how { margin: 0; font-size: 13px; color: #6b4a00; }
.ob-banner code, .ob-mono { font-family: var(--mono); font-size: 12.5px; }
.ob-banner code { padding: 0 4px; border-radius: 3px; background: rgba(122, 75, 0, .08); color: #5c3d00; }
.ob-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 10px 16px; margin-bottom: 12px; }
.ob-chips { display: flex; flex-wrap: wrap; gap: 6px; }
.ob-chip { display: inline-flex; align-items: center; gap: 6px; min-height: 30px; padding: 3px 8px 3px 12px;
  font: inherit; font-size: 13px; color: #344054; background: #fff; border: 1px solid var(--border); border-radius: 999px; cursor: pointer; }
.ob-chip:hover { border-color: #aab4c0; background: #f7f9fb; }
.ob-chip.is-current { color: #fff; background: var(--primary); border-color: var(--primary); font-weight: 600; }
.ob-chip-n { min-width: 22px; padding: 0 6px; border-radius: 999px; background: #eef1f5; color: #475467;
  font-size: 12px; font-weight: 600; line-height: 18px; text-align: center; font-variant-numeric: tabular-nums; }
.ob-chip.is-current .ob-chip-n { background: rgba(255, 255, 255, .22); color: #fff; }
.ob-chip-failed .ob-chip-n.is-nonzero { background: #fff4dc; color: #7a4b00; }
.ob-chip-dead .ob-chip-n.is-nonzero { background: var(--danger); color: #fff; }
.ob-chip.is-current.ob-chip-dead .ob-chip-n.is-nonzero { background: #fff; color: var(--danger); }
.ob-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-left: auto; }
.ob-tools .input-select { width: auto; min-width: 120px; min-height: 30px; padding-top: 3px; padding-bottom: 3px; }
.ob-updated { font-size: 12.5px; color: var(--muted); white-space: nowrap; }
.ob-event-chip { display: inline-flex; align-items: center; gap: 4px; padding: 2px 4px 2px 10px; border-radius: 999px;
  background: var(--primary-tint); color: var(--primary-dark); font-size: 13px; font-weight: 600; }
.ob-event-chip button { border: 0; background: transparent; color: inherit; font: inherit; font-size: 15px; line-height: 1;
  width: 22px; height: 22px; border-radius: 50%; cursor: pointer; }
.ob-event-chip button:hover { background: rgba(27, 69, 112, .12); }
.ob-flash { margin: 0 0 12px; padding: 8px 12px; border-radius: 6px; font-weight: 500; }
.ob-flash-ok { color: var(--ok); background: var(--ok-tint); }
.ob-flash-error { color: var(--danger); background: var(--danger-tint); }
.ob-table th, .ob-table td { padding: 9px 8px; }
.ob-table th:first-child, .ob-table td:first-child { padding-left: 12px; }
.ob-table th:last-child, .ob-table td:last-child { padding-right: 12px; }
.ob-table tbody tr { cursor: pointer; }
.ob-table td.ob-col-subject { white-space: normal; min-width: 200px; max-width: 340px; overflow-wrap: anywhere; }
.ob-table td.ob-col-recipient { white-space: normal; max-width: 220px; overflow-wrap: break-word; }
.ob-table td.ob-col-error { white-space: normal; min-width: 140px; max-width: 240px; }
.ob-subject { padding: 0; border: 0; background: none; font: inherit; font-weight: 600; color: var(--text);
  text-align: left; cursor: pointer; overflow-wrap: anywhere; }
.ob-subject:hover { color: var(--primary); text-decoration: underline; }
.ob-error { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden;
  font-size: 12.5px; line-height: 1.4; color: var(--danger); overflow-wrap: anywhere; }
.ob-error-skipped { color: var(--muted); }
.ob-time { font-size: 12.5px; font-variant-numeric: tabular-nums; color: #344054; }
.ob-none { color: #b0b8c3; }
.ob-st { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.ob-st-pending { color: #1b4570; background: var(--primary-tint); }
.ob-st-sending { color: #fff; background: #2f6fb0; }
.ob-st-sent { color: var(--ok); background: var(--ok-tint); }
.ob-st-failed { color: #7a4b00; background: #fff4dc; }
.ob-st-dead { color: #fff; background: var(--danger); }
.ob-st-skipped { color: #667085; background: #eceff3; }
.ob-kind { white-space: nowrap; }
.ob-ch { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.ob-ch-email { color: #344054; background: #eef1f5; }
.ob-ch-wecom { color: #0b5e3a; background: #e3f5ec; }
.ob-ch-dingtalk { color: #0a4d8c; background: #e2efff; }
.ob-ch-sms { color: #6b3d00; background: #fff1dc; }
.ob-retry { white-space: nowrap; }
.ob-dialog { width: min(880px, calc(100vw - 24px)); }
.ob-dialog .detail-grid { grid-template-columns: 120px 1fr; }
.ob-section { margin: 16px 0 6px; padding-top: 12px; border-top: 1px solid #e8ebf0; }
.ob-section-title { margin: 0; font-size: 15px; }
.ob-section-hint { margin: 0 0 8px; font-size: 12.5px; color: var(--muted); }
.ob-pre { margin: 0; max-height: 340px; overflow: auto; padding: 10px 12px; background: #f5f7fa; border: 1px solid #e3e7ec;
  border-radius: 6px; font-family: var(--mono); font-size: 12px; line-height: 1.5; white-space: pre-wrap; overflow-wrap: anywhere; }
.ob-pre-body { font-family: inherit; font-size: 13.5px; background: #fff; }
@media (max-width: 760px) {
  .ob-tools { margin-left: 0; width: 100%; }
  .ob-tools .input-select { flex: 1; }
  .ob-table td.ob-col-subject, .ob-table td.ob-col-recipient, .ob-table td.ob-col-error { min-width: 0; max-width: none; }
  .ob-subject { text-align: right; }
  .ob-error { text-align: right; }
  .ob-dialog .detail-grid { grid-template-columns: 92px 1fr; }
  /* a card shows only what the message has */
  .ob-table td:empty, .ob-table td:has(> .ob-none) { display: none; }
  .ob-table td, .ob-table td:first-child, .ob-table td:last-child { padding: 6px 0; border-bottom: 0; border-top: 1px solid #eef0f3; }
  .ob-table td:first-child { border-top: 0; }
}
`;

/* --------------------------------------------------------------- helpers */

// Station time (Asia/Shanghai, UTC+8 all year) of an RFC 3339 string.
const OFFSET_MS = 8 * 3600 * 1000;
const pad2 = (n) => String(n).padStart(2, '0');
function wall(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms + OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}
// "11-25 14:30" (with the year when it is not this year's).
export function shortTime(iso) {
  const p = wall(iso);
  if (!p) return iso || '';
  const thisYear = new Date(Date.now() + OFFSET_MS).getUTCFullYear();
  return `${p.y !== thisYear ? `${p.y}-` : ''}${pad2(p.m)}-${pad2(p.d)} ${pad2(p.hh)}:${pad2(p.mm)}`;
}
// "2025-11-25 14:30:05"
export function fullTime(iso) {
  const p = wall(iso);
  return p ? `${p.y}-${pad2(p.m)}-${pad2(p.d)} ${pad2(p.hh)}:${pad2(p.mm)}:${pad2(p.ss)}` : (iso || '');
}

const none = () => h('span', { class: 'ob-none', 'aria-label': t('common.none') }, '—');

function timeCell(iso, test) {
  if (!iso) return none();
  return h('time', { class: 'ob-time', datetime: iso, title: fullTime(iso), test }, shortTime(iso));
}

export function statusBadge(status, test = 'outbox-status') {
  const cls = STATUSES.includes(status) ? status : 'pending';
  return h('span', { class: `ob-st ob-st-${cls}`, test, 'data-status': status }, statusLabel(status));
}

// An address may break before its "@" only.
function recipientCell(addr) {
  const s = addr || '';
  const at = s.lastIndexOf('@');
  return h('span', { test: 'outbox-recipient' }, at > 0 ? [s.slice(0, at), h('wbr'), s.slice(at)] : s);
}

// The server's own reasons for skipping a row are English words; each
// known one reads in the UI language (the server's text stays in the
// tooltip). A remote server's refusal (SMTP, a robot, an SMS provider) is
// shown as it came.
const REASONS = [
  [/^superseded$/, 'outbox.reason.superseded'],
  [/^no longer a speaker$/, 'outbox.reason.notSpeaker'],
  [/^the participant turned SMS off$/, 'outbox.reason.smsOff'],
  [/^the channel is turned off in the configuration$/, 'outbox.reason.channelOff'],
  [/^nothing to send(: recipient gone)?$/, 'outbox.reason.nothing'],
];
export function reasonText(raw) {
  const s = String(raw || '').trim();
  const hit = REASONS.find(([re]) => re.test(s));
  return hit ? t(hit[1]) : s;
}

function errorCell(m) {
  if (!WITH_ERROR.has(m.status) || !m.last_error) return none();
  return h('span', { class: m.status === 'skipped' ? 'ob-error ob-error-skipped' : 'ob-error', title: m.last_error, test: 'outbox-error' }, reasonText(m.last_error));
}

// Our own sentence with the configuration keys in it set as code.
function withCode(text) {
  return text.split(/(\b(?:smtp|mail)_[a-z_]+\b|\bHEARTH_[A-Z_]+\b)/).filter(Boolean)
    .map((part) => (/^(?:smtp_|mail_|HEARTH_)/.test(part) ? h('code', null, part) : part));
}

/* ------------------------------------------------------- MIME (display) */

// Just enough MIME to show a coordinator the text of a message: headers
// (unfolded), multipart bodies, base64 / quoted-printable, UTF-8.
function splitMessage(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function param(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value || '');
  return m ? (m[1] ?? m[2]) : null;
}

function bytesOf(body, cte) {
  const enc = (cte || '').toLowerCase();
  if (enc === 'base64') {
    const bin = atob(body.replace(/[^A-Za-z0-9+/=]/g, ''));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  if (enc === 'quoted-printable') {
    const s = body.replace(/=\n/g, '');
    const out = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) { out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; } else out.push(...new TextEncoder().encode(s[i]));
    }
    return Uint8Array.from(out);
  }
  return new TextEncoder().encode(body);
}

// The first text/plain part, decoded; null when there is none.
export function plainText(raw, depth = 0) {
  if (typeof raw !== 'string' || depth > 4) return null;
  const { headers, body } = splitMessage(raw);
  const type = (headers['content-type'] || 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers['content-type'], 'boundary');
    if (!boundary) return null;
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const found = plainText(part.replace(/^[ \t]*\n/, ''), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (!type.startsWith('text/plain')) return null;
  try {
    const charset = param(headers['content-type'], 'charset') || 'utf-8';
    let decoder;
    try { decoder = new TextDecoder(charset); } catch { decoder = new TextDecoder('utf-8'); }
    return decoder.decode(bytesOf(body, headers['content-transfer-encoding'])).replace(/\r\n/g, '\n').trimEnd();
  } catch {
    return null;
  }
}

/* ------------------------------------------------ other channels (display) */

function prettyJson(raw) {
  try { return JSON.stringify(JSON.parse(raw), null, 2); } catch { return raw; }
}

// What a robot or SMS row says: the markdown of a robot message, or the
// template parameters of an SMS; null when there is nothing to show (a
// roster notice still gathering).
export function channelText(raw) {
  let o;
  try { o = JSON.parse(raw); } catch { return null; }
  if (!o || typeof o !== 'object') return null;
  if (o.markdown && typeof o.markdown.content === 'string') return o.markdown.content;
  if (o.markdown && typeof o.markdown.text === 'string') return o.markdown.text.replace(/\n\n/g, '\n');
  if (o.params && typeof o.params === 'object') {
    return Object.entries(o.params).map(([k, v]) => `${k}: ${v}`).join('\n');
  }
  return null;
}

/* ---------------------------------------------------------------- detail */

function dl(label, value, test) {
  return [h('dt', null, label), h('dd', { test }, value === '' || value === null || value === undefined ? none() : value)];
}

function openDetail(row, { onRetry, onClose }) {
  // A robot message or an SMS is JSON, not a mail.
  const msg = row.channel && row.channel !== 'email';
  const d = openDialog({ title: t(msg ? 'outbox.detail.titleMsg' : 'outbox.detail.title', { id: row.id }), test: 'outbox-detail', wide: true, onClose });
  d.dialog.classList.add('ob-dialog');
  const rawPre = h('pre', { class: 'ob-pre', test: 'outbox-raw' });
  const bodyPre = h('pre', { class: 'ob-pre ob-pre-body', test: 'outbox-body' });
  const rawBox = h('div', null, loadingState());
  const bodyBox = h('div', null, loadingState());

  const fields = (m) => h('dl', { class: 'detail-grid', test: 'outbox-fields' },
    dl(t('outbox.detail.id'), String(m.id), 'outbox-field-id'),
    dl(t('outbox.col.kind'), kindLabel(m.kind), 'outbox-field-kind'),
    dl(t('outbox.col.channel'), channelLabel(m.channel), 'outbox-field-channel'),
    dl(t('outbox.col.status'), statusBadge(m.status, 'outbox-field-status'), null),
    dl(t('outbox.col.recipient'), m.recipient, 'outbox-field-recipient'),
    dl(t('outbox.col.subject'), m.subject, 'outbox-field-subject'),
    dl(t('outbox.detail.event'), m.event_id != null ? `#${m.event_id} ${m.event_title || ''}` : '', 'outbox-field-event'),
    dl(t('outbox.detail.counsellor'), m.counsellor_id != null ? `${m.counsellor_name || ''} (#${m.counsellor_id})` : '', 'outbox-field-counsellor'),
    dl(t('outbox.col.attempts'), String(m.attempts ?? 0), 'outbox-field-attempts'),
    dl(t('outbox.col.error'), reasonText(m.last_error), 'outbox-field-error'),
    dl(t('outbox.col.due'), m.due_at ? fullTime(m.due_at) : '', 'outbox-field-due'),
    dl(t('outbox.col.next'), m.next_attempt_at ? fullTime(m.next_attempt_at) : '', 'outbox-field-next'),
    dl(t('outbox.col.sent'), m.sent_at ? fullTime(m.sent_at) : '', 'outbox-field-sent'),
    dl(t('outbox.detail.created'), m.created_at ? fullTime(m.created_at) : '', 'outbox-field-created'),
    dl(t('outbox.detail.messageId'), m.message_id ? h('span', { class: 'ob-mono' }, m.message_id) : '', 'outbox-field-message-id'));

  let grid = fields(row);
  d.body.append(grid,
    h('section', { class: 'ob-section' },
      h('h3', { class: 'ob-section-title' }, t('outbox.detail.body')),
      h('p', { class: 'ob-section-hint' }, t(msg ? 'outbox.detail.bodyHintMsg' : 'outbox.detail.bodyHint')),
      bodyBox),
    h('section', { class: 'ob-section' },
      h('h3', { class: 'ob-section-title' }, t(msg ? 'outbox.detail.rawMsg' : 'outbox.detail.raw')),
      h('p', { class: 'ob-section-hint' }, t(msg ? 'outbox.detail.rawHintMsg' : 'outbox.detail.rawHint')),
      rawBox));

  const retry = RETRYABLE.has(row.status)
    ? h('button', { type: 'button', class: 'btn btn-primary', test: 'outbox-detail-retry' }, t('outbox.retry')) : null;
  if (retry) {
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      retry.textContent = t('outbox.retrying');
      const ok = await onRetry(row);
      if (ok) d.close();
      else { retry.disabled = false; retry.textContent = t('outbox.retry'); }
    });
  }
  d.footer.append(...[retry].filter(Boolean), h('button', { type: 'button', class: 'btn', test: 'outbox-detail-close', onclick: d.close }, t('common.close')));

  (async () => {
    let m;
    try {
      m = await api('GET', `/outbox/${row.id}`);
    } catch (e) {
      if (e.status === 401) return;
      const msg = h('div', { class: 'state state-error', role: 'alert', test: 'outbox-raw-error' }, t('outbox.detail.loadFailed', { message: errorText(e) }));
      clear(rawBox).appendChild(msg);
      clear(bodyBox).appendChild(none());
      return;
    }
    if (!d.dialog.isConnected) return;
    const fresh = fields(m);
    grid.replaceWith(fresh);
    grid = fresh;
    const other = m.channel && m.channel !== 'email';
    rawPre.textContent = other ? prettyJson(m.message || '') : m.message || '';
    clear(rawBox).appendChild(rawPre);
    const text = other ? channelText(m.message || '') : plainText(m.message || '');
    if (text === null) clear(bodyBox).appendChild(h('p', { class: 'muted', test: 'outbox-body-none' }, t('outbox.detail.noBody')));
    else { bodyPre.textContent = text; clear(bodyBox).appendChild(bodyPre); }
  })();
  return d;
}

/* ------------------------------------------------------------------ view */

const state = { status: '', kind: '', channel: '', offset: 0 };

registerView('outbox', {
  titleKey: 'outbox.title',
  navKey: 'nav.outbox',
  order: 65,
  icon: 'mail',
  render(el, ctx) {
    ensureStyle('ob-style', STYLE);
    const st = state;
    const [p0, p1] = ctx.params;
    const eventId = p0 === 'event' && /^\d+$/.test(p1 || '') ? p1 : '';

    const banner = h('div', { test: 'outbox-banner-slot' });
    const chips = h('div', { class: 'ob-chips', role: 'group', 'aria-label': t('outbox.filterStatus'), test: 'outbox-status-filter' });
    const kindSel = h('select', { class: 'input input-select', test: 'outbox-kind-filter', 'aria-label': t('outbox.filterKind') },
      h('option', { value: '' }, t('outbox.allKinds')),
      KINDS.map((k) => h('option', { value: k, selected: k === st.kind }, kindLabel(k))));
    kindSel.addEventListener('change', () => { st.kind = kindSel.value; st.offset = 0; load(false); });
    const chSel = h('select', { class: 'input input-select', test: 'outbox-channel-filter', 'aria-label': t('outbox.filterChannel') },
      h('option', { value: '' }, t('outbox.allChannels')),
      CHANNELS.map((c) => h('option', { value: c, selected: c === st.channel }, channelLabel(c))));
    chSel.addEventListener('change', () => { st.channel = chSel.value; st.offset = 0; load(false); });
    const updated = h('span', { class: 'ob-updated', test: 'outbox-updated', title: t('outbox.autoRefresh') });
    const refreshBtn = h('button', { type: 'button', class: 'btn btn-small', test: 'outbox-refresh', onclick: () => load(false) }, t('outbox.refresh'));
    const eventChip = eventId ? h('span', { class: 'ob-event-chip', test: 'outbox-event-filter' }, t('outbox.eventFilter', { id: eventId }),
      h('button', { type: 'button', 'aria-label': t('outbox.eventFilterClear'), title: t('outbox.eventFilterClear'), onclick: () => { location.hash = '#/outbox'; } }, '×')) : null;
    const flash = h('div', { class: 'ob-flash', role: 'status', 'aria-live': 'polite', test: 'outbox-flash', hidden: true });
    const results = h('div', { class: 'results', test: 'outbox-results' });

    el.append(banner,
      h('div', { class: 'ob-bar' }, chips, h('div', { class: 'ob-tools' }, eventChip, chSel, kindSel, updated, refreshBtn)),
      flash, results);

    let seq = 0;
    let timer = null;
    let fastTimer = null;
    let fastUntil = 0;
    const watched = new Set();
    let detail = null;
    let last = null;

    const showFlash = (kind, message) => {
      flash.className = `ob-flash ob-flash-${kind}`;
      flash.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      flash.textContent = message;
      flash.hidden = false;
    };

    function renderChips(counts) {
      const total = STATUSES.reduce((n, s) => n + (Number(counts[s]) || 0), 0);
      const chip = (value, label, n) => {
        const current = st.status === value;
        return h('button', {
          type: 'button',
          class: `ob-chip ob-chip-${value || 'all'}${current ? ' is-current' : ''}`,
          'aria-pressed': current ? 'true' : 'false',
          test: `outbox-tab-${value || 'all'}`,
          onclick: () => { if (st.status !== value) { st.status = value; st.offset = 0; load(false); } },
        }, h('span', null, label), h('span', { class: n ? 'ob-chip-n is-nonzero' : 'ob-chip-n', test: `outbox-count-${value || 'all'}` }, String(n)));
      };
      clear(chips).append(chip('', t('outbox.all'), total), ...STATUSES.map((s) => chip(s, statusLabel(s), Number(counts[s]) || 0)));
    }

    function renderBanner(configured) {
      clear(banner);
      if (configured !== false) return;
      banner.appendChild(h('div', { class: 'ob-banner', role: 'note', test: 'outbox-no-smtp' },
        h('span', { class: 'ob-banner-icon', 'aria-hidden': 'true' }, '!'),
        h('div', null,
          h('p', { class: 'ob-banner-title' }, t('outbox.noSmtp')),
          h('p', { class: 'ob-banner-how' }, withCode(t('outbox.noSmtpHow'))))));
    }

    async function retry(row, btn) {
      if (btn) { btn.disabled = true; btn.textContent = t('outbox.retrying'); }
      try {
        await api('POST', `/outbox/${row.id}/retry`);
      } catch (e) {
        if (!ctx.alive() || e.status === 401) return false;
        const msg = e.status === 409 ? t('outbox.retryConflict') : t('outbox.retryFailed', { message: errorText(e) });
        toast(msg, 'error');
        showFlash('error', msg);
        if (btn) { btn.disabled = false; btn.textContent = t('outbox.retry'); }
        load(true);
        return false;
      }
      if (!ctx.alive()) return true;
      const msg = t('outbox.retried', { to: row.recipient });
      toast(msg);
      showFlash('ok', msg);
      watched.add(row.id);
      fastUntil = Date.now() + FAST_FOR_MS;
      load(true);
      return true;
    }

    function show(r) {
      const items = r.items || [];
      renderBanner(r.smtp_configured);
      renderChips(r.counts || {});
      updated.textContent = t('outbox.updatedAt', { time: new Intl.DateTimeFormat(getLang(), { timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date()) });
      if (items.length === 0 && st.offset > 0 && r.total > 0) {
        st.offset = Math.max(0, (Math.ceil(r.total / PAGE_SIZE) - 1) * PAGE_SIZE);
        load(true);
        return;
      }
      // Keep the focus on the same control of the same row across a refresh.
      const active = document.activeElement;
      const focusRow = active && results.contains(active) ? active.closest('tr') : null;
      const focusKey = focusRow ? [focusRow.getAttribute('data-id'), active.getAttribute('data-test')] : null;

      clear(results);
      if (items.length === 0) {
        results.appendChild(emptyState(st.status || st.kind || st.channel || eventId ? t('outbox.emptyFiltered') : t('outbox.empty')));
        return;
      }
      const table = dataTable({
        test: 'outbox-table',
        rowTest: 'outbox-row',
        caption: t('outbox.title'),
        rows: items,
        columns: [
          { label: t('outbox.col.kind'), class: 'ob-kind', cell: (m) => h('span', { test: 'outbox-kind', 'data-kind': m.kind }, kindLabel(m.kind)) },
          { label: t('outbox.col.channel'), cell: (m) => h('span', { class: `ob-ch ob-ch-${CHANNELS.includes(m.channel) ? m.channel : 'email'}`, test: 'outbox-channel', 'data-channel': m.channel }, channelLabel(m.channel)) },
          { label: t('outbox.col.recipient'), class: 'ob-col-recipient', cell: (m) => recipientCell(m.recipient) },
          { label: t('outbox.col.subject'), class: 'ob-col-subject', cell: (m) => h('button', { type: 'button', class: 'ob-subject', test: 'outbox-subject', title: t('outbox.details') }, m.subject || t('outbox.noSubject')) },
          { label: t('outbox.col.status'), cell: (m) => statusBadge(m.status) },
          { label: t('outbox.col.attempts'), class: 'col-num', cell: (m) => h('span', { test: 'outbox-attempts' }, String(m.attempts ?? 0)) },
          { label: t('outbox.col.error'), class: 'ob-col-error', cell: errorCell },
          { label: t('outbox.col.due'), cell: (m) => timeCell(m.due_at, 'outbox-due') },
          { label: t('outbox.col.next'), cell: (m) => timeCell(m.next_attempt_at, 'outbox-next') },
          { label: t('outbox.col.sent'), cell: (m) => timeCell(m.sent_at, 'outbox-sent') },
          { label: t('outbox.col.actions'), class: 'col-actions', cell: (m) => (RETRYABLE.has(m.status)
            ? h('button', { type: 'button', class: 'btn btn-small btn-primary ob-retry', test: 'outbox-retry' }, t('outbox.retry'))
            : null) },
        ],
      });
      table.querySelector('table').classList.add('ob-table');
      const byId = new Map(items.map((m) => [String(m.id), m]));
      for (const tr of table.querySelectorAll('tbody tr')) {
        const m = byId.get(tr.getAttribute('data-id'));
        if (m) tr.setAttribute('data-status', m.status);
      }
      // One listener for the rows: retry buttons retry, anything else opens the message.
      table.addEventListener('click', (ev) => {
        const tr = ev.target.closest('tbody tr');
        if (!tr) return;
        const m = byId.get(tr.getAttribute('data-id'));
        if (!m) return;
        const btn = ev.target.closest('[data-test="outbox-retry"]');
        if (btn) { retry(m, btn); return; }
        if (ev.target.closest('a, input, select')) return;
        if (window.getSelection && String(window.getSelection()).length > 0 && !ev.target.closest('button')) return;
        if (detail) detail.close();
        detail = openDetail(m, { onRetry: (row) => retry(row, null), onClose: () => { detail = null; } });
      });
      results.append(table,
        pager({ total: r.total ?? items.length, offset: st.offset, limit: PAGE_SIZE, onPage: (o) => { st.offset = Math.max(0, o); load(false); } }));
      if (focusKey) {
        const again = results.querySelector(`tr[data-id="${CSS.escape(focusKey[0] || '')}"] [data-test="${CSS.escape(focusKey[1] || '')}"]`);
        if (again) again.focus();
      }
    }

    // quiet: a refresh that keeps what is shown until the answer is in.
    async function load(quiet) {
      const mine = ++seq;
      clearTimeout(fastTimer);
      if (!quiet || !last) clear(results).appendChild(loadingState());
      const qs = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(st.offset) });
      if (st.status) qs.set('status', st.status);
      if (st.kind) qs.set('kind', st.kind);
      if (st.channel) qs.set('channel', st.channel);
      if (eventId) qs.set('event_id', eventId);
      let r;
      try {
        r = await api('GET', '/outbox?' + qs);
      } catch (e) {
        if (!ctx.alive() || mine !== seq || e.status === 401) return;
        if (!quiet || !last) clear(results).appendChild(errorState(e, () => load(false)));
        return;
      }
      if (!ctx.alive() || mine !== seq) return;
      last = r;
      show(r);
      // After a retry, look again soon while the message is on its way.
      const busy = (r.items || []).some((m) => watched.has(m.id) && (m.status === 'pending' || m.status === 'sending'));
      if (busy && Date.now() < fastUntil) fastTimer = setTimeout(() => { if (ctx.alive()) load(true); }, FAST_MS);
      else watched.clear();
    }

    load(false);
    timer = setInterval(() => { if (ctx.alive() && !document.hidden) load(true); }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(fastTimer);
      seq++;
      if (detail) detail.close();
    };
  },
});
