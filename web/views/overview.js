// The overview (#/overview), the coordinators' home page: the active
// stations and counsellors, and the counsellors of each station as an
// ECharts bar chart (vertical while every name fits, else horizontal).
import { h, clear } from '../lib/dom.js';
import { listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { loadingState, emptyState } from '../ui.js';
import { registerView } from '../app.js';
import './overview-i18n.js';

registerView('overview', {
  titleKey: 'overview.title',
  order: 10,
  async render(el, ctx) {
    el.appendChild(loadingState());
    const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors?active=true')]);
    if (!ctx.alive()) return undefined;
    const activeStations = stations.filter((s) => s.active);

    const stat = (label, value, unit, test, route, linkKey) => h('section', { class: 'card stat' },
      h('div', { class: 'stat-label' }, label),
      h('div', { class: 'stat-value' }, h('span', { test }, String(value)), unit ? h('span', { class: 'stat-unit' }, unit) : null),
      h('a', { class: 'stat-link', href: '#/' + route }, t(linkKey) + ' →'));

    const chartBox = h('div', { class: 'chart', test: 'chart-counsellors-per-station', role: 'img', 'aria-label': t('overview.chartTitle') });
    clear(el).append(
      h('div', { class: 'stats' },
        stat(t('overview.activeStations'), activeStations.length, t('overview.unit.stations'), 'stat-stations', 'stations', 'overview.manageStations'),
        stat(t('overview.activeCounsellors'), counsellors.length, t('overview.unit.counsellors'), 'stat-counsellors', 'counsellors', 'overview.manageCounsellors')),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h2', { class: 'card-title' }, t('overview.chartTitle')),
          h('span', { class: 'card-hint' }, t('overview.chartHint'))),
        chartBox));

    // Bars: every active station, plus inactive ones still someone's home, plus "no home station".
    const counts = new Map();
    let unassigned = 0;
    for (const c of counsellors) {
      if (c.home_station_id == null) unassigned++;
      else counts.set(c.home_station_id, (counts.get(c.home_station_id) || 0) + 1);
    }
    const bars = stations.filter((s) => s.active || counts.has(s.id))
      .map((s) => ({ name: s.name, value: counts.get(s.id) || 0 }));
    for (const [id, n] of counts) if (!stations.some((s) => s.id === id)) bars.push({ name: `#${id}`, value: n });
    if (unassigned) bars.push({ name: t('overview.unassigned'), value: unassigned });

    if (bars.length === 0) {
      chartBox.replaceWith(emptyState());
      return undefined;
    }
    if (!window.echarts) {
      chartBox.replaceWith(h('div', { class: 'state state-error' }, t('overview.chartUnavailable')));
      return undefined;
    }
    // Vertical bars while every name fits under its bar; horizontal bars
    // (names readable on the left) for many stations or a narrow screen.
    const layout = (width) => {
      const slot = Math.floor((width - 60) / bars.length);
      return slot >= 84 ? { horizontal: false, slot } : { horizontal: true, slot };
    };
    const option = ({ horizontal, slot }) => {
      const names = { type: 'category', data: bars.map((b) => b.name), axisTick: { alignWithLabel: true }, inverse: horizontal,
        axisLabel: { interval: 0, color: '#4a5563', width: horizontal ? 130 : Math.max(60, slot - 12), overflow: 'truncate' } };
      const values = { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } };
      return {
        color: ['#2f6b9a'],
        textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
        grid: { left: 8, right: horizontal ? 28 : 16, top: horizontal ? 8 : 24, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: horizontal ? values : names,
        yAxis: horizontal ? names : values,
        series: [{
          name: t('overview.chartSeries'),
          type: 'bar',
          barMaxWidth: horizontal ? 22 : 48,
          data: bars.map((b) => b.value),
          label: { show: true, position: horizontal ? 'right' : 'top', color: '#1f2933' },
          itemStyle: { borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] },
        }],
        animationDuration: 400,
      };
    };
    let current = layout(chartBox.clientWidth);
    const sizeBox = () => {
      chartBox.style.height = current.horizontal ? `${Math.max(240, bars.length * 34 + 40)}px` : '';
    };
    sizeBox();
    const chart = window.echarts.init(chartBox, null, { renderer: 'canvas' });
    chart.setOption(option(current));
    const ro = new ResizeObserver(() => {
      const next = layout(chartBox.clientWidth);
      if (next.horizontal !== current.horizontal || (!next.horizontal && next.slot !== current.slot)) {
        current = next;
        sizeBox();
        chart.setOption(option(current), true);
      }
      chart.resize();
    });
    ro.observe(chartBox);
    return () => { ro.disconnect(); chart.dispose(); };
  },
});
