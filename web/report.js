// The printable performance report (report.html?from=&to=): the title with
// the period in words, the indicator table with its total, the counts of
// the period and the catalogue of the activities held — A4, in Chinese,
// as the bureaus file it. Uses the console's sign-in (the session cookie).
//
// No innerHTML: every node is built with createElement / textContent.
import { h } from './lib/dom.js';
import { api, listAll } from './lib/api.js';
import { periodWordsZh, validDate, fmtNum, zhDate } from './lib/format.js';

const KIND_ZH = { lecture: '讲座', salon: '沙龙', training: '培训', group: '团体辅导', activity: '活动' };
const AUDIENCE_ZH = { staff: '信访工作者', residents: '社区居民', community_workers: '社区工作人员', mixed: '居民及信访工作者' };
const CATEGORY_ORDER = ['讲座', '沙龙', '培训', '团体辅导', '活动'];
const ORG_KEY = 'hearth.report.org';

// RFC 4180: quoted fields, doubled quotes, CRLF or LF, a leading BOM.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      rows.push(row); row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.length > 1 || (r[0] || '') !== '');
}

function csvObjects(text) {
  const rows = parseCsv(text);
  if (!rows.length) return [];
  const head = rows[0].map((x) => x.trim());
  return rows.slice(1).map((r) => Object.fromEntries(head.map((k, j) => [k, r[j] ?? ''])));
}

