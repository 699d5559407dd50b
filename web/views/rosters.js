// 排班 (#/rosters): the week grid (stations × days) with drag and drop,
// generation, the shift dialog; the per-counsellor calendar
// (#/rosters/counsellor/{id}); the print sheet (#/rosters/print?week=…);
// the setup tabs and the swap requests are in roster-setup.js.
//
// #/rosters/2027-03-01 opens the week of that date.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, getLang, has } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, errorState, field, setFieldError,
  clearFormErrors, setFormError, focusError,
} from '../ui.js';
import { registerView, navigate } from '../app.js';
import { fcWall, fromFc, fcNow, add } from './event-util.js';
import {
  isoDow, mondayOf, thisMonday, isDate, daysOf, isoWeek, wdLong, dayText, shortDay, rangeText, band, fmtHours,
  hoursBy, shiftHours, isRuleConflict, conflictBox, conflictDialog, conflictText, reasonText, rosterTabs, weekNav, holidayBadge,
  fmtLeave, wallDate, wallTime, addDays, fmtRange, todayWall, toRfc, daysBetween,
} from './roster-util.js';
import { renderSetup, renderSwaps } from './roster-setup.js';
import './rosters-i18n.js';
import './counsellors-i18n.js';

const ROSTER_ICON = ['M4 4h16a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z', 'M3 9h18', 'M9 4v17', 'M8 2v3', 'M16 2v3', 'M13 13h5', 'M13 17h3'];

export const rosterState = { week: null, counsellor: null, calView: 'timeGridWeek', showEmpty: true };
const currentWeek = () => rosterState.week || thisMonday();

// ['counsellor', '5?date=2027-03-01'] → {name: 'counsellor', rest: ['5'], qs}
function sub(params) {
  const [path, query] = params.join('/').split('?');
  const [name = '', ...rest] = path.split('/').filter(Boolean);
  return { name, qs: new URLSearchParams(query || ''), rest };
}

registerView('rosters', {
  titleKey: 'rosters.title',
  navKey: 'nav.rosters',
  order: 35,
  icon: ROSTER_ICON,
  render(el, ctx) {
    const { name, qs, rest } = sub(ctx.params);
    if (name === 'print') {
      const w = qs.get('week') || rest[0];
      return renderPrint(el, ctx, isDate(w) ? mondayOf(w) : currentWeek());
    }
    if (name === 'counsellor') return renderCounsellorCal(el, ctx, rest[0] && /^\d+$/.test(rest[0]) ? Number(rest[0]) : null, qs.get('date'));
    if (name === 'setup') return renderSetup(el, ctx, rest[0]);
    if (name === 'swaps') return renderSwaps(el, ctx);
    const w = isDate(name) ? name : qs.get('week');
    return renderWeek(el, ctx, isDate(w) ? mondayOf(w) : currentWeek());
  },
});

const stationLabel = (s) => (s.active ? s.name : t('counsellors.inactiveStation', { name: s.name }));

// Everything one week needs.
async function loadWeek(monday) {
  const sunday = addDays(monday, 6);
  const [shifts, holidays, leave] = await Promise.all([
    listAll(`/shifts?from=${monday}&to=${sunday}`),
    listAll(`/holidays?from=${monday}&to=${sunday}`),
    listAll(`/availability?from=${monday}&to=${sunday}`),
  ]);
  return {
    shifts: shifts.filter((s) => s.status !== 'cancelled'),
    holidays: new Map(holidays.map((x) => [x.date, x])),
    leave,
  };
}

const overlaps = (a, b) => Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

// The leave of the shift's counsellor over the shift, or null: the
// server marks each shift (`leave`: pending or approved); a refused
// request marks nothing.
export function leaveOver(s, leave) {
  if (s.counsellor_id == null) return null;
  if (s.leave !== undefined) return s.leave;
  return leave.find((a) => a.counsellor_id === s.counsellor_id && a.status !== 'refused' && overlaps(a, s)) || null;
}

// The leave mark of a chip: 假 when approved, 待批 while pending.
const leaveMarkText = (a) => t(a.status === 'pending' ? 'rosters.leavePendingMark' : 'rosters.leaveMark');
const onLeaveText = (name, a) => t(a.status === 'pending' ? 'rosters.onLeavePending' : 'rosters.onLeave', { name, reason: a.reason || t('ccal.leave') });

// Who is free for a shift, from the server (GET /rosters/free): the
// options of a counsellor select disabled with the reason when busy.
async function markBusy(select, query, keep) {
  let items;
  try {
    items = await listAll(`/rosters/free?${query}`);
  } catch {
    return; /* the server still decides on saving */
  }
  const byId = new Map(items.map((x) => [String(x.counsellor_id), x]));
  for (const o of select.options) {
    const x = byId.get(o.value);
    if (!x) continue;
    const label = o.getAttribute('data-label') || o.textContent;
    o.setAttribute('data-label', label);
    const why = x.free || o.value === keep ? null : x.reason;
    o.disabled = why != null && o.value !== select.value;
    o.textContent = why ? `${label} — ${why}` : label;
    if (why) o.setAttribute('data-busy', why); else o.removeAttribute('data-busy');
  }
}

/* ----------------------------------------------------------- week grid */

let dragging = null; // the shift being dragged

