-- 005: throttling sign-in: consecutive failures and a temporary lock per account.
ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until TEXT;
