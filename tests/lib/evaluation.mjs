// The Futian 2023 evaluation entered through the API as the report records
// it (shared/data/framework-futian-2023.csv and scores-futian-2023.csv,
// copied to tests/fixtures): for the acceptance test (tests/e2e/
// evaluation.test.mjs) and the browser test of the evaluation page.
//
// What the report records: 2 counsellor trainings held on their planned
// days with every trainee passed; a key-case register at 50 % resolved;
// satisfaction of 90 % (paper forms); the budget rows at 100 %; the two
// rated 效益 rows at 70 %; and the checklist rows marked to their scores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

export const FRAMEWORK_CSV = readFileSync(join(root, 'tests/fixtures/framework-futian-2023.csv'), 'utf8');
export const PERIOD = { from: '2023-01-01', to: '2023-12-31' };
export const NAME = '福田区心访工作室 2023 年度绩效评价';

// level3 → {weight, score, says} of scores-futian-2023.csv
export const REPORT = new Map(readFileSync(join(root, 'tests/fixtures/scores-futian-2023.csv'), 'utf8')
  .trim().split('\n').slice(1).map((l) => {
    const [level3, weight, score, ...says] = l.split(',');
    return [level3, { weight: Number(weight), score: Number(score), says: says.join(',') }];
  }));
export const REPORT_TOTAL = 94;

// The checklist marks that give the report's scores (true = met; for the
// penalty item of 资金使用合规性, true would mean the fault happened).
export const MARKS = {
  立项依据充分性: [true, true, true, true, true],
  立项程序规范性: [true, true, true],
  绩效目标合理性: [true, true, true, false],
  绩效指标明确性: [true, true, false],
  预算编制科学性: [true, true, true, true],
  资金分配合理性: [true, true],
  资金使用合规性: [true, true, true, false],
  管理制度健全性: [true, true],
  制度执行有效性: [true, true, true, true],
};
// Deduction notes, in the report's words.
export const NOTES = {
  绩效目标合理性: '绩效指标基本涵盖项目主要工作内容，产出效益与投资额的匹配未见测算，扣 1 分',
  绩效指标明确性: '部分指标值与计划数未逐项对应，扣 1 分',
  辅助维护社会和谐稳定: '评定有效 70%，按 60%（含）—80% 档得 3 分',
  有效提升民众法治信访意识: '评定有效 70%，按 60%（含）—80% 档得 3 分',
};
export const MANUAL_VALUES = { 资金到位率: 100, 预算执行率: 100, 支出进度达标率: 100 };
export const RATINGS = { 辅助维护社会和谐稳定: 70, 有效提升民众法治信访意识: 70 };
// The rows the other branches' records feed.
export const FROM_CASES = '协助重点案件化解率';
export const FROM_TALLIES = '培训和心理咨询对象满意度';

const ok = (r, status, what) => {
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${what}: want ${want.join(' or ')}, got ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
};

// Imports the framework and enters everything but the key cases and the
// paper tallies. call(method, path, body, extra) is a signed-in
// coordinator's request. Returns {id, codes: level3 → code}.
export async function seedFutian(call) {
  const imp = ok(await call('POST', `/api/v1/frameworks/import?name=${encodeURIComponent(NAME)}&from=${PERIOD.from}&to=${PERIOD.to}`,
    undefined, { raw: FRAMEWORK_CSV, headers: { 'content-type': 'text/csv' } }), 201, 'import');
  assert.deepEqual([imp.rows, imp.weight_sum], [19, 100]);
  const fw = ok(await call('GET', `/api/v1/frameworks/${imp.id}`), 200, 'framework');
  const codes = Object.fromEntries(fw.indicators.map((i) => [i.level3, i.code]));
  const stations = ok(await call('GET', '/api/v1/stations?limit=500'), 200, 'stations').items;
  const hall = stations.find((x) => x.code === 'HALL');

  // two trainings held on the days they were planned for; every trainee passed
  for (const [day, title, trainees] of [['2023-04-18', '心访咨询师岗前培训', ['学员甲', '学员乙', '学员丙']],
    ['2023-10-17', '心访咨询师督导培训', ['学员甲', '学员丁', '学员戊', '学员己']]]) {
    const e = ok(await call('POST', '/api/v1/events', { kind: 'training', title, station_id: hall.id, audience: 'staff',
      start: `${day}T09:00:00+08:00`, end: `${day}T11:30:00+08:00` }), 201, title);
    for (const name of trainees) {
      ok(await call('POST', `/api/v1/events/${e.id}/attendance`, { walk_in: { name }, passed: true, score: 90 }), 201, `${title} ${name}`);
    }
    ok(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' }), 200, `${title} held`);
  }

  const put = async (level3, body) => ok(await call('PUT',
    `/api/v1/indicators/${codes[level3]}?framework=${imp.id}&from=${PERIOD.from}&to=${PERIOD.to}`, body), 200, `PUT ${level3}`);
  for (const [n, value] of Object.entries(MANUAL_VALUES)) await put(n, { value, note: REPORT.get(n).says });
  for (const [n, rating] of Object.entries(RATINGS)) await put(n, { rating, note: NOTES[n] });
  for (const [n, marks] of Object.entries(MARKS)) await put(n, { checklist: marks, ...(NOTES[n] ? { note: NOTES[n] } : {}) });
  return { id: imp.id, codes, hall };
}

// The key-case register at 50 % resolved and the paper forms at 90 %
// satisfied, through the APIs DESIGN gives them.
export async function enterCasesAndTallies(call, hall) {
  const cases = [['2023-017', '2023-02-10', 'resolved', '2023-09-28'], ['2023-031', '2023-05-06', 'unresolved', '2023-12-20'],
    ['2023-044', '2023-07-19', 'resolved', '2023-11-30'], ['2023-052', '2023-08-02', 'open', null]];
  const counsellors = ok(await call('GET', '/api/v1/counsellors?limit=5'), 200, 'counsellors').items;
  for (const [i, [label, opened, status, closed]] of cases.entries()) {
    const r = await call('POST', '/api/v1/cases', { label, station_id: hall.id, counsellor_ids: [counsellors[i % 2].id], opened_on: opened });
    const c = ok(r, 201, `case ${label}`);
    ok(await call('POST', `/api/v1/cases/${c.id}/sessions`, { date: opened, minutes: 60, kind: 'one_to_one', counsellor_id: counsellors[i % 2].id }), 201, `session ${label}`);
    if (status !== 'open') ok(await call('PATCH', `/api/v1/cases/${c.id}`, { status, closed_on: closed }), 200, `close ${label}`);
  }
  // 100 paper forms of the counselling room: 50 + 40 satisfied = 90 %
  ok(await call('POST', '/api/v1/surveys/tallies', { station_id: hall.id, date: '2023-12-15', question_id: 'overall',
    counts: { 5: 50, 4: 40, 3: 8, 2: 2, 1: 0 } }), [200, 201], 'tallies');
}
