// 绩效指标 (#/indicators): an evaluation framework scored for a period —
// the table as the bureau's reports print it (一级 / 二级 / 三级指标 in
// merged groups, 分值, 年度指标值, 实际完成值, 得分, 评价要点 with each
// item and its mark, 扣分说明) with the 同比 column, the period's entries
// made inline (manual values, ratings, checklist marks, manual scores,
// deduction notes), a chart per level-1 group, the framework picker and
// its editor (import CSV, copy last year's, rows added / edited / retired),
// exports (CSV, Excel, printable report) — and a dashboard (数据看板) of
// the records behind it.
//
// Routes: #/indicators/<period>/<tab>/<framework>, where <period> is 2026,
// 2026-Q3 or 2026-01-01~2026-06-30, <tab> table (default) or dashboard,
// and <framework> an id (default: the framework whose period holds today,
// with its period; else the current year and the API's choice).
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api, listAll, apiUrl } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import {
  toast, openDialog, errorText, loadingState, errorState, field, setFieldError, clearFormErrors,
  setFormError, focusError,
} from '../ui.js';
import { registerView } from '../app.js';
import { KINDS, KIND_COLORS, AUDIENCES, kindLabel, audienceLabel, wallDate, todayWall, fmtStamp } from './event-util.js';
import { fmtNum, periodWords, yearRange, quarterRange, validDate, periodKind } from '../lib/format.js';
import {
  openRowEditor, openFrameworkDialog, deleteFramework, ruleText, sourceName, loadSources,
} from './framework-editor.js';
import './indicators-i18n.js';

const RULES = ['ratio', 'tiered', 'satisfaction_deduct', 'satisfaction_tiers'];
const ruleLabel = (r) => (RULES.includes(r) ? t(`ind.rule.${r}`) : r || '');

// An indicator's actual as shown in the tables: "3", "80%", "66.67%".
function fmtActual(item) {
  if (!item || item.no_data || item.actual === null || item.actual === undefined) return null;
  if (item.unit === 'percent' || item.unit === 'rating') return `${fmtNum(item.actual)}%`;
  return fmtNum(item.actual);
}

const FONT = 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const SOURCES = ['trainings_held', 'training_pass_rate', 'training_on_time_rate', 'satisfaction_rate', 'manual'];

/* --------------------------------------------------------------- style */

// The view's own rules (the console's stylesheet belongs to the shell).
const STYLE_TEXT = `
.ind-bar { display: flex; align-items: flex-end; justify-content: space-between; gap: 12px 16px; flex-wrap: wrap; margin-bottom: 14px; }
.ind-picker { display: flex; align-items: flex-end; gap: 8px 10px; flex-wrap: wrap; }
.ind-picker .field { margin-bottom: 0; }
.ind-picker .input { min-height: 32px; }
.ind-picker .ind-year { width: 96px; }
.ind-picker .ind-date { width: 150px; }
.ind-actions { display: flex; gap: 8px; flex-wrap: wrap; }
.ind-fwbar { display: flex; align-items: flex-end; gap: 8px 10px; flex-wrap: wrap; margin-bottom: 12px; padding: 10px 12px; background: var(--card); border-radius: var(--radius); box-shadow: var(--shadow); }
.ind-fwbar .field { margin-bottom: 0; min-width: 0; }
.ind-fwbar .ind-fw-select { min-height: 36px; max-width: 100%; width: 360px; }
.ind-fwbar .ind-fw-meta { align-self: center; font-size: 12.5px; color: var(--muted); }
.ind-fwbar .ind-actions { margin-left: auto; }
.ind-period { margin: 0 0 14px; font-size: 17px; font-weight: 700; color: var(--primary-dark); }
.ind-period .muted { margin-left: 8px; font-size: 13px; font-weight: 400; }
.ind-stats .stat-value { font-variant-numeric: tabular-nums; }
.ind-total-max { font-size: 18px; font-weight: 600; color: var(--muted); margin-left: 4px; }
.ind-hint { margin: -4px 0 10px; font-size: 12.5px; color: var(--muted); }
.ind-table { width: 100%; border-collapse: collapse; background: var(--card); font-variant-numeric: tabular-nums; }
.ind-table th, .ind-table td { border: 1px solid #dfe3e8; padding: 8px 10px; vertical-align: middle; text-align: left; }
.ind-table thead th { background: #eef2f6; color: #344054; font-size: 13px; font-weight: 700; text-align: center; white-space: nowrap; }
.ind-table .ind-l1, .ind-table .ind-l2 { background: #f7f9fb; font-weight: 600; color: #344054; text-align: center; width: 6.5em; }
.ind-table .ind-l2 { font-weight: 500; }
.ind-table .ind-num { text-align: right; white-space: nowrap; }
.ind-table .ind-target { text-align: center; white-space: nowrap; }
.ind-table .ind-score { font-weight: 700; color: var(--primary-dark); }
.ind-table td[data-test="ind-level3"] { cursor: pointer; min-width: 9em; }
.ind-table tbody tr.ind-row:hover > td:not(.ind-l1):not(.ind-l2) { background: #f6f9fc; }
.ind-table tfoot td { background: #eef2f6; font-weight: 700; }
.ind-table tfoot .ind-sum-label { text-align: center; }
html:lang(zh-CN) .ind-table tfoot .ind-sum-label { letter-spacing: .5em; }
.ind-name { font-weight: 600; }
.ind-source { display: block; margin-top: 2px; font-size: 12px; font-weight: 400; color: var(--muted); }
.ind-nodata { color: #8a94a3; font-style: normal; }
.ind-manual { display: block; margin-top: 2px; font-size: 11.5px; color: var(--muted); white-space: normal; max-width: 220px; margin-left: auto; }
.ind-tag { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 999px; font-size: 11.5px; font-weight: 600; color: #7a4b00; background: #fff4dc; vertical-align: 1px; }
.ind-met { margin-left: 6px; font-size: 15px; font-weight: 700; }
.ind-yes { color: var(--ok); }
.ind-no { color: var(--danger); }
.ind-edit { min-height: 30px; padding: 2px 10px; font-size: 12.5px; }
.ind-table-wrap { overflow-x: auto; border-radius: var(--radius); box-shadow: var(--shadow); }
.ind-entry { display: inline-flex; align-items: center; gap: 4px; justify-content: flex-end; }
.ind-entry .input { width: 88px; min-height: 34px; padding: 4px 8px; text-align: right; }
.ind-entry .input[aria-invalid] { border-color: var(--danger); }
.ind-entry-unit { color: var(--muted); font-size: 12.5px; }
.ind-entry-err { display: block; font-size: 11.5px; color: var(--danger); white-space: normal; }
.ind-entry-err:empty { display: none; }
.ind-points-cell { min-width: 18em; max-width: 30em; font-size: 12.5px; line-height: 1.45; }
.ind-point { display: flex; align-items: flex-start; gap: 8px; padding: 3px 0; cursor: pointer; }
.ind-point + .ind-point { border-top: 1px dashed #e6e9ee; }
.ind-point input { flex: none; width: 20px; height: 20px; margin: 1px 0 0; cursor: pointer; }
.ind-point-text { flex: 1; }
.ind-point-pts { color: var(--muted); white-space: nowrap; }
.ind-point.is-penalty .ind-point-pts { color: var(--danger); }
.ind-point.is-met .ind-point-text { color: #1f2933; }
.ind-point.is-off .ind-point-text { color: #8a94a3; }
.ind-note-cell { min-width: 10em; }
.ind-note-cell textarea { width: 100%; min-width: 9em; min-height: 52px; padding: 5px 7px; font-size: 12.5px; resize: vertical; }
.ind-prev { font-size: 12.5px; white-space: nowrap; text-align: center; }
.ind-prev .ind-up { color: var(--ok); }
.ind-prev .ind-down { color: var(--danger); }
.ind-dlg-section + .ind-dlg-section { margin-top: 14px; padding-top: 14px; border-top: 1px solid #e8ebf0; }
.ind-dlg-title { margin: 0 0 8px; font-size: 15px; }
.ind-dlg-meta { display: grid; grid-template-columns: auto 1fr; gap: 4px 14px; margin: 0 0 12px; padding: 10px 12px; background: #f5f7fa; border-radius: 6px; font-size: 13px; }
.ind-dlg-meta dt { color: var(--muted); }
.ind-dlg-meta dd { margin: 0; }
.ind-scope { display: flex; flex-direction: column; gap: 4px; margin: 0 0 12px; padding: 0; border: 0; }
.ind-scope label { display: inline-flex; align-items: center; gap: 8px; cursor: pointer; }
.ind-rule-hint { font-size: 12px; color: var(--muted); margin: -8px 0 12px; }
.ind-add-row { margin-top: 10px; }
.ind-group-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; margin-top: 16px; }
.ind-group-charts .card + .card { margin-top: 0; }
.ind-group-chart { width: 100%; height: 200px; }
.ind-charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.ind-charts > * { min-width: 0; }
.ind-charts .card + .card { margin-top: 0; }
.ind-chart { width: 100%; height: 300px; }
.ind-chart-empty { display: flex; align-items: center; justify-content: center; height: 300px; color: var(--muted); background: #f8f9fb; border-radius: 6px; }
.ind-wide { grid-column: 1 / -1; }
@media (max-width: 900px) { .ind-charts { grid-template-columns: minmax(0, 1fr); } }
.ind-levels { display: none; }
@media (max-width: 760px) {
  .ind-picker .ind-date { width: 140px; }
  .ind-fwbar .ind-fw-select { width: 100%; }
  .ind-fwbar .field { flex: 1 1 100%; }
  .ind-fwbar .ind-actions { margin-left: 0; }
  .ind-fwbar .btn, .ind-bar .btn { min-height: 40px; }
  .ind-group-charts { grid-template-columns: minmax(0, 1fr); }
  /* the table becomes one card per row: name, then the figures, the
     points to tick and the note, each as large as a thumb */
  .ind-table-wrap { overflow: visible; box-shadow: none; }
  .ind-table, .ind-table tbody, .ind-table tfoot { display: block; background: transparent; }
  .ind-table thead, .ind-table .ind-l1, .ind-table .ind-l2, .ind-table .ind-foot-levels, .ind-source, .ind-manual { display: none; }
  .ind-table tr { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); margin-bottom: 10px; background: var(--card); border-radius: var(--radius); box-shadow: var(--shadow); }
  .ind-table th, .ind-table td { display: block; border: 0; border-top: 1px solid #eef1f4; padding: 8px 10px; font-size: 13.5px; text-align: left; }
  .ind-table td[data-label]::before { content: attr(data-label); display: block; margin-bottom: 2px; font-size: 11.5px; font-weight: 500; color: var(--muted); }
  .ind-table td[data-test="ind-level3"] { grid-column: 1 / -1; border-top: 0; font-size: 15px; }
  .ind-table .ind-points-cell, .ind-table .ind-note-cell { grid-column: 1 / -1; min-width: 0; max-width: none; }
  .ind-table .ind-points-cell:empty { display: none; }
  .ind-table .ind-num, .ind-table .ind-target, .ind-prev { text-align: left; white-space: normal; }
  .ind-table .ind-edit-cell { grid-column: 1 / -1; text-align: right; }
  .ind-table tfoot tr { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .ind-table tfoot td:empty { display: none; }
  .ind-levels { display: block; margin-bottom: 2px; font-size: 11.5px; color: var(--muted); }
  .ind-point { padding: 8px 0; font-size: 13.5px; }
  .ind-point input { width: 26px; height: 26px; }
  .ind-entry { justify-content: flex-start; }
  .ind-entry .input { min-height: 42px; width: 96px; font-size: 15px; }
  .ind-note-cell textarea { min-height: 60px; font-size: 14px; }
  .ind-edit { min-height: 40px; }
  .ind-table tbody tr.ind-row:hover > td { background: transparent; }
  .ind-table td[data-test="ind-level3"] { order: 1; }
  .ind-table td[data-test="ind-weight"] { order: 2; }
  .ind-table td[data-test="ind-target"] { order: 3; }
  .ind-table td[data-test="ind-actual"] { order: 4; }
  .ind-table td[data-test="ind-score"] { order: 5; }
  .ind-table td[data-test="ind-previous"] { order: 6; }
  .ind-table td[data-test="ind-points"] { order: 7; }
  .ind-table td[data-test="ind-note-cell"] { order: 8; }
  .ind-table td.ind-edit-cell { order: 9; }
}
`;

