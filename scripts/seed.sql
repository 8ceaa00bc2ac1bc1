-- Local development data, applied by scripts/dev after the migrations. Idempotent.
INSERT INTO organisations (id, name, created_at) VALUES ('org_dev', 'Patomic Dev', 1767225600000)
  ON CONFLICT (id) DO NOTHING;
INSERT INTO users (id, org_id, email, role, created_at)
  VALUES ('usr_dev_owner', 'org_dev', 'owner@patomic.test', 'owner', 1767225600000)
  ON CONFLICT (id) DO NOTHING;
