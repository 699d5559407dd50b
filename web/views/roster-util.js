// Shared pieces of the roster views (排班, 覆盖率, 我的排班): week and
// date helpers, the rule-conflict sentences, the reasons of unfilled
// slots, the tabs of the 排班 page and a few small widgets.
//
// Station time: all stations are in Asia/Shanghai; see event-util.js.
import { h } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import { openDialog } from '../ui.js';
import { wall, wallDate, wallTime, addDays, fmtRange, todayWall, toRfc, pad2 } from './event-util.js';
import './roster-util-i18n.js';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

// ISO weekday (Monday = 1) of 'YYYY-MM-DD'.
export const isoDow = (date) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
export const mondayOf = (date) => addDays(date, 1 - isoDow(date));
export const thisMonday = () => mondayOf(todayWall());
export const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
export const daysOf = (monday) => WEEKDAYS.map((i) => addDays(monday, i - 1));
export const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);

// '2027-W09' for a date.
export function isoWeek(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - jan1) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${pad2(week)}`;
}

export const wdShort = (n) => t(`wd.short.${n}`);
export const wdLong = (n) => t(`wd.long.${n}`);

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parts = (date) => ({ y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) });

// "3月1日" / "Mar 1" (with the year when asked).
export function dayText(date, { year = false } = {}) {
  const p = parts(date);
  if (getLang() === 'en') return `${EN_MONTHS[p.m - 1]} ${p.d}${year ? ', ' + p.y : ''}`;
  return `${year ? p.y + '年' : ''}${p.m}月${p.d}日`;
}

// "3/1"
export const shortDay = (date) => { const p = parts(date); return `${p.m}/${p.d}`; };

// "2027年3月1日—3月7日" / "Mar 1 – Mar 7, 2027"
export function rangeText(from, to) {
  const a = parts(from);
  const b = parts(to);
  if (getLang() === 'en') {
    return a.y === b.y ? `${dayText(from)} – ${dayText(to)}, ${a.y}` : `${dayText(from, { year: true })} – ${dayText(to, { year: true })}`;
  }
  return a.y === b.y ? `${a.y}年${a.m}月${a.d}日—${b.m}月${b.d}日` : `${dayText(from, { year: true })}—${dayText(to, { year: true })}`;
}

// "09:00–12:00"
export const band = (s) => `${wallTime(s.start)}–${wallTime(s.end)}`;

// Hours as a short number: 3 → "3", 3.5 → "3.5", 2.3333 → "2.3".
export const fmtHours = (x) => {
  const n = Number(x);
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '—';
};

export const shiftHours = (s) => (Date.parse(s.end) - Date.parse(s.start)) / 3600000;

// Hours per counsellor of the shifts given (assigned, not cancelled).
export function hoursBy(shifts) {
  const m = new Map();
  for (const s of shifts) {
    if (s.counsellor_id == null || s.status === 'cancelled') continue;
    m.set(s.counsellor_id, (m.get(s.counsellor_id) || 0) + shiftHours(s));
  }
  return m;
}

// A leave period: whole days when both ends are at midnight.
export function fmtLeave(start, end) {
  if (wallTime(start) === '00:00' && wallTime(end) === '00:00') {
    const a = wallDate(start);
    const b = addDays(wallDate(end), -1);
    const yr = Number(a.slice(0, 4)) !== new Date().getFullYear();
    return a === b ? t('leave.oneDay', { day: dayText(a, { year: yr }) })
      : t('leave.days', { from: dayText(a, { year: yr }), to: dayText(b, { year: yr && a.slice(0, 4) !== b.slice(0, 4) }) });
  }
  return fmtRange(start, end);
}

// Start and end of a leave from the form: times left empty mean whole days.
export function leaveTimes(fromDate, fromTime, toDate, toTime) {
  const start = toRfc(fromDate, fromTime || '00:00');
  const end = toTime ? toRfc(toDate, toTime) : toRfc(addDays(toDate, 1), '00:00');
  return { start, end };
}

/* ---------------------------------------------------------- conflicts */

export const isRuleConflict = (e) => e && e.status === 409 && Array.isArray(e.detail && e.detail.conflicts) && e.detail.conflicts.length > 0;

// One rule conflict as a sentence; `name` is the counsellor concerned
// when the entry does not name one.
export function conflictText(c, name) {
  const who = c.counsellor_name || name || t('rconflict.someone');
  switch (c.type) {
    case 'overlap':
      return t('rconflict.overlap', { name: who, station: c.station_name || (c.station_id != null ? `#${c.station_id}` : ''), when: fmtRange(c.start, c.end, { year: false }) });
    case 'leave':
      return c.reason ? t('rconflict.leave', { name: who, reason: c.reason }) : t('rconflict.leaveNoReason', { name: who, when: fmtLeave(c.start, c.end) });
    case 'max_hours':
      return t('rconflict.maxHours', { name: who, week: c.week || '', hours: fmtHours(c.hours), max: c.max ?? '' });
    case 'inactive':
      return t('rconflict.inactive', { name: who });
    default:
      return t('rconflict.other', { type: c.type || '' });
  }
}

