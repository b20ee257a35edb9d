-- 001: referrals, their events, informants and their versioned views, staff accounts,
-- sessions and the audit log. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are ISO 8601 UTC text ("2026-11-23T03:45:12.123Z"), which sorts as time.

CREATE TABLE referrals (
  reference          TEXT PRIMARY KEY,
  token_hash         TEXT NOT NULL,
  status             TEXT NOT NULL,
  owner              TEXT NOT NULL,
  received_at        TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  version            INTEGER NOT NULL,
  source             TEXT NOT NULL,
  referrer_type      TEXT NOT NULL,
  age_on_receipt     INTEGER NOT NULL,
  postcode_district  TEXT,
  locality           TEXT,
  gender             TEXT,
  ethnic_category    TEXT,
  crisis             INTEGER NOT NULL,
  submission         TEXT NOT NULL
);
CREATE INDEX referrals_by_status ON referrals (status, received_at);
CREATE INDEX referrals_by_received ON referrals (received_at);

-- Every change of state: what, who, when, why. Reports read these.
CREATE TABLE events (
  id         TEXT PRIMARY KEY,
  reference  TEXT NOT NULL REFERENCES referrals (reference),
  kind       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL,
  reason     TEXT,
  data       TEXT
);
CREATE INDEX events_by_reference ON events (reference, at);
CREATE INDEX events_by_kind ON events (kind, at);

-- People asked for their view of the same request (parent, school, the young person).
CREATE TABLE informants (
  id                 TEXT PRIMARY KEY,
  reference          TEXT NOT NULL REFERENCES referrals (reference),
  role               TEXT NOT NULL,
  invite_token_hash  TEXT NOT NULL,
  invited_at         TEXT NOT NULL,
  invited_by         TEXT NOT NULL
);
CREATE INDEX informants_by_reference ON informants (reference);

-- Each view is a new version; none is ever overwritten.
CREATE TABLE informant_views (
  informant_id  TEXT NOT NULL REFERENCES informants (id),
  version       INTEGER NOT NULL,
  submitted_at  TEXT NOT NULL,
  answers       TEXT NOT NULL,
  PRIMARY KEY (informant_id, version)
);

CREATE TABLE accounts (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL,
  password_hash  TEXT NOT NULL,
  roles          TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  id_hash       TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts (id),
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Who read or changed identifiable data. Append-only; the hash chain comes with the
-- security work (docs/decisions/0001-core.md).
CREATE TABLE audit_log (
  seq      INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL,
  role     TEXT,
  action   TEXT NOT NULL,
  record   TEXT,
  fields   TEXT,
  client   TEXT,
  reason   TEXT
);
