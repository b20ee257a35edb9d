-- 004: the audit log becomes a hash chain: each entry carries the hash of the one before it
-- and its own hash over its content, so an altered, removed or inserted row is detected by
-- `waymark audit verify`.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
