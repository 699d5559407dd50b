// The store's unit tests (build/test/test_store) on PostgreSQL: a
// throwaway cluster (tests/lib/pg.mjs) and one database, which each
// test of test_store empties before it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../lib/harness.mjs';
import { pgDatabase } from '../lib/pg.mjs';

test('test_store passes on PostgreSQL', () => {
  const uri = pgDatabase();
  const r = spawnSync(join(root, 'build/test/test_store'), [], {
    env: { ...process.env, HEARTH_TEST_PG: uri },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'test_store failed on PostgreSQL');
  assert.match(r.stdout + r.stderr, /PASSED/);
});

// The outbox worker's unit tests (build/test/test_outbox_worker) on
// PostgreSQL: claims across instances, FOR UPDATE SKIP LOCKED.
test('test_outbox_worker passes on PostgreSQL', () => {
  const uri = pgDatabase();
  const r = spawnSync(join(root, 'build/test/test_outbox_worker'), [], {
    env: { ...process.env, HEARTH_TEST_PG: uri },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'test_outbox_worker failed on PostgreSQL');
  assert.match(r.stdout + r.stderr, /PASSED/);
  assert.doesNotMatch(r.stdout + r.stderr, /SKIPPED/, 'every test ran, the PostgreSQL-only ones too');
});

// Imports and roster generation in batches on PostgreSQL (issue 17,
// pgbatch): the same unit tests as on SQLite, a child stopped between
// two batches included (undone by the next store_migrate).
for (const name of ['test_import_publish', 'test_roster_publish']) {
  test(`${name} passes on PostgreSQL`, () => {
    const uri = pgDatabase();
    const r = spawnSync(join(root, `build/test/${name}`), [], {
      env: { ...process.env, HEARTH_TEST_PG: uri },
      encoding: 'utf8',
    });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    assert.equal(r.status, 0, `${name} failed on PostgreSQL`);
    assert.match(r.stdout + r.stderr, /PASSED/);
  });
}

// Registrations' duplicate check by index (issue 15, regidx; 019): a
// database made at migration 018 with old-style rows, their keys filled
// at start, their duplicates found.
test('test_regkeys passes on PostgreSQL', () => {
  const uri = pgDatabase();
  const r = spawnSync(join(root, 'build/test/test_regkeys'), [], {
    env: { ...process.env, HEARTH_TEST_PG: uri },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'test_regkeys failed on PostgreSQL');
  assert.match(r.stdout + r.stderr, /PASSED/);
});

// A registration's capacity check without counting the event (issue 15,
// regcount; 020): the kept counts against count(*) on PostgreSQL.
test('test_regcount passes on PostgreSQL', () => {
  const uri = pgDatabase();
  const r = spawnSync(join(root, 'build/test/test_regcount'), [], {
    env: { ...process.env, HEARTH_TEST_PG: uri },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'test_regcount failed on PostgreSQL');
  assert.match(r.stdout + r.stderr, /PASSED/);
});
