// The users' wall clock for tests that build dates from now: Asia/Shanghai,
// UTC+8 all year (no daylight saving since 1991), whatever the zone of the
// machine the tests run on.
const H = 3600e3;
const DAY = 24 * H;
export const SHANGHAI = 8 * H;

// The Shanghai date of ms (now by default), YYYY-MM-DD.
export const shanghaiDay = (ms = Date.now()) => new Date(ms + SHANGHAI).toISOString().slice(0, 10);

// How long is left of the day in Shanghai, in ms.
export const leftOfDay = (ms = Date.now()) => DAY - ((ms + SHANGHAI) % DAY);

// For a test that takes "today" from the clock and asserts what the
// server makes of its today (a date not in the future, a close before
// today, today's shifts): with less than `margin` ms left of the day in
// Shanghai, waits until just after midnight, so that the test and the
// server see one day from its start to its end. At most `margin` once a
// day, otherwise nothing.
export async function clearOfMidnight(margin = 60e3) {
  const left = leftOfDay();
  if (left < margin) await new Promise((res) => setTimeout(res, left + 1000));
}
