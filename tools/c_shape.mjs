// The shape of the C code (svc/ and ical/), read as text: which file
// includes which header, which file calls or names a function or variable
// another file defines, the layer of every file, and the prototypes of
// each header grouped under the comment of the file that defines them.
//
// Used by tests/unit/c_shape.test.mjs (make shape-check, part of make
// test) and, run directly, prints the figures of the tree:
//   node tools/c_shape.mjs            layers, lines, cycles, forbidden edges
//   node tools/c_shape.mjs --graph    every file-to-file edge
// It reads the sources only; nothing is compiled.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, relative, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The layers, bottom up, and what each may use (its own files always).
// A use is an #include of a Hearth header or a call of (or reference to)
// a function or variable another file defines.
export const LAYERS = {
  core: [],
  log: [],
  ical: [],
  config: ['core'], // checks settings with core's pure rules
  store: ['core', 'log', 'embed'],
  http: ['core', 'log'],
  service: ['core', 'log', 'store', 'ical', 'embed'],
  api: ['core', 'log', 'store', 'service', 'http'],
  outbox: ['core', 'log', 'store'],
  mail: ['core', 'log', 'store', 'outbox'],
  notify: ['core', 'log', 'store', 'outbox'],
  top: ['core', 'log', 'store', 'service', 'api', 'http', 'mail', 'notify',
    'config', 'embed', 'ical'],
  embed: [],
};

// The headers a layer's files may include (besides their own layer's).
// svc/api sees http.h, the service layer, core and the store and nothing
// else (issue 14); log.h comes with http.h and store.h.
export const HEADERS = {
  core: [],
  log: [],
  ical: [],
  config: ['svc/core/core.h'],
  store: ['svc/core/core.h', 'svc/log.h', 'svc/embed.h'],
  http: ['svc/core/core.h', 'svc/log.h'],
  service: ['svc/core/core.h', 'svc/log.h', 'svc/store/store.h',
    'ical/hearth_ical.h', 'svc/embed.h'],
  api: ['svc/core/core.h', 'svc/store/store.h', 'svc/http/http.h',
    'svc/service/service.h', 'svc/service/feedcache.h', 'svc/log.h'],
  outbox: ['svc/core/core.h', 'svc/log.h', 'svc/store/store.h'],
  mail: ['svc/core/core.h', 'svc/log.h', 'svc/store/store.h',
    'svc/outbox/worker.h'],
  notify: ['svc/core/core.h', 'svc/log.h', 'svc/store/store.h',
    'svc/outbox/worker.h'],
  top: null, // anything
  embed: [],
};

// Headers private to their layer: nobody outside includes them.
export const PRIVATE = ['svc/store/stmt.h', 'svc/http/internal.h',
  'ical/internal.h', 'svc/mail/smtp.h'];

