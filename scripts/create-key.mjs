// scripts/create-key EMAIL ORGANISATION [--test] [--rate-limit N]
// Mints an owner key in the local D1 that `wrangler dev` uses (.wrangler/state), creating the
// user and organisation when new, and prints the key once.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getPlatformProxy } from "wrangler";
import { runCommand } from "./lib/commands.mjs";

const root = join(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { test: { type: "boolean" }, "rate-limit": { type: "string" } },
});
if (positionals.length !== 2) {
  console.error("usage: scripts/create-key EMAIL ORGANISATION [--test] [--rate-limit N]");
  process.exit(2);
}
const [email, organisation] = positionals;
const command = { command: "create_owner_key", email, organisation, mode: values.test ? "test" : "live" };
if (values["rate-limit"] !== undefined) command.rate_limit_per_minute = Number(values["rate-limit"]);

const { env, dispose } = await getPlatformProxy({ configPath: join(root, "wrangler.toml"), persist: true });
try {
  const result = await runCommand({ wasmFile: join(root, "dist/patomic.wasm"), env, command });
  if (!result.ok) {
    console.error(`create-key: ${result.error}`);
    process.exitCode = 1;
  } else {
    console.log(`${result.created_user ? "Created" : "Found"} owner ${email} (${result.user_id}) in ${result.org_id}.`);
    console.log(`Key ${result.key_id} — shown once, store it now:\n\n  ${result.secret}\n`);
  }
} finally {
  await dispose();
}
