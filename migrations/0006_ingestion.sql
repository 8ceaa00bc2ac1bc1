-- Ingestion jobs: one per (jurisdiction, source, date), so a cron tick or a redelivered message
-- never starts a second one. The checkpoint (file and byte offset of the next unloaded record)
-- moves in the same D1 batch as the rows it covers, and so do the counts.
CREATE TABLE ingestion_jobs (
  id                 TEXT PRIMARY KEY,   -- "us:assignment:2016-01-01"
  jurisdiction       TEXT NOT NULL,
  source             TEXT NOT NULL,
  date               TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  records            INTEGER NOT NULL DEFAULT 0,
  loaded             INTEGER NOT NULL DEFAULT 0,
  skipped            INTEGER NOT NULL DEFAULT 0,
  checkpoint_file    TEXT,
  checkpoint_offset  INTEGER NOT NULL DEFAULT 0,
  lease_until        INTEGER,
  attempts           INTEGER NOT NULL DEFAULT 0,
  error              TEXT,
  created_at         INTEGER NOT NULL,
  started_at         INTEGER,
  finished_at        INTEGER
);
CREATE INDEX ingestion_jobs_by_created ON ingestion_jobs (created_at, id);
CREATE INDEX ingestion_jobs_by_source ON ingestion_jobs (source, created_at);

-- Records skipped as malformed: where, and why. The rest of the file still loads.
CREATE TABLE ingestion_errors (
  job_id       TEXT NOT NULL REFERENCES ingestion_jobs (id),
  file         TEXT NOT NULL,
  byte_offset  INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  PRIMARY KEY (job_id, file, byte_offset)
) WITHOUT ROWID;