/* -------------------------------------------------------------- period */

const currentYear = () => Number(todayWall().slice(0, 4));

// '2026' | '2026-Q3' | '2026-01-01~2026-06-30' → {mode, y, q, from, to}
function parsePeriod(token) {
  let m;
  if (token && (m = /^(\d{4})$/.exec(token))) return { mode: 'year', y: Number(m[1]), ...yearRange(Number(m[1])) };
  if (token && (m = /^(\d{4})-Q([1-4])$/i.exec(token))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { mode: 'quarter', y, q, ...quarterRange(y, q) };
  }
  if (token && (m = /^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/.exec(token)) && validDate(m[1]) && validDate(m[2]) && m[1] <= m[2]) {
    const k = periodKind(m[1], m[2]);
    if (k.kind === 'year') return parsePeriod(String(k.y));
    if (k.kind === 'quarter') return parsePeriod(`${k.y}-Q${k.q}`);
    return { mode: 'custom', y: Number(m[1].slice(0, 4)), q: 1, from: m[1], to: m[2] };
  }
  return parsePeriod(String(currentYear()));
}

const periodOf = (fw) => parsePeriod(`${fw.from}~${fw.to}`);

function periodToken(p) {
  if (p.mode === 'year') return String(p.y);
  if (p.mode === 'quarter') return `${p.y}-Q${p.q}`;
  return `${p.from}~${p.to}`;
}

const qs = (p) => `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;

// Whether the framework picker is in editing mode (kept across reloads).
let editing = false;
// The sources a row may name, in Chinese (GET /indicator-sources).
let knownSources = [];

/* ------------------------------------------------------------ the view */

registerView('indicators', {
  titleKey: 'ind.title',
  navKey: 'nav.indicators',
  order: 55,
  icon: ['M3 3v18h18', 'M7 15l4-4 3 3 5-6'],
  async render(el, ctx) {
    ensureStyle('ind-style', STYLE_TEXT);
    const tab = ctx.params[1] === 'dashboard' ? 'dashboard' : 'table';
    const fwParam = /^\d+$/.test(ctx.params[2] || '') ? Number(ctx.params[2]) : null;
    const body = h('div', { class: 'ind-body', test: 'ind-body' }, loadingState());
    el.appendChild(body);

    let frameworks;
    try {
      frameworks = (await api('GET', '/frameworks')).items || [];
    } catch (e) {
      if (!ctx.alive() || e.status === 401) return undefined;
      clear(body).appendChild(errorState(e, () => ctx.refresh()));
      return undefined;
    }
    if (!ctx.alive()) return undefined;
    // the framework and the period: as asked, else the framework of today
    let fw = fwParam ? frameworks.find((f) => f.id === fwParam) || null : null;
    let period;
    if (ctx.params[0]) period = parsePeriod(ctx.params[0]);
    else if (fw) period = periodOf(fw);
    else {
      const today = todayWall();
      const holding = frameworks.filter((f) => f.from <= today && today <= f.to)
        .sort((a, b) => (b.from.localeCompare(a.from)) || (b.id - a.id))[0];
      if (holding) { fw = holding; period = periodOf(holding); } else period = parsePeriod(null);
    }
    const go = (p, tb = tab, f = fwParam) => { location.hash = `#/indicators/${periodToken(p)}/${tb}${f ? `/${f}` : ''}`; };

    let data;
    let actuals = null;
    let actualsError = null;
    const indicatorsPath = () => `/indicators?${fw ? `framework=${fw.id}&` : ''}${qs(period)}&compare=previous`;
    try {
      const [ind, act] = await Promise.all([
        api('GET', indicatorsPath()),
        tab === 'dashboard'
          ? api('GET', `/reports/actuals?${qs(period)}`).catch((e) => { if (e.status === 401) throw e; actualsError = e; return null; })
          : null,
        loadSources().catch(() => []),
      ]);
      data = ind;
      actuals = act;
    } catch (e) {
      if (!ctx.alive() || e.status === 401) return undefined;
      clear(body).appendChild(errorState(e, () => ctx.refresh()));
      return undefined;
    }
    if (!ctx.alive()) return undefined;
    const framework = data.framework || null;
    const items = (data && Array.isArray(data.items)) ? data.items : [];
    const from = data.from || period.from;
    const to = data.to || period.to;
    const disposers = [];
    const sources = await loadSources().catch(() => []);
    if (!ctx.alive()) return undefined;
    knownSources = sources;

    const tabs = h('nav', { class: 'tabs', 'aria-label': t('ind.title'), test: 'ind-tabs' },
      [['table', 'ind.tab.table'], ['dashboard', 'ind.tab.dashboard']].map(([k, label]) => h('a', {
        href: `#/indicators/${periodToken(period)}/${k}${fwParam ? `/${fwParam}` : ''}`,
        class: k === tab ? 'tab is-active' : 'tab',
        'aria-current': k === tab ? 'page' : null,
        test: `ind-tab-${k}`,
      }, t(label))));

    const summaryBox = h('div', null, summary(data, items));
    clear(body).append(
      frameworkBar(framework, frameworks, period, tab, ctx),
      toolbar(period, go, framework),
      h('h2', { class: 'ind-period', test: 'ind-period' }, periodWords(from, to, getLang()),
        h('span', { class: 'muted' }, `${from} – ${to}`)),
      summaryBox,
      tabs);

    if (tab === 'table') {
      const chartsBox = h('div', { test: 'ind-group-charts-box' });
      const view = { framework, period: { from, to }, sources, items, disposers, ctx };
      // after an entry: the scores, totals and charts follow without a reload
      view.refreshScores = async () => {
        const fresh = await api('GET', `/indicators?${framework ? `framework=${framework.id}&` : ''}${qs({ from, to })}&compare=previous`);
        if (!ctx.alive()) return;
        applyScores(body, fresh);
        summaryBox.replaceChildren(summary(fresh, fresh.items || []));
        for (const fn of disposers.splice(0)) fn();
        chartsBox.replaceChildren(groupCharts(fresh.items || [], disposers));
      };
      body.append(
        h('p', { class: 'ind-hint' }, t(editing ? 'ind.editHint' : 'ind.entryHint')),
        indicatorTable(data, items, view),
        editing && framework ? h('button', {
          type: 'button', class: 'btn btn-primary ind-add-row', test: 'ind-row-add',
          onclick: () => openRowEditor({ framework, row: null, levels: items, onSaved: () => ctx.refresh() }),
        }, `+ ${t('ind.row.add')}`) : '',
        chartsBox);
      chartsBox.appendChild(groupCharts(items, disposers));
    } else {
      body.appendChild(dashboard({ from, to }, items, actuals, actualsError, disposers, ctx));
    }
    return () => { for (const fn of disposers) fn(); };
  },
});

