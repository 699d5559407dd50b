-- Channels beside e-mail: group robots (企业微信 / 钉钉) and SMS share the
-- outbox, its dedup keys, retries and states. A row's channel says which
-- sender thread takes it; e-mail rows keep the default.
--   channel     email | wecom | dingtalk | sms
--   station_id  a robot row: the station whose group gets it (NULL with a
--               robot row = the district-wide robot). The webhook and its
--               secret are read from robots at send time, never copied
--               into the outbox.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'
	CHECK (channel IN ('email', 'wecom', 'dingtalk', 'sms'));
ALTER TABLE outbox ADD COLUMN station_id INTEGER REFERENCES stations(id);
CREATE INDEX outbox_channel_due ON outbox(channel, status, next_attempt_at);
-- The per-number SMS limit counts what went to a number lately.
CREATE INDEX outbox_recipient ON outbox(recipient, channel, sent_at);

-- Group robots: one per station and service (and one district-wide per
-- service, station_id NULL). Configured by a coordinator in the console;
-- token and secret are never sent back in full.
CREATE TABLE robots (
	id INTEGER PRIMARY KEY,
	station_id INTEGER REFERENCES stations(id), -- NULL = district-wide
	channel TEXT NOT NULL CHECK (channel IN ('wecom', 'dingtalk')),
	token TEXT NOT NULL,                 -- WeCom key / DingTalk access_token
	secret TEXT NOT NULL DEFAULT '',     -- DingTalk signing secret (SEC…); '' = none
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX robots_scope ON robots(IFNULL(station_id, 0), channel);

-- A participant may refuse SMS (at registration or from their personal
-- page); the reminder opt-out stops SMS reminders as it stops mail ones.
ALTER TABLE registrations ADD COLUMN sms_opt_out INTEGER NOT NULL DEFAULT 0
	CHECK (sms_opt_out IN (0, 1));
