// The overview (#/overview), the coordinators' home page. At the top,
// today's picture, each part with a link to where the work is done:
//   今日值班      today's shifts by station (open seats and leave marked),
//   本周空缺      seats of this week's coverage still open,
//   待处理        pending swap requests, and leave of this week that
//                 touches assigned shifts,
//   值班记录未填  shifts whose duty log is missing,
//   近期活动      the next activities (14 days), each with a link to its
//                people (the list gives no registration counts).
// Then the active stations and counsellors, and the counsellors of each
// station as an ECharts bar chart (vertical while every name fits, else
// horizontal). Each part loads on its own: one failing says so in place.
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { loadingState, emptyState, errorState } from '../ui.js';
import { registerView } from '../app.js';
import { kindBadge, statusPill, fmtRange, add } from './event-util.js';
import { mondayOf, todayWall, addDays, band, dayText, wdLong, isoDow, wallDate, fmtLeave } from './roster-util.js';
import './overview-i18n.js';
import './roster-util-i18n.js';

const STYLE = `
.dash { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; margin-bottom: 16px; }
.dash-wide { grid-column: 1 / -1; }
.dash .card { margin: 0; }
.dash-num { font-size: 28px; font-weight: 700; color: var(--primary-dark); margin-right: 6px; }
.dash-num.is-bad { color: var(--danger); }
.dash-num.is-ok { color: var(--ok); }
.dash-list { list-style: none; margin: 8px 0 0; padding: 0; }
.dash-list li { padding: 7px 0; border-bottom: 1px solid #eef0f3; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.dash-list li:last-child { border-bottom: 0; }
.dash-when { color: #475467; font-variant-numeric: tabular-nums; white-space: nowrap; }
.dash-station { font-weight: 600; flex: 0 0 13em; min-width: 0; overflow-wrap: anywhere; }
.dash-names { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.dash-open { color: var(--danger); font-weight: 600; }
.dash-leave { color: #7a4b00; background: #fff4dc; border-radius: 4px; padding: 0 6px; font-size: 12.5px; }
.dash-more { font-size: 13px; color: var(--muted); }
.dash-link { font-size: 13px; text-decoration: none; white-space: nowrap; }
.dash-title-link { margin-left: auto; }
.dash-list .dash-ev-title { font-weight: 600; overflow-wrap: anywhere; flex: 1 1 100%; order: 1; }
.dash-list .dash-link { margin-left: auto; }
@media (max-width: 760px) { .dash { grid-template-columns: 1fr; } .dash-station { flex-basis: 100%; } }
`;

const MAX_ROWS = 6;

// A card of the dashboard: title, link to the page where it is done, body.
function dashCard(test, titleKey, href, linkKey, wide) {
  const body = h('div', { class: 'dash-body' }, loadingState());
  const card = h('section', { class: `card${wide ? ' dash-wide' : ''}`, test },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t(titleKey)),
      h('a', { class: 'dash-link dash-title-link', href, test: `${test}-link` }, `${t(linkKey)} →`)),
    body);
  return { card, body };
}

const more = (n) => (n > 0 ? h('p', { class: 'dash-more' }, t('dash.more', { n })) : null);
const overlaps = (a, b) => Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

// Fills one card; a failure stays inside it.
async function fill(body, ctx, load, draw) {
  let data;
  try {
    data = await load();
  } catch (e) {
    if (ctx.alive() && e.status !== 401) clear(body).appendChild(errorState(e));
    return;
  }
  if (ctx.alive()) draw(clear(body), data);
}