/* ------------------------------------------------------ framework bar */

function frameworkBar(framework, frameworks, period, tab, ctx) {
  const sel = h('select', { class: 'input input-select ind-fw-select', test: 'ind-framework', 'aria-label': t('ind.fw.label') },
    frameworks.length ? null : h('option', { value: '' }, t('ind.fw.none')),
    frameworks.map((f) => h('option', { value: String(f.id), selected: framework && f.id === framework.id }, `${f.name}（${f.from} – ${f.to}）`)));
  sel.addEventListener('change', () => {
    const f = frameworks.find((x) => String(x.id) === sel.value);
    if (f) location.hash = `#/indicators/${periodToken(periodOf(f))}/${tab}/${f.id}`;
  });
  const open = (f) => {
    const target = `#/indicators/${periodToken(periodOf(f))}/${tab}/${f.id}`;
    if (location.hash === target) ctx.refresh(); else location.hash = target;
  };
  const list = frameworks.map((f) => ({ id: f.id, name: f.name, from: f.from, to: f.to }));
  const btn = (test, key, onclick, cls = 'btn btn-small') => h('button', { type: 'button', class: cls, test, onclick }, t(key));
  return h('div', { class: 'ind-fwbar', test: 'ind-fwbar' },
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'ind-framework' }, t('ind.fw.label')), sel),
    framework ? h('span', { class: 'ind-fw-meta', test: 'ind-fw-meta' }, t('ind.fw.weights', { rows: framework.rows, sum: fmtNum(framework.weight_sum) })) : null,
    h('div', { class: 'ind-actions' },
      framework ? btn('ind-fw-edit', editing ? 'ind.fw.editDone' : 'ind.fw.edit', () => { editing = !editing; ctx.refresh(); }, editing ? 'btn btn-small btn-primary' : 'btn btn-small') : null,
      btn('ind-fw-import', 'ind.fw.import', () => openFrameworkDialog('import', { frameworks: list, onDone: open })),
      framework ? btn('ind-fw-copy', 'ind.fw.copy', () => openFrameworkDialog('copy', { framework, frameworks: list, onDone: open })) : null,
      btn('ind-fw-new', 'ind.fw.new', () => openFrameworkDialog('new', { frameworks: list, onDone: open })),
      framework && editing ? btn('ind-fw-rename', 'ind.fw.rename', () => openFrameworkDialog('rename', { framework, onDone: open })) : null,
      framework && editing ? btn('ind-fw-delete', 'ind.fw.delete', () => deleteFramework(framework, () => {
        if (location.hash === '#/indicators') ctx.refresh(); else location.hash = '#/indicators';
      }), 'btn btn-small btn-danger-ghost') : null));
}

/* ------------------------------------------------------------- toolbar */

function toolbar(period, go, framework) {
  const mode = period.mode;
  const years = [];
  const cy = currentYear();
  for (let y = Math.max(cy + 1, period.y); y >= Math.min(cy - 6, period.y); y--) years.push(y);

  const yearSel = h('select', { class: 'input input-select ind-year', test: 'ind-year', 'aria-label': t('ind.year') },
    years.map((y) => h('option', { value: String(y), selected: y === period.y }, String(y))));
  const quarterSel = h('select', { class: 'input input-select', test: 'ind-quarter', 'aria-label': t('ind.quarter') },
    [1, 2, 3, 4].map((q) => h('option', { value: String(q), selected: q === (period.q || 1) }, t(`ind.q${q}`))));
  const fromIn = h('input', { type: 'date', class: 'input ind-date', test: 'ind-from', value: period.from });
  const toIn = h('input', { type: 'date', class: 'input ind-date', test: 'ind-to', value: period.to });
  const err = h('div', { class: 'field-error', test: 'ind-range-error', role: 'alert' });

  const pick = (m) => {
    if (m === 'year') go({ mode: 'year', y: Number(yearSel.value) });
    else if (m === 'quarter') go({ mode: 'quarter', y: Number(yearSel.value), q: mode === 'quarter' ? Number(quarterSel.value) : 1 });
    else {
      custom.hidden = false;
      yearWrap.hidden = true;
      quarterWrap.hidden = true;
    }
  };
  const seg = h('div', { class: 'seg', role: 'group', 'aria-label': t('ind.period'), test: 'ind-mode' },
    ['year', 'quarter', 'custom'].map((m) => h('button', {
      type: 'button', class: m === mode ? 'seg-btn is-current' : 'seg-btn', 'aria-pressed': m === mode ? 'true' : 'false',
      test: `ind-mode-${m}`, onclick: (ev) => {
        for (const b of seg.children) { b.classList.toggle('is-current', b === ev.currentTarget); b.setAttribute('aria-pressed', b === ev.currentTarget ? 'true' : 'false'); }
        pick(m);
      },
    }, t(`ind.mode.${m}`))));
  yearSel.addEventListener('change', () => go(mode === 'quarter' ? { mode, y: Number(yearSel.value), q: Number(quarterSel.value) } : { mode: 'year', y: Number(yearSel.value) }));
  quarterSel.addEventListener('change', () => go({ mode: 'quarter', y: Number(yearSel.value), q: Number(quarterSel.value) }));

  const apply = h('button', { type: 'submit', class: 'btn btn-primary btn-small', test: 'ind-apply' }, t('ind.apply'));
  const custom = h('form', { class: 'ind-picker', test: 'ind-custom', novalidate: true, hidden: mode !== 'custom' },
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'ind-from' }, t('ind.from')), fromIn),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'ind-to' }, t('ind.to')), toIn),
    apply, err);
  fromIn.id = 'ind-from';
  toIn.id = 'ind-to';
  custom.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fromIn.value;
    const tt = toIn.value;
    if (!validDate(f) || !validDate(tt) || tt < f) { err.textContent = t('ind.badRange'); return; }
    err.textContent = '';
    go({ mode: 'custom', from: f, to: tt });
  });

  const yearWrap = h('div', { class: 'field', hidden: mode === 'custom' }, h('span', { class: 'field-label' }, t('ind.year')), yearSel);
  const quarterWrap = h('div', { class: 'field', hidden: mode !== 'quarter' }, h('span', { class: 'field-label' }, t('ind.quarter')), quarterSel);

  const fq = framework ? `framework=${framework.id}&` : '';
  const href = (ext) => apiUrl(`/reports/indicators.${ext}?${fq}${qs(period)}`);
  return h('div', { class: 'ind-bar', test: 'ind-toolbar' },
    h('div', { class: 'ind-picker' },
      h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('ind.period')), seg),
      yearWrap, quarterWrap, custom),
    h('div', { class: 'ind-actions' },
      h('a', { class: 'btn btn-small', href: href('csv'), download: '', test: 'ind-export-csv' }, t('ind.exportCsv')),
      h('a', { class: 'btn btn-small', href: href('xlsx'), download: '', test: 'ind-export-xlsx' }, t('ind.exportXlsx')),
      h('a', { class: 'btn btn-small btn-primary', href: `/report.html?${fq}${qs(period)}`, target: '_blank', rel: 'noopener', test: 'ind-print' }, t('ind.print'))));
}