async function renderWeek(el, ctx, monday) {
  rosterState.week = monday;
  el.appendChild(loadingState());
  const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors')]);
  if (!ctx.alive()) return undefined;
  const counsellorById = new Map(counsellors.map((c) => [c.id, c]));

  const title = h('h2', { class: 'week-title', test: 'week-title' });
  const gridBox = h('div', { class: 'roster-grid-box' });
  const side = h('aside', { class: 'roster-side card', test: 'roster-side', 'aria-label': t('rosters.sideTitle') });
  const printLink = h('a', { class: 'btn', test: 'roster-print', href: `#/rosters/print?week=${monday}` }, t('rosters.print'));
  const showEmpty = h('input', { type: 'checkbox', test: 'roster-show-empty', checked: rosterState.showEmpty });
  showEmpty.addEventListener('change', () => { rosterState.showEmpty = showEmpty.checked; draw(); });
  let data = null;
  const go = (w) => {
    monday = w;
    rosterState.week = w;
    history.replaceState(null, '', `#/rosters/${w}`);
    printLink.href = `#/rosters/print?week=${w}`;
    tabs.querySelector('[data-test="rtab-print"]').href = `#/rosters/print?week=${w}`;
    tabs.querySelector('[data-test="rtab-week"]').href = `#/rosters/${w}`;
    load();
  };

  const tabs = rosterTabs('week', { week: `rosters/${monday}`, print: `rosters/print?week=${monday}` });
  add(clear(el),
    tabs,
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' }, weekNav(monday, go), title),
      h('div', { class: 'toolbar-right' },
        h('label', { class: 'check check-inline' }, showEmpty, h('span', null, t('rosters.showEmpty'))),
        printLink,
        h('button', { type: 'button', class: 'btn', test: 'shift-add', onclick: () => shiftForm(null, { date: monday }) }, '+ ' + t('rosters.addShift')),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'roster-generate', onclick: () => generateDialog(stations, monday, load) }, t('rosters.generate')))),
    h('div', { class: 'roster-legend' },
      h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch' }), t('rosters.legendAssigned')),
      h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch chip-swatch-open' }), t('rosters.legendOpen')),
      h('span', { class: 'legend-item' }, h('span', { class: 'leave-mark' }, t('rosters.leaveMark')), t('rosters.legendLeave')),
      h('span', { class: 'legend-item' }, h('span', { class: 'hd-badge hd-off' }, t('holiday.off')), t('rosters.legendHoliday')),
      h('span', { class: 'legend-item' }, h('span', { class: 'hd-badge hd-work' }, t('holiday.work')), t('rosters.legendWorkday')),
      h('span', { class: 'legend-hint' }, t('rosters.dragHint'))),
    h('div', { class: 'roster-layout' }, gridBox, side));

  async function load() {
    // the week picker shows the week's Monday
    const pick = el.querySelector('[data-test="week-pick"]');
    if (pick) pick.value = monday;
    title.textContent = `${rangeText(monday, addDays(monday, 6))} · ${t('rosters.weekNo', { week: Number(isoWeek(monday).slice(6)) })}`;
    if (!data) clear(gridBox).appendChild(loadingState());
    try {
      data = await loadWeek(monday);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(gridBox).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    draw();
  }

  function draw() {
    const days = daysOf(monday);
    const { shifts, holidays } = data;
    const hours = hoursBy(shifts);
    const withShifts = new Set(shifts.map((s) => s.station_id));
    const rows = stations.filter((s) => withShifts.has(s.id) || (s.active && rosterState.showEmpty));
    const cells = new Map();
    for (const s of shifts) {
      const k = `${s.station_id}|${wallDate(s.start)}`;
      if (!cells.has(k)) cells.set(k, []);
      cells.get(k).push(s);
    }
    const today = todayWall();

    const head = h('tr', null,
      h('th', { class: 'rg-corner', scope: 'col' }, t('rosters.station')),
      days.map((d) => {
        const hd = holidays.get(d);
        const cls = ['rg-day', hd ? (hd.kind === 'holiday' ? 'is-holiday' : 'is-workday') : '', isoDow(d) >= 6 ? 'is-weekend' : '', d === today ? 'is-today' : ''].filter(Boolean).join(' ');
        return h('th', { class: cls, scope: 'col', test: 'roster-day', 'data-date': d },
          h('span', { class: 'rg-wd' }, wdLong(isoDow(d))),
          h('span', { class: 'rg-date' }, dayText(d)),
          holidayBadge(hd),
          hd && hd.name ? h('span', { class: 'rg-hdname', title: hd.name }, hd.name) : null);
      }));
    const body = rows.map((st) => h('tr', { test: 'roster-row', 'data-station': String(st.id) },
      h('th', { class: 'rg-station', scope: 'row' }, h('span', { class: 'rg-station-name' }, stationLabel(st)), h('span', { class: 'rg-code' }, st.code)),
      days.map((d) => {
        const hd = holidays.get(d);
        const list = (cells.get(`${st.id}|${d}`) || []).sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.counsellor_id == null) - (b.counsellor_id == null));
        const td = h('td', { class: `rg-cell${hd && hd.kind === 'holiday' ? ' is-holiday' : ''}${isoDow(d) >= 6 ? ' is-weekend' : ''}`, test: 'roster-cell', 'data-station': String(st.id), 'data-date': d },
          list.map((s) => chip(s)),
          st.active ? h('button', { type: 'button', class: 'rg-add', test: 'cell-add', title: t('rosters.addHere'), 'aria-label': t('rosters.addHereAria', { station: st.name, day: dayText(d) }), onclick: () => shiftForm(null, { station: st.id, date: d }) }, '+') : null);
        dropTarget(td, (s) => moveShift(s, st, d));
        return td;
      })));
    // On a phone the grid scrolls sideways in its box: drawn again (after a
    // change) it stays where it was; first drawn, today's column shows.
    const before = gridBox.querySelector('.rg-wrap');
    const keep = before && before.dataset.week === monday ? before.scrollLeft : null;
    const wrap = h('div', { class: 'table-wrap rg-wrap', test: 'roster-grid-wrap', 'data-week': monday },
      h('table', { class: 'roster-grid', test: 'roster-grid' },
        h('caption', { class: 'sr-only' }, t('rosters.gridCaption', { range: rangeText(monday, addDays(monday, 6)) })),
        h('thead', null, head),
        h('tbody', null, rows.length ? body : h('tr', null, h('td', { colspan: 8, class: 'rg-empty' }, t('rosters.noStations'))))));
    clear(gridBox).appendChild(wrap);
    if (wrap.scrollWidth > wrap.clientWidth) {
      const todayTh = wrap.querySelector('.rg-day.is-today');
      const corner = wrap.querySelector('.rg-corner');
      if (keep != null) wrap.scrollLeft = keep;
      else if (todayTh) wrap.scrollLeft = todayTh.offsetLeft - (corner ? corner.offsetWidth : 0);
    }

    // side: counsellors to drop on, with this week's hours
    const open = shifts.filter((s) => s.counsellor_id == null).length;
    const active = counsellors.filter((c) => c.active).sort((a, b) => (hours.get(a.id) || 0) - (hours.get(b.id) || 0) || a.id - b.id);
    add(clear(side),
      h('h3', { class: 'side-title' }, t('rosters.sideTitle')),
      h('p', { class: 'side-hint' }, t('rosters.sideHint')),
      h('div', { class: 'side-sum', test: 'roster-summary' },
        t('rosters.summary', { n: shifts.length, open }), open ? h('span', { class: 'gap' }, ` · ${t('rosters.openCount', { open })}`) : null),
      h('ul', { class: 'side-list' }, active.map((c) => {
        const hrs = hours.get(c.id) || 0;
        const over = hrs > (c.max_weekly_hours ?? 40);
        const li = h('li', { class: over ? 'side-c is-over' : 'side-c', test: 'counsellor-drop', 'data-id': String(c.id), tabindex: '-1' },
          h('a', { class: 'side-name', href: `#/rosters/counsellor/${c.id}?date=${monday}`, title: t('rosters.openCalendar') }, c.name),
          h('span', { class: 'side-hours', title: t('rosters.hoursTitle') }, t('rosters.hoursOf', { hours: fmtHours(hrs), max: c.max_weekly_hours ?? 40 })));
        dropTarget(li, (s) => assign(s, c));
        return li;
      })));
  }

  function chip(s) {
    const open = s.counsellor_id == null;
    const c = open ? null : counsellorById.get(s.counsellor_id);
    const name = open ? t('rosters.open') : (s.counsellor_name || (c ? c.name : `#${s.counsellor_id}`));
    // leave over an assigned shift: it still counts as staffed, so it shows
    const away = leaveOver(s, data.leave);
    const el2 = h('div', {
      class: `shift-chip${open ? ' is-open' : ''}${s.status === 'confirmed' ? ' is-confirmed' : ''}${away ? ` is-leave${away.status === 'pending' ? ' is-leave-pending' : ''}` : ''}`,
      test: 'shift', 'data-id': String(s.id), 'data-counsellor': open ? '' : String(s.counsellor_id),
      draggable: 'true', tabindex: '0', role: 'button',
      title: `${s.station_name || ''}\n${fmtRange(s.start, s.end)}\n${name}${away ? `\n${onLeaveText(name, away)}` : ''}`,
    },
    h('span', { class: 'chip-time' }, band(s)),
    h('span', { class: 'chip-name', test: 'shift-name' }, name,
      away ? h('span', { class: `leave-mark${away.status === 'pending' ? ' leave-pending' : ''}`, test: 'shift-leave', 'data-status': away.status || 'approved' }, leaveMarkText(away)) : null));
    el2.addEventListener('click', () => shiftDialog(s));
    el2.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); shiftDialog(s); } });
    el2.addEventListener('dragstart', (ev) => {
      dragging = s;
      ev.dataTransfer.effectAllowed = 'move';
      ev.dataTransfer.setData('text/plain', `hearth-shift:${s.id}`);
      el2.classList.add('is-dragging');
      document.body.classList.add('is-dragging-shift');
    });
    el2.addEventListener('dragend', () => {
      dragging = null;
      el2.classList.remove('is-dragging');
      document.body.classList.remove('is-dragging-shift');
      for (const x of document.querySelectorAll('.drop-over')) x.classList.remove('drop-over');
    });
    return el2;
  }

  function dropTarget(node, onDrop) {
    node.addEventListener('dragover', (ev) => {
      if (!dragging) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'move';
      node.classList.add('drop-over');
    });
    node.addEventListener('dragleave', (ev) => { if (!node.contains(ev.relatedTarget)) node.classList.remove('drop-over'); });
    node.addEventListener('drop', (ev) => {
      ev.preventDefault();
      node.classList.remove('drop-over');
      const s = dragging;
      dragging = null;
      if (s) onDrop(s);
    });
  }

  async function moveShift(s, st, date) {
    const from = wallDate(s.start);
    if (s.station_id === st.id && from === date) return;
    const shift = daysBetween(from, date);
    const body = {
      start: toRfc(date, wallTime(s.start)),
      end: toRfc(addDays(wallDate(s.end), shift), wallTime(s.end)),
    };
    if (s.station_id !== st.id) body.station_id = st.id;
    const name = s.counsellor_name || '';
    try {
      await api('PATCH', `/shifts/${s.id}`, body);
      toast(t('rosters.moved', { station: st.name, day: dayText(date) }));
    } catch (e) {
      if (e.status === 401) return;
      if (isRuleConflict(e)) conflictDialog(e, { name, lead: t('rosters.moveRefused', { name, station: st.name, day: dayText(date), band: band(s) }) });
      else toast(errorText(e), 'error');
    }
    load();
  }

  async function assign(s, c) {
    if (s.counsellor_id === c.id) return;
    try {
      await api('PATCH', `/shifts/${s.id}`, { counsellor_id: c.id });
      toast(t('rosters.assigned', { name: c.name }));
    } catch (e) {
      if (e.status === 401) return;
      if (isRuleConflict(e)) conflictDialog(e, { name: c.name, lead: t('rosters.assignRefused', { name: c.name, station: s.station_name || '', when: fmtRange(s.start, s.end, { year: false }) }) });
      else toast(errorText(e), 'error');
    }
    load();
  }

  // Click on a shift: assign / unassign, note, delete.
  function shiftDialog(s) {
    const d = openDialog({ title: t('shift.title'), test: 'shift-dialog', wide: true });
    const hours = hoursBy(data.shifts);
    const cur = s.counsellor_id;
    const pool = counsellors.filter((c) => c.active || c.id === cur);
    // busy ones stay in the list, disabled with the server's reason
    // (markBusy: GET /rosters/free, which knows every week and all leave)
    const reasons = new Map(pool.map((c) => [c.id, null]));
    const ordered = [...pool].sort((a, b) => (reasons.get(a.id) != null) - (reasons.get(b.id) != null) || (hours.get(a.id) || 0) - (hours.get(b.id) || 0) || a.id - b.id);
    const who = h('select', { class: 'input input-select', test: 'shift-counsellor' },
      h('option', { value: '' }, t('shift.unassigned')),
      ordered.map((c) => {
        const why = reasons.get(c.id);
        const label = t('shift.counsellorOption', { name: c.active ? c.name : t('counsellors.inactiveStation', { name: c.name }), hours: fmtHours(hours.get(c.id) || 0), max: c.max_weekly_hours ?? 40 });
        return h('option', { value: String(c.id), selected: c.id === cur, disabled: why != null, 'data-busy': why || null }, why ? `${label} — ${why}` : label);
      }));
    markBusy(who, `shift_id=${s.id}`, cur == null ? '' : String(cur));
    const away = leaveOver(s, data.leave);
    // the one-step swap: another assigned shift of this week
    const others = data.shifts.filter((x) => x.id !== s.id && x.counsellor_id != null && x.counsellor_id !== cur)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const swapPick = h('select', { class: 'input input-select', test: 'shift-swap-with', 'aria-label': t('shift.swapWith') },
      h('option', { value: '' }, t('shift.swapChoose')),
      // who first: on a phone the end of a long option is cut off
      others.map((x) => h('option', { value: String(x.id) }, `${x.counsellor_name || ''} · ${dayText(wallDate(x.start))} ${wdLong(isoDow(wallDate(x.start)))} ${band(x)} · ${x.station_name || ''}`)));
    const swapBtn = h('button', { type: 'button', class: 'btn', test: 'shift-swap' }, t('shift.swap'));
    const note = h('input', { type: 'text', class: 'input', maxlength: 200, value: s.note || '', test: 'shift-note' });
    const conflictArea = h('div', { class: 'conflict-area' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'shift-save' }, t('common.save'));
    const del = h('button', { type: 'button', class: 'btn btn-danger-ghost', test: 'shift-delete' }, t('shift.delete'));
    const form = h('form', { class: 'form', test: 'shift-form', novalidate: true },
      h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
      conflictArea,
      h('dl', { class: 'detail-grid' },
        h('dt', null, t('shift.station')), h('dd', { test: 'shift-station' }, s.station_name || `#${s.station_id}`),
        h('dt', null, t('shift.time')), h('dd', { test: 'shift-time' }, `${fmtRange(s.start, s.end, { weekday: true })}`),
        h('dt', null, t('shift.origin')), h('dd', null, t(s.origin === 'generated' ? 'shift.generated' : 'shift.manual'))),
      away ? h('div', { class: 'hd-warning', role: 'status', test: 'shift-leave-notice' }, onLeaveText(s.counsellor_name || '', away)) : null,
      field('shift', 'counsellor_id', t('shift.counsellor'), who, t('shift.busyHint')),
      field('shift', 'note', t('shift.note'), note),
      cur != null && others.length ? h('div', { class: 'field shift-swap-row', 'data-guard': 'off' },
        h('div', { class: 'field-label' }, t('shift.swapWith')),
        h('div', { class: 'copy-box' }, swapPick, swapBtn),
        h('div', { class: 'field-hint' }, t('shift.swapHint'))) : null,
      h('div', { class: 'form-actions' },
        h('span', { class: 'footer-left' }, del),
        h('button', { type: 'button', class: 'btn', test: 'shift-cancel', onclick: d.close }, t('common.cancel')),
        save));
    who.setAttribute('data-test', 'shift-counsellor');
    note.setAttribute('data-test', 'shift-note');
    d.body.appendChild(form);
    d.footer.remove();
    who.focus();

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFormErrors(form);
      clear(conflictArea);
      const body = {};
      const nextId = who.value ? Number(who.value) : null;
      if (nextId !== (cur ?? null)) body.counsellor_id = nextId;
      if (note.value.trim() !== (s.note || '')) body.note = note.value.trim();
      if (!Object.keys(body).length) { d.close(); return; }
      save.disabled = true;
      try {
        await api('PATCH', `/shifts/${s.id}`, body);
        d.close();
        toast(nextId == null && 'counsellor_id' in body ? t('shift.unassignedDone') : t('common.saved'));
        load();
      } catch (e) {
        save.disabled = false;
        if (e.status === 401) return;
        const c = nextId != null ? counsellors.find((x) => x.id === nextId) : null;
        if (isRuleConflict(e)) conflictArea.appendChild(conflictBox(e, c ? c.name : ''));
        else setFormError(form, errorText(e));
      }
    });
    swapBtn.addEventListener('click', async () => {
      clearFormErrors(form);
      clear(conflictArea);
      const other = others.find((x) => String(x.id) === swapPick.value);
      if (!other) { setFormError(form, t('shift.swapChooseFirst')); return; }
      const ok = await confirmDialog(t('shift.swapConfirm', {
        a: s.counsellor_name || '', b: other.counsellor_name || '',
        one: `${dayText(wallDate(s.start))} ${band(s)} ${s.station_name || ''}`, two: `${dayText(wallDate(other.start))} ${band(other)} ${other.station_name || ''}`,
      }), { okLabel: t('shift.swap') });
      if (!ok) return;
      swapBtn.disabled = true;
      try {
        await api('POST', '/shifts/swap', { shift_ids: [s.id, other.id] });
        d.close();
        toast(t('shift.swapped', { a: s.counsellor_name || '', b: other.counsellor_name || '' }));
        load();
      } catch (e) {
        swapBtn.disabled = false;
        if (e.status === 401) return;
        if (isRuleConflict(e)) conflictArea.appendChild(conflictBox(e, '', t('shift.swapRefused')));
        else setFormError(form, errorText(e));
      }
    });
    del.addEventListener('click', async () => {
      const ok = await confirmDialog(t(s.origin === 'generated' ? 'shift.confirmDeleteGenerated' : 'shift.confirmDelete', { when: fmtRange(s.start, s.end), station: s.station_name || '' }), { okLabel: t('shift.delete'), danger: true });
      if (!ok) return;
      try {
        await api('DELETE', `/shifts/${s.id}`);
        d.close();
        toast(t('shift.deleted'));
        load();
      } catch (e) {
        if (e.status !== 401) setFormError(form, errorText(e));
      }
    });
  }

  // New shift (toolbar or the + of a cell).
  function shiftForm(_unused, defaults = {}) {
    const d = openDialog({ title: t('shift.add'), test: 'shift-add-dialog', wide: true });
    const station = h('select', { class: 'input input-select' },
      h('option', { value: '', disabled: true, selected: defaults.station == null }, t('common.choose')),
      stations.filter((s) => s.active).map((s) => h('option', { value: String(s.id), selected: s.id === defaults.station }, s.name)));
    const date = h('input', { type: 'date', class: 'input', value: defaults.date || monday });
    const start = h('input', { type: 'time', class: 'input', step: 300, value: '09:00' });
    const end = h('input', { type: 'time', class: 'input', step: 300, value: '12:00' });
    const who = h('select', { class: 'input input-select' },
      h('option', { value: '' }, t('shift.unassigned')),
      counsellors.filter((c) => c.active).map((c) => h('option', { value: String(c.id) }, c.name)));
    // once the time is known, busy counsellors are disabled with the reason
    const refreshWho = () => {
      if (!isDate(date.value) || !start.value || !end.value || end.value <= start.value) return;
      const q = `start=${encodeURIComponent(toRfc(date.value, start.value))}&end=${encodeURIComponent(toRfc(date.value, end.value))}`;
      markBusy(who, q, '');
    };
    const note = h('input', { type: 'text', class: 'input', maxlength: 200 });
    const conflictArea = h('div', { class: 'conflict-area' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'newshift-save' }, t('common.save'));
    const form = h('form', { class: 'form', test: 'newshift-form', novalidate: true },
      h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
      conflictArea,
      h('div', { class: 'form-grid' },
        field('newshift', 'station_id', t('shift.station'), station),
        field('newshift', 'counsellor_id', t('shift.counsellor'), who),
        h('div', { class: 'form-span time-row' },
          field('newshift', 'date', t('shift.date'), date),
          field('newshift', 'start', t('shift.start'), start),
          field('newshift', 'end', t('shift.end'), end)),
        h('div', { class: 'form-span' }, field('newshift', 'note', t('shift.note'), note))),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')),
        save));
    station.setAttribute('data-test', 'newshift-station');
    who.setAttribute('data-test', 'newshift-counsellor');
    for (const i of [date, start, end]) i.addEventListener('change', refreshWho);
    refreshWho();
    d.body.appendChild(form);
    d.footer.remove();
    (defaults.station == null ? station : who).focus();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFormErrors(form);
      clear(conflictArea);
      let bad = false;
      if (!station.value) { setFieldError(form, 'station_id', t('common.required')); bad = true; }
      if (!isDate(date.value)) { setFieldError(form, 'date', t('common.required')); bad = true; }
      if (!start.value) { setFieldError(form, 'start', t('common.required')); bad = true; }
      if (!end.value) { setFieldError(form, 'end', t('common.required')); bad = true; }
      if (start.value && end.value && end.value <= start.value) { setFieldError(form, 'end', t('shift.error.endBeforeStart')); bad = true; }
      if (bad) { focusError(form); return; }
      const body = { station_id: Number(station.value), start: toRfc(date.value, start.value), end: toRfc(date.value, end.value) };
      if (who.value) body.counsellor_id = Number(who.value);
      if (note.value.trim()) body.note = note.value.trim();
      save.disabled = true;
      try {
        await api('POST', '/shifts', body);
        d.close();
        toast(t('shift.created'));
        if (mondayOf(date.value) !== monday) go(mondayOf(date.value)); else load();
      } catch (e) {
        save.disabled = false;
        if (e.status === 401) return;
        const c = counsellors.find((x) => String(x.id) === who.value);
        if (isRuleConflict(e)) conflictArea.appendChild(conflictBox(e, c ? c.name : ''));
        else if (e.field && setFieldError(form, e.field, e.message)) focusError(form);
        else setFormError(form, errorText(e));
      }
    });
  }

  load();
  return undefined;
}

