// 排班 › 模板与日历 (#/rosters/setup/templates|holidays|leave): shift
// templates, public holidays and make-up workdays (with .ics import),
// leave; and 排班 › 换班申请 (#/rosters/swaps): the coordinator's
// decisions on the counsellors' swap requests.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, has } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, emptyState, errorState, field, setFieldError,
  clearFormErrors, setFormError, focusError, dataTable,
} from '../ui.js';
import { add, fmtStamp } from './event-util.js';
import {
  WEEKDAYS, wdShort, wdLong, isoDow, isDate, fmtLeave, leaveTimes, isRuleConflict,
  conflictDialog, rosterTabs, segmented, swapStatusPill, SWAP_STATUSES, shiftCache, fmtRange, todayWall, addDays,
  leaveStatusPill, mondayOf, wallDate,
} from './roster-util.js';
import './roster-setup-i18n.js';
import './counsellors-i18n.js';

const SETUP_TABS = ['templates', 'holidays', 'leave'];
const setupState = { tab: 'templates', year: null, leaveCounsellor: '', swapStatus: 'pending' };

export async function renderSetup(el, ctx, tab) {
  if (SETUP_TABS.includes(tab)) setupState.tab = tab;
  el.appendChild(loadingState());
  const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors')]);
  if (!ctx.alive()) return undefined;
  const data = { stations, counsellors, stationById: new Map(stations.map((s) => [s.id, s])), counsellorById: new Map(counsellors.map((c) => [c.id, c])) };
  const body = h('div', { class: 'setup-body' });
  const show = (which) => {
    setupState.tab = which;
    history.replaceState(null, '', `#/rosters/setup/${which}`);
    clear(body);
    if (which === 'holidays') holidaysPane(body, ctx);
    else if (which === 'leave') leavePane(body, ctx, data);
    else templatesPane(body, ctx, data);
  };
  add(clear(el),
    rosterTabs('setup'),
    h('div', { class: 'toolbar' }, segmented(SETUP_TABS.map((k) => [k, t(`setup.${k}`)]), setupState.tab, show, 'setup-tab')),
    body);
  show(setupState.tab);
  return undefined;
}

const stationName = (data, id) => {
  const s = data.stationById.get(id);
  if (!s) return `#${id}`;
  return s.active ? s.name : t('counsellors.inactiveStation', { name: s.name });
};

function statusBadge(active) {
  return h('span', { class: active ? 'badge badge-on' : 'badge badge-off' }, active ? t('common.active') : t('common.inactive'));
}

// A field's error in the UI language: rosters' own text when there is one.
function showFieldError(form, e, prefix) {
  if (e.field && (e.status === 422 || e.status === 409)) {
    const key = `${prefix}.error.${e.field}`;
    const msg = /required|missing/i.test(e.message || '') ? t('common.required') : (has(key) ? t(key) : e.message);
    if (setFieldError(form, e.field, msg)) { focusError(form); return; }
  }
  setFormError(form, errorText(e));
}

/* ------------------------------------------------------------ templates */

function weekdayText(days) {
  const set = [...new Set(days || [])].sort((a, b) => a - b);
  if (set.join() === '1,2,3,4,5') return t('tpl.weekdaysWork');
  if (set.length === 7) return t('tpl.weekdaysAll');
  return set.map(wdShort).join(t('tpl.wdSep'));
}

function templatesPane(box, ctx, data) {
  const results = h('div', { class: 'results' });
  add(box,
    h('div', { class: 'toolbar' },
      h('p', { class: 'muted pane-intro' }, t('tpl.intro')),
      h('button', { type: 'button', class: 'btn btn-primary', test: 'tpl-add', onclick: () => templateForm(null, data, load) }, '+ ' + t('tpl.add'))),
    results);

  async function load() {
    clear(results).appendChild(loadingState());
    let items;
    try {
      items = await listAll('/shift-templates');
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    if (!items.length) { results.appendChild(emptyState(t('tpl.empty'))); return; }
    items.sort((a, b) => (b.active - a.active) || (stationName(data, a.station_id).localeCompare(stationName(data, b.station_id), 'zh-CN')) || a.start.localeCompare(b.start));
    results.appendChild(dataTable({
      test: 'tpl-table', rowTest: 'tpl-row', caption: t('setup.templates'), rows: items,
      columns: [
        { label: t('tpl.station'), class: 'col-name', cell: (x) => stationName(data, x.station_id) },
        { label: t('tpl.weekdays'), cell: (x) => h('span', { class: 'wd-chips', title: (x.weekdays || []).map(wdLong).join('、') },
          WEEKDAYS.map((d) => h('span', { class: (x.weekdays || []).includes(d) ? 'wd-chip is-on' : 'wd-chip' }, wdShort(d)))) },
        { label: t('tpl.time'), cell: (x) => `${x.start}–${x.end}` },
        { label: t('tpl.required'), class: 'col-num', cell: (x) => t('tpl.people', { n: x.required ?? 1 }) },
        { label: t('tpl.valid'), cell: (x) => (x.valid_from || x.valid_to ? `${x.valid_from || '…'} – ${x.valid_to || '…'}` : t('tpl.always')) },
        { label: t('common.status'), cell: (x) => statusBadge(x.active) },
        { label: t('common.actions'), class: 'col-actions', cell: (x) => h('span', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small', test: 'tpl-edit', onclick: () => templateForm(x, data, load) }, t('common.edit')),
          x.active
            ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'tpl-deactivate', onclick: () => setActive(x, false) }, t('common.deactivate'))
            : h('button', { type: 'button', class: 'btn btn-small', test: 'tpl-activate', onclick: () => setActive(x, true) }, t('common.activate'))) },
      ],
    }));
  }

  async function setActive(x, active) {
    if (!active) {
      const ok = await confirmDialog(t('tpl.confirmDeactivate', { station: stationName(data, x.station_id), time: `${x.start}–${x.end}` }), { okLabel: t('common.deactivate'), danger: true });
      if (!ok) return;
    }
    try {
      if (active) await api('PATCH', `/shift-templates/${x.id}`, { active: true });
      else await api('DELETE', `/shift-templates/${x.id}`);
      toast(t(active ? 'tpl.activated' : 'tpl.deactivated'));
      load();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }
  load();
}

