-- A job's identity covers its files: the fingerprint of the raw files it last ran on (each
-- one's key, etag and size), so a file the USPTO publishes again for the same day loads again,
-- while a request over identical files changes nothing.
ALTER TABLE ingestion_jobs ADD COLUMN inputs_fingerprint TEXT;
