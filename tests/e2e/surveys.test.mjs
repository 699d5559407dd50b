// Satisfaction surveys — docs/api.md "Registration, check-in and surveys":
// the default template, reading a survey by token, one answer per token,
// answer validation, comments returned as literal text, closed surveys,
// results (distributions, satisfaction rate, response rate), the
// anonymous link (and its per-address limit, own server), the CSV export
// without identities, custom templates with a choice question, template
// validation, settings and the retention purge.
//
// Events in the past are created through the API (it allows past times),
// attendees are walk-ins or registrations, and PATCH status held issues
// the survey tokens.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, login, sqlRun } from '../lib/harness.mjs';
import { rmSync } from 'node:fs';
import { expectError, expectStatus, serveOn, requestFrom, eventKit, at, H, D, TOKEN_RE } from './util.mjs';

const SCRIPT = '<script>alert(1)</script> 讲得很好，谢谢老师 & "欢迎" \'再来\'';

function haveSqlite3() {
  try { execFileSync('sqlite3', ['-version'], { stdio: 'pipe' }); return true; } catch { return false; }
}

// The text of a comment in survey-results, whether the list holds strings
// or objects with a text.
const commentText = (c) => (typeof c === 'string' ? c : (c && (c.text ?? c.value ?? c.comment)));

function harness(getS, getToken) {
  const kit = eventKit(getS, getToken, { event: () => ({ title: '心理健康讲座', start: at(-3 * D), end: at(-3 * D + 2 * H) }) });
  const { call, pub } = kit;
  const answer = (tok, answers) => pub('POST', '/api/v1/surveys/responses', { token: tok, answers });
  const results = async (eventId) => {
    const r = await call('GET', `/api/v1/events/${eventId}/survey-results`);
    expectStatus(r, 200, 'survey-results');
    return r.body;
  };
  return { ...kit, answer, results };
}

