-- Events: every change a client cares about, kept 30 days (the hourly housekeeping job deletes
-- older ones). org_id NULL: patent data and ingestion, visible to every organisation; else the
-- organisation's own (its keys, its portfolios). Written in the same D1 batch as the change.
CREATE TABLE events (
  id          TEXT PRIMARY KEY,   -- "evt_" + 24 hex digits
  org_id      TEXT,
  type        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,   -- ms
  data        TEXT NOT NULL       -- a JSON object: the thing that changed
);
CREATE INDEX events_by_created ON events (created_at, id);
CREATE INDEX events_by_type ON events (type, created_at, id);
