// The local D1 and R2 that `wrangler dev` persists (.wrangler/state/v3), with the Worker's vars
// (wrangler.toml, then .dev.vars), for the operator scripts. Opened through Miniflare with just
// those two bindings: wrangler's getPlatformProxy would bind the Durable Objects as well, which it
// cannot run outside the Worker, and warns so (wrangler once, workerd once per class) on every start.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";

export async function openLocalBindings(root) {
  const config = unstable_readConfig({ config: join(root, "wrangler.toml") });
  const devVarsFile = join(root, ".dev.vars");
  const devVars = existsSync(devVarsFile) ? parseEnv(readFileSync(devVarsFile, "utf8")) : {};
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    defaultPersistRoot: join(root, ".wrangler/state/v3"),
    d1Databases: Object.fromEntries(config.d1_databases.map((db) => [db.binding, db.preview_database_id ?? db.database_id])),
    r2Buckets: Object.fromEntries(config.r2_buckets.map((bucket) => [bucket.binding, bucket.bucket_name])),
  });
  const env = { ...config.vars, ...devVars };
  for (const { binding } of config.d1_databases) env[binding] = await mf.getD1Database(binding);
  for (const { binding } of config.r2_buckets) env[binding] = await mf.getR2Bucket(binding);
  return { env, dispose: () => mf.dispose() };
}
