// Evaluation frameworks — DESIGN "The evaluation framework": the Futian 2023
// table (tests/fixtures/framework-futian-2023.csv, a copy of shared/data)
// imported, every malformed file refused with its line and field and
// nothing stored, copied as next year's, rows added / edited / retired
// (one framework only), per-period entries (values, ratings, checklist
// marks with penalty items, manual scores, deduction notes) with their
// bad input, compare=previous (同比), the XLSX read back (number cells,
// percentage formats, SUM formulas) and the CSV formula guard, and who
// may call each new route.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const FUTIAN = readFileSync(new URL('../fixtures/framework-futian-2023.csv', import.meta.url), 'utf8');
const Y2023 = { from: '2023-01-01', to: '2023-12-31' };
const Y2024 = { from: '2024-01-01', to: '2024-12-31' };
const close = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 0.005, `${what}: want ${b}, got ${a}`);

// RFC 4180 rows of a CSV body (quoted cells, doubled quotes), without the BOM.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false, wasQuoted = false;
  const cells = [];
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') { quoted = true; wasQuoted = true; }
    else if (c === ',') { row.push(cell); cells.push({ cell, wasQuoted }); cell = ''; wasQuoted = false; }
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell); cells.push({ cell, wasQuoted }); rows.push(row); row = []; cell = ''; wasQuoted = false;
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return { rows: rows.filter((r) => r.some((x) => x !== '')), cells };
}

// One file of a zip archive (stored or deflated), through the central directory.
function unzipEntry(buf, name) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'zip: end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    if (entry === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      return method === 0 ? data.toString('utf8') : inflateRawSync(data).toString('utf8');
    }
    p += 46 + nlen + xlen + clen;
  }
  return null;
}

const unescapeXml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

// The cells of sheet1: {ref, col, row, type, style, text, number, formula}.
function sheetCells(buf) {
  const sheet = unzipEntry(buf, 'xl/worksheets/sheet1.xml');
  const shared = unzipEntry(buf, 'xl/sharedStrings.xml') || '';
  const strings = [...shared.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => unescapeXml(t[1])).join(''));
  return [...sheet.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((m) => {
    const attrs = m[3];
    const v = /<v>([^<]*)<\/v>/.exec(m[4] || '');
    const f = /<f>([^<]*)<\/f>/.exec(m[4] || '');
    const t = (/ t="([^"]+)"/.exec(attrs) || [])[1] || 'n';
    const style = Number((/ s="(\d+)"/.exec(attrs) || [])[1] || 0);
    return {
      col: m[1], row: Number(m[2]), type: t, style,
      text: t === 's' && v ? strings[Number(v[1])] : v ? v[1] : '',
      number: t === 'n' && v ? Number(v[1]) : null,
      formula: f ? unescapeXml(f[1]) : null,
    };
  });
}

// The number format code of each cell style index (xl/styles.xml).
function styleFormats(buf) {
  const styles = unzipEntry(buf, 'xl/styles.xml');
  const fmts = new Map([[0, 'General'], [2, '0.00'], [9, '0%'], [10, '0.00%']]);
  for (const m of styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)) fmts.set(Number(m[1]), unescapeXml(m[2]));
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)[1];
  return [...xfs.matchAll(/<xf ([^>]*?)\/?>/g)].map((m) => fmts.get(Number((/numFmtId="(\d+)"/.exec(m[1]) || [])[1] || 0)) ?? '?');
}

