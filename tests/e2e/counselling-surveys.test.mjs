// Satisfaction of counselling: a station's survey link (create, rotate —
// the old token dies at once —, disable), the public form on /s/{token}
// answered with source 'counselling', the per-client rate limit, paper
// tallies (every bad input 422 and nothing written, counted through the
// API), and tallies counted in station and event results, online and
// paper apart and together — docs/api.md "Counselling surveys".
import { test, describe, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, api, login } from '../lib/harness.mjs';
import { clearOfMidnight } from '../lib/wallclock.mjs';
import { expectError, expectStatus } from './util.mjs';

const H = 3600e3;
const D = 24 * H;
const TZ = 'Asia/Shanghai';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const addDays = (ymd, n) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const at = (ms) => `${new Date(Math.floor((Date.now() + ms) / 60e3) * 60e3 + 8 * H).toISOString().slice(0, 19)}+08:00`;
const REPORT = { 5: 20, 4: 23, 3: 5, 2: 2, 1: 0 }; // 43 of 50 satisfied

// A JSON POST from a chosen local address (another visitor's phone).
function postFrom(base, path, body, from) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((res, rej) => {
    const req = http.request(new URL(path, base), {
      method: 'POST', localAddress: from,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
    }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => res({ status: resp.statusCode }));
    });
    req.on('error', rej);
    req.end(payload);
  });
}

