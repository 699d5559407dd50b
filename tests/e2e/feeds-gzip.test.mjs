// Feeds' gzip forms from joined chunks (issue 15, svc/core/gzjoin.c):
// a feed of a few hundred events (several chunks) is gzipped whole
// once; after one event is renamed, inserted or removed, the next gzip
// form reuses most chunks of the last one (/metrics counts them) and
// still inflates to exactly the plain feed of the same moment; a 304
// on the gzip ETag, a gzip form of unchanged text reuses everything.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer, api, login } from '../lib/harness.mjs';

const N = 900;

function get(base, path, headers = {}) {
  return new Promise((res, rej) => {
    const r = http.request(new URL(path, base), { headers }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => res({ status: resp.statusCode, headers: resp.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', rej);
    r.end();
  });
}

const pad = (n) => String(n).padStart(2, '0');
function day(offset) {
  const t = new Date(Date.now() + 8 * 3600e3 + offset * 86400e3);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

describe('feed gzip from chunks', () => {
  let srv, base, token, station;
  const ids = [];
  const feed = '/feeds/events.ics';

  async function metrics() {
    const r = await api(base, 'GET', '/metrics', { token });
    assert.equal(r.status, 200);
    const text = r.text;
    const val = (re) => Number((text.match(re) || [])[1]);
    return {
      reused: val(/^hearth_feed_gzip_chunks_total\{result="reused"\} (\d+)$/m),
      made: val(/^hearth_feed_gzip_chunks_total\{result="made"\} (\d+)$/m),
      deflated: val(/^hearth_feed_gzip_deflated_bytes_total (\d+)$/m),
    };
  }

  // The plain feed and its gzip form agree; returns the metrics' change.
  async function check(label) {
    const m0 = await metrics();
    const plain = await get(base, feed);
    assert.equal(plain.status, 200, label);
    const gz = await get(base, feed, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.status, 200, label);
    assert.equal(gz.headers['content-encoding'], 'gzip', label);
    assert.ok(gunzipSync(gz.body).equals(plain.body), `${label}: the gzip form inflates to the plain feed`);
    const m1 = await metrics();
    return { reused: m1.reused - m0.reused, made: m1.made - m0.made, deflated: m1.deflated - m0.deflated, size: plain.body.length, gz };
  }

  before(async () => {
    srv = await startServer();
    base = srv.url;
    token = await login(base);
    const s = await api(base, 'POST', '/api/v1/stations', { token, body: { code: 'gzjoin', name: '压缩站', kind: 'street' } });
    assert.equal(s.status, 201, s.text);
    station = s.body.id;
    let next = 0;
    const one = async () => {
      while (next < N) {
        const i = next++;
        const h = ['08:00', '13:00', '16:00', '19:00'][i % 4];
        const end = `${pad(Number(h.slice(0, 2)) + 1)}${h.slice(2)}`;
        const d = day(Math.floor(i / 4) - 60);
        const r = await api(base, 'POST', '/api/v1/events', {
          token,
          body: {
            kind: 'lecture', title: `情绪调适与压力管理（第${i + 1}期）`,
            description: '面向社区居民的专题活动，内容包括案例分享、小组讨论与现场答疑。请提前十分钟到场签到。',
            station_id: station, venue: `${(i % 4) + 1}号活动室`,
            start: `${d}T${h}:00+08:00`, end: `${d}T${end}:00+08:00`, public: true,
          },
        });
        assert.equal(r.status, 201, r.text);
        ids[i] = r.body.id;
      }
    };
    await Promise.all([one(), one(), one(), one()]);
  });
  after(async () => { await srv?.stop(); });

  test('one change deflates a few chunks again, the rest are reused, the bytes stay right', async () => {
    const first = await check('first');
    assert.ok(first.size > 400000, `a feed of several chunks (${first.size} bytes)`);
    assert.ok(first.made >= 5, `made ${first.made}`);
    assert.equal(first.reused, 0);
    assert.equal(first.deflated, first.size);

    // Unchanged text (a write elsewhere moves the revision): all reused.
    const s = await api(base, 'POST', '/api/v1/stations', { token, body: { code: 'other', name: '别的站', kind: 'street' } });
    assert.equal(s.status, 201, s.text);
    const same = await check('a write elsewhere');
    assert.equal(same.made, 0);
    assert.equal(same.reused, first.made);
    assert.ok(same.gz.body.equals(first.gz.body), 'the same gzip bytes');

    const steps = [
      ['rename', () => api(base, 'PATCH', `/api/v1/events/${ids[Math.floor(N / 2)]}`, { token, body: { title: '改名：睡眠与心理健康' } })],
      ['insert', () => api(base, 'POST', '/api/v1/events', {
        token,
        body: {
          kind: 'salon', title: '新增：家庭关系与亲子沟通', station_id: station, venue: '5号活动室',
          start: `${day(-30)}T10:00:00+08:00`, end: `${day(-30)}T11:00:00+08:00`, public: true,
        },
      })],
      // Made internal: it leaves the public feed.
      ['remove', () => api(base, 'PATCH', `/api/v1/events/${ids[Math.floor(N / 3)]}`, { token, body: { public: false } })],
    ];
    for (const [label, change] of steps) {
      const r = await change();
      assert.ok([200, 201, 204].includes(r.status), `${label}: ${r.status} ${r.text}`);
      const c = await check(label);
      assert.ok(c.made >= 1 && c.made <= 3, `${label}: made ${c.made}`);
      assert.ok(c.reused >= 3 && c.reused >= first.made - 3, `${label}: reused ${c.reused} of about ${first.made}`);
      // At most three chunks of at most 128 KiB each.
      assert.ok(c.deflated <= 3 * 131072, `${label}: deflated ${c.deflated} of ${c.size} bytes`);
    }

    // A 304 on the gzip ETag.
    const gz = await get(base, feed, { 'Accept-Encoding': 'gzip' });
    const nm = await get(base, feed, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
    assert.equal(nm.status, 304);
    assert.equal(nm.body.length, 0);
  });
});