/* ------------------------------------------------------------ generate */

function generateDialog(stations, monday, onDone) {
  let changed = false;
  const d = openDialog({ title: t('gen.title'), test: 'generate-dialog', wide: true, onClose: () => { if (changed) onDone(); } });
  const from = h('input', { type: 'date', class: 'input', value: monday });
  const to = h('input', { type: 'date', class: 'input', value: addDays(monday, 6) });
  const picks = h('div', { class: 'check-grid check-grid-wide', test: 'gen-stations', role: 'group', 'aria-label': t('gen.stations') },
    stations.filter((s) => s.active).map((s) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: String(s.id), test: `gen-station-${s.id}` }), h('span', null, s.name))));
  const result = h('div', { class: 'gen-result', test: 'gen-result', 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary', test: 'gen-run' }, t('gen.run'));
  const form = h('form', { class: 'form', test: 'gen-form', novalidate: true },
    h('p', { class: 'muted gen-intro' }, t('gen.intro')),
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('gen', 'from', t('gen.from'), from),
      field('gen', 'to', t('gen.to'), to),
      h('div', { class: 'form-span field' },
        h('div', { class: 'field-label' }, t('gen.stations')), picks,
        h('div', { class: 'field-hint' }, t('gen.stationsHint')))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'gen-close', onclick: () => d.close() }, t('common.close')),
      run),
    result);
  d.body.appendChild(form);
  d.footer.remove();
  const origClose = d.close;
  run.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    let bad = false;
    if (!isDate(from.value)) { setFieldError(form, 'from', t('common.required')); bad = true; }
    if (!isDate(to.value)) { setFieldError(form, 'to', t('common.required')); bad = true; }
    if (!bad && to.value < from.value) { setFieldError(form, 'to', t('gen.error.order')); bad = true; }
    if (!bad && daysBetween(from.value, to.value) > 91) { setFieldError(form, 'to', t('gen.error.long')); bad = true; }
    if (bad) { focusError(form); return; }
    const body = { from: from.value, to: to.value };
    const ids = [...picks.querySelectorAll('input:checked')].map((i) => Number(i.value));
    if (ids.length) body.station_ids = ids;
    run.disabled = true;
    run.textContent = t('gen.running');
    let r;
    try {
      r = await api('POST', '/rosters/generate', body);
    } catch (e) {
      run.disabled = false;
      run.textContent = t('gen.run');
      if (e.status === 401) { origClose(); return; }
      if (e.field && ['from', 'to'].includes(e.field)) setFieldError(form, e.field, e.field === 'to' ? t('gen.error.long') : t('common.invalid'));
      else setFormError(form, errorText(e));
      return;
    }
    run.disabled = false;
    run.textContent = t('gen.again');
    changed = true;
    showResult(r || {});
  });

  function showResult(r) {
    const hrs = r.hours || {};
    const unfilled = r.unfilled || [];
    const stat = (label, value, test, cls) => h('div', { class: `gen-stat ${cls || ''}` }, h('div', { class: 'gen-stat-value', test }, value), h('div', { class: 'gen-stat-label' }, label));
    const per = (hrs.per_counsellor || []).slice().sort((a, b) => b.hours - a.hours);
    add(clear(result),
      h('div', { class: 'gen-stats' },
        stat(t('gen.created'), String(r.created ?? 0), 'gen-created'),
        stat(t('gen.existing'), String(r.existing ?? 0), 'gen-existing'),
        stat(t('gen.unfilledN'), String(unfilled.length), 'gen-unfilled-count', unfilled.length ? 'is-gap' : '')),
      h('div', { class: 'gen-hours', test: 'gen-hours' },
        h('strong', null, t('gen.hours')), ' ',
        t('gen.hoursSpread', { min: fmtHours(hrs.min), max: fmtHours(hrs.max), sd: fmtHours(hrs.stddev) }),
        per.length ? h('span', { class: 'muted' }, ` · ${t('gen.hoursTop', { list: per.slice(0, 3).map((p) => `${p.name} ${fmtHours(p.hours)}`).join('、') })}`) : null),
      r.away_from_home ? h('div', { class: 'gen-hours', test: 'gen-away' },
        h('strong', null, t('gen.away', { n: r.away_from_home.total })), ' ',
        r.away_from_home.total
          ? Object.entries(r.away_from_home.by_reason || {}).filter(([, n]) => n > 0)
            .map(([k, n]) => h('span', { class: 'gen-away-reason', test: 'gen-away-reason', 'data-reason': k }, t('gen.awayReason', { reason: has(`gen.away.${k}`) ? t(`gen.away.${k}`) : k, n })))
          : h('span', { class: 'muted' }, t('gen.awayNone'))) : null,
      unfilled.length
        ? h('div', null,
          h('div', { class: 'gen-unfilled-title gap' }, t('gen.unfilledTitle', { n: unfilled.length })),
          h('div', { class: 'table-wrap gen-table' }, h('table', { class: 'table', test: 'gen-unfilled' },
            h('thead', null, h('tr', null, [t('shift.date'), t('shift.station'), t('shift.time'), t('gen.seat'), t('gen.reason')].map((x) => h('th', null, x)))),
            h('tbody', null, unfilled.map((u) => h('tr', { test: 'gen-unfilled-row' },
              h('td', null, `${dayText(u.date)} ${wdLong(isoDow(u.date))}`),
              h('td', null, u.station_name || `#${u.station_id}`),
              h('td', null, band(u)),
              h('td', { class: 'col-num' }, String((u.seat ?? 0) + 1)),
              h('td', { class: 'col-wrap', test: 'gen-reason', title: u.reason || '' }, reasonText(u.reason))))))))
        : h('div', { class: 'import-ok', test: 'gen-all-filled' }, t('gen.allFilled')));
  }
}

