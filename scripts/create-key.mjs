// scripts/create-key EMAIL ORGANISATION [--test] [--rate-limit N]
// scripts/create-key EMAIL --operator [--rate-limit N]
// Mints an owner key in the local D1 that `wrangler dev` uses (.wrangler/state), creating the
// user and organisation when new, and prints the key once. With --operator, a platform
// operator's key instead (ingestion), in the platform's own organisation.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCommand } from "./lib/commands.mjs";
import { openLocalBindings } from "./lib/local-bindings.mjs";

const root = join(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { test: { type: "boolean" }, operator: { type: "boolean" }, "rate-limit": { type: "string" } },
});
if (positionals.length !== (values.operator ? 1 : 2)) {
  console.error("usage: scripts/create-key EMAIL ORGANISATION [--test] [--rate-limit N]\n       scripts/create-key EMAIL --operator [--test] [--rate-limit N]");
  process.exit(2);
}
const [email, organisation] = positionals;
const command = values.operator
  ? { command: "create_operator_key", email, mode: values.test ? "test" : "live" }
  : { command: "create_owner_key", email, organisation, mode: values.test ? "test" : "live" };
if (values["rate-limit"] !== undefined) command.rate_limit_per_minute = Number(values["rate-limit"]);

const { env, dispose } = await openLocalBindings(root);
try {
  const result = await runCommand({ wasmFile: join(root, "dist/patomic.wasm"), env, command });
  if (!result.ok) {
    console.error(`create-key: ${result.error}`);
    process.exitCode = 1;
  } else {
    console.log(`${result.created_user ? "Created" : "Found"} ${values.operator ? "operator" : "owner"} ${email} (${result.user_id}) in ${result.org_id}.`);
    console.log(`Key ${result.key_id} — shown once, store it now:\n\n  ${result.secret}\n`);
  }
} finally {
  await dispose();
}
