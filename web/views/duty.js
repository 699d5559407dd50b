// 值班记录 (#/duty, #/duty/report, #/duty/metrics): the coordinator's page
// of duty logs. 记录: per day and station the logs and the missing ones
// (filters: period, station, counsellor, missing only); open one to
// correct it (with a reason when a counsellor wrote it or it is closed);
// close a month. 统计: GET /reports/duty by station, counsellor or month
// with every metric, counselling time in hours with two decimals
// ("2009.60 小时"), CSV and Excel. 统计项: add, rename, reorder, retire.
//
// Names, notes and labels come from users: built with h() as text only.
import { h, clear } from '../lib/dom.js';
import { api, listAll, apiUrl } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, emptyState, errorState, dataTable,
  setFieldError, clearFormErrors, setFormError, focusError,
} from '../ui.js';
import { registerView } from '../app.js';
import { wallDate, wallTime, todayWall, addDays, fmtDate } from './event-util.js';
import { segmented } from './roster-util.js';
import { ensureDutyStyle, openLogForm, logBadge, hoursLabel, metricLabel, forgetMetrics, MINUTES } from './duty-util.js';
import './duty-i18n.js';

const TABS = ['logs', 'report', 'metrics'];
const monthStart = (d) => `${d.slice(0, 7)}-01`;
const monthEnd = (d) => addDays(`${addDays(monthStart(d), 32).slice(0, 7)}-01`, -1);
const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '') && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

const state = {
  from: monthStart(todayWall()),
  to: monthEnd(todayWall()),
  station: '',
  counsellor: '',
  missingOnly: false,
  by: 'station',
  rfrom: `${todayWall().slice(0, 4)}-01-01`,
  rto: `${todayWall().slice(0, 4)}-12-31`,
};

registerView('duty', {
  titleKey: 'duty.title',
  navKey: 'nav.duty',
  order: 37,
  icon: ['M9 2h6a1 1 0 0 1 1 1v2H8V3a1 1 0 0 1 1-1z', 'M8 4H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2', 'M9 13l2 2 4-4'],
  async render(el, ctx) {
    ensureDutyStyle();
    const tab = TABS.includes(ctx.params[0]) ? ctx.params[0] : 'logs';
    const tabs = h('nav', { class: 'tabs', 'aria-label': t('duty.title'), test: 'duty-tabs' },
      TABS.map((k) => h('a', {
        href: k === 'logs' ? '#/duty' : `#/duty/${k}`,
        class: k === tab ? 'tab is-active' : 'tab',
        'aria-current': k === tab ? 'page' : null,
        test: `duty-tab-${k}`,
      }, t(`duty.tab.${k}`))));
    const body = h('div', { test: `duty-${tab}` }, loadingState());
    el.append(tabs, body);
    if (tab === 'logs') return logsTab(body, ctx);
    if (tab === 'report') return reportTab(body, ctx);
    return metricsTab(body, ctx);
  },
});

/* ------------------------------------------------------------- period */

// Period inputs with 本月 / 上月 / 今年 shortcuts; onchange(from, to).
function periodPicker(from, to, onchange, test) {
  const fromIn = h('input', { type: 'date', class: 'input input-date', value: from, test: `${test}-from`, id: `${test}-from` });
  const toIn = h('input', { type: 'date', class: 'input input-date', value: to, test: `${test}-to`, id: `${test}-to` });
  const err = h('div', { class: 'field-error', role: 'alert' });
  const apply = () => {
    if (!isDate(fromIn.value) || !isDate(toIn.value) || toIn.value < fromIn.value) { err.textContent = t('duty.badRange'); return; }
    err.textContent = '';
    onchange(fromIn.value, toIn.value);
  };
  fromIn.addEventListener('change', apply);
  toIn.addEventListener('change', apply);
  const today = todayWall();
  const last = addDays(monthStart(today), -1);
  const quick = (label, a, b, k) => h('button', { type: 'button', class: 'btn btn-small', test: `${test}-${k}`, onclick: () => { fromIn.value = a; toIn.value = b; apply(); } }, t(label));
  return h('div', { class: 'field' },
    h('span', { class: 'field-label' }, t('duty.period')),
    h('div', { class: 'duty-period-row' },
      h('label', { class: 'sr-only', for: `${test}-from` }, t('duty.from')), fromIn, '–',
      h('label', { class: 'sr-only', for: `${test}-to` }, t('duty.to')), toIn,
      quick('duty.thisMonth', monthStart(today), monthEnd(today), 'this-month'),
      quick('duty.lastMonth', monthStart(last), last, 'last-month'),
      quick('duty.thisYear', `${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`, 'this-year')),
    err);
}

