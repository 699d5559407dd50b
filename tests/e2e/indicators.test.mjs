// Indicators and reports — docs/api.md "Indicators and reports": the
// framework of tests/fixtures/indicators-futian-2023.csv (a copy of the
// bureau's report in shared/data) scored for a
// period seeded by hand through the API, every expected actual and score
// worked out here from the doc's rules; no-data periods; framework and
// per-period settings; manual values with who and when; the CSV and XLSX
// exports; the activity catalogue; the dashboard's actuals; bad input.
//
// Surveys only open for 30 days after an event ends, so the seeded period
// is the 50 days before today (Asia/Shanghai): three trainings (one
// rescheduled to another day before it was held), a lecture and a salon
// held, a planned lecture never held, a cancelled salon.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const H = 3600e3;
const D = 24 * H;
// The Asia/Shanghai date `days` from the day the file started: one day
// for the whole run, even across midnight (P and the periods cut
// from it stay what they were when the events went in).
const START = Date.now();
const day = (days) => new Date(START + days * D + 8 * H).toISOString().slice(0, 10);
const at = (date, hm) => `${date}T${hm}:00+08:00`;
const month = (date) => date.slice(0, 7);
const quarter = (date) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
const r2 = (x) => Math.round(x * 100) / 100;
const close = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 0.005, `${what}: want ${b}, got ${a}`);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// The framework's level-3 names (shared/data/indicators-futian-2023.csv).
const N = {
  sessions: '心访咨询师培训开展期数',
  cases: '协助重点案件化解率',
  pass: '培训合格率',
  onTime: '心访咨询师培训及时率',
  spend: '支出进度达标率',
  harmony: '辅助维护社会和谐稳定',
  lawful: '有效提升民众法治信访意识',
  satisfaction: '培训和心理咨询对象满意度',
};
// The report's columns (DESIGN "Reports"): 分值 before the target, then the
// checklist (评价要点) and the deduction note (扣分说明).
const HEADER = '一级指标,二级指标,三级指标,分值,年度指标值,实际完成值,得分,评价要点,扣分说明';

// Counts of a breakdown, whatever its JSON shape: {key: n}, {key: {count|held: n}}
// or [{<dim>|key|name: key, count: n}] → Map(key → n).
function counts(x, dims) {
  // a number, {count: n}, or a further breakdown ({lecture: 2, salon: 1}) summed
  const val = (v) => {
    if (typeof v === 'number') return v;
    if (!v || typeof v !== 'object') return 0;
    const n = v.count ?? v.held ?? v.n ?? v.total;
    return typeof n === 'number' ? n : Object.values(v).reduce((a, x) => a + (typeof x === 'number' ? x : 0), 0);
  };
  const m = new Map();
  if (Array.isArray(x)) {
    for (const r of x) {
      const k = dims.map((d) => r[d]).find((v) => v !== undefined && v !== null);
      m.set(String(k), val(r));
    }
  } else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) m.set(k, val(v));
  return m;
}
const breakdown = (events, dim) => events[`by_${dim}`] ?? events[dim] ?? events[`${dim}s`];
const nonZero = (m) => new Map([...m].filter(([, n]) => n !== 0));

// RFC 4180 rows (quoted cells, doubled quotes, CRLF), without a leading BOM.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((x) => x !== ''));
}

// One file of a zip archive, read with node's zlib through the central
// directory (no unzip binary needed): stored (0) or deflated (8) entries.
function unzipEntry(buf, name) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'zip: end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    if (entry === name) {
      assert.equal(buf.readUInt32LE(local), 0x04034b50, 'zip: local header');
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      if (method === 0) return data.toString('utf8');
      assert.equal(method, 8, `zip: ${name} deflated`);
      return inflateRawSync(data).toString('utf8');
    }
    p += 46 + nlen + xlen + clen;
  }
  return null;
}

