-- 012: controls from the security review (docs/decisions/0012-security-controls.md).
--
-- The audit log is append-only in the database itself: UPDATE and DELETE are refused. Purge
-- and pseudonymisation never change audit rows (they hold no free text, only references).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be removed');
END;

-- The chain head: the last entry's number and MAC, itself signed with the audit key, kept in
-- the same transaction as every entry (a copy is also written to a file outside the
-- database). Removing entries from the end, or all of them, no longer looks intact.
CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL,
  mac   TEXT NOT NULL
);
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE(ABORT, 'audit_head cannot be removed');
END;

-- Staff accounts: two-person rule for clinical access, one-time passwords, demo exemption.
-- An account holding a role that reads clinical records is pending until a clinical lead
-- other than the requester approves it.
ALTER TABLE accounts ADD COLUMN pending_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN requested_by TEXT;
ALTER TABLE accounts ADD COLUMN approved_by TEXT;
ALTER TABLE accounts ADD COLUMN approved_at TEXT;
-- Set by an administrator's one-time password: the first sign-in must choose a new one, and
-- the one-time password stops working at password_expires_at.
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN password_expires_at TEXT;
-- Only the demo accounts of `serve --demo`, and only while serving with --demo.
ALTER TABLE accounts ADD COLUMN second_factor_exempt INTEGER NOT NULL DEFAULT 0;