function templateForm(x, data, onSaved) {
  const editing = Boolean(x);
  const d = openDialog({ title: t(editing ? 'tpl.edit' : 'tpl.add'), test: 'tpl-dialog', wide: true });
  const cur = editing ? x.station_id : null;
  const station = h('select', { class: 'input input-select' },
    h('option', { value: '', disabled: true, selected: !editing }, t('common.choose')),
    data.stations.filter((s) => s.active || s.id === cur).map((s) => h('option', { value: String(s.id), selected: s.id === cur }, stationName(data, s.id))));
  const chosen = new Set(editing ? x.weekdays : [1, 2, 3, 4, 5]);
  const days = h('div', { class: 'check-row wd-picks', test: 'tpl-weekdays', role: 'group', 'aria-label': t('tpl.weekdays'), tabindex: '-1' },
    WEEKDAYS.map((n) => h('label', { class: 'check wd-pick', title: wdLong(n) },
      h('input', { type: 'checkbox', value: String(n), checked: chosen.has(n), test: `tpl-wd-${n}` }), h('span', null, wdShort(n)))));
  const quick = (set) => () => { for (const i of days.querySelectorAll('input')) i.checked = set.includes(Number(i.value)); };
  const start = h('input', { type: 'time', class: 'input', step: 300, value: editing ? x.start : '09:00' });
  const end = h('input', { type: 'time', class: 'input', step: 300, value: editing ? x.end : '12:00' });
  const required = h('input', { type: 'number', class: 'input input-num', min: 1, max: 50, step: 1, value: String(editing ? x.required ?? 1 : 1) });
  const from = h('input', { type: 'date', class: 'input', value: editing ? x.valid_from || '' : '' });
  const to = h('input', { type: 'date', class: 'input', value: editing ? x.valid_to || '' : '' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'tpl-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'tpl-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      h('div', { class: 'form-span' }, field('tpl', 'station_id', t('tpl.station'), station)),
      h('div', { class: 'form-span field', 'data-field': 'weekdays' },
        h('div', { class: 'field-label' }, t('tpl.weekdays')),
        h('div', { class: 'wd-line' }, days,
          h('span', { class: 'wd-quick' },
            h('button', { type: 'button', class: 'btn btn-small', test: 'tpl-wd-work', onclick: quick([1, 2, 3, 4, 5]) }, t('tpl.weekdaysWork')),
            h('button', { type: 'button', class: 'btn btn-small', test: 'tpl-wd-all', onclick: quick(WEEKDAYS) }, t('tpl.weekdaysAll')))),
        h('div', { class: 'field-error', test: 'error-weekdays' })),
      field('tpl', 'start', t('tpl.start'), start),
      field('tpl', 'end', t('tpl.end'), end),
      field('tpl', 'required', t('tpl.required'), required, t('tpl.requiredHint')),
      h('div'),
      field('tpl', 'valid_from', t('tpl.validFrom'), from, t('tpl.validHint')),
      field('tpl', 'valid_to', t('tpl.validTo'), to)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'tpl-cancel', onclick: d.close }, t('common.cancel')),
      save));
  station.setAttribute('data-test', 'tpl-station');
  d.body.appendChild(form);
  d.footer.remove();
  station.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      station_id: station.value ? Number(station.value) : null,
      weekdays: [...days.querySelectorAll('input:checked')].map((i) => Number(i.value)),
      start: start.value,
      end: end.value,
      required: Number(required.value),
      valid_from: from.value || null,
      valid_to: to.value || null,
    };
    let bad = false;
    if (!body.station_id) { setFieldError(form, 'station_id', t('common.required')); bad = true; }
    if (!body.weekdays.length) { setFieldError(form, 'weekdays', t('tpl.error.weekdays')); bad = true; }
    if (!body.start) { setFieldError(form, 'start', t('common.required')); bad = true; }
    if (!body.end) { setFieldError(form, 'end', t('common.required')); bad = true; }
    if (body.start && body.end && body.end <= body.start) { setFieldError(form, 'end', t('tpl.error.end')); bad = true; }
    if (!Number.isInteger(body.required) || body.required < 1 || body.required > 50) { setFieldError(form, 'required', t('tpl.error.required')); bad = true; }
    if (body.valid_from && body.valid_to && body.valid_to < body.valid_from) { setFieldError(form, 'valid_to', t('tpl.error.valid_to')); bad = true; }
    if (bad) { focusError(form); return; }
    if (!editing) { if (!body.valid_from) delete body.valid_from; if (!body.valid_to) delete body.valid_to; }
    save.disabled = true;
    try {
      if (editing) await api('PATCH', `/shift-templates/${x.id}`, body);
      else await api('POST', '/shift-templates', body);
      d.close();
      toast(editing ? t('common.saved') : t('tpl.created', { station: stationName(data, body.station_id) }));
      onSaved();
    } catch (e) {
      save.disabled = false;
      if (e.status !== 401) showFieldError(form, e, 'tpl');
    }
  });
}

