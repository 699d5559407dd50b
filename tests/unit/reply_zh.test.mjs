// Every reply a user can read is Chinese (issue 13): no message literal
// of an error reply in svc/api, svc/core, svc/service or svc/http reads
// as an English sentence. Part of make shape-check (so of make test);
// the reader is tools/reply_text.mjs, run it directly for the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { ROOT, replyTexts, readsEnglish, englishReplies } from '../../tools/reply_text.mjs';

test('the reader sees the reply texts (so the check below can fail)', () => {
  const all = replyTexts();
  assert.ok(all.length > 200, `only ${all.length} reply texts read`);
  const calls = new Set(all.map((t) => t.call));
  for (const c of ['http_reply_errorf', 'error_set', 'api_reply_not_found'])
    assert.ok(calls.has(c), `no ${c} read`);
  // A message on the line after the call, split into two literals.
  assert.ok(all.some((t) => t.file === 'svc/api/counselling.c' &&
    t.text === '请指定活动（event_id）或驻点（station_id）其中之一'));
  // api_reply_internal carries a log text, not a reply: not read.
  assert.ok(!all.some((t) => t.call === 'api_reply_internal'));
});

test('what reads as English and what does not', () => {
  for (const s of ['no such plan', 'to: must not be before from', 'end: after start, within a year',
    'station_ids: no station %lld', '%s: an integer from 1 to 5', 'the robot is turned off',
    '驻点 %lld has two targets'])
    assert.equal(readsEnglish(s), true, s);
  for (const s of ['没有这份计划', '%s', '%s%s%s', 'code：统计项 %s 已存在', '开始日期格式应为 YYYY-MM-DD',
    '请指定活动（event_id）或驻点（station_id）其中之一', 'Webhook 中的 %s 应为 8 到 128 个字母',
    '%lld', '强制保存时必须填写原因（force_reason）', null])
    assert.equal(readsEnglish(s), false, String(s));
});

test('no reply message in svc/ is an English sentence', () => {
  const bad = englishReplies().map((b) => `${b.file}:${b.line}: ${b.text}`);
  assert.equal(bad.length, 0,
    `English reply messages (${bad.length}); say it in Chinese:\n  ${bad.join('\n  ')}`);
});

// A field's message names it by valid_label's table (svc/core/valid.c):
// a request field without a label would show its code ("title：必填").
test('every request field of svc/api has a Chinese label', () => {
  const api = readdirSync(`${ROOT}/svc/api`).filter((f) => f.endsWith('.c'));
  const fields = new Set();
  for (const f of api)
    for (const m of readFileSync(`${ROOT}/svc/api/${f}`, 'utf8').matchAll(/\.name = "([a-z_0-9]+)"/g))
      fields.add(m[1]);
  assert.ok(fields.size > 100, `only ${fields.size} fields read`);
  const valid = readFileSync(`${ROOT}/svc/core/valid.c`, 'utf8');
  const labelled = new Set([...valid.matchAll(/\{"([a-z_0-9]+)", "[^"]+"\}/g)].map((m) => m[1]));
  const order = [...labelled];
  assert.deepEqual(order, [...order].sort(), 'field_labels must stay sorted by code (bsearch)');
  const missing = [...fields].filter((f) => !labelled.has(f));
  assert.deepEqual(missing, [], `add a label in valid.c's field_labels for: ${missing.join(', ')}`);
});
