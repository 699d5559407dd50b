// Registration and check-in — docs/api.md "Registration, check-in and
// surveys": the public event, capacity and waiting list, cancelling and
// promotion, closed events, validation (nothing stored), check-in by
// token, roll call (walk-ins, trainings with passed/score), survey tokens
// only for attendees once the event is held, and the per-address limit
// of 20 registrations an hour (its own server).
//
// Participants register from distinct loopback addresses (127.0.0.x), as
// they would from their own phones, so the per-address limit only bites
// where a test means it to.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, requestFrom, eventKit, at, H, D, TOKEN_RE } from './util.mjs';

let addr = 10;
const nextAddr = () => { addr += 1; return `127.0.0.${addr}`; };

describe('registration and check-in', () => {
  let s, token;
  const kit = eventKit(() => s, () => token, {
    event: () => ({ title: '情绪减压讲座', description: '了解压力来源\n学习放松方法', start: at(10 * D), end: at(10 * D + 2 * H), public: true, status: 'confirmed' }),
  });
  const { call, pub, mkEvent, attendance } = kit;
  // A successful registration from its own address.
  const register = async (eventId, body, what = 'register') => {
    const r = await kit.register(eventId, body, nextAddr());
    expectStatus(r, 201, what);
    return r.body;
  };
  const registrations = async (eventId) => {
    const r = await call('GET', `/api/v1/events/${eventId}/registrations?limit=500`);
    expectStatus(r, 200, 'list registrations');
    return r.body;
  };
  const myReg = async (tok) => {
    const r = await pub('GET', `/api/v1/registrations/${tok}`);
    expectStatus(r, 200, 'GET registration');
    return r.body;
  };

  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('the public event: fields, counts, spots_left; private and unknown events answer 404', async () => {
    const sl = await call('GET', '/api/v1/stations?limit=500');
    expectStatus(sl, 200);
    const station = sl.body.items[0];
    const e = await mkEvent({ title: '亲子沟通沙龙', kind: 'salon', capacity: 5, station_id: station.id, venue: '二楼活动室' });
    const r = await pub('GET', `/api/v1/public/events/${e.id}`);
    expectStatus(r, 200, 'public event');
    const p = r.body;
    for (const k of ['id', 'kind', 'title', 'description', 'station_name', 'venue', 'start', 'end', 'status', 'capacity', 'registered', 'waitlisted', 'spots_left']) {
      assert.ok(k in p, `public event has ${k}: ${r.text}`);
    }
    assert.equal(p.id, e.id);
    assert.equal(p.kind, 'salon');
    assert.equal(p.title, '亲子沟通沙龙');
    assert.equal(p.description, '了解压力来源\n学习放松方法');
    assert.equal(p.station_name, station.name);
    assert.equal(p.venue, '二楼活动室');
    assert.equal(p.start, e.start);
    assert.equal(p.end, e.end);
    assert.equal(p.status, 'confirmed');
    assert.equal(p.capacity, 5);
    assert.equal(p.registered, 0);
    assert.equal(p.waitlisted, 0);
    assert.equal(p.spots_left, 5);
    for (const k of ['speaker_ids', 'survey_template_id', 'reminders', 'sequence']) assert.ok(!(k in p), `no internal field ${k}`);

    const open = await mkEvent({ title: '不限名额的活动', kind: 'activity' });
    const o = await pub('GET', `/api/v1/public/events/${open.id}`);
    expectStatus(o, 200);
    assert.equal(o.body.capacity, null);
    assert.equal(o.body.spots_left, null, 'no capacity: spots_left null');

    const priv = await mkEvent({ title: '内部培训', kind: 'training', public: false });
    expectError(await pub('GET', `/api/v1/public/events/${priv.id}`), 404, 'not_found');
    expectError(await pub('GET', '/api/v1/public/events/999999'), 404, 'not_found');
    expectError(await pub('GET', '/api/v1/public/events/abc'), 404, 'not_found');
  });

  test('capacity 2: registered, registered, waitlisted; cancelling promotes the waiting list', async () => {
    const e = await mkEvent({ title: '心理健康讲座', capacity: 2 });
    const a = await register(e.id, { name: '李梅', email: 'limei@example.cn', phone: '13800138000', organisation: '园岭街道' });
    const b = await register(e.id, { name: '王建国' });
    const c = await register(e.id, { name: '陈小红', phone: '+86 139-0000-0000' });
    for (const x of [a, b, c]) {
      assert.ok(Number.isInteger(x.id) && x.id > 0, `id: ${JSON.stringify(x)}`);
      assert.match(x.token, TOKEN_RE, 'token');
    }
    assert.equal(new Set([a.token, b.token, c.token]).size, 3, 'distinct tokens');
    assert.deepEqual([a.status, b.status, c.status], ['registered', 'registered', 'waitlisted']);

    const p = (await pub('GET', `/api/v1/public/events/${e.id}`)).body;
    assert.deepEqual([p.registered, p.waitlisted, p.spots_left], [2, 1, 0]);

    const rc = await myReg(c.token);
    assert.equal(rc.status, 'waitlisted');
    assert.equal(rc.waitlist_position, 1);
    assert.equal(rc.name, '陈小红');
    assert.equal(rc.checked_in, false);
    assert.ok(!rc.survey_url, 'no survey_url before the event');
    assert.equal(rc.event.id, e.id);
    assert.equal(rc.event.title, '心理健康讲座');
    assert.equal(rc.event.start, e.start);
    const ra = await myReg(a.token);
    assert.equal(ra.status, 'registered');
    assert.equal(ra.waitlist_position ?? null, null, 'registered: no waitlist position');

    const list = await registrations(e.id);
    assert.equal(list.total, 3);
    assert.deepEqual(list.items.map((x) => [x.id, x.status, x.checked_in]),
      [[a.id, 'registered', false], [b.id, 'registered', false], [c.id, 'waitlisted', false]]);
    assert.equal(list.items[0].email, 'limei@example.cn');

    // A fourth waits behind the third.
    const d = await register(e.id, { name: '赵强' });
    assert.equal(d.status, 'waitlisted');
    assert.equal((await myReg(d.token)).waitlist_position, 2);

    const del = await pub('DELETE', `/api/v1/registrations/${a.token}`);
    expectStatus(del, 200, 'cancel');
    assert.equal(del.body.status, 'cancelled');
    assert.equal((await myReg(a.token)).status, 'cancelled');
    const promoted = await myReg(c.token);
    assert.equal(promoted.status, 'registered', 'the first on the waiting list is promoted at once');
    assert.equal(promoted.waitlist_position ?? null, null);
    assert.equal((await myReg(d.token)).waitlist_position, 1, 'the next moves up');
    const p2 = (await pub('GET', `/api/v1/public/events/${e.id}`)).body;
    assert.deepEqual([p2.registered, p2.waitlisted, p2.spots_left], [2, 1, 0]);

    // Cancelling a waiting-list place promotes nobody.
    expectStatus(await pub('DELETE', `/api/v1/registrations/${d.token}`), 200, 'cancel waitlisted');
    const p3 = (await pub('GET', `/api/v1/public/events/${e.id}`)).body;
    assert.deepEqual([p3.registered, p3.waitlisted, p3.spots_left], [2, 0, 0]);

    expectError(await pub('GET', '/api/v1/registrations/0123456789abcdef0123456789abcdef'), 404, 'not_found');
    expectError(await pub('DELETE', '/api/v1/registrations/0123456789abcdef0123456789abcdef'), 404, 'not_found');
  });

  test('the QR code of a registration is an SVG', async () => {
    const e = await mkEvent({ title: '二维码测试' });
    const r = await register(e.id, { name: '周敏' });
    const q = await fetch(`${s.url}/registrations/${r.token}/qr.svg`);
    assert.equal(q.status, 200);
    assert.match(q.headers.get('content-type') || '', /^image\/svg\+xml/);
    const svg = await q.text();
    assert.match(svg, /<svg[\s>]/);
    const miss = await fetch(`${s.url}/registrations/0123456789abcdef0123456789abcdef/qr.svg`);
    assert.equal(miss.status, 404);
  });

  test('closed events: private → 404; cancelled, held or ended → 409; nothing stored', async () => {
    const body = { name: '孙丽' };
    const priv = await mkEvent({ title: '内部会议', public: false });
    expectError(await pub('POST', `/api/v1/events/${priv.id}/registrations`, body), 404, 'not_found');
    expectError(await pub('POST', '/api/v1/events/999999/registrations', body), 404, 'not_found');

    const cancelled = await mkEvent({ title: '将取消的讲座' });
    expectStatus(await call('POST', `/api/v1/events/${cancelled.id}/cancel`, { reason: '场地维修' }), 200, 'cancel event');
    expectError(await pub('POST', `/api/v1/events/${cancelled.id}/registrations`, body), 409, 'conflict');
    const pc = await pub('GET', `/api/v1/public/events/${cancelled.id}`);
    expectStatus(pc, 200, 'a cancelled public event still shows');
    assert.equal(pc.body.status, 'cancelled');

    const ended = await mkEvent({ title: '已结束的讲座', start: at(-3 * D), end: at(-3 * D + 2 * H) });
    expectError(await pub('POST', `/api/v1/events/${ended.id}/registrations`, body), 409, 'conflict');

    const running = await mkEvent({ title: '进行中的讲座', start: at(-H), end: at(H) });
    expectStatus(await call('PATCH', `/api/v1/events/${running.id}`, { status: 'held' }), 200, 'mark held');
    expectError(await pub('POST', `/api/v1/events/${running.id}/registrations`, body), 409, 'conflict');

    for (const ev of [priv, cancelled, ended, running]) assert.equal((await registrations(ev.id)).total, 0, `nothing stored for ${ev.title}`);
  });

  test('bad input → 400/415/422 naming the field; nothing is stored', async () => {
    const e = await mkEvent({ title: '输入校验', capacity: 10 });
    const path = `/api/v1/events/${e.id}/registrations`;
    const before = await registrations(e.id);
    const cases = [
      [{ name: '' }, 'name'],
      [{}, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'x'.repeat(51) }, 'name'],
      [{ name: '张'.repeat(51) }, 'name'],
      [{ name: '李梅', email: 'not-an-email' }, 'email'],
      [{ name: '李梅', phone: '1'.repeat(33) }, 'phone'],
      [{ name: '李梅', organisation: '单'.repeat(101) }, 'organisation'],
      [{ name: '李梅', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) expectError(await pub('POST', path, body), 422, 'validation_failed', field);
    const json = { 'content-type': 'application/json' };
    expectError(await pub('POST', path, undefined, { raw: '{"name":', headers: json }), 400, 'bad_request');
    expectError(await pub('POST', path, undefined, { raw: '["李梅"]', headers: json }), 400, 'bad_request');
    expectError(await pub('POST', path, undefined, { raw: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json }),
      400, 'bad_request');
    expectError(await pub('POST', path, undefined, { raw: 'name=李梅', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415, 'unsupported_media_type');
    assert.deepEqual(await registrations(e.id), before, 'rejected requests stored nothing');
    const p = (await pub('GET', `/api/v1/public/events/${e.id}`)).body;
    assert.deepEqual([p.registered, p.waitlisted], [0, 0]);

    // The limits are characters, not bytes: 50 Chinese characters fit.
    const ok = await register(e.id, { name: '张'.repeat(50), organisation: '单'.repeat(100) });
    assert.equal(ok.status, 'registered');
    assert.equal((await myReg(ok.token)).name, '张'.repeat(50));
  });

  test('check-in by token: 401 without sign-in, then attended; twice is harmless', async () => {
    const e = await mkEvent({ title: '签到测试讲座', capacity: 1 });
    const r = await register(e.id, { name: '刘洋' });
    const w = await register(e.id, { name: '候补者' });
    assert.equal(w.status, 'waitlisted');
    expectError(await pub('POST', `/api/v1/checkin/${r.token}`), 401, 'unauthorized');
    assert.equal((await myReg(r.token)).checked_in, false, 'nothing written without sign-in');

    const first = await call('POST', `/api/v1/checkin/${r.token}`);
    expectStatus(first, 200, 'check in');
    assert.equal(first.body.already, false);
    const row = first.body.attendance;
    assert.ok(Number.isInteger(row.id), `attendance row: ${first.text}`);
    assert.equal(row.registration_id, r.id);
    assert.equal(row.name, '刘洋');
    assert.equal(row.walk_in, false);
    assert.ok(Math.abs(Date.parse(row.checked_in_at) - Date.now()) < 120e3, 'checked_in_at is now');
    assert.match(row.checked_in_at, /\+08:00$/);

    const again = await call('POST', `/api/v1/checkin/${r.token}`);
    expectStatus(again, 200, 'check in twice');
    assert.equal(again.body.already, true);
    assert.equal(again.body.attendance.id, row.id, 'the same attendance row');

    assert.equal((await myReg(r.token)).checked_in, true);
    const list = await registrations(e.id);
    assert.equal(list.items.find((x) => x.id === r.id).checked_in, true);
    assert.equal(list.items.find((x) => x.id === w.id).checked_in, false);
    const att = await attendance(e.id);
    assert.equal(att.length, 1, 'one attendee after two scans');

    expectError(await call('POST', '/api/v1/checkin/0123456789abcdef0123456789abcdef'), 404, 'not_found');
  });

  test('roll call: registration_id, token, walk-in; trainings take passed/score; PATCH and DELETE attendance', async () => {
    const e = await mkEvent({ kind: 'training', title: '咨询师督导培训', start: at(-H), end: at(3 * H), public: true });
    const r1 = await register(e.id, { name: '黄若溪', organisation: '福田街道' });
    const r2 = await register(e.id, { name: '吴晓东' });
    const r3 = await register(e.id, { name: '郑敏' });
    const path = `/api/v1/events/${e.id}/attendance`;

    expectError(await pub('POST', path, { registration_id: r1.id }), 401, 'unauthorized');
    const a1 = await call('POST', path, { registration_id: r1.id, passed: true, score: 92 });
    expectStatus(a1, 201, 'by registration_id');
    assert.equal(a1.body.registration_id, r1.id);
    assert.equal(a1.body.name, '黄若溪');
    assert.equal(a1.body.walk_in, false);
    assert.equal(a1.body.passed, true);
    assert.equal(a1.body.score, 92);
    assert.equal(a1.body.survey_token ?? null, null, 'no survey token before held');
    expectError(await call('POST', path, { registration_id: r1.id }), 409, 'conflict');
    expectError(await call('POST', path, { token: r1.token }), 409, 'conflict');

    const a2 = await call('POST', path, { token: r2.token });
    expectStatus(a2, 201, 'by token');
    assert.equal(a2.body.registration_id, r2.id);
    assert.equal(a2.body.passed ?? null, null, 'not assessed yet');
    assert.equal(a2.body.score ?? null, null);

    const walk = await call('POST', path, { walk_in: { name: '王阿姨' }, passed: false, score: 40 });
    expectStatus(walk, 201, 'walk-in');
    assert.equal(walk.body.walk_in, true);
    assert.equal(walk.body.registration_id ?? null, null);
    assert.equal(walk.body.name, '王阿姨');
    assert.equal(walk.body.passed, false);
    assert.equal(walk.body.score, 40);

    const before = await attendance(e.id);
    const bad = [
      [{ registration_id: r3.id, score: 101 }, 'score'],
      [{ registration_id: r3.id, score: -1 }, 'score'],
      [{ registration_id: r3.id, passed: 'yes' }, 'passed'],
      [{ registration_id: 999999 }, 'registration_id'],
      [{ walk_in: { name: '' } }, undefined],
      [{}, undefined],
      [{ registration_id: r3.id, token: r3.token }, undefined],
      [{ registration_id: r3.id, colour: 'red' }, undefined],
    ];
    for (const [body, field] of bad) expectError(await call('POST', path, body), 422, 'validation_failed', field);
    assert.deepEqual(await attendance(e.id), before, 'rejected roll calls stored nothing');

    const patch = await call('PATCH', `/api/v1/attendance/${a2.body.id}`, { passed: true, score: 78.5 });
    expectStatus(patch, 200, 'PATCH attendance');
    assert.equal(patch.body.passed, true);
    assert.equal(patch.body.score, 78.5);
    const patch2 = await call('PATCH', `/api/v1/attendance/${a1.body.id}`, { passed: false });
    expectStatus(patch2, 200, 'PATCH passed only');
    assert.equal(patch2.body.passed, false);
    assert.equal(patch2.body.score, 92, 'score kept');
    expectError(await call('PATCH', `/api/v1/attendance/${a1.body.id}`, { score: 'abc' }), 422, 'validation_failed', 'score');
    expectError(await call('PATCH', `/api/v1/attendance/${a1.body.id}`, { score: 100.5 }), 422, 'validation_failed', 'score');
    expectError(await call('PATCH', '/api/v1/attendance/999999', { passed: true }), 404, 'not_found');

    const list = await attendance(e.id);
    assert.equal(list.length, 3);
    const byId = Object.fromEntries(list.map((x) => [x.id, x]));
    assert.deepEqual([byId[a1.body.id].passed, byId[a1.body.id].score], [false, 92]);
    assert.deepEqual([byId[a2.body.id].passed, byId[a2.body.id].score], [true, 78.5]);
    for (const x of list) for (const k of ['id', 'registration_id', 'name', 'walk_in', 'checked_in_at', 'passed', 'score', 'survey_token']) assert.ok(k in x, `attendee has ${k}`);

    // Undo the walk-in's check-in.
    const del = await call('DELETE', `/api/v1/attendance/${walk.body.id}`);
    assert.ok(del.status === 204 || del.status === 200, `DELETE attendance: ${del.status} ${del.text}`);
    assert.equal((await attendance(e.id)).length, 2);
    expectError(await call('DELETE', `/api/v1/attendance/${walk.body.id}`), 404, 'not_found');

    // An unknown field is one field at fault: the error names it (docs/api.md "Errors").
    expectError(await call('POST', path, { registration_id: r3.id, colour: 'red' }), 422, 'validation_failed', 'colour');
  });

  test('survey tokens: issued to every attendee when held, never to a no-show; later check-ins get one at once', async () => {
    const e = await mkEvent({ title: '团体辅导：情绪管理', kind: 'group', start: at(-H), end: at(2 * H), capacity: 10 });
    const came = await register(e.id, { name: '出席者甲' });
    const came2 = await register(e.id, { name: '出席者乙' });
    const noShow = await register(e.id, { name: '未到者' });
    expectStatus(await call('POST', `/api/v1/checkin/${came.token}`), 200, 'check in');
    expectStatus(await call('POST', `/api/v1/events/${e.id}/attendance`, { registration_id: came2.id }), 201, 'roll call');
    expectStatus(await call('POST', `/api/v1/events/${e.id}/attendance`, { walk_in: { name: '现场参加者' } }), 201, 'walk-in');

    for (const x of await attendance(e.id)) assert.equal(x.survey_token ?? null, null, 'no tokens before held');
    assert.ok(!(await myReg(came.token)).survey_url, 'no survey_url before held');

    const held = await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' });
    expectStatus(held, 200, 'mark held');
    const list = await attendance(e.id);
    assert.equal(list.length, 3);
    for (const x of list) assert.match(x.survey_token || '', TOKEN_RE, `survey token for ${x.name}`);
    assert.equal(new Set(list.map((x) => x.survey_token)).size, 3, 'distinct survey tokens');
    assert.ok(!list.some((x) => x.name === '未到者'), 'the no-show is not an attendee');

    const mine = await myReg(came.token);
    assert.equal(mine.checked_in, true);
    const tokOf = list.find((x) => x.registration_id === came.id).survey_token;
    assert.ok(mine.survey_url, `survey_url once held: ${JSON.stringify(mine)}`);
    assert.ok(mine.survey_url.endsWith(`/s/${tokOf}`), `survey_url ${mine.survey_url} ends with /s/${tokOf}`);
    const sv = await pub('GET', `/api/v1/surveys/${tokOf}`);
    expectStatus(sv, 200, 'the survey opens');
    assert.equal(sv.body.event.id, e.id);

    const absent = await myReg(noShow.token);
    assert.equal(absent.checked_in, false);
    assert.ok(!absent.survey_url, 'a registered no-show has no survey_url');
    assert.notEqual(tokOf, noShow.token, 'the survey token is not the registration token');

    // Checked in after the event was marked held: a token at once.
    const late = await call('POST', `/api/v1/checkin/${noShow.token}`);
    expectStatus(late, 200, 'late check-in');
    assert.match(late.body.attendance.survey_token || '', TOKEN_RE, 'late check-in gets a token at once');
    assert.ok((await myReg(noShow.token)).survey_url);

    // Answered: survey_url goes away.
    expectStatus(await pub('POST', '/api/v1/surveys/responses', { token: tokOf, answers: { overall: 5 } }), 201, 'answer');
    assert.ok(!(await myReg(came.token)).survey_url, 'no survey_url once answered');
  });
});

describe('registration rate limit (own server)', () => {
  let s, token;
  before(async () => {
    s = await startServer({ demo: true });
    token = await login(s.url);
  });
  after(async () => { await s.stop(); });

  test('the 21st registration from one address within the hour answers 429; another address still registers', async () => {
    const ev = await api(s.url, 'POST', '/api/v1/events', {
      token,
      body: { kind: 'lecture', title: '限流测试', start: at(5 * D), end: at(5 * D + 2 * H), public: true },
    });
    expectStatus(ev, 201);
    const path = `/api/v1/events/${ev.body.id}/registrations`;
    // Rejected attempts are not registrations: they do not count.
    for (let i = 0; i < 3; i++) expectError(await api(s.url, 'POST', path, { body: { name: '' } }), 422, 'validation_failed', 'name');
    for (let i = 1; i <= 20; i++) {
      const r = await api(s.url, 'POST', path, { body: { name: `参加者${i}` } });
      expectStatus(r, 201, `registration ${i}`);
    }
    const over = await api(s.url, 'POST', path, { body: { name: '第二十一位' } });
    expectError(over, 429, 'rate_limited');
    const list = await api(s.url, 'GET', `${path}?limit=500`, { token });
    assert.equal(list.body.total, 20, 'the refused registration was not stored');
    const other = await requestFrom(s.url, 'POST', path, { body: { name: '另一位参加者' }, from: '127.0.0.2' });
    expectStatus(other, 201, 'another address');
  });
});
