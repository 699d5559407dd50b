// Fills the counsellor feed of `make bench`: N items (default 2,000) for
// counsellor 1 inside the feed's window, each day four one-hour events
// they speak at (08:00, 13:00, 16:00, 19:00 Beijing time, none
// overlapping) and one two-hour shift (10:30), from 80 days back on, at
// the 13 demo stations in turn; a third of the events public, the rest
// internal; titles and descriptions of a realistic length.
//
// Usage: node bench/feed_setup.mjs BASE_URL TOKEN [N]
// Prints "FEED-SETUP events=E shifts=S seconds=T".
const [base, token, nArg] = process.argv.slice(2);
const total = Number(nArg || 2000);
const auth = { authorization: `Bearer ${token}` };

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body ? { ...auth, 'content-type': 'application/json' } : auth,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60000),
  });
  const text = await res.text();
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const pad = (n) => String(n).padStart(2, '0');
// The Beijing-time day `offset` days from today, as YYYY-MM-DD.
function day(offset) {
  const t = new Date(Date.now() + 8 * 3600e3 + offset * 86400e3);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

const kinds = ['lecture', 'salon', 'training', 'group', 'activity'];
const topics = ['情绪调适与压力管理', '信访接待中的沟通技巧', '家庭关系与亲子沟通',
  '睡眠与心理健康', '社区居民心理支持', '危机识别与转介'];

const started = Date.now();
const stations = (await call('GET', '/api/v1/stations?limit=100')).items;
const items = [];
for (let d = -80, i = 0; items.length < total; d++) {
  for (const h of ['08:00', '13:00', '16:00', '19:00']) {
    if (items.length >= total) break;
    const end = `${pad(Number(h.slice(0, 2)) + 1)}${h.slice(2)}`;
    const st = stations[i % stations.length];
    items.push(['POST', '/api/v1/events', {
      kind: kinds[i % kinds.length],
      title: `${topics[i % topics.length]}（第${i + 1}期）`,
      description: `面向${st.name}及周边社区的${topics[(i + 2) % topics.length]}专题活动，` +
        '内容包括案例分享、小组讨论与现场答疑。请提前十分钟到场签到。',
      station_id: st.id, venue: `${(i % 4) + 1}号活动室`,
      start: `${day(d)}T${h}:00+08:00`, end: `${day(d)}T${end}:00+08:00`,
      public: i % 3 === 0, speaker_ids: [1], status: i % 2 ? 'confirmed' : 'planned',
    }]);
    i++;
  }
  if (items.length < total) {
    const st = stations[(d + 1000) % stations.length];
    items.push(['POST', '/api/v1/shifts', {
      station_id: st.id, counsellor_id: 1,
      start: `${day(d)}T10:30:00+08:00`, end: `${day(d)}T12:30:00+08:00`,
      status: 'confirmed', note: d % 5 === 0 ? '请携带值班记录本' : undefined,
    }]);
  }
}
// A few at a time: writes are serialized by the server anyway.
let next = 0, events = 0, shifts = 0;
async function worker() {
  while (next < items.length) {
    const [method, path, body] = items[next++];
    await call(method, path, body);
    if (path.endsWith('events')) events++; else shifts++;
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
console.log(`FEED-SETUP events=${events} shifts=${shifts} seconds=${((Date.now() - started) / 1000).toFixed(1)}`);