/* ------------------------------------------------- counsellor calendar */

const CAL_VIEWS = ['timeGridWeek', 'dayGridMonth'];

// "周一 3/1" over the columns of a week, the weekday alone over a month.
export function fcDayHeader(arg) {
  const d = arg.date.toISOString().slice(0, 10);
  return arg.view.type === 'dayGridMonth' ? wdLong(isoDow(d)) : `${wdLong(isoDow(d))} ${shortDay(d)}`;
}

// What the counsellor calendars (here and 我的排班) share: the options of
// a FullCalendar of shifts, a shift and a leave as calendar events, and the
// load error shown above the calendar.
export const SHIFT_CALENDAR = {
  slotMinTime: '07:00:00',
  slotMaxTime: '22:00:00',
  allDaySlot: false,
  nowIndicator: true,
  eventDisplay: 'block',
  eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
  slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
  dayCellContent: (arg) => String(arg.dayNumberText).replace(/日$/, ''),
};

export const shiftEvent = (s, title) => ({
  id: `s${s.id}`, title, start: fcWall(s.start), end: fcWall(s.end),
  classNames: ['shift-ev'], backgroundColor: '#2f6b9a', borderColor: '#2f6b9a', extendedProps: { shift: s },
});

export const leaveEvent = (a) => ({
  id: `a${a.id}`, title: a.reason ? t('ccal.leaveTitle', { reason: a.reason }) : t('ccal.leave'), start: fcWall(a.start), end: fcWall(a.end),
  display: 'background', classNames: ['leave-bg'], backgroundColor: '#f4b4ac', extendedProps: { leave: a },
});