/* ------------------------------------------------------------- holidays */

function holidaysPane(box, ctx) {
  if (!setupState.year) setupState.year = Number(todayWall().slice(0, 4));
  const year = h('input', { type: 'number', class: 'input input-year', min: 2000, max: 2100, step: 1, value: String(setupState.year), test: 'hd-year', 'aria-label': t('hd.year') });
  const results = h('div', { class: 'results' });
  const file = h('input', { type: 'file', class: 'input input-file', accept: '.ics,text/calendar', test: 'hd-file', 'aria-label': t('hd.importFile') });
  const kind = h('select', { class: 'input input-select', test: 'hd-import-kind', 'aria-label': t('hd.importKind') },
    h('option', { value: '' }, t('hd.importAuto')),
    h('option', { value: 'holiday' }, t('hd.importAsHoliday')),
    h('option', { value: 'workday' }, t('hd.importAsWorkday')));
  const importBtn = h('button', { type: 'button', class: 'btn', test: 'hd-import' }, t('hd.import'));
  const importResult = h('div', { class: 'import-result', test: 'hd-import-result', 'aria-live': 'polite' });
  // The official calendar shipped with Hearth, offered while some of
  // its days are not in the table yet.
  const offer = h('div', { test: 'hd-offer-box' });
  // The years of the shipped calendar whose make-up working days (班) are
  // not in it (2027: only the statutory days; the State Council's notice
  // is not out): said honestly above the table of such a year.
  let unconfirmed = [];
  const notice = h('div', { test: 'hd-notice-box' });
  let noticeFor = null;
  const showNotice = () => {
    const y = unconfirmed.includes(setupState.year) ? setupState.year : null;
    // drawn again only when it changes: a year field left by a click on
    // the notice's button fires change, and the button must stay put
    if (y === noticeFor) return;
    noticeFor = y;
    clear(notice);
    if (y === null) return;
    add(notice, h('div', { class: 'hd-warning hd-unconfirmed', role: 'note', test: 'hd-unconfirmed' },
      h('strong', null, t('hd.unconfirmedTitle', { year: y })), ' ',
      t('hd.unconfirmedText', { year: y }), ' ',
      h('button', { type: 'button', class: 'btn btn-small', test: 'hd-unconfirmed-add', onclick: () => holidayForm(y, load, null, { kind: 'workday' }) },
        '+ ' + t('hd.addWorkday'))));
  };
  async function loadOffer() {
    let o;
    try {
      o = await api('GET', '/holidays/official');
    } catch {
      return; /* the table below still works */
    }
    if (!ctx.alive()) return;
    clear(offer);
    unconfirmed = ((o && o.years) || []).filter((y) => !y.complete).map((y) => y.year);
    showNotice();
    if (!o || !o.missing) return;
    const btn = h('button', { type: 'button', class: 'btn btn-primary', test: 'hd-offer-import' }, t('hd.offerImport', { n: o.missing }));
    const note = h('div', { class: 'import-result', 'aria-live': 'polite', test: 'hd-offer-result' });
    add(offer, h('section', { class: 'card import-card', test: 'hd-offer' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('hd.offerTitle', { years: o.years.map((y) => y.year).join('、') }))),
      h('ul', { class: 'hd-offer-list' }, o.years.map((y) => h('li', { class: y.complete ? '' : 'muted', test: 'hd-offer-year' }, `${y.year}：${y.source}`))),
      h('p', { class: 'muted' }, t('hd.offerHint', { missing: o.missing, kept: o.kept })),
      unconfirmed.length ? h('p', { class: 'hd-warning', test: 'hd-offer-unconfirmed' },
        t('hd.offerUnconfirmed', { years: unconfirmed.join('、') })) : null,
      h('div', { class: 'import-row' }, btn), note));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const r = await api('POST', '/holidays/official');
        toast(t('hd.offerDone', { created: r.created, kept: r.kept }));
        clear(offer);
        load();
      } catch (e) {
        btn.disabled = false;
        if (e.status !== 401) note.textContent = errorText(e);
      }
    });
  }
  loadOffer();
  const step = (n) => () => { year.value = String(Number(year.value) + n); setYear(); };
  const setYear = () => { const y = Number(year.value); if (Number.isInteger(y) && y >= 2000 && y <= 2100) { setupState.year = y; load(); } };
  year.addEventListener('change', setYear);

  add(box,
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left stepper' },
        h('button', { type: 'button', class: 'btn btn-small', test: 'hd-prev', onclick: step(-1), 'aria-label': t('hd.prevYear') }, '‹'),
        year,
        h('button', { type: 'button', class: 'btn btn-small', test: 'hd-next', onclick: step(1), 'aria-label': t('hd.nextYear') }, '›')),
      h('div', { class: 'toolbar-right' },
        h('button', { type: 'button', class: 'btn', test: 'hd-add-workday', onclick: () => holidayForm(setupState.year, load, null, { kind: 'workday' }) }, '+ ' + t('hd.addWorkday')),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'hd-add', onclick: () => holidayForm(setupState.year, load) }, '+ ' + t('hd.add')))),
    offer,
    notice,
    h('section', { class: 'card import-card' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('hd.importTitle')), h('span', { class: 'card-hint' }, t('hd.importHint'))),
      h('div', { class: 'import-row' }, file, kind, importBtn),
      importResult),
    results);

  importBtn.addEventListener('click', async () => {
    const f = file.files && file.files[0];
    clear(importResult);
    if (!f) { importResult.appendChild(h('div', { class: 'form-error' }, t('hd.chooseFile'))); return; }
    if (f.size > 1024 * 1024) { importResult.appendChild(h('div', { class: 'form-error' }, t('hd.tooLarge'))); return; }
    importBtn.disabled = true;
    importBtn.textContent = t('hd.importing');
    try {
      const text = await f.text();
      const r = await api('POST', `/holidays/import${kind.value ? `?kind=${kind.value}` : ''}`, text, { contentType: 'text/calendar' });
      const items = (r && r.items) || [];
      importResult.appendChild(h('div', { class: 'import-ok', test: 'hd-imported' }, t('hd.imported', { created: r.created ?? 0, updated: r.updated ?? 0 })));
      const years = [...new Set(items.map((x) => Number(x.date.slice(0, 4))))].sort();
      if (years.length && !years.includes(setupState.year)) { setupState.year = years[0]; year.value = String(years[0]); }
      file.value = '';
      load();
    } catch (e) {
      if (e.status !== 401) importResult.appendChild(h('div', { class: 'form-error', test: 'hd-import-error' }, e.status === 422 ? t('hd.importBad', { message: e.message || '' }) : errorText(e)));
    } finally {
      importBtn.disabled = false;
      importBtn.textContent = t('hd.import');
    }
  });

  async function load() {
    showNotice();
    clear(results).appendChild(loadingState());
    let items;
    try {
      items = await listAll(`/holidays?year=${setupState.year}`);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    if (!items.length) { results.appendChild(emptyState(t('hd.empty', { year: setupState.year }))); return; }
    items.sort((a, b) => a.date.localeCompare(b.date));
    const off = items.filter((x) => x.kind === 'holiday').length;
    add(results,
      h('p', { class: 'muted', test: 'hd-summary' }, t('hd.summary', { year: setupState.year, off, work: items.length - off })),
      dataTable({
        test: 'hd-table', rowTest: 'hd-row', caption: t('setup.holidays'), rows: items,
        columns: [
          { label: t('hd.date'), cell: (x) => `${x.date} ${wdLong(isoDow(x.date))}` },
          { label: t('hd.kind'), cell: (x) => h('span', { class: x.kind === 'holiday' ? 'hd-badge hd-off' : 'hd-badge hd-work' }, t(x.kind === 'holiday' ? 'holiday.off' : 'holiday.work')) },
          { label: t('hd.name'), class: 'col-wrap', cell: (x) => x.name || '—' },
          { label: t('hd.asWeekday'), cell: (x) => (x.kind === 'workday' ? t('hd.staffedAs', { wd: wdLong(x.as_weekday || 1) }) : h('span', { class: 'muted' }, t('hd.noDuty'))) },
          { label: t('common.actions'), class: 'col-actions', cell: (x) => h('span', { class: 'row-actions' },
            h('button', { type: 'button', class: 'btn btn-small', test: 'hd-edit', onclick: () => holidayForm(setupState.year, load, x) }, t('common.edit')),
            h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'hd-delete', onclick: () => remove(x) }, t('hd.delete'))) },
        ],
      }));
  }

  async function remove(x) {
    const ok = await confirmDialog(t('hd.confirmDelete', { date: x.date, name: x.name || '' }), { okLabel: t('hd.delete'), danger: true });
    if (!ok) return;
    try {
      await api('DELETE', `/holidays/${x.id}`);
      toast(t('hd.deleted'));
      load();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }
  load();
}