/* --------------------------------------------------------------- logs */

async function logsTab(body, ctx) {
  let stations;
  let counsellors;
  try {
    [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors')]);
  } catch (e) {
    if (ctx.alive() && e.status !== 401) clear(body).appendChild(errorState(e, () => ctx.refresh()));
    return undefined;
  }
  if (!ctx.alive()) return undefined;
  const stationSel = h('select', { class: 'input input-select', test: 'duty-station', id: 'duty-station' },
    h('option', { value: '' }, t('duty.allStations')),
    stations.map((s) => h('option', { value: String(s.id), selected: String(s.id) === state.station }, s.name)));
  const counsellorSel = h('select', { class: 'input input-select', test: 'duty-counsellor', id: 'duty-counsellor' },
    h('option', { value: '' }, t('duty.allCounsellors')),
    counsellors.map((c) => h('option', { value: String(c.id), selected: String(c.id) === state.counsellor }, c.name)));
  const missingBox = h('input', { type: 'checkbox', test: 'duty-missing-only', checked: state.missingOnly });
  stationSel.addEventListener('change', () => { state.station = stationSel.value; load(); });
  counsellorSel.addEventListener('change', () => { state.counsellor = counsellorSel.value; load(); });
  missingBox.addEventListener('change', () => { state.missingOnly = missingBox.checked; load(); });
  const closeInfo = h('span', { class: 'muted', test: 'duty-closed-through' });
  const closeBtn = h('button', { type: 'button', class: 'btn btn-small', test: 'duty-close', onclick: () => closeDialog() }, t('duty.close'));
  const results = h('div', { test: 'duty-results' });
  clear(body).append(
    h('div', { class: 'duty-filters' },
      periodPicker(state.from, state.to, (a, b) => { state.from = a; state.to = b; load(); }, 'duty-period'),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'duty-station' }, t('duty.station')), stationSel),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'duty-counsellor' }, t('duty.counsellor')), counsellorSel),
      h('label', { class: 'check check-inline' }, missingBox, ' ', t('duty.missingOnly'))),
    h('div', { class: 'duty-bar' }, closeInfo, closeBtn),
    results);

  let closedThrough = null;
  async function load() {
    clear(results).appendChild(loadingState());
    const q = `from=${state.from}&to=${state.to}${state.station ? `&station_id=${state.station}` : ''}${state.counsellor ? `&counsellor_id=${state.counsellor}` : ''}`;
    let logs = [];
    let missing;
    try {
      const head = await api('GET', `/duty-logs?${q}&missing=1&limit=1`);
      closedThrough = head.closed_through;
      [logs, missing] = await Promise.all([
        state.missingOnly ? [] : listAll(`/duty-logs?${q}`),
        listAll(`/duty-logs?${q}&missing=1`),
      ]);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    closeInfo.textContent = closedThrough ? t('duty.closedThrough', { day: closedThrough }) : t('duty.notClosed');
    const all = [...logs, ...missing].sort((a, b) => Date.parse(b.start) - Date.parse(a.start) || a.station_id - b.station_id);
    clear(results);
    if (!all.length) { results.appendChild(emptyState(t('duty.none'))); return; }
    const byDay = new Map();
    for (const x of all) {
      const d = wallDate(x.start);
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(x);
    }
    for (const [d, items] of byDay) {
      items.sort((a, b) => (a.station_name || '').localeCompare(b.station_name || '', 'zh-CN') || Date.parse(a.start) - Date.parse(b.start));
      const nMissing = items.filter((x) => !x.logged).length;
      results.append(
        h('h3', { class: 'duty-day', test: 'duty-day' }, fmtDate(`${d}T12:00:00+08:00`, { weekday: true, year: true }),
          h('span', { class: 'muted' }, t('duty.dayCounts', { logged: items.length - nMissing, missing: nMissing }))),
        dataTable({
          test: 'duty-log-table', rowTest: 'duty-log-row', rows: items.map((x) => ({ ...x, id: x.shift_id })), caption: d,
          columns: [
            { label: t('duty.time'), class: 'nowrap', cell: (x) => `${wallTime(x.start)}–${wallTime(x.end)}` },
            { label: t('duty.station'), class: 'col-wrap', cell: (x) => x.station_name || '' },
            { label: t('duty.counsellor'), cell: (x) => x.counsellor_name || '—' },
            { label: t('duty.status'), cell: (x) => [logBadge(x), x.closed ? [' ', h('span', { class: 'duty-badge duty-badge-closed' }, t('duty.closedBadge'))] : null] },
            { label: t('duty.counts'), class: 'col-wrap', cell: (x) => summaryOf(x) },
            { label: t('duty.noteCol'), class: 'col-wrap', cell: (x) => x.note || '' },
            { label: t('common.actions'), class: 'col-actions', cell: (x) => h('button', {
              type: 'button', class: 'btn btn-small', test: x.logged ? 'duty-open' : 'duty-fill',
              onclick: () => openLogForm(x.shift_id, { coordinator: true, onSaved: load }),
            }, x.logged ? t('duty.open') : t('duty.fillFor')) },
          ],
        }));
    }
  }

  // The main counts of a log in one line: 接待 12 人 · 疏导 1.58 小时.
  function summaryOf(x) {
    if (!x.logged || x.attended === false) return '';
    const parts = [];
    const v = x.values || {};
    if (v.batches !== undefined) parts.push(`${v.batches} 批次`);
    if (v.visitors !== undefined) parts.push(`${v.visitors} 人`);
    if (v[MINUTES] !== undefined) parts.push(hoursLabel(v[MINUTES]));
    const others = Object.keys(v).filter((k) => !['batches', 'visitors', MINUTES].includes(k)).length;
    if (others) parts.push(`+${others}`);
    return parts.join(' · ');
  }

  function closeDialog() {
    const d = openDialog({ title: t('duty.closeTitle'), test: 'duty-close-dialog' });
    const prev = addDays(monthStart(todayWall()), -1).slice(0, 7);
    const month = h('input', { type: 'month', class: 'input', value: prev, max: prev, test: 'duty-close-month', id: 'duty-close-month' });
    const form = h('form', { class: 'form', novalidate: true },
      h('div', { class: 'form-error', role: 'alert', hidden: true }),
      h('p', { class: 'muted' }, t('duty.closeHint')),
      closedThrough ? h('p', null, t('duty.closedThrough', { day: closedThrough })) : null,
      h('div', { class: 'field', 'data-field': 'through' },
        h('label', { class: 'field-label', for: 'duty-close-month' }, t('duty.closeMonth')), month,
        h('div', { class: 'field-error' })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary', test: 'duty-close-submit' }, t('duty.closeOk'))));
    d.body.appendChild(form);
    d.footer.remove();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFormErrors(form);
      if (!/^\d{4}-\d{2}$/.test(month.value)) { setFieldError(form, 'through', t('duty.badRange')); return; }
      const through = monthEnd(`${month.value}-01`);
      d.close();
      if (!await confirmDialog(t('duty.closeConfirm', { day: through }), { okLabel: t('duty.closeOk'), danger: true })) return;
      try {
        await api('POST', '/duty-logs/close', { through });
        toast(t('duty.closed', { day: through }));
        load();
      } catch (e) {
        if (e.status !== 401) toast(e.status === 422 ? e.message : errorText(e), 'error');
      }
    });
  }

  await load();
  return undefined;
}

