-- 003: what the queue and waiting lists need without reading the whole submission:
-- date of birth (transition alerts), needs (filters, reports) and the recommended service.
ALTER TABLE referrals ADD COLUMN birth_date TEXT;
ALTER TABLE referrals ADD COLUMN needs TEXT;
ALTER TABLE referrals ADD COLUMN recommended_service TEXT;
