-- Evaluation frameworks (DESIGN "The evaluation framework"): any bureau's
-- scored table, year by year. The 8 rows of 004 become the default
-- framework and keep their ids, codes and every value entered for them.
-- Rows are now scored by any rule string (checked by core/indicator.c)
-- and may carry a checklist (评价要点); a period now also holds a rating,
-- checklist marks, a manual score and the deduction note.

CREATE TABLE frameworks (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,                   -- 福田区心访工作室 2023 年度绩效评价
	date_from TEXT NOT NULL,              -- 'YYYY-MM-DD', the period it scores
	date_to TEXT NOT NULL CHECK (date_to >= date_from),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX frameworks_period ON frameworks(date_from, date_to);
INSERT INTO frameworks (id, name, date_from, date_to, created_at, updated_at)
VALUES (1, '心访工作室绩效指标（2023 年度）', '2023-01-01', '2023-12-31', 0, 0);

-- The rows of every framework; codes are unique within one.
CREATE TABLE indicators_new (
	id INTEGER PRIMARY KEY,
	framework_id INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
	code TEXT NOT NULL,                   -- [a-z][a-z0-9_]{0,31}
	level1 TEXT NOT NULL,
	level2 TEXT NOT NULL,
	level3 TEXT NOT NULL,
	target_op TEXT NOT NULL DEFAULT '>=' CHECK (target_op IN ('>=', '=', '<=')),
	target_value REAL,                    -- NULL: no target (checklist rows)
	target_unit TEXT NOT NULL DEFAULT 'count'
		CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT NOT NULL DEFAULT '', -- as printed: '>=95%', '100%有效'
	weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 100),
	rule TEXT NOT NULL,                   -- ratio, bands:80=1,60=0.6, …
	source TEXT NOT NULL,                 -- manual, events.held?kind=…, …
	checklist TEXT NOT NULL DEFAULT '',   -- 'text=points|…', penalty < 0
	position INTEGER NOT NULL DEFAULT 0,
	UNIQUE (framework_id, code)
);
INSERT INTO indicators_new (id, framework_id, code, level1, level2, level3,
	target_op, target_value, target_unit, target_text, weight, rule, source,
	checklist, position)
	SELECT id, 1, code, level1, level2, level3, target_op, target_value,
		target_unit, target_text, weight, rule, source, '', position
	FROM indicators;
DROP TABLE indicators;
ALTER TABLE indicators_new RENAME TO indicators;
CREATE INDEX indicators_framework ON indicators(framework_id, position);

-- One period of one row: overrides of the row (NULL = keep it) and what
-- was entered for the period, with who and when.
CREATE TABLE indicator_periods_new (
	id INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	target_op TEXT CHECK (target_op IN ('>=', '=', '<=')),
	target_value REAL,
	target_unit TEXT CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT,
	weight REAL CHECK (weight >= 0 AND weight <= 100),
	rule TEXT,
	value REAL,                           -- a manual actual
	rating REAL CHECK (rating BETWEEN 0 AND 100), -- a rated row's 0-100 %
	marks TEXT,                           -- checklist marks '1,0,1'; NULL = none
	score REAL,                           -- rule manual
	note TEXT NOT NULL DEFAULT '',        -- the reason of a deduction
	entered_by INTEGER REFERENCES users(id),
	entered_at INTEGER NOT NULL,
	UNIQUE (indicator_id, period_from, period_to)
);
INSERT INTO indicator_periods_new (id, indicator_id, period_from, period_to,
	target_op, target_value, target_unit, target_text, weight, rule, value,
	note, entered_by, entered_at)
	SELECT id, indicator_id, period_from, period_to, target_op, target_value,
		target_unit, target_text, weight, rule, value, note, entered_by,
		entered_at
	FROM indicator_periods;
DROP TABLE indicator_periods;
ALTER TABLE indicator_periods_new RENAME TO indicator_periods;
