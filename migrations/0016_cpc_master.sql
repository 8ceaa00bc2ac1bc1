-- The CPC master classification file's symbols for the patents held, staged by its job; the
-- job's last batch replaces, in one transaction, the CPC rows of every patent the file names
-- with the staged ones, so a reader sees a patent's old symbols or its new ones, never a mix.
-- Patents the file does not name (designs, plants, grants newer than the file) keep theirs.
CREATE TABLE patent_cpc_staging (
  job_id         TEXT NOT NULL REFERENCES ingestion_jobs (id),
  patent_number  TEXT NOT NULL,
  symbol         TEXT NOT NULL,
  position       INTEGER NOT NULL,
  PRIMARY KEY (job_id, patent_number, symbol)
) WITHOUT ROWID;
