// The two stores side by side (bench/stores.sh): reads the lines
// bench/run.sh and bench/roster.mjs printed on SQLite and on PostgreSQL
// and prints each figure of the one under the same figure of the other:
//
//   bench stores: <case>
//     sqlite      <what SQLite's run printed>
//     postgresql  <what PostgreSQL's run printed>
//
// A case's line is "bench <case>: …"; each store's survey anchor
// (sqlite_raw, pg_raw) pairs as "raw anchor".
//
// Usage: node bench/stores.mjs SQLITE.txt PG.txt
import { readFileSync } from 'node:fs';

const [sqliteFile, pgFile] = process.argv.slice(2);
const parse = (file) => {
  const m = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const x = line.match(/^bench ([^:]+): (.*)$/);
    if (!x) continue;
    const key = x[1].replace(/^(sqlite|pg)_raw\b/, 'raw anchor');
    // A key seen twice (a repeated case) keeps both.
    m.set(key, m.has(key) ? `${m.get(key)} | ${x[2]}` : x[2]);
  }
  return m;
};
const a = parse(sqliteFile);
const b = parse(pgFile);
const keys = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
console.log('bench stores: SQLite (synchronous=FULL) and PostgreSQL (fsync=on, synchronous_commit=on), the same cases one after the other');
for (const k of keys) {
  console.log(`bench stores: ${k}`);
  console.log(`  sqlite      ${a.get(k) ?? '-'}`);
  console.log(`  postgresql  ${b.get(k) ?? '-'}`);
}
if (!keys.length) {
  console.error('bench stores: no figures');
  process.exit(1);
}
