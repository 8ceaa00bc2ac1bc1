-- Keys carry a name, the role they act with (never above their creator's) and, once rolled,
-- the key that replaced them.
ALTER TABLE api_keys ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
  CHECK (role IN ('owner', 'admin', 'member', 'read_only'));
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;

-- GET /v1/audit-log pages newest first within an organisation.
CREATE INDEX audit_log_by_org_id ON audit_log (org_id, id);