describe('counselling surveys and paper tallies', () => {
  // Dates are today's or counted from it, and the server checks them
  // against its own today: both must be the same day through a test.
  beforeEach(() => clearOfMidnight());
  let s;
  let admin;
  let tC;       // a counsellor's token
  let hall;
  let street;

  const as = (token) => (method, path, body) => api(s.url, method, path, { token, body });
  const call = (method, path, body) => api(s.url, method, path, { token: admin, body });
  const pub = (method, path, body) => api(s.url, method, path, { body });
  const tallies = async (q) => (await call('GET', `/api/v1/surveys/tallies?${q}&limit=1`)).body.total;
  const stationResults = async (id, q = '') => {
    const r = await call('GET', `/api/v1/stations/${id}/survey-results${q}`);
    expectStatus(r, 200, 'station results');
    return r.body;
  };

  before(async () => {
    s = await startServer({ demo: true });
    admin = await login(s.url);
    const st = (await call('GET', '/api/v1/stations?limit=100')).body.items;
    [hall, street] = st;
    const c = (await call('GET', '/api/v1/counsellors?limit=1')).body.items[0];
    expectStatus(await call('POST', `/api/v1/counsellors/${c.id}/account`, { username: 'sv_c', password: 'sv_c-password' }), 201);
    tC = await login(s.url, 'sv_c', 'sv_c-password');
  });
  after(async () => { await s?.stop(); });

  test('authorization of every new route: anonymous 401, counsellor 403, coordinator', async () => {
    const routes = [
      ['GET', `/api/v1/stations/${hall.id}/survey-link`], ['POST', `/api/v1/stations/${hall.id}/survey-link`],
      ['DELETE', `/api/v1/stations/${hall.id}/survey-link`], ['GET', `/api/v1/stations/${hall.id}/survey-qr.svg`],
      ['GET', `/api/v1/stations/${hall.id}/survey-results`],
      ['POST', '/api/v1/surveys/tallies', { station_id: hall.id, date: today(), question_id: 'overall', counts: REPORT }],
      ['GET', '/api/v1/surveys/tallies'], ['DELETE', '/api/v1/surveys/tallies/1'],
    ];
    for (const [m, p, b] of routes) {
      expectError(await pub(m, p, b), 401, 'unauthorized');
      expectError(await as(tC)(m, p, b), 403, 'forbidden');
    }
    assert.equal(await tallies(`station_id=${hall.id}`), 0, 'nothing written');
    expectError(await call('POST', '/api/v1/stations/999999/survey-link'), 404, 'not_found');
    expectError(await call('GET', '/api/v1/stations/999999/survey-results'), 404, 'not_found');
  });

  test('a station link: the form on /s/{token}, answers marked counselling, rotation kills the old token', async () => {
    const link0 = await call('GET', `/api/v1/stations/${street.id}/survey-link`);
    assert.equal(link0.body.enabled, false);
    expectError(await call('GET', `/api/v1/stations/${street.id}/survey-qr.svg`), 404, 'not_found');
    const made = await call('POST', `/api/v1/stations/${street.id}/survey-link`);
    expectStatus(made, 201);
    const { token, url } = made.body;
    assert.match(token, /^[0-9a-f]{32}$/);
    assert.equal(url, `${s.url}/s/${token}`);
    const qr = await call('GET', `/api/v1/stations/${street.id}/survey-qr.svg`);
    expectStatus(qr, 200);
    assert.match(qr.text, /^<\?xml|^<svg/);
    // The public page and its API.
    const page = await api(s.url, 'GET', `/s/${token}`);
    expectStatus(page, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    const form = await pub('GET', `/api/v1/surveys/${token}`);
    expectStatus(form, 200);
    assert.equal(form.body.source, 'counselling');
    assert.equal(form.body.station.name, street.name);
    assert.equal(form.body.anonymous, true);
    assert.equal(form.body.event, undefined);
    assert.deepEqual(form.body.questions.map((q) => [q.id, q.type]), [['overall', 'likert5'], ['comment', 'text']]);
    // Bad answers write nothing.
    const before = (await stationResults(street.id)).responses;
    expectError(await pub('POST', '/api/v1/surveys/responses', { token, answers: { overall: 6 } }), 422, 'validation_failed', 'overall');
    expectError(await pub('POST', '/api/v1/surveys/responses', { token, answers: {} }), 422, 'validation_failed', 'overall');
    expectError(await pub('POST', '/api/v1/surveys/responses', { token, answers: { overall: 5, name: '张三' } }), 422, 'validation_failed');
    assert.equal((await stationResults(street.id)).responses, before);
    expectStatus(await pub('POST', '/api/v1/surveys/responses', { token, answers: { overall: 5, comment: '很好 <b>谢谢</b>' } }), 201);
    expectStatus(await pub('POST', '/api/v1/surveys/responses', { token, answers: { overall: 2 } }), 201, 'a link takes many answers');
    const r = await stationResults(street.id);
    assert.equal(r.responses, before + 2);
    assert.equal(r.station.id, street.id);
    assert.deepEqual(r.comments, ['很好 <b>谢谢</b>']);
    assert.deepEqual(r.satisfaction, { satisfied: 1, total: 2, rate: 0.5 });
    assert.equal((await stationResults(hall.id)).responses, 0, 'another station sees none');
    // Rotation: the old token stops at once, the new one works.
    const rot = await call('POST', `/api/v1/stations/${street.id}/survey-link`);
    expectStatus(rot, 200);
    assert.notEqual(rot.body.token, token);
    expectError(await pub('GET', `/api/v1/surveys/${token}`), 404, 'not_found');
    expectError(await pub('POST', '/api/v1/surveys/responses', { token, answers: { overall: 5 } }), 404, 'not_found');
    expectStatus(await pub('GET', `/api/v1/surveys/${rot.body.token}`), 200);
    assert.equal((await stationResults(street.id)).responses, before + 2);
    // A deactivated station's link is off; active again, it works again.
    expectStatus(await call('DELETE', `/api/v1/stations/${street.id}`), 200);
    expectError(await pub('GET', `/api/v1/surveys/${rot.body.token}`), 404, 'not_found');
    expectStatus(await call('PATCH', `/api/v1/stations/${street.id}`, { active: true }), 200);
    expectStatus(await pub('GET', `/api/v1/surveys/${rot.body.token}`), 200);
    // Disabled: gone; disabling twice is 404.
    expectStatus(await call('DELETE', `/api/v1/stations/${street.id}/survey-link`), 204);
    expectError(await pub('GET', `/api/v1/surveys/${rot.body.token}`), 404, 'not_found');
    expectError(await call('DELETE', `/api/v1/stations/${street.id}/survey-link`), 404, 'not_found');
    assert.equal((await call('GET', `/api/v1/stations/${street.id}/survey-link`)).body.enabled, false);
    const audit = (await call('GET', `/api/v1/audit?entity=station_survey&entity_id=${street.id}`)).body.items.map((x) => x.action);
    assert.deepEqual(audit, ['delete', 'rotate', 'create']);
  });

  test('anonymous answers are rate-limited per client address', async () => {
    const { token } = (await call('POST', `/api/v1/stations/${hall.id}/survey-link`)).body;
    const body = { token, answers: { overall: 4 } };
    for (let i = 0; i < 10; i++) assert.equal((await postFrom(s.url, '/api/v1/surveys/responses', body, '127.0.0.3')).status, 201);
    assert.equal((await postFrom(s.url, '/api/v1/surveys/responses', body, '127.0.0.3')).status, 429);
    assert.equal((await postFrom(s.url, '/api/v1/surveys/responses', body, '127.0.0.4')).status, 201, 'another phone still answers');
    assert.equal((await stationResults(hall.id)).responses, 11);
  });

  test('paper tallies: every bad input is 422 and writes nothing', async () => {
    const ev = (await call('POST', '/api/v1/events', { kind: 'salon', title: '减压沙龙', start: at(-2 * D), end: at(-2 * D + 2 * H) })).body;
    const gone = (await call('POST', '/api/v1/events', { kind: 'salon', title: '取消的沙龙', start: at(-2 * D), end: at(-2 * D + H) })).body;
    expectStatus(await call('POST', `/api/v1/events/${gone.id}/cancel`, { reason: '场地维修' }), 200);
    const good = { station_id: hall.id, date: addDays(today(), -1), question_id: 'overall', counts: REPORT };
    const n0 = await tallies('');
    const bad = [
      [{ counts: { ...REPORT, 6: 1 } }, 'counts'], [{ counts: { 0: 3 } }, 'counts'], [{ counts: { 5: -1 } }, 'counts'],
      [{ counts: { 5: 2.5 } }, 'counts'], [{ counts: { 5: '20' } }, 'counts'], [{ counts: { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 } }, 'counts'],
      [{ counts: {} }, 'counts'], [{ counts: [20, 23] }, 'counts'], [{ counts: { 5: 100001 } }, 'counts'],
      [{ event_id: ev.id }, 'event_id'], [{ station_id: null }, 'event_id'],
      [{ station_id: 999999 }, 'station_id'], [{ station_id: undefined, event_id: 999999 }, 'event_id'],
      [{ station_id: undefined, event_id: gone.id }, 'event_id'],
      [{ question_id: 'comment' }, 'question_id'], [{ question_id: 'nope' }, 'question_id'],
      [{ date: addDays(today(), 1) }, 'date'], [{ date: '2025-13-01' }, 'date'], [{ date: undefined }, 'date'],
      [{ source: 'paper' }, 'source'],
    ];
    for (const [over, field] of bad) {
      const body = { ...good, ...over };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      const r = await call('POST', '/api/v1/surveys/tallies', body);
      expectError(r, 422, 'validation_failed', field);
      if (field === 'counts') assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'a Chinese message');
    }
    expectError(await call('POST', '/api/v1/surveys/tallies', { ...good, counts: undefined }), 422, 'validation_failed', 'counts');
    assert.equal(await tallies(''), n0, 'nothing written');
    expectError(await call('GET', `/api/v1/surveys/tallies?event_id=${ev.id}&station_id=${hall.id}`), 422, 'validation_failed', 'event_id');
    // A good one for the event, on the event's default questionnaire.
    const r = await call('POST', '/api/v1/surveys/tallies', { event_id: ev.id, date: addDays(today(), -2), question_id: 'overall', counts: REPORT });
    expectStatus(r, 201);
    assert.equal(r.body.paper, true);
    assert.equal(r.body.source, 'event');
    assert.equal(r.body.total, 50);
    assert.equal(r.body.satisfied, 43);
    assert.deepEqual(r.body.counts, { 1: 0, 2: 2, 3: 5, 4: 23, 5: 20 });
    assert.equal(await tallies(`event_id=${ev.id}`), 1);
    assert.equal(await tallies(''), n0 + 1);
    expectStatus(await call('DELETE', `/api/v1/surveys/tallies/${r.body.id}`), 204);
    expectError(await call('DELETE', `/api/v1/surveys/tallies/${r.body.id}`), 404, 'not_found');
    assert.equal(await tallies(''), n0);
  });

  test('tallies count like online answers, marked paper, in station and event results', async () => {
    // The station: 11 online answers of 4 (rate-limit test), then paper.
    const before = await stationResults(hall.id);
    const t1 = await call('POST', '/api/v1/surveys/tallies', { station_id: hall.id, date: addDays(today(), -3), question_id: 'overall', counts: REPORT });
    expectStatus(t1, 201);
    assert.equal(t1.body.source, 'counselling');
    const r = await stationResults(hall.id);
    assert.deepEqual(r.satisfaction_online, before.satisfaction_online);
    assert.deepEqual(r.satisfaction_paper, { satisfied: 43, total: 50, rate: 0.86 });
    assert.equal(r.satisfaction.total, before.satisfaction.total + 50);
    assert.equal(r.satisfaction.satisfied, before.satisfaction.satisfied + 43);
    const q = r.questions.find((x) => x.id === 'overall');
    assert.equal(q.paper_answers, 50);
    assert.equal(q.online_answers, before.questions.find((x) => x.id === 'overall').online_answers);
    assert.equal(q.answers, q.online_answers + 50);
    assert.equal(q.paper_distribution[5], 20);
    assert.equal(q.distribution[4], q.online_distribution[4] + 23);
    assert.deepEqual(r.paper, { tallies: 1, answers: 50 });
    // The period: the tally's date and the answers' day.
    const later = await stationResults(hall.id, `?from=${addDays(today(), -2)}&to=${today()}`);
    assert.equal(later.paper.tallies, 0);
    assert.equal(later.responses, r.responses);
    const earlier = await stationResults(hall.id, `?from=${addDays(today(), -10)}&to=${addDays(today(), -1)}`);
    assert.equal(earlier.paper.tallies, 1);
    assert.equal(earlier.responses, 0);
    expectError(await call('GET', `/api/v1/stations/${hall.id}/survey-results?from=${today()}&to=${addDays(today(), -1)}`), 422, 'validation_failed', 'to');

    // An event: one anonymous online answer (5) and the report's paper forms.
    const ev = (await call('POST', '/api/v1/events', { kind: 'lecture', title: '心理健康讲座', start: at(-D), end: at(-D + 2 * H) })).body;
    expectStatus(await call('PATCH', `/api/v1/events/${ev.id}`, { status: 'held' }), 200);
    const anon = await call('POST', `/api/v1/events/${ev.id}/anonymous-survey`, { enabled: true });
    assert.equal((await postFrom(s.url, '/api/v1/surveys/responses', { token: anon.body.token, answers: { overall: 5 } }, '127.0.0.5')).status, 201);
    expectStatus(await call('POST', '/api/v1/surveys/tallies', { event_id: ev.id, date: addDays(today(), -1), question_id: 'overall', counts: REPORT }), 201);
    const er = (await call('GET', `/api/v1/events/${ev.id}/survey-results`)).body;
    assert.equal(er.responses, 1, 'online responses only');
    assert.deepEqual(er.satisfaction, { satisfied: 44, total: 51, rate: 44 / 51 });
    assert.deepEqual(er.satisfaction_online, { satisfied: 1, total: 1, rate: 1 });
    assert.deepEqual(er.satisfaction_paper, { satisfied: 43, total: 50, rate: 0.86 });
    // The event's tallies stay out of the station's results and back.
    assert.equal((await stationResults(hall.id)).paper.tallies, 1);
  });
});
