// QR codes (ISO/IEC 18004) drawn in the browser: byte mode, error
// correction level M (as the server's libqrencode codes use), versions
// 1–40. For links the server has no QR image of (an event's anonymous
// survey link, a page's own address). Importing this module does nothing.
//
// qrMatrix('https://…') → {version, size, mask, modules} where modules[y][x]
// is true for a dark module; qrSvg(matrix, {quiet, label}) → an <svg> node
// (one path, crisp edges, white background).
import { svgShapes } from './dom.js';

// Level M, per version (index 1–40): error correction codewords per block
// and the number of blocks.
const ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26,
  28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
const FORMAT_M = 0; // the two bits of level M in the format information

// Modules that carry data (and error correction) in a symbol of version v.
function rawModules(v) {
  let n = (16 * v + 128) * v + 64;
  if (v >= 2) {
    const align = Math.floor(v / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (v >= 7) n -= 36;
  }
  return n;
}

const dataCodewords = (v) => Math.floor(rawModules(v) / 8) - ECC_PER_BLOCK[v] * BLOCKS[v];

/* ------------------------------------------------- Reed–Solomon, GF(256) */

function gfMul(a, b) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((b >>> i) & 1) * a;
  }
  return z & 0xff;
}

// The divisor polynomial of degree n (coefficients, highest first, the
// leading 1 left out).
function rsDivisor(n) {
  const r = new Array(n).fill(0);
  r[n - 1] = 1;
  let root = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      r[j] = gfMul(r[j], root);
      if (j + 1 < n) r[j] ^= r[j + 1];
    }
    root = gfMul(root, 0x02);
  }
  return r;
}

function rsRemainder(data, divisor) {
  const r = new Array(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ r.shift();
    r.push(0);
    for (let i = 0; i < divisor.length; i++) r[i] ^= gfMul(divisor[i], factor);
  }
  return r;
}

/* ------------------------------------------------------------- codewords */

function encodeData(bytes, v) {
  const bits = [];
  const put = (val, len) => { for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1); };
  put(0x4, 4); // byte mode
  put(bytes.length, v < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCodewords(v) * 8;
  put(0, Math.min(4, capacity - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
  const out = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let j = 0; j < 8; j++) b = (b << 1) | bits[i + j];
    out.push(b);
  }
  return out;
}

// Splits into blocks, adds each block's error correction, interleaves.
function withEcc(data, v) {
  const nBlocks = BLOCKS[v];
  const ecc = ECC_PER_BLOCK[v];
  const total = Math.floor(rawModules(v) / 8);
  const nShort = nBlocks - (total % nBlocks);
  const shortLen = Math.floor(total / nBlocks);
  const divisor = rsDivisor(ecc);
  const blocks = [];
  for (let i = 0, k = 0; i < nBlocks; i++) {
    const len = shortLen - ecc + (i < nShort ? 0 : 1);
    const dat = data.slice(k, k + len);
    k += len;
    blocks.push({ dat, ecc: rsRemainder(dat, divisor) });
  }
  const out = [];
  for (let i = 0; i <= shortLen - ecc; i++) for (const b of blocks) if (i < b.dat.length) out.push(b.dat[i]);
  for (let i = 0; i < ecc; i++) for (const b of blocks) out.push(b.ecc[i]);
  return out;
}

/* --------------------------------------------------------------- drawing */

