// Participants on the server (issue 13 points 1 and 5, branch imports):
// one place per person (same phone or e-mail → the existing
// registration, no second row, no second mail), a waitlisted check-in
// says so, the attendance rate = attended / (registered + walk-ins),
// a coordinator promotes and cancels by id (audited, mailed), the
// participant list as CSV from the server, and "mark held" undone while
// no survey answer exists — docs/api.md "Registration, check-in and
// surveys".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectError, expectStatus, at, H, D } from './util.mjs';

const HAN = /[\u4e00-\u9fff]/;

describe('participants on the server', () => {
  let s, token;
  const call = (method, path, body, extra = {}) => api(s.url, method, path, { token, body, ...extra });
  const pub = (method, path, body) => api(s.url, method, path, { body });
  const mkEvent = async (over = {}) => {
    const r = await call('POST', '/api/v1/events', {
      kind: 'lecture', title: '情绪减压讲座', start: at(10 * D), end: at(10 * D + 2 * H),
      public: true, status: 'confirmed', ...over,
    });
    expectStatus(r, 201, `create event: ${r.text}`);
    return r.body;
  };
  const regs = async (id) => (await call('GET', `/api/v1/events/${id}/registrations?limit=500`)).body.items;
  const mails = async (id) => (await call('GET', `/api/v1/outbox?event_id=${id}&limit=500`)).body.items;
  const audit = async () => (await call('GET', '/api/v1/audit?limit=50')).body.items;

  before(async () => { s = await startServer({ demo: true }); token = await login(s.url); });
  after(async () => { await s.stop(); });

  test('the same phone or e-mail registering again gets its registration back: no second row, no second mail', async () => {
    const e = await mkEvent({ capacity: 1 });
    const a = await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '李梅', email: 'LiMei@example.cn', phone: '13800138000' });
    expectStatus(a, 201, 'first');
    const mailed = (await mails(e.id)).length;
    for (const again of [
      { name: '李梅', email: 'limei@example.cn' },
      { name: '李 梅', phone: '+86 138-0013-8000' },
    ]) {
      const r = await pub('POST', `/api/v1/events/${e.id}/registrations`, again);
      expectStatus(r, 200, `again: ${r.text}`);
      assert.equal(r.body.id, a.body.id, 'the existing registration');
      assert.equal(r.body.status, 'registered');
      assert.equal(r.body.already_registered, true);
      assert.match(r.body.message, /已经报过名/);
      assert.equal(r.body.token, undefined, 'the token is not handed to whoever types the number');
    }
    assert.equal((await regs(e.id)).length, 1, 'one row');
    assert.equal((await mails(e.id)).length, mailed, 'no second mail');
    // Another person still registers (waitlisted: capacity 1), and a
    // cancelled registration does not block registering again.
    const b = await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '王建国', phone: '13900139000' });
    expectStatus(b, 201);
    assert.equal(b.body.status, 'waitlisted');
    expectStatus(await pub('DELETE', `/api/v1/registrations/${b.body.token}`), 200);
    const b2 = await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '王建国', phone: '13900139000' });
    expectStatus(b2, 201, 'after cancelling, a new registration');
  });

  test('a waitlisted person checks in; the reply says they were waitlisted', async () => {
    const e = await mkEvent({ capacity: 1 });
    const a = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '甲', phone: '13700000001' })).body;
    const w = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '乙', phone: '13700000002' })).body;
    assert.equal(w.status, 'waitlisted');
    const r1 = await call('POST', `/api/v1/events/${e.id}/attendance`, { registration_id: a.id });
    expectStatus(r1, 201);
    assert.equal(r1.body.was_waitlisted, false);
    assert.equal(r1.body.message, '签到成功');
    const r2 = await call('POST', `/api/v1/events/${e.id}/attendance`, { registration_id: w.id });
    expectStatus(r2, 201, 'a waitlisted person is checked in');
    assert.equal(r2.body.was_waitlisted, true);
    assert.match(r2.body.message, /候补/);
    // At the door with their own QR link, the same.
    const w3 = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '丙', phone: '13700000003' })).body;
    const r3 = await call('POST', `/api/v1/checkin/${w3.token}`);
    expectStatus(r3, 200);
    assert.equal(r3.body.was_waitlisted, true);
    assert.match(r3.body.message, /候补/);
  });

  test('attendance rate = attended / (registered + walk-ins); the waitlist never counts as registered', async () => {
    const day = '2019-05-06';
    const e = await mkEvent({ title: '到场率', start: `${day}T09:00:00+08:00`, end: `${day}T11:00:00+08:00`, capacity: 2 });
    // Registrations are closed for a past event: made while open, by
    // moving the event there after.
    const f = await mkEvent({ capacity: 2, title: '到场率（开放）' });
    const r = [];
    for (const [n, p] of [['一', '13600000001'], ['二', '13600000002'], ['三', '13600000003']]) {
      r.push((await pub('POST', `/api/v1/events/${f.id}/registrations`, { name: n, phone: p })).body);
    }
    assert.deepEqual(r.map((x) => x.status), ['registered', 'registered', 'waitlisted']);
    // One registered person and the waitlisted one come; one walk-in.
    expectStatus(await call('POST', `/api/v1/events/${f.id}/attendance`, { registration_id: r[0].id }), 201);
    expectStatus(await call('POST', `/api/v1/events/${f.id}/attendance`, { registration_id: r[2].id }), 201);
    expectStatus(await call('POST', `/api/v1/events/${f.id}/attendance`, { walk_in: { name: '路人' } }), 201);
    expectStatus(await call('POST', `/api/v1/events/${f.id}/reschedule`, { start: `${day}T14:00:00+08:00`, end: `${day}T16:00:00+08:00`, reason: '改期' }), 200);
    void e;
    const a = await call('GET', `/api/v1/reports/actuals?from=${day}&to=${day}`);
    expectStatus(a, 200);
    const p = a.body.participants;
    assert.equal(p.registered, 2, 'the waitlisted one is not registered');
    assert.equal(p.attended, 3);
    assert.equal(p.walk_ins, 2, 'the walk-in and the waitlisted one who came');
    // (1 registered who came + 2 walk-ins) / (2 registered + 2 walk-ins)
    assert.ok(Math.abs(p.attendance_rate - 3 / 4) < 1e-9, `rate ${p.attendance_rate}`);
  });

  test('a coordinator promotes and cancels by id: audited, the person mailed, the seat passed on', async () => {
    const e = await mkEvent({ capacity: 1 });
    const a = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '甲', email: 'a@example.cn' })).body;
    const b = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '乙', email: 'b@example.cn' })).body;
    const c = (await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '丙', email: 'c@example.cn' })).body;
    assert.deepEqual([a.status, b.status, c.status], ['registered', 'waitlisted', 'waitlisted']);
    const before = (await mails(e.id)).length;
    const p = await call('POST', `/api/v1/registrations/${c.id}/promote`);
    expectStatus(p, 200, p.text);
    assert.equal(p.body.status, 'registered', 'the coordinator decides, capacity aside');
    assert.ok((await mails(e.id)).length > before, 'the promoted person is mailed');
    expectError(await call('POST', `/api/v1/registrations/${c.id}/promote`), 409, 'conflict');
    const again = await call('POST', `/api/v1/registrations/${c.id}/promote`);
    assert.match(again.body.error.message, HAN);
    // Cancelling 甲 leaves 丙 in the one place; cancelling 丙 too gives
    // the seat to 乙, the first waiting.
    const x = await call('POST', `/api/v1/registrations/${a.id}/cancel`);
    expectStatus(x, 200, x.text);
    assert.equal(x.body.status, 'cancelled');
    let st = Object.fromEntries((await regs(e.id)).map((g) => [g.id, g.status]));
    assert.deepEqual([st[a.id], st[b.id], st[c.id]], ['cancelled', 'waitlisted', 'registered']);
    expectStatus(await call('POST', `/api/v1/registrations/${c.id}/cancel`), 200);
    st = Object.fromEntries((await regs(e.id)).map((g) => [g.id, g.status]));
    assert.deepEqual([st[a.id], st[b.id], st[c.id]], ['cancelled', 'registered', 'cancelled']);
    const log = await audit();
    assert.ok(log.some((l) => l.action === 'promote' && l.entity_id === c.id), `promote audited: ${JSON.stringify(log.slice(0, 3))}`);
    assert.ok(log.some((l) => l.action === 'cancel' && l.entity_id === a.id), 'cancel audited');
    // A checked-in person is not cancelled; unknown ids are 404.
    expectStatus(await call('POST', `/api/v1/events/${e.id}/attendance`, { registration_id: b.id }), 201);
    const y = await call('POST', `/api/v1/registrations/${b.id}/cancel`);
    expectError(y, 409, 'conflict');
    assert.match(y.body.error.message, HAN);
    expectError(await call('POST', '/api/v1/registrations/999999/cancel'), 404, 'not_found');
    expectError(await call('POST', '/api/v1/registrations/999999/promote'), 404, 'not_found');
    // Coordinators only.
    expectError(await pub('POST', `/api/v1/registrations/${c.id}/cancel`), 401, 'unauthorized');
  });

  test('GET /events/{id}/registrations.csv: BOM, Chinese header, formula-guarded, walk-ins', async () => {
    const e = await mkEvent({ capacity: 1 });
    await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '=HYPERLINK("x")', phone: '13500000001', organisation: '@园岭' });
    await pub('POST', `/api/v1/events/${e.id}/registrations`, { name: '候补者', phone: '13500000002' });
    expectStatus(await call('POST', `/api/v1/events/${e.id}/attendance`, { walk_in: { name: '现场的人' } }), 201);
    const r = await fetch(`${s.url}/api/v1/events/${e.id}/registrations.csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv;\s*charset=utf-8$/i);
    assert.match(r.headers.get('content-disposition') || '', /participants-\d+\.csv/);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], '姓名,状态,手机,邮箱,单位,报名时间,签到时间,考核,分数');
    assert.equal(lines.length, 4);
    assert.ok(lines[1].startsWith('"\'=HYPERLINK(""x"")",已报名,13500000001,,"\'@园岭",'), lines[1]);
    assert.ok(lines[2].startsWith('候补者,候补第 1 位,'), lines[2]);
    assert.ok(lines[3].startsWith('现场的人,现场参加,,,,,'), lines[3]);
    expectError(await call('GET', '/api/v1/events/999999/registrations.csv'), 404, 'not_found');
  });

  test('mark held → undo: back to confirmed while no survey answer exists; 409 in Chinese after one', async () => {
    const tpl = (await call('GET', '/api/v1/survey-templates')).body.items[0];
    assert.ok(tpl, 'a survey template');
    const e = await mkEvent({ start: at(-3 * H), end: at(-1 * H), survey_template_id: tpl.id, public: false });
    const w = await call('POST', `/api/v1/events/${e.id}/attendance`, { walk_in: { name: '来宾' } });
    expectStatus(w, 201);
    expectStatus(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' }), 200);
    // Held stays held through PATCH, said in Chinese.
    const back = await call('PATCH', `/api/v1/events/${e.id}`, { status: 'confirmed' });
    expectError(back, 409, 'conflict');
    assert.match(back.body.error.message, HAN);
    const u = await call('POST', `/api/v1/events/${e.id}/undo-held`);
    expectStatus(u, 200, u.text);
    assert.equal(u.body.status, 'confirmed');
    const hist = (await call('GET', `/api/v1/events/${e.id}/history`)).body.items;
    assert.ok(hist.some((x) => x.kind === 'confirmed' && /撤销/.test(x.reason || '')), JSON.stringify(hist));
    assert.ok((await audit()).some((l) => l.action === 'undo_held' && l.entity_id === e.id), 'audited');
    // Not held: 409 in Chinese.
    const not = await call('POST', `/api/v1/events/${e.id}/undo-held`);
    expectError(not, 409, 'conflict');
    assert.match(not.body.error.message, HAN);
    // Held again; an answer arrives; no undo any more.
    expectStatus(await call('PATCH', `/api/v1/events/${e.id}`, { status: 'held' }), 200);
    const att = (await call('GET', `/api/v1/events/${e.id}/attendance`)).body.items[0];
    const form = await pub('GET', `/api/v1/surveys/${att.survey_token}`);
    expectStatus(form, 200, form.text);
    const answers = {};
    for (const q of form.body.questions) if (q.type === 'likert5') answers[q.id] = 5;
    expectStatus(await pub('POST', '/api/v1/surveys/responses', { token: att.survey_token, answers }), 201);
    const no = await call('POST', `/api/v1/events/${e.id}/undo-held`);
    expectError(no, 409, 'conflict');
    assert.match(no.body.error.message, /问卷/);
    assert.equal((await call('GET', `/api/v1/events/${e.id}`)).body.status, 'held', 'nothing changed');
  });
});
