// The evaluation framework editor of 绩效指标: a row's levels, weight,
// target, scoring rule (plain Chinese choices, band thresholds and
// deductions editable), source (the records, named in Chinese) and
// checklist items with their points (a penalty item takes points off);
// and the frameworks themselves — new, imported from CSV, copied as next
// year's, renamed, deleted. The rule and target strings are the API's
// (DESIGN "The evaluation framework"); a coordinator never types one.
import { h, ensureStyle } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, field, setFieldError, clearFormErrors, setFormError,
  focusError,
} from '../ui.js';
import { KINDS, AUDIENCES, kindLabel, audienceLabel } from './event-util.js';
import { fmtNum, validDate } from '../lib/format.js';
import './framework-editor-i18n.js';

/* --------------------------------------------------------------- rules */

const OLD_NAMES = { tiered: 'bands:80=1,60=0.6', satisfaction_deduct: 'deduct:90,0.2,50', satisfaction_tiers: 'bands:90=1,80=0.8,60=0.5' };
export const RULE_KINDS = ['ratio', 'inverse', 'zero', 'bands', 'deduct', 'checklist', 'manual'];

// A rule string → {kind, bands: [{at, share}], full, step, floor}; null when unknown.
export function parseRule(rule) {
  const s = OLD_NAMES[rule] || rule || '';
  if (s.startsWith('bands:')) {
    const bands = s.slice(6).split(',').map((b) => b.split('=')).map(([at, share]) => ({ at: Number(at), share: Number(share) }));
    return bands.every((b) => Number.isFinite(b.at) && Number.isFinite(b.share)) ? { kind: 'bands', bands } : null;
  }
  if (s.startsWith('deduct:')) {
    const [full, step, floor] = s.slice(7).split(',').map(Number);
    return [full, step, floor].every(Number.isFinite) ? { kind: 'deduct', full, step, floor } : null;
  }
  return RULE_KINDS.includes(s) ? { kind: s } : null;
}

const num6 = (v) => String(Math.round(v * 1e6) / 1e6);

export function ruleString(r) {
  if (r.kind === 'bands') return `bands:${r.bands.map((b) => `${num6(b.at)}=${num6(b.share)}`).join(',')}`;
  if (r.kind === 'deduct') return `deduct:${num6(r.full)},${num6(r.step)},${num6(r.floor)}`;
  return r.kind;
}

// The rule in a few words for the table: "分档 ≥80% 满分 · ≥60% 得 60%".
export function ruleText(rule, unit) {
  const r = parseRule(rule);
  if (!r) return rule || '';
  const pc = unit === 'count' ? '' : '%';
  if (r.kind === 'bands') {
    return t('ind.ruleText.bands', { bands: r.bands.map((b) => `≥${fmtNum(b.at)}${pc} ${fmtNum(b.share * 100)}%`).join(' · ') });
  }
  if (r.kind === 'deduct') return t('ind.ruleText.deduct', { full: `${fmtNum(r.full)}${pc}`, step: fmtNum(r.step), floor: `${fmtNum(r.floor)}${pc}` });
  return t(`ind.ruleText.${r.kind}`);
}

/* ------------------------------------------------------------- targets */

// ">=95%" → {op: '>=', value: 95, unit: 'percent'}; "" → {op: '', …}
export function parseTarget(text) {
  const m = /^(>=|<=|=)?(\d+(?:\.\d+)?)(%(有效)?)?$/.exec(text || '');
  if (!m) return { op: '', value: '', unit: 'count' };
  return { op: m[1] || '>=', value: m[2], unit: m[4] ? 'rating' : m[3] ? 'percent' : 'count', bare: !m[1] };
}

export function targetString({ op, value, unit }) {
  if (!op || value === '' || value === null || value === undefined) return '';
  if (unit === 'rating') return `${value}%有效`;
  return `${op}${value}${unit === 'percent' ? '%' : ''}`;
}

/* ------------------------------------------------------------- sources */

let sourceCache = null;
export async function loadSources() {
  if (!sourceCache) sourceCache = api('GET', '/indicator-sources').then((r) => r.items || []).catch((e) => { sourceCache = null; throw e; });
  return sourceCache;
}

