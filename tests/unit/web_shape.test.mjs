// The shape of the front end (web/), checked without a browser so that it
// cannot drift back (issue 14):
//   - one h(), one t(), one API client: only web/lib/ builds nodes from
//     scratch, translates, fetches or keeps the language choice; no HTML
//     from strings anywhere;
//   - web/lib/ imports only web/lib/, declares and runs nothing at its top
//     level, and is imported here with no DOM at all without touching one;
//   - every view (a script that calls registerView) has its own message
//     file <name>-i18n.js and imports it; every message file belongs to the
//     script of its name; strings are added by message files only, in both
//     languages; on one page no key is defined twice; every key a script
//     names literally is defined by a message file that script loads;
//   - every relative import names a script of web/ and names it exports
//     (a view merged from another branch that still imports h from app.js
//     fails here, not in the browser); the HTML pages load module scripts
//     that exist and no inline script.
// Run: make web-check   (node --test tests/unit/web_shape.test.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, relative, basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = join(ROOT, 'web');

// Every script of ours under web/ (the vendor copies are not ours).
function scripts(dir = WEB) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'vendor') out.push(...scripts(p)); } else if (e.name.endsWith('.js')) out.push(p);
  }
  return out.sort();
}
const FILES = scripts();
const rel = (p) => relative(WEB, p);
const src = new Map(FILES.map((p) => [p, readFileSync(p, 'utf8')]));
const isLib = (p) => rel(p).startsWith('lib/');
const isMessages = (p) => p.endsWith('-i18n.js');

// The source without comments and (unless keepStrings) without the text
// of string literals and templates, so that a rule does not fire on prose;
// line breaks kept.
function code(text, keepStrings = false) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    const n = text[i + 1];
    if (c === '/' && n === '/') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '/' && n === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j < 0 ? text.length : j + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
      continue;
    }
    if (c === '\'' || c === '"' || c === '`') {
      out += c;
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') { out += keepStrings ? text.slice(i, i + 2) : '  '; i += 2; continue; }
        out += text[i] === '\n' || keepStrings ? text[i] : ' ';
        i++;
      }
      out += c;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
const bare = new Map(FILES.map((p) => [p, code(src.get(p))]));
const noComments = new Map(FILES.map((p) => [p, code(src.get(p), true)]));

function where(p, text, index) {
  return `${rel(p)}:${text.slice(0, index).split('\n').length}`;
}

function findAll(re, files, texts = bare) {
  const hits = [];
  for (const p of files) {
    const text = texts.get(p);
    for (const m of text.matchAll(re)) hits.push(`${where(p, text, m.index)}: ${m[0].trim()}`);
  }
  return hits;
}

/* ---------------------------------------------------- imports and exports */

// {names: Set, star: [spec]} of what a module exports.
function exportsOf(p) {
  const text = src.get(p);
  const names = new Set();
  const star = [];
  for (const m of text.matchAll(/^export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/^export\s+(?:const|let|var)\s+\{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) { const n = part.split(':').pop().trim(); if (n) names.add(n); }
  }
  for (const m of text.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) {
      const n = part.trim().split(/\s+as\s+/).pop().trim();
      if (n) names.add(n);
    }
  }
  for (const m of text.matchAll(/^export\s+default\b/gm)) { if (m) names.add('default'); }
  for (const m of text.matchAll(/^export\s+\*\s+from\s+['"]([^'"]+)['"]/gm)) star.push(m[1]);
  return { names, star };
}

function allExports(p, seen = new Set()) {
  if (seen.has(p)) return new Set();
  seen.add(p);
  const { names, star } = exportsOf(p);
  const all = new Set(names);
  for (const s of star) {
    const target = resolve(dirname(p), s);
    if (src.has(target)) for (const n of allExports(target, seen)) all.add(n);
  }
  return all;
}

// [{spec, names: [imported name], line}] of a module's static imports.
function importsOf(p) {
  const text = src.get(p);
  const out = [];
  const re = /^(?:import|export)\s+([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gms;
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    if (m[3]) { out.push({ spec: m[3], names: [], line }); continue; }
    const clause = m[1];
    const names = [];
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1].split(',')) {
        const n = part.trim().split(/\s+as\s+/)[0].trim();
        if (n) names.push(n);
      }
    }
    const before = clause.replace(/\{[^}]*\}/, '').replace(/\*\s+as\s+\w+/, '').replace(/^export\s+/, '');
    if (/^\s*[A-Za-z_$][\w$]*\s*(,|$)/.test(before) && !/^\s*\*/.test(clause) && !clause.startsWith('{')) names.push('default');
    out.push({ spec: m[2], names, line });
  }
  return out;
}

// Where a browser would load spec from (absolute paths are the web root).
function target(p, spec) {
  if (spec.startsWith('/')) return join(WEB, spec);
  return resolve(dirname(p), spec);
}