// The failure callback of a calendar's event source: says so in loadError.
export function calendarFailed(e, loadError, ctx, failure) {
  if (e.status !== 401 && ctx.alive()) { loadError.textContent = t('ccal.loadFailed', { message: errorText(e) }); loadError.hidden = false; }
  failure(e);
}

async function renderCounsellorCal(el, ctx, id, date) {
  el.appendChild(loadingState());
  const counsellors = await listAll('/counsellors');
  if (!ctx.alive()) return undefined;
  if (!window.FullCalendar) {
    clear(el).appendChild(h('div', { class: 'state state-error' }, t('events.calendarUnavailable')));
    return undefined;
  }
  const pool = counsellors.filter((c) => c.active || c.id === id);
  const cid = id ?? rosterState.counsellor ?? (pool[0] && pool[0].id);
  const me = counsellors.find((c) => c.id === cid);
  if (!me) {
    add(clear(el), rosterTabs('counsellor'), h('div', { class: 'state state-empty', test: 'empty' }, t('ccal.none')));
    return undefined;
  }
  rosterState.counsellor = cid;
  const start = isDate(date) ? date : (rosterState.week || undefined);
  const pick = h('select', { class: 'input input-select', test: 'ccal-counsellor', 'aria-label': t('ccal.pick') },
    pool.map((c) => h('option', { value: String(c.id), selected: c.id === cid }, c.active ? c.name : t('counsellors.inactiveStation', { name: c.name }))));
  const calEl = h('div', { class: 'calendar', test: 'ccal' });
  const info = h('div', { class: 'ccal-info', test: 'ccal-info' });
  const loadError = h('div', { class: 'state state-error cal-error', role: 'alert', hidden: true });
  add(clear(el),
    rosterTabs('counsellor'),
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' }, h('label', { class: 'field-label', for: 'ccal-pick' }, t('ccal.pick')), pick, info),
      h('div', { class: 'roster-legend' },
        h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch chip-swatch-solid' }), t('ccal.legendShift')),
        h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch chip-swatch-leave' }), t('ccal.legendLeave')),
        h('span', { class: 'legend-hint' }, t('ccal.dragHint')))),
    loadError,
    h('section', { class: 'card card-calendar' }, calEl));
  pick.id = 'ccal-pick';
  pick.addEventListener('change', () => navigate(`rosters/counsellor/${pick.value}?date=${rosterState.week || ''}`));
  info.textContent = t('ccal.max', { max: me.max_weekly_hours ?? 40 });

  const cal = new window.FullCalendar.Calendar(calEl, {
    locale: getLang() === 'en' ? 'en' : 'zh-cn',
    timeZone: 'UTC',
    now: fcNow,
    initialView: CAL_VIEWS.includes(rosterState.calView) ? rosterState.calView : 'timeGridWeek',
    initialDate: start,
    firstDay: 1,
    headerToolbar: { left: 'prev,next today', center: 'title', right: 'timeGridWeek,dayGridMonth' },
    height: 'auto',
    editable: true,
    eventDurationEditable: true,
    ...SHIFT_CALENDAR,
    dayHeaderContent: fcDayHeader,
    events: (range, success, failure) => {
      const from = range.startStr.slice(0, 10);
      const to = addDays(range.endStr.slice(0, 10), -1);
      Promise.all([
        listAll(`/shifts?counsellor_id=${cid}&from=${from}&to=${to}`),
        listAll(`/availability?counsellor_id=${cid}&from=${from}&to=${to}`),
      ]).then(([shifts, leave]) => {
        loadError.hidden = true;
        success([
          ...shifts.filter((s) => s.status !== 'cancelled').map((s) => shiftEvent(s, s.station_name || `#${s.station_id}`)),
          ...leave.map(leaveEvent),
        ]);
      }, (e) => calendarFailed(e, loadError, ctx, failure));
    },
    datesSet: (arg) => {
      rosterState.calView = arg.view.type;
      rosterState.week = mondayOf(arg.view.currentStart.toISOString().slice(0, 10));
      history.replaceState(null, '', `#/rosters/counsellor/${cid}?date=${rosterState.week}`);
    },
    eventDidMount: (arg) => {
      const s = arg.event.extendedProps.shift;
      if (!s) { arg.el.setAttribute('data-test', 'ccal-leave'); return; }
      arg.el.setAttribute('data-test', 'ccal-shift');
      arg.el.setAttribute('data-id', String(s.id));
      arg.el.title = `${s.station_name || ''}\n${fmtRange(s.start, s.end)}`;
    },
    eventDrop: (arg) => moved(arg),
    eventResize: (arg) => moved(arg),
  });

  async function moved(arg) {
    const s = arg.event.extendedProps.shift;
    if (!s) { arg.revert(); return; }
    const body = { start: fromFc(arg.event.start), end: fromFc(arg.event.end || new Date(arg.event.start.getTime() + (Date.parse(s.end) - Date.parse(s.start)))) };
    try {
      await api('PATCH', `/shifts/${s.id}`, body);
      toast(t('ccal.moved', { when: fmtRange(body.start, body.end) }));
      cal.refetchEvents();
    } catch (e) {
      arg.revert();
      if (e.status === 401) return;
      if (isRuleConflict(e)) conflictDialog(e, { name: me.name, lead: t('ccal.moveRefused', { name: me.name, when: fmtRange(body.start, body.end, { year: false }) }) });
      else toast(errorText(e), 'error');
    }
  }

  cal.render();
  return () => cal.destroy();
}