function dashboard(ctx) {
  ensureStyle('dash-style', STYLE);
  const today = todayWall();
  const monday = mondayOf(today);
  const sunday = addDays(monday, 6);
  const duty = dashCard('dash-today', 'dash.today', `#/rosters/${monday}`, 'dash.toRoster', true);
  const open = dashCard('dash-open', 'dash.open', `#/rosters/${monday}`, 'dash.toRoster');
  const pending = dashCard('dash-pending', 'dash.pending', '#/rosters/swaps', 'dash.toSwaps');
  const logs = dashCard('dash-logs', 'dash.logs', '#/duty', 'dash.toDuty');
  const events = dashCard('dash-events', 'dash.events', `#/events/${today}`, 'dash.toEvents');

  // today's duty, by station; leave over an assigned shift is marked
  fill(duty.body, ctx, () => Promise.all([
    listAll(`/shifts?from=${today}&to=${today}`),
    listAll(`/availability?from=${today}&to=${today}`),
  ]), (box, [shifts, leave]) => {
    const live = shifts.filter((s) => s.status !== 'cancelled');
    if (!live.length) { box.appendChild(emptyState(t('dash.todayNone'))); return; }
    const byStation = new Map();
    for (const s of live.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
      if (!byStation.has(s.station_id)) byStation.set(s.station_id, { name: s.station_name || `#${s.station_id}`, shifts: [] });
      byStation.get(s.station_id).shifts.push(s);
    }
    const openN = live.filter((s) => s.counsellor_id == null).length;
    add(box,
      h('p', { test: 'dash-today-sum' },
        h('span', { class: 'dash-num' }, String(live.length - openN)), t('dash.todaySum', { stations: byStation.size, open: openN })),
      h('ul', { class: 'dash-list', test: 'dash-today-list' }, [...byStation.values()].map((st) => h('li', { test: 'dash-today-row' },
        h('span', { class: 'dash-station' }, st.name),
        h('span', { class: 'dash-names' }, st.shifts.map((s, i) => {
          // the server marks the shift (pending or approved leave); refused leave marks nothing
          const away = s.counsellor_id != null && (s.leave !== undefined ? s.leave != null
            : leave.some((a) => a.status !== 'refused' && a.counsellor_id === s.counsellor_id && overlaps(a, s)));
          return [i ? '；' : null, h('span', { class: 'dash-when' }, band(s)), ' ',
            s.counsellor_id == null ? h('span', { class: 'dash-open', test: 'dash-today-open' }, t('dash.openSeat'))
              : h('span', null, s.counsellor_name || `#${s.counsellor_id}`),
            away ? [' ', h('span', { class: 'dash-leave', test: 'dash-today-leave', title: t('dash.onLeaveTitle') }, t('dash.onLeave'))] : null];
        }))))));
  });

  // open seats this week (coverage: required − assigned)
  fill(open.body, ctx, () => api('GET', `/rosters/coverage?from=${monday}&to=${sunday}`), (box, cov) => {
    const gaps = (cov.days || []).filter((d) => d.gap > 0 && d.date >= today);
    const n = gaps.reduce((sum, d) => sum + d.gap, 0);
    add(box,
      h('p', { test: 'dash-open-sum' },
        h('span', { class: n ? 'dash-num is-bad' : 'dash-num is-ok', test: 'dash-open-count' }, String(n)), t(n ? 'dash.openSum' : 'dash.openNone')),
      gaps.length ? h('ul', { class: 'dash-list' }, gaps.slice(0, MAX_ROWS).map((d) => h('li', { test: 'dash-open-row' },
        h('a', { class: 'dash-when', href: `#/rosters/${monday}` }, `${dayText(d.date)} ${wdLong(isoDow(d.date))}`),
        h('span', { class: 'dash-names' }, d.station_name || `#${d.station_id}`),
        h('span', { class: 'dash-open' }, t('dash.gap', { n: d.gap }))))) : null,
      more(gaps.length - MAX_ROWS));
  });

  // pending swap requests; this week's leave that touches assigned shifts
  fill(pending.body, ctx, () => Promise.all([
    listAll('/swap-requests?status=pending'),
    listAll(`/availability?from=${monday}&to=${sunday}`),
    listAll(`/shifts?from=${monday}&to=${sunday}`),
    listAll('/counsellors'),
  ]), (box, [swaps, leave, shifts, counsellors]) => {
    const name = new Map(counsellors.map((c) => [c.id, c.name]));
    const shiftById = new Map(shifts.map((s) => [s.id, s]));
    const touched = leave.filter((a) => a.status !== 'refused').map((a) => ({ a, n: shifts.filter((s) => s.status !== 'cancelled' && s.counsellor_id === a.counsellor_id && overlaps(a, s)).length }))
      .filter((x) => x.n > 0);
    const total = swaps.length + touched.length;
    add(box,
      h('p', { test: 'dash-pending-sum' },
        h('span', { class: total ? 'dash-num is-bad' : 'dash-num is-ok', test: 'dash-pending-count' }, String(total)),
        t(total ? 'dash.pendingSum' : 'dash.pendingNone', { swaps: swaps.length, leave: touched.length })),
      h('ul', { class: 'dash-list' },
        swaps.slice(0, MAX_ROWS).map((x) => {
          const s = shiftById.get(x.shift_id);
          return h('li', { test: 'dash-swap-row' },
            h('a', { href: '#/rosters/swaps' }, name.get(x.requested_by) || `#${x.requested_by}`),
            h('span', { class: 'dash-names' }, t(x.other_shift_id ? 'dash.swapAsk' : 'dash.giveAsk',
              { when: s ? `${dayText(wallDate(s.start))} ${band(s)}` : t('dash.laterShift') })));
        }),
        touched.slice(0, MAX_ROWS).map(({ a, n }) => h('li', { test: 'dash-leave-row' },
          h('a', { href: '#/rosters/setup/leave' }, name.get(a.counsellor_id) || `#${a.counsellor_id}`),
          h('span', { class: 'dash-names' }, t('dash.leaveTouches', { period: fmtLeave(a.start, a.end), n }))))),
      more(swaps.length - MAX_ROWS), more(touched.length - MAX_ROWS));
  });

  // duty logs still missing
  fill(logs.body, ctx, () => api('GET', '/duty-logs?missing=1&limit=200'), (box, r) => {
    const items = (r.items || []).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    const n = r.total ?? items.length;
    add(box,
      h('p', { test: 'dash-logs-sum' },
        h('span', { class: n ? 'dash-num is-bad' : 'dash-num is-ok', test: 'dash-logs-count' }, String(n)), t(n ? 'dash.logsSum' : 'dash.logsNone')),
      items.length ? h('ul', { class: 'dash-list' }, items.slice(0, MAX_ROWS).map((x) => h('li', { test: 'dash-logs-row' },
        h('span', { class: 'dash-when' }, `${dayText(wallDate(x.start))} ${band(x)}`),
        h('span', { class: 'dash-names' }, `${x.station_name || ''} · ${x.counsellor_name || t('dash.openSeat')}`)))) : null,
      more(n - Math.min(items.length, MAX_ROWS)));
  });

  // the next activities
  fill(events.body, ctx, () => listAll(`/events?from=${today}&to=${addDays(today, 13)}`), (box, items) => {
    const next = items.filter((e) => e.status !== 'cancelled' && Date.parse(e.end) > Date.now())
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    if (!next.length) { box.appendChild(emptyState(t('dash.eventsNone'))); return; }
    add(box,
      h('ul', { class: 'dash-list', test: 'dash-events-list' }, next.slice(0, MAX_ROWS).map((e) => h('li', { test: 'dash-event-row' },
        h('span', { class: 'dash-when' }, fmtRange(e.start, e.end)),
        kindBadge(e.kind), statusPill(e.status),
        h('span', { class: 'dash-ev-title dash-names' }, e.title),
        h('a', { class: 'dash-link', href: `#/participants/${e.id}`, test: 'dash-event-people' }, `${t('dash.people')} →`)))),
      more(next.length - MAX_ROWS));
  });

  return h('div', { class: 'dash', test: 'dashboard' }, duty.card, open.card, pending.card, logs.card, events.card);
}

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
      dashboard(ctx),
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