function alignmentPositions(v, size) {
  if (v === 1) return [];
  const n = Math.floor(v / 7) + 2;
  const step = v === 32 ? 26 : Math.ceil((v * 4 + 4) / (n * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < n; pos -= step) out.splice(1, 0, pos);
  return out;
}

function bchFormat(mask) {
  const data = (FORMAT_M << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

function build(v, codewords, mask) {
  const size = v * 4 + 17;
  const mod = Array.from({ length: size }, () => new Array(size).fill(false));
  const fn = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, dark) => { mod[y][x] = dark; fn[y][x] = true; };

  for (let i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
  const finder = (cx, cy) => {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(x, y, d !== 2 && d !== 4);
      }
    }
  };
  finder(3, 3);
  finder(size - 4, 3);
  finder(3, size - 4);
  const pos = alignmentPositions(v, size);
  for (let i = 0; i < pos.length; i++) {
    for (let j = 0; j < pos.length; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === pos.length - 1) || (i === pos.length - 1 && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(pos[i] + dx, pos[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  // format areas (filled for real below) and version information
  // the format areas are reserved here and written once the mask is known
  for (let i = 0; i <= 8; i++) if (i !== 6) { set(8, i, false); set(i, 8, false); }
  for (let i = 0; i < 8; i++) { set(size - 1 - i, 8, false); set(8, size - 1 - i, false); }
  if (v >= 7) {
    let rem = v;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (v << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }
  // data, in the zigzag from the bottom right
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const up = ((right + 1) & 2) === 0;
        const y = up ? size - 1 - vert : vert;
        if (!fn[y][x] && i < codewords.length * 8) {
          mod[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
          i++;
        }
      }
    }
  }
  const masked = (m) => {
    const out = mod.map((row) => row.slice());
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!fn[y][x] && MASKS[m](x, y)) out[y][x] = !out[y][x];
    return out;
  };
  const withFormat = (grid, m) => {
    const bits = bchFormat(m);
    const bit = (k) => ((bits >>> k) & 1) === 1;
    const put = (x, y, d) => { grid[y][x] = d; };
    for (let k = 0; k <= 5; k++) put(8, k, bit(k));
    put(8, 7, bit(6));
    put(8, 8, bit(7));
    put(7, 8, bit(8));
    for (let k = 9; k < 15; k++) put(14 - k, 8, bit(k));
    for (let k = 0; k < 8; k++) put(size - 1 - k, 8, bit(k));
    for (let k = 8; k < 15; k++) put(8, size - 15 + k, bit(k));
    put(8, size - 8, true);
    return grid;
  };
  if (mask != null) return { size, mask, modules: withFormat(masked(mask), mask) };
  let best = null;
  for (let m = 0; m < 8; m++) {
    const grid = withFormat(masked(m), m);
    const score = penalty(grid);
    if (!best || score < best.score) best = { score, mask: m, modules: grid };
  }
  return { size, mask: best.mask, modules: best.modules };
}

// The mask penalty of ISO/IEC 18004 §7.8.3 (lower is better).
export function penalty(grid) {
  const size = grid.length;
  let score = 0;
  const lines = [];
  for (let y = 0; y < size; y++) lines.push(grid[y]);
  for (let x = 0; x < size; x++) lines.push(grid.map((row) => row[x]));
  for (const line of lines) {
    // runs of five or more
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++;
      else { if (run >= 5) score += 3 + (run - 5); run = 1; }
    }
    // 1:1:3:1:1 with four light modules on one side
    const at = (i) => (i >= 0 && i < size ? line[i] : false);
    for (let i = 0; i + 7 <= size; i++) {
      if (at(i) && !at(i + 1) && at(i + 2) && at(i + 3) && at(i + 4) && !at(i + 5) && at(i + 6)) {
        const before = !at(i - 1) && !at(i - 2) && !at(i - 3) && !at(i - 4);
        const after = !at(i + 7) && !at(i + 8) && !at(i + 9) && !at(i + 10);
        if (before || after) score += 40;
      }
    }
  }
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = grid[y][x];
      if (c === grid[y][x + 1] && c === grid[y + 1][x] && c === grid[y + 1][x + 1]) score += 3;
    }
  }
  let dark = 0;
  for (const row of grid) for (const c of row) if (c) dark++;
  const total = size * size;
  score += (Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1) * 10;
  return score;
}

// The symbol of text (UTF-8), the smallest version at level M. opts.mask
// (0–7) forces a mask instead of choosing the one with the lowest penalty.
export function qrMatrix(text, opts = {}) {
  const bytes = [...new TextEncoder().encode(String(text))];
  let v = 1;
  while (v <= 40 && 4 + (v < 10 ? 8 : 16) + bytes.length * 8 > dataCodewords(v) * 8) v++;
  if (v > 40) throw new RangeError('text too long for a QR code');
  const codewords = withEcc(encodeData(bytes, v), v);
  const { size, mask, modules } = build(v, codewords, opts.mask);
  return { version: v, size, mask, modules };
}

// An <svg> of the matrix: quiet zone of 4 modules, one path, label as the
// accessible name.
export function qrSvg(matrix, { quiet = 4, label = '' } = {}) {
  const n = matrix.size + quiet * 2;
  let d = '';
  matrix.modules.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x + quiet} ${y + quiet}h1v1h-1z`; }));
  return svgShapes(`0 0 ${n} ${n}`, [['rect', { width: '100%', height: '100%', fill: '#fff' }], ['path', { d, fill: '#000' }]],
    { 'shape-rendering': 'crispEdges', role: 'img', 'aria-label': label || null });
}
