-- When a job was last queued: housekeeping queues again a job left queued for over an hour
-- (its message lost), and one left running with its lease lapsed (its attempt trapped or its
-- process died), to resume from its checkpoint.
ALTER TABLE ingestion_jobs ADD COLUMN queued_at INTEGER;
CREATE INDEX ingestion_jobs_by_status ON ingestion_jobs (status, lease_until);

-- Retention (wasm/background/housekeeping.hpp): the audit log goes to R2 after 90 days, attempts
-- after 30, a job's skipped records 90 days after it finished, job runs after 90.
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX job_runs_by_enqueued ON job_runs (enqueued_at);
CREATE INDEX ingestion_jobs_by_finished ON ingestion_jobs (finished_at);
