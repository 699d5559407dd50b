-- Reliability and security (issue 17).

-- The link in reminder mails carries an opt-out token of its own: it can
-- turn that registration's reminders off and on and nothing else. Before,
-- it was the registration token, which also cancels the registration.
-- Rows made before this migration get one here; new ones when they are
-- made (api/participant.c, 128-bit random from libsodium).
ALTER TABLE registrations ADD COLUMN optout_token TEXT;
UPDATE registrations SET optout_token = lower(hex(randomblob(16)))
	WHERE optout_token IS NULL;
CREATE UNIQUE INDEX registrations_optout ON registrations(optout_token);