// The held events of the period: the catalogue CSV, or else the events list.
async function activities(from, to) {
  try {
    const text = await api('GET', `/reports/activities.csv?from=${from}&to=${to}`, undefined, { as: 'text', accept: 'text/csv' });
    return csvObjects(text).map((r) => ({
      date: r.date, station: r.station || '', title: r.title || '', category: r.category || '', audience: r.audience || '',
      start_time: r.start_time || '',
    }));
  } catch (e) {
    if (e.status === 401) throw e;
  }
  const [events, stations] = await Promise.all([listAll(`/events?status=held&from=${from}&to=${to}`), listAll('/stations')]);
  const names = new Map(stations.map((s) => [s.id, s.name]));
  return events.filter((e) => e.status === 'held').map((e) => {
    const w = new Date(Date.parse(e.start) + 8 * 3600e3).toISOString();
    return {
      date: w.slice(0, 10), start_time: w.slice(11, 16), station: e.station_id == null ? '全区' : (names.get(e.station_id) || ''),
      title: e.title, category: KIND_ZH[e.kind] || e.kind, audience: AUDIENCE_ZH[e.audience] || e.audience || '',
    };
  });
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const pct = (rate) => (typeof rate === 'number' && Number.isFinite(rate) ? rate * 100 : null); // shares (0–1) → %

function actualText(it) {
  if (typeof it.actual_text === 'string' && it.actual_text) return it.actual_text;
  if (it.no_data || it.actual === null || it.actual === undefined) return null;
  return it.unit === 'percent' || it.unit === 'rating' ? `${fmtNum(it.actual)}%` : fmtNum(it.actual);
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

// 评价要点 as printed: one item a line with its points and, once marked, ✓ / ✗
// (a penalty item: 发生 / 未发生).
function pointsList(it) {
  const items = Array.isArray(it.checklist) ? it.checklist : [];
  if (!items.length) return '';
  return h('ol', { class: 'points' }, items.map((c, i) => {
    const penalty = c.points < 0;
    const mark = c.met === null || c.met === undefined ? '' : penalty ? (c.met ? ' 发生' : ' 未发生') : (c.met ? ' ✓' : ' ✗');
    return h('li', { class: c.met === true && !penalty ? 'met' : '' }, `${CIRCLED[i] || `${i + 1}.`} ${c.text}（${penalty ? '扣' : ''}${fmtNum(Math.abs(c.points))}分）${mark}`);
  }));
}

function indicatorTable(data) {
  const items = data.items || [];
  const span = (key, i, within) => {
    if (i > 0 && items[i - 1][key] === items[i][key] && (!within || items[i - 1][within] === items[i][within])) return 0;
    let j = i;
    while (j < items.length && items[j][key] === items[i][key] && (!within || items[j][within] === items[i][within])) j++;
    return j - i;
  };
  const rows = items.map((it, i) => {
    const s1 = span('level1', i);
    const s2 = span('level2', i, 'level1');
    const a = actualText(it);
    return h('tr', { test: 'report-ind-row', 'data-code': it.code },
      s1 ? h('td', { class: 'c-l1', rowspan: s1 }, it.level1) : null,
      s2 ? h('td', { class: 'c-l2', rowspan: s2 }, it.level2) : null,
      h('td', { class: 'c-l3' }, it.level3),
      h('td', { class: 'c-center' }, fmtNum(num(it.weight))),
      h('td', { class: 'c-center' }, it.target || ''),
      h('td', { class: 'c-center' }, a === null ? h('span', { class: 'nodata' }, '暂无数据') : a),
      h('td', { class: 'c-center c-score', test: 'report-score' }, it.score === null || it.score === undefined ? '0' : fmtNum(it.score)),
      h('td', { class: 'c-points', test: 'report-points' }, pointsList(it)),
      h('td', { class: 'c-note', test: 'report-note' }, it.note || ''));
  });
  return h('table', { class: 'rtable ind', test: 'report-indicators' },
    h('colgroup', null, h('col', { class: 'w-l1' }), h('col', { class: 'w-l2' }), h('col', { class: 'w-l3' }), h('col', { class: 'w-w' }), h('col', { class: 'w-t' }), h('col', { class: 'w-a' }), h('col', { class: 'w-s' }), h('col', { class: 'w-p' }), h('col', { class: 'w-n' })),
    h('thead', null, h('tr', null, ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明'].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows),
    h('tfoot', null, h('tr', { test: 'report-total-row' },
      h('td', { colspan: 3, class: 'c-center c-sum' }, '合计'),
      h('td', { class: 'c-center' }, fmtNum(num(data.max_score))),
      h('td', { colspan: 2 }),
      h('td', { class: 'c-center c-score', test: 'report-total' }, fmtNum(num(data.total_score))),
      h('td', { colspan: 2 }))));
}

function countBy(list, key) {
  const m = new Map();
  for (const x of list) m.set(x[key] || '—', (m.get(x[key] || '—') || 0) + 1);
  return m;
}

function summary(acts, actuals, data) {
  const byCat = countBy(acts, 'category');
  const cats = [...byCat.entries()].sort((a, b) => {
    const ia = CATEGORY_ORDER.indexOf(a[0]);
    const ib = CATEGORY_ORDER.indexOf(b[0]);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const byStation = countBy(acts, 'station');
  const byAudience = [...countBy(acts, 'audience').entries()].sort((a, b) => b[1] - a[1]);
  const part = (actuals && actuals.participants) || {};
  let sat = { satisfied: 0, total: 0 };
  const sbm = actuals && actuals.satisfaction_by_month;
  if (sbm && typeof sbm === 'object') {
    for (const v of Array.isArray(sbm) ? sbm : Object.values(sbm)) sat = { satisfied: sat.satisfied + num(v && v.satisfied), total: sat.total + num(v && v.total) };
  }
  const planned = actuals && actuals.planned;
  const plannedN = planned && typeof planned === 'object'
    ? Object.values(planned.by_kind || planned).reduce((a, v) => a + (typeof v === 'number' ? v : num(v && v.count)), 0) : 0;
  const met = (data.items || []).filter((i) => i.met === true).length;
  const noData = (data.items || []).filter((i) => i.no_data).length;

  const p = [];
  p.push(acts.length
    ? `本期共开展活动 ${acts.length} 场，其中${cats.map(([c, n]) => `${c} ${n} 场`).join('、')}；覆盖 ${byStation.size} 个驻点。`
    : '本期没有已开展的活动记录。');
  if (byAudience.length) p.push(`按服务对象：${byAudience.map(([a, n]) => `${a} ${n} 场`).join('、')}。`);
  const pp = [];
  if (num(part.registered)) pp.push(`报名 ${num(part.registered)} 人次`);
  if (num(part.attended)) pp.push(`签到参加 ${num(part.attended)} 人次`);
  const ar = pct(part.attendance_rate);
  if (ar !== null && num(part.registered)) pp.push(`到场率 ${fmtNum(ar, 1)}%`);
  if (pp.length) p.push(`参与情况：${pp.join('，')}。`);
  p.push(sat.total
    ? `满意度调查共收回 ${sat.total} 份回答，“满意”及“非常满意” ${sat.satisfied} 份，满意率 ${fmtNum((sat.satisfied / sat.total) * 100, 1)}%。`
    : '本期暂无满意度调查回答。');
  if (plannedN) p.push(`另有 ${plannedN} 场活动已列入计划、尚未开展。`);
  p.push(`${(data.items || []).length} 项绩效指标中 ${met} 项达标${noData ? `，${noData} 项暂无数据（按 0 分计）` : ''}；总分 ${fmtNum(num(data.total_score))} 分（满分 ${fmtNum(num(data.max_score))} 分）。`);

  const tableRows = cats.map(([c, n]) => h('tr', null, h('td', null, c), h('td', { class: 'c-center' }, String(n))));
  return h('div', { class: 'summary', test: 'report-summary' },
    h('div', { class: 'summary-text' }, p.map((x) => h('p', null, x))),
    acts.length ? h('table', { class: 'rtable counts', test: 'report-counts' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, '类别'), h('th', { scope: 'col' }, '场次'))),
      h('tbody', null, tableRows),
      h('tfoot', null, h('tr', null, h('td', { class: 'c-sum' }, '合计'), h('td', { class: 'c-center', test: 'report-count-total' }, String(acts.length))))) : null);
}

function catalogue(acts) {
  if (!acts.length) return h('p', { class: 'nodata', test: 'report-no-activities' }, '本期没有已开展的活动。');
  const sorted = acts.slice().sort((a, b) => (a.date + a.start_time).localeCompare(b.date + b.start_time));
  return h('table', { class: 'rtable cat', test: 'report-activities' },
    h('colgroup', null, h('col', { class: 'w-no' }), h('col', { class: 'w-date' }), h('col', { class: 'w-station' }), h('col', null), h('col', { class: 'w-cat' }), h('col', { class: 'w-aud' })),
    h('thead', null, h('tr', null, ['序号', '日期', '驻点', '活动名称', '类别', '服务对象'].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, sorted.map((a, i) => h('tr', { test: 'report-activity' },
      h('td', { class: 'c-center' }, String(i + 1)),
      h('td', { class: 'c-center c-date' }, a.date),
      h('td', null, a.station),
      h('td', null, a.title),
      h('td', { class: 'c-center' }, a.category),
      h('td', { class: 'c-center' }, a.audience)))));
}

function titleText(org, from, to) {
  return `${org ? org.trim() : ''}心访工作室绩效评价报告（${periodWordsZh(from, to)}）`;
}

function fail(root, message, login) {
  root.replaceChildren(h('div', { class: 'report-error', role: 'alert', test: 'report-error' },
    h('p', null, message),
    login ? h('p', null, h('a', { href: '/' }, '前往控制台登录')) : null));
}

async function main() {
  document.documentElement.lang = 'zh-CN'; // the console's language choice does not apply here
  const root = document.getElementById('report');
  const params = new URLSearchParams(location.search);
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const from = params.get('from') || `${year}-01-01`;
  const to = params.get('to') || `${year}-12-31`;
  if (!validDate(from) || !validDate(to) || to < from) { fail(root, '评价期间无效：请从控制台“绩效指标”页面打开报告。'); return; }
  const fwParam = params.get('framework');
  if (fwParam !== null && !/^\d+$/.test(fwParam)) { fail(root, '指标框架无效：请从控制台“绩效指标”页面打开报告。'); return; }
  const fq = fwParam ? `framework=${fwParam}&` : '';

  const orgInput = document.getElementById('report-org');
  let stored = '';
  try { stored = localStorage.getItem(ORG_KEY) || ''; } catch { /* storage blocked */ }
  orgInput.value = params.get('org') ?? stored;

  let data, actuals, acts;
  try {
    [data, actuals, acts] = await Promise.all([
      api('GET', `/indicators?${fq}from=${from}&to=${to}`),
      api('GET', `/reports/actuals?from=${from}&to=${to}`).catch((e) => { if (e.status === 401) throw e; return null; }),
      activities(from, to),
    ]);
  } catch (e) {
    if (e.status === 401) fail(root, '登录已过期或尚未登录，请先登录控制台，再从“绩效指标”页面打开报告。', true);
    else fail(root, `报告生成失败：${e.message || e}`);
    return;
  }

  const title = h('h1', { class: 'report-title', test: 'report-title' });
  const setTitle = () => {
    title.textContent = titleText(orgInput.value, from, to);
    document.title = title.textContent;
  };
  setTitle();
  orgInput.addEventListener('input', () => {
    setTitle();
    try { localStorage.setItem(ORG_KEY, orgInput.value.trim()); } catch { /* storage blocked */ }
  });

  const now = new Date(Date.now() + 8 * 3600e3).toISOString();
  root.replaceChildren(
    h('header', { class: 'report-head' },
      title,
      h('p', { class: 'report-sub', test: 'report-period' }, `评价期间：${zhDate(data.from || from)}至${zhDate(data.to || to)}`),
      data.framework ? h('p', { class: 'report-sub', test: 'report-framework' }, `评价指标：${data.framework.name}`) : null),
    h('section', { class: 'report-section' },
      h('h2', null, '一、绩效指标评分'),
      indicatorTable(data),
      h('p', { class: 'note' }, '注：“暂无数据”的指标按 0 分计入合计；实际完成值由系统记录计算，或由协调员按期填报；评价要点中 ✓ 为符合、✗ 为不符合，扣分项注明是否发生。')),
    h('section', { class: 'report-section' },
      h('h2', null, '二、工作开展情况'),
      summary(acts, actuals, data)),
    h('section', { class: 'report-section' },
      h('h2', null, `三、活动目录（${acts.length} 场）`),
      catalogue(acts)),
    h('footer', { class: 'report-foot' },
      h('div', { class: 'sign' }, h('span', null, '填报单位（盖章）：'), h('span', { class: 'line' })),
      h('div', { class: 'sign' }, h('span', null, '负责人：'), h('span', { class: 'line short' })),
      h('div', { class: 'sign' }, h('span', null, '填报日期：'), h('span', null, '　　　　年　　月　　日')),
      h('p', { class: 'generated' }, `由 Hearth 心访排班生成于 ${zhDate(now.slice(0, 10))} ${now.slice(11, 16)}`)));

  const btn = document.querySelector('[data-test="report-print"]');
  btn.disabled = false;
  btn.addEventListener('click', () => window.print());
  document.body.setAttribute('data-ready', '1');
}

main();
