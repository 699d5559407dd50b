-- The evaluation framework of one bureau's report (shared/data/
-- indicators-futian-2023.csv). Targets are as printed; target_value and
-- target_unit are what the scoring compares.
INSERT INTO indicators (code, level1, level2, level3, target_op,
	target_value, target_unit, target_text, weight, rule, source, position)
VALUES
	('training_sessions', '产出指标', '数量指标', '心访咨询师培训开展期数',
	 '>=', 2, 'count', '>=2', 5, 'ratio', 'trainings_held', 1),
	('key_case_resolution', '产出指标', '数量指标', '协助重点案件化解率',
	 '>=', 50, 'percent', '>=50%', 5, 'ratio', 'manual', 2),
	('training_pass_rate', '产出指标', '质量指标', '培训合格率',
	 '=', 100, 'percent', '=100%', 10, 'ratio', 'training_pass_rate', 3),
	('training_on_time_rate', '产出指标', '时效指标', '心访咨询师培训及时率',
	 '=', 100, 'percent', '=100%', 10, 'ratio', 'training_on_time_rate', 4),
	('spending_progress', '产出指标', '成本指标', '支出进度达标率',
	 '>=', 95, 'percent', '>=95%', 10, 'ratio', 'manual', 5),
	('social_stability', '效益指标', '社会效益指标', '辅助维护社会和谐稳定',
	 '>=', 100, 'rating', '100%有效', 5, 'tiered', 'manual', 6),
	('legal_awareness', '效益指标', '社会效益指标', '有效提升民众法治信访意识',
	 '>=', 100, 'rating', '100%有效', 5, 'tiered', 'manual', 7),
	('satisfaction', '满意度指标', '服务对象满意度指标',
	 '培训和心理咨询对象满意度', '>=', 90, 'percent', '>=90%', 10,
	 'satisfaction_deduct', 'satisfaction_rate', 8);

-- Settings and values for one period: overrides of the framework
-- (NULL = keep it) and a coordinator's manual actual, with who and when.
-- Replaces indicator_values of 001, which nothing used.
DROP TABLE indicator_values;
CREATE TABLE indicator_periods (
	id INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	target_op TEXT CHECK (target_op IN ('>=', '=')),
	target_value REAL,
	target_unit TEXT CHECK (target_unit IN ('count', 'percent', 'rating')),
	target_text TEXT,
	weight REAL CHECK (weight >= 0),
	rule TEXT CHECK (rule IN ('ratio', 'tiered', 'satisfaction_deduct', 'satisfaction_tiers')),
	value REAL,
	note TEXT NOT NULL DEFAULT '',
	entered_by INTEGER REFERENCES users(id),
	entered_at INTEGER NOT NULL,
	UNIQUE (indicator_id, period_from, period_to)
);