test('every import names a file of web/ and names it exports', () => {
  const bad = [];
  for (const p of FILES) {
    for (const im of importsOf(p)) {
      if (!/^\.{0,2}\//.test(im.spec)) { bad.push(`${rel(p)}:${im.line}: bare import '${im.spec}'`); continue; }
      const t = target(p, im.spec);
      if (!src.has(t)) { bad.push(`${rel(p)}:${im.line}: '${im.spec}' is no script of web/`); continue; }
      const ex = allExports(t);
      for (const n of im.names) if (!ex.has(n)) bad.push(`${rel(p)}:${im.line}: '${im.spec}' does not export ${n}`);
    }
  }
  assert.deepEqual(bad, []);
});

/* ------------------------------------------------------------- messages */

// {lang: Map(key → count)} of the addMessages calls of a message file.
function messagesOf(p) {
  const text = src.get(p);
  const out = {};
  const re = /addMessages\(\s*'([^']+)'\s*,\s*\{([\s\S]*?)\n\}\);/g;
  for (const m of text.matchAll(re)) {
    const keys = out[m[1]] || (out[m[1]] = new Map());
    for (const k of m[2].matchAll(/^\s*'([^']+)'\s*:|,\s*'([^']+)'\s*:/gm)) {
      const key = k[1] || k[2];
      keys.set(key, (keys.get(key) || 0) + 1);
    }
  }
  return out;
}
const MESSAGE_FILES = FILES.filter(isMessages);
const MESSAGES = new Map(MESSAGE_FILES.map((p) => [p, messagesOf(p)]));

// The scripts a module loads, itself included (static imports, transitively).
function closure(p, seen = new Set()) {
  if (seen.has(p)) return seen;
  seen.add(p);
  for (const im of importsOf(p)) {
    const t = target(p, im.spec);
    if (src.has(t)) closure(t, seen);
  }
  return seen;
}

