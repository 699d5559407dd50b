// Shared pieces of the events and plans views: the words (kinds,
// audiences, statuses), kind colours, station-time helpers, conflict
// sentences and the reason prompt.
//
// Station time: every station is in Asia/Shanghai (UTC+8, no daylight
// saving), so wall times are computed with a fixed +08:00 offset,
// whatever the browser's own zone is.
import { h } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';
import { api } from '../lib/api.js';
import { openDialog, confirmDialog, toast, errorText } from '../ui.js';
import './event-util-i18n.js';

export const KINDS = ['lecture', 'salon', 'training', 'group', 'activity'];
export const AUDIENCES = ['staff', 'residents', 'community_workers', 'mixed'];
export const STATUSES = ['planned', 'confirmed', 'held', 'cancelled'];
export const REMINDER_CHOICES = [1440, 120, 60, 30];

// Distinct hues, readable with white text, told apart by most colour-blind readers.
export const KIND_COLORS = {
  lecture: '#2f6fb0',
  salon: '#8a4fb0',
  training: '#1f8a70',
  group: '#d2691e',
  activity: '#c23b6e',
};
export const CANCELLED_COLOR = '#c3c9d1';

export const kindLabel = (k) => (KINDS.includes(k) ? t(`kind.${k}`) : k || '');
export const audienceLabel = (a) => (AUDIENCES.includes(a) ? t(`audience.${a}`) : a || '');
export const statusLabel = (s) => (STATUSES.includes(s) ? t(`evstatus.${s}`) : s || '');

export function kindBadge(kind) {
  const b = h('span', { class: 'kind-badge', test: 'kind-badge' }, kindLabel(kind));
  b.style.background = KIND_COLORS[kind] || '#667085';
  return b;
}

export function statusPill(status) {
  return h('span', { class: `ev-status ev-status-${STATUSES.includes(status) ? status : 'planned'}`, test: 'event-status' }, statusLabel(status));
}

export function legend() {
  return h('div', { class: 'legend', test: 'legend', 'aria-label': t('events.legend') },
    KINDS.map((k) => {
      const sw = h('span', { class: 'legend-swatch', 'aria-hidden': 'true' });
      sw.style.background = KIND_COLORS[k];
      return h('span', { class: 'legend-item', test: `legend-${k}` }, sw, kindLabel(k));
    }),
    h('span', { class: 'legend-sep', 'aria-hidden': 'true' }),
    h('span', { class: 'legend-item' },
      h('span', { class: 'legend-swatch legend-swatch-planned', 'aria-hidden': 'true' }), t('events.legendPlanned')),
    h('span', { class: 'legend-item' },
      h('span', { class: 'legend-swatch legend-swatch-confirmed', 'aria-hidden': 'true' }), t('events.legendConfirmed')),
    h('span', { class: 'legend-item legend-cancelled' },
      h('span', { class: 'legend-swatch legend-swatch-cancelled', 'aria-hidden': 'true' }),
      h('s', null, t('events.legendCancelled'))));
}

/* ------------------------------------------------------- station time */

const OFFSET_MS = 8 * 3600 * 1000;
export const pad2 = (n) => String(n).padStart(2, '0');

// Wall-clock parts in station time of an RFC 3339 string (or a Date).
export function wall(v) {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms)) return null;
  const w = new Date(ms + OFFSET_MS);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate(), hh: w.getUTCHours(), mm: w.getUTCMinutes(), dow: w.getUTCDay() };
}

export const partsDate = (p) => `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
export const partsTime = (p) => `${pad2(p.hh)}:${pad2(p.mm)}`;
export const wallDate = (iso) => { const p = wall(iso); return p ? partsDate(p) : ''; };
export const wallTime = (iso) => { const p = wall(iso); return p ? partsTime(p) : ''; };
export const todayWall = () => wallDate(new Date());

// 'YYYY-MM-DD' + 'HH:MM' in station time → RFC 3339 with +08:00.
export const toRfc = (date, time) => `${date}T${time}:00+08:00`;

// FullCalendar runs with timeZone 'UTC' and is fed station wall times,
// so what it shows is station time in every browser.
export const fcWall = (iso) => { const p = wall(iso); return p ? `${partsDate(p)}T${partsTime(p)}:00` : null; };
export function fromFc(date) {
  const d = date instanceof Date ? date : new Date(date);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:00+08:00`;
}
// FullCalendar's "now" as a station wall time, read as UTC.
export const fcNow = () => new Date(Date.now() + OFFSET_MS);

// Adds days to 'YYYY-MM-DD'.
export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZH_DOW = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const EN_DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function dateText(p, { weekday = false, year } = {}) {
  const showYear = year ?? p.y !== new Date().getFullYear();
  if (getLang() === 'en') {
    const s = `${weekday ? EN_DOW[p.dow] + ', ' : ''}${EN_MONTHS[p.m - 1]} ${p.d}${showYear ? ', ' + p.y : ''}`;
    return s;
  }
  return `${showYear ? p.y + '年' : ''}${p.m}月${p.d}日${weekday ? '（' + ZH_DOW[p.dow] + '）' : ''}`;
}

