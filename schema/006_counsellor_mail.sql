-- A counsellor may turn the weekly duty summary off (it is on by default;
-- roster-change notices and event mail are not affected).
ALTER TABLE counsellors ADD COLUMN weekly_mail_off INTEGER NOT NULL DEFAULT 0
	CHECK (weekly_mail_off IN (0, 1));
