// 我的排班 (#/me, #/me/2027-03-01): a counsellor's own console page: own
// shifts in a calendar with their leave in the background, 申报请假,
// 申请换班 (give a shift away, or swap it with a given shift), and their
// leave and requests. Counsellors see only this view.
// 值班记录: at the top the shifts still to log (待填写) and the last two
// weeks' shifts, each 填写值班记录 or 已记录; past shifts in the calendar
// say the same, and the form opens from them (views/duty-util.js).
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, emptyState, errorState, field, setFieldError,
  clearFormErrors, setFormError, focusError, dataTable,
} from '../ui.js';
import { registerView } from '../app.js';
import { fcNow, add, fmtStamp } from './event-util.js';
import { isDate, mondayOf, thisMonday, fmtLeave, fmtRange, addDays, band, dayText, wdLong, isoDow, wallDate, wallTime, swapStatusPill, leaveStatusPill, fmtHours, shiftHours, hoursBy, isoWeek } from './roster-util.js';
import { leaveForm } from './roster-setup.js';
import { fcDayHeader, SHIFT_CALENDAR, shiftEvent, leaveEvent, calendarFailed } from './rosters.js';
import { ensureDutyStyle, openLogForm, logBadge } from './duty-util.js';
import { myCasesSection } from './my-cases.js';
import './my-roster-i18n.js';
import { passwordDialog } from './accounts.js';

const state = { date: null, view: 'timeGridWeek', shown: false };
const VIEWS = ['timeGridWeek', 'dayGridMonth', 'listWeek', 'listMonth'];
// A phone starts on the week as a list of days (the week grid is too
// narrow at 390 px), its buttons led by that list.
const narrow = () => window.matchMedia && window.matchMedia('(max-width: 760px)').matches;

// The path of a feed URL (what subscribe.html?feed= takes), or null.
function feedPath(url) {
  try { const u = new URL(url, location.href); return /^\/feeds\/.+\.ics$/.test(u.pathname) ? u.pathname : null; } catch { return null; }
}

// Leave as a line of the list; whole days read 全天.
function listLeave(a) {
  const ev = { ...leaveEvent(a), display: 'auto', classNames: ['leave-item'], backgroundColor: '#e07a2f', borderColor: '#e07a2f' };
  if (wallTime(a.start) === '00:00' && wallTime(a.end) === '00:00') return { ...ev, allDay: true, start: wallDate(a.start), end: wallDate(a.end) };
  return ev;
}

// 订阅到手机日历: the own subscribe page when GET /me names the feed
// (feed_url), else where the link comes from.
function subscribeCard(me) {
  const path = me.feed_url ? feedPath(me.feed_url) : null;
  return h('section', { class: 'card me-sub', test: 'me-subscribe' },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('me.subTitle'))),
    path
      ? [h('p', { class: 'muted' }, t('me.subText')),
        h('a', { class: 'btn btn-primary', href: `/subscribe.html?feed=${encodeURIComponent(path)}`, target: '_blank', rel: 'noopener', test: 'me-subscribe-link' }, t('me.subOpen'))]
      : h('p', { class: 'muted', test: 'me-subscribe-ask' }, t('me.subAsk')));
}