/* ------------------------------------------------------------- report */

async function reportTab(body, ctx) {
  const results = h('div', { test: 'duty-report-results' });
  const exportLink = (ext) => apiUrl(`/reports/duty.${ext}?from=${state.rfrom}&to=${state.rto}&by=${state.by}`);
  const csv = h('a', { class: 'btn btn-small', download: '', test: 'duty-export-csv' }, t('duty.exportCsv'));
  const xlsx = h('a', { class: 'btn btn-small', download: '', test: 'duty-export-xlsx' }, t('duty.exportXlsx'));
  const syncLinks = () => { csv.href = exportLink('csv'); xlsx.href = exportLink('xlsx'); };
  clear(body).append(
    h('div', { class: 'duty-filters' },
      periodPicker(state.rfrom, state.rto, (a, b) => { state.rfrom = a; state.rto = b; load(); }, 'duty-rperiod'),
      h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('duty.by')),
        segmented(['station', 'counsellor', 'month'].map((k) => [k, t(`duty.by.${k}`)]), state.by, (v) => { state.by = v; load(); }, 'duty-by')),
      h('div', { class: 'field' }, h('span', { class: 'field-label' }, '\u00a0'), h('div', { class: 'row-actions' }, csv, xlsx))),
    results);

  async function load() {
    syncLinks();
    clear(results).appendChild(loadingState());
    let rep;
    try {
      rep = await api('GET', `/reports/duty?from=${state.rfrom}&to=${state.rto}&by=${state.by}`);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results).append(
      h('div', { class: 'stats', test: 'duty-stats' },
        stat(t('duty.stat.shifts'), String(rep.shifts), 'duty-stat-shifts'),
        stat(t('duty.stat.logged'), String(rep.logged), 'duty-stat-logged'),
        stat(t('duty.stat.missing'), String(rep.missing), 'duty-stat-missing'),
        rep.counselling_hours !== null ? stat(t('duty.stat.hours'), [rep.counselling_hours, h('span', { class: 'stat-unit' }, t('duty.hours', { hours: '' }))], 'duty-stat-hours') : null));
    if (!rep.groups.length) { results.appendChild(emptyState(t('duty.reportNone'))); return; }
    results.appendChild(reportTable(rep));
  }

  await load();
  return undefined;
}

