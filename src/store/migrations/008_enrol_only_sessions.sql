-- 008: when the second factor is required, a session of an account that has not set one up
-- may only set it up.
ALTER TABLE sessions ADD COLUMN enrol_only INTEGER NOT NULL DEFAULT 0;
