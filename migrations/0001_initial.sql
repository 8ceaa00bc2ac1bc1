-- Accounts, keys, the audit log, rate-limit windows and background job runs.
-- The same file runs on D1 (wrangler d1 migrations apply) and on SQLite in the native host.
-- Times are Unix epoch milliseconds.

CREATE TABLE organisations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organisations (id),
  email       TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'read_only')),
  created_at  INTEGER NOT NULL
);
CREATE INDEX users_by_org ON users (org_id);

-- The key itself is never stored: only PBKDF2(key, pepper) and what identifies it to a person.
CREATE TABLE api_keys (
  id                    TEXT PRIMARY KEY,
  org_id                TEXT NOT NULL REFERENCES organisations (id),
  user_id               TEXT NOT NULL REFERENCES users (id),
  key_hash              TEXT NOT NULL UNIQUE,
  mode                  TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  prefix                TEXT NOT NULL,
  last4                 TEXT NOT NULL,
  scopes                TEXT NOT NULL DEFAULT '[]',
  rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute > 0),
  created_at            INTEGER NOT NULL,
  expires_at            INTEGER,
  revoked_at            INTEGER
);
CREATE INDEX api_keys_by_org ON api_keys (org_id, created_at);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  org_id      TEXT,
  key_id      TEXT,
  actor_ip    TEXT,
  event       TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '{}',
  request_id  TEXT
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, at);

-- One row per key per minute window, counted with INSERT ... ON CONFLICT DO UPDATE ... RETURNING.
CREATE TABLE rate_limits (
  key_id        TEXT NOT NULL,
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL,
  PRIMARY KEY (key_id, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);

-- One row per background job: the scheduled handler records it, the queue consumer runs it.
CREATE TABLE job_runs (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  cron         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('queued', 'succeeded', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  enqueued_at  INTEGER NOT NULL,
  finished_at  INTEGER,
  detail       TEXT
);
CREATE INDEX job_runs_by_kind ON job_runs (kind, enqueued_at);
