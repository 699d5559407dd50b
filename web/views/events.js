// 活动计划 (#/events): the quarterly planning calendar (FullCalendar month,
// week and list views), filters, the event form with conflict messages,
// drag to reschedule with a reason, the event details with their change
// history, and CSV export / import.
//
// #/events/2022-08 (or /2022-08-19) opens at that date; a third part
// (dayGridMonth, timeGridWeek, listMonth) picks the view.
import { h, clear } from '../lib/dom.js';
import { api, listAll, apiUrl } from '../lib/api.js';
import { t, has, getLang } from '../lib/i18n.js';
import {
  toast, openDialog, errorText, loadingState, field, setFieldError, clearFormErrors, setFormError,
  focusError,
} from '../ui.js';
import { registerView } from '../app.js';
import {
  KINDS, AUDIENCES, STATUSES, REMINDER_CHOICES, KIND_COLORS, CANCELLED_COLOR,
  kindLabel, audienceLabel, statusLabel, kindBadge, statusPill, legend,
  wallDate, wallTime, todayWall, toRfc, fcWall, fromFc, fcNow, addDays,
  fmtDate, fmtRange, fmtStamp, conflictPanel, promptReason, dlRow, add, markHeld,
} from './event-util.js';
import { participantsHref } from './participants.js';
import './participants-i18n.js';
import './roster-util-i18n.js';
import { eventSurveySection } from './counselling.js';
import { registrationsSection } from './registrations.js';
import './events-i18n.js';
import './counsellors-i18n.js';

const VIEWS = ['dayGridMonth', 'timeGridWeek', 'listMonth'];
const state = { station: '', kind: '', audience: '', status: '', view: 'dayGridMonth', date: null };

const stationLabel = (s) => (s.active ? s.name : t('counsellors.inactiveStation', { name: s.name }));

