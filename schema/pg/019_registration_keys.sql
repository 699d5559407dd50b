-- Registrations' duplicate check by index (issue 15, regidx): SQLite's
-- 019_registration_keys.sql (its comment says what the keys hold), the
-- NULL keys of older rows filled in C at start on both engines.
ALTER TABLE registrations ADD COLUMN email_key TEXT;
ALTER TABLE registrations ADD COLUMN phone_key TEXT;
-- Partial: only the rows that have the key (most registrations give an
-- e-mail and no phone, or the reverse), so neither engine's planner
-- takes the many '' for the likely value of a parameter and walks the
-- event instead; the lookup repeats the condition (SQLite uses a
-- partial index only then).
CREATE INDEX registrations_email_key ON registrations(event_id, email_key)
	WHERE email_key <> '';
CREATE INDEX registrations_phone_key ON registrations(event_id, phone_key)
	WHERE phone_key <> '';
