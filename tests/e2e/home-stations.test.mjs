// Home stations (issue 13, point 7): generation keeps a street
// counsellor at their street's point whenever coverage allows (the
// district hall is shared) and says how many seats went away from home
// and why — docs/api.md "Generation and coverage".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/harness.mjs';
import { expectStatus } from './util.mjs';

test('street counsellors stay at their street; the away count says why', async () => {
  const s = await startServer();
  try {
    const token = await login(s.url);
    const call = (method, path, body) => api(s.url, method, path, { token, body });
    const st = {};
    for (const [code, name, kind] of [['HALL', '区来访接待大厅', 'hall'], ['YL', '园岭街道工作点', 'street'], ['NY', '南园街道工作点', 'street'], ['FB', '福保街道工作点', 'street']]) {
      st[code] = (await call('POST', '/api/v1/stations', { code, name, kind })).body;
      expectStatus(await call('POST', '/api/v1/shift-templates', { station_id: st[code].id, weekdays: [1, 2, 3, 4, 5], start: code === 'HALL' ? '08:30' : '09:00', end: code === 'HALL' ? '17:30' : '17:00', required: code === 'HALL' ? 2 : 1 }), 201);
    }
    const home = {};
    // two per street (FB has nobody of its own), one at the hall
    for (const [i, [name, code]] of [['陈老师', 'YL'], ['黄老师', 'YL'], ['张老师', 'NY'], ['李老师', 'NY'], ['王老师', 'HALL'], ['周老师', 'HALL']].entries()) {
      const r0 = await call('POST', '/api/v1/counsellors', { name, email: `c${i}@example.org`, home_station_id: st[code].id, max_weekly_hours: 60 });
      expectStatus(r0, 201, name);
      const c = r0.body;
      home[c.id] = st[code].id;
    }
    const r = await call('POST', '/api/v1/rosters/generate', { from: '2027-06-07', to: '2027-06-11' });
    expectStatus(r, 200, 'generate');
    const shifts = (await call('GET', '/api/v1/shifts?from=2027-06-07&to=2027-06-11&limit=500')).body.items;
    let away = 0;
    for (const x of shifts) {
      if (x.station_id === st.YL.id || x.station_id === st.NY.id) {
        assert.equal(home[x.counsellor_id], x.station_id, `${x.station_name} ${x.start}: its own counsellor (${x.counsellor_name})`);
      }
      if (x.counsellor_id && home[x.counsellor_id] !== x.station_id) away++;
    }
    assert.equal(r.body.away_from_home.total, away, 'the count matches the roster');
    // FB is nobody's home: 5 seats from elsewhere; the hall's 10 seats: 2 of its own
    // counsellors each day, never a street's while the street needed them
    assert.equal(r.body.away_from_home.by_reason.no_own_counsellors, 5);
    assert.equal(r.body.away_from_home.by_reason.own_unavailable, 0);
    assert.equal(r.body.away_from_home.by_reason.shared_station, away - 5);
    // the street's counsellor on leave: that seat is taken by someone else, and said
    const cs = (await call('GET', '/api/v1/counsellors?limit=50')).body.items;
    for (const c of cs.filter((c) => home[c.id] === st.YL.id)) {
      expectStatus(await call('POST', '/api/v1/availability', { counsellor_id: c.id, start: '2027-06-14T00:00:00+08:00', end: '2027-06-15T00:00:00+08:00', reason: '培训' }), 201);
    }
    const r2 = await call('POST', '/api/v1/rosters/generate', { from: '2027-06-14', to: '2027-06-14' });
    expectStatus(r2, 200);
    assert.equal(r2.body.away_from_home.by_reason.own_unavailable, 1, 'YL\'s seat, both of its own on leave');
  } finally {
    await s.stop();
  }
});