export function conflictBox(err, name, title) {
  const list = isRuleConflict(err) ? err.detail.conflicts : [];
  return h('div', { class: 'conflict-box', role: 'alert', test: 'roster-conflicts' },
    h('div', { class: 'conflict-title' }, title || t('rconflict.title')),
    h('ul', { class: 'conflict-list' }, list.length
      ? list.map((c) => h('li', { test: 'conflict-item', 'data-type': c.type }, conflictText(c, name)))
      : h('li', { test: 'conflict-item' }, t('rconflict.plain', { message: err.message || '' }))));
}

// A dialog that explains why a change was refused.
export function conflictDialog(err, { name, lead, title } = {}) {
  const d = openDialog({ title: title || t('rconflict.dialogTitle'), test: 'roster-conflict-dialog', wide: true });
  if (lead) d.body.appendChild(h('p', { class: 'conflict-lead', test: 'conflict-lead' }, lead));
  d.body.appendChild(conflictBox(err, name));
  const ok = h('button', { type: 'button', class: 'btn btn-primary', test: 'conflict-close', onclick: d.close }, t('common.close'));
  d.footer.appendChild(ok);
  ok.focus();
  return d;
}

/* ------------------------------------------------------ unfilled slots */

const REASON_PARTS = ['on_leave', 'busy', 'at_max_hours', 'inactive', 'no_active_counsellors'];

export function reasonText(r) {
  if (!r) return '';
  const key = `unfilled.${r}`;
  const known = ['no_active_counsellors', 'all_on_leave', 'all_busy', 'all_at_max_hours', 'still_open'];
  if (known.includes(r)) return t(key);
  const ps = r.replace(/^all_/, '').split('_or_');
  if (ps.length > 1 && ps.every((p) => REASON_PARTS.includes(p))) {
    const words = ps.map((p) => t(`unfilled.part.${p}`));
    const list = words.length > 1 ? `${words.slice(0, -1).join(t('unfilled.sep'))}${t('unfilled.or')}${words[words.length - 1]}` : words[0];
    return t('unfilled.combo', { list });
  }
  return r;
}

/* -------------------------------------------------------------- pieces */

// The sub-pages of 排班.
export const ROSTER_TABS = [
  ['week', 'rosters', 'rtab.week'],
  ['counsellor', 'rosters/counsellor', 'rtab.counsellor'],
  ['print', 'rosters/print', 'rtab.print'],
  ['setup', 'rosters/setup', 'rtab.setup'],
  ['swaps', 'rosters/swaps', 'rtab.swaps'],
];