describe('evaluation frameworks', () => {
  let s, token, ctoken;
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const csvPost = (path, text, tk = token) => api(s.url, 'POST', path, { token: tk, raw: text, headers: { 'content-type': 'text/csv' } });
  const importFw = (text, name = '福田区 2023 年度', p = Y2023) =>
    csvPost(`/api/v1/frameworks/import?name=${encodeURIComponent(name)}&from=${p.from}&to=${p.to}`, text);
  const frameworks = async () => { const r = await call('GET', '/api/v1/frameworks'); expectStatus(r, 200, 'frameworks'); return r.body.items; };
  const table = async (fw, p = Y2023, extra = '') => {
    const r = await call('GET', `/api/v1/indicators?framework=${fw}&from=${p.from}&to=${p.to}${extra}`);
    expectStatus(r, 200, `indicators ${fw}`);
    return r.body;
  };
  const byName = (body) => new Map(body.items.map((i) => [i.level3, i]));
  let fw; // the imported Futian framework
  let rows; // level3 → row

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
    const cs = (await call('GET', '/api/v1/counsellors?limit=5')).body.items;
    expectStatus(await call('POST', `/api/v1/counsellors/${cs[0].id}/account`, { username: 'lin_xiaolan', password: 'counsellor-pass-1' }), 201, 'account');
    ctoken = await login(s.url, 'lin_xiaolan', 'counsellor-pass-1');
  });
  after(async () => { await s?.stop(); });

  test('import framework-futian-2023.csv: 19 rows, 100 points, levels, rules, sources and checklists as in the file', async () => {
    const before0 = await frameworks();
    assert.equal(before0.length, 1, 'the migrated default framework');
    assert.equal(before0[0].rows, 8);
    const r = await importFw(FUTIAN);
    expectStatus(r, 201, 'import');
    assert.equal(r.body.rows, 19);
    assert.equal(r.body.weight_sum, 100);
    fw = r.body.id;
    const list = await frameworks();
    assert.equal(list.length, 2);
    assert.deepEqual(list.find((f) => f.id === fw), { id: fw, name: '福田区 2023 年度', from: '2023-01-01', to: '2023-12-31', rows: 19, weight_sum: 100 });

    const one = await call('GET', `/api/v1/frameworks/${fw}`);
    expectStatus(one, 200);
    const lines = FUTIAN.trim().split('\n').slice(1);
    assert.equal(one.body.indicators.length, 19);
    for (const [i, it] of one.body.indicators.entries()) {
      const f = lines[i].match(/("[^"]*"|[^,]*)(,|$)/g).map((x) => x.replace(/,$/, '').replace(/^"|"$/g, ''));
      assert.deepEqual([it.level1, it.level2, it.level3, it.weight, it.target, it.rule, it.source],
        [f[0], f[1], f[2], Number(f[3]), f[4], f[5], f[6]], `line ${i + 2}`);
      const items = f[7] ? f[7].split('|').map((x) => { const k = x.lastIndexOf('='); return { text: x.slice(0, k), points: Number(x.slice(k + 1)) }; }) : [];
      assert.deepEqual(it.checklist, items, `checklist of line ${i + 2}`);
      assert.match(it.code, /^i[0-9a-f]{8}$/, 'a generated code');
      assert.equal(it.position, i + 1);
    }
    rows = new Map(one.body.indicators.map((i) => [i.level3, i]));
    // the penalty item of 资金使用合规性
    assert.deepEqual(rows.get('资金使用合规性').checklist.at(-1), { text: '存在截留、挤占、挪用、虚列支出等情况', points: -1 });
    assert.equal(rows.get('资金到位率').target_value, 100);
    assert.equal(rows.get('资金到位率').unit, 'percent');
    assert.equal(rows.get('立项依据充分性').target_value, null);
    assert.equal(rows.get('辅助维护社会和谐稳定').unit, 'rating');

    // Stable codes: the same table imported again (with a BOM and CRLF) gets the same codes.
    const again = await importFw(`\uFEFF${FUTIAN.replace(/\n/g, '\r\n')}`, '福田区（再次导入）', Y2024);
    expectStatus(again, 201, 'import with BOM');
    const codes = (await call('GET', `/api/v1/frameworks/${again.body.id}`)).body.indicators.map((i) => i.code);
    assert.deepEqual(codes, [...rows.values()].map((i) => i.code));
    expectStatus(await call('DELETE', `/api/v1/frameworks/${again.body.id}`), 204, 'delete the second import');
    assert.equal((await frameworks()).length, 2);
  });

  test('a malformed file → 422 naming its line and field; nothing is stored', async () => {
    const lines = FUTIAN.trim().split('\n');
    const swap = (n, from, to) => lines.map((l, i) => (i === n - 1 ? l.replace(from, to) : l)).join('\n');
    const cases = [
      ['a weight that is no number', swap(8, ',2,=100%,', ',two,=100%,'), 8, 'weight'],
      ['a negative weight', swap(9, ',5,>=95%,', ',-5,>=95%,'), 9, 'weight'],
      ['an unknown rule', swap(13, ',ratio,trainings.held,', ',linear,trainings.held,'), 13, 'rule'],
      ['bands from the bottom up', swap(18, '"bands:80=1,60=0.6"', '"bands:60=0.6,80=1"'), 18, 'rule'],
      ['a deduct rule missing its floor', swap(20, '"deduct:90,0.2,50"', '"deduct:90,0.2"'), 20, 'rule'],
      ['an unknown source', swap(13, 'trainings.held', 'trainings.count'), 13, 'source'],
      ['a source filter that is not a word of ours', swap(13, 'trainings.held', 'events.held?kind=party'), 13, 'source'],
      ['a station that does not exist', swap(13, 'trainings.held', 'events.held?station=NOPE'), 13, 'source'],
      ['a duty metric that does not exist', swap(13, 'trainings.held', 'duty.smiles'), 13, 'source'],
      ['a checklist item without points', swap(2, '相关政策=1|', '相关政策|'), 2, 'checklist'],
      ['a checklist item worth nothing', swap(3, '设立=1|', '设立=0|'), 3, 'checklist'],
      ['a checklist rule without items', swap(11, /,checklist,manual,.*$/, ',checklist,manual,'), 11, 'checklist'],
      ['a target that is not one', swap(13, ',>=2,', ',two or more,'), 13, 'target'],
      ['a ratio without a target', swap(13, ',>=2,', ',,'), 13, 'target'],
      ['an empty level name', swap(4, '决策,绩效目标,绩效目标合理性', '决策,,绩效目标合理性'), 4, 'level2'],
      ['a short line', swap(14, /,ratio,cases.resolution_rate,$/, ''), 14, 'rule'],
    ];
    for (const [what, text, line, field] of cases) {
      const r = await importFw(text, `坏文件：${what}`);
      expectError(r, 422, 'validation_failed', field);
      assert.equal(r.body.error.line, line, `${what}: line ${line}: ${r.text}`);
      assert.match(r.body.error.message, new RegExp(`第 ${line} 行`), what);
      assert.ok(Array.isArray(r.body.error.errors) && r.body.error.errors.length >= 1, what);
      assert.deepEqual([r.body.error.errors[0].line, r.body.error.errors[0].field], [line, field], what);
    }
    // two bad lines: both reported, the first leads
    const two = await importFw(lines.map((l, i) => (i === 7 ? l.replace(',2,', ',x,') : i === 12 ? l.replace(',ratio,', ',r,') : l)).join('\n'), '两处错误');
    expectError(two, 422, 'validation_failed', 'weight');
    assert.deepEqual(two.body.error.errors.map((e) => [e.line, e.field]), [[8, 'weight'], [13, 'rule']]);
    // the header
    const head = await importFw(FUTIAN.replace('level3,', 'name3,'), '表头错误');
    expectError(head, 422, 'validation_failed', 'header');
    assert.equal(head.body.error.line, 1);
    expectError(await importFw(FUTIAN.replace(',source,', ','), '缺列'), 422, 'validation_failed', 'header');
    // over 100 points
    const heavy = await importFw(`${FUTIAN.trim()}\n效益,社会效益,多出来的一行,5,,manual,manual,\n`, '超过 100 分');
    expectError(heavy, 422, 'validation_failed', 'weight');
    assert.match(heavy.body.error.message, /105/);
    // no rows, empty, broken quoting
    expectError(await importFw(lines[0] + '\n', '只有表头'), 422, 'validation_failed', 'row');
    expectError(await importFw('', '空文件'), 422, 'validation_failed', 'header');
    expectError(await importFw(`${lines[0]}\n决策,"项目立项,立项依据,5,,manual,manual,\n`, '引号'), 422, 'validation_failed');
    // the query
    expectError(await csvPost('/api/v1/frameworks/import?from=2023-01-01&to=2023-12-31', FUTIAN), 422, 'validation_failed', 'name');
    expectError(await csvPost('/api/v1/frameworks/import?name=a%0Ab&from=2023-01-01&to=2023-12-31', FUTIAN), 422, 'validation_failed', 'name');
    expectError(await csvPost('/api/v1/frameworks/import?name=x&from=2023-01-01', FUTIAN), 422, 'validation_failed', 'to');
    expectError(await csvPost('/api/v1/frameworks/import?name=x&from=2023-12-31&to=2023-01-01', FUTIAN), 422, 'validation_failed', 'to');
    expectError(await csvPost('/api/v1/frameworks/import?name=x&from=2023-02-30&to=2023-12-31', FUTIAN), 422, 'validation_failed');
    // not CSV
    const json = await api(s.url, 'POST', '/api/v1/frameworks/import?name=x&from=2023-01-01&to=2023-12-31', { token, body: { rows: [] } });
    assert.equal(json.status, 415, json.text);
    // nothing was stored by any of them
    const list = await frameworks();
    assert.equal(list.length, 2, JSON.stringify(list));
    const all = await call('GET', `/api/v1/frameworks/${fw}`);
    assert.equal(all.body.indicators.length, 19);
  });

  test('rows: added with a checklist (a penalty item), edited, checked; the weights stay within 100', async () => {
    const mk = await call('POST', '/api/v1/frameworks', { name: '2024 年度（空）', ...Y2024 });
    expectStatus(mk, 201, 'empty framework');
    assert.deepEqual([mk.body.rows, mk.body.indicators], [0, []]);
    const f24 = mk.body.id;
    const body = {
      framework_id: f24, level1: '过程', level2: '组织实施', level3: '档案管理规范性', weight: 4, target: '', rule: 'checklist', source: 'manual',
      checklist: [{ text: '台账齐全', points: 2 }, { text: '按时归档', points: 2 }, { text: '丢失档案', points: -3 }],
    };
    const r = await call('POST', '/api/v1/indicators', body);
    expectStatus(r, 201, 'add a row');
    assert.match(r.body.code, /^i[0-9a-f]{8}$/);
    assert.deepEqual(r.body.checklist, body.checklist);
    // the same levels give the same code in another framework
    const same = await call('POST', '/api/v1/indicators', { ...body, framework_id: fw, weight: 0 });
    expectStatus(same, 201, 'the row in the Futian framework (weight 0: the table is full)');
    assert.equal(same.body.code, r.body.code);
    expectStatus(await call('DELETE', `/api/v1/indicators/${same.body.code}?framework=${fw}`), 204);
    // a given code; a taken one
    const coded = await call('POST', '/api/v1/indicators', { ...body, code: 'archives', level3: '另一行' });
    expectStatus(coded, 201);
    assert.equal(coded.body.code, 'archives');
    expectError(await call('POST', '/api/v1/indicators', { ...body, code: 'archives', level3: '第三行' }), 409, 'conflict', 'code');
    expectError(await call('POST', '/api/v1/indicators', { ...body, code: 'Bad Code' }), 422, 'validation_failed', 'code');
    // bad rows
    const bad = [
      [{ weight: 101 }, 'weight'], [{ weight: -1 }, 'weight'], [{ weight: '4' }, 'weight'],
      [{ rule: 'bands:80=2' }, 'rule'], [{ rule: 'deduct:50,0.2,90' }, 'rule'],
      [{ source: 'events.held?kind=lecture&kind=salon' }, 'source'], [{ source: 'duty.Visitors' }, 'source'],
      [{ checklist: [] }, 'checklist'], [{ checklist: [{ text: 'a|b', points: 1 }] }, 'checklist'],
      [{ checklist: [{ text: '', points: 1 }] }, 'checklist'], [{ checklist: [{ text: 'x', points: 0 }] }, 'checklist'],
      [{ checklist: [{ text: 'x' }] }, 'checklist'], [{ checklist: 'x=1|' }, 'checklist'],
      [{ target: '>=lots' }, 'target'], [{ rule: 'ratio', target: '' }, 'target'], [{ level3: '' }, 'level3'],
      [{ framework_id: 99999 }, 'framework_id'],
    ];
    for (const [over, field] of bad) expectError(await call('POST', '/api/v1/indicators', { ...body, level3: `坏行 ${field}`, ...over }), 422, 'validation_failed', field);
    expectError(await call('POST', '/api/v1/indicators', { ...body, level3: '超重', weight: 93 }), 422, 'validation_failed', 'weight');
    // edit: rule and source change; the code stays
    const p = await call('PATCH', `/api/v1/indicators/archives?framework=${f24}`, { rule: 'bands:90=1,60=0.5', source: 'events.held?kind=lecture&station=HALL', target: '>=12' });
    expectStatus(p, 200, 'patch');
    assert.deepEqual([p.body.code, p.body.rule, p.body.source, p.body.target, p.body.target_value], ['archives', 'bands:90=1,60=0.5', 'events.held?kind=lecture&station=HALL', '>=12', 12]);
    expectError(await call('PATCH', `/api/v1/indicators/archives?framework=${f24}`, { code: 'other' }), 422, 'validation_failed', 'code');
    expectError(await call('PATCH', `/api/v1/indicators/archives?framework=${f24}`, { weight: 97 }), 422, 'validation_failed', 'weight');
    expectError(await call('PATCH', `/api/v1/indicators/archives`, { weight: 1 }), 422, 'validation_failed', 'framework');
    expectError(await call('PATCH', `/api/v1/indicators/nope?framework=${f24}`, { weight: 1 }), 404, 'not_found');
    expectError(await call('PATCH', `/api/v1/indicators/archives?framework=99999`, { weight: 1 }), 404, 'not_found');
    const got = (await call('GET', `/api/v1/frameworks/${f24}`)).body;
    assert.equal(got.rows, 2);
    assert.equal(got.weight_sum, 8);
    expectStatus(await call('DELETE', `/api/v1/frameworks/${f24}`), 204);
    expectError(await call('GET', `/api/v1/frameworks/${f24}`), 404, 'not_found');
  });

  test('per period: checklist marks (a penalty item), ratings, values, manual scores and notes; bad entries write nothing', async () => {
    rows = new Map((await call('GET', `/api/v1/frameworks/${fw}`)).body.indicators.map((i) => [i.level3, i]));
    const code = (n) => rows.get(n).code;
    const put = async (n, body, p = Y2023) => {
      const r = await call('PUT', `/api/v1/indicators/${code(n)}?framework=${fw}&from=${p.from}&to=${p.to}`, body);
      expectStatus(r, 200, `PUT ${n}`);
    };
    await put('资金使用合规性', { checklist: [true, true, true, false], note: '' });
    let it = byName(await table(fw)).get('资金使用合规性');
    assert.equal(it.score, 3);
    assert.deepEqual(it.checklist.map((c) => c.met), [true, true, true, false]);
    assert.equal(it.actual_text, '符合 3/3 项');
    // the fault happened: 1 point off, with the reason printed
    await put('资金使用合规性', { checklist: [true, true, true, true], note: '发现一笔虚列支出' });
    it = byName(await table(fw)).get('资金使用合规性');
    assert.equal(it.score, 2);
    assert.equal(it.note, '发现一笔虚列支出');
    assert.equal(it.checklist[3].met, true);
    assert.equal(it.max_score, 3);
    // clamped at 0: only the fault
    await put('资金使用合规性', { checklist: [false, false, false, true] });
    assert.equal(byName(await table(fw)).get('资金使用合规性').score, 0);
    // ratings on the 80/60 bands, at their edges
    for (const [rating, want] of [[80, 5], [79.99, 3], [60, 3], [59.99, 0], [100, 5]]) {
      await put('辅助维护社会和谐稳定', { rating });
      const x = byName(await table(fw)).get('辅助维护社会和谐稳定');
      assert.equal(x.score, want, `rating ${rating}`);
      assert.equal(x.rating, rating);
      assert.equal(x.actual, rating);
    }
    // a manual actual on a ratio row
    await put('预算执行率', { value: 90.25 });
    it = byName(await table(fw)).get('预算执行率');
    close(it.score, 4.75, 'ratio 90.25/95 × 5');
    assert.equal(it.met, false);
    assert.equal(it.manual.value, 90.25);
    assert.equal(it.manual.username, 'admin');
    // null clears an entry
    await put('预算执行率', { value: null });
    it = byName(await table(fw)).get('预算执行率');
    assert.deepEqual([it.actual, it.score, it.no_data], [null, null, true]);
    // entries of another period are not these
    assert.equal(byName(await table(fw, { from: '2023-01-01', to: '2023-06-30' })).get('资金使用合规性').score, null);

    // bad entries
    const bad = async (n, body, field, p = `&from=${Y2023.from}&to=${Y2023.to}`) =>
      expectError(await call('PUT', `/api/v1/indicators/${code(n)}?framework=${fw}${p}`, body), 422, 'validation_failed', field);
    await bad('资金使用合规性', { checklist: [true, true, true] }, 'checklist');
    await bad('资金使用合规性', { checklist: [true, true, true, 1] }, 'checklist');
    await bad('资金使用合规性', { checklist: 'yes' }, 'checklist');
    await bad('辅助维护社会和谐稳定', { rating: 101 }, 'rating');
    await bad('辅助维护社会和谐稳定', { rating: -1 }, 'rating');
    await bad('辅助维护社会和谐稳定', { rating: '80' }, 'rating');
    await bad('预算执行率', { value: -3 }, 'value');
    await bad('预算执行率', { score: 6 }, 'score');
    await bad('预算执行率', { note: 'x'.repeat(501) }, 'note');
    await bad('预算执行率', { rule: 'bands:1' }, 'rule');
    await bad('预算执行率', { value: 3 }, 'from', '');
    await bad('预算执行率', { value: 3 }, 'to', `&from=${Y2023.from}`);
    expectError(await call('PUT', `/api/v1/indicators/${code('预算执行率')}?framework=${fw}&from=${Y2023.from}&to=${Y2023.to}`, { from: '2023-02-01', to: Y2023.to, value: 1 }), 422, 'validation_failed', 'from');
    expectError(await call('PUT', `/api/v1/indicators/nope?framework=${fw}&from=${Y2023.from}&to=${Y2023.to}`, { value: 1 }), 404, 'not_found');
    expectError(await call('PUT', `/api/v1/indicators/${code('预算执行率')}?framework=zero&from=${Y2023.from}&to=${Y2023.to}`, { value: 1 }), 422, 'validation_failed', 'framework');
    it = byName(await table(fw)).get('资金使用合规性');
    assert.deepEqual(it.checklist.map((c) => c.met), [false, false, false, true], 'nothing written');
    assert.equal(byName(await table(fw)).get('辅助维护社会和谐稳定').rating, 100);
    assert.equal(byName(await table(fw)).get('预算执行率').value, null);

    // the rule manual: a score entered, within the weight
    const add = await call('POST', '/api/v1/indicators', { framework_id: 1, level1: '满意度指标', level2: '其他', level3: '主管部门评价', weight: 4, rule: 'manual', source: 'manual' });
    expectStatus(add, 201);
    const P = { from: '2024-01-01', to: '2024-12-31' };
    expectStatus(await call('PUT', `/api/v1/indicators/${add.body.code}?framework=1&from=${P.from}&to=${P.to}`, { score: 3.5, note: '材料报送迟一天' }), 200);
    let m = byName(await table(1, P)).get('主管部门评价');
    assert.deepEqual([m.score, m.entered_score, m.note], [3.5, 3.5, '材料报送迟一天']);
    expectError(await call('PUT', `/api/v1/indicators/${add.body.code}?framework=1&from=${P.from}&to=${P.to}`, { score: 4.5 }), 422, 'validation_failed', 'score');
    expectStatus(await call('DELETE', `/api/v1/indicators/${add.body.code}?framework=1`), 204);
    m = byName(await table(1, P)).get('主管部门评价');
    assert.equal(m, undefined, 'retired');
  });

  test("copy last year's: codes kept; retiring a row of the copy leaves last year's row and its values alone; compare=previous", async () => {
    const copy = await call('POST', '/api/v1/frameworks', { name: '福田区 2024 年度', ...Y2024, copy_from: fw });
    expectStatus(copy, 201, 'copy');
    const f24 = copy.body.id;
    assert.equal(copy.body.rows, 19);
    assert.deepEqual(copy.body.indicators.map((i) => i.code), [...rows.values()].map((i) => i.code));
    expectError(await call('POST', '/api/v1/frameworks', { name: 'x', ...Y2024, copy_from: 99999 }), 422, 'validation_failed', 'copy_from');
    expectError(await call('POST', '/api/v1/frameworks', { name: 'x', from: '2024-12-31', to: '2024-01-01' }), 422, 'validation_failed', 'to');
    expectError(await call('POST', '/api/v1/frameworks', { name: '', ...Y2024 }), 422, 'validation_failed', 'name');
    // without ?framework, a 2024 period finds the 2024 framework, a 2023 one the 2023
    assert.equal((await call('GET', `/api/v1/indicators?from=2024-03-01&to=2024-03-31`)).body.framework.id, f24);
    assert.equal((await call('GET', `/api/v1/indicators?from=2023-03-01&to=2023-03-31`)).body.framework.id, fw);
    // and with ?framework alone, the framework's own period
    const own = await call('GET', `/api/v1/indicators?framework=${f24}`);
    assert.deepEqual([own.body.from, own.body.to], [Y2024.from, Y2024.to]);

    const code = rows.get('预算执行率').code;
    expectStatus(await call('PUT', `/api/v1/indicators/${code}?framework=${fw}&from=${Y2023.from}&to=${Y2023.to}`, { value: 100, note: '执行率 100%' }), 200);
    expectStatus(await call('PUT', `/api/v1/indicators/${code}?framework=${f24}&from=${Y2024.from}&to=${Y2024.to}`, { value: 76 }), 200);
    // 同比: the same span a year earlier, with last year's framework
    const cmp = await table(f24, Y2024, '&compare=previous');
    assert.deepEqual(cmp.previous, { from: Y2023.from, to: Y2023.to, framework_id: fw, total_score: (await table(fw)).total_score });
    const row = byName(cmp).get('预算执行率');
    close(row.score, 4, '76/95 × 5');
    assert.deepEqual(row.previous, { actual: 100, score: 5 });
    const harmony = byName(cmp).get('辅助维护社会和谐稳定');
    assert.deepEqual(harmony.previous, { actual: 100, score: 5 });
    assert.deepEqual(byName(cmp).get('支出进度达标率').previous, { actual: null, score: null });
    assert.equal(byName(await table(f24, Y2024)).get('预算执行率').previous, undefined, 'only when asked');
    expectError(await call('GET', `/api/v1/indicators?framework=${f24}&compare=last`), 422, 'validation_failed', 'compare');

    // retire a row of 2024: 2023 keeps it, with its value
    expectStatus(await call('DELETE', `/api/v1/indicators/${code}?framework=${f24}`), 204);
    expectError(await call('DELETE', `/api/v1/indicators/${code}?framework=${f24}`), 404, 'not_found');
    assert.equal(byName(await table(f24, Y2024)).get('预算执行率'), undefined);
    const old = byName(await table(fw)).get('预算执行率');
    assert.deepEqual([old.value, old.score, old.note], [100, 5, '执行率 100%']);
    assert.equal((await call('GET', `/api/v1/frameworks/${f24}`)).body.weight_sum, 95);
    // rename, then delete the copy: 2023 untouched
    const ren = await call('PATCH', `/api/v1/frameworks/${f24}`, { name: '福田区 2024（草稿）' });
    expectStatus(ren, 200);
    assert.equal(ren.body.name, '福田区 2024（草稿）');
    expectError(await call('PATCH', `/api/v1/frameworks/${f24}`, { from: '2025-01-01' }), 422, 'validation_failed', 'to');
    expectStatus(await call('DELETE', `/api/v1/frameworks/${f24}`), 204);
    expectError(await call('DELETE', `/api/v1/frameworks/${f24}`), 404, 'not_found');
    assert.equal(byName(await table(fw)).get('预算执行率').score, 5);
  });

  test('the XLSX: number cells, targets and percentages formatted, 合计 as SUM formulas, 评价要点 and 扣分说明 printed', async () => {
    const res = await fetch(`${s.url}/api/v1/reports/indicators.xlsx?framework=${fw}&from=${Y2023.from}&to=${Y2023.to}&compare=previous`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
    const cells = sheetCells(buf);
    const fmts = styleFormats(buf);
    const at = (ref) => cells.find((c) => `${c.col}${c.row}` === ref);
    assert.match(at('A1').text, /福田区 2023 年度/);
    assert.deepEqual(cells.filter((c) => c.row === 2).map((c) => c.text), ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明', '同比']);
    const rowOf = (name) => cells.find((c) => c.col === 'C' && c.text === name).row;
    // every weight a number cell; merged level names
    for (let r = 3; r <= 21; r++) assert.equal(at(`D${r}`).type, 'n', `D${r} is a number`);
    assert.equal(at('A3').text, '决策');
    assert.equal(at('B3').text, '项目立项');
    const merges = /<mergeCells[^>]*>([\s\S]*?)<\/mergeCells>/.exec(unzipEntry(buf, 'xl/worksheets/sheet1.xml'))[1];
    assert.match(merges, /<mergeCell ref="A3:A8"\/>/, 'the 决策 group');
    assert.match(merges, /<mergeCell ref="B3:B4"\/>/, 'the 项目立项 group');
    // targets: numbers shown as the table prints them
    const t = at(`E${rowOf('预算执行率')}`);
    assert.deepEqual([t.type, t.number, fmts[t.style]], ['n', 0.95, '">="0%']);
    const t2 = at(`E${rowOf('心访咨询师培训开展期数')}`);
    assert.deepEqual([t2.number, fmts[t2.style]], [2, '">="0']);
    const t3 = at(`E${rowOf('辅助维护社会和谐稳定')}`);
    assert.deepEqual([t3.number, fmts[t3.style]], [1, '0%"有效"']);
    // actuals: a percentage as a fraction with a percent format; a rating too
    const a = at(`F${rowOf('辅助维护社会和谐稳定')}`);
    assert.deepEqual([a.type, a.number, fmts[a.style]], ['n', 1, '0.00%']);
    assert.equal(at(`F${rowOf('心访咨询师培训开展期数')}`).number, 0);
    assert.equal(at(`F${rowOf('培训合格率')}`).text, '暂无数据');
    // scores as numbers; 合计 as formulas with their values
    assert.equal(at(`G${rowOf('辅助维护社会和谐稳定')}`).number, 5);
    const total = cells.find((c) => c.col === 'A' && c.text === '合计').row;
    assert.equal(total, 22);
    assert.equal(at(`D${total}`).formula, 'SUM(D3:D21)');
    assert.equal(at(`D${total}`).number, 100);
    assert.equal(at(`G${total}`).formula, 'SUM(G3:G21)');
    const body = await table(fw);
    assert.equal(at(`G${total}`).number, body.total_score);
    assert.equal(at(`J${total}`).formula, 'SUM(J3:J21)');
    // the checklist with its marks and the deduction note
    const h = at(`H${rowOf('资金使用合规性')}`).text;
    assert.match(h, /^① 符合国家财经法规/);
    assert.match(h, /④ 存在截留、挤占、挪用、虚列支出等情况（扣1分） 发生$/);
    assert.match(h, /① [^\n]*（1分） ✗/);
    assert.equal(at(`I${rowOf('资金使用合规性')}`).text, '发现一笔虚列支出');
    // column widths and print setup
    const sheet = unzipEntry(buf, 'xl/worksheets/sheet1.xml');
    assert.match(sheet, /<col min="8" max="8" width="56/);
    assert.match(sheet, /<pageSetup[^>]*orientation="landscape"/);
  });

  test('the CSV: UTF-8 with a BOM, the report columns, 同比 when asked, and no cell a spreadsheet would run', async () => {
    // a row whose name and note look like formulas
    const add = await call('POST', '/api/v1/indicators', { framework_id: 1, level1: '+产出', level2: '@数量', level3: '=HYPERLINK("http://x","点我")', weight: 1, target: '=100%', rule: 'ratio', source: 'manual' });
    expectStatus(add, 201);
    const P = { from: '2024-01-01', to: '2024-12-31' };
    expectStatus(await call('PUT', `/api/v1/indicators/${add.body.code}?framework=1&from=${P.from}&to=${P.to}`, { value: 50, note: '-扣 0.5 分' }), 200);
    const r = await call('GET', `/api/v1/reports/indicators.csv?framework=1&from=${P.from}&to=${P.to}&compare=previous`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    const raw = Buffer.from(await (await fetch(`${s.url}/api/v1/reports/indicators.csv?framework=1&from=${P.from}&to=${P.to}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM');
    const { rows: got, cells } = parseCsv(r.text);
    assert.deepEqual(got[0], ['一级指标', '二级指标', '三级指标', '分值', '年度指标值', '实际完成值', '得分', '评价要点', '扣分说明', '同比']);
    for (const c of cells) if (/^[=+\-@\t\r]/.test(c.cell)) assert.fail(`a cell would run as a formula: ${c.cell}`);
    const row = got.find((x) => x[2].includes('HYPERLINK'));
    assert.deepEqual(row.slice(0, 5), ["'+产出", "'@数量", `'=HYPERLINK("http://x","点我")`, '1', "'=100%"]);
    assert.equal(row[8], "'-扣 0.5 分");
    assert.equal(Number(row[6]), 0.5);
    const sum = got.find((x) => x[0] === '合计');
    assert.equal(Number(sum[3]), 61);
    expectStatus(await call('DELETE', `/api/v1/indicators/${add.body.code}?framework=1`), 204);
  });

  test('who may call: anonymous 401, a counsellor 403, a coordinator through', async () => {
    const code = rows.get('预算执行率').code;
    const routes = [
      ['GET', '/api/v1/frameworks'],
      ['POST', '/api/v1/frameworks', { name: 'x', ...Y2024 }],
      ['POST', `/api/v1/frameworks/import?name=x&from=${Y2024.from}&to=${Y2024.to}`, FUTIAN, 'text/csv'],
      ['GET', `/api/v1/frameworks/${fw}`],
      ['PATCH', `/api/v1/frameworks/${fw}`, { name: '福田区 2023 年度' }],
      ['DELETE', `/api/v1/frameworks/${fw}`],
      ['POST', '/api/v1/indicators', { framework_id: fw, level1: 'a', level2: 'b', level3: 'c', weight: 0, rule: 'manual', source: 'manual' }],
      ['PATCH', `/api/v1/indicators/${code}?framework=${fw}`, { weight: 5 }],
      ['DELETE', `/api/v1/indicators/${code}?framework=${fw}`],
      ['PUT', `/api/v1/indicators/${code}?framework=${fw}&from=${Y2023.from}&to=${Y2023.to}`, { value: 100 }],
      ['GET', `/api/v1/indicators?framework=${fw}&compare=previous`],
      ['GET', '/api/v1/indicator-sources'],
      ['GET', `/api/v1/reports/indicators.csv?framework=${fw}`],
      ['GET', `/api/v1/reports/indicators.xlsx?framework=${fw}`],
    ];
    const send = (tk, [method, path, body, type]) => (type
      ? api(s.url, method, path, { token: tk, raw: body, headers: { 'content-type': type } })
      : api(s.url, method, path, { token: tk, body }));
    for (const rt of routes) {
      expectError(await send(undefined, rt), 401, 'unauthorized');
      expectError(await send(ctoken, rt), 403, 'forbidden');
    }
    assert.deepEqual((await frameworks()).map((f) => f.name), ['福田区 2023 年度', '心访工作室绩效指标（2023 年度）'], 'nothing written by the refused calls');
    // the coordinator, in an order that leaves the framework in place until last
    for (const rt of routes.filter(([m]) => m !== 'DELETE')) {
      const r = await send(token, rt);
      assert.ok(r.status >= 200 && r.status < 300, `${rt[0]} ${rt[1]}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    for (const rt of routes.filter(([m]) => m === 'DELETE').reverse()) {
      const r = await send(token, rt);
      assert.equal(r.status, 204, `${rt[0]} ${rt[1]}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    const src = await call('GET', '/api/v1/indicator-sources');
    const names = new Map(src.body.items.map((x) => [x.source, x.name]));
    assert.equal(names.get('duty.visitors'), '值班记录：接待人数');
    assert.equal(names.get('cases.resolution_rate'), '协助重点案件化解率');
    assert.equal(names.get('duty.counselling_hours'), '心理疏导时数');
  });
});
