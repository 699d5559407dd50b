// 覆盖率 (#/coverage, #/coverage/2027-03-01/2027-03-07): required and
// assigned duty per station and day with the gaps in red, a heatmap of
// the gaps (ECharts), and each counsellor's weekly hours against their
// maximum.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { loadingState, emptyState, errorState } from '../ui.js';
import { registerView } from '../app.js';
import { add } from './event-util.js';
import { isDate, isoDow, wdShort, wdLong, dayText, shortDay, rangeText, fmtHours, addDays, daysBetween, thisMonday, mondayOf, todayWall } from './roster-util.js';
import { rosterState } from './rosters.js';
import './coverage-i18n.js';
import './overview-i18n.js';
import './counsellors-i18n.js';

// Text for the HTML of an ECharts tooltip.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const COVERAGE_ICON = ['M21.21 15.89A10 10 0 1 1 8 2.83', 'M22 12A10 10 0 0 0 12 2v10z'];
const state = { from: null, to: null, station: '' };

registerView('coverage', {
  titleKey: 'coverage.title',
  navKey: 'nav.coverage',
  order: 36,
  icon: COVERAGE_ICON,
  async render(el, ctx) {
    const [p0, p1] = ctx.params;
    if (isDate(p0)) { state.from = p0; state.to = isDate(p1) && p1 >= p0 ? p1 : addDays(p0, 6); }
    if (!state.from) { state.from = rosterState.week || thisMonday(); state.to = addDays(state.from, 6); }

    el.appendChild(loadingState());
    const stations = await listAll('/stations');
    if (!ctx.alive()) return undefined;

    const from = h('input', { type: 'date', class: 'input input-date', value: state.from, test: 'cov-from', 'aria-label': t('coverage.from') });
    const to = h('input', { type: 'date', class: 'input input-date', value: state.to, test: 'cov-to', 'aria-label': t('coverage.to') });
    const station = h('select', { class: 'input input-select', test: 'cov-station', 'aria-label': t('coverage.station') },
      h('option', { value: '' }, t('coverage.allStations')),
      stations.filter((s) => s.active).map((s) => h('option', { value: String(s.id), selected: String(s.id) === state.station }, s.name)));
    const err = h('span', { class: 'field-error', test: 'cov-error', role: 'alert' });
    const results = h('div', { class: 'results' });
    const setRange = (a, b) => { from.value = a; to.value = b; apply(); };
    const week = () => { const m = mondayOf(isDate(from.value) ? from.value : todayWall()); setRange(m, addDays(m, 6)); };
    const month = () => {
      const base = isDate(from.value) ? from.value : todayWall();
      const first = `${base.slice(0, 7)}-01`;
      const next = new Date(`${first}T00:00:00Z`);
      next.setUTCMonth(next.getUTCMonth() + 1);
      setRange(first, addDays(next.toISOString().slice(0, 10), -1));
    };
    add(clear(el),
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' },
          h('label', { class: 'field-label', for: 'cov-from' }, t('coverage.period')), from, h('span', { class: 'muted' }, '—'), to, station,
          h('button', { type: 'button', class: 'btn btn-small', test: 'cov-week', onclick: week }, t('coverage.week')),
          h('button', { type: 'button', class: 'btn btn-small', test: 'cov-month', onclick: month }, t('coverage.month')),
          err)),
      results);
    from.id = 'cov-from';
    for (const i of [from, to]) i.addEventListener('change', apply);
    station.addEventListener('change', apply);

    let chart = null;
    let ro = null;
    const dispose = () => { if (ro) ro.disconnect(); if (chart) chart.dispose(); chart = null; ro = null; };

    function apply() {
      err.textContent = '';
      if (!isDate(from.value) || !isDate(to.value)) { err.textContent = t('coverage.error.dates'); return; }
      if (to.value < from.value) { err.textContent = t('coverage.error.order'); return; }
      if (daysBetween(from.value, to.value) > 91) { err.textContent = t('coverage.error.long'); return; }
      state.from = from.value;
      state.to = to.value;
      state.station = station.value;
      history.replaceState(null, '', `#/coverage/${state.from}/${state.to}`);
      load();
    }

    async function load() {
      dispose();
      clear(results).appendChild(loadingState());
      const qs = new URLSearchParams({ from: state.from, to: state.to });
      if (state.station) qs.set('station_id', state.station);
      let r;
      try {
        r = await api('GET', `/rosters/coverage?${qs}`);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
        return;
      }
      if (!ctx.alive()) return;
      draw(r || {});
    }

    function draw(r) {
      const days = r.days || [];
      const dates = [];
      for (let d = state.from; d <= state.to; d = addDays(d, 1)) dates.push(d);
      const rowsById = new Map();
      for (const x of days) {
        if (!rowsById.has(x.station_id)) rowsById.set(x.station_id, { id: x.station_id, name: x.station_name || `#${x.station_id}`, cells: new Map() });
        rowsById.get(x.station_id).cells.set(x.date, x);
      }
      const order = new Map(stations.map((s, i) => [s.id, i]));
      const rows = [...rowsById.values()].sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
      const required = days.reduce((n, x) => n + (x.required || 0), 0);
      const assigned = days.reduce((n, x) => n + Math.min(x.assigned || 0, x.required || 0), 0);
      const gap = days.reduce((n, x) => n + Math.max(0, x.gap || 0), 0);
      const gapCells = days.filter((x) => (x.gap || 0) > 0).length;
      const pct = required ? Math.round((assigned / required) * 1000) / 10 : null;

      const stat = (label, value, test, cls, sub) => h('section', { class: `card stat ${cls || ''}` },
        h('div', { class: 'stat-label' }, label),
        h('div', { class: 'stat-value' }, h('span', { test }, value)),
        sub ? h('div', { class: 'stat-sub' }, sub) : null);

      const chartBox = h('div', { class: 'chart chart-heat', test: 'cov-heatmap', role: 'img', 'aria-label': t('coverage.heatTitle') });
      clear(results);
      add(results,
        h('p', { class: 'muted cov-range', test: 'cov-range' }, rangeText(state.from, state.to)),
        h('div', { class: 'stats' },
          stat(t('coverage.required'), String(required), 'cov-required', '', t('coverage.requiredSub')),
          stat(t('coverage.assigned'), String(assigned), 'cov-assigned'),
          stat(t('coverage.gap'), String(gap), 'cov-gap', gap ? 'stat-gap' : 'stat-ok', gap ? t('coverage.gapSub', { n: gapCells }) : t('coverage.noGap')),
          stat(t('coverage.rate'), pct == null ? '—' : `${pct}%`, 'cov-rate')));

      if (!rows.length) {
        results.appendChild(emptyState(t('coverage.empty')));
      } else {
        const table = h('table', { class: 'cov-table', test: 'cov-table' },
          h('caption', { class: 'sr-only' }, t('coverage.tableTitle')),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col', class: 'cov-station' }, t('coverage.station')),
            dates.map((d) => h('th', { scope: 'col', class: `cov-day${isoDow(d) >= 6 ? ' is-weekend' : ''}` }, h('div', null, wdShort(isoDow(d))), h('div', { class: 'cov-date' }, shortDay(d)))))),
          h('tbody', null, rows.map((row) => h('tr', { test: 'cov-row', 'data-station': String(row.id) },
            h('th', { scope: 'row', class: 'cov-station' }, row.name),
            dates.map((d) => {
              const x = row.cells.get(d);
              if (!x || (!x.required && !x.assigned)) return h('td', { class: 'cov-cell cov-none', test: 'cov-cell', 'data-date': d }, '—');
              const cls = x.gap > 0 ? 'cov-cell is-gap' : (x.assigned > x.required ? 'cov-cell is-over' : 'cov-cell is-ok');
              return h('td', {
                class: cls, test: 'cov-cell', 'data-date': d, 'data-gap': String(x.gap || 0),
                title: t('coverage.cellTitle', { station: row.name, day: `${dayText(d)} ${wdLong(isoDow(d))}`, assigned: x.assigned, required: x.required }),
              }, `${x.assigned}/${x.required}`);
            })))));
        add(results,
          h('section', { class: 'card' },
            h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('coverage.tableTitle')), h('span', { class: 'card-hint' }, t('coverage.tableHint'))),
            h('div', { class: 'table-wrap cov-wrap' }, table)),
          h('section', { class: 'card' },
            h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('coverage.heatTitle')), h('span', { class: 'card-hint' }, t('coverage.heatHint'))),
            chartBox));
        heatmap(chartBox, rows, dates);
      }
      results.appendChild(hoursCard(r.counsellors || []));
    }

    function heatmap(box, rows, dates) {
      if (!window.echarts) { box.replaceWith(h('div', { class: 'state state-error' }, t('overview.chartUnavailable'))); return; }
      box.style.height = `${Math.max(200, rows.length * 34 + 90)}px`;
      const values = [];
      let max = 1;
      rows.forEach((row, y) => dates.forEach((d, x) => {
        const c = row.cells.get(d);
        if (!c || (!c.required && !c.assigned)) return;
        const g = Math.max(0, c.gap || 0);
        max = Math.max(max, g);
        values.push([x, y, g, c.assigned, c.required]);
      }));
      chart = window.echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption({
        textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
        grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
        tooltip: {
          formatter: (p) => {
            const [x, y, g, a, req] = p.data;
            // ECharts renders the tooltip as HTML: every piece is escaped
            // (a station named <img src=x onerror=…> stays text).
            return `${esc(rows[y].name)}<br>${esc(dayText(dates[x]))} ${esc(wdLong(isoDow(dates[x])))}<br>${esc(t('coverage.tip', { assigned: a, required: req, gap: g }))}`;
          },
        },
        xAxis: { type: 'category', data: dates.map((d) => `${shortDay(d)}\n${wdShort(isoDow(d))}`), splitArea: { show: true }, axisLabel: { color: '#4a5563', interval: dates.length > 31 ? 'auto' : 0 } },
        yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true, splitArea: { show: true }, axisLabel: { color: '#4a5563', width: 150, overflow: 'truncate' } },
        visualMap: {
          dimension: 2, min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 120,
          text: [t('coverage.heatMore'), t('coverage.heatNone')], inRange: { color: ['#e4f4ec', '#fbd0ca', '#d92d20'] },
        },
        series: [{
          name: t('coverage.gap'), type: 'heatmap', data: values,
          label: { show: dates.length <= 31, formatter: (p) => (p.data[2] ? String(p.data[2]) : '✓'), color: '#1f2933' },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,.25)' } },
        }],
        animationDuration: 300,
      });
      ro = new ResizeObserver(() => chart && chart.resize());
      ro.observe(box);
    }

    function hoursCard(list) {
      const weeks = [...new Set(list.flatMap((c) => (c.weeks || []).map((w) => w.week)))].sort();
      const rows = list.filter((c) => c.active !== false || (c.weeks || []).some((w) => w.hours > 0));
      const over = rows.filter((c) => (c.weeks || []).some((w) => w.hours > (c.max_weekly_hours ?? 40)));
      const card = h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h2', { class: 'card-title' }, t('coverage.hoursTitle')),
          h('span', { class: over.length ? 'card-hint gap' : 'card-hint', test: 'cov-over-summary' }, over.length ? t('coverage.overSummary', { n: over.length }) : t('coverage.hoursHint'))));
      if (!rows.length || !weeks.length) { card.appendChild(emptyState(t('coverage.hoursEmpty'))); return card; }
      card.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'table hours-table', test: 'cov-hours' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('coverage.counsellor')),
          h('th', { scope: 'col', class: 'col-num' }, t('coverage.max')),
          weeks.map((w) => h('th', { scope: 'col', class: 'col-num' }, t('coverage.weekLabel', { week: Number(w.slice(6)), year: w.slice(0, 4), iso: w }))))),
        h('tbody', null, rows.map((c) => {
          const max = c.max_weekly_hours ?? 40;
          const byWeek = new Map((c.weeks || []).map((w) => [w.week, w.hours]));
          return h('tr', { test: 'cov-hours-row', 'data-id': String(c.counsellor_id) },
            h('td', { class: 'col-name' }, c.name || `#${c.counsellor_id}`),
            h('td', { class: 'col-num' }, t('counsellors.hoursUnit', { hours: max })),
            weeks.map((w) => {
              const hrs = byWeek.get(w) || 0;
              const isOver = hrs > max;
              const pctW = max > 0 ? Math.min(100, (hrs / max) * 100) : (hrs > 0 ? 100 : 0);
              const bar = h('span', { class: 'hbar-fill' });
              bar.style.width = `${pctW}%`;
              return h('td', { class: isOver ? 'col-num hours-cell is-over' : 'col-num hours-cell', test: isOver ? 'hours-over' : 'hours-cell', title: t('coverage.hoursCell', { hours: fmtHours(hrs), max }) },
                h('span', { class: 'hbar', 'aria-hidden': 'true' }, bar),
                h('span', { class: 'hours-num' }, fmtHours(hrs)), isOver ? h('span', { class: 'over-tag' }, t('coverage.over')) : null);
            }));
        })))));
      return card;
    }

    load();
    return () => dispose();
  },
});

