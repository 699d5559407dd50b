-- An outbox row written into fewer indexes (issue 15: a registration
-- queues two reminder rows, each written into every index of the
-- table). Three indexes serve only some rows and now hold only those:
-- the SMS sent to a number (STMT_SMS_SENT_SINCE: recipient, channel
-- 'sms', sent_at; an e-mail address was a random page of this index for
-- every reminder), a counsellor's rows and a shift's rows (their
-- queries name counsellor_id = ? or shift_id = ?, which implies the
-- index's condition). Every statement on the outbox keeps its plan (the
-- SMS count still reads the index alone).
DROP INDEX outbox_recipient;
CREATE INDEX outbox_recipient ON outbox(recipient, channel, sent_at)
	WHERE channel = 'sms';
DROP INDEX outbox_counsellor;
CREATE INDEX outbox_counsellor ON outbox(counsellor_id, kind, status)
	WHERE counsellor_id IS NOT NULL;
DROP INDEX outbox_shift;
CREATE INDEX outbox_shift ON outbox(shift_id, kind, status)
	WHERE shift_id IS NOT NULL;
