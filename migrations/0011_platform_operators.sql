-- Platform operators are users of the platform's own organisation (kind 'platform', at most
-- one), minted by the create_operator_key command; only their keys may hold the platform
-- scopes (ingestion:read, ingestion:write). Tenant keys lose those scopes, and every key
-- gains events:read, which GET /v1/events and the stream now need.
ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'tenant' CHECK (kind IN ('tenant', 'platform'));
CREATE UNIQUE INDEX organisations_one_platform ON organisations (kind) WHERE kind = 'platform';

UPDATE api_keys SET scopes = (
  SELECT json_group_array(value) FROM (
    SELECT value FROM json_each(api_keys.scopes) WHERE value NOT IN ('ingestion:read', 'ingestion:write', 'events:read')
    UNION ALL SELECT 'events:read'));

-- The scopes of the key that last set an endpoint's events: it receives only the event types
-- those scopes may read (wasm/events/events.hpp), as GET /v1/events would answer that key.
ALTER TABLE webhook_endpoints ADD COLUMN scopes TEXT NOT NULL
  DEFAULT '["events:read","keys:read","portfolios:read","webhooks:read"]';
