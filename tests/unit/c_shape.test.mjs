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