/* ------------------------------------------------------------- summary */

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function heldTotal(actuals) {
  if (!actuals || !actuals.events) return null;
  const byKind = pairs(pick(actuals.events, ['by_kind', 'kind', 'kinds']));
  if (byKind.length) return byKind.reduce((a, [, n]) => a + n, 0);
  if (typeof actuals.events.total === 'number') return actuals.events.total;
  return null;
}

function summary(data, items) {
  const met = items.filter((i) => i.met === true).length;
  const noData = items.filter((i) => i.no_data).length;
  const stat = (label, value, test, extra, sub) => h('section', { class: 'card stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, h('span', { test }, value), extra || null),
    sub ? h('div', { class: 'stat-sub' }, sub) : null);
  return h('div', { class: 'stats ind-stats', test: 'ind-summary' },
    stat(t('ind.total'), fmtNum(num(data.total_score)), 'ind-total',
      h('span', { class: 'ind-total-max', test: 'ind-max' }, `/ ${fmtNum(num(data.max_score))}`),
      data.previous && data.previous.total_score != null ? t('ind.previousOf', { score: fmtNum(data.previous.total_score) }) : null),
    stat(t('ind.metCount'), t('ind.metOf', { met, all: items.filter((i) => i.met !== null && i.met !== undefined).length }), 'ind-met-count'),
    stat(t('ind.noDataCount'), t('ind.noDataOf', { n: noData }), 'ind-nodata-count', null, noData ? t('ind.noDataHint') : null));
}

/* --------------------------------------------------------------- table */

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
const isChecklist = (it) => it.rule === 'checklist';
const isManualScore = (it) => it.rule === 'manual';
// the actual is entered for the period (a manual source, not a checklist or manual score)
const takesValue = (it) => it.source === 'manual' && !isChecklist(it) && !isManualScore(it);

function actualNode(it) {
  if (it.actual_text) return h('span', { test: 'ind-actual-value' }, it.actual_text);
  if (it.no_data || it.actual === null || it.actual === undefined) return h('span', { class: 'ind-nodata', test: 'ind-nodata' }, t('ind.noData'));
  return h('span', { test: 'ind-actual-value' }, fmtActual(it));
}

function metNode(it) {
  if (it.no_data || it.met === null || it.met === undefined) return h('span', { class: 'ind-met', test: 'ind-met' });
  return h('span', { class: `ind-met ${it.met ? 'ind-yes' : 'ind-no'}`, test: 'ind-met', title: t(it.met ? 'ind.met' : 'ind.notMet'), 'aria-label': t(it.met ? 'ind.met' : 'ind.notMet') }, it.met ? '✓' : '✗');
}

function previousNode(it) {
  if (!it.previous || it.previous.score === null || it.previous.score === undefined) {
    return h('span', { class: 'ind-nodata' }, it.previous ? '—' : '');
  }
  const p = it.previous.score;
  const d = it.score == null ? null : Math.round((it.score - p) * 100) / 100;
  return h('span', null, fmtNum(p),
    d ? h('span', { class: d > 0 ? 'ind-up' : 'ind-down', title: `${d > 0 ? '+' : ''}${fmtNum(d)}` }, d > 0 ? ` ↑${fmtNum(d)}` : ` ↓${fmtNum(-d)}`) : null);
}

// One period entry PUT: value, rating, score, checklist or note. Entries
// are sent one after another, so quick ticks arrive in their order.
function saveEntry(view, it, body, control) {
  view.queue = (view.queue || Promise.resolve()).then(() => putEntry(view, it, body, control));
  return view.queue;
}

async function putEntry(view, it, body, control) {
  const { framework, period } = view;
  try {
    await api('PUT', `/indicators/${encodeURIComponent(it.code)}?framework=${framework.id}&${qs(period)}`, body);
    if (control) control.removeAttribute('aria-invalid');
    toast(t('ind.entry.saved'));
    await view.refreshScores();
  } catch (e) {
    if (e.status === 401) return;
    if (control) control.setAttribute('aria-invalid', 'true');
    toast(t('ind.entry.error', { message: errorText(e) }), 'error');
  }
}

// A number input saving on change: value, rating (0–100) or score (0–weight).
function numberEntry(view, it, key, test) {
  const max = key === 'score' ? num(it.weight) : (key === 'rating' || it.unit !== 'count') ? 100 : 1e6;
  const cur = key === 'score' ? it.entered_score : it[key];
  const input = h('input', {
    type: 'number', class: 'input', step: 'any', min: 0, max, inputmode: 'decimal', test,
    value: typeof cur === 'number' ? String(cur) : '',
    'aria-label': `${it.level3} ${t(key === 'score' ? 'ind.entry.score' : key === 'rating' ? 'ind.entry.rating' : 'ind.entry.value')}`,
  });
  const err = h('span', { class: 'ind-entry-err', test: `${test}-error` });
  input.addEventListener('change', () => {
    const s = input.value.trim();
    const n = Number(s);
    if (s !== '' && (!Number.isFinite(n) || n < 0 || n > max)) {
      input.setAttribute('aria-invalid', 'true');
      err.textContent = t('ind.entry.bad', { max: fmtNum(max) });
      return;
    }
    err.textContent = '';
    saveEntry(view, it, { [key]: s === '' ? null : n }, input);
  });
  const unit = key === 'score' ? '' : (key === 'rating' || it.unit !== 'count') ? '%' : '';
  return h('span', null, h('span', { class: 'ind-entry' }, input, unit ? h('span', { class: 'ind-entry-unit' }, unit) : null), err);
}

function pointsCell(view, it) {
  const items = Array.isArray(it.checklist) ? it.checklist : [];
  const td = h('td', { class: 'ind-points-cell', test: 'ind-points', 'data-label': t('ind.col.points') });
  if (!items.length) return td;
  const marks = () => [...td.querySelectorAll('input[type=checkbox]')].map((c) => c.checked);
  items.forEach((c, i) => {
    const penalty = c.points < 0;
    const box = h('input', {
      type: 'checkbox', checked: c.met === true, test: 'ind-mark',
      'aria-label': `${it.level3} ${CIRCLED[i] || i + 1} ${t(penalty ? 'ind.entry.markPenalty' : 'ind.entry.mark')}`,
    });
    const label = h('label', { class: `ind-point${penalty ? ' is-penalty' : ''}${c.met === true ? ' is-met' : c.met === false ? ' is-off' : ''}`, test: 'ind-point' },
      box,
      h('span', { class: 'ind-point-text' }, `${CIRCLED[i] || `${i + 1}.`} ${c.text}`),
      h('span', { class: 'ind-point-pts' }, penalty ? `−${fmtNum(-c.points)}` : `${fmtNum(c.points)}`));
    box.addEventListener('change', () => {
      label.classList.toggle('is-met', box.checked);
      label.classList.toggle('is-off', !box.checked);
      // the first mark of a row marks every item: unticked ones as not met
      saveEntry(view, it, { checklist: marks() }, null);
    });
    td.appendChild(label);
  });
  return td;
}

function noteCell(view, it) {
  const ta = h('textarea', {
    class: 'input', rows: 2, maxlength: 500, test: 'ind-entry-note', placeholder: t('ind.entry.notePlaceholder'),
    'aria-label': `${it.level3} ${t('ind.entry.note')}`,
  });
  ta.value = it.note || '';
  let saved = ta.value;
  ta.addEventListener('change', () => {
    if (ta.value.trim() === saved.trim()) return;
    saved = ta.value;
    saveEntry(view, it, { note: ta.value.trim() }, ta);
  });
  return h('td', { class: 'ind-note-cell', test: 'ind-note-cell', 'data-label': t('ind.col.note') }, view.framework ? ta : (it.note || ''));
}

// Updates the computed cells after an entry, keeping the inputs (and focus).
function applyScores(root, data) {
  for (const it of data.items || []) {
    const tr = root.querySelector(`tr[data-code="${CSS.escape(it.code)}"]`);
    if (!tr) continue;
    const score = tr.querySelector('[data-test="ind-score-value"]');
    if (score) score.textContent = it.score == null ? '—' : fmtNum(it.score);
    const act = tr.querySelector('[data-test="ind-actual-text"]');
    if (act) act.replaceChildren(actualNode(it));
    const met = tr.querySelector('[data-test="ind-met"]');
    if (met) met.replaceWith(metNode(it));
    const prev = tr.querySelector('[data-test="ind-previous"]');
    if (prev) prev.replaceChildren(previousNode(it));
    it.checklist.forEach((c, i) => {
      const label = tr.querySelectorAll('[data-test="ind-point"]')[i];
      const box = label && label.querySelector('input');
      if (!box) return;
      box.checked = c.met === true;
      label.classList.toggle('is-met', c.met === true);
      label.classList.toggle('is-off', c.met === false);
    });
  }
  const sum = root.querySelector('[data-test="ind-sum-score"]');
  if (sum) sum.textContent = fmtNum(num(data.total_score));
  const w = root.querySelector('[data-test="ind-sum-weight"]');
  if (w) w.textContent = fmtNum(num(data.max_score));
}

function indicatorTable(data, items, view) {
  if (!items.length) {
    return h('div', { class: 'state state-empty', test: 'empty' }, view.framework ? t('ind.empty') : t('ind.fw.none'));
  }
  // rowspans: consecutive rows of the same level 1, and of the same level 2 within it
  const span1 = new Array(items.length).fill(0);
  const span2 = new Array(items.length).fill(0);
  for (let i = 0; i < items.length;) {
    let j = i;
    while (j < items.length && items[j].level1 === items[i].level1) j++;
    span1[i] = j - i;
    for (let k = i; k < j;) {
      let l = k;
      while (l < j && items[l].level2 === items[k].level2) l++;
      span2[k] = l - k;
      k = l;
    }
    i = j;
  }
  const canEnter = !!view.framework;

  const rows = items.map((it, i) => {
    const manual = it.manual && typeof it.manual === 'object'
      ? h('span', { class: 'ind-manual', test: 'ind-manual-note' },
        t('ind.manualBy', { user: it.manual.username || '', at: fmtStamp(it.manual.at) }))
      : null;
    const actualCell = h('td', { class: 'ind-num', test: 'ind-actual', 'data-label': t('ind.col.actual') });
    if (canEnter && takesValue(it)) {
      actualCell.append(numberEntry(view, it, it.unit === 'rating' ? 'rating' : 'value', it.unit === 'rating' ? 'ind-entry-rating' : 'ind-entry-value'), metNode(it));
      if (manual) actualCell.append(manual);
    } else {
      actualCell.append(h('span', { test: 'ind-actual-text' }, actualNode(it)), metNode(it));
    }
    const scoreCell = h('td', { class: 'ind-num ind-score', test: 'ind-score', 'data-label': t('ind.col.score') });
    if (canEnter && isManualScore(it)) scoreCell.append(numberEntry(view, it, 'score', 'ind-entry-score'));
    else scoreCell.append(h('span', { test: 'ind-score-value' }, it.score === null || it.score === undefined ? '—' : fmtNum(it.score)));
    const edit = editing && canEnter
      ? h('button', { type: 'button', class: 'btn ind-edit', test: 'ind-row-edit', 'aria-label': `${t('ind.edit')} ${it.level3}`,
        onclick: () => openRowEditor({ framework: view.framework, row: it, levels: items, onSaved: () => view.ctx.refresh() }) }, t('ind.edit'))
      : h('button', { type: 'button', class: 'btn ind-edit', test: 'ind-edit', 'aria-label': `${t('ind.edit')} ${it.level3}`,
        onclick: () => editIndicator(it, view.period, view.framework, view.ctx.refresh) }, t('ind.edit'));
    const srcWords = it.source === 'manual' ? '' : ` · ${sourceName(it.source, view.sources)}`;
    const level3 = h('td', { test: 'ind-level3' },
      h('span', { class: 'ind-levels' }, `${it.level1} · ${it.level2}`),
      h('span', { class: 'ind-name' }, it.level3),
      takesValue(it) ? h('span', { class: 'ind-tag' }, t('ind.manual')) : null,
      h('span', { class: 'ind-source' }, `${ruleText(it.rule, it.unit)}${srcWords}`));
    level3.addEventListener('click', () => (editing && canEnter
      ? openRowEditor({ framework: view.framework, row: it, levels: items, onSaved: () => view.ctx.refresh() })
      : editIndicator(it, view.period, view.framework, view.ctx.refresh)));
    return h('tr', { class: 'ind-row', test: 'ind-row', 'data-code': it.code },
      span1[i] ? h('th', { scope: 'rowgroup', class: 'ind-l1', rowspan: span1[i] }, it.level1) : null,
      span2[i] ? h('td', { class: 'ind-l2', rowspan: span2[i] }, it.level2) : null,
      level3,
      h('td', { class: 'ind-num', test: 'ind-weight', 'data-label': t('ind.col.weight') }, fmtNum(num(it.weight))),
      h('td', { class: 'ind-target', test: 'ind-target', 'data-label': t('ind.col.target') }, it.target || '—'),
      actualCell,
      scoreCell,
      pointsCell(view, it),
      noteCell(view, it),
      h('td', { class: 'ind-prev', test: 'ind-previous', 'data-label': t('ind.col.previous') }, previousNode(it)),
      h('td', { class: 'ind-num ind-edit-cell' }, canEnter ? edit : null));
  });

  return h('div', { class: 'ind-table-wrap' },
    h('table', { class: 'ind-table', test: 'ind-table' },
      h('caption', { class: 'sr-only' }, view.framework ? view.framework.name : t('ind.title')),
      h('thead', null, h('tr', null,
        ['level1', 'level2', 'level3', 'weight', 'target', 'actual', 'score', 'points', 'note', 'previous'].map((k) => h('th', { scope: 'col', class: `ind-col-${k === 'level1' ? 'l1' : k === 'level2' ? 'l2' : k}` }, t(`ind.col.${k}`))),
        h('th', { scope: 'col', class: 'ind-col-edit' }, h('span', { class: 'sr-only' }, t('common.actions'))))),
      h('tbody', null, rows),
      h('tfoot', null, h('tr', { test: 'ind-sum-row' },
        h('td', { class: 'ind-foot-levels', colspan: 2 }),
        h('td', { class: 'ind-sum-label' }, t('ind.sum')),
        h('td', { class: 'ind-num', test: 'ind-sum-weight', 'data-label': t('ind.col.weight') }, fmtNum(num(data.max_score))),
        h('td', { colspan: 2 }),
        h('td', { class: 'ind-num ind-score', test: 'ind-sum-score', 'data-label': t('ind.col.score') }, fmtNum(num(data.total_score))),
        h('td', { colspan: 2 }),
        h('td', { class: 'ind-prev', test: 'ind-sum-previous', 'data-label': t('ind.col.previous') }, data.previous && data.previous.total_score != null ? fmtNum(data.previous.total_score) : ''),
        h('td', { class: 'ind-edit-cell' })))));
}

/* ------------------------------------------------ charts per level 1 */

function groupCharts(items, disposers) {
  const groups = [];
  for (const it of items) {
    let g = groups.find((x) => x.name === it.level1);
    if (!g) groups.push(g = { name: it.level1, rows: [] });
    g.rows.push(it);
  }
  if (!groups.length) return h('div');
  const grid = h('div', { class: 'ind-group-charts', test: 'ind-group-charts' });
  for (const g of groups) {
    const score = g.rows.reduce((a, r) => a + num(r.score), 0);
    const max = g.rows.reduce((a, r) => a + num(r.weight), 0);
    const title = t('ind.chartGroup', { name: g.name, score: fmtNum(score), max: fmtNum(max) });
    const box = h('div', { class: 'ind-group-chart', test: 'ind-group-chart', role: 'img', 'aria-label': title });
    box.style.height = `${Math.max(150, g.rows.length * 34 + 50)}px`;
    grid.appendChild(h('section', { class: 'card', test: 'ind-group-card' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, title), h('span', { class: 'card-hint' }, t('ind.chartHint'))),
      box));
    mountChart(box, {
      grid: { left: 8, right: 44, top: 8, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        // names come from a coordinator's table: escaped
        formatter: (ps) => {
          const r = g.rows[ps[0].dataIndex];
          return `${esc(r.level3)}<br>${esc(t('ind.col.score'))}: ${r.score == null ? esc(t('ind.noData')) : fmtNum(r.score)} / ${fmtNum(num(r.weight))}`;
        },
      },
      xAxis: { type: 'value', axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
      yAxis: { type: 'category', inverse: true, data: g.rows.map((r) => r.level3), axisTick: { show: false },
        axisLabel: { color: '#1f2933', width: 130, overflow: 'truncate' } },
      series: [
        { name: t('dash.weightSeries'), type: 'bar', barWidth: 14, barGap: '-100%', z: 1, itemStyle: { color: '#dfe7f1' }, data: g.rows.map((r) => num(r.weight)) },
        {
          name: t('dash.scoreSeries'), type: 'bar', barWidth: 14, z: 2,
          data: g.rows.map((r) => ({ value: r.score == null ? 0 : r.score, itemStyle: { color: r.score == null ? '#c3c9d1' : r.score >= num(r.weight) ? '#1f8a70' : '#2f6fb0' } })),
          label: { show: true, position: 'right', color: '#344054', formatter: (x) => { const r = g.rows[x.dataIndex]; return r.score == null ? '—' : fmtNum(r.score); } },
        },
      ],
    }, disposers);
  }
  return grid;
}

const sourceText = (s) => (SOURCES.includes(s) ? t(`ind.source.${s}`) : t('ind.source.computed', { name: sourceName(s, knownSources) }));

/* -------------------------------------------------------------- editor */

function editIndicator(item, period, framework, reload) {
  const d = openDialog({ title: t('ind.dialog.title', { name: item.level3 }), test: 'ind-dialog', wide: true });
  d.footer.remove();
  const pw = periodWords(period.from, period.to, getLang());
  const sections = [];

  d.body.appendChild(h('dl', { class: 'ind-dlg-meta' },
    h('dt', null, t('ind.dialog.levels')), h('dd', null, `${item.level1} / ${item.level2}`),
    h('dt', null, t('ind.col.actual')), h('dd', { test: 'ind-dialog-actual' }, fmtActualOrNone(item)),
    h('dt', null, t('ind.col.score')), h('dd', null, item.score == null ? '—' : `${fmtNum(item.score)} / ${fmtNum(num(item.weight))}`),
    h('dt', null, t('ind.period')), h('dd', null, t('ind.periodRange', { period: pw, from: period.from, to: period.to }))));

  // 1. this period's manual value
  if (item.source === 'manual' && item.rule !== 'checklist' && item.rule !== 'manual') {
    const unitKey = item.unit === 'percent' ? 'ind.dialog.valuePercent' : item.unit === 'rating' ? 'ind.dialog.valueRating' : 'ind.dialog.valueCount';
    const cur = item.manual && typeof item.manual.value === 'number' ? String(item.manual.value) : '';
    const rated = item.unit === 'rating';
    const cur0 = rated ? item.rating : item.manual && item.manual.value;
    const curS = typeof cur0 === 'number' ? String(cur0) : cur;
    const value = h('input', { type: 'number', class: 'input input-num', step: 'any', min: 0, max: item.unit === 'count' ? null : 100, inputmode: 'decimal', value: curS, test: 'ind-value' });
    const note = h('textarea', { class: 'input textarea', rows: 2, maxlength: 500, placeholder: t('ind.dialog.notePlaceholder'), test: 'ind-note' });
    note.value = item.note || '';
    const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'ind-save-value' }, t('ind.dialog.saveValue'));
    const form = h('form', { class: 'form ind-dlg-section', test: 'ind-value-form', novalidate: true },
      h('h3', { class: 'ind-dlg-title' }, t('ind.dialog.value')),
      h('p', { class: 'field-hint' }, t('ind.dialog.valueHint', { period: pw })),
      h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
      field('indv', 'value', t(unitKey), value),
      field('indv', 'note', t('ind.dialog.note'), note),
      h('div', { class: 'form-actions' }, save));
    value.addEventListener('input', () => clearFormErrors(form));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearFormErrors(form);
      const v = value.value.trim();
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || n < 0 || (item.unit !== 'count' && n > 100)) {
        setFieldError(form, 'value', t('ind.error.value'));
        focusError(form);
        return;
      }
      const bodyV = { from: period.from, to: period.to, [rated ? 'rating' : 'value']: n };
      if (note.value.trim()) bodyV.note = note.value.trim();
      await submit(form, save, bodyV, t('ind.savedValue', { name: item.level3 }));
    });
    sections.push(form);
    setTimeout(() => value.focus(), 0);
  } else {
    sections.push(h('div', { class: 'ind-dlg-section' },
      h('h3', { class: 'ind-dlg-title' }, t('ind.dialog.value')),
      h('p', { class: 'muted', test: 'ind-computed' }, item.rule === 'checklist' || item.rule === 'manual'
        ? t('ind.dialog.inline') : `${t('ind.dialog.computed')} ${sourceText(item.source)}`)));
  }

  // 2. target, weight and rule, for the framework or this period
  const target = h('input', { type: 'text', class: 'input', maxlength: 32, value: item.target || '', test: 'ind-target-input' });
  const weight = h('input', { type: 'number', class: 'input input-num', min: 0, max: 100, step: 'any', value: String(item.weight ?? ''), test: 'ind-weight-input' });
  const rules = RULES.includes(item.rule) ? RULES : [item.rule, ...RULES];
  const rule = h('select', { class: 'input input-select', test: 'ind-rule-input' },
    rules.map((r) => h('option', { value: r, selected: r === item.rule }, RULES.includes(r) ? ruleLabel(r) : ruleText(r, item.unit))));
  const ruleHint = h('p', { class: 'ind-rule-hint', test: 'ind-rule-hint' });
  const showHint = () => { ruleHint.textContent = RULES.includes(rule.value) ? t(`ind.ruleHint.${rule.value}`) : ''; };
  rule.addEventListener('change', showHint);
  showHint();
  const scopeName = `ind-scope-${Math.random().toString(36).slice(2)}`;
  const scopeFw = h('input', { type: 'radio', name: scopeName, value: 'framework', checked: true, test: 'ind-scope-framework' });
  const scopePeriod = h('input', { type: 'radio', name: scopeName, value: 'period', test: 'ind-scope-period' });
  const save2 = h('button', { type: 'submit', class: 'btn btn-primary', test: 'ind-save-settings' }, t('ind.dialog.saveSettings'));
  const form2 = h('form', { class: 'form ind-dlg-section', test: 'ind-settings-form', novalidate: true },
    h('h3', { class: 'ind-dlg-title' }, t('ind.dialog.settings')),
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('fieldset', { class: 'ind-scope' },
      h('legend', { class: 'field-label' }, t('ind.dialog.scope')),
      h('label', null, scopeFw, t('ind.dialog.scopeFramework')),
      h('label', null, scopePeriod, t('ind.dialog.scopePeriod', { period: pw }))),
    h('div', { class: 'form-grid' },
      field('inds', 'target', t('ind.dialog.target'), target, t('ind.dialog.targetHint')),
      field('inds', 'weight', t('ind.dialog.weight'), weight)),
    field('inds', 'rule', t('ind.dialog.rule'), rule),
    ruleHint,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'ind-cancel', onclick: d.close }, t('common.cancel')),
      save2));
  form2.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form2);
    const w = Number(weight.value);
    let bad = false;
    if (!target.value.trim() && item.target) { setFieldError(form2, 'target', t('ind.error.target')); bad = true; }
    if (weight.value.trim() === '' || !Number.isFinite(w) || w < 0 || w > 100) { setFieldError(form2, 'weight', t('ind.error.weight')); bad = true; }
    if (bad) { focusError(form2); return; }
    const bodyS = {};
    const forPeriod = scopePeriod.checked;
    // only what changed: a period override pins nothing the user left alone
    if (target.value.trim() !== (item.target || '')) bodyS.target = target.value.trim();
    if (!forPeriod || w !== item.weight) bodyS.weight = w;
    if (!forPeriod || rule.value !== item.rule) bodyS.rule = rule.value;
    if (!Object.keys(bodyS).length) { d.close(); return; }
    if (forPeriod) { bodyS.from = period.from; bodyS.to = period.to; }
    await submit(form2, save2, bodyS, t('ind.savedSettings', { name: item.level3 }));
  });
  sections.push(form2);
  d.body.append(...sections);

  async function submit(form, btn, body, okText) {
    btn.disabled = true;
    const label = btn.textContent;
    btn.textContent = t('common.saving');
    try {
      await api('PUT', `/indicators/${encodeURIComponent(item.code)}?framework=${framework.id}`, body);
      d.close();
      toast(okText);
      reload();
    } catch (e) {
      btn.disabled = false;
      btn.textContent = label;
      if (e.status === 401) return;
      if (e.status === 422 && e.field && setFieldError(form, e.field, t(`ind.error.${e.field}`) === `ind.error.${e.field}` ? e.message : t(`ind.error.${e.field}`))) {
        focusError(form);
        return;
      }
      setFormError(form, errorText(e));
    }
  }
}

