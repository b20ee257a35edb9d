-- 006: the staff second factor: a TOTP secret per account (confirmed before it is enforced),
-- the last time step used (no replay), and single-use recovery codes stored as hashes.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
  account_id  TEXT NOT NULL REFERENCES accounts (id),
  code_hash   TEXT NOT NULL,
  used_at     TEXT,
  PRIMARY KEY (account_id, code_hash)
);
