-- 009: versions of the clinical configuration the clinical lead controls: the triage decision
-- model (kind 'model': its DMN files) and the directory of services (kind 'directory': the
-- services document). A version id is a content hash, so the version stored with a decision
-- names exactly what produced it. At most one version of each kind is live ('published');
-- earlier live ones are 'retired' and may be published again (rollback); uploads not yet
-- published are 'draft'. `file_seen_at`: when `serve` last started with this version in the
-- area's files (a changed file is a deployment, and a deployment publishes).
CREATE TABLE config_versions (
  kind          TEXT NOT NULL CHECK (kind IN ('model', 'directory')),
  version       TEXT NOT NULL,
  content       TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retired')),
  origin        TEXT NOT NULL,
  summary       TEXT,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  published_by  TEXT,
  published_at  TEXT,
  file_seen_at  TEXT,
  PRIMARY KEY (kind, version)
);
CREATE UNIQUE INDEX config_versions_one_live ON config_versions (kind) WHERE state = 'published';