registerView('me', {
  titleKey: 'me.title',
  navKey: 'nav.me',
  order: 5,
  icon: 'calendar',
  roles: ['counsellor'],
  async render(el, ctx) {
    const p0 = ctx.params[0];
    if (isDate(p0)) state.date = p0;
    el.appendChild(loadingState());
    const me = await api('GET', '/me');
    if (!ctx.alive()) return undefined;
    if (!window.FullCalendar) {
      clear(el).appendChild(h('div', { class: 'state state-error' }, t('events.calendarUnavailable')));
      return undefined;
    }
    let shown = []; // shifts of the calendar range
    const calEl = h('div', { class: 'calendar', test: 'my-calendar' });
    const weekInfo = h('span', { class: 'me-week', test: 'me-week' });
    const leaveBox = h('div', { class: 'results' });
    const reqBox = h('div', { class: 'results' });
    const loadError = h('div', { class: 'state state-error cal-error', role: 'alert', hidden: true });
    ensureDutyStyle();
    const dutyBox = h('div', { test: 'my-duty' });
    const logged = new Set(); // shift ids with a log, for the calendar
    // The weekly duty summary by mail (Monday 08:00), on unless turned off.
    const weekly = h('input', { type: 'checkbox', test: 'me-weekly-mail', checked: me.weekly_mail !== false });
    weekly.addEventListener('change', async () => {
      weekly.disabled = true;
      try {
        const r = await api('PATCH', '/me', { weekly_mail: weekly.checked });
        weekly.checked = r.weekly_mail !== false;
        toast(t(weekly.checked ? 'me.weeklyOn' : 'me.weeklyOff'));
      } catch (e) {
        weekly.checked = !weekly.checked;
        if (e.status !== 401) toast(errorText(e), 'error');
      } finally {
        weekly.disabled = false;
      }
    });

    add(clear(el),
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left me-head' },
          h('strong', { class: 'me-name', test: 'me-name' }, me.name || ''),
          h('span', { class: 'muted' }, t('me.max', { max: me.max_weekly_hours ?? 40 })),
          weekInfo,
          h('label', { class: 'me-weekly muted' }, weekly, ' ', t('me.weeklyMail'))),
        h('div', { class: 'toolbar-right' },
          h('button', { type: 'button', class: 'btn', test: 'me-password', onclick: passwordDialog }, t('pw.open')),
          h('button', { type: 'button', class: 'btn', test: 'me-leave', onclick: () => leaveForm({ self: true, onSaved: () => { cal.refetchEvents(); loadLeave(); } }) }, t('me.declareLeave')),
          h('button', { type: 'button', class: 'btn btn-primary', test: 'me-swap', onclick: () => swapDialog(null) }, t('me.requestSwap')))),
      h('div', { class: 'roster-legend' },
        h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch chip-swatch-solid' }), t('ccal.legendShift')),
        h('span', { class: 'legend-item' }, h('span', { class: 'chip-swatch chip-swatch-leave' }), t('ccal.legendLeave')),
        h('span', { class: 'legend-hint' }, t('me.clickHint'))),
      loadError,
      h('section', { class: 'card', test: 'my-duty-card' },
        h('div', { class: 'duty-card-head' }, h('h2', { class: 'card-title' }, t('duty.myLogs')), h('span', { class: 'card-hint' }, t('duty.pendingHint'))),
        dutyBox),
      h('section', { class: 'card card-calendar' }, calEl),
      h('div', { class: 'two-col' },
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('me.myLeave'))), leaveBox),
        h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('me.myRequests')), h('span', { class: 'card-hint' }, t('me.requestsHint'))), reqBox)));
    // 订阅到手机日历, then 重点个案 and 回访 of this counsellor (my-cases.js).
    el.appendChild(subscribeCard(me));
    el.appendChild(myCasesSection(me));

    const knownShifts = new Map(); // id → shift, for the requests list

    const cal = new window.FullCalendar.Calendar(calEl, {
      locale: getLang() === 'en' ? 'en' : 'zh-cn',
      timeZone: 'UTC',
      now: fcNow,
      initialView: !state.shown && narrow() ? 'listWeek' : VIEWS.includes(state.view) ? state.view : 'timeGridWeek',
      initialDate: state.date || undefined,
      firstDay: 1,
      headerToolbar: { left: 'prev,next today', center: 'title', right: narrow() ? 'listWeek,timeGridWeek,listMonth' : 'timeGridWeek,dayGridMonth,listWeek,listMonth' },
      // a day of the list: "12月2日 星期三", one line
      views: {
        listWeek: { buttonText: t('me.viewDays'), listDayFormat: { month: 'long', day: 'numeric', weekday: 'long' }, listDaySideFormat: false },
        listMonth: { buttonText: t('me.viewMonthList'), listDayFormat: { month: 'long', day: 'numeric', weekday: 'long' }, listDaySideFormat: false },
      },
      height: 'auto',
      ...SHIFT_CALENDAR,
      dayHeaderContent: (arg) => (arg.view.type.startsWith('list') ? arg.text : fcDayHeader(arg)),
      noEventsContent: () => t('me.noShifts'),
      events: (range, success, failure) => {
        const from = range.startStr.slice(0, 10);
        const to = addDays(range.endStr.slice(0, 10), -1);
        Promise.all([listAll(`/me/shifts?from=${from}&to=${to}`), listAll('/me/availability'),
          listAll(`/duty-logs?from=${from}&to=${to}`)]).then(([shifts, leave, logs]) => {
          loadError.hidden = true;
          for (const l of logs) logged.add(l.shift_id);
          shown = shifts.filter((s) => s.status !== 'cancelled');
          for (const s of shown) knownShifts.set(s.id, s);
          updateWeekInfo();
          // a list has no background: leave is a line of its own there
          const list = cal.view && cal.view.type.startsWith('list');
          success([...shown.map((s) => shiftEvent(s, shiftTitle(s))),
            ...leave.map((a) => (list ? listLeave(a) : leaveEvent(a)))]);
        }, (e) => calendarFailed(e, loadError, ctx, failure));
      },
      datesSet: (arg) => {
        // list and grid show leave differently
        if (state.view && state.view.startsWith('list') !== arg.view.type.startsWith('list')) queueMicrotask(() => cal.refetchEvents());
        state.shown = true;
        state.view = arg.view.type;
        state.date = arg.view.currentStart.toISOString().slice(0, 10);
        history.replaceState(null, '', `#/me/${state.date}`);
      },
      eventDidMount: (arg) => {
        const s = arg.event.extendedProps.shift;
        if (!s) { arg.el.setAttribute('data-test', 'my-leave-ev'); return; }
        arg.el.setAttribute('data-test', 'my-shift');
        arg.el.setAttribute('data-id', String(s.id));
        arg.el.title = `${s.station_name || ''}\n${fmtRange(s.start, s.end)}`;
      },
      eventClick: (arg) => {
        const s = arg.event.extendedProps.shift;
        if (!s) return;
        arg.jsEvent.preventDefault();
        shiftDetail(s);
      },
    });

    // Past shifts say whether their log is written.
    function shiftTitle(s) {
      const name = s.station_name || `#${s.station_id}`;
      if (Date.parse(s.start) > Date.now()) return name;
      return `${name} · ${logged.has(s.id) ? t('duty.logged') : t('duty.fill')}`;
    }

    // 待填写 (missing logs still open to the counsellor) and the last two
    // weeks' shifts with their state.
    async function loadDuty() {
      clear(dutyBox).appendChild(loadingState());
      const today = wallDate(new Date());
      let missing;
      let recent;
      let logs;
      try {
        [missing, recent, logs] = await Promise.all([
          listAll('/duty-logs?missing=1'),
          listAll(`/me/shifts?from=${addDays(today, -14)}&to=${today}`),
          listAll(`/duty-logs?from=${addDays(today, -14)}&to=${today}`),
        ]);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(dutyBox).appendChild(errorState(e, loadDuty));
        return;
      }
      if (!ctx.alive()) return;
      const byShift = new Map(logs.map((l) => [l.shift_id, l]));
      for (const l of logs) logged.add(l.shift_id);
      const open = missing.filter((x) => x.editable);
      const closedCount = missing.length - open.length;
      const item = (s, log, test) => h('li', null, h('button', {
        type: 'button', class: 'duty-item', test, 'data-id': String(s.id || s.shift_id),
        onclick: () => openLogForm(s.id || s.shift_id, { onSaved: saved }),
      },
      h('span', { class: 'duty-item-main' },
        h('span', { class: 'duty-item-when' }, `${dayText(wallDate(s.start))} ${wdLong(isoDow(wallDate(s.start)))} ${band(s)}`),
        h('span', { class: 'duty-item-where' }, s.station_name || '')),
      log ? h('span', { class: 'duty-item-go is-done' }, logBadge(log)) : h('span', { class: 'duty-item-go' }, `${t('duty.fill')} ›`)));
      const past = recent.filter((s) => s.status !== 'cancelled' && Date.parse(s.start) <= Date.now())
        .sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
      add(clear(dutyBox),
        h('h3', { class: 'section-title', test: 'my-duty-pending-title' }, t('duty.pending'),
          open.length ? h('span', { class: 'duty-count', test: 'my-duty-pending-count' }, String(open.length)) : null),
        open.length
          ? h('ul', { class: 'duty-list', test: 'my-duty-pending' }, open.map((x) => item(x, null, 'my-duty-pending-item')))
          : h('p', { class: 'muted', test: 'my-duty-pending-none' }, t('duty.pendingNone')),
        closedCount ? h('p', { class: 'muted' }, t('duty.pendingClosed', { n: closedCount })) : null,
        h('h3', { class: 'section-title' }, t('duty.recent')),
        past.length
          ? h('ul', { class: 'duty-list', test: 'my-duty-recent' }, past.map((s) => item(s, byShift.get(s.id), 'my-duty-recent-item')))
          : h('p', { class: 'muted' }, t('duty.recentNone')));
    }

    function saved(log) {
      logged.add(log.shift_id);
      loadDuty();
      cal.refetchEvents();
    }

    function updateWeekInfo() {
      const start = cal.view ? cal.view.currentStart.toISOString().slice(0, 10) : thisMonday();
      if (cal.view && cal.view.type === 'timeGridWeek') {
        const hrs = hoursBy(shown).get(me.id) || 0;
        weekInfo.textContent = t('me.weekHours', { week: Number(isoWeek(mondayOf(start)).slice(6)), hours: fmtHours(hrs) });
      } else {
        weekInfo.textContent = t('me.periodShifts', { n: shown.length, hours: fmtHours(shown.reduce((n, s) => n + shiftHours(s), 0)) });
      }
    }

    function shiftDetail(s) {
      const d = openDialog({ title: t('me.shiftTitle'), test: 'my-shift-dialog' });
      add(d.body, h('dl', { class: 'detail-grid' },
        h('dt', null, t('shift.station')), h('dd', null, s.station_name || `#${s.station_id}`),
        h('dt', null, t('shift.time')), h('dd', null, fmtRange(s.start, s.end, { weekday: true })),
        h('dt', null, t('me.shiftId')), h('dd', { class: 'mono', test: 'my-shift-id' }, String(s.id)),
        s.note ? [h('dt', null, t('shift.note')), h('dd', null, s.note)] : null));
      const started = Date.parse(s.start) <= Date.now();
      add(d.footer,
        h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.close')),
        started ? h('button', { type: 'button', class: logged.has(s.id) ? 'btn' : 'btn btn-primary', test: 'my-shift-log',
          onclick: () => { d.close(); openLogForm(s.id, { onSaved: saved }); } }, logged.has(s.id) ? `${t('duty.logged')} · ${t('duty.view')}` : t('duty.fill')) : null,
        h('button', { type: 'button', class: 'btn btn-primary', test: 'my-shift-swap', onclick: () => { d.close(); swapDialog(s); } }, t('me.requestSwap')));
    }

    // 申请换班: one of my shifts, given away or swapped with a colleague's
    // shift picked from the list the server says would fit both.
    async function swapDialog(preset) {
      const d = openDialog({ title: t('me.swapTitle'), test: 'swap-dialog', wide: true });
      d.body.appendChild(loadingState());
      const base = state.date && state.date > '2000' ? state.date : thisMonday();
      let mine;
      try {
        mine = await listAll(`/me/shifts?from=${base}&to=${addDays(base, 91)}`);
      } catch (e) {
        if (e.status === 401) { d.close(); return; }
        clear(d.body).appendChild(errorState(e));
        return;
      }
      if (!d.dialog.isConnected) return;
      mine = mine.filter((s) => s.status !== 'cancelled').sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      if (preset && !mine.some((s) => s.id === preset.id)) mine.unshift(preset);
      for (const s of mine) knownShifts.set(s.id, s);
      clear(d.body);
      if (!mine.length) {
        d.body.appendChild(emptyState(t('me.noUpcoming')));
        d.footer.appendChild(h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.close')));
        return;
      }
      const pick = h('select', { class: 'input input-select' },
        mine.map((s) => h('option', { value: String(s.id), selected: preset && preset.id === s.id }, `${dayText(wallDate(s.start))} ${wdLong(isoDow(wallDate(s.start)))} ${band(s)} · ${s.station_name || ''}`)));
      const give = h('input', { type: 'radio', name: 'swap-mode', value: 'give', checked: true, test: 'swap-mode-give' });
      const swap = h('input', { type: 'radio', name: 'swap-mode', value: 'swap', test: 'swap-mode-swap' });
      const other = h('select', { class: 'input input-select', disabled: true });
      const otherNote = h('div', { class: 'field-hint swap-other-note', test: 'swap-other-note', role: 'status' });
      let optionsFor = null;
      // The colleagues' shifts that both could take after the exchange.
      async function loadOptions() {
        if (!swap.checked) return;
        const id = pick.value;
        if (optionsFor === id) return;
        optionsFor = id;
        clear(other).appendChild(h('option', { value: '' }, t('common.loading')));
        other.disabled = true;
        otherNote.textContent = '';
        let items;
        try {
          items = await listAll(`/me/swap-options?shift_id=${id}`);
        } catch (e) {
          optionsFor = null;
          if (e.status !== 401) otherNote.textContent = errorText(e);
          return;
        }
        if (optionsFor !== id || !d.dialog.isConnected) return;
        clear(other);
        if (!items.length) {
          other.appendChild(h('option', { value: '' }, t('me.noOptions')));
          otherNote.textContent = t('me.noOptionsHint');
          return;
        }
        other.appendChild(h('option', { value: '' }, t('me.pickOther')));
        for (const o of items) other.appendChild(h('option', { value: String(o.shift_id) }, o.label));
        other.disabled = false;
        otherNote.textContent = t('me.optionsHint', { n: items.length });
      }
      const reason = h('textarea', { class: 'input textarea', rows: 2, maxlength: 200, placeholder: t('me.reasonPlaceholder') });
      const sync = () => {
        if (!swap.checked) { other.disabled = true; return; }
        loadOptions().then(() => { if (!other.disabled) other.focus(); });
      };
      give.addEventListener('change', sync);
      swap.addEventListener('change', sync);
      pick.addEventListener('change', () => { optionsFor = null; if (swap.checked) loadOptions(); });
      const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'swap-submit' }, t('me.swapSubmit'));
      const form = h('form', { class: 'form', test: 'swap-form', novalidate: true },
        h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
        field('swap', 'shift_id', t('me.myShift'), pick),
        h('div', { class: 'field', 'data-field': 'mode' },
          h('div', { class: 'field-label' }, t('me.mode')),
          h('label', { class: 'check radio-line' }, give, h('span', null, h('strong', null, t('me.giveAway')), h('span', { class: 'muted' }, ` — ${t('me.giveAwayHint')}`))),
          h('label', { class: 'check radio-line' }, swap, h('span', null, h('strong', null, t('me.swapWith')), h('span', { class: 'muted' }, ` — ${t('me.swapWithHint')}`)))),
        field('swap', 'other_shift_id', t('me.otherShift'), other, t('me.otherHint')),
        otherNote,
        field('swap', 'reason', t('me.reason'), reason),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')),
          save));
      pick.setAttribute('data-test', 'swap-shift');
      other.setAttribute('data-test', 'swap-other');
      reason.setAttribute('data-test', 'swap-reason');
      d.body.appendChild(form);
      d.footer.remove();
      pick.focus();
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearFormErrors(form);
        const body = { shift_id: Number(pick.value) };
        if (swap.checked) {
          const n = Number(other.value);
          if (!Number.isInteger(n) || n < 1) { setFieldError(form, 'other_shift_id', t('me.error.otherId')); focusError(form); return; }
          // (picked from the list: never one's own)
          if (n === body.shift_id) { setFieldError(form, 'other_shift_id', t('me.error.otherSame')); focusError(form); return; }
          body.other_shift_id = n;
        }
        if (reason.value.trim()) body.reason = reason.value.trim();
        save.disabled = true;
        try {
          await api('POST', '/swap-requests', body);
          d.close();
          toast(t('me.swapSent'));
          loadRequests();
        } catch (e) {
          save.disabled = false;
          if (e.status === 401) return;
          if (e.status === 404 && body.other_shift_id) { setFieldError(form, 'other_shift_id', t('me.error.otherMissing')); focusError(form); return; }
          if (e.field === 'other_shift_id') { setFieldError(form, 'other_shift_id', t('me.error.otherNotValid')); focusError(form); return; }
          if (e.status === 403) { setFormError(form, t('me.error.notMine')); return; }
          if (e.status === 409) { setFormError(form, t('me.error.duplicate')); return; }
          setFormError(form, errorText(e));
        }
      });
    }

    async function loadLeave() {
      clear(leaveBox).appendChild(loadingState());
      let items;
      try {
        items = await listAll('/me/availability');
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(leaveBox).appendChild(errorState(e, loadLeave));
        return;
      }
      if (!ctx.alive()) return;
      clear(leaveBox);
      if (!items.length) { leaveBox.appendChild(emptyState(t('me.noLeave'))); return; }
      items.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
      leaveBox.appendChild(dataTable({
        test: 'my-leave', rowTest: 'my-leave-row', rows: items, caption: t('me.myLeave'),
        columns: [
          { label: t('leave.period'), cell: (x) => fmtLeave(x.start, x.end) },
          { label: t('leave.reason'), class: 'col-wrap', cell: (x) => x.reason || '—' },
          { label: t('common.status'), cell: (x) => leaveStatusPill(x) },
          // a coordinator's entry, or one they decided, is theirs to change
          { label: t('common.actions'), class: 'col-actions', cell: (x) => (x.entered_by === 'coordinator' || (x.decided_at && x.status !== 'pending')
            ? h('span', { class: 'muted', test: 'my-leave-locked' }, t(x.entered_by === 'coordinator' ? 'me.leaveByCoordinator' : 'me.leaveDecided'))
            : h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'my-leave-delete', onclick: () => removeLeave(x) }, t('leave.withdraw'))) },
        ],
      }));
    }

    async function removeLeave(x) {
      const ok = await confirmDialog(t('me.confirmWithdrawLeave', { period: fmtLeave(x.start, x.end) }), { okLabel: t('leave.withdraw'), danger: true });
      if (!ok) return;
      try {
        await api('DELETE', `/me/availability/${x.id}`);
        toast(t('me.leaveWithdrawn'));
        loadLeave();
        cal.refetchEvents();
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
      }
    }

    async function loadRequests() {
      clear(reqBox).appendChild(loadingState());
      let items;
      try {
        items = await listAll('/swap-requests');
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(reqBox).appendChild(errorState(e, loadRequests));
        return;
      }
      if (!ctx.alive()) return;
      clear(reqBox);
      if (!items.length) { reqBox.appendChild(emptyState(t('me.noRequests'))); return; }
      items.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
      if (items.some((x) => !knownShifts.has(x.shift_id))) {
        try {
          for (const s of await listAll('/me/shifts')) knownShifts.set(s.id, s);
        } catch { /* the ids are shown instead */ }
        if (!ctx.alive()) return;
      }
      const shiftText = (id) => {
        const s = knownShifts.get(id);
        return s ? [h('div', { class: 'nowrap' }, `${dayText(wallDate(s.start))} ${band(s)}`), h('div', { class: 'muted' }, s.station_name || '')] : t('me.shiftNo', { id });
      };
      reqBox.appendChild(dataTable({
        test: 'my-requests', rowTest: 'my-request-row', rows: items, caption: t('me.myRequests'),
        columns: [
          { label: t('swap.shift'), class: 'col-wrap', cell: (x) => shiftText(x.shift_id) },
          { label: t('swap.kind'), class: 'col-wrap', cell: (x) => (x.other_shift
            ? h('span', { test: 'my-request-other' }, t('me.swapWithName', { name: x.other_shift.counsellor_name || '', when: `${dayText(wallDate(x.other_shift.start))} ${band(x.other_shift)}`, station: x.other_shift.station_name || '' }))
            : x.other_shift_id ? t('me.swapWithGone') : t('swap.giveAway')) },
          { label: t('swap.created'), cell: (x) => fmtStamp(x.created_at) },
          { label: t('common.status'), cell: (x) => swapStatusPill(x.status) },
          { label: t('common.actions'), class: 'col-actions', cell: (x) => (x.status === 'pending'
            ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'my-request-withdraw', onclick: () => withdrawRequest(x) }, t('me.withdrawRequest'))
            : null) },
        ],
      }));
    }

    async function withdrawRequest(x) {
      const ok = await confirmDialog(t('me.confirmWithdrawRequest', { what: x.summary || '' }), { okLabel: t('me.withdrawRequest'), danger: true });
      if (!ok) return;
      try {
        await api('POST', `/swap-requests/${x.id}/withdraw`);
        toast(t('me.requestWithdrawn'));
        loadRequests();
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
        loadRequests();
      }
    }

    cal.render();
    updateWeekInfo();
    loadDuty();
    loadLeave();
    loadRequests();
    return () => cal.destroy();
  },
});