const VIEWS = FILES.filter((p) => !isLib(p) && /\bregisterView\(\s*['"]/.test(bare.get(p)));

// The HTML pages of web/ and the module scripts each loads (with what
// they import), for the rules that hold page by page.
const PAGES = readdirSync(WEB).filter((f) => f.endsWith('.html')).sort().map((f) => {
  const html = readFileSync(join(WEB, f), 'utf8');
  const tags = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  const modules = tags.filter((m) => /type="module"/.test(m[1]))
    .map((m) => (/src="([^"]+)"/.exec(m[1]) || [])[1])
    .map((s) => (s ? join(WEB, s.replace(/^\//, '')) : null));
  const loads = new Set();
  for (const m of modules) if (m && src.has(m)) closure(m, loads);
  return { name: f, html, tags, modules, loads };
});

test('strings are added by message files only, each in both languages, no key twice on a page', () => {
  const bad = findAll(/\baddMessages\s*\(/g, FILES.filter((p) => !isMessages(p) && rel(p) !== 'lib/i18n.js'))
    .map((x) => `${x}: strings belong in a message file (<name>-i18n.js)`);
  for (const [p, langs] of MESSAGES) {
    if (!langs['zh-CN'] || !langs.en) { bad.push(`${rel(p)}: needs addMessages('zh-CN', …) and addMessages('en', …)`); continue; }
    for (const k of langs['zh-CN'].keys()) if (!langs.en.has(k)) bad.push(`${rel(p)}: ${k} has no English`);
    for (const k of langs.en.keys()) if (!langs['zh-CN'].has(k)) bad.push(`${rel(p)}: ${k} has no Chinese`);
    for (const [k, n] of langs['zh-CN']) if (n > 1) bad.push(`${rel(p)}: ${k} defined ${n} times`);
  }
  // The console and the participant pages speak differently (error.network
  // is not the same sentence), but within one page a key has one owner.
  for (const page of PAGES) {
    const owner = {};
    for (const p of [...page.loads].filter(isMessages).sort()) {
      for (const k of (MESSAGES.get(p)['zh-CN'] || new Map()).keys()) {
        if (owner[k]) bad.push(`${page.name}: ${k} is defined in ${owner[k]} and in ${rel(p)}`);
        owner[k] = rel(p);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test('the HTML pages load module scripts that exist, and no inline script', () => {
  const bad = [];
  for (const page of PAGES) {
    for (const m of page.tags) {
      if (!/\bsrc=/.test(m[1])) bad.push(`${page.name}: an inline <script> (the CSP refuses it)`);
    }
    for (const m of page.modules) if (!m || !src.has(m)) bad.push(`${page.name}: module script ${m ? rel(m) : '?'} is missing`);
    for (const m of page.html.matchAll(/\son[a-z]+\s*=/gi)) bad.push(`${page.name}: inline handler ${m[0].trim()}`);
  }
  assert.deepEqual(bad, []);
});

test('every view has a message file of its own, every message file a script of its name', () => {
  const bad = [];
  for (const p of VIEWS) {
    const m = p.replace(/\.js$/, '-i18n.js');
    if (!src.has(m)) bad.push(`${rel(p)}: a view needs its message file ${rel(m)}`);
    else if (!importsOf(p).some((im) => target(p, im.spec) === m)) bad.push(`${rel(p)}: does not import ${basename(m)}`);
  }
  for (const m of MESSAGE_FILES) {
    const p = m.replace(/-i18n\.js$/, '.js');
    if (!src.has(p)) bad.push(`${rel(m)}: no script ${rel(p)} that these strings belong to`);
    else if (!importsOf(p).some((im) => target(p, im.spec) === m)) bad.push(`${rel(p)}: does not import its ${basename(m)}`);
  }
  assert.deepEqual(bad, []);
});

test('every key a script names is defined by a message file that script loads', () => {
  const bad = [];
  for (const p of FILES.filter((f) => !isMessages(f) && !isLib(f))) {
    const text = noComments.get(p);
    const loaded = new Set();
    for (const q of closure(p)) {
      const langs = MESSAGES.get(q);
      if (langs && langs['zh-CN']) for (const k of langs['zh-CN'].keys()) loaded.add(k);
    }
    const re = /\b(?:t|has)\(\s*'([^'$]+)'|\b(?:titleKey|navKey)\s*:\s*'([^']+)'/g;
    for (const m of text.matchAll(re)) {
      const key = m[1] || m[2];
      if (!loaded.has(key)) bad.push(`${where(p, text, m.index)}: '${key}' is in no message file it loads`);
    }
  }
  assert.deepEqual(bad, []);
});

/* --------------------------------------------------------- one of each */

test('only web/lib builds nodes from scratch, translates, fetches and keeps the language', () => {
  const outside = (except) => FILES.filter((p) => !except.includes(rel(p)));
  const bad = [
    ...findAll(/\bfunction\s+(?:h|t)\s*\(|\b(?:const|let|var)\s+(?:h|t)\s*=/g, FILES.filter((p) => !isLib(p)))
      .map((x) => `${x}: use h() of lib/dom.js and t() of lib/i18n.js`),
    ...findAll(/\bfetch\s*\(|\bXMLHttpRequest\b|\bsendBeacon\s*\(/g, outside(['lib/api.js']))
      .map((x) => `${x}: requests go through api() of lib/api.js`),
    ...findAll(/\bcreateElement(?:NS)?\s*\(|\bcreateTextNode\s*\(/g, outside(['lib/dom.js']))
      .map((x) => `${x}: nodes are built with h() (or svgIcon, ensureStyle) of lib/dom.js`),
    ...findAll(/\binnerHTML\b|\bouterHTML\b|\binsertAdjacentHTML\b|\bdocument\.write\b/g, FILES)
      .map((x) => `${x}: no HTML from strings`),
    ...findAll(/['"]hearth\.lang['"]/g, outside(['lib/i18n.js']), noComments)
      .map((x) => `${x}: the language choice belongs to lib/i18n.js`),
  ];
  // A dictionary of its own: {'zh-CN': {…}} outside the message files.
  for (const p of FILES.filter((f) => !isMessages(f) && !isLib(f))) {
    const text = noComments.get(p);
    for (const m of text.matchAll(/['"]zh-CN['"]\s*:\s*\{/g)) bad.push(`${where(p, text, m.index)}: strings belong in a message file`);
  }
  assert.deepEqual(bad, []);
});

test('web/lib imports only web/lib, and importing it does nothing', async () => {
  const bad = [];
  for (const p of FILES.filter(isLib)) {
    for (const im of importsOf(p)) if (!isLib(target(p, im.spec))) bad.push(`${rel(p)}:${im.line}: imports ${im.spec}`);
    // Statements at the top level: declarations only (no call, no bare import).
    for (const m of bare.get(p).matchAll(/^(?:import\s+['"]|(?!(?:if|for|while|switch|return|function|class)\b)[A-Za-z_$][\w$.]*\s*\()/gm)) {
      bad.push(`${where(p, bare.get(p), m.index)}: runs code at the top level`);
    }
  }
  // With no DOM at all: any touch at import time is recorded.
  const names = ['document', 'window', 'localStorage', 'sessionStorage', 'fetch', 'navigator', 'location', 'history', 'addEventListener'];
  const saved = names.map((n) => [n, Object.getOwnPropertyDescriptor(globalThis, n)]);
  const touched = [];
  for (const n of names) Object.defineProperty(globalThis, n, { configurable: true, get() { touched.push(n); return undefined; } });
  try {
    for (const p of FILES.filter(isLib)) {
      try {
        await import(`${pathToFileURL(p).href}?shape`);
      } catch (e) {
        bad.push(`importing ${rel(p)} failed without a DOM: ${e.message}`);
      }
    }
  } finally {
    for (const [n, d] of saved) {
      if (d) Object.defineProperty(globalThis, n, d); else delete globalThis[n];
    }
  }
  for (const n of touched) bad.push(`importing web/lib touched ${n}`);
  assert.deepEqual(bad, []);
});
