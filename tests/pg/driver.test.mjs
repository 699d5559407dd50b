// PostgreSQL only (make test-pg): build/test/test_driver on a database of
// the throwaway cluster, where its test_cut_transaction cuts the
// connection inside a transaction (issue 16 item 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../lib/harness.mjs';
import { pgDatabase, pgWanted } from '../lib/pg.mjs';

test('test_driver passes on PostgreSQL', { skip: !pgWanted() && 'HEARTH_TEST_STORE=pg only' }, () => {
  const r = spawnSync(join(root, 'build/test/test_driver'), [], {
    env: { ...process.env, HEARTH_TEST_PG: pgDatabase() },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'test_driver failed on PostgreSQL');
  assert.match(r.stdout + r.stderr, /\[  PASSED  \] 8 test/);
});
