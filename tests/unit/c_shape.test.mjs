// The shape of the C tree (issue 14), checked on every make test
// (make shape-check): no circle between files, each layer includes and
// uses only what it may, and every prototype sits under the comment of
// the file that defines it. The reader is tools/c_shape.mjs; run it
// directly for the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyse, cycles, fileCycles, layerCycles, forbidden, layerRules,
  headerGroups, includes, definitions, bare,
} from '../../tools/c_shape.mjs';
import {
  functionLengths, longHandlers, API_MAX_LINES, API_LONG_ALLOWED,
} from '../../tools/c_shape.mjs';

const a = analyse();

function none(list, what) {
  assert.equal(list.length, 0,
    `${what} (${list.length}):\n  ${list.join('\n  ')}`);
}

test('the reader sees the tree (so the checks below can fail)', () => {
  assert.ok(a.files.length > 100, `only ${a.files.length} files read`);
  assert.equal(a.defs.get('api_store'), 'svc/api/dispatch.c');
  assert.equal(a.defs.get('store_begin'), 'svc/store/db.c');
  assert.ok(a.calls.get('svc/api/routes.c').has('svc/api/system.c'),
    'routes.c names the handlers of system.c');
  assert.deepEqual(cycles(['a', 'b', 'c'], (v) => ({ a: ['b'], b: ['c'], c: ['a'] })[v]),
    [['a', 'b', 'c']]);
  const d = definitions(bare('int\nf(void)\n{\n}\nstatic int\ng(void)\n{\n}\n_Static_assert(1, "x");\n'));
  assert.deepEqual([...d.fns], ['f']);
  assert.deepEqual(includes('svc/api/x.c', '#include "../core/core.h"\n#include <microhttpd.h>\n'),
    { local: [{ header: 'svc/core/core.h', line: 1 }], system: [{ header: 'microhttpd.h', line: 2 }] });
});

test('no circle between C files: includes and calls', () => {
  const { callCycles, includeCycles } = fileCycles(a);
  none(callCycles.map((c) => c.join(' → ')),
    'files that call each other in a circle (move what both need into a file both use)');
  none(includeCycles.map((c) => c.join(' → ')), 'headers that include each other in a circle');
  none(layerCycles(a).map((c) => c.join(' → ')), 'layers that use each other in a circle');
});

test('each layer includes and uses only what it may', () => {
  // svc/api: http.h, service, core and store headers; service never
  // http; only svc/http includes microhttpd.h, only ical/ libical.
  none(forbidden(a), 'includes or uses across layers that the layers forbid (tools/c_shape.mjs: LAYERS, HEADERS, LIBRARIES)');
  // core does no I/O; only svc/store talks SQL.
  none(layerRules(a), 'I/O in core or SQL outside svc/store');
});

test('headers: every prototype under the comment of the file that defines it', () => {
  none(headerGroups(a), 'prototypes filed under the wrong "/* file.c */" comment, or comments naming no file');
});

test('no function or variable defined in two files', () => {
  none(a.dup.map((d) => `${d[0]}: ${d[1]} and ${d[2]}`), 'names defined twice');
});

// docs/architecture.md's "The files of svc/" names every C file of svc/
// (issue 14: it had drifted by 8 files): its full path anywhere in the
// section, or its name in backticks in the bullet of its directory
// ("- `svc/core/` …: `time.c` …").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../tools/c_shape.mjs';

const FILES_HEADING = '### The files of `svc/`';

function unlistedFiles(doc, files) {
  const start = doc.indexOf(FILES_HEADING);
  if (start < 0) return [`no "${FILES_HEADING}" section`];
  const rest = doc.slice(start + FILES_HEADING.length);
  const next = rest.search(/^#{1,3} /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const bullets = section.split(/\n(?=- )/);
  return files.filter((f) => {
    if (section.includes(f)) return false;
    const dir = f.slice(0, f.lastIndexOf('/') + 1);
    const name = f.slice(dir.length);
    return !bullets.some((b) => b.startsWith(`- \`${dir}\``) && b.includes(`\`${name}\``));
  });
}

test('docs/architecture.md lists every C file of svc/', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const files = a.files.filter((f) => f.startsWith('svc/') && f.endsWith('.c'));
  assert.ok(files.length > 100, `only ${files.length} files of svc/ read`);
  // The check can fail: a file not in a section, a name in another
  // directory's bullet, a full path.
  const sample = '### The files of `svc/`\n\n- `svc/main.c` — x.\n- `svc/core/` (`core.h`): `time.c` (t).\n- `svc/store/x.c` (y).\n\n### Next\n`svc/core/late.c`\n';
  assert.deepEqual(unlistedFiles(sample, ['svc/main.c', 'svc/core/time.c', 'svc/store/x.c', 'svc/store/time.c', 'svc/core/late.c']),
    ['svc/store/time.c', 'svc/core/late.c']);
  none(unlistedFiles(doc, files), 'C files of svc/ that docs/architecture.md "The files of svc/" does not name (one line each, in its directory\'s bullet or by full path)');
});

