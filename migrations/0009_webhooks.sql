-- Webhook endpoints, their delivery attempts, and how far the fan-out has read the events.
CREATE TABLE webhook_endpoints (
  id                      TEXT PRIMARY KEY,   -- "we_" + 24 hex digits
  org_id                  TEXT NOT NULL REFERENCES organisations (id),
  url                     TEXT NOT NULL,
  description             TEXT,
  enabled_events          TEXT NOT NULL,      -- JSON array of event types, or ["*"]
  secret_sealed           TEXT NOT NULL,      -- the whsec_ secret, sealed (base64url)
  previous_secret_sealed  TEXT,               -- during a roll, until previous_expires_at
  previous_expires_at     INTEGER,
  status                  TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
  failing_since           INTEGER,            -- the first failure of the current run of failures
  flagged_at              INTEGER,            -- a delivery gave up (dead-letter queue)
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_by_org ON webhook_endpoints (org_id, created_at, id);

CREATE TABLE webhook_attempts (
  id           INTEGER PRIMARY KEY,
  endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  status       INTEGER,             -- the receiver's HTTP status; null when it never answered
  latency_ms   INTEGER NOT NULL,
  error        TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (endpoint_id, created_at, id);

-- One row: the (created_at, id) of the last event fanned out.
CREATE TABLE webhook_fanout (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  created_at  INTEGER NOT NULL,
  event_id    TEXT NOT NULL
);
