-- Duty logs (值班记录), beyond the tables of 007_records.sql: the indexes
-- the missing-log list and the 12-hour reminder read by, both of which
-- look for shifts by the time they ended.
CREATE INDEX shifts_end ON shifts(end_at);
-- The reminder of a shift (outbox kind duty_log) is skipped when its log
-- arrives or its month is closed.
CREATE INDEX outbox_shift ON outbox(shift_id, kind, status);
