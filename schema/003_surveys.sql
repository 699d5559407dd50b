-- The default questionnaire every event uses unless it names another:
-- overall satisfaction on the reports' five-point scale, and a comment.
INSERT INTO survey_templates (id, name, is_default, created_at)
	VALUES (1, '服务满意度', 1, 0);
INSERT INTO survey_questions (template_id, qkey, position, type, text,
	required, options, is_satisfaction)
	VALUES (1, 'overall', 1, 'likert5', '您对本次活动的总体满意度', 1,
		NULL, 1);
INSERT INTO survey_questions (template_id, qkey, position, type, text,
	required, options, is_satisfaction)
	VALUES (1, 'comment', 2, 'text', '您的意见和建议（选填）', 0, NULL, 0);

-- How long personal data of participants is kept after an event ends.
INSERT INTO settings (key, value) VALUES ('retention_days', '365');

CREATE INDEX attendance_registration ON attendance(registration_id);
CREATE INDEX survey_answers_question ON survey_answers(question_id);