/* --------------------------------------------------------- print sheet */

const DISTRICT_KEY = 'hearth.printDistrict';

async function renderPrint(el, ctx, monday) {
  rosterState.week = monday;
  el.appendChild(loadingState());
  const [stations, data] = await Promise.all([listAll('/stations'), loadWeek(monday)]);
  if (!ctx.alive()) return undefined;
  let district = '';
  try { district = localStorage.getItem(DISTRICT_KEY) || ''; } catch { /* storage blocked */ }
  const sunday = addDays(monday, 6);
  const days = daysOf(monday);
  const sheetTitle = () => t('print.title', { district, range: rangeText(monday, sunday) }).trim();

  const districtInput = h('input', { type: 'text', class: 'input input-district', maxlength: 20, value: district, placeholder: t('print.districtPlaceholder'), test: 'print-district', 'aria-label': t('print.district') });
  const titleEl = h('h2', { class: 'sheet-title', test: 'sheet-title' }, sheetTitle());
  districtInput.addEventListener('input', () => {
    district = districtInput.value.trim();
    try { localStorage.setItem(DISTRICT_KEY, district); } catch { /* storage blocked */ }
    titleEl.textContent = sheetTitle();
    document.title = sheetTitle();
  });
  const go = (w) => navigate(`rosters/print?week=${w}`);

  const { shifts, holidays } = data;
  const withShifts = new Set(shifts.map((s) => s.station_id));
  const rows = stations.filter((s) => withShifts.has(s.id));
  const byCell = new Map();
  for (const s of shifts) {
    const k = `${s.station_id}|${wallDate(s.start)}`;
    if (!byCell.has(k)) byCell.set(k, []);
    byCell.get(k).push(s);
  }
  // one line per time band: "09:00–12:00 林晓岚、何沐阳"
  const cellLines = (list) => {
    const bands = new Map();
    for (const s of list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.counsellor_id == null) - (b.counsellor_id == null))) {
      const k = band(s);
      if (!bands.has(k)) bands.set(k, []);
      bands.get(k).push(s);
    }
    return [...bands].map(([b, ss]) => h('div', { class: 'sheet-line' },
      h('span', { class: 'sheet-time' }, b),
      h('span', { class: 'sheet-names' }, ss.map((s, i) => [
        i ? t('print.sep') : null,
        s.counsellor_id == null ? h('span', { class: 'sheet-open' }, t('rosters.open')) : h('span', null, s.counsellor_name || `#${s.counsellor_id}`),
      ]))));
  };

  const table = h('table', { class: 'sheet-table', test: 'sheet-table' },
    h('colgroup', null, h('col', { class: 'sheet-col-station' }), days.map(() => h('col', null))),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('rosters.station')),
      days.map((d) => {
        const hd = holidays.get(d);
        return h('th', { scope: 'col', class: hd ? (hd.kind === 'holiday' ? 'is-holiday' : 'is-workday') : '' },
          h('div', null, wdLong(isoDow(d))),
          h('div', { class: 'sheet-date' }, shortDay(d), hd ? ' ' : null, holidayBadge(hd)));
      }))),
    h('tbody', null, rows.length ? rows.map((st) => h('tr', { test: 'sheet-row' },
      h('th', { scope: 'row' }, st.name),
      days.map((d) => {
        const hd = holidays.get(d);
        const list = byCell.get(`${st.id}|${d}`) || [];
        if (!list.length) return h('td', { class: hd && hd.kind === 'holiday' ? 'sheet-off' : 'sheet-none' }, hd && hd.kind === 'holiday' ? t('print.off') : '');
        return h('td', null, cellLines(list));
      })))
      : h('tr', null, h('td', { colspan: 8, class: 'sheet-empty' }, t('print.empty')))));

  const openCount = shifts.filter((s) => s.counsellor_id == null).length;
  const now = todayWall();
  add(clear(el),
    rosterTabs('print', { week: `rosters/${monday}`, print: `rosters/print?week=${monday}` }),
    h('div', { class: 'toolbar no-print' },
      h('div', { class: 'toolbar-left' }, weekNav(monday, go, 'print'),
        h('label', { class: 'field-label', for: 'print-district' }, t('print.district')), districtInput),
      h('div', { class: 'toolbar-right' },
        h('a', { class: 'btn', href: `#/rosters/${monday}`, test: 'print-back' }, t('print.back')),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'print-button', onclick: () => window.print() }, t('print.print')))),
    h('p', { class: 'muted no-print print-hint' }, t('print.hint')),
    h('section', { class: 'sheet', test: 'sheet' },
      titleEl,
      h('div', { class: 'table-wrap sheet-wrap' }, table),
      h('div', { class: 'sheet-foot' },
        h('span', null, t('print.made', { date: dayText(now, { year: true }) })),
        openCount ? h('span', { class: 'sheet-open-note' }, t('print.openNote', { n: openCount })) : null,
        h('span', null, t('print.contact')))));
  districtInput.id = 'print-district';
  const prevTitle = document.title;
  document.title = sheetTitle();
  document.body.classList.add('printing-sheet');
  return () => { document.body.classList.remove('printing-sheet'); document.title = prevTitle; };
}
