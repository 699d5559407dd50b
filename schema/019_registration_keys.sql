-- Registrations' duplicate check by index (issue 15, regidx): the keys
-- registration_same_person compares (svc/core/regist.c), so "a live
-- registration of event E with email_key = ? OR phone_key = ?" is two
-- index lookups instead of a walk over the event's registrations.
--
-- email_key: the e-mail address without surrounding blanks, ASCII
-- letters in lower case; phone_key: the phone as digits (a mainland
-- mobile as its 11 digits). '' when the registration has none (and once
-- purged); NULL only on the rows from before this migration, which
-- Hearth fills in C at start (store_registration_keys_fill: SQL cannot
-- compute the phone key) in one transaction before serving.
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
