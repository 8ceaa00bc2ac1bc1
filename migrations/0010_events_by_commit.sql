-- Events are ordered by commit, not by a timestamp chosen before the write: seq is the rowid,
-- assigned inside the writing transaction. D1 (SQLite) has one writer at a time, so a batch
-- that commits later always holds higher seqs, and a reader that has seen seq N will never
-- see a lower one appear. AUTOINCREMENT: a seq is never reused, even once older rows are gone.
-- Everything that follows events (webhook fan-out, the firehose, GET /v1/events) reads by seq.
CREATE TABLE events_by_seq (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,   -- "evt_" + 24 hex digits
  org_id      TEXT,
  type        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,       -- ms, when the writer stamped it (informative, not an order)
  data        TEXT NOT NULL
);
INSERT INTO events_by_seq (id, org_id, type, created_at, data)
  SELECT id, org_id, type, created_at, data FROM events ORDER BY created_at, id;
DROP TABLE events;
ALTER TABLE events_by_seq RENAME TO events;
CREATE INDEX events_by_org ON events (org_id, seq);
CREATE INDEX events_by_type ON events (type, seq);
CREATE INDEX events_by_created ON events (created_at);  -- retention

-- The fan-out's position is the last seq it handed on.
CREATE TABLE webhook_fanout_by_seq (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_seq   INTEGER NOT NULL
);
INSERT INTO webhook_fanout_by_seq (singleton, last_seq)
  SELECT 1, COALESCE((SELECT max(e.seq) FROM events e WHERE (e.created_at, e.id) <= (f.created_at, f.event_id)), 0)
  FROM webhook_fanout f;
DROP TABLE webhook_fanout;
ALTER TABLE webhook_fanout_by_seq RENAME TO webhook_fanout;

-- Attempts: latency only when the receiver answered (how long a failed connection took would
-- map the network behind the URL); looked up by (endpoint, event) so that a redelivered
-- message is not sent again once delivered; deleted after 30 days.
CREATE TABLE webhook_attempts_v2 (
  id           INTEGER PRIMARY KEY,
  endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  status       INTEGER,             -- the receiver's HTTP status; null when it never answered
  latency_ms   INTEGER,             -- null when it never answered
  error        TEXT,
  created_at   INTEGER NOT NULL
);
INSERT INTO webhook_attempts_v2 SELECT id, endpoint_id, event_id, event_type, attempt, status, latency_ms, error, created_at
  FROM webhook_attempts;
DROP TABLE webhook_attempts;
ALTER TABLE webhook_attempts_v2 RENAME TO webhook_attempts;
CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (endpoint_id, created_at, id);
CREATE INDEX webhook_attempts_by_event ON webhook_attempts (endpoint_id, event_id);
CREATE INDEX webhook_attempts_by_created ON webhook_attempts (created_at);
