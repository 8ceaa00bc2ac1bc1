-- Ingestion, second step: progress in bytes (for scripts/ingest's progress bar), the state a
-- resumed CPC load needs, CPC titles staged before one atomic swap, and every name variant an
-- entity is known by.
ALTER TABLE ingestion_jobs ADD COLUMN bytes_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingestion_jobs ADD COLUMN bytes_done INTEGER NOT NULL DEFAULT 0;
-- JSON the loader needs to resume where the checkpoint stands (the CPC level stack).
ALTER TABLE ingestion_jobs ADD COLUMN checkpoint_state TEXT;

-- A CPC job's titles, staged; the job's last batch replaces cpc_codes from them in one
-- transaction, so readers see the old scheme or the new one, never a mix.
CREATE TABLE cpc_staging (
  job_id  TEXT NOT NULL REFERENCES ingestion_jobs (id),
  symbol  TEXT NOT NULL,
  level   INTEGER,
  title   TEXT NOT NULL,
  parent  TEXT,
  PRIMARY KEY (job_id, symbol)
) WITHOUT ROWID;

-- Normalised names and the canonical entity each was grouped under (by the name-shard
-- Durable Object): "INTERNATIONAL BUSINESS MACHINES" and a misspelling share one entity.
CREATE TABLE entity_names (
  normalized_name  TEXT PRIMARY KEY,
  entity_id        TEXT NOT NULL REFERENCES assignees (id)
) WITHOUT ROWID;
CREATE INDEX entity_names_by_entity ON entity_names (entity_id, normalized_name);