export function rosterTabs(active, hrefs = {}) {
  return h('nav', { class: 'tabs no-print', 'aria-label': t('rtab.label'), test: 'roster-tabs' },
    ROSTER_TABS.map(([key, route, label]) => h('a', {
      href: '#/' + (hrefs[key] || route),
      class: key === active ? 'tab is-active' : 'tab',
      'aria-current': key === active ? 'page' : null,
      test: `rtab-${key}`,
    }, t(label))));
}

// A segmented control: [[value, label]], onchange(value).
export function segmented(items, value, onchange, test) {
  const wrap = h('div', { class: 'seg', role: 'group', test });
  const buttons = items.map(([v, label]) => {
    const b = h('button', { type: 'button', class: v === value ? 'seg-btn is-current' : 'seg-btn', 'aria-pressed': v === value ? 'true' : 'false', test: `${test}-${v}` }, label);
    b.addEventListener('click', () => {
      for (const x of buttons) { x.classList.toggle('is-current', x === b); x.setAttribute('aria-pressed', x === b ? 'true' : 'false'); }
      onchange(v);
    });
    return b;
  });
  wrap.append(...buttons);
  return wrap;
}

// Week navigation: ‹ 上一周 | 本周 | 下一周 › and a date picker.
export function weekNav(monday, go, test = 'week') {
  const pick = h('input', { type: 'date', class: 'input input-date', value: monday, test: `${test}-pick`, 'aria-label': t('week.jump'), title: t('week.jump') });
  pick.addEventListener('change', () => { if (isDate(pick.value)) go(mondayOf(pick.value)); });
  return h('div', { class: 'week-nav' },
    h('button', { type: 'button', class: 'btn btn-small', test: `${test}-prev`, onclick: () => go(addDays(monday, -7)), 'aria-label': t('week.prev') }, '‹ ' + t('week.prevShort')),
    h('button', { type: 'button', class: 'btn btn-small', test: `${test}-today`, onclick: () => go(thisMonday()) }, t('week.this')),
    h('button', { type: 'button', class: 'btn btn-small', test: `${test}-next`, onclick: () => go(addDays(monday, 7)), 'aria-label': t('week.next') }, t('week.nextShort') + ' ›'),
    pick);
}

// Holiday marks of a date: {kind, name, as_weekday} or null.
export function holidayBadge(hd) {
  if (!hd) return null;
  const off = hd.kind === 'holiday';
  const title = off ? t('holiday.offTitle', { name: hd.name || '' }) : t('holiday.workTitle', { name: hd.name || '', wd: wdLong(hd.as_weekday || 1) });
  return h('span', { class: off ? 'hd-badge hd-off' : 'hd-badge hd-work', title, test: off ? 'holiday-off' : 'holiday-work' }, off ? t('holiday.off') : t('holiday.work'));
}

// The swap request words.
export const SWAP_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'];
export function swapStatusPill(s) {
  return h('span', { class: `swap-status swap-${SWAP_STATUSES.includes(s) ? s : 'pending'}`, test: 'swap-status' }, SWAP_STATUSES.includes(s) ? t(`swap.status.${s}`) : s);
}

// The leave words (pending until a coordinator decides, issue 13).
export const LEAVE_STATUSES = ['pending', 'approved', 'refused'];
export function leaveStatusPill(x) {
  const st = LEAVE_STATUSES.includes(x.status) ? x.status : 'approved';
  const cls = { pending: 'pending', approved: 'approved', refused: 'rejected' }[st];
  return h('span', { class: `swap-status swap-${cls}`, test: 'leave-status', 'data-status': st }, t(`leave.status.${st}`));
}

// Loads `/shifts/{id}` once per id (coordinator only).
export function shiftCache() {
  const m = new Map();
  const get = (id) => {
    if (id == null) return Promise.resolve(null);
    if (!m.has(id)) m.set(id, api('GET', `/shifts/${id}`).catch(() => null));
    return m.get(id);
  };
  get.clear = () => m.clear();
  return get;
}

export { wall, wallDate, wallTime, addDays, fmtRange, todayWall, toRfc, pad2 };
