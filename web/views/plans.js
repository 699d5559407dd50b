// 季度计划 (#/plans, #/plans/{id}): plans with targets per kind, and a
// progress page — bars per kind (held / confirmed / planned / gap against
// the target), tables by station, month and audience, the on-time rate,
// and suggested dates for the gap.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, has } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, emptyState, errorState, field, setFieldError,
  clearFormErrors, setFormError, focusError, dataTable,
} from '../ui.js';
import { registerView, navigate } from '../app.js';
import { KINDS, kindLabel, audienceLabel, kindBadge, fmtRange, todayWall, add } from './event-util.js';
import './plans-i18n.js';
import './overview-i18n.js';

const COUNT_KEYS = ['target', 'planned', 'confirmed', 'held', 'cancelled', 'gap', 'total'];
const COUNT_LABEL = {
  target: 'plans.col.target', planned: 'plans.series.planned', confirmed: 'plans.series.confirmed', held: 'plans.series.held',
  cancelled: 'plans.col.cancelled', gap: 'plans.series.gap', total: 'plans.col.total', count: 'plans.col.total',
};
const SERIES_COLORS = { held: '#1f8a70', confirmed: '#2f6fb0', planned: '#9cc0e4', gap: '#fbe3e0' };

// An object keyed by name, or a list, → a list of rows with `key`.
function rowsOf(x, keyName) {
  if (Array.isArray(x)) return x.map((r) => (r && typeof r === 'object' ? r : { [keyName]: r }));
  if (x && typeof x === 'object') {
    return Object.entries(x).map(([k, v]) => ({ [keyName]: k, ...(v && typeof v === 'object' ? v : { count: v }) }));
  }
  return [];
}
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function targetsText(targets) {
  const parts = KINDS.filter((k) => targets && targets[k] != null).map((k) => `${kindLabel(k)} ${targets[k]}`);
  return parts.length ? parts.join(' · ') : '—';
}

function periodText(p) {
  return `${p.from} – ${p.to}`;
}

registerView('plans', {
  titleKey: 'plans.title',
  navKey: 'nav.plans',
  order: 50,
  icon: 'chart',
  async render(el, ctx) {
    const id = ctx.params[0];
    if (id && /^\d+$/.test(id)) return renderProgress(el, ctx, Number(id));
    return renderList(el, ctx);
  },
});

/* ---------------------------------------------------------------- list */

function renderList(el, ctx) {
  const results = h('div', { class: 'results' });
  add(el,
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' }),
      h('button', { type: 'button', class: 'btn btn-primary', test: 'plan-add', onclick: () => planForm(null, (p) => navigate(`plans/${p.id}`)) }, '+ ' + t('plans.add'))),
    results);

  async function load() {
    clear(results).appendChild(loadingState());
    let items;
    try {
      items = await listAll('/plans');
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    if (!items.length) { results.appendChild(emptyState(t('plans.empty'))); return; }
    results.appendChild(dataTable({
      test: 'plans-table',
      rowTest: 'plan-row',
      caption: t('plans.title'),
      rows: items.slice().sort((a, b) => (b.from || '').localeCompare(a.from || '')),
      columns: [
        { label: t('plans.name'), class: 'col-name', cell: (p) => h('a', { href: `#/plans/${p.id}`, test: 'plan-link' }, p.name) },
        { label: t('plans.period'), cell: (p) => periodText(p) },
        { label: t('plans.targets'), class: 'col-wrap', cell: (p) => targetsText(p.targets) },
        { label: t('common.actions'), class: 'col-actions', cell: (p) => h('span', { class: 'row-actions' },
          h('a', { class: 'btn btn-small', href: `#/plans/${p.id}`, test: 'plan-progress' }, t('plans.progress')),
          h('button', { type: 'button', class: 'btn btn-small', test: 'plan-edit', onclick: () => planForm(p, load) }, t('common.edit')),
          h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'plan-delete', onclick: () => deletePlan(p, load) }, t('plans.delete'))) },
      ],
    }));
  }
  load();
  return undefined;
}

async function deletePlan(p, reload) {
  const ok = await confirmDialog(t('plans.confirmDelete', { name: p.name }), { okLabel: t('plans.delete'), danger: true });
  if (!ok) return;
  try {
    await api('DELETE', `/plans/${p.id}`);
    toast(t('plans.deleted', { name: p.name }));
    reload();
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
  }
}