// New dates (a range in one go: 春节 is seven days; each day is its own
// row, created with POST /holidays, and a day already there is updated
// with PATCH) or one date edited (existing). preset.kind 'workday' opens
// it for a make-up working day (班).
function holidayForm(year, onSaved, existing, preset = {}) {
  const editing = Boolean(existing);
  const workday = editing ? existing.kind === 'workday' : preset.kind === 'workday';
  const d = openDialog({ title: t(editing ? 'hd.edit' : workday ? 'hd.addWorkday' : 'hd.add'), test: 'hd-dialog' });
  const date = h('input', { type: 'date', class: 'input', value: editing ? existing.date : `${year}-01-01` });
  const to = h('input', { type: 'date', class: 'input', test: 'hd-to', value: '' });
  const kind = h('select', { class: 'input input-select' },
    h('option', { value: 'holiday', selected: !workday }, t('hd.kindHoliday')),
    h('option', { value: 'workday', selected: workday }, t('hd.kindWorkday')));
  const name = h('input', { type: 'text', class: 'input', maxlength: 50, placeholder: t('hd.namePlaceholder'), value: editing ? existing.name || '' : '' });
  const asWd = h('select', { class: 'input input-select' }, WEEKDAYS.map((n) => h('option', { value: String(n), selected: editing && existing.as_weekday === n }, wdLong(n))));
  const asWrap = field('hd', 'as_weekday', t('hd.asWeekday'), asWd, t('hd.asWeekdayHint'));
  asWrap.hidden = kind.value !== 'workday';
  const days = h('div', { class: 'field-hint', test: 'hd-days', 'aria-live': 'polite' });
  const span = () => {
    if (!isDate(date.value)) return [];
    const last = isDate(to.value) && to.value >= date.value ? to.value : date.value;
    const out = [];
    for (let x = date.value; x <= last && out.length <= 60; x = addDays(x, 1)) out.push(x);
    return out;
  };
  const showDays = () => {
    const n = span().length;
    days.textContent = n > 1 ? t('hd.rangeDays', { n, from: date.value, to: span()[n - 1] }) : '';
  };
  kind.addEventListener('change', () => {
    asWrap.hidden = kind.value !== 'workday';
    // make-up working days come one at a time, not as a range
    if (kind.value === 'workday') to.value = '';
    toWrap.hidden = editing || kind.value === 'workday';
    showDays();
  });
  // The weekday a make-up day is staffed like: the weekday it replaces is
  // not known here; Monday unless chosen.
  date.addEventListener('change', () => { if (isDate(date.value) && to.value && to.value < date.value) to.value = ''; showDays(); });
  to.addEventListener('change', showDays);
  const toWrap = field('hd', 'to', t('hd.to'), to, t('hd.toHint'));
  toWrap.hidden = editing || kind.value === 'workday';
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'hd-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'hd-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('hd', 'date', t(editing ? 'hd.date' : 'hd.from'), date),
      toWrap),
    days,
    field('hd', 'kind', t('hd.kind'), kind),
    field('hd', 'name', t('hd.name'), name),
    asWrap,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'hd-cancel', onclick: d.close }, t('common.cancel')),
      save));
  d.body.appendChild(form);
  d.footer.remove();
  date.focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    if (!isDate(date.value)) { setFieldError(form, 'date', t('common.required')); focusError(form); return; }
    if (to.value && (!isDate(to.value) || to.value < date.value)) { setFieldError(form, 'to', t('hd.error.to')); focusError(form); return; }
    const dates = editing ? [date.value] : span();
    if (dates.length > 60) { setFieldError(form, 'to', t('hd.error.long')); focusError(form); return; }
    const body = { kind: kind.value, name: name.value.trim() };
    if (kind.value === 'workday') body.as_weekday = Number(asWd.value);
    save.disabled = true;
    if (editing) {
      try {
        await api('PATCH', `/holidays/${existing.id}`, { ...body, date: date.value });
        d.close();
        toast(t('hd.saved', { date: date.value }));
        onSaved();
      } catch (e) {
        save.disabled = false;
        if (e.status === 401) return;
        if (e.status === 409) { setFieldError(form, 'date', t('hd.error.taken')); focusError(form); return; }
        showFieldError(form, e, 'hd');
      }
      return;
    }
    // the whole range in one request (one transaction); days already
    // there are updated
    let created = 0;
    let updated = 0;
    try {
      const r = await api('POST', '/holidays/range', { ...body, from: dates[0], to: dates[dates.length - 1] });
      created = r.created;
      updated = r.updated;
    } catch (e) {
      save.disabled = false;
      if (e.status === 401) return;
      showFieldError(form, e, 'hd');
      return;
    }
    d.close();
    toast(dates.length === 1 ? t('hd.created', { date: dates[0] }) : t('hd.createdRange', { created, updated }));
    onSaved();
  });
}

