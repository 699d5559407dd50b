// A registration's duplicate check by index (issue 15, regidx; migration
// 019), through the real binary on either store: registrations whose
// keys are NULL, as migration 019 leaves the rows of an older database,
// get them at the next start (before serving; logged once, then nothing
// to do), and their duplicates are found by the index with the replies
// of before: the same e-mail in other case and blanks, the same mobile
// with +86 and dashes; a cancelled registration is no duplicate.
// (tests/unit/test_regkeys.c starts from a database made at migration
// 018 itself, on both engines.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, sqlRun } from '../lib/harness.mjs';
import { expectStatus, requestFrom, at, H, D } from './util.mjs';

test('rows without keys get them at start and their duplicates are found', async () => {
  let s = await startServer({ demo: true });
  let addr = 20;
  const from = () => `127.0.0.${++addr}`;
  const register = (url, ev, body) =>
    requestFrom(url, 'POST', `/api/v1/events/${ev}/registrations`, { body, from: from() });
  let ev, cancelled;
  try {
    const token = await login(s.url);
    const e = await api(s.url, 'POST', '/api/v1/events', {
      token,
      body: { kind: 'lecture', title: '报名查重', start: at(5 * D), end: at(5 * D + 2 * H), public: true, capacity: 1 },
    });
    expectStatus(e, 201, 'create event');
    ev = e.body.id;
    expectStatus(await register(s.url, ev, { name: '甲', email: 'Li.Wei@Example.com' }), 201, 'first');
    expectStatus(await register(s.url, ev, { name: '乙', phone: '+86 138-0013-8000' }), 201, 'second (waitlisted)');
    const c = await register(s.url, ev, { name: '丙', email: 'gone@example.cn' });
    expectStatus(c, 201, 'third');
    cancelled = c.body.token;
    expectStatus(await api(s.url, 'DELETE', `/api/v1/registrations/${cancelled}`), 200, 'cancel the third');
  } finally {
    await s.stop({ keep: true });
  }

  // The rows as migration 019 leaves an older database's: no keys.
  sqlRun(s.db, 'UPDATE registrations SET email_key = NULL, phone_key = NULL');
  assert.equal(sqlRun(s.db, 'SELECT count(*) FROM registrations WHERE email_key IS NULL'), '3');

  s = await startServer({ dir: s.dir });
  try {
    assert.match(s.log(), /msg="store: registration keys filled" rows=3/);
    assert.equal(sqlRun(s.db, 'SELECT count(*) FROM registrations WHERE email_key IS NULL OR phone_key IS NULL'), '0');

    const a = await register(s.url, ev, { name: '甲', email: ' li.wei@EXAMPLE.com ' });
    expectStatus(a, 200, 'the same e-mail');
    assert.equal(a.body.already_registered, true);
    assert.equal(a.body.status, 'registered');
    assert.equal(a.body.message, '您已经报过名了，名额保留，不需要再报名；报名确认已在第一次报名时发出');
    assert.equal(a.body.token, undefined, 'no token to whoever types the address');

    const b = await register(s.url, ev, { name: '乙', phone: '13800138000', email: 'new@example.cn' });
    expectStatus(b, 200, 'the same mobile');
    assert.equal(b.body.status, 'waitlisted');
    assert.equal(b.body.message, '您已经报过名了（在候补名单上），不需要再报名；有空位时会通知您');

    // Cancelled: a new registration (and it gets its keys at insert).
    const c = await register(s.url, ev, { name: '丙', email: 'GONE@example.cn' });
    expectStatus(c, 201, 'after a cancellation');
    assert.equal(sqlRun(s.db, `SELECT email_key || '|' || phone_key FROM registrations WHERE token = '${c.body.token}'`),
      'gone@example.cn|');
    assert.equal(sqlRun(s.db, 'SELECT count(*) FROM registrations'), '4');
  } finally {
    await s.stop({ keep: true });
  }

  // Once only: the next start has nothing to fill.
  s = await startServer({ dir: s.dir });
  try {
    assert.doesNotMatch(s.log(), /registration keys filled/);
  } finally {
    await s.stop();
  }
});