// Foreign libraries and the one place each may be included.
export const LIBRARIES = [
  [/^sqlite3\.h$/, ['store']],
  [/^libpq-fe\.h$/, ['store']],
  [/^microhttpd\.h$/, ['http']],
  [/^libical\//, ['ical']],
  [/^(libesmtp|auth-client)\.h$/, ['svc/mail/smtp.c']],
  [/^openssl\//, ['svc/mail/smtp.c', 'core']],
  [/^curl\//, ['svc/notify/http.c']],
  [/^xlsxwriter\.h$/, ['service']],
  [/^qrencode\.h$/, ['core']],
  [/^zlib\.h$/, ['core']],
];

export function layerOf(file) {
  if (file.startsWith('ical/')) return 'ical';
  if (file.startsWith('build/gen/') || file === 'svc/embed.h') return 'embed';
  const m = /^svc\/([a-z]+)\//.exec(file);
  if (m) return m[1];
  if (file === 'svc/log.c' || file === 'svc/log.h') return 'log';
  if (file === 'svc/config.c' || file === 'svc/config.h') return 'config';
  return 'top';
}

function walk(dir, out = []) {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(p, out);
    else if (/\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

// The source without comments and string or character literals (their
// text blanked), line breaks kept.
export function bare(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    const n = text[i + 1];
    if (c === '/' && n === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j < 0 ? text.length : j + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
      continue;
    }
    if (c === '/' && n === '/') {
      while (i < text.length && text[i] !== '\n') { out += ' '; i++; }
      continue;
    }
    if (c === '"' || c === '\'') {
      out += c;
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') { out += '  '; i += 2; continue; }
        out += ' ';
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

export function load() {
  const files = [...walk('svc'), ...walk('ical')].sort();
  const src = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
  const code = new Map(files.map((f) => [f, bare(src.get(f))]));
  return { files, src, code };
}

// #include "…" of a file, resolved to repository paths, with line numbers;
// and the <…> ones as written.
export function includes(file, text) {
  const local = [];
  const system = [];
  text.split('\n').forEach((line, i) => {
    let m = /^\s*#\s*include\s+"([^"]+)"/.exec(line);
    if (m) {
      const p = relative(ROOT, resolve(ROOT, dirname(file), m[1]));
      const q = p.startsWith('build/') || p.startsWith('..') ? m[1] : p;
      local.push({ header: q, line: i + 1 });
    }
    m = /^\s*#\s*include\s+<([^>]+)>/.exec(line);
    if (m) system.push({ header: m[1], line: i + 1 });
  });
  return { local, system };
}

// Functions and variables a .c file defines with external linkage. In our
// style a function definition starts in column 0 with its name, the type
// on the line before ("int\nstore_event_get(…)"); static ones say so on
// that line. Variables: a column-0 declaration with an initializer or an
// array, not static, not extern.
export function definitions(code) {
  const fns = new Set();
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    const m = /^([A-Za-z_]\w*)\(/.exec(line);
    if (!m) return;
    const prev = lines[i - 1] ?? '';
    if (/\bstatic\b/.test(prev) || /^#/.test(prev)) return;
    if (['if', 'for', 'while', 'switch', 'return', 'sizeof', '_Static_assert'].includes(m[1])) return;
    fns.add(m[1]);
  });
  const vars = new Set();
  for (const line of lines) {
    if (/^(static|extern|typedef|#|\s|\}|struct \w+ \{|enum|union)/.test(line) || line === '') continue;
    const m = /^[\w ]+?[\s*]([A-Za-z_]\w*)\s*(\[[^\]]*\])*\s*(=|;)/.exec(line);
    if (m && !line.includes('(')) vars.add(m[1]);
  }
  return { fns, vars };
}

// The identifiers a file names (any word: calls, function pointers taken,
// variables read).
export function words(code) {
  return new Set(code.match(/\b[A-Za-z_]\w*\b/g) ?? []);
}

export function analyse() {
  const { files, src, code } = load();
  const defs = new Map(); // name -> file
  const dup = [];
  for (const f of files.filter((x) => x.endsWith('.c'))) {
    const d = definitions(code.get(f));
    for (const n of [...d.fns, ...d.vars]) {
      if (defs.has(n) && defs.get(n) !== f) dup.push([n, defs.get(n), f]);
      defs.set(n, f);
    }
  }
  // The generated sources define these (build/gen/*.c, tools/embed.c).
  for (const n of ['embed_schema', 'embed_schema_count', 'embed_demo',
    'embed_demo_count', 'embed_passwords', 'embed_passwords_count']) defs.set(n, 'build/gen/embed.c');
  const calls = new Map(); // file -> Map(file -> [names])
  for (const f of files.filter((x) => x.endsWith('.c'))) {
    const own = definitions(code.get(f));
    const out = new Map();
    for (const w of words(code.get(f))) {
      const g = defs.get(w);
      if (!g || g === f || own.fns.has(w)) continue;
      if (!out.has(g)) out.set(g, []);
      out.get(g).push(w);
    }
    calls.set(f, out);
  }
  const inc = new Map(files.map((f) => [f, includes(f, src.get(f))]));
  return { files, src, code, defs, dup, calls, inc };
}

// Strongly connected components with more than one file (Tarjan).
export function cycles(nodes, edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of edges(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out;
}

// The file graph: a .c file → the .c files whose functions it uses, and
// every file → the headers it includes.
export function fileCycles(a) {
  const cfiles = a.files.filter((f) => f.endsWith('.c'));
  const callCycles = cycles(cfiles, (f) => [...(a.calls.get(f)?.keys() ?? [])].filter((g) => a.calls.has(g)));
  const includeCycles = cycles(a.files, (f) => a.inc.get(f).local.map((x) => x.header).filter((h) => a.inc.has(h)));
  return { callCycles, includeCycles };
}

export function layerCycles(a) {
  const edges = new Map();
  const add = (x, y) => {
    if (x === y) return;
    if (!edges.has(x)) edges.set(x, new Set());
    edges.get(x).add(y);
  };
  for (const [f, out] of a.calls) for (const g of out.keys()) add(layerOf(f), layerOf(g));
  for (const [f, i] of a.inc) for (const h of i.local) add(layerOf(f), layerOf(h.header));
  return cycles([...edges.keys()], (l) => [...(edges.get(l) ?? [])]);
}

// Every use that crosses layers the wrong way: includes and calls.
export function forbidden(a) {
  const bad = [];
  for (const [f, i] of a.inc) {
    const L = layerOf(f);
    for (const { header, line } of i.local) {
      const H = layerOf(header);
      if (H === L) continue;
      if (PRIVATE.includes(header)) {
        bad.push(`${f}:${line} includes ${header}, private to ${H}`);
        continue;
      }
      if (HEADERS[L] !== null && !HEADERS[L].includes(header)) bad.push(`${f}:${line} includes ${header} (${L} may include ${HEADERS[L].join(', ') || 'nothing of Hearth'})`);
    }
    for (const { header, line } of i.system) {
      for (const [re, where] of LIBRARIES) {
        if (re.test(header) && !where.includes(L) && !where.includes(f)) bad.push(`${f}:${line} includes <${header}> (only ${where.join(', ')})`);
      }
    }
  }
  for (const [f, out] of a.calls) {
    const L = layerOf(f);
    for (const [g, names] of out) {
      const G = layerOf(g);
      if (G !== L && !LAYERS[L].includes(G)) bad.push(`${f} uses ${g} (${names.slice(0, 4).join(', ')}): ${L} may not use ${G}`);
    }
  }
  return bad;
}

// What only some layers may do, beyond includes: core does no I/O (no
// I/O header, no call that reads or writes a file, socket or clock);
// only svc/store talks SQL (sqlite3_* and libpq's PQ* calls, SQL in
// string literals).
export const IO_HEADERS = /^(unistd|fcntl|dirent|poll|netdb|pthread|signal|syslog|sqlite3|libpq-fe|microhttpd|curl\/.*|sys\/(socket|stat|mman|epoll|select|wait|file|ioctl|uio|sendfile)|netinet\/.*)\.h$/;
export const IO_CALLS = ['fopen', 'fdopen', 'freopen', 'fclose', 'fread',
  'fwrite', 'fprintf', 'printf', 'vprintf', 'vfprintf', 'puts', 'fputs',
  'fputc', 'putchar', 'fgets', 'getline', 'getchar', 'fflush', 'perror',
  'open', 'openat', 'read', 'write', 'close', 'pread', 'pwrite', 'socket',
  'connect', 'bind', 'listen', 'accept', 'send', 'recv', 'getaddrinfo',
  'stat', 'fstat', 'lstat', 'opendir', 'readdir', 'unlink', 'rename',
  'remove', 'mkstemp', 'tmpfile', 'mkdir', 'getenv', 'system', 'popen',
  'time', 'clock_gettime', 'gettimeofday', 'sleep', 'usleep', 'nanosleep',
  'syslog'];
const SQL = /"(?:[^"\\\n]|\\.)*\b(SELECT\s[^"]*\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)\b/;

export function layerRules(a) {
  const bad = [];
  for (const f of a.files) {
    const L = layerOf(f);
    if (L === 'core') {
      for (const { header, line } of a.inc.get(f).system) {
        if (IO_HEADERS.test(header)) bad.push(`${f}:${line} includes <${header}>: core does no I/O`);
      }
      a.code.get(f).split('\n').forEach((line, i) => {
        for (const m of line.matchAll(/(?<![\w.>])([a-z_]\w*)\s*\(/g)) {
          if (IO_CALLS.includes(m[1])) bad.push(`${f}:${i + 1} calls ${m[1]}(): core does no I/O`);
        }
      });
    }
    if (L !== 'store') {
      // Comments blanked, string literals kept.
      const text = bare(a.src.get(f).replace(/"(?:[^"\\\n]|\\.)*"/g, (q) => q.replace(/"/g, '\u0001'))).replace(/\u0001/g, '"');
      text.split('\n').forEach((line, i) => {
        const m = SQL.exec(line);
        if (m) bad.push(`${f}:${i + 1} has SQL (${m[1].slice(0, 20)}…): only svc/store talks SQL`);
        const c = /\bsqlite3_\w+|\bPQ[a-z]\w*(?=\s*\()/.exec(line);
        if (c) bad.push(`${f}:${i + 1} uses ${c[0]}: only svc/store talks SQL`);
      });
    }
  }
  return bad;
}

// Headers: every prototype sits under the comment "/* file.c… */" (or
// "/* --- file.c… */") of the file that defines it, or in a header named
// after that file. Returns the misfiled ones and comments that name
// a file that does not exist.
export function headerGroups(a) {
  const bad = [];
  for (const h of a.files.filter((f) => f.endsWith('.h'))) {
    const text = a.src.get(h);
    const dir = dirname(h);
    let group = null;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const m = /^\/\* (?:-+ )?([a-z_]+\.c)\b/.exec(line);
      if (m) {
        group = m[1];
        const known = a.files.some((f) => basename(f) === group && (dirname(f) === dir || h.startsWith('svc/') && f.startsWith('svc/')));
        if (!known) bad.push(`${h}:${i + 1} names ${group}, which does not exist`);
        return;
      }
      // A prototype: a line that starts a declaration and names a function
      // followed by "(" , outside struct bodies and macros.
      const p = /^(?!typedef|#|\s|\/|\*|struct \w+ \{|enum \w+ \{|static)[^;(]*?\b([a-z_]\w*)\(/.exec(line);
      if (!p) return;
      const name = p[1];
      const file = a.defs.get(name);
      if (!file) return; // a function pointer type, a macro, a library's
      // A header named after its one file (config.h, config.c) needs no
      // comment for that file's functions.
      if (group === null && basename(file, '.c') === basename(h, '.h') && dirname(file) === dir) return;
      if (group === null) bad.push(`${h}:${i + 1} ${name} (${file}) is under no file comment`);
      else if (basename(file) !== group) bad.push(`${h}:${i + 1} ${name} is defined in ${file}, filed under ${group}`);
    });
  }
  return bad;
}

export function lineCounts(a) {
  const by = {};
  for (const f of a.files) {
    const L = layerOf(f);
    by[L] ??= { files: 0, lines: 0 };
    by[L].files++;
    by[L].lines += a.src.get(f).split('\n').length - 1;
  }
  return by;
}

// --- Thin handlers (issue 14 point 1, branch thin) ---------------------
// A handler of svc/api parses, calls the service and replies; a long
// function there is domain work that belongs in svc/service. The limit is
// counted from the line of the function's name to its closing brace.
export const API_MAX_LINES = 110;
// The functions left over the limit, each with the most lines it may
// have (it may shrink, not grow) and why it stays for now.
export const API_LONG_ALLOWED = {
  'svc/api/indicator.c:api_indicator_put': [191,
    'a framework row\'s entered value, rating or checklist marks, each kind checked in place; the checks still to move into svc_indicator_*'],
  'svc/api/system.c:api_metrics': [141,
    'the Prometheus text of /metrics: one snprintf per figure, no domain work, only long'],
  'svc/api/robot.c:robot_put': [113,
    'a group robot created or changed: the webhook and secret rules of each channel; to move into service/channel.c'],
};

// Every function a .c file defines (static or not): its name, the line
// of its name (1-based) and its length in lines, name to closing brace.
// Our style: the name starts column 0, the body's braces stand alone in
// column 0.
export function functionLengths(code) {
  const lines = code.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_]\w*)\(/.exec(lines[i]);
    if (!m || ['if', 'for', 'while', 'switch', 'return', 'sizeof', '_Static_assert'].includes(m[1])) continue;
    let j = i;
    while (j < lines.length && lines[j] !== '{' && !/;\s*$/.test(lines[j])) j++;
    if (lines[j] !== '{') continue; // a prototype or a call
    let k = j + 1;
    while (k < lines.length && lines[k] !== '}') k++;
    out.push({ name: m[1], line: i + 1, lines: k - i + 1 });
    i = k;
  }
  return out;
}

// The functions of svc/api over max lines and not allowed (or grown past
// what they are allowed).
export function longHandlers(a, max = API_MAX_LINES, allow = API_LONG_ALLOWED) {
  const bad = [];
  for (const f of a.files.filter((x) => layerOf(x) === 'api' && x.endsWith('.c'))) {
    for (const fn of functionLengths(a.code.get(f))) {
      if (fn.lines <= max) continue;
      const ok = allow[`${f}:${fn.name}`];
      if (ok && fn.lines <= ok[0]) continue;
      bad.push(`${f}:${fn.line} ${fn.name} is ${fn.lines} lines (svc/api: at most ${max}${ok ? `, allowed ${ok[0]}` : ''}; move the work into svc/service)`);
    }
  }
  return bad;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = analyse();
  if (process.argv.includes('--graph')) {
    for (const [f, out] of a.calls) for (const [g, n] of out) console.log(`${f} -> ${g}: ${n.join(' ')}`);
    process.exit(0);
  }
  console.log('lines per layer:');
  for (const [L, c] of Object.entries(lineCounts(a))) console.log(`  ${L.padEnd(8)} ${String(c.files).padStart(3)} files ${String(c.lines).padStart(6)} lines`);
  const { callCycles, includeCycles } = fileCycles(a);
  console.log(`file cycles (calls): ${callCycles.length}`);
  for (const c of callCycles) console.log(`  ${c.join(' ')}`);
  console.log(`file cycles (includes): ${includeCycles.length}`);
  const lc = layerCycles(a);
  console.log(`layer cycles: ${lc.length}`);
  for (const c of lc) console.log(`  ${c.join(' ')}`);
  const bad = forbidden(a);
  console.log(`forbidden uses: ${bad.length}`);
  for (const b of bad) console.log(`  ${b}`);
  const lr = layerRules(a);
  console.log(`layer rules broken: ${lr.length}`);
  for (const b of lr) console.log(`  ${b}`);
  const hg = headerGroups(a);
  console.log(`misfiled prototypes: ${hg.length}`);
  for (const b of hg) console.log(`  ${b}`);
  if (a.dup.length) console.log(`defined twice: ${a.dup.map((d) => d.join(' ')).join('; ')}`);
  const lh = longHandlers(a);
  console.log(`handlers over ${API_MAX_LINES} lines: ${lh.length} (allowed: ${Object.keys(API_LONG_ALLOWED).length})`);
  for (const b of lh) console.log(`  ${b}`);
}