const QZH = ['', '一', '二', '三', '四'];

function quarterOf(date) {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  return { y, q };
}
function quarterRange(y, q) {
  const m1 = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(y, m1 + 2, 0)).getUTCDate();
  return { from: `${y}-${String(m1).padStart(2, '0')}-01`, to: `${y}-${String(m1 + 2).padStart(2, '0')}-${last}` };
}

function planForm(plan, onSaved) {
  const editing = Boolean(plan);
  const d = openDialog({ title: t(editing ? 'plans.edit' : 'plans.add'), test: 'plan-dialog', wide: true });
  const cur = quarterOf(todayWall());
  const first = editing ? null : quarterRange(cur.y, cur.q);
  const name = h('input', { type: 'text', class: 'input', maxlength: 100, placeholder: t('plans.namePlaceholder'), value: editing ? plan.name : t('plans.quarterN', { year: cur.y, q: cur.q, qzh: QZH[cur.q] }) });
  const from = h('input', { type: 'date', class: 'input', value: editing ? plan.from : first.from });
  const to = h('input', { type: 'date', class: 'input', value: editing ? plan.to : first.to });
  const quick = [];
  for (let i = 0; i < 4; i++) {
    const q0 = cur.q - 1 + i;
    const y = cur.y + Math.floor(q0 / 4);
    const q = (q0 % 4) + 1;
    quick.push(h('button', {
      type: 'button', class: 'btn btn-small', test: `plan-quarter-${y}-${q}`,
      onclick: () => { const r = quarterRange(y, q); from.value = r.from; to.value = r.to; name.value = t('plans.quarterN', { year: y, q, qzh: QZH[q] }); },
    }, t('plans.quarterN', { year: y, q, qzh: QZH[q] })));
  }
  const targets = {};
  const targetFields = KINDS.map((k) => {
    const v = editing && plan.targets && plan.targets[k] != null ? String(plan.targets[k]) : '';
    targets[k] = h('input', { type: 'number', class: 'input input-num', min: 0, max: 1000, step: 1, inputmode: 'numeric', value: v, placeholder: '0' });
    return field('plan', `target-${k}`, kindLabel(k), targets[k]);
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'plan-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'plan-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      h('div', { class: 'form-span' }, field('plan', 'name', t('plans.name'), name)),
      editing ? null : h('div', { class: 'form-span quarter-picks' }, h('span', { class: 'field-label' }, t('plans.quarter')), quick),
      field('plan', 'from', t('plans.from'), from),
      field('plan', 'to', t('plans.to'), to)),
    h('fieldset', { class: 'fieldset', 'data-field': 'targets' },
      h('legend', { class: 'field-label' }, t('plans.targets')),
      h('div', { class: 'field-hint' }, t('plans.targetsHint')),
      h('div', { class: 'target-grid' }, targetFields),
      h('div', { class: 'field-error', test: 'error-targets' })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'plan-cancel', onclick: d.close }, t('common.cancel')),
      save));
  d.body.appendChild(form);
  d.footer.remove();
  name.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const tErr = form.querySelector('[data-test="error-targets"]');
    tErr.textContent = '';
    const body = { name: name.value.trim(), from: from.value, to: to.value, targets: {} };
    let bad = false;
    if (!body.name) { setFieldError(form, 'name', t('common.required')); bad = true; }
    if (!body.from) { setFieldError(form, 'from', t('plans.error.from')); bad = true; }
    if (!body.to || (body.from && body.to < body.from)) { setFieldError(form, 'to', t('plans.error.to')); bad = true; }
    for (const k of KINDS) {
      const v = targets[k].value.trim();
      if (v === '') continue;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 1000) { setFieldError(form, `target-${k}`, t('plans.error.targets')); bad = true; } else body.targets[k] = n;
    }
    if (bad) { focusError(form); return; }
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      const saved = editing ? await api('PATCH', `/plans/${plan.id}`, body) : await api('POST', '/plans', body);
      d.close();
      toast(editing ? t('common.saved') : t('plans.created', { name: body.name }));
      onSaved(saved || plan);
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      if (e.field && (e.status === 422 || e.status === 409)) {
        const f = e.field.startsWith('targets') ? null : e.field;
        const msg = has(`plans.error.${f || 'targets'}`) ? t(`plans.error.${f || 'targets'}`) : e.message;
        if (f && setFieldError(form, f, msg)) { focusError(form); return; }
        if (!f) { tErr.textContent = msg; return; }
      }
      setFormError(form, errorText(e));
    }
  });
}