function fmtActualOrNone(item) {
  if (item.no_data || item.actual == null) return t('ind.noData');
  return (typeof item.actual_text === 'string' && item.actual_text) ? item.actual_text : fmtActual(item);
}


/* ----------------------------------------------------------- dashboard */

// The first of obj's keys that is present.
function pick(obj, keys) {
  if (!obj || typeof obj !== 'object') return undefined;
  for (const k of keys) if (obj[k] !== undefined) return obj[k];
  return undefined;
}

// {a: 1} | {a: {count: 1}} | [{kind: 'a', count: 1}] → [['a', 1]]
function pairs(x, keyNames = ['key', 'kind', 'month', 'quarter', 'station', 'station_name', 'name', 'audience']) {
  const val = (v) => (typeof v === 'number' ? v : v && typeof v === 'object' ? num(pick(v, ['count', 'held', 'n', 'total', 'value'])) : 0);
  if (Array.isArray(x)) {
    return x.filter((r) => r && typeof r === 'object').map((r) => [String(pick(r, keyNames) ?? ''), val(r)]);
  }
  if (x && typeof x === 'object') return Object.entries(x).map(([k, v]) => [k, val(v)]);
  return [];
}

// Months of the period: ['2026-01', …]
function monthsOf(from, to) {
  const out = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const y2 = Number(to.slice(0, 4));
  const m2 = Number(to.slice(5, 7));
  while ((y < y2 || (y === y2 && m <= m2)) && out.length < 120) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// "3月" / "Mar" within one year, "2026年3月" / "Mar 2026" across years.
function monthLabeller(months) {
  const oneYear = new Set(months.map((m) => m.slice(0, 4))).size <= 1;
  return (ym) => {
    const y = ym.slice(0, 4);
    const m = Number(ym.slice(5, 7));
    if (getLang() === 'en') return oneYear ? MONTHS_EN[m - 1] : `${MONTHS_EN[m - 1]} ${y}`;
    return oneYear ? `${m}月` : `${y}年${m}月`;
  };
}

// month → {kind: count} of held events: actuals.events.by_month
// ({"2026-03": {"lecture": 2}}), or, without it, the held events themselves.
async function monthByKind(period, actuals) {
  const raw = actuals && actuals.events && actuals.events.by_month;
  const out = new Map();
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [m, v] of Object.entries(raw)) {
      out.set(m, Object.fromEntries(KINDS.map((k) => [k, num(v && typeof v === 'object' ? v[k] : 0)])));
    }
    return out;
  }
  const events = await listAll(`/events?status=held&${qs(period)}`);
  for (const e of events) {
    if (e.status && e.status !== 'held') continue;
    const m = wallDate(e.start).slice(0, 7);
    const row = out.get(m) || Object.fromEntries(KINDS.map((k) => [k, 0]));
    if (KINDS.includes(e.kind)) row[e.kind] += 1;
    out.set(m, row);
  }
  return out;
}