describe('indicators and reports', () => {
  let s, token;
  const st = {};
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const pub = (method, path, body) => api(s.url, method, path, { body });
  const mk = async (body, what) => { const r = await call('POST', '/api/v1/events', body); expectStatus(r, 201, what); return r.body; };
  const held = async (id) => expectStatus(await call('PATCH', `/api/v1/events/${id}`, { status: 'held' }), 200, `held ${id}`);
  const walkIn = async (id, name, extra = {}) => {
    const r = await call('POST', `/api/v1/events/${id}/attendance`, { walk_in: { name }, ...extra });
    expectStatus(r, 201, `walk-in ${name}`);
    return r.body;
  };
  const tokens = async (id) => {
    const r = await call('GET', `/api/v1/events/${id}/attendance?limit=500`);
    expectStatus(r, 200, 'attendance');
    return r.body.items.map((a) => a.survey_token);
  };
  const answer = async (tok, overall) => expectStatus(
    await pub('POST', '/api/v1/surveys/responses', { token: tok, answers: { overall } }), 201, `answer ${overall}`);
  const q = (p) => `from=${p.from}&to=${p.to}`;
  const indicators = async (p) => {
    const r = await call('GET', `/api/v1/indicators?${q(p)}`);
    expectStatus(r, 200, `indicators ${q(p)}`);
    return r.body;
  };
  const byName = (body) => new Map(body.items.map((i) => [i.level3, i]));
  const put = async (code, body, what) => {
    const r = await call('PUT', `/api/v1/indicators/${code}`, body);
    assert.ok(r.status === 200 || r.status === 204, `${what || 'PUT'}: want 200, got ${r.status} ${r.text.slice(0, 300)}`);
    return r;
  };

  // The seeded period and what went into it.
  const P = { from: day(-50), to: day(-1) };
  const days = { t1: day(-40), t2: day(-20), t3planned: day(-15), t3: day(-12), lecture: day(-8), salon: day(-5), planned: day(-3), cancelled: day(-6) };
  const E = {};
  let code = {}; // level3 → code

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    const sl = await call('GET', '/api/v1/stations?limit=500');
    expectStatus(sl, 200);
    for (const x of sl.body.items) st[x.code] = x;

    // Nothing is in the period yet: the demo data hold no events there.
    const before0 = await indicators(P);
    code = Object.fromEntries(before0.items.map((i) => [i.level3, i.code]));
    for (const i of before0.items) assert.ok(i.actual === null || i.actual === 0, `${i.level3}: nothing before seeding: ${JSON.stringify(i)}`);

    const ev = (over) => ({ audience: 'staff', ...over });
    // T1: held on its planned day; 3 trainees assessed, 2 passed.
    E.t1 = await mk(ev({ kind: 'training', title: '心访咨询师培训（一）', station_id: st.HALL.id,
      start: at(days.t1, '14:30'), end: at(days.t1, '16:30') }), 'T1');
    await walkIn(E.t1.id, '学员甲', { passed: true, score: 90 });
    await walkIn(E.t1.id, '学员乙', { passed: true, score: 85 });
    await walkIn(E.t1.id, '学员丙', { passed: false, score: 52 });
    await held(E.t1.id);
    // T2: held on its planned day; 5 attendees, 2 assessed (both passed), 3 not assessed;
    // they answer the survey 5, 5, 4.
    E.t2 = await mk(ev({ kind: 'training', title: '心访咨询师培训（二）', station_id: st.HALL.id,
      start: at(days.t2, '09:00'), end: at(days.t2, '11:30') }), 'T2');
    await walkIn(E.t2.id, '学员丁', { passed: true, score: 95 });
    await walkIn(E.t2.id, '学员戊', { passed: true, score: 88 });
    await walkIn(E.t2.id, '旁听一');
    await walkIn(E.t2.id, '旁听二');
    await walkIn(E.t2.id, '旁听三');
    await held(E.t2.id);
    const t2tokens = await tokens(E.t2.id);
    assert.equal(t2tokens.length, 5);
    await answer(t2tokens[0], 5);
    await answer(t2tokens[1], 5);
    await answer(t2tokens[2], 4);
    // T3: planned for one day, rescheduled three days later, then held: not on time.
    E.t3 = await mk(ev({ kind: 'training', title: '心访咨询师培训（三）', station_id: st.YL.id,
      start: at(days.t3planned, '14:30'), end: at(days.t3planned, '16:30') }), 'T3');
    expectStatus(await call('POST', `/api/v1/events/${E.t3.id}/reschedule`, {
      start: at(days.t3, '14:30'), end: at(days.t3, '16:30'), reason: '讲师临时有事' }), 200, 'reschedule T3');
    await held(E.t3.id);
    // A lecture held with 2 walk-ins answering 3 and 1, and a salon held without attendees.
    E.lecture = await mk({ kind: 'lecture', title: '情绪管理讲座', station_id: st.NY.id, audience: 'residents',
      start: at(days.lecture, '14:30'), end: at(days.lecture, '16:30') }, 'lecture');
    await walkIn(E.lecture.id, '居民一');
    await walkIn(E.lecture.id, '居民二');
    await held(E.lecture.id);
    const lt = await tokens(E.lecture.id);
    await answer(lt[0], 3);
    await answer(lt[1], 1);
    E.salon = await mk({ kind: 'salon', title: '减压沙龙', station_id: st.YL.id, audience: 'community_workers',
      start: at(days.salon, '14:30'), end: at(days.salon, '16:30') }, 'salon');
    await held(E.salon.id);
    // Not held: a planned lecture, a cancelled salon.
    E.planned = await mk({ kind: 'lecture', title: '未开展的讲座', station_id: st.NY.id,
      start: at(days.planned, '14:30'), end: at(days.planned, '16:30') }, 'planned');
    E.cancelled = await mk({ kind: 'salon', title: '取消的沙龙', station_id: st.NY.id,
      start: at(days.cancelled, '09:00'), end: at(days.cancelled, '11:00') }, 'cancelled');
    expectStatus(await call('POST', `/api/v1/events/${E.cancelled.id}/cancel`, { reason: '场地维修' }), 200, 'cancel');

    // Manual values for exactly this period.
    await put(code[N.cases], { ...P, value: 40, note: '重点案件 10 件，协助化解 4 件' }, 'manual cases');
    await put(code[N.spend], { ...P, value: 96 }, 'manual spend');
    await put(code[N.harmony], { ...P, value: 85, note: '评定' }, 'manual harmony');
    await put(code[N.lawful], { ...P, value: 70 }, 'manual lawful');
  });
  after(async () => { await s?.stop(); });

  // Worked out by hand from docs/api.md:
  //   trainings held 3, target >=2, ratio: min(3/2, 1) × 5            = 5
  //   cases 40 %, target >=50 %, ratio: 40/50 × 5                      = 4
  //   pass rate (2 + 2) passed / (3 + 2) assessed = 80 %, =100 %: 0.8 × 10 = 8
  //   on time 2 of 3 = 66.67 %, =100 %: 0.6667 × 10                    = 6.67
  //   spend 96 %, target >=95 %: min(96/95, 1) × 10                    = 10
  //   harmony rating 85 %, tiered (>= 80 full)                          = 5
  //   lawful rating 70 %, tiered (60–80: 3/5 × 5)                       = 3
  //   satisfaction (5,5,4 satisfied of 5,5,4,3,1) = 60 %, deduct:
  //     90 − 60 = 30 whole points × 0.2 = 6 off 10                      = 4
  //   total 5 + 4 + 8 + 6.67 + 10 + 5 + 3 + 4                          = 45.67 of 60
  const EXPECTED = {
    [N.sessions]: { actual: 3, score: r2(Math.min(3 / 2, 1) * 5), met: true, unit: 'count', source: 'trainings_held', rule: 'ratio', weight: 5, target: '>=2' },
    [N.cases]: { actual: 40, score: r2((40 / 50) * 5), met: false, source: 'manual', rule: 'ratio', weight: 5 },
    [N.pass]: { actual: 80, score: r2((80 / 100) * 10), met: false, unit: 'percent', source: 'training_pass_rate', rule: 'ratio', weight: 10, target: '=100%' },
    [N.onTime]: { actual: (2 / 3) * 100, score: r2((2 / 3) * 10), met: false, unit: 'percent', source: 'training_on_time_rate', rule: 'ratio', weight: 10 },
    [N.spend]: { actual: 96, score: r2(Math.min(96 / 95, 1) * 10), met: true, source: 'manual', rule: 'ratio', weight: 10 },
    [N.harmony]: { actual: 85, score: 5, source: 'manual', rule: 'tiered', weight: 5 },
    [N.lawful]: { actual: 70, score: r2((3 / 5) * 5), source: 'manual', rule: 'tiered', weight: 5 },
    [N.satisfaction]: { actual: 60, score: r2(10 - Math.floor(90 - 60) * 0.2), met: false, unit: 'percent', source: 'satisfaction_rate', rule: 'satisfaction_deduct', weight: 10, target: '>=90%' },
  };
  const TOTAL = r2(5 + 4 + 8 + (2 / 3) * 10 + 10 + 5 + 3 + 4);

  test('the framework: 8 indicators of the 2023 report with their levels, targets, weights and rules', async () => {
    const body = await indicators(P);
    assert.deepEqual(body.items.map((i) => i.level3), Object.values(N));
    assert.deepEqual([...new Set(body.items.map((i) => i.level1))], ['产出指标', '效益指标', '满意度指标']);
    const csv = readFileSync(new URL('../fixtures/indicators-futian-2023.csv', import.meta.url), 'utf8')
      .trim().split('\n').slice(1).map((l) => l.split(','));
    for (const [i, row] of csv.entries()) {
      const it = body.items[i];
      assert.deepEqual([it.level1, it.level2, it.level3, it.target, it.weight, it.rule], [row[0], row[1], row[2], row[3], Number(row[4]), row[5]], `row ${i + 1}`);
      assert.ok(/^[a-z0-9_]+$/.test(it.code), `code of ${it.level3}: ${it.code}`);
      assert.ok(['count', 'percent', 'rating'].includes(it.unit), `unit of ${it.level3}: ${it.unit}`);
    }
    assert.equal(body.max_score, 60);
    assert.equal(body.items.find((i) => i.level3 === N.sessions).code, 'training_sessions');
  });

  test('the seeded period: every actual, score, met and the total, as worked out by hand', async () => {
    const body = await indicators(P);
    assert.equal(body.from, P.from);
    assert.equal(body.to, P.to);
    const got = byName(body);
    for (const [name, want] of Object.entries(EXPECTED)) {
      const it = got.get(name);
      assert.ok(it, `${name} listed`);
      assert.equal(it.no_data, false, `${name} has data`);
      close(it.actual, want.actual, `${name} actual`);
      close(it.score, want.score, `${name} score`);
      assert.equal(it.score, r2(it.score), `${name} score rounded to 2 decimals`);
      for (const k of ['source', 'rule', 'weight', 'unit', 'target']) if (want[k] !== undefined) assert.equal(it[k], want[k], `${name} ${k}`);
      if (want.met !== undefined) assert.equal(it.met, want.met, `${name} met`);
      else assert.equal(it.met, it.actual >= it.target_value, `${name} met = actual >= target_value (${it.target_value})`);
      assert.equal(typeof it.actual_text, 'string', `${name} actual_text`);
    }
    close(body.total_score, TOTAL, 'total_score');
    assert.equal(TOTAL, 45.67);
    assert.equal(body.max_score, 60);
    assert.equal(got.get(N.sessions).target_op, '>=');
    assert.equal(got.get(N.sessions).target_value, 2);
  });

  test('a manual value keeps its note, who entered it and when; it belongs to exactly that period', async () => {
    const it = byName(await indicators(P)).get(N.cases);
    assert.equal(it.manual.value, 40);
    assert.equal(it.manual.note, '重点案件 10 件，协助化解 4 件');
    assert.equal(it.manual.username, 'admin');
    assert.match(it.manual.at, RFC3339);
    assert.ok(Math.abs(Date.parse(it.manual.at) - Date.now()) < 10 * 60e3, `at is now: ${it.manual.at}`);
    const computed = byName(await indicators(P)).get(N.pass);
    assert.equal(computed.manual ?? null, null, 'computed indicators carry no manual value');

    // Another period (same start, one day shorter) does not see it.
    const other = byName(await indicators({ from: P.from, to: day(-2) }));
    for (const n of [N.cases, N.spend, N.harmony, N.lawful]) {
      assert.equal(other.get(n).no_data, true, `${n}: no manual value for another period`);
      assert.equal(other.get(n).actual, null);
      assert.equal(other.get(n).score, null);
    }
    // Entering it again replaces it.
    await put(code[N.cases], { ...P, value: 45, note: '更正' });
    let again = byName(await indicators(P)).get(N.cases);
    assert.equal(again.manual.value, 45);
    assert.equal(again.manual.note, '更正');
    close(again.score, r2((45 / 50) * 5), 'score follows the new value');
    await put(code[N.cases], { ...P, value: 40, note: '重点案件 10 件，协助化解 4 件' });
    again = byName(await indicators(P)).get(N.cases);
    close(again.score, 4, 'restored');
  });

  test('no data: an empty period gives null actuals and scores for rates and manual values; a count of 0 is data', async () => {
    const body = await indicators({ from: '2019-01-01', to: '2019-12-31' });
    assert.equal(body.items.length, 8);
    assert.equal(body.total_score, 0);
    assert.equal(body.max_score, 60);
    for (const it of body.items) {
      const shown = JSON.stringify(it);
      if (it.level3 === N.sessions) {
        // No training held is an actual of 0 trainings, scored 0 — not "no data".
        assert.equal(it.actual, 0, `${it.level3}: actual 0: ${shown}`);
        assert.equal(it.no_data, false, shown);
        assert.equal(it.score, 0, shown);
        assert.equal(it.met, false, shown);
        continue;
      }
      assert.equal(it.actual, null, `${it.level3}: actual null (nothing assessed, no answer, no manual value): ${shown}`);
      assert.equal(it.no_data, true, `${it.level3}: no_data: ${shown}`);
      assert.equal(it.score, null, `${it.level3}: score null: ${shown}`);
      assert.equal(it.actual_text ?? null, null, `${it.level3}: no actual_text`);
    }
  });

  test('a period with one training, nobody assessed, no answer: rates without data stay null', async () => {
    const onlyT3 = byName(await indicators({ from: days.t3, to: days.t3 }));
    close(onlyT3.get(N.sessions).actual, 1, 'one training held that day');
    close(onlyT3.get(N.sessions).score, r2((1 / 2) * 5), 'half the points');
    assert.equal(onlyT3.get(N.pass).no_data, true, 'nobody assessed');
    assert.equal(onlyT3.get(N.pass).score, null);
    assert.equal(onlyT3.get(N.satisfaction).no_data, true, 'no answers');
    close(onlyT3.get(N.onTime).actual, 0, 'held, but not on its planned day');
    assert.equal(onlyT3.get(N.onTime).no_data, false);
    close(onlyT3.get(N.onTime).score, 0, 'on time 0 %');
  });

  test('GET /indicators without a period is the current year', async () => {
    // The server's year when it answered: the Shanghai year before the
    // request or after it (they differ only over New Year's midnight).
    const year = () => new Date(Date.now() + 8 * H).toISOString().slice(0, 4);
    const years = [year()];
    const r = await call('GET', '/api/v1/indicators');
    years.push(year());
    expectStatus(r, 200);
    const y = r.body.from.slice(0, 4);
    assert.ok(years.includes(y), `the current year (${years}): ${r.body.from}`);
    assert.equal(r.body.from, `${y}-01-01`);
    assert.equal(r.body.to, `${y}-12-31`);
  });

  test('framework changes (weight, target) are reflected in every period; a rejected PUT writes nothing', async () => {
    const sessions = code[N.sessions];
    await put(sessions, { weight: 8 }, 'weight 8');
    let body = await indicators(P);
    let it = byName(body).get(N.sessions);
    assert.equal(it.weight, 8);
    close(it.score, 8, 'capped ratio gives the new weight');
    assert.equal(body.max_score, 63);
    close(body.total_score, r2(TOTAL + 3), 'total');
    const other = byName(await indicators({ from: '2019-01-01', to: '2019-12-31' })).get(N.sessions);
    assert.equal(other.weight, 8, 'the framework is the same in every period');

    await put(sessions, { target: '>=4' }, 'target >=4');
    it = byName(await indicators(P)).get(N.sessions);
    assert.equal(it.target, '>=4');
    assert.equal(it.target_value, 4);
    close(it.score, r2((3 / 4) * 8), '3 of 4');
    assert.equal(it.met, false);

    // Rejected: nothing changes.
    expectError(await call('PUT', `/api/v1/indicators/${sessions}`, { weight: -1 }), 422, 'validation_failed', 'weight');
    expectError(await call('PUT', `/api/v1/indicators/${sessions}`, { weight: 101 }), 422, 'validation_failed', 'weight');
    expectError(await call('PUT', `/api/v1/indicators/${sessions}`, { weight: 'five' }), 422, 'validation_failed', 'weight');
    expectError(await call('PUT', `/api/v1/indicators/${sessions}`, { target: 'lots', weight: 2 }), 422, 'validation_failed', 'target');
    expectError(await call('PUT', `/api/v1/indicators/${sessions}`, { rule: 'generous' }), 422, 'validation_failed', 'rule');
    it = byName(await indicators(P)).get(N.sessions);
    assert.deepEqual([it.weight, it.target, it.rule], [8, '>=4', 'ratio'], 'nothing written');

    await put(sessions, { weight: 5, target: '>=2' }, 'restore');
    body = await indicators(P);
    close(body.total_score, TOTAL, 'restored total');
    assert.equal(body.max_score, 60);
  });

  test('per-period settings override the framework there only; the scoring rules at their edges', async () => {
    // A period of its own: T3's day and the next (one training held, not on time).
    const Q = { from: days.t3, to: day(-11) };
    const cases = code[N.cases];
    const sat = code[N.satisfaction];
    // ratio with a target of 0 gives full points
    await put(code[N.sessions], { ...Q, target: '>=0' });
    const z = byName(await indicators(Q)).get(N.sessions);
    assert.equal(z.target, '>=0');
    close(z.actual, 1, 'one training');
    assert.equal(z.score, 5, `target 0: full points (${JSON.stringify(z)})`);
    assert.equal(byName(await indicators(P)).get(N.sessions).target, '>=2', 'the seeded period keeps the framework');

    // satisfaction_deduct on a manual percentage, weight 10 there
    await put(cases, { ...Q, rule: 'satisfaction_deduct', weight: 10 });
    const deduct = [
      [95, 10], [90, 10], [89.9, 10], // fractions are dropped: 89.9 % loses nothing
      [86, r2(10 - 4 * 0.2)], [85.5, r2(10 - 4 * 0.2)], // 9.2
      [70, r2(10 - 20 * 0.2)], // 6
      [50, r2(10 - 40 * 0.2)], // 2
      [49.9, 0], // under 50 %: nothing
    ];
    for (const [v, want] of deduct) {
      await put(cases, { ...Q, value: v });
      const it = byName(await indicators(Q)).get(N.cases);
      assert.equal(it.rule, 'satisfaction_deduct');
      assert.equal(it.weight, 10);
      close(it.score, want, `satisfaction_deduct at ${v} %`);
    }
    // satisfaction_tiers
    await put(cases, { ...Q, rule: 'satisfaction_tiers' });
    for (const [v, want] of [[90, 10], [89.99, 8], [80, 8], [79.9, 5], [60, 5], [59.9, 0]]) {
      await put(cases, { ...Q, value: v });
      close(byName(await indicators(Q)).get(N.cases).score, want, `satisfaction_tiers at ${v} %`);
    }
    // tiered
    await put(cases, { ...Q, rule: 'tiered', weight: 5 });
    for (const [v, want] of [[100, 5], [80, 5], [79.9, 3], [60, 3], [59.9, 0]]) {
      await put(cases, { ...Q, value: v });
      close(byName(await indicators(Q)).get(N.cases).score, want, `tiered at ${v} %`);
    }
    // the seeded period is untouched
    const p = byName(await indicators(P)).get(N.cases);
    assert.deepEqual([p.rule, p.weight], ['ratio', 5]);
    close(p.score, 4, 'seeded period');
    // the satisfaction indicator scored with satisfaction_tiers in the seeded period: 60 % → 5/10
    await put(sat, { ...P, rule: 'satisfaction_tiers' });
    close(byName(await indicators(P)).get(N.satisfaction).score, 5, 'satisfaction_tiers at 60 %');
    await put(sat, { ...P, rule: 'satisfaction_deduct' });
    close(byName(await indicators(P)).get(N.satisfaction).score, 4, 'back to satisfaction_deduct');
  });

  test('bad input: periods, unknown codes, values', async () => {
    for (const path of ['/api/v1/indicators', '/api/v1/reports/actuals', '/api/v1/reports/indicators.csv']) {
      expectError(await call('GET', `${path}?from=2025-12-31&to=2025-01-01`), 422, 'validation_failed');
      expectError(await call('GET', `${path}?from=2025-02-30&to=2025-12-31`), 422, 'validation_failed');
      expectError(await call('GET', `${path}?from=20250101&to=2025-12-31`), 422, 'validation_failed');
      expectError(await api(s.url, 'GET', `${path}?${q(P)}`), 401, 'unauthorized');
    }
    expectError(await call('PUT', '/api/v1/indicators/no_such_indicator', { weight: 1 }), 404, 'not_found');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { from: P.from, value: 10 }), 422, 'validation_failed');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { from: P.to, to: P.from, value: 10 }), 422, 'validation_failed');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { ...P, value: 'many' }), 422, 'validation_failed', 'value');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { ...P, weight: -1 }), 422, 'validation_failed', 'weight');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { ...P, target: '≥ fifty' }), 422, 'validation_failed', 'target');
    expectError(await call('PUT', `/api/v1/indicators/${code[N.cases]}`, { weight: 1 }, { raw: 'not json', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
    expectError(await api(s.url, 'PUT', `/api/v1/indicators/${code[N.cases]}`, { body: { weight: 1 } }), 401, 'unauthorized');
    const it = byName(await indicators(P)).get(N.cases);
    assert.equal(it.manual.value, 40, 'rejected PUTs wrote nothing');
    assert.equal(it.weight, 5);
  });

  test('GET /reports/indicators.csv: the report headers, one row per indicator, a 合计 row', async () => {
    const r = await call('GET', `/api/v1/reports/indicators.csv?${q(P)}`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/csv/);
    const body = r.text.replace(/^\uFEFF/, '');
    assert.equal(body.split(/\r?\n/)[0], HEADER, 'the exact header line');
    const rows = parseCsv(body);
    assert.equal(rows.length, 1 + 8 + 1, body);
    const pass = rows.find((x) => x[2] === N.pass);
    assert.ok(pass, 'pass-rate row');
    assert.equal(Number(pass[3]), 10);
    assert.equal(Number(pass[6]), 8);
    assert.match(pass[5], /^80(\.0+)?%?$/, `actual: ${pass[5]}`);
    const sessions = rows.find((x) => x[2] === N.sessions);
    assert.deepEqual(sessions.slice(0, 5), ['产出指标', '数量指标', N.sessions, '5', '>=2']);
    const cases = rows.find((x) => x[2] === N.cases);
    assert.equal(cases[8], '重点案件 10 件，协助化解 4 件', 'the note is printed');
    const total = rows.find((x) => x[0] === '合计');
    assert.ok(total, '合计 row');
    assert.equal(Number(total[3]), 60);
    assert.equal(Number(total[6]), 45.67);
    // no data is written as such, never as 0 %
    const empty = await call('GET', '/api/v1/reports/indicators.csv?from=2019-01-01&to=2019-12-31');
    expectStatus(empty, 200);
    const erow = parseCsv(empty.text).find((x) => x[2] === N.pass);
    assert.ok(!/^0(\.0+)?%?$/.test(erow[5]), `no 0 % for no data: ${erow}`);
  });

  test('GET /reports/indicators.xlsx: a workbook whose first sheet holds the headers and the scores', async () => {
    const res = await fetch(`${s.url}/api/v1/reports/indicators.xlsx?${q(P)}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /spreadsheetml|officedocument|octet-stream/);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
    const sheet = unzipEntry(buf, 'xl/worksheets/sheet1.xml');
    assert.ok(sheet, 'xl/worksheets/sheet1.xml');
    const shared = unzipEntry(buf, 'xl/sharedStrings.xml') || '';
    const strings = [...shared.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
    // cells: shared strings by index (t="s"), inline strings, numbers
    const cells = [...sheet.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((m) => {
      const v = /<v>([^<]*)<\/v>/.exec(m[4] || '');
      const is = /<t[^>]*>([^<]*)<\/t>/.exec(m[4] || '');
      const text = / t="s"/.test(m[3]) && v ? strings[Number(v[1])] : is ? is[1] : v ? v[1] : '';
      return { col: m[1], row: Number(m[2]), text, number: !/ t="/.test(m[3]) && v ? Number(v[1]) : null };
    });
    const rowText = (r) => cells.filter((c) => c.row === r).map((c) => c.text);
    const headerRow = cells.find((c) => c.text === '一级指标')?.row;
    assert.ok(headerRow, `header row in sheet1: ${JSON.stringify(cells.slice(0, 12))}`);
    assert.deepEqual(rowText(headerRow), HEADER.split(','));
    const find = (text) => cells.find((c) => c.text === text);
    const on = (text, col) => cells.find((c) => c.row === find(text)?.row && c.col === col);
    assert.ok(find(N.pass), 'the pass-rate row');
    assert.equal(on(N.pass, 'G').number ?? Number(on(N.pass, 'G').text), 8, 'its score in column G');
    assert.equal(on(N.onTime, 'G').number ?? Number(on(N.onTime, 'G').text), 6.67, 'the on-time score');
    assert.ok(find('合计'), '合计');
    assert.equal(on('合计', 'D').number ?? Number(on('合计', 'D').text), 60, 'max in column D');
    assert.equal(on('合计', 'G').number ?? Number(on('合计', 'G').text), 45.67, 'total in column G');
  });

  test('GET /reports/activities.csv: the held events of the period in the events CSV layout', async () => {
    const r = await call('GET', `/api/v1/reports/activities.csv?${q(P)}`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/csv/);
    const all = parseCsv(r.text);
    assert.deepEqual(all[0].slice(0, 5), ['date', 'station', 'title', 'category', 'audience'], all[0].join(','));
    const rows = all.slice(1);
    assert.equal(rows.length, 5, r.text);
    const titles = rows.map((x) => x[2]);
    for (const e of [E.t1, E.t2, E.t3, E.lecture, E.salon]) assert.ok(titles.includes(e.title), `${e.title} listed`);
    assert.ok(!titles.includes('未开展的讲座') && !titles.includes('取消的沙龙'), 'only held events');
    const t3 = rows.find((x) => x[2] === E.t3.title);
    assert.deepEqual([t3[0], t3[1], t3[3], t3[4]], [days.t3, st.YL.name, '培训', '信访工作者'], 'held on its new day, Chinese words');
    const lecture = rows.find((x) => x[2] === E.lecture.title);
    assert.deepEqual([lecture[3], lecture[4]], ['讲座', '社区居民']);
  });

  test('GET /reports/actuals: held events by kind, station, audience, month and quarter; planned; participants; satisfaction by month', async () => {
    const r = await call('GET', `/api/v1/reports/actuals?${q(P)}`);
    expectStatus(r, 200);
    const a = r.body;
    const heldDays = [days.t1, days.t2, days.t3, days.lecture, days.salon];
    const tally = (keys) => keys.reduce((m, k) => m.set(k, (m.get(k) || 0) + 1), new Map());

    assert.deepEqual(nonZero(counts(breakdown(a.events, 'kind'), ['kind', 'key'])), new Map([['training', 3], ['lecture', 1], ['salon', 1]]));
    assert.deepEqual(nonZero(counts(breakdown(a.events, 'month'), ['month', 'key'])), tally(heldDays.map(month)));
    assert.deepEqual(nonZero(counts(breakdown(a.events, 'quarter'), ['quarter', 'key'])), tally(heldDays.map(quarter)));
    assert.deepEqual(nonZero(counts(breakdown(a.events, 'audience'), ['audience', 'key'])), new Map([['staff', 3], ['residents', 1], ['community_workers', 1]]));
    const byStation = nonZero(counts(breakdown(a.events, 'station'), ['station_name', 'name', 'station', 'station_id', 'key']));
    const stationCount = (x) => byStation.get(x.name) ?? byStation.get(String(x.id)) ?? byStation.get(x.code);
    assert.deepEqual([stationCount(st.HALL), stationCount(st.YL), stationCount(st.NY)], [2, 2, 1], JSON.stringify(breakdown(a.events, 'station')));
    assert.equal(byStation.size, 3);

    assert.deepEqual(nonZero(counts(a.planned?.by_kind ?? a.planned, ['kind', 'key'])), new Map([['lecture', 1]]), `planned: ${JSON.stringify(a.planned)}`);

    assert.equal(a.participants.registered, 0);
    assert.equal(a.participants.attended, 3 + 5 + 2, 'walk-ins attended');

    const satWant = new Map();
    for (const [d, sat, total] of [[days.t2, 3, 3], [days.lecture, 0, 2]]) {
      const m = satWant.get(month(d)) || { satisfied: 0, total: 0 };
      satWant.set(month(d), { satisfied: m.satisfied + sat, total: m.total + total });
    }
    const satGot = a.satisfaction_by_month;
    assert.deepEqual(Object.keys(satGot).sort(), [...satWant.keys()].sort());
    for (const [m, want] of satWant) {
      const got = satGot[m];
      assert.deepEqual([got.satisfied, got.total], [want.satisfied, want.total], `satisfaction ${m}`);
      const share = want.satisfied / want.total;
      assert.ok(Math.abs(got.rate - share) < 0.005 || Math.abs(got.rate - share * 100) < 0.005, `rate ${m}: ${got.rate}`);
    }
    assert.ok(Array.isArray(a.duty_hours), 'duty_hours is a list');
    assert.ok(a.coverage && typeof a.coverage === 'object' && 'required' in a.coverage && 'assigned' in a.coverage && 'rate' in a.coverage, `coverage: ${JSON.stringify(a.coverage)}`);
    assert.ok(a.coverage_by_station !== undefined, 'coverage_by_station');

    // an empty period
    const e = await call('GET', '/api/v1/reports/actuals?from=2019-01-01&to=2019-12-31');
    expectStatus(e, 200);
    assert.equal([...nonZero(counts(breakdown(e.body.events, 'kind'), ['kind', 'key']))].length, 0);
    assert.equal(e.body.participants.attended, 0);
  });

  test('the on-time rate follows planned_start: the rescheduled training kept its planned day', async () => {
    const r = await call('GET', `/api/v1/events/${E.t3.id}`);
    expectStatus(r, 200);
    assert.equal(r.body.planned_start, at(days.t3planned, '14:30'));
    assert.equal(r.body.start, at(days.t3, '14:30'));
    assert.equal(r.body.status, 'held');
    // Only the on-time trainings in range: on time 100 %.
    const t1only = byName(await indicators({ from: days.t1, to: days.t2 })).get(N.onTime);
    close(t1only.actual, 100, 'T1 and T2 on time');
    assert.equal(t1only.met, true);
    close(t1only.score, 10, 'full');
  });
});
