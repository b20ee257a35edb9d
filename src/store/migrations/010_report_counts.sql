-- 010: counts for commissioner reports, kept in the same transaction as every change of a
-- referral (src/store/report_counts.h says what is counted; docs/metrics.md what it means).
-- A row is one counted key: a measure ("received.source"), the period it belongs to (the
-- month the referral was received, "2026-10"; a day or a year for the access measures), the
-- group ("B1", a service id; '' when not recorded) and a measured value (whole hours waited,
-- a due time in seconds; 0 when unused). Rows whose count falls to 0 are deleted. The store
-- fills the table from the existing referrals when this migration is applied.
CREATE TABLE report_counts (
  measure  TEXT NOT NULL,
  period   TEXT NOT NULL,
  key      TEXT NOT NULL,
  value    INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (measure, period, key, value)
);
