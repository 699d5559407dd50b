-- Key cases (DESIGN, "Records of the work and the whole evaluation"):
-- a follow-up (回访) a coordinator deletes stays as a cancelled row, so
-- the counsellor's calendar feed shows it as STATUS:CANCELLED for 30 days
-- (as feeds keep cancelled shifts and events) instead of dropping it
-- silently. Lists and counts read only rows without cancelled_at.
ALTER TABLE case_follow_ups ADD COLUMN cancelled_at INTEGER; -- UTC seconds
