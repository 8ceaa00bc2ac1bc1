// Runs an operator command (wasm/accounts/commands.hpp) through the shim's own engine, with
// whatever bindings `env` holds: the local D1 for scripts/create-key, Miniflare's in tests.
import { readFileSync } from "node:fs";
import { Engine } from "../../worker-shim/engine.mjs";

// `blobs` are byte arrays the command refers to by index (a file to ingest).
export async function runCommand({ wasmFile, env, command, blobs = [] }) {
  const vars = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === "string"));
  const engine = new Engine(new WebAssembly.Module(readFileSync(wasmFile)), vars);
  const { meta } = await engine.run({ entry: "command", ...command }, blobs, { env });
  return meta;
}
