// Dates, periods and numbers as the reports write them: validation of
// YYYY-MM-DD, years and quarters as from–to ranges, the kind of a range
// and its words (2026年第三季度, Q3 2026), numbers rounded for tables.
// Pure functions: importing this module does nothing.

const pad2 = (n) => String(n).padStart(2, '0');
const QZH = ['', '一', '二', '三', '四'];
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function validDate(s) {
  if (!DATE_RE.test(s || '')) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function lastDay(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function yearRange(y) {
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

export function quarterRange(y, q) {
  const m1 = (q - 1) * 3 + 1;
  return { from: `${y}-${pad2(m1)}-01`, to: `${y}-${pad2(m1 + 2)}-${lastDay(y, m1 + 2)}` };
}

// What a from–to range is: {kind: 'year'|'half'|'quarter'|'month'|'custom', y, q?, h?, m?}
export function periodKind(from, to) {
  if (!validDate(from) || !validDate(to)) return { kind: 'custom' };
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  if (y1 !== y2 || d1 !== 1 || d2 !== lastDay(y2, m2)) return { kind: 'custom' };
  if (m1 === 1 && m2 === 12) return { kind: 'year', y: y1 };
  if ((m1 === 1 && m2 === 6) || (m1 === 7 && m2 === 12)) return { kind: 'half', y: y1, h: m1 === 1 ? 1 : 2 };
  if ((m1 - 1) % 3 === 0 && m2 === m1 + 2) return { kind: 'quarter', y: y1, q: (m1 - 1) / 3 + 1 };
  if (m1 === m2) return { kind: 'month', y: y1, m: m1 };
  return { kind: 'custom' };
}

export function zhDate(s) {
  const [y, m, d] = s.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// The period in words, as the reports name it: 2026年度, 2026年第三季度,
// 2022年下半年, 2026年3月, 2026年3月5日至2026年6月30日.
export function periodWordsZh(from, to) {
  const p = periodKind(from, to);
  switch (p.kind) {
    case 'year': return `${p.y}年度`;
    case 'half': return `${p.y}年${p.h === 1 ? '上' : '下'}半年`;
    case 'quarter': return `${p.y}年第${QZH[p.q]}季度`;
    case 'month': return `${p.y}年${p.m}月`;
    default: return validDate(from) && validDate(to) ? `${zhDate(from)}至${zhDate(to)}` : `${from}–${to}`;
  }
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function periodWordsEn(from, to) {
  const p = periodKind(from, to);
  switch (p.kind) {
    case 'year': return `${p.y}`;
    case 'half': return `${p.h === 1 ? 'First' : 'Second'} half of ${p.y}`;
    case 'quarter': return `Q${p.q} ${p.y}`;
    case 'month': return `${MONTHS_EN[p.m - 1]} ${p.y}`;
    default: return `${from} – ${to}`;
  }
}

export function periodWords(from, to, lang) {
  return lang === 'en' ? periodWordsEn(from, to) : periodWordsZh(from, to);
}

/* ------------------------------------------------------------- numbers */

// 41.2 → "41.2", 45.666 → "45.67", 5 → "5"
export function fmtNum(v, digits = 2) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  const f = 10 ** digits;
  return String(Math.round(v * f) / f);
}