export function sourceName(src, sources) {
  const hit = (sources || []).find((s) => s.source === src);
  if (hit) return hit.name;
  const m = /^events\.held\?(.*)$/.exec(src || '');
  if (m) {
    const q = new URLSearchParams(m[1]);
    return [t('ind.row.sourceEvents').replace(/（.*）|\s\(.*\)/, ''), q.get('kind') && kindLabel(q.get('kind')),
      q.get('audience') && audienceLabel(q.get('audience')), q.get('station')].filter(Boolean).join(' · ');
  }
  if (src === 'trainings_held') return sourceName('trainings.held', sources);
  if (src === 'training_pass_rate') return sourceName('trainings.pass_rate', sources);
  if (src === 'training_on_time_rate') return sourceName('trainings.on_time_rate', sources);
  if (src === 'satisfaction_rate') return sourceName('surveys.satisfaction', sources);
  return src || '';
}

/* ------------------------------------------------------------- dialogs */

const STYLE = `
.fe-grid3 { display: grid; grid-template-columns: 1fr 1fr 1.4fr; column-gap: 12px; }
.fe-target { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.fe-target .input { width: auto; }
.fe-target .fe-num { width: 110px; }
.fe-preview { font-size: 12.5px; color: var(--muted); }
.fe-sub { margin: -4px 0 14px; padding: 12px; background: #f5f7fa; border-radius: 8px; }
.fe-sub-title { margin: 0 0 8px; font-size: 13px; font-weight: 600; color: #344054; }
.fe-line { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
.fe-line .input { width: 110px; }
.fe-line .fe-text { flex: 1 1 240px; width: auto; min-width: 0; }
.fe-line label { display: inline-flex; align-items: center; gap: 6px; min-height: 36px; cursor: pointer; }
.fe-line input[type=checkbox] { width: 20px; height: 20px; }
.fe-hint { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
.fe-sum { font-size: 12.5px; color: #344054; margin: 6px 0 0; font-weight: 600; }
.fe-filters { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
.fe-filters .input { width: auto; min-width: 140px; }
.fe-actions { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.fe-errors { margin: 8px 0 0; padding-left: 18px; color: var(--danger); font-size: 13px; }
@media (max-width: 640px) {
  .fe-grid3 { grid-template-columns: 1fr; }
  .fe-line .input { width: 90px; }
  .fe-line .fe-text { flex-basis: 100%; }
}
`;

const numInput = (value, test, extra = {}) => h('input', { type: 'number', class: 'input', step: 'any', inputmode: 'decimal', value: value === undefined || value === null ? '' : String(value), test, ...extra });
const isNum = (s) => String(s).trim() !== '' && Number.isFinite(Number(s));

// Shows the API's error next to the row editor's field.
function apiErrorOn(form, e, map = {}) {
  const f = map[e.field] || e.field;
  if (f && (e.status === 422 || e.status === 409) && setFieldError(form, f, e.message)) { focusError(form); return; }
  setFormError(form, errorText(e));
}

