-- 002: triage results, routing, waiting-list clocks, contacts and alerts.

ALTER TABLE referrals ADD COLUMN priority TEXT;
-- 1 emergency, 2 very urgent, 3 urgent, 4 routine: the queue's first sort key.
ALTER TABLE referrals ADD COLUMN priority_rank INTEGER NOT NULL DEFAULT 3;
ALTER TABLE referrals ADD COLUMN thrive_group TEXT;
ALTER TABLE referrals ADD COLUMN decision TEXT;
ALTER TABLE referrals ADD COLUMN model_version TEXT;
ALTER TABLE referrals ADD COLUMN triage_due_at TEXT;
ALTER TABLE referrals ADD COLUMN service_id TEXT;
ALTER TABLE referrals ADD COLUMN clock_start_at TEXT;
ALTER TABLE referrals ADD COLUMN breach_due_at TEXT;
ALTER TABLE referrals ADD COLUMN clock_stop_at TEXT;
ALTER TABLE referrals ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN outcome TEXT;
ALTER TABLE referrals ADD COLUMN family_message TEXT;

CREATE INDEX referrals_queue ON referrals (owner, priority_rank, triage_due_at);
CREATE INDEX referrals_waiting ON referrals (service_id, status, breach_due_at);

CREATE TABLE contacts (
  id             TEXT PRIMARY KEY,
  reference      TEXT NOT NULL REFERENCES referrals (reference),
  service_id     TEXT NOT NULL,
  booked_for     TEXT NOT NULL,
  mechanism      TEXT NOT NULL,
  attend_status  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  recorded_at    TEXT
);
CREATE INDEX contacts_by_reference ON contacts (reference, booked_for);

CREATE TABLE alerts (
  id          TEXT PRIMARY KEY,
  reference   TEXT NOT NULL REFERENCES referrals (reference),
  code        TEXT NOT NULL,
  message     TEXT NOT NULL,
  raised_at   TEXT NOT NULL,
  cleared_at  TEXT
);
CREATE INDEX alerts_open ON alerts (cleared_at, raised_at);

-- Which services a service clinician or manager works for ("*" for all, in the demo).
ALTER TABLE accounts ADD COLUMN services TEXT NOT NULL DEFAULT '';