function filterSelect(test, ariaKey, allKey, options, value, onchange) {
  const sel = h('select', { class: 'input input-select', test, 'aria-label': t(ariaKey) },
    h('option', { value: '' }, t(allKey)),
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  sel.addEventListener('change', () => onchange(sel.value));
  return sel;
}

// A 4xx/5xx without conflicts: next to its field, or above the form.
function showEventError(form, e, fieldMap = {}) {
  const f = e.field ? (fieldMap[e.field] || e.field) : null;
  if (f && (e.status === 422 || e.status === 409)) {
    let msg;
    if (/required|missing/i.test(e.message || '')) msg = t('common.required');
    else if (has(`events.error.${e.field}`)) msg = t(`events.error.${e.field}`);
    else msg = e.message;
    if (setFieldError(form, f, msg)) { focusError(form); return; }
  }
  setFormError(form, errorText(e));
}

const isConflict = (e) => e && e.status === 409 && Array.isArray(e.detail && e.detail.conflicts) && e.detail.conflicts.length > 0;

registerView('events', {
  titleKey: 'events.title',
  navKey: 'nav.events',
  order: 40,
  icon: 'calendar',
  async render(el, ctx) {
    const [p0, p1] = ctx.params;
    if (p0 && /^\d{4}-\d{2}(-\d{2})?$/.test(p0)) state.date = p0.length === 7 ? `${p0}-01` : p0;
    if (p1 && VIEWS.includes(p1)) state.view = p1;

    el.appendChild(loadingState());
    const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors')]);
    if (!ctx.alive()) return undefined;
    const data = {
      stations,
      counsellors,
      stationById: new Map(stations.map((s) => [s.id, s])),
      counsellorById: new Map(counsellors.map((c) => [c.id, c])),
    };
    // 休/班 days: filled by the calendar's holiday source, asked for
    // one date at a time by the event form and the reschedule dialog.
    data.holidays = new Map();
    data.holidayOn = (date) => holidayOn(data, date);
    const reloadStations = async () => {
      data.stations = await listAll('/stations');
      data.stationById = new Map(data.stations.map((s) => [s.id, s]));
    };

    if (!window.FullCalendar) {
      clear(el).appendChild(h('div', { class: 'state state-error' }, t('events.calendarUnavailable')));
      return undefined;
    }

    const refetch = () => cal.refetchEvents();
    const loadError = h('div', { class: 'state state-error cal-error', test: 'events-error', role: 'alert', hidden: true });
    const stationFilter = filterSelect('events-filter-station', 'events.filter.station', 'events.filter.allStations',
      stations.map((s) => [String(s.id), stationLabel(s)]), state.station, (v) => { state.station = v; refetch(); });
    const kindFilter = filterSelect('events-filter-kind', 'events.filter.kind', 'events.filter.allKinds',
      KINDS.map((k) => [k, kindLabel(k)]), state.kind, (v) => { state.kind = v; refetch(); });
    const audienceFilter = filterSelect('events-filter-audience', 'events.filter.audience', 'events.filter.allAudiences',
      AUDIENCES.map((a) => [a, audienceLabel(a)]), state.audience, (v) => { state.audience = v; refetch(); });
    const statusFilter = filterSelect('events-filter-status', 'events.filter.status', 'events.filter.allStatuses',
      STATUSES.map((s) => [s, statusLabel(s)]), state.status, (v) => { state.status = v; refetch(); });
    const month = h('input', { type: 'month', class: 'input input-month', test: 'events-month', 'aria-label': t('events.jump'), title: t('events.jump') });
    month.addEventListener('change', () => { if (/^\d{4}-\d{2}$/.test(month.value)) cal.gotoDate(`${month.value}-01`); });
    const exportLink = h('a', { class: 'btn', test: 'events-export', href: apiUrl('/events.csv'), title: t('events.exportHint') }, t('events.export'));
    const importBtn = h('button', { type: 'button', class: 'btn', test: 'events-import' }, t('events.import'));
    const addBtn = h('button', { type: 'button', class: 'btn btn-primary', test: 'event-add' }, '+ ' + t('events.add'));
    const calEl = h('div', { class: 'calendar', test: 'calendar' });

    add(clear(el),
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' }, stationFilter, kindFilter, audienceFilter, statusFilter, month),
        h('div', { class: 'toolbar-right' }, importBtn, exportLink, addBtn)),
      legend(),
      loadError,
      h('section', { class: 'card card-calendar' }, calEl));

    const openForm = (ev, defaults) => eventForm(ev, data, defaults, (saved) => {
      if (saved && saved.start) cal.gotoDate(wallDate(saved.start));
      refetch();
    });
    const openEvent = (id) => eventDetail(id, data, {
      changed: refetch,
      edit: (ev) => openForm(ev),
    });
    addBtn.addEventListener('click', () => {
      const today = todayWall();
      const { currentStart, currentEnd } = cal.view;
      const first = currentStart.toISOString().slice(0, 10);
      const last = addDays(currentEnd.toISOString().slice(0, 10), -1);
      openForm(null, { date: today >= first && today <= last ? today : first });
    });
    importBtn.addEventListener('click', () => importDialog(data, reloadStations, (events) => {
      const starts = (events || []).map((e) => e.start).filter(Boolean).sort();
      if (starts.length) cal.gotoDate(wallDate(starts[0]));
      refetch();
    }));

    const cal = new window.FullCalendar.Calendar(calEl, {
      locale: getLang() === 'en' ? 'en' : 'zh-cn',
      timeZone: 'UTC', // fed with station wall times, see event-util.js
      now: fcNow,
      initialView: VIEWS.includes(state.view) ? state.view : 'dayGridMonth',
      initialDate: state.date || undefined,
      firstDay: 1,
      headerToolbar: { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,listMonth' },
      height: 'auto',
      eventDisplay: 'block',
      dayMaxEvents: 4,
      editable: true,
      eventStartEditable: true,
      eventDurationEditable: true,
      slotMinTime: '07:00:00',
      slotMaxTime: '22:00:00',
      scrollTime: '08:00:00',
      allDaySlot: false,
      nowIndicator: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      // "5" rather than "5日" in the month grid
      dayCellContent: (arg) => String(arg.dayNumberText).replace(/日$/, ''),
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      events: (info, success, failure) => {
        const from = info.startStr.slice(0, 10);
        const to = addDays(info.endStr.slice(0, 10), -1);
        const qs = new URLSearchParams({ from, to });
        if (state.station) qs.set('station_id', state.station);
        if (state.kind) qs.set('kind', state.kind);
        if (state.audience) qs.set('audience', state.audience);
        if (state.status) qs.set('status', state.status);
        listAll('/events?' + qs).then((items) => {
          loadError.hidden = true;
          success(items.map(toFcEvent));
        }, (e) => {
          if (e.status !== 401 && ctx.alive()) {
            loadError.textContent = t('events.loadFailed', { message: errorText(e) });
            loadError.hidden = false;
          }
          failure(e);
        });
      },
      datesSet: (info) => {
        state.view = info.view.type;
        const cs = info.view.currentStart.toISOString().slice(0, 10);
        state.date = cs;
        month.value = cs.slice(0, 7);
        const from = info.view.currentStart.toISOString().slice(0, 10);
        const to = addDays(info.view.currentEnd.toISOString().slice(0, 10), -1);
        exportLink.href = apiUrl(`/events.csv?${new URLSearchParams({ from, to })}`);
        exportLink.setAttribute('download', `events-${from}-${to}.csv`);
      },
      eventDidMount: (info) => {
        const hd = info.event.extendedProps.holiday;
        if (hd) {
          info.el.setAttribute('data-test', hd.kind === 'holiday' ? 'cal-holiday' : 'cal-workday');
          info.el.setAttribute('data-date', hd.date);
          info.el.title = hd.kind === 'holiday' ? t('holiday.offTitle', { name: hd.name || '' }) : t('holiday.workTitle', { name: hd.name || '', wd: t(`wd.long.${hd.as_weekday || 1}`) });
          return;
        }
        const ev = info.event.extendedProps.ev;
        info.el.setAttribute('data-test', 'cal-event');
        info.el.setAttribute('data-id', String(ev.id));
        info.el.setAttribute('data-status', ev.status || '');
        const station = ev.station_id != null ? data.stationById.get(ev.station_id) : null;
        const where = [station ? station.name : '', ev.venue || ''].filter(Boolean).join(' · ');
        info.el.title = [`${kindLabel(ev.kind)} · ${ev.title}`, fmtRange(ev.start, ev.end), where, statusLabel(ev.status)].filter(Boolean).join('\n');
        if (info.view.type.startsWith('list')) {
          const cell = info.el.querySelector('.fc-list-event-title');
          if (cell) {
            cell.appendChild(h('span', { class: 'list-meta' }, kindLabel(ev.kind), where ? ` · ${where}` : ''));
          }
        }
      },
      eventClick: (info) => {
        if (!info.event.extendedProps.ev) return;
        info.jsEvent.preventDefault();
        openEvent(info.event.extendedProps.ev.id);
      },
      dateClick: (info) => {
        const date = info.dateStr.slice(0, 10);
        if (info.view.type === 'timeGridWeek') {
          const start = info.dateStr.slice(11, 16) || '14:30';
          const [hh, mm] = start.split(':').map(Number);
          const end = `${String(Math.min(23, hh + 2)).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
          openForm(null, { date, start, end });
        } else openForm(null, { date });
      },
      eventSources: [{
        id: 'holidays',
        events: (info, success) => {
          const from = info.startStr.slice(0, 10);
          const to = addDays(info.endStr.slice(0, 10), -1);
          listAll(`/holidays?from=${from}&to=${to}`).then((items) => {
            for (const x of items) data.holidays.set(x.date, x);
            const timed = cal.view && cal.view.type.startsWith('timeGrid');
            success(items.map((x) => holidayEvent(x, timed)));
          }, () => success([])); // the calendar works without them
        },
      }],
      eventDrop: (info) => dragged(info),
      eventResize: (info) => dragged(info),
    });

    async function dragged(info) {
      const ev = info.event.extendedProps.ev;
      const start = fromFc(info.event.start);
      const end = info.event.end ? fromFc(info.event.end) : fromFc(new Date(info.event.start.getTime() + (Date.parse(ev.end) - Date.parse(ev.start))));
      const done = await rescheduleDialog(ev, { start, end }, data);
      if (!done) info.revert();
      else refetch();
    }

    cal.render();
    if (ctx.params[0]) {
      // the hash only chose where to open
      history.replaceState(null, '', '#/events');
    }
    return () => cal.destroy();
  },
});

function toFcEvent(ev) {
  const cancelled = ev.status === 'cancelled';
  const color = cancelled ? CANCELLED_COLOR : (KIND_COLORS[ev.kind] || '#667085');
  const prefix = cancelled ? `${t('events.cancelledPrefix')} ` : (ev.status === 'held' ? '✓ ' : '');
  const locked = cancelled || ev.status === 'held';
  return {
    id: String(ev.id),
    title: prefix + (ev.title || ''),
    start: fcWall(ev.start),
    end: fcWall(ev.end),
    backgroundColor: color,
    borderColor: color,
    textColor: cancelled ? '#4b5563' : '#ffffff',
    classNames: ['ev', `ev-${ev.status || 'planned'}`, `ev-kind-${ev.kind}`],
    editable: !locked,
    extendedProps: { ev },
  };
}

// A 休/班 day as a background event: the whole day in the month grid,
// 07:00–22:00 in the week grid (it has no all-day row).
function holidayEvent(x, timed) {
  const off = x.kind === 'holiday';
  const title = `${t(off ? 'holiday.off' : 'holiday.work')}${x.name ? ` · ${x.name}` : ''}`;
  return {
    id: `hd-${x.date}`, title, display: 'background', groupId: 'holidays',
    ...(timed ? { start: `${x.date}T07:00:00`, end: `${x.date}T22:00:00` } : { start: x.date, allDay: true }),
    classNames: ['hd-bg', off ? 'hd-bg-off' : 'hd-bg-work'],
    backgroundColor: off ? '#fde2df' : '#e4e9f0',
    extendedProps: { holiday: x },
  };
}

// The holiday row of a date (or null), from the calendar's cache or asked.
async function holidayOn(data, date) {
  if (data.holidays.has(date)) return data.holidays.get(date);
  try {
    const items = await listAll(`/holidays?from=${date}&to=${date}`);
    const x = items.find((i) => i.date === date) || null;
    data.holidays.set(date, x);
    return x;
  } catch {
    return null;
  }
}

// A warning under the time of a form when its date is a 休 day (or a 班
// day: people expect work then, but say so): filled as the date changes.
function holidayWarning(data, dateInput) {
  const box = h('div', { class: 'hd-warning', role: 'status', test: 'holiday-warning', hidden: true });
  let seq = 0;
  const check = async () => {
    const n = ++seq;
    const date = dateInput.value;
    const x = /^\d{4}-\d{2}-\d{2}$/.test(date) ? await data.holidayOn(date) : null;
    if (n !== seq) return;
    box.hidden = !x;
    box.className = x && x.kind === 'workday' ? 'hd-warning hd-warning-work' : 'hd-warning';
    box.textContent = !x ? '' : x.kind === 'holiday'
      ? t('events.onHoliday', { date: fmtDate(`${date}T12:00:00+08:00`, { weekday: true }), name: x.name || t('holiday.off') })
      : t('events.onWorkday', { date: fmtDate(`${date}T12:00:00+08:00`, { weekday: true }), name: x.name || '' });
  };
  dateInput.addEventListener('change', check);
  dateInput.addEventListener('input', check);
  check();
  return box;
}

/* ---------------------------------------------------------- event form */

function eventForm(ev, data, defaults = {}, onSaved) {
  const editing = Boolean(ev);
  const d = openDialog({ title: t(editing ? 'events.edit' : 'events.add'), test: 'event-dialog', wide: true });

  const kind = h('select', { class: 'input input-select' },
    h('option', { value: '', disabled: true, selected: !editing }, t('common.choose')),
    KINDS.map((k) => h('option', { value: k, selected: editing && ev.kind === k }, kindLabel(k))));
  const title = h('input', { type: 'text', class: 'input', maxlength: 100, value: editing ? ev.title : '' });
  const curStation = editing ? ev.station_id : null;
  const station = h('select', { class: 'input input-select' },
    h('option', { value: '' }, t('events.districtWide')),
    data.stations.filter((s) => s.active || s.id === curStation)
      .map((s) => h('option', { value: String(s.id), selected: s.id === curStation }, stationLabel(s))));
  const venue = h('input', { type: 'text', class: 'input', maxlength: 100, placeholder: t('events.venuePlaceholder'), value: editing ? ev.venue || '' : '' });
  const date = h('input', { type: 'date', class: 'input', value: editing ? wallDate(ev.start) : defaults.date || todayWall() });
  const start = h('input', { type: 'time', class: 'input', step: 300, value: editing ? wallTime(ev.start) : defaults.start || '14:30' });
  const end = h('input', { type: 'time', class: 'input', step: 300, value: editing ? wallTime(ev.end) : defaults.end || '16:30' });
  if (editing) for (const i of [date, start, end]) i.disabled = true;
  const audience = h('select', { class: 'input input-select' },
    AUDIENCES.map((a) => h('option', { value: a, selected: (editing ? ev.audience : 'mixed') === a }, audienceLabel(a))));
  const chosen = new Set(editing ? ev.speaker_ids || [] : []);
  const speakerPool = data.counsellors.filter((c) => c.active || chosen.has(c.id));
  const speakers = h('div', { class: 'check-grid', test: 'speakers', role: 'group', 'aria-label': t('events.speakers'), tabindex: '-1' },
    speakerPool.length ? speakerPool.map((c) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: String(c.id), checked: chosen.has(c.id), test: `speaker-${c.id}` }),
      h('span', null, c.active ? c.name : t('counsellors.inactiveStation', { name: c.name }))))
      : h('span', { class: 'muted' }, t('events.speakersNone')));
  const external = h('input', { type: 'text', class: 'input', maxlength: 100, placeholder: t('events.externalSpeakerPlaceholder'), value: editing ? ev.external_speaker || '' : '' });
  const capacity = h('input', { type: 'number', class: 'input input-num', min: 0, max: 100000, step: 1, inputmode: 'numeric', placeholder: t('events.noLimit'), value: editing && ev.capacity != null ? String(ev.capacity) : '' });
  const isPublic = h('input', { type: 'checkbox', test: 'event-public', checked: editing ? Boolean(ev.public) : false });
  const curRem = editing ? ev.reminders || [] : [1440, 60];
  const remChoices = [...new Set([...REMINDER_CHOICES, ...curRem])].sort((a, b) => b - a);
  const reminders = h('div', { class: 'check-row', test: 'reminders', role: 'group', 'aria-label': t('events.reminders'), tabindex: '-1' },
    remChoices.map((m) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: String(m), checked: curRem.includes(m), test: `reminder-${m}` }),
      h('span', null, has(`events.reminder.${m}`) ? t(`events.reminder.${m}`) : t('events.reminder.other', { minutes: m })))));
  const status = h('select', { class: 'input input-select' },
    ['planned', 'confirmed'].map((s) => h('option', { value: s }, statusLabel(s))));
  const description = h('textarea', { class: 'input textarea', rows: 3, maxlength: 2000 });
  description.value = editing ? ev.description || '' : '';

  const conflictArea = h('div', { class: 'conflict-area' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'event-save' }, t('common.save'));
  const checkWrap = (name, label, input, hint) => {
    input.setAttribute('aria-describedby', `event-${name}-error`);
    return h('div', { class: 'field', 'data-field': name },
      h('div', { class: 'field-label', id: `event-${name}-label` }, label), input,
      hint ? h('div', { class: 'field-hint' }, hint) : null,
      h('div', { class: 'field-error', id: `event-${name}-error`, test: `error-${name}`, 'aria-live': 'polite' }));
  };
  const form = h('form', { class: 'form', test: 'event-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    conflictArea,
    h('div', { class: 'form-grid' },
      field('event', 'kind', t('events.kind'), kind),
      field('event', 'title', t('events.name'), title),
      field('event', 'station_id', t('events.station'), station),
      field('event', 'venue', t('events.venue'), venue),
      h('div', { class: 'form-span' },
        h('div', { class: 'time-row' },
          field('event', 'date', t('events.date'), date),
          field('event', 'start', t('events.start'), start),
          field('event', 'end', t('events.end'), end)),
        h('div', { class: 'field-hint time-hint' }, editing ? t('events.timeLocked') : t('events.timeHint')),
        editing ? null : holidayWarning(data, date)),
      field('event', 'audience', t('events.audience'), audience),
      editing ? null : field('event', 'status', t('events.initialStatus'), status),
      h('div', { class: 'form-span' }, checkWrap('speaker_ids', t('events.speakers'), speakers)),
      field('event', 'external_speaker', t('events.externalSpeaker'), external),
      field('event', 'capacity', t('events.capacity'), capacity, t('events.capacityHint')),
      h('div', { class: 'form-span' }, checkWrap('reminders', t('events.reminders'), reminders)),
      h('div', { class: 'form-span field', 'data-field': 'public' },
        h('label', { class: 'check' }, isPublic, h('span', null, t('events.public'))),
        h('div', { class: 'field-error', test: 'error-public' })),
      h('div', { class: 'form-span' }, field('event', 'description', t('events.description'), description))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'event-cancel', onclick: d.close }, t('common.cancel')),
      save));
  // short hooks
  station.setAttribute('data-test', 'event-station');
  external.setAttribute('data-test', 'event-external');
  d.body.appendChild(form);
  d.footer.remove();
  (editing ? title : kind).focus();

  const collect = () => {
    const body = {
      kind: kind.value,
      title: title.value.trim(),
      description: description.value.replace(/\s+$/, ''),
      station_id: station.value ? Number(station.value) : null,
      venue: venue.value.trim(),
      audience: audience.value,
      speaker_ids: [...speakers.querySelectorAll('input:checked')].map((i) => Number(i.value)),
      external_speaker: external.value.trim(),
      public: isPublic.checked,
      reminders: [...reminders.querySelectorAll('input:checked')].map((i) => Number(i.value)),
    };
    let bad = false;
    if (!body.kind) { setFieldError(form, 'kind', t('events.error.kind')); bad = true; }
    if (!body.title) { setFieldError(form, 'title', t('common.required')); bad = true; }
    const cv = capacity.value.trim();
    if (cv === '') body.capacity = null;
    else {
      const n = Number(cv);
      if (!Number.isInteger(n) || n < 0 || n > 100000) { setFieldError(form, 'capacity', t('events.error.capacity')); bad = true; } else body.capacity = n;
    }
    if (!editing) {
      if (!date.value) { setFieldError(form, 'date', t('events.error.date')); bad = true; }
      if (!start.value) { setFieldError(form, 'start', t('common.required')); bad = true; }
      if (!end.value) { setFieldError(form, 'end', t('common.required')); bad = true; }
      if (date.value && start.value && end.value && end.value <= start.value) { setFieldError(form, 'end', t('events.error.endBeforeStart')); bad = true; }
      body.start = toRfc(date.value, start.value);
      body.end = toRfc(date.value, end.value);
      body.status = status.value;
    }
    return bad ? null : body;
  };

  // Only what changed goes in a PATCH, so an untouched speaker list is not re-checked.
  const diff = (body) => {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const out = {};
    const orig = {
      ...ev,
      description: ev.description || '', venue: ev.venue || '', external_speaker: ev.external_speaker || '',
      station_id: ev.station_id ?? null, capacity: ev.capacity ?? null, public: Boolean(ev.public),
      speaker_ids: [...(ev.speaker_ids || [])].sort((a, b) => a - b), reminders: [...(ev.reminders || [])].sort((a, b) => b - a),
    };
    const cur = { ...body, speaker_ids: [...body.speaker_ids].sort((a, b) => a - b), reminders: [...body.reminders].sort((a, b) => b - a) };
    for (const k of Object.keys(cur)) if (!same(cur[k], orig[k])) out[k] = body[k];
    return out;
  };

  async function submit(force, reason) {
    clearFormErrors(form);
    clear(conflictArea);
    const collected = collect();
    if (!collected) { focusError(form); return; }
    let body = collected;
    if (editing) {
      body = diff(collected);
      if (Object.keys(body).length === 0) { d.close(); return; }
    } else {
      for (const k of ['description', 'venue', 'external_speaker']) if (!body[k]) delete body[k];
      if (body.station_id == null) delete body.station_id;
    }
    if (force) { body.force = true; body.force_reason = reason; }
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      const saved = editing ? await api('PATCH', `/events/${ev.id}`, body) : await api('POST', '/events', body);
      d.close();
      toast(editing ? t('events.saved') : t('events.created', { title: collected.title }));
      onSaved(saved || body);
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      if (isConflict(e)) {
        conflictArea.appendChild(conflictPanel(e, (why) => submit(true, why)));
        d.body.scrollTop = 0;
        return;
      }
      showEventError(form, e);
    }
  }
  form.addEventListener('submit', (evt) => { evt.preventDefault(); submit(false); });
}

/* ---------------------------------------------------------- reschedule */

// Resolves true once rescheduled, false when abandoned.
function rescheduleDialog(ev, proposed, data) {
  return new Promise((resolve) => {
    let result = false;
    const d = openDialog({ title: t('reschedule.title'), test: 'reschedule-dialog', wide: true, onClose: () => resolve(result) });
    const target = proposed || { start: ev.start, end: ev.end };
    const date = h('input', { type: 'date', class: 'input', value: wallDate(target.start) });
    const start = h('input', { type: 'time', class: 'input', step: 300, value: wallTime(target.start) });
    const end = h('input', { type: 'time', class: 'input', step: 300, value: wallTime(target.end) });
    const multiDay = wallDate(target.start) !== wallDate(target.end);
    const endDate = wallDate(target.end);
    const reason = h('textarea', { class: 'input textarea', rows: 2, maxlength: 200, placeholder: t('reschedule.reasonPlaceholder') });
    const conflictArea = h('div', { class: 'conflict-area' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'reschedule-ok' }, t('reschedule.ok'));
    const form = h('form', { class: 'form', test: 'reschedule-form', novalidate: true },
      h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
      conflictArea,
      h('p', { class: 'resched-event' }, kindBadge(ev.kind), h('strong', null, ev.title)),
      h('dl', { class: 'resched-times' },
        dlRow(t('reschedule.from'), fmtRange(ev.start, ev.end, { weekday: true }), 'reschedule-from'),
        dlRow(t('reschedule.to'), h('span', { test: 'reschedule-to' }, fmtRange(target.start, target.end, { weekday: true })))),
      h('div', { class: 'time-row' },
        field('resched', 'date', t('events.date'), date),
        field('resched', 'start', t('events.start'), start),
        field('resched', 'end', t('events.end'), end)),
      data ? holidayWarning(data, date) : null,
      field('resched', 'reason', t('reschedule.reason'), reason),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', test: 'reschedule-cancel', onclick: d.close }, t('common.cancel')),
        save));
    d.body.appendChild(form);
    d.footer.remove();
    const toLabel = form.querySelector('[data-test="reschedule-to"]');
    const times = () => ({
      start: toRfc(date.value, start.value),
      end: multiDay ? toRfc(addDays(endDate, daysBetween(wallDate(target.start), date.value)), end.value) : toRfc(date.value, end.value),
    });
    for (const i of [date, start, end]) i.addEventListener('change', () => {
      if (date.value && start.value && end.value) { const x = times(); toLabel.textContent = fmtRange(x.start, x.end, { weekday: true }); }
    });
    reason.focus();

    async function submit(force, why) {
      clearFormErrors(form);
      clear(conflictArea);
      const r = reason.value.trim();
      let bad = false;
      if (!date.value) { setFieldError(form, 'date', t('events.error.date')); bad = true; }
      if (!start.value) { setFieldError(form, 'start', t('common.required')); bad = true; }
      if (!end.value) { setFieldError(form, 'end', t('common.required')); bad = true; }
      if (!r) { setFieldError(form, 'reason', t('reason.required')); bad = true; }
      const x = bad ? null : times();
      if (x && Date.parse(x.end) <= Date.parse(x.start)) { setFieldError(form, 'end', t('events.error.endBeforeStart')); bad = true; }
      if (x && Date.parse(x.start) === Date.parse(ev.start) && Date.parse(x.end) === Date.parse(ev.end)) { setFormError(form, t('reschedule.same')); return; }
      if (bad) { focusError(form); return; }
      const body = { start: x.start, end: x.end, reason: r };
      if (force) { body.force = true; body.force_reason = why; }
      save.disabled = true;
      try {
        await api('POST', `/events/${ev.id}/reschedule`, body);
        result = true;
        toast(t('reschedule.done'));
        d.close();
      } catch (e) {
        save.disabled = false;
        if (e.status === 401) { d.close(); return; }
        if (isConflict(e)) {
          conflictArea.appendChild(conflictPanel(e, (fr) => submit(true, fr)));
          return;
        }
        showEventError(form, e, { start: 'start', end: 'end' });
      }
    }
    form.addEventListener('submit', (evt) => { evt.preventDefault(); submit(false); });
  });
}

function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/* -------------------------------------------------------------- detail */

function historyTimeline(items) {
  if (!items.length) return h('p', { class: 'muted', test: 'history-empty' }, t('detail.historyEmpty'));
  return h('ol', { class: 'timeline', test: 'history' }, items.map((it) => {
    const kindKey = `history.${it.kind}`;
    const lines = [];
    const hasOld = it.old_start && it.old_end;
    const hasNew = it.new_start && it.new_end;
    if (hasOld && hasNew && (it.old_start !== it.new_start || it.old_end !== it.new_end)) {
      lines.push(h('div', { class: 'tl-change', test: 'history-change' },
        h('span', { class: 'tl-old' }, fmtRange(it.old_start, it.old_end)), ' → ',
        h('span', { class: 'tl-new' }, fmtRange(it.new_start, it.new_end))));
    } else if (hasNew && it.kind === 'created') {
      lines.push(h('div', { class: 'tl-change' }, t('history.time', { when: fmtRange(it.new_start, it.new_end) })));
    }
    if (it.reason) lines.push(h('div', { class: 'tl-reason', test: 'history-reason' }, t('history.reason', { reason: it.reason })));
    return h('li', { class: `tl-item tl-${it.kind}`, test: 'history-item', 'data-kind': it.kind },
      h('div', { class: 'tl-head' },
        h('span', { class: 'tl-kind', test: 'history-kind' }, has(kindKey) ? t(kindKey) : it.kind),
        h('span', { class: 'tl-at' }, fmtStamp(it.at)),
        h('span', { class: 'tl-user' }, it.username || t('history.system'))),
      lines);
  }));
}

function eventDetail(id, data, { changed, edit }) {
  const d = openDialog({ title: t('detail.title'), test: 'event-detail', wide: true });
  const titleEl = d.dialog.querySelector('.dialog-title');

  async function load() {
    clear(d.body).appendChild(loadingState());
    clear(d.footer);
    let ev;
    let hist;
    try {
      [ev, hist] = await Promise.all([
        api('GET', `/events/${id}`),
        api('GET', `/events/${id}/history`).catch((e) => ({ error: e })),
      ]);
    } catch (e) {
      if (e.status === 401) { d.close(); return; }
      clear(d.body).appendChild(h('div', { class: 'state state-error', role: 'alert' }, errorText(e)));
      d.footer.appendChild(h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.close')));
      return;
    }
    if (!d.dialog.isConnected) return;
    titleEl.textContent = ev.title;
    const station = ev.station_id != null ? data.stationById.get(ev.station_id) : null;
    const speakerNames = (ev.speaker_ids || []).map((sid) => {
      const c = data.counsellorById.get(sid);
      return c ? c.name : t('detail.speakerUnknown', { id: sid });
    });
    if (ev.external_speaker) speakerNames.push(ev.external_speaker);
    const reminders = (ev.reminders || []).slice().sort((a, b) => b - a)
      .map((m) => (has(`events.reminder.${m}`) ? t(`events.reminder.${m}`) : t('events.reminder.other', { minutes: m })));
    const moved = ev.planned_start && Date.parse(ev.planned_start) !== Date.parse(ev.start);
    const cancelled = ev.status === 'cancelled';

    add(clear(d.body),
      h('div', { class: 'detail-head' }, kindBadge(ev.kind), statusPill(ev.status),
        ev.public ? h('span', { class: 'ev-flag' }, t('events.public').split(/[（(]/)[0]) : null),
      h('dl', { class: cancelled ? 'detail-grid is-cancelled' : 'detail-grid', test: 'event-fields' },
        dlRow(t('events.time'), fmtRange(ev.start, ev.end, { weekday: true }), 'detail-time'),
        moved ? dlRow(t('events.plannedTime'), `${fmtDate(ev.planned_start)} ${wallTime(ev.planned_start)}`, 'detail-planned') : null,
        dlRow(t('events.station'), station ? station.name : (ev.station_id != null ? `#${ev.station_id}` : t('events.districtWide')), 'detail-station'),
        dlRow(t('events.venue'), ev.venue || '—', 'detail-venue'),
        dlRow(t('events.audience'), audienceLabel(ev.audience), 'detail-audience'),
        dlRow(t('events.speakers'), speakerNames.length ? speakerNames.join('、') : '—', 'detail-speakers'),
        dlRow(t('events.capacity'), ev.capacity != null ? String(ev.capacity) : t('events.noLimit'), 'detail-capacity'),
        dlRow(t('events.public').split(/[（(]/)[0], ev.public ? t('events.yes') : t('events.no'), 'detail-public'),
        dlRow(t('events.reminders'), reminders.length ? reminders.join('、') : '—', 'detail-reminders'),
        dlRow(t('detail.mail'), h('a', { href: `#/outbox/event/${ev.id}`, test: 'detail-mail-link', onclick: () => d.close() },
          t('detail.mailLink')), 'detail-mail'),
        ev.description ? dlRow(t('events.description'), h('div', { class: 'pre' }, ev.description), 'detail-description') : null),
      registrationsSection(ev.id),
      h('h3', { class: 'section-title' }, t('detail.history')),
      hist && hist.error
        ? h('div', { class: 'state state-error' }, t('detail.historyFailed', { message: errorText(hist.error) }))
        : historyTimeline((hist && hist.items) || []),
      // Satisfaction: results and paper tallies (counselling.js).
      ev.status === 'cancelled' ? null : eventSurveySection(ev.id));

    const started = Date.now() >= Date.parse(ev.start);
    const open = ev.status === 'planned' || ev.status === 'confirmed';
    const act = (test, label, cls, fn, extra = {}) => h('button', { type: 'button', class: `btn ${cls}`, test, onclick: fn, ...extra }, label);
    const after = (msg) => { toast(msg); changed(); load(); };
    const fail = (e) => { if (e.status !== 401) toast(errorText(e), 'error'); };
    add(d.footer,
      h('span', { class: 'footer-left' },
        open ? act('event-cancel-event', t('detail.cancelEvent'), 'btn-danger-ghost', async () => {
          const reason = await promptReason({
            title: t('detail.cancelTitle'), label: t('detail.cancelLabel'), placeholder: t('detail.cancelPlaceholder'),
            okLabel: t('detail.cancelOk'), cancelLabel: t('detail.keep'), danger: true, test: 'cancel-dialog',
          });
          if (reason == null) return;
          try { await api('POST', `/events/${ev.id}/cancel`, { reason }); after(t('detail.cancelled')); } catch (e) { fail(e); }
        }) : null),
      open ? act('event-edit', t('common.edit'), '', () => { d.close(); edit(ev); }) : null,
      open ? act('event-reschedule', t('detail.reschedule'), '', async () => {
        if (await rescheduleDialog(ev, null, data)) { changed(); load(); }
      }) : null,
      ev.status === 'planned' ? act('event-confirm', t('detail.confirm'), '', async () => {
        try { await api('PATCH', `/events/${ev.id}`, { status: 'confirmed' }); after(t('detail.confirmed')); } catch (e) { fail(e); }
      }) : null,
      open ? act('event-held', t('detail.markHeld'), '', async () => {
        // asks first: what follows cannot be taken back (event-util.js)
        if (await markHeld(ev)) { changed(); load(); }
      }, { disabled: !started, title: started ? null : t('detail.notStarted') }) : null,
      ev.status === 'cancelled' ? null : h('a', { class: 'btn', test: 'event-participants', href: participantsHref(ev.id), onclick: () => d.close() }, t('pp.open')),
      act('event-detail-close', t('common.close'), 'btn-primary', d.close));
  }
  load();
}

/* -------------------------------------------------------------- import */

const IMPORT_FIELDS = {
  date: 'events.date', station: 'events.station', title: 'events.name', category: 'events.kind',
  audience: 'events.audience', start_time: 'events.start', end_time: 'events.end', venue: 'events.venue', public: 'import.public',
};

// A row error in the UI language; the server's own text stays in the tooltip.
function importMessage(er) {
  const msg = er.message || '';
  // The value quoted ("…" or “…”) or after the last colon (: or ：).
  const m = /"([^"]*)"/.exec(msg) || /“([^”]*)”/.exec(msg) || /[:：]\s*([^:：]+)$/.exec(msg);
  const value = m ? m[1] : '';
  const key = `import.err.${er.field}`;
  if (!has(key)) return msg;
  return t(key, { value }) + (value && er.field !== 'station' && er.field !== 'category' && er.field !== 'audience' ? t('import.valueSuffix', { value }) : '');
}

function importDialog(data, reloadStations, onDone) {
  const d = openDialog({ title: t('import.title'), test: 'import-dialog', wide: true });
  const file = h('input', { type: 'file', class: 'input input-file', accept: '.csv,text/csv', test: 'import-file' });
  const createStations = h('input', { type: 'checkbox', test: 'import-create-stations' });
  const result = h('div', { class: 'import-result', test: 'import-result', 'aria-live': 'polite' });
  const check = h('button', { type: 'button', class: 'btn', test: 'import-check' }, t('import.check'));
  const confirm = h('button', { type: 'button', class: 'btn btn-primary', test: 'import-confirm', disabled: true }, t('import.confirm'));
  let text = null;
  let raw = null; // the file's bytes, sent as they are: the server tells GB18030 from UTF-8
  let checkedOk = false;

  add(d.body,
    h('div', { class: 'field' },
      h('label', { class: 'field-label', for: 'import-file' }, t('import.file')),
      file,
      h('div', { class: 'field-hint' }, t('import.fileHint'))),
    h('label', { class: 'check check-single' }, createStations, h('span', null, t('import.createStations'))),
    result);
  file.id = 'import-file';
  add(d.footer,
    h('button', { type: 'button', class: 'btn', test: 'import-cancel', onclick: d.close }, t('common.cancel')),
    check, confirm);

  // The preview's events are in file order; a station still to be created
  // has no id yet, so its name is read from the file itself.
  let csvStations = [];
  const stationName = (ev, i) => {
    if (ev.station_name) return ev.station_name;
    const s = ev.station_id != null ? data.stationById.get(ev.station_id) : null;
    if (s) return s.name;
    if (ev.station_id != null) return `#${ev.station_id}`;
    return csvStations[i] ? t('import.newStation', { name: csvStations[i] }) : '—';
  };

  async function send(dry) {
    if (text == null) {
      const f = file.files && file.files[0];
      if (!f) { clear(result).appendChild(h('div', { class: 'form-error' }, t('import.chooseFile'))); return; }
      if (f.size > 1024 * 1024) { clear(result).appendChild(h('div', { class: 'form-error' }, t('import.tooLarge'))); return; }
      raw = new Uint8Array(await f.arrayBuffer());
      text = decodeCsv(raw);
      csvStations = csvColumn(text, 'station');
    }
    const qs = new URLSearchParams();
    if (dry) qs.set('dry_run', '1');
    if (createStations.checked) qs.set('create_stations', '1');
    const btn = dry ? check : confirm;
    const label = btn.textContent;
    btn.disabled = true;
    btn.textContent = t(dry ? 'import.checking' : 'import.importing');
    let r;
    try {
      r = await api('POST', `/events/import${qs.toString() ? '?' + qs : ''}`, raw, { contentType: 'text/csv' });
    } catch (e) {
      btn.textContent = label;
      check.disabled = false;
      confirm.disabled = true;
      checkedOk = false;
      if (e.status === 401) { d.close(); return; }
      const errors = (e.detail && Array.isArray(e.detail.errors)) ? e.detail.errors : [];
      clear(result);
      if (errors.length) {
        add(result,
          h('div', { class: 'form-error', test: 'import-errors-title' }, t('import.errors', { n: errors.length })),
          h('div', { class: 'table-wrap import-table' }, h('table', { class: 'table', test: 'import-errors' },
            h('tbody', null, errors.map((er) => h('tr', { test: 'import-error' },
              h('td', { class: 'import-line' }, er.line != null ? t('import.line', { line: er.line }) : ''),
              h('td', null, IMPORT_FIELDS[er.field] ? t(IMPORT_FIELDS[er.field]) : er.field || ''),
              h('td', { class: 'col-wrap', title: er.message || '' }, importMessage(er))))))));
      } else result.appendChild(h('div', { class: 'form-error', test: 'import-error' }, errorText(e)));
      return;
    }
    btn.textContent = label;
    const events = (r && r.events) || [];
    const skipped = (r && Array.isArray(r.skipped_rows)) ? r.skipped_rows : [];
    if (!dry) {
      const n = r && r.created != null ? r.created : events.length;
      toast(skipped.length ? t('import.doneSkipped', { n, skipped: skipped.length }) : t('import.done', { n }));
      d.close();
      if (createStations.checked) await reloadStations().catch(() => {});
      onDone(events);
      return;
    }
    checkedOk = true;
    check.disabled = false;
    confirm.disabled = events.length === 0;
    confirm.textContent = t('import.confirmN', { n: events.length });
    const shown = events.slice(0, 200);
    if (events.length === 0 && skipped.length) {
      add(clear(result), h('div', { class: 'muted', test: 'import-preview-title' }, t('import.nothingNew')), skippedTable(skipped));
      return;
    }
    add(clear(result),
      h('div', { class: 'import-ok', test: 'import-preview-title' }, t('import.preview', { n: events.length })),
      h('div', { class: 'table-wrap import-table' }, h('table', { class: 'table', test: 'import-preview' },
        h('thead', null, h('tr', null,
          [t('events.date'), t('events.time'), t('events.station'), t('events.name'), t('events.kind'), t('events.audience')].map((x) => h('th', null, x)))),
        h('tbody', null, shown.map((ev, i) => h('tr', { test: 'import-row' },
          h('td', null, wallDate(ev.start)),
          h('td', null, `${wallTime(ev.start)}–${wallTime(ev.end)}`),
          h('td', null, stationName(ev, i)),
          h('td', { class: 'col-wrap' }, ev.title || ''),
          h('td', null, kindLabel(ev.kind)),
          h('td', null, audienceLabel(ev.audience))))))),
      events.length > shown.length ? h('div', { class: 'muted' }, t('import.more', { n: events.length - shown.length })) : null,
      skipped.length ? skippedTable(skipped) : null);
  }

  const reset = () => { confirm.disabled = true; confirm.textContent = t('import.confirm'); checkedOk = false; };
  file.addEventListener('change', () => { text = null; raw = null; reset(); if (file.files && file.files[0]) send(true); });
  createStations.addEventListener('change', () => { reset(); if (file.files && file.files[0]) send(true); });
  check.addEventListener('click', () => send(true));
  confirm.addEventListener('click', () => { if (checkedOk) send(false); });
}

// Rows of the file that are already events (same day, station and
// title): not created again; the server says which.
function skippedTable(rows) {
  const shown = rows.slice(0, 200);
  return h('div', { class: 'import-skipped' },
    h('div', { class: 'muted', test: 'import-skipped-title' }, t('import.skipped', { n: rows.length })),
    h('div', { class: 'table-wrap import-table' }, h('table', { class: 'table', test: 'import-skipped' },
      h('tbody', null, shown.map((x) => h('tr', { test: 'import-skipped-row' },
        h('td', { class: 'import-line' }, x.line != null ? t('import.line', { line: x.line }) : ''),
        h('td', null, x.date || ''),
        h('td', { class: 'col-wrap' }, x.title || '')))))),
    rows.length > shown.length ? h('div', { class: 'muted' }, t('import.more', { n: rows.length - shown.length })) : null);
}

// The text of a CSV file for the preview: UTF-8, or else GB18030 (what
// Chinese Excel and WPS save), as the server reads it.
function decodeCsv(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

// The values of one column of a CSV text (RFC 4180 quoting), data rows only.
function csvColumn(text, name) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.some((c) => c !== '')) rows.push(row);
      row = [];
    } else cell += ch;
  }
  row.push(cell);
  if (row.some((c) => c !== '')) rows.push(row);
  const col = rows.length ? rows[0].map((c) => c.trim().toLowerCase()).indexOf(name) : -1;
  return col < 0 ? [] : rows.slice(1).map((r) => (r[col] || '').trim());
}