// The row editor: add (row null) or edit a framework row. onSaved(row) after saving.
export async function openRowEditor({ framework, row, levels, onSaved }) {
  ensureStyle('fe-style', STYLE);
  let sources = [];
  let stations = [];
  try {
    [sources, stations] = await Promise.all([loadSources(), api('GET', '/stations?limit=500').then((r) => r.items || [])]);
  } catch (e) {
    toast(errorText(e), 'error');
    return;
  }
  const d = openDialog({ title: row ? t('ind.row.editTitle', { name: row.level3 }) : t('ind.row.addTitle'), test: 'row-editor', wide: true });
  d.footer.remove();

  // levels, with the framework's own names offered
  const list = (id, values) => h('datalist', { id }, [...new Set(values)].map((v) => h('option', { value: v })));
  const l1 = h('input', { class: 'input', maxlength: 100, list: 'fe-l1', value: row ? row.level1 : '', test: 'row-level1' });
  const l2 = h('input', { class: 'input', maxlength: 100, list: 'fe-l2', value: row ? row.level2 : '', test: 'row-level2' });
  const l3 = h('input', { class: 'input', maxlength: 100, value: row ? row.level3 : '', test: 'row-level3' });
  const weight = numInput(row ? row.weight : '', 'row-weight', { min: 0, max: 100 });

  // target: comparison, number, unit
  const tg = parseTarget(row ? row.target : '');
  const op = h('select', { class: 'input input-select', test: 'row-target-op', 'aria-label': t('ind.row.target') },
    [['', t('ind.row.targetNone')], ['>=', '≥'], ['=', '='], ['<=', '≤']].map(([v, label]) => h('option', { value: v, selected: (tg.op || '') === v }, label)));
  const tv = numInput(tg.value, 'row-target-value', { min: 0, class: 'input fe-num', 'aria-label': t('ind.row.target') });
  const tu = h('select', { class: 'input input-select', test: 'row-target-unit', 'aria-label': t('ind.row.target') },
    ['count', 'percent', 'rating'].map((u) => h('option', { value: u, selected: tg.unit === u }, t(`ind.row.targetUnit.${u}`))));
  const preview = h('span', { class: 'fe-preview', test: 'row-target-preview' });
  const targetText = () => targetString({ op: op.value, value: tv.value.trim(), unit: tu.value });
  const showTarget = () => {
    tv.disabled = tu.disabled = !op.value;
    const txt = targetText();
    preview.textContent = txt ? t('ind.row.targetPreview', { text: txt }) : '';
  };
  for (const x of [op, tv, tu]) x.addEventListener('input', showTarget);
  for (const x of [op, tu]) x.addEventListener('change', showTarget);

  // rule: plain choices, with bands and deductions editable
  const parsed = parseRule(row ? row.rule : 'ratio') || { kind: 'ratio' };
  const ruleSel = h('select', { class: 'input input-select', test: 'row-rule' },
    RULE_KINDS.map((k) => h('option', { value: k, selected: parsed.kind === k }, t(`ind.choice.${k}`))));
  const bandsBox = h('div', { class: 'fe-sub', test: 'row-bands' });
  const bandLines = h('div');
  const addBand = (at = '', share = '') => {
    const line = h('div', { class: 'fe-line', test: 'row-band' },
      h('span', null, t('ind.row.bandAt')),
      numInput(at, 'row-band-at', { 'aria-label': t('ind.row.bandAt') }),
      h('span', null, '→'),
      numInput(share, 'row-band-share', { min: 0, max: 100, 'aria-label': t('ind.row.bandShare') }),
      h('span', null, t('ind.row.bandShare')),
      h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'row-band-remove', onclick: () => line.remove() }, t('ind.row.bandRemove')));
    bandLines.appendChild(line);
  };
  const bands = parsed.kind === 'bands' ? parsed.bands : [{ at: 80, share: 1 }, { at: 60, share: 0.6 }];
  for (const b of bands) addBand(num6(b.at), num6(b.share * 100));
  bandsBox.append(h('p', { class: 'fe-sub-title' }, t('ind.row.bands')), bandLines,
    h('button', { type: 'button', class: 'btn btn-small', test: 'row-band-add', onclick: () => addBand() }, t('ind.row.bandAdd')),
    h('p', { class: 'fe-hint' }, t('ind.row.bandsHint')));
  const dd = parsed.kind === 'deduct' ? parsed : { full: 90, step: 0.2, floor: 50 };
  const dFull = numInput(num6(dd.full), 'row-deduct-full', { min: 0 });
  const dStep = numInput(num6(dd.step), 'row-deduct-step', { min: 0 });
  const dFloor = numInput(num6(dd.floor), 'row-deduct-floor', { min: 0 });
  const deductBox = h('div', { class: 'fe-sub', test: 'row-deduct' },
    h('div', { class: 'fe-line' }, h('label', null, t('ind.row.deductFull'), dFull)),
    h('div', { class: 'fe-line' }, h('label', null, t('ind.row.deductStep'), dStep)),
    h('div', { class: 'fe-line' }, h('label', null, t('ind.row.deductFloor'), dFloor)));

  // the checklist
  const pointsBox = h('div', { class: 'fe-sub', test: 'row-points' });
  const pointLines = h('div');
  const sum = h('p', { class: 'fe-sum', test: 'row-points-sum' });
  const showSum = () => {
    let total = 0;
    for (const line of pointLines.children) {
      const p = Number(line.querySelector('[data-test="row-point-points"]').value) || 0;
      total += line.querySelector('[data-test="row-point-penalty"]').checked ? 0 : Math.abs(p);
    }
    sum.textContent = t('ind.row.pointsSum', { sum: fmtNum(total), weight: weight.value || 0 });
  };
  const addPoint = (text = '', points = '', penalty = false) => {
    const pen = h('input', { type: 'checkbox', checked: penalty, test: 'row-point-penalty' });
    const line = h('div', { class: 'fe-line', test: 'row-point' },
      h('input', { class: 'input fe-text', maxlength: 200, value: text, test: 'row-point-text', 'aria-label': t('ind.row.pointText'), placeholder: t('ind.row.pointText') }),
      numInput(points, 'row-point-points', { min: 0, max: 100, 'aria-label': t('ind.row.pointPoints'), placeholder: t('ind.row.pointPoints') }),
      h('label', null, pen, t('ind.row.pointPenalty')),
      h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'row-point-remove', onclick: () => { line.remove(); showSum(); } }, t('ind.row.pointRemove')));
    line.addEventListener('input', showSum);
    line.addEventListener('change', showSum);
    pointLines.appendChild(line);
    showSum();
    return line;
  };
  for (const c of (row && row.checklist) || []) addPoint(c.text, num6(Math.abs(c.points)), c.points < 0);
  const addPointBtn = h('button', { type: 'button', class: 'btn btn-small', test: 'row-point-add', onclick: () => addPoint().querySelector('input').focus() }, t('ind.row.pointAdd'));
  pointsBox.append(h('p', { class: 'fe-sub-title' }, t('ind.row.points')), pointLines, addPointBtn, sum,
    h('p', { class: 'fe-hint' }, t('ind.row.pointsHint')));
  weight.addEventListener('input', showSum);

  // the source: the records in Chinese; activities with their filters
  const EVENTS = '__events';
  const cur = row ? row.source : 'manual';
  const known = sources.some((s) => s.source === cur);
  const evq = /^events\.held(\?(.*))?$/.exec(cur) && !known ? new URLSearchParams((/\?(.*)$/.exec(cur) || [])[1] || '') : null;
  const srcSel = h('select', { class: 'input input-select', test: 'row-source' },
    sources.map((s) => h('option', { value: s.source, selected: s.source === cur }, s.name)),
    h('option', { value: EVENTS, selected: !!evq }, t('ind.row.sourceEvents')),
    !known && !evq ? h('option', { value: cur, selected: true }, sourceName(cur, sources)) : null);
  const fKind = h('select', { class: 'input input-select', test: 'row-source-kind', 'aria-label': t('ind.row.anyKind') },
    h('option', { value: '' }, t('ind.row.anyKind')), KINDS.map((k) => h('option', { value: k, selected: evq && evq.get('kind') === k }, kindLabel(k))));
  const fAud = h('select', { class: 'input input-select', test: 'row-source-audience', 'aria-label': t('ind.row.anyAudience') },
    h('option', { value: '' }, t('ind.row.anyAudience')), AUDIENCES.map((a) => h('option', { value: a, selected: evq && evq.get('audience') === a }, audienceLabel(a))));
  const fSta = h('select', { class: 'input input-select', test: 'row-source-station', 'aria-label': t('ind.row.anyStation') },
    h('option', { value: '' }, t('ind.row.anyStation')), stations.map((s) => h('option', { value: s.code, selected: evq && (evq.get('station') || '').toLowerCase() === s.code.toLowerCase() }, s.name)));
  const filters = h('div', { class: 'fe-filters', test: 'row-source-filters' }, fKind, fAud, fSta);
  const sourceString = () => {
    if (srcSel.value !== EVENTS) return srcSel.value;
    const q = [['kind', fKind.value], ['audience', fAud.value], ['station', fSta.value]].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`);
    return q.length ? `events.held?${q.join('&')}` : 'events.held';
  };

  const showRule = () => {
    const k = ruleSel.value;
    bandsBox.hidden = k !== 'bands';
    deductBox.hidden = k !== 'deduct';
    pointsBox.hidden = k !== 'checklist' && pointLines.children.length === 0;
    filters.hidden = srcSel.value !== EVENTS;
    if (k === 'checklist' && pointLines.children.length === 0) addPoint();
  };
  ruleSel.addEventListener('change', showRule);
  srcSel.addEventListener('change', showRule);

  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'row-save' }, t('ind.fw.save'));
  const retire = row ? h('button', { type: 'button', class: 'btn btn-danger-ghost', test: 'row-retire' }, t('ind.row.retire')) : h('span');
  const form = h('form', { class: 'form', test: 'row-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'fe-grid3' },
      field('row', 'level1', t('ind.row.level1'), l1),
      field('row', 'level2', t('ind.row.level2'), l2),
      field('row', 'level3', t('ind.row.level3'), l3)),
    list('fe-l1', levels.map((x) => x.level1)), list('fe-l2', levels.map((x) => x.level2)),
    h('div', { class: 'form-grid' },
      field('row', 'weight', t('ind.row.weight'), weight),
      h('div', { class: 'field', 'data-field': 'target' },
        h('span', { class: 'field-label' }, t('ind.row.target')),
        h('div', { class: 'fe-target' }, op, tv, tu),
        preview,
        h('div', { class: 'field-error', test: 'error-target', 'aria-live': 'polite' }))),
    field('row', 'rule', t('ind.row.rule'), ruleSel),
    bandsBox, deductBox,
    h('div', { class: 'field', 'data-field': 'source' },
      h('label', { class: 'field-label', for: 'row-source' }, t('ind.row.source')),
      srcSel, filters,
      h('div', { class: 'field-error', test: 'error-source', 'aria-live': 'polite' })),
    h('div', { 'data-field': 'checklist', class: 'field' }, pointsBox, h('div', { class: 'field-error', test: 'error-checklist', 'aria-live': 'polite' })),
    h('div', { class: 'fe-actions' }, retire,
      h('span', { class: 'ind-actions' },
        h('button', { type: 'button', class: 'btn', test: 'row-cancel', onclick: d.close }, t('common.cancel')), save)));
  srcSel.id = 'row-source';
  d.body.appendChild(form);
  showTarget();
  showRule();
  setTimeout(() => (row ? weight : l1).focus(), 0);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    let bad = false;
    const err = (f, key) => { setFieldError(form, f, t(key)); bad = true; };
    for (const [f, x] of [['level1', l1], ['level2', l2], ['level3', l3]]) if (!x.value.trim()) err(f, 'ind.row.error.level');
    const w = Number(weight.value);
    if (!isNum(weight.value) || w < 0 || w > 100) err('weight', 'ind.row.error.weight');
    if (op.value && (!isNum(tv.value) || Number(tv.value) < 0)) err('target', 'ind.row.error.target');
    const kind = ruleSel.value;
    const r = { kind };
    if (kind === 'bands') {
      r.bands = [...bandLines.children].map((line) => ({
        at: line.querySelector('[data-test="row-band-at"]').value, share: line.querySelector('[data-test="row-band-share"]').value,
      }));
      const okBands = r.bands.length > 0 && r.bands.every((b, i) => isNum(b.at) && isNum(b.share) && Number(b.share) >= 0 && Number(b.share) <= 100 && Number(b.at) >= 0
        && (i === 0 || Number(b.at) < Number(r.bands[i - 1].at)));
      if (!okBands) err('rule', 'ind.row.error.bands');
      r.bands = r.bands.map((b) => ({ at: Number(b.at), share: Number(b.share) / 100 }));
    }
    if (kind === 'deduct') {
      Object.assign(r, { full: Number(dFull.value), step: Number(dStep.value), floor: Number(dFloor.value) });
      if (![dFull, dStep, dFloor].every((x) => isNum(x.value) && Number(x.value) >= 0) || r.floor > r.full) err('rule', 'ind.row.error.deduct');
    }
    const items = [...pointLines.children].map((line) => {
      const p = Number(line.querySelector('[data-test="row-point-points"]').value);
      return { text: line.querySelector('[data-test="row-point-text"]').value.trim(), points: line.querySelector('[data-test="row-point-penalty"]').checked ? -Math.abs(p) : Math.abs(p) };
    }).filter((x) => x.text || x.points);
    if ((kind === 'checklist' && items.length === 0) || items.some((x) => !x.text || !Number.isFinite(x.points) || x.points === 0)) err('checklist', 'ind.row.error.points');
    if (bad) { focusError(form); return; }
    const body = {
      level1: l1.value.trim(), level2: l2.value.trim(), level3: l3.value.trim(), weight: w,
      target: targetText(), rule: ruleString(r), source: sourceString(), checklist: items,
    };
    save.disabled = true;
    try {
      const saved = row
        ? await api('PATCH', `/indicators/${encodeURIComponent(row.code)}?framework=${framework.id}`, body)
        : await api('POST', '/indicators', { framework_id: framework.id, ...body, ...groupPosition(levels, body) });
      d.close();
      toast(t(row ? 'ind.row.saved' : 'ind.row.added', { name: saved.level3 }));
      onSaved(saved);
    } catch (e) {
      if (e.status === 401) return;
      apiErrorOn(form, e, { level1: 'level1', framework_id: null });
    } finally {
      save.disabled = false;
    }
  });

  if (row) {
    retire.addEventListener('click', async () => {
      if (!(await confirmDialog(t('ind.row.retireConfirm', { name: row.level3 }), { okLabel: t('ind.row.retire'), danger: true }))) return;
      try {
        await api('DELETE', `/indicators/${encodeURIComponent(row.code)}?framework=${framework.id}`);
        d.close();
        toast(t('ind.row.retired', { name: row.level3 }));
        onSaved(null);
      } catch (e) {
        if (e.status !== 401) setFormError(form, errorText(e));
      }
    });
  }
}

// A new row goes after the last row of its group (same level 1 and 2, else
// level 1): rows of one position sort by when they were added.
function groupPosition(rows, body) {
  const same2 = rows.filter((r) => r.level1 === body.level1 && r.level2 === body.level2);
  const same1 = rows.filter((r) => r.level1 === body.level1);
  const group = same2.length ? same2 : same1;
  if (!group.length) return {};
  return { position: Math.max(...group.map((r) => Number(r.position) || 0)) };
}

/* ---------------------------------------------------------- frameworks */

function addYear(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  const dd = m === 2 && d === 29 ? 28 : d;
  return `${y + n}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

// New / copy / rename / import. mode: 'new' | 'copy' | 'rename' | 'import'.
// onDone(framework) with {id, from, to}.
export function openFrameworkDialog(mode, { framework, frameworks, onDone }) {
  ensureStyle('fe-style', STYLE);
  const titleKey = { new: 'ind.fw.new', copy: 'ind.fw.copy', rename: 'ind.fw.rename', import: 'ind.fw.import' }[mode];
  const d = openDialog({ title: t(titleKey), test: `fw-${mode}-dialog` });
  d.footer.remove();
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  let name = '';
  let from = `${year}-01-01`;
  let to = `${year}-12-31`;
  if (mode === 'copy' && framework) {
    from = addYear(framework.from, 1);
    to = addYear(framework.to, 1);
    name = t('ind.fw.nextYearName', { name: framework.name.replace(/[（(]?\d{4}\s*年?度?[）)]?/g, '').trim() || framework.name, year: from.slice(0, 4) });
  }
  if (mode === 'rename' && framework) ({ name, from, to } = framework);
  const nameIn = h('input', { class: 'input', maxlength: 100, value: name, test: 'fw-name' });
  const fromIn = h('input', { type: 'date', class: 'input', value: from, test: 'fw-from' });
  const toIn = h('input', { type: 'date', class: 'input', value: to, test: 'fw-to' });
  const copySel = mode === 'new' || mode === 'copy' ? h('select', { class: 'input input-select', test: 'fw-copy-from' },
    h('option', { value: '' }, t('ind.fw.copyNone')),
    (frameworks || []).map((f) => h('option', { value: String(f.id), selected: mode === 'copy' && framework && f.id === framework.id }, `${f.name}（${f.from} – ${f.to}）`))) : null;
  const file = mode === 'import' ? h('input', { type: 'file', accept: '.csv,text/csv', class: 'input', test: 'fw-file' }) : null;
  const errors = h('ul', { class: 'fe-errors', test: 'fw-import-errors', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', test: 'fw-submit' },
    t(mode === 'import' ? 'ind.fw.doImport' : mode === 'rename' ? 'ind.fw.save' : 'ind.fw.create'));
  const form = h('form', { class: 'form', test: 'fw-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    field('fw', 'name', t('ind.fw.name'), nameIn),
    h('div', { class: 'form-grid' }, field('fw', 'from', t('ind.fw.from'), fromIn), field('fw', 'to', t('ind.fw.to'), toIn)),
    copySel ? field('fw', 'copy_from', t('ind.fw.copyFrom'), copySel) : null,
    file ? field('fw', 'file', t('ind.fw.file'), file, t('ind.fw.fileHint')) : null,
    errors,
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn', test: 'fw-cancel', onclick: d.close }, t('common.cancel')), submit));
  d.body.appendChild(form);
  setTimeout(() => nameIn.focus(), 0);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    errors.hidden = true;
    errors.replaceChildren();
    let bad = false;
    const nm = nameIn.value.trim();
    if (!nm || nm.length > 100) { setFieldError(form, 'name', t('ind.fw.error.name')); bad = true; }
    if (!validDate(fromIn.value) || !validDate(toIn.value) || toIn.value < fromIn.value) { setFieldError(form, 'to', t('ind.fw.error.to')); bad = true; }
    if (file && !file.files.length) { setFieldError(form, 'file', t('ind.fw.error.file')); bad = true; }
    if (bad) { focusError(form); return; }
    submit.disabled = true;
    try {
      let res;
      if (mode === 'import') {
        const text = await file.files[0].text();
        let body;
        try {
          body = await api('POST', `/frameworks/import?name=${encodeURIComponent(nm)}&from=${fromIn.value}&to=${toIn.value}`, text, { contentType: 'text/csv' });
        } catch (e) {
          const list = e.detail && Array.isArray(e.detail.errors) ? e.detail.errors : [];
          if (e.status === 422 && list.length) {
            errors.append(...list.map((x) => h('li', { test: 'fw-import-error' }, x.line ? t('ind.fw.importError', x) : x.message)),
              h('li', null, t('ind.fw.errorCount', { n: list.length })));
            errors.hidden = false;
            return;
          }
          throw e;
        }
        toast(t('ind.fw.imported', { rows: body.rows, sum: fmtNum(body.weight_sum) }));
        res = { id: body.id, from: fromIn.value, to: toIn.value };
      } else if (mode === 'rename') {
        res = await api('PATCH', `/frameworks/${framework.id}`, { name: nm, from: fromIn.value, to: toIn.value });
        toast(t('ind.fw.saved', { name: nm }));
      } else {
        const body = { name: nm, from: fromIn.value, to: toIn.value };
        if (copySel.value) body.copy_from = Number(copySel.value);
        res = await api('POST', '/frameworks', body);
        toast(t('ind.fw.created', { name: nm }));
      }
      d.close();
      onDone(res);
    } catch (e) {
      if (e.status === 401) return;
      if (e.field && setFieldError(form, e.field, e.message)) focusError(form);
      else setFormError(form, errorText(e));
    } finally {
      submit.disabled = false;
    }
  });
}

export async function deleteFramework(framework, onDone) {
  if (!(await confirmDialog(t('ind.fw.deleteConfirm', { name: framework.name }), { okLabel: t('ind.fw.delete'), danger: true }))) return;
  try {
    await api('DELETE', `/frameworks/${framework.id}`);
    toast(t('ind.fw.deleted', { name: framework.name }));
    onDone();
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
  }
}
