-- 013: the report counts gain routings per service by locality and by source (the quarterly
-- report's tables per service), and declines are counted by their coded reason rather than
-- their words. The store recounts every referral when this migration is applied.
DELETE FROM report_counts;
