// Imports that forgive (issue 13 point 3) and an events CSV that
// re-imports (issue 14): rows already present are skipped and said so
// per row, GB18030 files from Chinese Excel/WPS, dates written 2024/3/7
// or 2024-3-7 9:00, Chinese messages past the row limit, and an export
// with district-wide and cancelled events that imports into a fresh
// server as the same events — docs/api.md "Events CSV".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login, root } from '../lib/harness.mjs';
import { expectError, expectStatus } from './util.mjs';

const FIXTURE = readFileSync(join(root, 'tests/fixtures/activities-futian-2022H2.csv'));
// The same 23 rows as Chinese Excel saves them: GB18030 (GBK), no BOM.
const FIXTURE_GB = readFileSync(join(root, 'tests/fixtures/activities-futian-2022H2.gb18030.csv'));
const HAN = /[\u4e00-\u9fff]/;

async function server() {
  const s = await startServer({ demo: true });
  const token = await login(s.url);
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const importCsv = (bytes, query = '') =>
    call('POST', `/api/v1/events/import${query}`, undefined, { raw: bytes, headers: { 'content-type': 'text/csv' } });
  const events = async (q = '') => {
    const r = await call('GET', `/api/v1/events?limit=500${q}`);
    expectStatus(r, 200, 'events');
    return r.body;
  };
  const exportCsv = async (q) => {
    const r = await fetch(`${s.url}/api/v1/events.csv${q}`, { headers: { authorization: `Bearer ${token}` } });
    return Buffer.from(await r.arrayBuffer());
  };
  return { s, call, importCsv, events, exportCsv };
}

const errorsOf = (r) => r.body.error?.errors ?? r.body.errors ?? [];

describe('imports that forgive', () => {
  let A;
  before(async () => { A = await server(); });
  after(async () => { await A.s.stop(); });

  test('the GB18030 file is recognised: the same 23 events as the UTF-8 one (dry run)', async () => {
    assert.ok(FIXTURE_GB.length < FIXTURE.length && !FIXTURE_GB.equals(FIXTURE), 'the fixture really is GB18030');
    const u = await A.importCsv(FIXTURE, '?dry_run=1');
    const g = await A.importCsv(FIXTURE_GB, '?dry_run=1');
    expectStatus(g, 200, `GB18030 dry run: ${g.text.slice(0, 400)}`);
    assert.equal(g.body.rows, 23);
    const view = (b) => b.events.map((e) => [e.title, e.station_id, e.start, e.kind, e.audience]);
    assert.deepEqual(view(g.body), view(u.body), 'same titles, stations and times as the UTF-8 file');
    assert.ok(g.body.events.some((e) => e.title === '心理健康科普及减压活动'), 'Chinese text intact');
  });

  test('import, then the same file again: nothing new, 23 rows skipped and said so per row', async () => {
    const first = await A.importCsv(FIXTURE);
    expectStatus(first, 201, 'first import');
    assert.equal(first.body.created, 23);
    assert.equal(first.body.skipped, 0);
    const total = (await A.events()).total;

    const dry = await A.importCsv(FIXTURE, '?dry_run=1');
    expectStatus(dry, 200, 'dry run of the same file');
    assert.equal(dry.body.events.length, 0, 'nothing to create');
    assert.equal(dry.body.skipped, 23);
    assert.equal(dry.body.rows, 23);
    assert.deepEqual(dry.body.skipped_rows.map((x) => x.line), Array.from({ length: 23 }, (_, i) => i + 2));
    const ids = new Set(first.body.events.map((e) => e.id));
    for (const x of dry.body.skipped_rows) {
      assert.ok(ids.has(x.event_id), `row ${x.line} names the event it matches`);
      assert.match(x.message, HAN, 'said in Chinese');
    }

    const again = await A.importCsv(FIXTURE);
    assert.ok(again.status === 200 || again.status === 201, again.text);
    assert.equal(again.body.created, 0);
    assert.equal(again.body.skipped, 23);
    assert.equal((await A.events()).total, total, 'no event twice');

    // The GB18030 copy of the same rows is the same rows.
    const gb = await A.importCsv(FIXTURE_GB);
    assert.equal(gb.body.created, 0, gb.text.slice(0, 300));
    assert.equal(gb.body.skipped, 23);
    assert.equal((await A.events()).total, total);
  });

  test('a file with old and new rows creates only the new ones', async () => {
    const csv = 'date,station,title,category,audience\n' +
      '2022-06-10,香蜜湖街道,心理健康科普及减压活动,沙龙,社区工作人员\n' + // present
      '2022-06-10,香蜜湖街道,新的一场,沙龙,社区工作人员\n' +               // same day, other title
      '2022-06-11,香蜜湖街道,心理健康科普及减压活动,沙龙,社区工作人员\n';   // other day
    const r = await A.importCsv(Buffer.from(csv));
    expectStatus(r, 201, 'mixed');
    assert.equal(r.body.created, 2);
    assert.equal(r.body.skipped, 1);
    assert.deepEqual(r.body.skipped_rows.map((x) => x.line), [2]);
    assert.deepEqual(r.body.events.map((e) => e.title).sort(), ['心理健康科普及减压活动', '新的一场'].sort());
  });

  test('dates 2024/3/7, 2024-3-7 and with a time; times H:MM', async () => {
    const csv = 'date,station,title,category,audience,start_time,end_time\n' +
      '2024/3/7,YL,斜杠日期,讲座,社区居民,,\n' +
      '2024-3-8,YL,短横日期,讲座,社区居民,9:00,11:30\n' +
      '2024/3/9 9:30,YL,带时间的日期,讲座,社区居民,,\n';
    const r = await A.importCsv(Buffer.from(csv));
    expectStatus(r, 201, `dates: ${r.text.slice(0, 400)}`);
    const by = Object.fromEntries(r.body.events.map((e) => [e.title, [e.start, e.end]]));
    assert.deepEqual(by['斜杠日期'], ['2024-03-07T14:30:00+08:00', '2024-03-07T16:30:00+08:00']);
    assert.deepEqual(by['短横日期'], ['2024-03-08T09:00:00+08:00', '2024-03-08T11:30:00+08:00']);
    assert.deepEqual(by['带时间的日期'], ['2024-03-09T09:30:00+08:00', '2024-03-09T11:30:00+08:00']);
    // Still not dates, said in Chinese.
    const bad = await A.importCsv(Buffer.from('date,station,title,category,audience\n2024/2/30,YL,x,讲座,社区居民\n3/7/2024,YL,y,讲座,社区居民\n'));
    expectError(bad, 422, 'validation_failed');
    assert.deepEqual(errorsOf(bad).map((e) => [e.line, e.field]), [[2, 'date'], [3, 'date']]);
    for (const e of errorsOf(bad)) assert.match(e.message, HAN);
  });

  test('bytes that are neither UTF-8 nor GB18030: 422 in Chinese, nothing saved', async () => {
    const total = (await A.events()).total;
    const r = await A.importCsv(Buffer.from([0x64, 0x61, 0x74, 0x65, 0x0a, 0xff, 0xfe, 0x81]));
    expectError(r, 422, 'validation_failed');
    assert.match(r.body.error.message, HAN);
    assert.ok(errorsOf(r).some((e) => e.field === 'file' && HAN.test(e.message)), r.text);
    assert.equal((await A.events()).total, total);
  });

  test('past the row limit and past the size limit the messages are Chinese', async () => {
    const row = '2030-01-01,YL,行,讲座,社区居民\n';
    const many = Buffer.from('date,station,title,category,audience\n' + row.repeat(20001));
    const r = await A.importCsv(many, '?dry_run=1');
    expectError(r, 422, 'validation_failed');
    const limit = errorsOf(r).find((e) => /20000|20,000/.test(e.message));
    assert.ok(limit, `a row-limit problem: ${r.text.slice(0, 300)}`);
    assert.match(limit.message, HAN);
    const huge = Buffer.alloc(8 * 1024 * 1024 + 10, 'a');
    const t = await A.importCsv(huge);
    assert.equal(t.status, 413, t.text.slice(0, 200));
    assert.match(t.body.error.message, HAN, `413 in Chinese: ${t.body.error.message}`);
  });
});