/* ------------------------------------------------------------ progress */

async function renderProgress(el, ctx, id) {
  el.appendChild(loadingState());
  const [plan, progress, stations] = await Promise.all([
    api('GET', `/plans/${id}`), api('GET', `/plans/${id}/progress`), listAll('/stations'),
  ]);
  if (!ctx.alive()) return undefined;
  const stationById = new Map(stations.map((s) => [s.id, s]));
  let disposers = [];

  const page = h('div', { class: 'plan-page', test: 'plan-progress-page' });
  clear(el).appendChild(page);

  function draw(p, prog) {
    for (const fn of disposers) fn();
    disposers = [];
    clear(page);

    const byKind = new Map(rowsOf(prog.by_kind, 'kind').map((r) => [r.kind, r]));
    const kindRows = KINDS.map((k) => {
      const r = byKind.get(k) || {};
      const target = r.target != null ? num(r.target) : num(p.targets && p.targets[k]);
      const held = num(r.held);
      const confirmed = num(r.confirmed);
      const planned = num(r.planned);
      const scheduled = held + confirmed + planned;
      const gap = r.gap != null ? num(r.gap) : Math.max(0, target - scheduled);
      return { kind: k, target, held, confirmed, planned, cancelled: num(r.cancelled), scheduled, gap };
    });
    const shown = kindRows.some((r) => r.target || r.scheduled || r.cancelled)
      ? kindRows.filter((r) => r.target || r.scheduled || r.cancelled) : kindRows;
    const sum = (k) => kindRows.reduce((a, r) => a + r[k], 0);

    const onTime = prog.on_time || {};
    const rate = onTime.rate;
    const rateText = rate == null ? t('plans.noData') : `${Math.round(rate * 1000) / 10}%`;

    const stat = (label, value, test, sub, muted) => h('section', { class: 'card stat' },
      h('div', { class: 'stat-label' }, label),
      h('div', { class: muted ? 'stat-value stat-value-none' : 'stat-value' }, h('span', { test }, value)),
      sub ? h('div', { class: 'stat-sub', test: `${test}-detail` }, sub) : null);

    const chartBox = h('div', { class: 'chart chart-progress', test: 'plan-chart', role: 'img', 'aria-label': t('plans.byKind') });
    chartBox.style.height = `${Math.max(200, shown.length * 56 + 70)}px`;
    const proposeBtn = h('button', { type: 'button', class: 'btn btn-primary', test: 'plan-propose' }, t('plans.propose'));
    const proposals = h('div', { class: 'proposals', test: 'proposals' });

    add(page,
      h('div', { class: 'plan-head' },
        h('a', { href: '#/plans', class: 'back-link', test: 'plan-back' }, t('plans.back')),
        h('div', { class: 'plan-title-row' },
          h('h2', { class: 'plan-title', test: 'plan-title' }, p.name),
          h('span', { class: 'muted' }, periodText(p)),
          h('span', { class: 'plan-head-actions' },
            h('a', { class: 'btn btn-small', href: `#/events/${p.from}`, test: 'plan-open-events' }, t('plans.openEvents')),
            h('button', { type: 'button', class: 'btn btn-small', test: 'plan-edit', onclick: () => planForm(p, reload) }, t('common.edit'))))),
      h('div', { class: 'stats' },
        stat(t('plans.onTime'), rateText, 'plan-ontime',
          rate == null ? null : t('plans.onTimeDetail', { on_time: num(onTime.on_time), held: num(onTime.held) }), rate == null),
        stat(t('plans.totalHeld'), String(sum('held')), 'plan-held'),
        stat(t('plans.totalScheduled'), String(sum('scheduled')), 'plan-scheduled'),
        stat(t('plans.totalTarget'), String(sum('target')), 'plan-target')),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h3', { class: 'card-title' }, t('plans.byKind')),
          h('span', { class: 'card-hint' }, t('plans.byKindHint'))),
        chartBox,
        dataTable({
          test: 'plan-kind-table',
          rows: shown.map((r) => ({ ...r, id: r.kind })),
          columns: [
            { label: t('plans.col.kind'), cell: (r) => kindBadge(r.kind) },
            { label: t('plans.col.target'), class: 'col-num', cell: (r) => String(r.target) },
            { label: t('plans.series.held'), class: 'col-num', cell: (r) => String(r.held) },
            { label: t('plans.series.confirmed'), class: 'col-num', cell: (r) => String(r.confirmed) },
            { label: t('plans.series.planned'), class: 'col-num', cell: (r) => String(r.planned) },
            { label: t('plans.series.gap'), class: 'col-num', cell: (r) => (r.gap ? h('strong', { class: 'gap' }, String(r.gap)) : '0') },
            { label: t('plans.col.cancelled'), class: 'col-num', cell: (r) => String(r.cancelled) },
          ],
        })),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h3', { class: 'card-title' }, t('plans.proposals')),
          proposeBtn),
        proposals),
      h('div', { class: 'two-col' },
        countCard(t('plans.byStation'), 'plan-by-station', rowsOf(prog.by_station, 'station_id'), t('plans.col.station'), (r) => {
          if (r.station_name) return r.station_name;
          if (r.name) return r.name;
          const sid = r.station_id != null && r.station_id !== 'null' ? Number(r.station_id) : null;
          const s = sid != null ? stationById.get(sid) : null;
          return s ? s.name : (sid != null && !Number.isNaN(sid) ? `#${sid}` : t('events.districtWide'));
        }),
        countCard(t('plans.byMonth'), 'plan-by-month', rowsOf(prog.by_month, 'month').sort((a, b) => String(a.month).localeCompare(String(b.month))),
          t('plans.col.month'), (r) => r.month)),
      rowsOf(prog.by_audience, 'audience').length
        ? countCard(t('plans.byAudience'), 'plan-by-audience', rowsOf(prog.by_audience, 'audience'), t('plans.col.audience'), (r) => audienceLabel(r.audience))
        : null,
      rowsOf(prog.station_targets, 'station_id').length
        ? countCard(t('plans.stationTargets'), 'plan-station-targets', rowsOf(prog.station_targets, 'station_id'), t('plans.col.station'), (r) => {
          const s = stationById.get(Number(r.station_id));
          return `${r.station_name || (s ? s.name : `#${r.station_id}`)} · ${kindLabel(r.kind)}`;
        })
        : null);

    disposers.push(drawChart(chartBox, shown));
    proposeBtn.addEventListener('click', () => propose(p, proposeBtn, proposals));
  }

  async function reload() {
    try {
      const [p, prog] = await Promise.all([api('GET', `/plans/${id}`), api('GET', `/plans/${id}/progress`)]);
      if (ctx.alive()) draw(p, prog);
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }

  async function propose(p, btn, box) {
    btn.disabled = true;
    btn.textContent = t('plans.proposing');
    let r;
    try {
      r = await api('POST', `/plans/${p.id}/propose`, {});
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
      return;
    } finally {
      btn.disabled = false;
      btn.textContent = t('plans.propose');
    }
    const list = (r && r.proposals) || [];
    clear(box);
    if (!list.length) { box.appendChild(emptyState(t('plans.noProposals'))); return; }
    const accept = h('button', { type: 'button', class: 'btn btn-primary', test: 'plan-accept' });
    const boxes = [];
    const count = () => {
      const n = boxes.filter((b) => b.checked).length;
      accept.textContent = t('plans.acceptN', { n });
      accept.disabled = n === 0;
    };
    add(box,
      h('p', { class: 'card-hint' }, t('plans.proposalsHint')),
      h('ul', { class: 'proposal-list', test: 'proposal-list' }, list.map((pr, i) => {
        const cb = h('input', { type: 'checkbox', checked: true, test: 'proposal-check', 'data-index': String(i) });
        cb.addEventListener('change', count);
        boxes.push(cb);
        return h('li', null, h('label', { class: 'proposal', test: 'proposal' }, cb, kindBadge(pr.kind),
          h('span', { class: 'proposal-when' }, fmtRange(pr.start, pr.end, { weekday: true })),
          h('span', { class: 'proposal-title' }, pr.title || '')));
      })),
      h('div', { class: 'form-actions' }, accept));
    count();
    accept.addEventListener('click', async () => {
      const chosen = list.filter((_, i) => boxes[i].checked);
      accept.disabled = true;
      try {
        const res = await api('POST', `/plans/${p.id}/accept`, { proposals: chosen });
        const n = res && res.created != null ? res.created : (res && Array.isArray(res.events) ? res.events.length : chosen.length);
        toast(t('plans.accepted', { n }));
        reload();
      } catch (e) {
        accept.disabled = false;
        if (e.status !== 401) toast(errorText(e), 'error');
      }
    });
  }

  draw(plan, progress);
  return () => { for (const fn of disposers) fn(); };
}

