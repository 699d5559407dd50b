-- Mail: what the mailer needs beyond 001's outbox table.
-- expires_at: a reminder or notice still unsent by then is skipped, never
-- sent late. counsellor_id / registration_id: the recipient, so an
-- opt-out or a removed speaker can skip exactly their rows. detail: the
-- lines of a roster notice, gathered until it is due (JSON array).
ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
ALTER TABLE outbox ADD COLUMN counsellor_id INTEGER REFERENCES counsellors(id);
ALTER TABLE outbox ADD COLUMN registration_id INTEGER REFERENCES registrations(id);
ALTER TABLE outbox ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_event ON outbox(event_id, kind, status);
CREATE INDEX outbox_counsellor ON outbox(counsellor_id, kind, status);
CREATE INDEX outbox_registration ON outbox(registration_id, status);