/* ---------------------------------------------------------------- leave */

function leavePane(box, ctx, data) {
  const results = h('div', { class: 'results' });
  const who = h('select', { class: 'input input-select', test: 'leave-filter', 'aria-label': t('leave.filter') },
    h('option', { value: '' }, t('leave.all')),
    data.counsellors.map((c) => h('option', { value: String(c.id), selected: String(c.id) === setupState.leaveCounsellor }, c.name)));
  who.addEventListener('change', () => { setupState.leaveCounsellor = who.value; load(); });
  add(box,
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' }, who),
      h('button', { type: 'button', class: 'btn btn-primary', test: 'leave-add', onclick: () => leaveForm({ counsellors: data.counsellors, counsellorId: setupState.leaveCounsellor, onSaved: load }) }, '+ ' + t('leave.add'))),
    results);

  async function load() {
    clear(results).appendChild(loadingState());
    let items;
    try {
      items = await listAll(`/availability${setupState.leaveCounsellor ? `?counsellor_id=${setupState.leaveCounsellor}` : ''}`);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    if (!items.length) { results.appendChild(emptyState(t('leave.empty'))); return; }
    items.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    results.appendChild(dataTable({
      test: 'leave-table', rowTest: 'leave-row', caption: t('setup.leave'), rows: items,
      columns: [
        { label: t('leave.counsellor'), class: 'col-name', cell: (x) => { const c = data.counsellorById.get(x.counsellor_id); return c ? c.name : `#${x.counsellor_id}`; } },
        { label: t('leave.period'), cell: (x) => fmtLeave(x.start, x.end) },
        { label: t('leave.reason'), class: 'col-wrap', cell: (x) => x.reason || '—' },
        { label: t('common.status'), cell: (x) => [leaveStatusPill(x), x.entered_by === 'counsellor' ? h('div', { class: 'muted' }, t('leave.bySelf')) : null,
          x.decision_note ? h('div', { class: 'muted' }, x.decision_note) : null] },
        { label: t('common.actions'), class: 'col-actions', cell: (x) => h('span', { class: 'row-actions' },
          x.status === 'pending' ? [
            h('button', { type: 'button', class: 'btn btn-small btn-primary leave-decide-btn', test: 'leave-approve', onclick: () => decide(x, true) }, t('leave.approve')),
            h('button', { type: 'button', class: 'btn btn-small leave-decide-btn', test: 'leave-refuse', onclick: () => decide(x, false) }, t('leave.refuse'))] : null,
          h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'leave-delete', onclick: () => remove(x) }, t('leave.delete'))) },
      ],
    }));
  }

  // Approve or refuse a pending request; the counsellor is told by mail.
  async function decide(x, approve) {
    const c = data.counsellorById.get(x.counsellor_id);
    const d = openDialog({ title: t(approve ? 'leave.approveTitle' : 'leave.refuseTitle'), test: 'leave-decide-dialog' });
    const note = h('textarea', { class: 'input textarea', rows: 2, maxlength: 200, test: 'leave-decide-note', placeholder: t(approve ? 'leave.notePlaceholder' : 'leave.refusePlaceholder') });
    const ok = h('button', { type: 'button', class: approve ? 'btn btn-primary' : 'btn btn-danger', test: 'leave-decide-ok' }, t(approve ? 'leave.approve' : 'leave.refuse'));
    add(d.body,
      h('p', null, t('leave.decideLead', { name: c ? c.name : '', period: fmtLeave(x.start, x.end), reason: x.reason || '—' })),
      field('leave', 'note', t('leave.note'), note));
    add(d.footer, h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')), ok);
    ok.addEventListener('click', async () => {
      ok.disabled = true;
      const body = note.value.trim() ? { note: note.value.trim() } : {};
      try {
        const r = await api('POST', `/availability/${x.id}/${approve ? 'approve' : 'refuse'}`, body);
        d.close();
        const n = ((r && r.affected_shift_ids) || []).length;
        toast(approve ? (n ? t('leave.approvedShifts', { n }) : t('leave.approved')) : t('leave.refused'));
        load();
        if (approve && r && r.needs_cover && r.needs_cover.length) coverDialog(c ? c.name : '', r.needs_cover);
      } catch (e) {
        ok.disabled = false;
        if (e.status !== 401) toast(errorText(e), 'error');
        if (e.status === 409) { d.close(); load(); }
      }
    });
  }

  async function remove(x) {
    const c = data.counsellorById.get(x.counsellor_id);
    const ok = await confirmDialog(t('leave.confirmDelete', { name: c ? c.name : '', period: fmtLeave(x.start, x.end) }), { okLabel: t('leave.delete'), danger: true });
    if (!ok) return;
    try {
      await api('DELETE', `/availability/${x.id}`);
      toast(t('leave.deleted'));
      load();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }
  load();
}

// The leave form, for coordinators (with a counsellor) and for a
// counsellor's own leave (`self`: POST /me/availability).
export function leaveForm({ counsellors, counsellorId, self, onSaved }) {
  const d = openDialog({ title: t(self ? 'leave.declare' : 'leave.add'), test: 'leave-dialog', wide: true });
  const today = todayWall();
  const who = self ? null : h('select', { class: 'input input-select' },
    h('option', { value: '', disabled: true, selected: !counsellorId }, t('common.choose')),
    counsellors.filter((c) => c.active).map((c) => h('option', { value: String(c.id), selected: String(c.id) === String(counsellorId || '') }, c.name)));
  const fromDate = h('input', { type: 'date', class: 'input', value: today });
  const fromTime = h('input', { type: 'time', class: 'input', step: 300 });
  const toDate = h('input', { type: 'date', class: 'input', value: today });
  const toTime = h('input', { type: 'time', class: 'input', step: 300 });
  const reason = h('input', { type: 'text', class: 'input', maxlength: 100, placeholder: t('leave.reasonPlaceholder') });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'leave-save' }, t(self ? 'leave.submit' : 'common.save'));
  fromDate.addEventListener('change', () => { if (isDate(fromDate.value) && (!toDate.value || toDate.value < fromDate.value)) toDate.value = fromDate.value; });
  const form = h('form', { class: 'form', test: 'leave-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    who ? field('leave', 'counsellor_id', t('leave.counsellor'), who) : null,
    h('div', { class: 'form-grid' },
      field('leave', 'from_date', t('leave.fromDate'), fromDate),
      field('leave', 'from_time', t('leave.fromTime'), fromTime, t('leave.timeHint')),
      field('leave', 'to_date', t('leave.toDate'), toDate),
      field('leave', 'to_time', t('leave.toTime'), toTime, t('leave.timeHint'))),
    field('leave', 'reason', t('leave.reason'), reason),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'leave-cancel', onclick: d.close }, t('common.cancel')),
      save));
  if (who) who.setAttribute('data-test', 'leave-counsellor');
  d.body.appendChild(form);
  d.footer.remove();
  (who || fromDate).focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    let bad = false;
    if (who && !who.value) { setFieldError(form, 'counsellor_id', t('common.required')); bad = true; }
    if (!isDate(fromDate.value)) { setFieldError(form, 'from_date', t('common.required')); bad = true; }
    if (!isDate(toDate.value)) { setFieldError(form, 'to_date', t('common.required')); bad = true; }
    if (bad) { focusError(form); return; }
    const { start, end } = leaveTimes(fromDate.value, fromTime.value, toDate.value, toTime.value);
    if (Date.parse(end) <= Date.parse(start)) { setFieldError(form, 'to_date', t('leave.error.order')); focusError(form); return; }
    const body = { start, end, reason: reason.value.trim() || t('leave.defaultReason') };
    if (who) body.counsellor_id = Number(who.value);
    save.disabled = true;
    try {
      const r = await api('POST', self ? '/me/availability' : '/availability', body);
      d.close();
      const n = ((r && r.affected_shift_ids) || []).length;
      if (r && r.status === 'pending') toast(t('leave.pendingSelf', { n }));
      else if (n) toast(t(self ? 'leave.affectedSelf' : 'leave.affected', { n }), 'error');
      if (!self && r && r.needs_cover && r.needs_cover.length) {
        const c = counsellors.find((x) => x.id === r.counsellor_id);
        coverDialog(c ? c.name : '', r.needs_cover);
      }
      else toast(t(self ? 'leave.declared' : 'leave.created'));
      onSaved(r);
    } catch (e) {
      save.disabled = false;
      if (e.status === 401) return;
      const map = { start: 'from_date', end: 'to_date' };
      if (e.field && map[e.field]) { setFieldError(form, map[e.field], t('leave.error.order')); focusError(form); return; }
      showFieldError(form, e, 'leave');
    }
  });
}