// A table of counts: one row per item, a column per count present.
function countCard(title, test, rows, nameLabel, nameOf) {
  const keys = COUNT_KEYS.filter((k) => rows.some((r) => typeof r[k] === 'number'));
  if (!keys.length && rows.some((r) => typeof r.count === 'number')) keys.push('count');
  // per-kind breakdowns, when a row carries {kind: n} or by_kind
  const kindCols = KINDS.filter((k) => rows.some((r) => typeof r[k] === 'number' || (r.by_kind && r.by_kind[k] != null)));
  const cell = (r, k) => {
    const v = r.by_kind && r.by_kind[k] != null ? r.by_kind[k] : r[k];
    return v && typeof v === 'object' ? String(num(v.held) + num(v.confirmed) + num(v.planned)) : String(v ?? 0);
  };
  return h('section', { class: 'card' },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, title)),
    rows.length ? dataTable({
      test,
      rows: rows.map((r, i) => ({ ...r, id: r.id ?? i })),
      columns: [
        { label: nameLabel, class: 'col-name', cell: (r) => String(nameOf(r) ?? '') },
        ...kindCols.map((k) => ({ label: kindLabel(k), class: 'col-num', cell: (r) => cell(r, k) })),
        ...keys.map((k) => ({ label: t(COUNT_LABEL[k]), class: 'col-num', cell: (r) => String(num(r[k])) })),
      ],
    }) : h('p', { class: 'muted', test: `${test}-empty` }, t('plans.noData')));
}