function chartCard(title, hint, test, wide) {
  const box = h('div', { class: 'ind-chart', test, role: 'img', 'aria-label': title });
  const card = h('section', { class: wide ? 'card ind-wide' : 'card', test: `${test}-card` },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, title), hint ? h('span', { class: 'card-hint' }, hint) : null),
    box);
  return { card, box };
}

function emptyChart(box, text) {
  box.replaceWith(h('div', { class: 'ind-chart-empty', test: `${box.getAttribute('data-test')}-empty` }, text));
}

// ECharts tooltips are HTML: names from the records are escaped.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// Charts start once their box is in the page (ECharts measures it then).
function mountChart(box, option, disposers) {
  if (!window.echarts) { emptyChart(box, t('dash.chartUnavailable')); return; }
  let chart = null;
  let ro = null;
  disposers.push(() => { if (ro) ro.disconnect(); if (chart) chart.dispose(); chart = null; });
  queueMicrotask(() => {
    if (!box.isConnected) return;
    chart = window.echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption({ textStyle: { fontFamily: FONT }, animationDuration: 400, ...option });
    ro = new ResizeObserver(() => { if (chart) chart.resize(); });
    ro.observe(box);
  });
}

// The API's rates are shares (0–1); the dashboard shows percentages.
const pct = (rate) => (typeof rate === 'number' && Number.isFinite(rate) ? rate * 100 : null);