describe('surveys', () => {
  let s, token;
  const { call, pub, mkEvent, walkIns, markHeld, attendance, heldEvent, answer, results } = harness(() => s, () => token);

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('the default template 服务满意度: overall (likert5, required, satisfaction) and comment (text)', async () => {
    const list = await call('GET', '/api/v1/survey-templates');
    expectStatus(list, 200);
    assert.ok(Array.isArray(list.body.items));
    const def = list.body.items.find((x) => x.id === 1);
    assert.ok(def, `template 1 listed: ${list.text}`);
    assert.equal(def.name, '服务满意度');
    const one = await call('GET', '/api/v1/survey-templates/1');
    expectStatus(one, 200);
    const qs = one.body.questions;
    assert.deepEqual(qs.map((q) => [q.id, q.type, q.required]), [['overall', 'likert5', true], ['comment', 'text', false]]);
    assert.equal(qs[0].satisfaction, true);
    assert.ok(!qs[1].satisfaction);
    expectError(await call('GET', '/api/v1/survey-templates/999999'), 404, 'not_found');
    expectError(await pub('GET', '/api/v1/survey-templates'), 401, 'unauthorized');
  });

  test('GET a survey by token; one answer per token (409 after); unknown token 404', async () => {
    const { event, tokens } = await heldEvent(2, { title: '读取问卷' });
    const r = await pub('GET', `/api/v1/surveys/${tokens[0]}`);
    expectStatus(r, 200, 'GET survey');
    const { id, title, start, end } = r.body.event;
    assert.deepEqual({ id, title, start, end }, { id: event.id, title: '读取问卷', start: event.start, end: event.end });
    assert.equal(r.body.anonymous, false);
    assert.deepEqual(r.body.questions.map((q) => [q.id, q.type, q.required]), [['overall', 'likert5', true], ['comment', 'text', false]]);
    assert.equal(typeof r.body.questions[0].text, 'string');

    const a = await answer(tokens[0], { overall: 5, comment: '很有帮助' });
    expectStatus(a, 201, 'answer');
    assert.ok(Number.isInteger(a.body.id), `id: ${a.text}`);
    expectError(await answer(tokens[0], { overall: 4 }), 409, 'conflict');
    expectError(await pub('GET', `/api/v1/surveys/${tokens[0]}`), 409, 'conflict');
    assert.equal((await results(event.id)).responses, 1, 'the second answer was not stored');

    expectError(await pub('GET', '/api/v1/surveys/0123456789abcdef0123456789abcdef'), 404, 'not_found');
    expectError(await answer('0123456789abcdef0123456789abcdef', { overall: 5 }), 404, 'not_found');
    // the other attendee still answers
    expectStatus(await answer(tokens[1], { overall: 4 }), 201, 'second attendee');
  });

  test('bad answers → 422 naming the question (400 for a malformed body); nothing is stored', async () => {
    const { event, tokens } = await heldEvent(1, { title: '校验问卷' });
    const tok = tokens[0];
    for (const v of [0, 6, '5', 3.5, -1, true, null, [5], { v: 5 }]) {
      expectError(await answer(tok, { overall: v }), 422, 'validation_failed', 'overall');
    }
    expectError(await answer(tok, {}), 422, 'validation_failed', 'overall');
    expectError(await answer(tok, { comment: '没有回答必答题' }), 422, 'validation_failed', 'overall');
    const unknown = await answer(tok, { overall: 5, nope: 3 });
    expectError(unknown, 422, 'validation_failed');
    assert.equal(unknown.body.error.field, 'nope', `the unknown question is named: ${unknown.text}`);
    expectError(await answer(tok, { overall: 5, comment: 123 }), 422, 'validation_failed', 'comment');
    const long = await answer(tok, { overall: 5, comment: '好'.repeat(2001) });
    assert.ok(long.status === 422 || long.status === 413, `2001 characters: 422 or 413, got ${long.status} ${long.text.slice(0, 200)}`);
    if (long.status === 422) expectError(long, 422, 'validation_failed', 'comment');
    const noAnswers = await pub('POST', '/api/v1/surveys/responses', { token: tok });
    expectError(noAnswers, 422, 'validation_failed');
    const json = { 'content-type': 'application/json' };
    expectError(await pub('POST', '/api/v1/surveys/responses', undefined, { raw: '{"token":', headers: json }), 400, 'bad_request');
    expectError(await pub('POST', '/api/v1/surveys/responses', undefined,
      { raw: Buffer.concat([Buffer.from(`{"token":"${tok}","answers":{"overall":5,"comment":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]), headers: json }),
    400, 'bad_request');
    const r = await results(event.id);
    assert.equal(r.responses, 0, 'no rejected answer was stored');
    assert.equal(r.satisfaction.total, 0);

    // 2000 characters are fine, and the token is still good.
    expectStatus(await answer(tok, { overall: 3, comment: '好'.repeat(2000) }), 201, '2000 characters');
    const after = await results(event.id);
    assert.equal(after.responses, 1);
    assert.ok(after.comments.some((c) => commentText(c) === '好'.repeat(2000)));
  });

  test('a <script> comment is stored and returned as literal text', async () => {
    const { event, tokens } = await heldEvent(1, { title: '评论原样返回' });
    expectStatus(await answer(tokens[0], { overall: 4, comment: SCRIPT }), 201);
    const r = await call('GET', `/api/v1/events/${event.id}/survey-results`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    assert.equal(r.body.comments.length, 1);
    assert.equal(commentText(r.body.comments[0]), SCRIPT, 'exactly the text that was sent');
  });

  test('closed: an event not yet held, and one that ended more than 30 days ago → 409', async () => {
    // Not held: no personal tokens; the anonymous link does not open yet.
    const notHeld = await mkEvent({ title: '尚未标记举办' });
    await walkIns(notHeld.id, ['甲']);
    assert.equal((await attendance(notHeld.id))[0].survey_token ?? null, null, 'no token before held');
    const anon = await call('POST', `/api/v1/events/${notHeld.id}/anonymous-survey`, { enabled: true });
    expectStatus(anon, 200, 'enable anonymous link');
    expectError(await pub('GET', `/api/v1/surveys/${anon.body.token}`), 409, 'conflict');
    expectError(await answer(anon.body.token, { overall: 5 }), 409, 'conflict');

    // Ended 40 days ago and marked held now: tokens exist but the survey is closed.
    const { event: old, tokens } = await heldEvent(1, { title: '四十天前的讲座', start: at(-40 * D), end: at(-40 * D + 2 * H) });
    expectError(await pub('GET', `/api/v1/surveys/${tokens[0]}`), 409, 'conflict');
    expectError(await answer(tokens[0], { overall: 5 }), 409, 'conflict');
    // 29 days after: still open.
    const { tokens: recent } = await heldEvent(1, { title: '二十九天前的讲座', start: at(-29 * D - 3 * H), end: at(-29 * D - H) });
    expectStatus(await answer(recent[0], { overall: 5 }), 201, 'open 29 days after the end');
    for (const id of [notHeld.id, old.id]) assert.equal((await results(id)).responses, 0);
  });

  test('results: distribution, satisfaction 3 of 5 = 0.6, response rate = responses / attendees', async () => {
    const { event, tokens } = await heldEvent(6, { title: '满意度统计' });
    const values = [5, 5, 4, 3, 1];
    for (const [i, v] of values.entries()) {
      expectStatus(await answer(tokens[i], i === 0 ? { overall: v, comment: '第一条意见' } : { overall: v }), 201, `answer ${v}`);
    }
    const r = await results(event.id);
    assert.equal(r.responses, 5);
    assert.equal(r.attendees, 6);
    assert.ok(Math.abs(r.response_rate - 5 / 6) < 1e-9, `response_rate ${r.response_rate}`);
    assert.deepEqual(r.satisfaction, { satisfied: 3, total: 5, rate: 0.6 });
    const overall = r.questions.find((q) => q.id === 'overall');
    assert.equal(overall.type, 'likert5');
    assert.equal(overall.answers, 5);
    const dist = Object.fromEntries([1, 2, 3, 4, 5].map((k) => [k, overall.distribution[k] ?? overall.distribution[String(k)] ?? 0]));
    assert.deepEqual(dist, { 1: 1, 2: 0, 3: 1, 4: 1, 5: 2 });
    const comment = r.questions.find((q) => q.id === 'comment');
    assert.equal(comment.answers, 1);
    assert.deepEqual(r.comments.map(commentText), ['第一条意见']);

    // Nothing answered: rate null; no attendees: response_rate null.
    const { event: quiet } = await heldEvent(2, { title: '无人作答' });
    const q = await results(quiet.id);
    assert.equal(q.responses, 0);
    assert.equal(q.attendees, 2);
    assert.equal(q.response_rate, 0);
    assert.deepEqual(q.satisfaction, { satisfied: 0, total: 0, rate: null });
    const empty = await mkEvent({ title: '无人参加' });
    await markHeld(empty.id);
    const e = await results(empty.id);
    assert.equal(e.attendees, 0);
    assert.equal(e.response_rate, null);
    expectError(await call('GET', '/api/v1/events/999999/survey-results'), 404, 'not_found');
    expectError(await pub('GET', `/api/v1/events/${event.id}/survey-results`), 401, 'unauthorized');
  });

  test('anonymous link: enable, answer twice (both accepted, anonymous), disable', async () => {
    const { event } = await heldEvent(1, { title: '匿名问卷' });
    const on = await call('POST', `/api/v1/events/${event.id}/anonymous-survey`, { enabled: true });
    expectStatus(on, 200, 'enable');
    assert.equal(on.body.enabled, true);
    assert.match(on.body.token, TOKEN_RE);
    assert.ok(on.body.survey_url.endsWith(`/s/${on.body.token}`), `survey_url: ${on.body.survey_url}`);
    const g = await pub('GET', `/api/v1/surveys/${on.body.token}`);
    expectStatus(g, 200, 'anonymous survey');
    assert.equal(g.body.anonymous, true);
    assert.equal(g.body.event.id, event.id);
    expectStatus(await answer(on.body.token, { overall: 5 }), 201, 'first anonymous answer');
    expectStatus(await answer(on.body.token, { overall: 2, comment: '匿名意见' }), 201, 'second anonymous answer');
    const r = await results(event.id);
    assert.deepEqual(r.satisfaction, { satisfied: 1, total: 2, rate: 0.5 }, 'anonymous answers count in satisfaction');
    assert.equal(r.attendees, 1);
    assert.equal(r.response_rate, 0, 'response_rate counts personal responses only');
    assert.deepEqual(r.comments.map(commentText), ['匿名意见']);
    // Enabling again keeps the link.
    const again = await call('POST', `/api/v1/events/${event.id}/anonymous-survey`, { enabled: true });
    expectStatus(again, 200);
    assert.equal(again.body.token, on.body.token);
    expectError(await call('POST', `/api/v1/events/${event.id}/anonymous-survey`, { enabled: 'yes' }), 422, 'validation_failed', 'enabled');
    const off = await call('POST', `/api/v1/events/${event.id}/anonymous-survey`, { enabled: false });
    expectStatus(off, 200, 'disable');
    assert.equal(off.body.enabled, false);
    const closed = await pub('GET', `/api/v1/surveys/${on.body.token}`);
    assert.ok(closed.status === 404 || closed.status === 409, `disabled link: 404 or 409, got ${closed.status}`);
    const late = await answer(on.body.token, { overall: 5 });
    assert.ok(late.status === 404 || late.status === 409, `answer on a disabled link: 404 or 409, got ${late.status}`);
    assert.equal((await results(event.id)).satisfaction.total, 2);
  });

  test('custom template with a choice question: round trip, survey, option validation, results', async () => {
    const tpl = {
      name: '培训反馈问卷',
      questions: [
        { id: 'overall', type: 'likert5', text: '您对本次培训的总体满意度', required: true, satisfaction: true },
        { id: 'format', type: 'choice', text: '您更喜欢哪种形式？', required: true,
          options: [{ id: 'lecture', text: '讲授' }, { id: 'group', text: '小组讨论' }, { id: 'role_play', text: '角色扮演' }] },
        { id: 'next_topic', type: 'text', text: '希望下次讨论的主题', required: false },
      ],
    };
    const c = await call('POST', '/api/v1/survey-templates', tpl);
    expectStatus(c, 201, 'create template');
    assert.ok(Number.isInteger(c.body.id));
    assert.equal(c.body.name, tpl.name);
    const g = await call('GET', `/api/v1/survey-templates/${c.body.id}`);
    expectStatus(g, 200);
    assert.equal(g.body.name, tpl.name);
    assert.deepEqual(g.body.questions.map((q) => ({ id: q.id, type: q.type, text: q.text, required: q.required, ...(q.options ? { options: q.options } : {}) })),
      tpl.questions.map(({ satisfaction, ...q }) => q));
    assert.equal(g.body.questions[0].satisfaction, true);
    const listed = await call('GET', '/api/v1/survey-templates');
    assert.ok(listed.body.items.some((x) => x.id === c.body.id));

    const { event, tokens } = await heldEvent(3, { kind: 'training', title: '使用自定义问卷的培训', survey_template_id: c.body.id });
    const sv = await pub('GET', `/api/v1/surveys/${tokens[0]}`);
    expectStatus(sv, 200);
    assert.deepEqual(sv.body.questions.map((q) => q.id), ['overall', 'format', 'next_topic']);
    assert.deepEqual(sv.body.questions[1].options, tpl.questions[1].options);

    expectError(await answer(tokens[0], { overall: 5, format: 'zzz' }), 422, 'validation_failed', 'format');
    expectError(await answer(tokens[0], { overall: 5, format: 1 }), 422, 'validation_failed', 'format');
    expectError(await answer(tokens[0], { overall: 5 }), 422, 'validation_failed', 'format');
    expectError(await answer(tokens[0], { overall: 5, format: 'group', comment: '模板里没有这一题' }), 422, 'validation_failed');
    expectStatus(await answer(tokens[0], { overall: 5, format: 'group', next_topic: '亲子沟通' }), 201);
    expectStatus(await answer(tokens[1], { overall: 2, format: 'group' }), 201);
    expectStatus(await answer(tokens[2], { overall: 4, format: 'role_play' }), 201);
    const r = await results(event.id);
    const fmt = r.questions.find((q) => q.id === 'format');
    assert.equal(fmt.type, 'choice');
    assert.equal(fmt.answers, 3);
    assert.deepEqual(['lecture', 'group', 'role_play'].map((k) => fmt.distribution[k] ?? 0), [0, 2, 1]);
    assert.deepEqual(r.satisfaction, { satisfied: 2, total: 3, rate: 2 / 3 });
    assert.deepEqual(r.comments.map(commentText), ['亲子沟通']);
  });

  test('template validation → 422; nothing is created', async () => {
    const before = await call('GET', '/api/v1/survey-templates');
    const q = (over = {}) => ({ id: 'overall', type: 'likert5', text: '总体满意度', required: true, ...over });
    const opts = [{ id: 'a', text: '甲' }, { id: 'b', text: '乙' }];
    const cases = [
      { name: '重复题号', questions: [q(), q({ type: 'text', required: false })] },
      { name: '选择题无选项', questions: [q({ id: 'pick', type: 'choice' })] },
      { name: '选择题一个选项', questions: [q({ id: 'pick', type: 'choice', options: [opts[0]] })] },
      { name: '选项重复', questions: [q({ id: 'pick', type: 'choice', options: [opts[0], opts[0]] })] },
      { name: '非法题号', questions: [q({ id: 'Bad-Id' })] },
      { name: '题号过长', questions: [q({ id: 'a'.repeat(33) })] },
      { name: '未知题型', questions: [q({ type: 'stars' })] },
      { name: '没有题目', questions: [] },
      { name: '题目太多', questions: Array.from({ length: 31 }, (_, i) => q({ id: `q${i}` })) },
      { name: '两个满意度题', questions: [q({ satisfaction: true }), q({ id: 'again', satisfaction: true })] },
      { name: '文本题作满意度', questions: [q({ type: 'text', satisfaction: true })] },
      { questions: [q()] },
      { name: '', questions: [q()] },
    ];
    for (const body of cases) expectError(await call('POST', '/api/v1/survey-templates', body), 422, 'validation_failed');
    expectError(await call('POST', '/api/v1/survey-templates', { name: '无权限', questions: [q()] }, { token: undefined }), 401, 'unauthorized');
    assert.deepEqual(await call('GET', '/api/v1/survey-templates').then((r) => r.body), before.body, 'nothing created');
  });

  test('CSV export: a header and one row per response, no names or e-mail addresses', async () => {
    // Registered participants with personal data, plus a walk-in.
    const ev = await mkEvent({ title: '导出测试', public: true, start: at(-H), end: at(2 * H) });
    const people = [['欧阳娜娜', 'ouyang@example.cn', '13912345678'], ['司马光明', 'sima@example.cn', '13787654321']];
    const regs = [];
    for (const [i, [name, email, phone]] of people.entries()) {
      const r = await requestFrom(s.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name, email, phone, organisation: '莲花街道' }, from: `127.0.1.${i + 1}` });
      expectStatus(r, 201, 'register');
      regs.push(r.body);
      expectStatus(await call('POST', `/api/v1/checkin/${r.body.token}`), 200, 'check in');
    }
    await walkIns(ev.id, ['上官现场']);
    await markHeld(ev.id);
    const toks = (await attendance(ev.id)).map((x) => x.survey_token);
    expectStatus(await answer(toks[0], { overall: 5, comment: '第一行, 含逗号 "引号"\n换行' }), 201);
    expectStatus(await answer(toks[1], { overall: 3 }), 201);
    expectStatus(await answer(toks[2], { overall: 4, comment: SCRIPT }), 201);

    const r = await fetch(`${s.url}/api/v1/events/${ev.id}/survey-results.csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /^text\/csv/);
    const text = (await r.text()).replace(/^\uFEFF/, '');
    // Count records, honouring quoted newlines.
    const records = [];
    let cur = '', quoted = false;
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      if (ch === '\n' && !quoted) { records.push(cur.replace(/\r$/, '')); cur = ''; } else cur += ch;
    }
    if (cur.trim()) records.push(cur);
    assert.ok(records.length >= 1);
    const header = records[0].split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
    assert.ok(header.includes('overall'), `header names the questions: ${records[0]}`);
    assert.equal(records.length - 1, 3, `one row per response:\n${text}`);
    for (const [name, email, phone] of [...people, ['上官现场', '', '']]) {
      assert.ok(!text.includes(name), `no name ${name} in the CSV`);
      if (email) assert.ok(!text.includes(email), `no e-mail ${email}`);
      if (phone) assert.ok(!text.includes(phone), `no phone ${phone}`);
    }
    for (const rg of regs) assert.ok(!text.includes(rg.token), 'no registration token');
    for (const tk of toks) assert.ok(!text.includes(tk), 'no survey token');
    assert.ok(text.includes('<script>alert(1)</script>'), 'comments are exported as text');
    const noAuth = await fetch(`${s.url}/api/v1/events/${ev.id}/survey-results.csv`);
    assert.equal(noAuth.status, 401);
  });

  test('CSV export: answers that start like a formula (=, +, -, @, tab, CR) come out as text, as in the events CSV', async () => {
    const comments = ['\t=HYPERLINK("http://x","点我")', '@SUM(A1:A9)', '=1+1', '-2+3', '+86 号码', '\r=cmd|x'];
    const { event, tokens } = await heldEvent(comments.length, { title: '公式导出' });
    for (const [i, comment] of comments.entries()) expectStatus(await answer(tokens[i], { overall: 1 + (i % 5), comment }), 201, `answer ${i}`);
    const r = await fetch(`${s.url}/api/v1/events/${event.id}/survey-results.csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const raw = bytes.subarray(3).toString('utf8');
    // RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
    const records = [];
    let rec = [], cell = '', quoted = false;
    const text = raw;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { rec.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { rec.push(cell); records.push(rec); rec = []; cell = ''; i++; } else cell += ch;
    }
    assert.equal(cell, '', 'the file ends with CRLF');
    assert.deepEqual(records[0], ['response', 'anonymous', 'submitted_at', 'overall', 'comment']);
    const got = records.slice(1).map((x) => x[4]).sort();
    assert.deepEqual(got, comments.map((c) => `'${c}`).sort(), `every formula-like answer guarded:\n${raw}`);
    for (const c of comments) assert.ok(raw.includes(`"'${c.replaceAll('"', '""')}"`), `quoted and guarded: ${JSON.stringify(c)}`);
    // The same guard as the events CSV: no cell starts like a formula.
    for (const rw of records) for (const c of rw) assert.ok(!/^[=+\-@\t\r]/.test(c), `cell ${JSON.stringify(c)}`);
  });

  test('settings: retention_days 30–3650, default 365', async () => {
    const g = await call('GET', '/api/v1/settings');
    expectStatus(g, 200);
    assert.equal(g.body.retention_days, 365);
    for (const v of [29, 3651, '60', 45.5, null]) {
      expectError(await call('PUT', '/api/v1/settings', { retention_days: v }), 422, 'validation_failed', 'retention_days');
    }
    expectError(await call('PUT', '/api/v1/settings', { retention_days: 60, colour: 'red' }), 422, 'validation_failed', 'colour');
    expectError(await pub('GET', '/api/v1/settings'), 401, 'unauthorized');
    assert.equal((await call('GET', '/api/v1/settings')).body.retention_days, 365, 'rejected PUTs changed nothing');
  });

});

describe('retention purge (own server)', () => {
  let s, token;
  const { call, pub, mkEvent, walkIns, markHeld, attendance, answer, results } = harness(() => s, () => token);
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => { await s?.stop(); });

  test('retention: purge removes names of events that ended 60 days ago; counts, attendance and results stay', async (t) => {
    if (!haveSqlite3()) { t.skip('sqlite3 CLI not installed: cannot move an answered event 60 days back'); return; }
    // Answered while recent, then moved 60 days back in the database
    // (the survey closes 30 days after the end, so no API path answers
    // an event that old).
    const old = await mkEvent({ title: '六十天前的讲座', public: true, start: at(-H), end: at(H), capacity: 1 });
    const keep = await mkEvent({ title: '最近的讲座', public: true, start: at(-H), end: at(H) });
    const mk = async (ev, name, i) => {
      const r = await requestFrom(s.url, 'POST', `/api/v1/events/${ev.id}/registrations`,
        { body: { name, email: `p${i}@example.cn`, phone: `1380000000${i}`, organisation: '华富街道' }, from: `127.0.2.${i}` });
      expectStatus(r, 201, 'register');
      return r.body;
    };
    const a = await mk(old, '林黛玉', 1);
    const b = await mk(old, '薛宝钗', 2); // waitlisted, never came
    assert.equal(b.status, 'waitlisted');
    const k = await mk(keep, '贾宝玉', 3);
    expectStatus(await call('POST', `/api/v1/checkin/${a.token}`), 200);
    expectStatus(await call('POST', `/api/v1/checkin/${k.token}`), 200);
    await walkIns(old.id, ['刘姥姥']);
    await markHeld(old.id);
    await markHeld(keep.id);
    const ta = await attendance(old.id);
    expectStatus(await answer(ta[0].survey_token, { overall: 5, comment: '很受启发' }), 201);
    expectStatus(await answer(ta[1].survey_token, { overall: 2 }), 201);

    const shift = 60 * 86400;
    sqlRun(s.db, `UPDATE events SET start_at = start_at - ${shift}, end_at = end_at - ${shift} WHERE id = ${old.id};`);

    const snap = async (ev) => ({
      results: await results(ev.id),
      attendance: (await attendance(ev.id)).map(({ name, ...rest }) => rest),
      registrations: (await call('GET', `/api/v1/events/${ev.id}/registrations?limit=500`)).body,
      public: (await pub('GET', `/api/v1/public/events/${ev.id}`)).body,
    });
    const before = await snap(old);
    const beforeKeep = await snap(keep);
    assert.equal(before.registrations.items[0].name, '林黛玉');

    expectStatus(await call('PUT', '/api/v1/settings', { retention_days: 30 }), 200, 'PUT settings');
    assert.equal((await call('GET', '/api/v1/settings')).body.retention_days, 30);
    expectError(await pub('POST', '/api/v1/privacy/purge'), 401, 'unauthorized');
    const p = await call('POST', '/api/v1/privacy/purge');
    expectStatus(p, 200, 'purge');
    assert.equal(p.body.purged_registrations, 2, `purged: ${p.text}`);
    // Both attendees had names (one through the registration, one a walk-in);
    // the doc leaves open whether registered attendees count here too.
    assert.ok([1, 2].includes(p.body.purged_attendees), `purged_attendees: ${p.text}`);

    const afterOld = await snap(old);
    for (const x of afterOld.registrations.items) {
      assert.equal(x.name, null, 'name gone');
      assert.equal(x.email ?? null, null, 'email gone');
      assert.equal(x.phone ?? null, null, 'phone gone');
      assert.equal(x.organisation ?? null, null, 'organisation gone');
    }
    const strip = (list) => ({ ...list, items: list.items.map(({ name, email, phone, organisation, ...rest }) => rest) });
    assert.deepEqual(strip(afterOld.registrations), strip(before.registrations), 'statuses and check-ins stay');
    for (const x of await attendance(old.id)) assert.equal(x.name, null, 'attendee and walk-in names gone');
    assert.deepEqual(afterOld.attendance, before.attendance, 'attendance rows stay');
    assert.deepEqual(afterOld.results, before.results, 'survey results stay');
    assert.deepEqual(afterOld.public, before.public, 'counts stay');
    assert.deepEqual(await snap(keep), beforeKeep, 'a recent event is untouched');
    assert.equal((await call('GET', `/api/v1/events/${keep.id}/registrations`)).body.items[0].name, '贾宝玉');
    // A second purge finds nothing more.
    const again = await call('POST', '/api/v1/privacy/purge');
    expectStatus(again, 200);
    assert.deepEqual([again.body.purged_registrations, again.body.purged_attendees], [0, 0]);
  });

  test('the purge also runs at start-up', async (t) => {
    if (!haveSqlite3()) { t.skip('sqlite3 CLI not installed'); return; }
    const ev = await mkEvent({ title: '重启清理', public: true, start: at(-H), end: at(H) });
    const r = await requestFrom(s.url, 'POST', `/api/v1/events/${ev.id}/registrations`, { body: { name: '重启前的名字', email: 'restart@example.cn' }, from: '127.0.3.1' });
    expectStatus(r, 201);
    await walkIns(ev.id, ['重启前的现场参加者']);
    const shift = 60 * 86400;
    sqlRun(s.db, `UPDATE events SET start_at = start_at - ${shift}, end_at = end_at - ${shift} WHERE id = ${ev.id};`);
    assert.equal((await call('GET', '/api/v1/settings')).body.retention_days, 30, 'retention from the previous test');
    const db = s.db;
    const dir = s.dir;
    await s.stop({ keep: true });
    s = null;
    const s2 = await serveOn(db);
    try {
      const tok2 = await login(s2.url);
      const list = await api(s2.url, 'GET', `/api/v1/events/${ev.id}/registrations`, { token: tok2 });
      expectStatus(list, 200);
      assert.equal(list.body.items[0].name, null, 'purged at start-up');
      assert.equal(list.body.items[0].email ?? null, null);
      const att = await api(s2.url, 'GET', `/api/v1/events/${ev.id}/attendance`, { token: tok2 });
      assert.equal(att.body.items[0].name, null, 'walk-in name purged at start-up');
      assert.equal(att.body.items.length, 1);
    } finally {
      await s2.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('anonymous survey rate limit (own server)', () => {
  let s, token;
  const { call, answer, heldEvent } = harness(() => s, () => token);
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('the 11th anonymous answer from one address within the hour answers 429', async () => {
    const { event } = await heldEvent(0, { title: '匿名限流' });
    const on = await call('POST', `/api/v1/events/${event.id}/anonymous-survey`, { enabled: true });
    expectStatus(on, 200);
    for (let i = 1; i <= 10; i++) expectStatus(await answer(on.body.token, { overall: 4 }), 201, `anonymous answer ${i}`);
    expectError(await answer(on.body.token, { overall: 4 }), 429, 'rate_limited');
    const r = await call('GET', `/api/v1/events/${event.id}/survey-results`);
    assert.equal(r.body.satisfaction.total, 10, 'the refused answer was not stored');
    const other = await requestFrom(s.url, 'POST', '/api/v1/surveys/responses', { body: { token: on.body.token, answers: { overall: 5 } }, from: '127.0.0.2' });
    expectStatus(other, 201, 'another address');
  });
});