function stat(label, value, test) {
  return h('div', { class: 'card stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value', test }, value));
}

// Every metric as a column; counselling minutes shown as hours.
function reportTable(rep) {
  const num = (v) => (v === undefined || v === null ? '0' : String(v));
  const cols = [
    { label: t(`duty.group.${rep.by}`), cell: (g) => g.name, th: true },
    { label: t('duty.shifts'), cell: (g) => num(g.shifts), num: true },
    { label: t('duty.loggedCol'), cell: (g) => num(g.logged), num: true },
    { label: t('duty.absentCol'), cell: (g) => num(g.absent), num: true },
    { label: t('duty.missingCol'), cell: (g) => num(g.missing), num: true },
    ...rep.metrics.map((m) => (m.code === MINUTES
      ? { label: t('duty.hoursCol'), cell: (g) => hoursLabel(g.values[m.code] || 0), num: true, test: 'duty-hours-cell', title: (g) => `${g.values[m.code] || 0} 分钟` }
      : { label: metricLabel(m), cell: (g) => num(g.values[m.code]), num: true })),
  ];
  const total = { name: t('duty.total'), values: rep.totals, shifts: rep.shifts, logged: rep.logged, absent: rep.absent, missing: rep.missing };
  const row = (g, isTotal) => h('tr', { class: isTotal ? 'duty-total' : null, test: isTotal ? 'duty-report-total' : 'duty-report-row' },
    cols.map((c) => h('td', { class: c.num ? 'col-num' : null, 'data-label': c.label, test: c.test || null, title: c.title ? c.title(g) : null }, c.cell(g))));
  return h('div', { class: 'table-wrap duty-table-wrap' },
    h('table', { class: 'table duty-table', test: 'duty-report-table' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.num ? 'col-num' : null }, c.label)))),
      h('tbody', null, rep.groups.map((g) => row(g, false)), row(total, true))));
}

