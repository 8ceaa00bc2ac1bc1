// scripts/load-samples: loads the real USPTO sample files (tests/fixtures/uspto, provenance in
// SOURCES.md there) into the local D1 that `wrangler dev` uses, through the core's
// ingest_file command: the same parsers and upserts as ingestion. Loading twice changes nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { runCommand } from "./lib/commands.mjs";

const root = join(import.meta.dirname, "..");
const samples = [
  ["cpc", "cpc-section-A_20250501_head300.txt"],
  ["cpc", "cpc-section-Y_20250501_head80.txt"],
  ["grant", "grant_ipg120327_one_v42.xml"],
  ["grant", "grant_ipg120327_two_concat_v42.xml"],
  ["assignment", "assignment_ad20160101_subset.xml"],
];

const { env, dispose } = await getPlatformProxy({ configPath: join(root, "wrangler.toml"), persist: true });
try {
  for (const [source, file] of samples) {
    const bytes = new Uint8Array(readFileSync(join(root, "tests/fixtures/uspto", file)));
    const result = await runCommand({
      wasmFile: join(root, "dist/patomic.wasm"),
      env,
      command: { command: "ingest_file", source, file: 0 },
      blobs: [bytes],
    });
    if (!result.ok) throw new Error(`${file}: ${result.error}`);
    const skipped = result.skipped ? `, skipped ${result.skipped}: ${JSON.stringify(result.errors)}` : "";
    console.log(`load-samples: ${file}: ${result.loaded} of ${result.records} ${source} records${skipped}`);
  }
} finally {
  await dispose();
}
