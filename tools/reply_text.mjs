// The texts a user can read in Hearth's error replies, read from the C
// sources: the message (format) argument of every http_reply_errorf,
// api_reply_not_found, api_reply_rate_limited, api_reply_deleted,
// api_delete_by_id, error_set and field_bad (core/valid.c) call under
// svc/api, svc/core, svc/service and svc/http. Every such text is Chinese: the
// check (tests/unit/reply_zh.test.mjs, make shape-check) fails on a
// literal that reads as an English sentence, so one cannot come back.
// api_reply_internal's argument is a log text, not a reply: not read.
//
// Run directly, prints every English-looking literal with its place:
//   node tools/reply_text.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIRS = ['svc/api', 'svc/core', 'svc/service', 'svc/http'];

// Call name → index (0-based) of the message argument.
export const CALLS = {
  http_reply_errorf: 3,
  error_set: 3,
  api_reply_not_found: 2,
  api_reply_rate_limited: 2,
  api_reply_deleted: 5,
  field_bad: 2,
  api_delete_by_id: 3,
};

// Splits the text of an argument list (after the opening parenthesis)
// into its top-level arguments; stops at the closing parenthesis.
function splitArgs(src, from) {
  const args = [];
  let depth = 0;
  let cur = '';
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      cur += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') {
      if (depth === 0) {
        args.push(cur.trim());
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  return args;
}

// The string literals of an argument, joined (C concatenates them).
function literalOf(arg) {
  const parts = arg.match(/"(?:[^"\\]|\\.)*"/g);
  if (!parts) return null;
  return parts.map((p) => p.slice(1, -1)).join('');
}

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
}

// Every message literal of the calls above: {file, line, call, text}.
// A message passed as a variable has text null.
export function replyTexts(root = ROOT) {
  const out = [];
  const re = new RegExp(`\\b(${Object.keys(CALLS).join('|')})\\s*\\(`, 'g');
  for (const dir of DIRS) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (!f.endsWith('.c')) continue;
      const src = stripComments(readFileSync(join(root, dir, f), 'utf8'));
      let m;
      while ((m = re.exec(src)) !== null) {
        // A definition (the name at the start of a line) is no call.
        const lineStart = src.lastIndexOf('\n', m.index) + 1;
        if (m.index === lineStart) continue;
        const args = splitArgs(src, m.index + m[0].length);
        const arg = args[CALLS[m[1]]];
        if (arg === undefined) continue;
        const line = src.slice(0, m.index).split('\n').length;
        out.push({ file: `${dir}/${f}`, line, call: m[1],
          text: literalOf(arg) });
      }
    }
  }
  return out;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

// True when a message text reads as English: it has no Chinese character
// and a word of three or more Latin letters (format directives and
// field names such as "starts_at" left out), or it has a run of two
// English words in a row outside quotes (an English clause glued to
// Chinese).
export function readsEnglish(text) {
  if (text === null) return false;
  const bare = text
    .replace(/%[-+ #0-9.*]*(?:l|ll|z|j|h|hh|PRI[a-zA-Z0-9]+)?[a-zA-Z]/g, ' ')
    .replace(/\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g, ' ') // field_names
    .replace(/“[^”]*”|「[^」]*」|"[^"]*"|'[^']*'/g, ' ');
  if (!CJK.test(bare)) return /[A-Za-z]{3,}/.test(bare);
  return /\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/.test(bare);
}

export function englishReplies(root = ROOT) {
  return replyTexts(root).filter((t) => readsEnglish(t.text));
}

if (process.argv[1] && resolve(process.argv[1]) ===
    fileURLToPath(import.meta.url)) {
  const bad = englishReplies();
  for (const b of bad) console.log(`${b.file}:${b.line}: ${b.call}: ${b.text}`);
  const all = replyTexts();
  console.log(`${all.length} reply texts, ${bad.length} read as English`);
}