/* ---------------------------------------------------------------- swaps */

export async function renderSwaps(el, ctx) {
  el.appendChild(loadingState());
  const counsellors = await listAll('/counsellors');
  if (!ctx.alive()) return undefined;
  const byId = new Map(counsellors.map((c) => [c.id, c]));
  const shiftOf = shiftCache();
  const results = h('div', { class: 'results' });
  const status = h('select', { class: 'input input-select', test: 'swap-filter', 'aria-label': t('swap.filter') },
    h('option', { value: '' }, t('swap.all')),
    SWAP_STATUSES.map((s) => h('option', { value: s, selected: s === setupState.swapStatus }, t(`swap.status.${s}`))));
  status.addEventListener('change', () => { setupState.swapStatus = status.value; load(); });
  add(clear(el),
    rosterTabs('swaps'),
    h('div', { class: 'toolbar' }, h('div', { class: 'toolbar-left' }, status), h('p', { class: 'muted pane-intro' }, t('swap.intro'))),
    results);

  const nameOf = (id) => { const c = byId.get(id); return c ? c.name : `#${id}`; };
  const shiftText = (s) => (s ? `${s.station_name || ''} ${fmtRange(s.start, s.end, { weekday: true })}` : null);

  async function load() {
    clear(results).appendChild(loadingState());
    let items;
    try {
      items = await listAll(`/swap-requests${setupState.swapStatus ? `?status=${setupState.swapStatus}` : ''}`);
      await Promise.all(items.flatMap((x) => [shiftOf(x.shift_id), shiftOf(x.other_shift_id)]));
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    if (!items.length) { results.appendChild(emptyState(setupState.swapStatus === 'pending' ? t('swap.emptyPending') : t('swap.empty'))); return; }
    const rows = await Promise.all(items.map(async (x) => ({ ...x, a: await shiftOf(x.shift_id), b: await shiftOf(x.other_shift_id) })));
    rows.sort((p, q) => (q.status === 'pending') - (p.status === 'pending') || Date.parse(q.created_at) - Date.parse(p.created_at) || q.id - p.id);
    results.appendChild(dataTable({
      test: 'swap-table', rowTest: 'swap-row', caption: t('rtab.swaps'), rows,
      columns: [
        { label: t('swap.requester'), class: 'col-name', cell: (x) => nameOf(x.requested_by) },
        { label: t('swap.shift'), class: 'col-wrap', cell: (x) => shiftText(x.a) || `#${x.shift_id}` },
        { label: t('swap.kind'), class: 'col-wrap', cell: (x) => (x.other_shift_id
          ? t('swap.swapWith', { who: x.b && x.b.counsellor_name ? x.b.counsellor_name : t('swap.otherCounsellor'), shift: shiftText(x.b) || `#${x.other_shift_id}` })
          : t('swap.giveAway')) },
        { label: t('swap.reason'), class: 'col-wrap', cell: (x) => x.reason || '—' },
        { label: t('swap.created'), cell: (x) => fmtStamp(x.created_at) },
        { label: t('common.status'), cell: (x) => swapStatusPill(x.status) },
        { label: t('common.actions'), class: 'col-actions', cell: (x) => (x.status === 'pending' ? h('span', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small btn-primary', test: 'swap-approve', onclick: () => approve(x) }, t('swap.approve')),
          h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'swap-reject', onclick: () => reject(x) }, t('swap.reject'))) : '') },
      ],
    }));
  }

  async function approve(x) {
    const ok = await confirmDialog(x.other_shift_id
      ? t('swap.confirmSwap', { name: nameOf(x.requested_by), other: x.b && x.b.counsellor_name ? x.b.counsellor_name : t('swap.otherCounsellor') })
      : t('swap.confirmGive', { name: nameOf(x.requested_by), shift: shiftText(x.a) || `#${x.shift_id}` }), { okLabel: t('swap.approve') });
    if (!ok) return;
    try {
      await api('POST', `/swap-requests/${x.id}/approve`);
      toast(t('swap.approved'));
    } catch (e) {
      if (e.status === 401) return;
      if (isRuleConflict(e)) {
        conflictDialog(e, {
          name: x.other_shift_id ? '' : nameOf(x.requested_by),
          title: t('swap.conflictTitle'),
          lead: t('swap.conflictLead', { name: nameOf(x.requested_by) }),
        });
      } else toast(errorText(e), 'error');
    }
    shiftOf.clear();
    load();
  }

  async function reject(x) {
    const reason = await optionalReason();
    if (reason == null) return;
    try {
      await api('POST', `/swap-requests/${x.id}/reject`, reason ? { reason } : {});
      toast(t('swap.rejected'));
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
    load();
  }
  load();
  return undefined;
}