export function fmtDate(iso, opts) { const p = wall(iso); return p ? dateText(p, opts) : ''; }

// "3月2日 09:00–12:00", or with both dates when it spans days.
export function fmtRange(start, end, opts) {
  const a = wall(start);
  const b = wall(end);
  if (!a) return '';
  if (!b) return `${dateText(a, opts)} ${partsTime(a)}`;
  if (partsDate(a) === partsDate(b)) return `${dateText(a, opts)} ${partsTime(a)}–${partsTime(b)}`;
  return `${dateText(a, opts)} ${partsTime(a)} – ${dateText(b, opts)} ${partsTime(b)}`;
}

// "2026-03-02 10:15" in station time.
export function fmtStamp(iso) {
  const p = wall(iso);
  return p ? `${partsDate(p)} ${partsTime(p)}` : (iso || '');
}

/* ---------------------------------------------------------- conflicts */

export function conflictSentence(c) {
  const when = fmtRange(c.start, c.end);
  const name = c.counsellor_name || (c.counsellor_id != null ? t('detail.speakerUnknown', { id: c.counsellor_id }) : '');
  const title = c.title || (c.event_id != null ? `#${c.event_id}` : '');
  switch (c.type) {
    case 'shift': return t('conflict.shift', { name, station: c.station_name || (c.station_id != null ? `#${c.station_id}` : ''), when });
    case 'speaker': return t('conflict.speaker', { name, title, when });
    case 'venue': return t('conflict.venue', { venue: c.venue || '', title, when });
    default: return t('conflict.other', { when });
  }
}

// The conflict box: each clash as a sentence, and "仍然保存", which asks
// for a reason and calls onForce(reason).
export function conflictPanel(err, onForce) {
  const list = (err.detail && Array.isArray(err.detail.conflicts)) ? err.detail.conflicts : [];
  const items = list.length
    ? list.map((c) => h('li', { test: 'conflict-item' }, conflictSentence(c)))
    : [h('li', { test: 'conflict-item' }, t('conflict.plain', { message: err.message || '' }))];
  const force = h('button', { type: 'button', class: 'btn btn-small btn-warn', test: 'conflict-force' }, t('conflict.force'));
  force.addEventListener('click', async () => {
    const reason = await promptReason({
      title: t('conflict.forceTitle'), label: t('conflict.forceLabel'), placeholder: t('conflict.forcePlaceholder'),
      okLabel: t('conflict.force'), test: 'force-dialog',
    });
    if (reason != null) onForce(reason);
  });
  return h('div', { class: 'conflict-box', role: 'alert', test: 'conflicts' },
    h('div', { class: 'conflict-title' }, t('conflict.title')),
    h('ul', { class: 'conflict-list' }, items),
    onForce ? h('div', { class: 'conflict-actions' }, force) : null);
}

// Asks for a reason (1–200 characters). Resolves the trimmed text, or null.
export function promptReason({ title, label, placeholder, okLabel, cancelLabel, danger, test = 'reason-dialog', intro } = {}) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v) => { if (!done) { done = true; resolve(v); } d.close(); };
    const d = openDialog({ title, test, onClose: () => finish(null) });
    const input = h('textarea', { class: 'input textarea', rows: 3, maxlength: 200, placeholder, test: 'reason-input', id: `${test}-reason` });
    const err = h('div', { class: 'field-error', test: 'reason-error', 'aria-live': 'polite' });
    const form = h('form', { class: 'form', novalidate: true },
      intro || null,
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: `${test}-reason` }, label), input, err),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', test: 'reason-cancel', onclick: () => finish(null) }, cancelLabel || t('common.cancel')),
        h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary', test: 'reason-ok' }, okLabel || t('common.confirm'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      if (!v) { err.textContent = t('reason.required'); input.focus(); return; }
      if ([...v].length > 200) { err.textContent = t('reason.tooLong'); input.focus(); return; }
      finish(v);
    });
    d.body.appendChild(form);
    d.footer.remove();
    input.focus();
  });
}

// Element.append without the nulls (append(null) would print "null").
export function add(el, ...kids) {
  el.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
  return el;
}

// A definition list row.
export const dlRow = (label, value, test) => [h('dt', null, label), h('dd', { test }, value)];

// 标记为已举办, after a confirmation that says what follows: attendees get
// their survey links, the event can no longer be rescheduled or
// cancelled, and it stays held (the API has no way back). Resolves true
// once marked.
export async function markHeld(ev) {
  const ok = await confirmDialog(t('held.confirm', { title: ev.title }), { okLabel: t('held.ok') });
  if (!ok) return false;
  try {
    await api('PATCH', `/events/${ev.id}`, { status: 'held' });
    toast(t('held.done'));
    return true;
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
    return false;
  }
}