// api_reply_store_error answers a failed store call; a failed allocation
// (strdup, malloc, json_pack, …) answers api_reply_internal("what"),
// which logs what failed (issue 14). Checked on the condition that leads
// to each api_reply_store_error of svc/api: the lines back to its `if`,
// `else if` or `?`, which must not test an allocation without a store,
// service or api call beside it.
const ALLOC = /\b(strdup|strndup|malloc|calloc|realloc|asprintf|json_pack|json_string|json_object|json_array|json_integer|\w+_json)\s*\(/;
const STORE_CALL = /\b(store_\w+|svc_\w+|\w*audit\w*|api_(?!reply_store_error)\w+)\s*\(|\w+\(st\b/;

// The condition that leads to line i: back over the statements of its
// block to the `{` (or the `)` of a braceless if), then back to the
// start of the statement that holds it.
function conditionOf(lines, i) {
  const cond = [lines[i]];
  let phase = /^\s*[?:]/.test(lines[i]) ? 'cond' : 'body';
  for (let j = i - 1; j >= 0 && i - j <= 12; j--) {
    const s = lines[j].trim();
    if (phase === 'body') {
      if (s === '' || s.endsWith(':') || s.endsWith('}')) break;
      if (s.endsWith(';')) continue;
      phase = 'cond';
    } else if (s === '' || s.endsWith(';') || s.endsWith('}') || (s.endsWith('{') && !/^(if|\} else if|else if)\b/.test(s))) break;
    cond.unshift(lines[j]);
    if (/^(if|\} else if|else if|return|int|json_t|char|rc =|status =)\b/.test(s)) break;
  }
  return cond;
}

function storeErrorAfterAlloc(file, text) {
  const lines = text.split('\n');
  const out = [];
  lines.forEach((l, i) => {
    if (!/\bapi_reply_store_error\s*\(r\)/.test(l)) return;
    const cond = conditionOf(lines, i);
    const c = cond.join('\n').replace(/api_reply_store_error\s*\(r\)|http_reply_json\s*\(/g, '');
    if (ALLOC.test(c) && !STORE_CALL.test(c)) out.push(`${file}:${i + 1}: ${cond.map((x) => x.trim()).join(' ')}`);
  });
  return out;
}

test('svc/api: api_reply_store_error only after a store call, never after an allocation alone', () => {
  // The check can fail.
  assert.equal(storeErrorAfterAlloc('x.c', '\tif ((p = strdup(s)) == NULL)\n\t\treturn api_reply_store_error(r);\n').length, 1);
  assert.equal(storeErrorAfterAlloc('x.c', '\tint rc = body ? f(r, body)\n\t              : api_reply_store_error(r);\n').length, 0);
  assert.equal(storeErrorAfterAlloc('x.c', '\tjson_t *body = json_pack("{s:b}", "a", 0);\n\tint rc = body ? f(r, body)\n\t              : api_reply_store_error(r);\n').length, 0);
  assert.equal(storeErrorAfterAlloc('x.c', '\tif (store_x_get(st, id, &x) <= 0 ||\n\t    (x.note = strdup("")) == NULL)\n\t\treturn api_reply_store_error(r);\n').length, 0);
  assert.equal(storeErrorAfterAlloc('x.c', '\telse if ((body = user_json(&u)) == NULL ||\n\t    json_object_set_new(body, "p", json_string(pw)) != 0) {\n\t\tjson_decref(body);\n\t\trc = api_reply_store_error(r);\n').length, 1);
  const found = [];
  for (const f of a.files.filter((x) => x.startsWith('svc/api/') && x.endsWith('.c'))) {
    found.push(...storeErrorAfterAlloc(f, a.src.get(f)));
  }
  none(found, 'api_reply_store_error after an allocation that failed (answer api_reply_internal(r, "what failed"))');
});

// Thin handlers (issue 14 point 1, branch thin).
test('handlers are thin: no function in svc/api over the limit', () => {
  // The reader measures, and the check fails, on planted functions.
  const body = (n) => Array.from({ length: n }, (_, i) => `\tx = ${i};`).join('\n');
  const planted = `static int\nshort_one(void)\n{\n${body(3)}\n}\n` +
    `int f(int);\nint\nlong_one(struct http_req *r,\n    int y)\n{\n${body(200)}\n}\n`;
  assert.deepEqual(functionLengths(bare(planted)),
    [{ name: 'short_one', line: 2, lines: 6 }, { name: 'long_one', line: 10, lines: 204 }]);
  const fake = (file) => ({ files: [file], code: new Map([[file, bare(planted)]]) });
  assert.equal(longHandlers(fake('svc/api/planted.c')).length, 1, 'a long handler is found');
  assert.match(longHandlers(fake('svc/api/planted.c'))[0], /planted\.c:10 long_one is 204 lines/);
  assert.equal(longHandlers(fake('svc/service/planted.c')).length, 0, 'only svc/api is held to it');
  assert.equal(longHandlers(fake('svc/api/planted.c'), API_MAX_LINES,
    { 'svc/api/planted.c:long_one': [204, 'planted'] }).length, 0, 'allowed at its length');
  assert.equal(longHandlers(fake('svc/api/planted.c'), API_MAX_LINES,
    { 'svc/api/planted.c:long_one': [150, 'planted'] }).length, 1, 'an allowed one may not grow');
  // Every allowed function is in the tree, with its reason.
  for (const [k, [n, why]] of Object.entries(API_LONG_ALLOWED)) {
    const [file, name] = k.split(':');
    assert.ok(functionLengths(a.code.get(file) ?? '').some((fn) => fn.name === name), `${k} is not in the tree`);
    assert.ok(n > API_MAX_LINES && why.length > 10, k);
  }
  none(longHandlers(a), `functions of svc/api over ${API_MAX_LINES} lines (parse, call the service, reply: move the work into svc/service, tools/c_shape.mjs API_MAX_LINES)`);
});