// Resolves the (possibly empty) reason, or null when cancelled.
function optionalReason() {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v) => { if (!done) { done = true; resolve(v); } d.close(); };
    const d = openDialog({ title: t('swap.rejectTitle'), test: 'reject-dialog', onClose: () => finish(null) });
    const input = h('textarea', { class: 'input textarea', rows: 3, maxlength: 200, id: 'reject-reason', test: 'reject-reason', placeholder: t('swap.rejectPlaceholder') });
    const form = h('form', { class: 'form', novalidate: true },
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'reject-reason' }, t('swap.rejectLabel')), input),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => finish(null) }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-danger', test: 'reject-ok' }, t('swap.reject'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); finish(input.value.trim()); });
    d.body.appendChild(form);
    d.footer.remove();
    input.focus();
  });
}

// The shifts that need cover once a leave is in force (the answer's
// needs_cover), each linking to its assign dialog over its week, where
// only the counsellors free then can be chosen (GET /rosters/free).
function coverDialog(name, shifts) {
  const d = openDialog({ title: t('leave.coverTitle', { n: shifts.length }), test: 'leave-cover-dialog' });
  add(d.body,
    h('p', { test: 'leave-cover-lead' }, t('leave.coverLead', { name, n: shifts.length })),
    h('ul', { class: 'leave-cover-list' }, shifts.map((s) => h('li', { class: 'leave-cover-item', test: 'leave-cover-item', 'data-id': String(s.id) },
      h('span', { class: 'leave-cover-when' }, `${fmtRange(s.start, s.end, { weekday: true })} · ${s.station_name || ''}`),
      h('a', { class: 'btn btn-small', test: 'leave-cover-assign', href: `#/rosters/${mondayOf(wallDate(s.start))}?shift=${s.id}` }, t('leave.coverAssign'))))),
    h('p', { class: 'muted' }, t('leave.coverHint')));
  add(d.footer, h('button', { type: 'button', class: 'btn', test: 'leave-cover-close', onclick: d.close }, t('common.close')));
}
