-- 007: the young person's confidentiality choices (and, for under-16s, the clinician's
-- competence assessment) as they stand now; every change is also an event. A safeguarding
-- override is recorded here, with its reason in the audit log.
ALTER TABLE referrals ADD COLUMN confidentiality TEXT;
ALTER TABLE referrals ADD COLUMN safeguarding_override INTEGER NOT NULL DEFAULT 0;