describe('the events CSV re-imports (district-wide and cancelled events)', () => {
  let A, B;
  before(async () => { A = await server(); B = await server(); });
  after(async () => { await A.s.stop(); await B.s.stop(); });

  test('export → import into a fresh server → the same events, statuses included', async () => {
    const stations = (await A.call('GET', '/api/v1/stations?limit=500')).body.items;
    const yl = stations.find((x) => x.code === 'YL');
    const mk = async (body) => {
      const r = await A.call('POST', '/api/v1/events', {
        kind: 'lecture', audience: 'residents', venue: '', ...body,
      });
      expectStatus(r, 201, `create ${body.title}: ${r.text}`);
      return r.body;
    };
    await mk({ title: '全区讲座', start: '2031-04-01T09:00:00+08:00', end: '2031-04-01T11:00:00+08:00' });
    await mk({ title: '园岭讲座', station_id: yl.id, start: '2031-04-02T09:00:00+08:00', end: '2031-04-02T11:00:00+08:00', status: 'confirmed' });
    const c = await mk({ title: '取消的讲座', station_id: yl.id, start: '2031-04-03T09:00:00+08:00', end: '2031-04-03T11:00:00+08:00' });
    expectStatus(await A.call('POST', `/api/v1/events/${c.id}/cancel`, { reason: '场地维修' }), 200, 'cancel');

    const csv = await A.exportCsv('?from=2031-04-01&to=2031-04-30');
    const text = csv.toString('utf8');
    assert.match(text, /\n2031-04-01,,全区讲座,/, `district-wide: empty station\n${text}`);
    assert.match(text, /取消的讲座.*,已取消\r?\n/, 'the cancelled event with its status');
    assert.match(text, /园岭讲座.*,已确认\r?\n/);

    const r = await B.importCsv(csv);
    expectStatus(r, 201, `import the export: ${r.text.slice(0, 500)}`);
    assert.equal(r.body.created, 3);
    const names = (s) => async () => Object.fromEntries(((await s.call('GET', '/api/v1/stations?limit=500')).body.items).map((x) => [x.id, x.code]));
    const view = async (s) => {
      const code = await names(s)();
      return (await s.events('&from=2031-04-01&to=2031-04-30')).items.map((e) =>
        [e.title, e.station_id === null ? null : code[e.station_id], e.start, e.end, e.kind, e.audience, e.status]).sort();
    };
    const want = await view(A);
    assert.deepEqual(await view(B), want);
    assert.ok(want.some((x) => x[0] === '全区讲座' && x[1] === null));
    assert.ok(want.some((x) => x[0] === '取消的讲座' && x[6] === 'cancelled'));
    // And importing the export back where it came from creates nothing.
    const back = await A.importCsv(csv);
    assert.equal(back.body.created, 0, back.text.slice(0, 300));
    assert.equal(back.body.skipped, 3);
  });
});