function dashboard(period, items, actuals, actualsError, disposers, ctx) {
  const wrap = h('div', { class: 'ind-dash', test: 'ind-dashboard' });
  if (!actuals) {
    wrap.appendChild(errorState(actualsError || new Error('actuals'), () => ctx.refresh()));
    return wrap;
  }

  // ---- cards
  const part = actuals.participants || {};
  const satMonths = pick(actuals, ['satisfaction_by_month']) || {};
  const satRows = (Array.isArray(satMonths) ? satMonths.map((r) => [r.month, r]) : Object.entries(satMonths))
    .map(([m, v]) => [String(m), { satisfied: num(v && v.satisfied), total: num(v && v.total), rate: v ? pct(v.rate) : null }])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const satSum = satRows.reduce((a, [, v]) => ({ satisfied: a.satisfied + v.satisfied, total: a.total + v.total }), { satisfied: 0, total: 0 });
  const held = heldTotal(actuals);
  const plannedN = pairs(pick(actuals.planned, ['by_kind', 'kind']) ?? actuals.planned).reduce((a, [, n]) => a + n, 0);
  const hours = Array.isArray(actuals.duty_hours) ? actuals.duty_hours.reduce((a, r) => a + num(r && r.hours), 0) : null;
  const attRate = pct(part.attendance_rate);

  const card = (label, value, unit, test, sub) => h('section', { class: 'card stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: value == null ? 'stat-value stat-value-none' : 'stat-value' },
      h('span', { test }, value == null ? t('ind.noData') : String(value)),
      value != null && unit ? h('span', { class: 'stat-unit' }, unit) : null),
    sub ? h('div', { class: 'stat-sub', test: `${test}-sub` }, sub) : null);
  wrap.appendChild(h('div', { class: 'stats', test: 'dash-cards' },
    card(t('dash.activities'), held ?? 0, t('dash.unitSessions'), 'dash-held', plannedN ? t('dash.planned', { n: plannedN }) : null),
    card(t('dash.registered'), num(part.registered), t('dash.unitPeople'), 'dash-registered'),
    card(t('dash.attended'), num(part.attended), t('dash.unitPeople'), 'dash-attended',
      attRate == null ? null : `${t('dash.attendanceRate')} ${fmtNum(attRate, 1)}%`),
    card(t('dash.satisfaction'), satSum.total ? `${fmtNum((satSum.satisfied / satSum.total) * 100, 1)}%` : null, null, 'dash-satisfaction',
      satSum.total ? t('dash.answers', { n: satSum.total }) : null),
    hours == null ? null : card(t('dash.dutyHours'), fmtNum(hours, 1), t('dash.unitHours'), 'dash-hours')));

  const grid = h('div', { class: 'ind-charts' });
  wrap.appendChild(grid);

  // ---- activities per month, stacked by kind
  const c1 = chartCard(t('dash.byMonth'), t('dash.byMonthHint'), 'chart-by-month', true);
  grid.appendChild(c1.card);
  monthByKind(period, actuals).then((byMonth) => {
    if (!ctx.alive()) return;
    const months = monthsOf(period.from, period.to);
    for (const m of byMonth.keys()) if (!months.includes(m)) months.push(m);
    months.sort();
    const used = KINDS.filter((k) => [...byMonth.values()].some((r) => r[k]));
    if (!used.length) { emptyChart(c1.box, t('dash.noData')); return; }
    mountChart(c1.box, {
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 16, top: 36, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: months.map(monthLabeller(months)), axisTick: { alignWithLabel: true }, axisLabel: { color: '#4a5563', hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
      series: used.map((k) => ({
        name: kindLabel(k), type: 'bar', stack: 'kind', barMaxWidth: 42,
        itemStyle: { color: KIND_COLORS[k] },
        emphasis: { focus: 'series' },
        data: months.map((m) => num((byMonth.get(m) || {})[k])),
      })),
    }, disposers);
  }).catch((e) => {
    if (ctx.alive() && e.status !== 401) c1.box.replaceWith(errorState(e));
  });

  // ---- satisfaction per month with the 90 % target
  const c2 = chartCard(t('dash.satTrend'), t('dash.satTrendHint'), 'chart-satisfaction');
  grid.appendChild(c2.card);
  const satShown = satRows.filter(([, v]) => v.total > 0);
  if (!satShown.length) emptyChart(c2.box, t('dash.noSurvey'));
  else {
    const months = monthsOf(period.from, period.to);
    const data = months.map((m) => {
      const r = satRows.find(([k]) => k === m);
      if (!r || !r[1].total) return null;
      const rate = r[1].rate != null ? r[1].rate : (r[1].satisfied / r[1].total) * 100;
      return Math.round(rate * 10) / 10;
    });
    const minVal = Math.min(...data.filter((v) => v != null));
    mountChart(c2.box, {
      grid: { left: 8, right: 24, top: 28, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : `${v}%`) },
      xAxis: { type: 'category', data: months.map(monthLabeller(months)), boundaryGap: false, axisLabel: { color: '#4a5563', hideOverlap: true } },
      yAxis: { type: 'value', min: minVal < 50 ? 0 : 50, max: 100, axisLabel: { color: '#4a5563', formatter: '{value}%' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
      series: [{
        name: t('dash.satSeries'), type: 'line', data, connectNulls: true, symbolSize: 8,
        itemStyle: { color: '#2f6fb0' }, lineStyle: { width: 3 },
        label: { show: true, position: 'top', formatter: (x) => (x.value == null ? '' : `${x.value}%`), color: '#1b4570' },
        markLine: {
          silent: true, symbol: 'none',
          lineStyle: { color: '#c0392b', type: 'dashed', width: 2 },
          label: { formatter: t('dash.satTarget'), position: 'insideStartTop', color: '#b42318' },
          data: [{ yAxis: 90 }],
        },
      }],
    }, disposers);
  }

  // ---- score against weight per indicator
  const c3 = chartCard(t('dash.scores'), t('dash.scoresHint'), 'chart-scores');
  grid.appendChild(c3.card);
  if (!items.length) emptyChart(c3.box, t('dash.noData'));
  else {
    c3.box.style.height = `${Math.max(260, items.length * 36 + 60)}px`;
    mountChart(c3.box, {
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 8, right: 48, top: 32, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
      yAxis: { type: 'category', inverse: true, data: items.map((i) => i.level3), axisTick: { show: false },
        axisLabel: { color: '#1f2933', width: 150, overflow: 'truncate' } },
      series: [
        { name: t('dash.weightSeries'), type: 'bar', barWidth: 16, barGap: '-100%', z: 1, itemStyle: { color: '#dfe7f1' }, data: items.map((i) => num(i.weight)) },
        {
          name: t('dash.scoreSeries'), type: 'bar', barWidth: 16, z: 2, itemStyle: { color: '#2f6fb0' },
          data: items.map((i) => ({ value: i.score == null ? 0 : i.score, itemStyle: { color: i.score == null ? '#c3c9d1' : (i.score >= num(i.weight) ? '#1f8a70' : '#2f6fb0') } })),
          label: { show: true, position: 'right', color: '#344054',
            formatter: (x) => { const it = items[x.dataIndex]; return it.score == null ? t('ind.noData') : `${fmtNum(it.score)} / ${fmtNum(num(it.weight))}`; } },
        },
      ],
    }, disposers);
  }

  // ---- roster coverage by station (or, without rosters, activities by station)
  const covRaw = actuals.coverage_by_station;
  const cov = (Array.isArray(covRaw) ? covRaw : covRaw && typeof covRaw === 'object' ? Object.entries(covRaw).map(([k, v]) => ({ station_name: k, ...v })) : [])
    .map((r) => ({
      name: r.station_name || r.name || r.station || (r.station_id != null ? `#${r.station_id}` : t('dash.districtWide')),
      required: num(r.required), assigned: num(r.assigned),
      rate: pct(r.rate) ?? (num(r.required) ? (num(r.assigned) / num(r.required)) * 100 : null),
    }))
    .filter((r) => r.required > 0);
  // Stations × months: the share of required duty seats that were filled.
  const cells = (Array.isArray(actuals.coverage_by_station_month) ? actuals.coverage_by_station_month : [])
    .filter((r) => num(r.required) > 0);
  if (cov.length && cells.length) {
    const months = [...new Set(cells.map((r) => r.month))].sort();
    const names = cov.map((r) => r.name);
    const data = cells.map((r) => [months.indexOf(r.month), names.indexOf(r.station_name),
      Math.round((num(r.assigned) / num(r.required)) * 1000) / 10, num(r.assigned), num(r.required)])
      .filter((d) => d[1] >= 0);
    const c4 = chartCard(t('dash.coverage'), t('dash.coverageHint'), 'chart-coverage');
    grid.appendChild(c4.card);
    c4.box.style.height = `${Math.max(240, names.length * 30 + 90)}px`;
    mountChart(c4.box, {
      grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
      tooltip: { formatter: (p) => `${esc(names[p.data[1]])} · ${esc(months[p.data[0]])}<br>${p.data[3]} / ${p.data[4]} (${fmtNum(p.data[2], 1)}%)` },
      xAxis: { type: 'category', data: months, splitArea: { show: true }, axisLabel: { color: '#4a5563' } },
      yAxis: { type: 'category', inverse: true, data: names, splitArea: { show: true }, axisLabel: { color: '#1f2933', width: 140, overflow: 'truncate' } },
      visualMap: { dimension: 2, min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120,
        text: ['100%', '0%'], inRange: { color: ['#d64545', '#f0b429', '#1f8a70'] } },
      series: [{ name: t('dash.coverageSeries'), type: 'heatmap', data,
        label: { show: true, formatter: (p) => `${Math.round(p.data[2])}%`, color: '#fff', fontSize: 11 } }],
    }, disposers);
  } else {
    const byStation = pairs(pick(actuals.events, ['by_station', 'station', 'stations']), ['station_name', 'station', 'name', 'key'])
      .map(([k, n]) => [k === '' || k === 'null' ? t('dash.districtWide') : k, n])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const c4 = chartCard(t('dash.byStation'), t('dash.noCoverage'), 'chart-coverage');
    grid.appendChild(c4.card);
    if (!byStation.length) emptyChart(c4.box, t('dash.noData'));
    else {
      c4.box.style.height = `${Math.max(220, byStation.length * 30 + 50)}px`;
      mountChart(c4.box, {
        grid: { left: 8, right: 36, top: 8, bottom: 4, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
        yAxis: { type: 'category', inverse: true, data: byStation.map(([k]) => k), axisTick: { show: false }, axisLabel: { color: '#1f2933', width: 140, overflow: 'truncate' } },
        series: [{ name: t('dash.activities'), type: 'bar', barMaxWidth: 14, itemStyle: { color: '#2f6b9a', borderRadius: [0, 4, 4, 0] },
          data: byStation.map(([, n]) => n), label: { show: true, position: 'right', color: '#344054' } }],
      }, disposers);
    }
  }

  // ---- held activities by audience
  const aud = pairs(pick(actuals.events, ['by_audience', 'audience']), ['audience', 'key']).filter(([, n]) => n > 0);
  const c5 = chartCard(t('dash.byAudience'), t('dash.byAudienceHint'), 'chart-audience');
  grid.appendChild(c5.card);
  if (!aud.length) emptyChart(c5.box, t('dash.noData'));
  else {
    const colors = { staff: '#2f6fb0', residents: '#1f8a70', community_workers: '#d2691e', mixed: '#8a4fb0' };
    mountChart(c5.box, {
      tooltip: { trigger: 'item', formatter: (x) => `${esc(x.name)}: ${x.value} (${x.percent}%)` },
      legend: { bottom: 0, left: 'center', itemWidth: 12, itemHeight: 10 },
      series: [{
        name: t('dash.byAudience'), type: 'pie', radius: ['42%', '68%'], center: ['50%', '45%'],
        avoidLabelOverlap: true, itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { formatter: '{b}\n{c}', color: '#344054', lineHeight: 16 },
        data: aud.map(([k, n]) => ({ name: AUDIENCES.includes(k) ? audienceLabel(k) : k, value: n, itemStyle: { color: colors[k] || '#667085' } })),
      }],
    }, disposers);
  }
  return wrap;
}
