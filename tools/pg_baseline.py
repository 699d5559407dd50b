#!/usr/bin/env python3
"""Writes schema/pg/012_baseline.sql: the SQLite schema after migrations
001-012 (sqlite3 .schema of a fresh database, with the rows the
migrations seed) in PostgreSQL's words. Run once by hand when the
baseline was made; later migrations are written for both engines.
Usage: tools/pg_baseline.py DB > schema/pg/012_baseline.sql"""
import re, subprocess, sys

db = sys.argv[1]
def q(*args):
    return subprocess.run(['sqlite3', db] + list(args), check=True,
                          capture_output=True, text=True).stdout

tables = q("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").split()
create = {}
deps = {}
nocase = []
serial = []
for t in tables:
    sql = q(f"SELECT sql FROM sqlite_master WHERE type='table' AND name='{t}'").strip()
    sql = re.sub(r'--[^\n]*', '', sql)
    sql = re.sub(r'CREATE TABLE (IF NOT EXISTS )?"?(\w+)"?', r'CREATE TABLE \2', sql)
    sql = re.sub(r'\)\s*WITHOUT ROWID\s*$', ')', sql)
    if re.search(r'\bid INTEGER PRIMARY KEY\b', sql):
        sql = re.sub(r'\bid INTEGER PRIMARY KEY( AUTOINCREMENT)?', 'id BIGSERIAL PRIMARY KEY', sql)
        serial.append(t)
    for m in re.finditer(r'\b(\w+) TEXT NOT NULL COLLATE NOCASE UNIQUE', sql):
        nocase.append((t, m.group(1)))
    sql = re.sub(r'TEXT NOT NULL COLLATE NOCASE UNIQUE', 'TEXT NOT NULL', sql)
    sql = re.sub(r'\bINTEGER\b', 'BIGINT', sql)
    sql = re.sub(r'\bREAL\b', 'DOUBLE PRECISION', sql)
    sql = re.sub(r'\bBLOB\b', 'BYTEA', sql)
    sql = re.sub(r'[ \t]+\n', '\n', sql)
    create[t] = sql
    deps[t] = set(re.findall(r'REFERENCES (\w+)', sql)) - {t}

order, seen = [], set()
def visit(t):
    if t in seen: return
    seen.add(t)
    for d in sorted(deps[t]): visit(d)
    order.append(t)
for t in tables: visit(t)

out = ['-- PostgreSQL baseline: the schema of SQLite migrations 001-012 in',
       '-- PostgreSQL words (tools/pg_baseline.py). Integers are BIGINT (times',
       '-- stay Unix seconds as in SQLite), INTEGER PRIMARY KEY is BIGSERIAL,',
       '-- COLLATE NOCASE UNIQUE is a unique index on lower(column).',
       '']
for t in order:
    out.append(create[t] + ';\n')
for t, c in nocase:
    out.append(f'CREATE UNIQUE INDEX {t}_{c}_nocase ON {t} (lower({c}));')
names = q("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL ORDER BY rowid").split()
for n in names:
    s = q(f"SELECT sql FROM sqlite_master WHERE name='{n}'").strip()
    s = re.sub(r'--[^\n]*', '', s)
    s = re.sub(r'\bIFNULL\(', 'COALESCE(', s)
    out.append(s + ';')
out.append('')
for t in order:
    rows = q('-cmd', f'.mode insert {t}', f'SELECT * FROM "{t}"')
    if rows.strip():
        out.append(rows.strip())
out.append('')
for t in serial:
    out.append(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), coalesce((SELECT max(id) FROM {t}), 0) + 1, false);")
out.append('')
out.append('-- SQLite\'s group_concat(x): the values joined by commas.')
out.append('CREATE FUNCTION hearth_gc_step(text, anyelement) RETURNS text AS')
out.append("$$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text")
out.append("ELSE $1 || ',' || $2::text END $$ LANGUAGE sql IMMUTABLE;")
out.append('CREATE AGGREGATE group_concat(anyelement) (SFUNC = hearth_gc_step, STYPE = text);')
print('\n'.join(out))
