// Reads a Hearth feed with ical.js (Thunderbird's parser, the strictest
// we have) and checks that every VEVENT's start is in a real zone (the
// VTIMEZONE we ship, plain IANA TZID) and lands on the right instant.
//
//   make build/test/test_ical_build && node tests/unit/ical_js_check.mjs
//   node tests/unit/ical_js_check.mjs some-feed.ics [Asia/Shanghai]
//
// With no file it runs build/test/test_ical_build with HICAL_FEED_OUT to
// get the unit test's feed and also checks the instants that test built.
// Each event's instant is checked against Node's own tz database (ICU),
// which shares no code with libical or ical.js. Run by hand for now.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';

// The UTC instants test_feed (tests/unit/test_ical_build.c) builds.
const KNOWN = {
  'event-12@hearth.example': { start: '2026-03-02T01:00:00Z', end: '2026-03-02T02:30:00Z' },
  'event-13@hearth.example': { start: '2026-03-03T01:00:00Z', end: '2026-03-03T02:00:00Z' },
};

function feedFromTest() {
  const dir = mkdtempSync(join(tmpdir(), 'hical-js-'));
  const out = join(dir, 'feed.ics');
  try {
    execFileSync('build/test/test_ical_build', {
      env: { ...process.env, HICAL_FEED_OUT: out, ASAN_OPTIONS: 'detect_leaks=0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Offset of zone at instant ms, in ms, by ICU.
function icuOffset(ms, zone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const f = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - ms;
}

// The instant of wall-clock time t (an ICAL.Time) in zone, by ICU.
function icuInstant(t, zone) {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  let ms = wall - icuOffset(wall, zone);
  ms = wall - icuOffset(ms, zone);
  return ms;
}

const file = process.argv[2];
const text = file ? readFileSync(file, 'utf8') : feedFromTest();
const wantZone = process.argv[3] ?? 'Asia/Shanghai';
const failures = [];
const fail = (msg) => failures.push(msg);

if (!text.includes('\r\n') || /[^\r]\n/.test(text)) fail('line endings are not CRLF');
const cal = new ICAL.Component(ICAL.parse(text));
if (cal.name !== 'vcalendar') fail(`top component is ${cal.name}`);

const zones = cal.getAllSubcomponents('vtimezone');
for (const vtz of zones) {
  const tzid = vtz.getFirstPropertyValue('tzid');
  if (tzid.includes('freeassociation')) fail(`prefixed TZID ${tzid}`);
  ICAL.TimezoneService.register(vtz);
}

const events = cal.getAllSubcomponents('vevent');
if (events.length === 0) fail('no VEVENT');
let checked = 0;
let passed = 0;
for (const ve of events) {
  const ev = new ICAL.Event(ve);
  for (const [name, t] of [['start', ev.startDate], ['end', ev.endDate]]) {
    const where = `${ev.uid} ${name}`;
    const before = failures.length;
    checked++;
    // ical.js 2.x keeps the zone as t.zone (1.x had t.timezone too).
    const tzid = t.zone?.tzid ?? t.timezone;
    if (tzid !== wantZone) {
      fail(`${where}: zone ${tzid}, want ${wantZone}`);
      continue;
    }
    if (!t.zone.component) fail(`${where}: zone not resolved to a VTIMEZONE`);
    const got = t.toJSDate().getTime();
    const icu = icuInstant(t, wantZone);
    if (got !== icu) {
      fail(`${where}: ical.js ${new Date(got).toISOString()}, ICU ${new Date(icu).toISOString()}`);
    }
    const known = KNOWN[ev.uid]?.[name];
    if (!file && known && got !== Date.parse(known)) {
      fail(`${where}: ${new Date(got).toISOString()}, built for ${known}`);
    }
    if (failures.length === before) passed++;
  }
}
if (!file && events.length !== Object.keys(KNOWN).length) fail(`${events.length} events, want 2`);

if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`${passed} passed, ${checked - passed || failures.length} failed`);
  process.exit(1);
}
console.log(`ical.js: ${events.length} events, ${zones.length} VTIMEZONE, instants agree with ICU`);
console.log(`${passed} passed, 0 failed`);