/* ------------------------------------------------------------ metrics */

async function metricsTab(body, ctx) {
  const list = h('div', { test: 'duty-metric-list' });
  const code = h('input', { type: 'text', class: 'input', maxlength: 32, test: 'duty-metric-code', id: 'dm-code', autocapitalize: 'none', spellcheck: 'false' });
  const name = h('input', { type: 'text', class: 'input', maxlength: 40, test: 'duty-metric-name', id: 'dm-name' });
  const unit = h('input', { type: 'text', class: 'input', maxlength: 10, test: 'duty-metric-unit', id: 'dm-unit', placeholder: '人' });
  const fieldOf = (n, label, input, hint) => h('div', { class: 'field', 'data-field': n },
    h('label', { class: 'field-label', for: input.id }, label), input, hint ? h('div', { class: 'field-hint' }, hint) : null, h('div', { class: 'field-error' }));
  const addForm = h('form', { class: 'duty-metrics-add', test: 'duty-metric-add', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    fieldOf('code', t('duty.metrics.code'), code),
    fieldOf('name', t('duty.metrics.name'), name),
    fieldOf('unit', t('duty.metrics.unit'), unit),
    h('button', { type: 'submit', class: 'btn btn-primary', test: 'duty-metric-add-submit' }, t('duty.metrics.add')));
  clear(body).append(
    h('p', { class: 'muted' }, t('duty.metrics.hint')),
    list,
    h('section', { class: 'card' }, h('h2', { class: 'card-title' }, t('duty.metrics.add')), addForm,
      h('p', { class: 'field-hint' }, t('duty.metrics.codeHint'))));

  addForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(addForm);
    const b = { code: code.value.trim(), name: name.value.trim(), unit: unit.value.trim() };
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(b.code)) { setFieldError(addForm, 'code', t('duty.metrics.error.code')); focusError(addForm); return; }
    if (!b.name) { setFieldError(addForm, 'name', t('common.required')); focusError(addForm); return; }
    if (!b.unit) { setFieldError(addForm, 'unit', t('common.required')); focusError(addForm); return; }
    try {
      await api('POST', '/duty-metrics', b);
      toast(t('duty.metrics.added'));
      code.value = name.value = unit.value = '';
      forgetMetrics();
      load();
    } catch (e) {
      if (e.status === 401) return;
      if (e.status === 409) setFieldError(addForm, 'code', t('duty.metrics.error.taken'));
      else if (e.field && setFieldError(addForm, e.field, e.message)) focusError(addForm);
      else setFormError(addForm, errorText(e));
    }
  });

  let items = [];
  const indexOf = (m) => items.findIndex((x) => x.code === m.code);
  async function load() {
    clear(list).appendChild(loadingState());
    try {
      items = (await api('GET', '/duty-metrics')).items;
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(list).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    items.sort((a, b) => a.position - b.position || a.code.localeCompare(b.code));
    clear(list).appendChild(dataTable({
      test: 'duty-metric-table', rowTest: 'duty-metric-row', rows: items.map((m) => ({ ...m, id: m.code })), caption: t('duty.tab.metrics'),
      columns: [
        { label: t('duty.metrics.name'), class: 'col-wrap', cell: (m) => h('strong', null, m.name) },
        { label: t('duty.metrics.code'), cell: (m) => h('span', { class: 'mono' }, m.code) },
        { label: t('duty.metrics.unit'), cell: (m) => m.unit },
        { label: t('common.status'), cell: (m) => [h('span', { class: m.active ? 'badge badge-on' : 'badge badge-off' }, m.active ? t('common.active') : t('common.inactive')),
          m.used ? [' ', h('span', { class: 'muted' }, t('duty.metrics.used'))] : null] },
        { label: t('common.actions'), class: 'col-actions', cell: (m) => h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small', test: 'duty-metric-up', 'aria-label': `${t('duty.metrics.up')} ${m.name}`, disabled: indexOf(m) === 0, onclick: () => move(m, -1) }, '↑'),
          h('button', { type: 'button', class: 'btn btn-small', test: 'duty-metric-down', 'aria-label': `${t('duty.metrics.down')} ${m.name}`, disabled: indexOf(m) === items.length - 1, onclick: () => move(m, 1) }, '↓'),
          h('button', { type: 'button', class: 'btn btn-small', test: 'duty-metric-edit', onclick: () => edit(m) }, t('duty.metrics.rename')),
          m.active
            ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'duty-metric-retire', onclick: () => retire(m) }, m.used ? t('duty.metrics.deactivate') : t('duty.metrics.delete'))
            : h('button', { type: 'button', class: 'btn btn-small', test: 'duty-metric-activate', onclick: () => patch(m, { active: true }) }, t('duty.metrics.activate'))) },
      ],
    }));
  }

  async function patch(m, b) {
    try {
      await api('PATCH', `/duty-metrics/${encodeURIComponent(m.code)}`, b);
      forgetMetrics();
      return true;
    } catch (e) {
      if (e.status !== 401) toast(e.status === 422 ? e.message : errorText(e), 'error');
      return false;
    } finally {
      load();
    }
  }

  // Reorders by writing every position from the new order.
  async function move(m, dir) {
    const i = indexOf(m);
    const j = i + dir;
    if (j < 0 || j >= items.length) return;
    const order = items.slice();
    [order[i], order[j]] = [order[j], order[i]];
    try {
      for (const [k, x] of order.entries()) {
        if (x.position !== k + 1) await api('PATCH', `/duty-metrics/${encodeURIComponent(x.code)}`, { position: k + 1 });
      }
      forgetMetrics();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
    load();
  }

  async function retire(m) {
    const ok = await confirmDialog(t(m.used ? 'duty.metrics.confirmDeactivate' : 'duty.metrics.confirmDelete', { name: m.name }),
      { okLabel: m.used ? t('duty.metrics.deactivate') : t('duty.metrics.delete'), danger: true });
    if (!ok) return;
    try {
      await api('DELETE', `/duty-metrics/${encodeURIComponent(m.code)}`);
      forgetMetrics();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
    load();
  }

  function edit(m) {
    const d = openDialog({ title: t('duty.metrics.editTitle'), test: 'duty-metric-dialog' });
    const n = h('input', { type: 'text', class: 'input', maxlength: 40, value: m.name, test: 'duty-metric-edit-name', id: 'dme-name' });
    const u = h('input', { type: 'text', class: 'input', maxlength: 10, value: m.unit, test: 'duty-metric-edit-unit', id: 'dme-unit' });
    const form = h('form', { class: 'form', novalidate: true },
      h('div', { class: 'form-error', role: 'alert', hidden: true }),
      h('p', { class: 'muted mono' }, m.code),
      fieldOf('name', t('duty.metrics.name'), n),
      fieldOf('unit', t('duty.metrics.unit'), u),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary', test: 'duty-metric-edit-save' }, t('common.save'))));
    d.body.appendChild(form);
    d.footer.remove();
    n.focus();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFormErrors(form);
      if (!n.value.trim()) { setFieldError(form, 'name', t('common.required')); return; }
      if (!u.value.trim()) { setFieldError(form, 'unit', t('common.required')); return; }
      if (await patch(m, { name: n.value.trim(), unit: u.value.trim() })) { d.close(); toast(t('duty.metrics.savedOne')); }
    });
  }

  await load();
  return undefined;
}