function drawChart(box, rows) {
  if (!window.echarts) {
    box.replaceWith(h('div', { class: 'state state-error' }, t('overview.chartUnavailable')));
    return () => {};
  }
  const cats = rows.map((r) => kindLabel(r.kind));
  const bar = (key, extra = {}) => ({
    name: t(`plans.series.${key}`),
    type: 'bar',
    stack: 'progress',
    barWidth: 24,
    data: rows.map((r) => r[key]),
    itemStyle: { color: SERIES_COLORS[key] },
    emphasis: { focus: 'series' },
    ...extra,
  });
  const option = {
    textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: '#344054' } },
    grid: { left: 8, right: 72, top: 36, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
    yAxis: { type: 'category', data: cats, inverse: true, axisTick: { show: false }, axisLabel: { color: '#1f2933', fontSize: 13 } },
    series: [
      bar('held', { label: { show: true, color: '#fff', formatter: (x) => (x.value ? String(x.value) : '') } }),
      bar('confirmed', { label: { show: true, color: '#fff', formatter: (x) => (x.value ? String(x.value) : '') } }),
      bar('planned', { label: { show: true, color: '#1b4570', formatter: (x) => (x.value ? String(x.value) : '') } }),
      bar('gap', {
        itemStyle: { color: SERIES_COLORS.gap, borderColor: '#c0392b', borderType: 'dashed', borderWidth: 1 },
        label: { show: true, color: '#b42318', formatter: (x) => (x.value ? t('plans.gapLabel', { n: x.value }) : '') },
      }),
      {
        name: t('plans.series.target'),
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [3, 34],
        z: 5,
        itemStyle: { color: '#1f2933' },
        data: rows.map((r, i) => [r.target, i]),
        label: {
          show: true, position: 'right', distance: 8, color: '#1f2933', fontWeight: 600,
          formatter: (x) => `${rows[x.dataIndex].scheduled} / ${rows[x.dataIndex].target}`,
        },
        tooltip: { show: false },
      },
    ],
    animationDuration: 400,
  };
  const chart = window.echarts.init(box, null, { renderer: 'canvas' });
  chart.setOption(option);
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(box);
  return () => { ro.disconnect(); chart.dispose(); };
}

