-- A long file takes several queue invocations: each one stops at a checkpoint before it spends
-- the platform's per-invocation allowance and hands the rest to a new message. `invocations`
-- counts them (a rerun from the start counts afresh); `attempts` counts the tries of the part
-- that is left.
ALTER TABLE ingestion_jobs ADD COLUMN invocations INTEGER NOT NULL DEFAULT 0;
