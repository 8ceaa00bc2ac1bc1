-- Idempotency-Key claims and the responses they replay (Stripe semantics), per organisation.
-- key_hash is SHA-256 of the client's key; response is the sealed (encrypted, authenticated)
-- wire frame of the first response, base64url. 'running' claims expire after 2 minutes (a
-- crashed isolate frees them); 'done' ones after 24 hours. The housekeeping job deletes both.
CREATE TABLE idempotency_keys (
  org_id       TEXT NOT NULL,
  key_hash     TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('running', 'done')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  response     TEXT,
  PRIMARY KEY (org_id, key_hash)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
