// scripts/ingest FILE... --source SOURCE --date YYYY-MM-DD [--url URL] [--key KEY] [--force]
// Loads a day's USPTO files into the running local API (scripts/dev) the way production does:
// uploads them to local R2 under raw/us/{source}/{date}/, queues the job with
// POST /v1/ingestion/jobs, draws a progress bar from GET /v1/ingestion/jobs/{id} until the
// job ends, then prints its counts. Without --key (or PATOMIC_KEY) it mints a local operator key.
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCommand } from "./lib/commands.mjs";
import { openLocalBindings } from "./lib/local-bindings.mjs";

const root = join(import.meta.dirname, "..");
const sources = ["assignment", "grant", "application", "maintenance", "cpc", "cpc_master"];
const usage = `usage: scripts/ingest FILE... --source ${sources.join("|")} --date YYYY-MM-DD [--url URL] [--key KEY] [--force]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: "string" },
    date: { type: "string" },
    url: { type: "string" },
    key: { type: "string" },
    force: { type: "boolean" },
  },
});
const fail = (message) => {
  console.error(`ingest: ${message}`);
  process.exit(2);
};
if (positionals.length === 0) fail(usage);
if (!sources.includes(values.source)) fail(`--source must be one of ${sources.join(", ")}\n${usage}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date ?? "")) fail(`--date must be YYYY-MM-DD\n${usage}`);
const files = positionals.map((name) => resolve(process.env.PATOMIC_INGEST_CWD ?? process.cwd(), name));
const contents = files.map((file) => {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    fail(`cannot read ${file}: ${error.message}`);
  }
});
const api = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
const prefix = `raw/us/${values.source}/${values.date}/`;

const { env, dispose } = await openLocalBindings(root);
let key = values.key ?? process.env.PATOMIC_KEY;
try {
  for (const [i, file] of files.entries()) {
    await env.BLOBS.put(prefix + basename(file), contents[i]);
    console.log(`ingest: uploaded ${basename(file)} (${(contents[i].length / 1e6).toFixed(1)} MB) to local R2 under ${prefix}`);
  }
  if (!key) {
    const command = { command: "create_operator_key", email: "operator@patomic.test" };
    const minted = await runCommand({ wasmFile: join(root, "dist/patomic.wasm"), env, command });
    if (!minted.ok) fail(`could not mint an operator key: ${minted.error}`);
    key = minted.secret;
  }
} finally {
  await dispose();
}

const call = async (method, path, body) => {
  let response;
  try {
    response = await fetch(new URL(path, api), {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    fail(`cannot reach the API at ${api} (is scripts/dev running?): ${error.cause?.message ?? error.message}`);
  }
  const answer = await response.json();
  if (!response.ok) fail(`${method} ${path}: ${response.status} ${answer.error?.message ?? JSON.stringify(answer)}`);
  return answer;
};

let job = await call("POST", "/v1/ingestion/jobs", { source: values.source, date: values.date, force: values.force ?? false });
if (job.status === "succeeded") {
  console.log(`ingest: ${job.id} already succeeded on these same files; nothing to do (--force runs it again).`);
}
const started = Date.now();
const bar = (job) => {
  const fraction = job.bytes_total > 0 ? Math.min(1, job.bytes_done / job.bytes_total) : 0;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
    `${(job.bytes_done / 1e6).toFixed(1)}/${(job.bytes_total / 1e6).toFixed(1)} MB  ` +
    `records ${job.records.toLocaleString("en")}  skipped ${job.skipped}  ${job.status}`;
};
let lastLine = 0;
while (job.status === "queued" || job.status === "running") {
  if (process.stderr.isTTY) process.stderr.write(`\r${bar(job)}`);
  else if (Date.now() - lastLine > 5000) {
    console.error(bar(job));
    lastLine = Date.now();
  }
  if (Date.now() - started > 60 * 60 * 1000) fail(`${job.id} is still ${job.status} after an hour; see GET /v1/ingestion/jobs/${job.id}`);
  await new Promise((resolve) => setTimeout(resolve, 250));
  job = await call("GET", `/v1/ingestion/jobs/${encodeURIComponent(job.id)}`);
}
if (process.stderr.isTTY) process.stderr.write(`\r${bar(job)}\n`);
const seconds = (Date.now() - started) / 1000;
console.log(`ingest: ${job.id} ${job.status} in ${seconds.toFixed(1)} s (${job.attempts} attempt${job.attempts === 1 ? "" : "s"})`);
console.log(`  records ${job.records}, loaded ${job.loaded}, skipped ${job.skipped}`);
if (job.skipped > 0) {
  const skipped = await call("GET", `/v1/ingestion/jobs/${encodeURIComponent(job.id)}/errors?limit=10`);
  for (const error of skipped.data) console.log(`  skipped at ${error.file}:${error.byte_offset}: ${error.reason}`);
  if (skipped.has_more) console.log(`  … more: GET /v1/ingestion/jobs/${job.id}/errors`);
}
if (job.status !== "succeeded") {
  console.log(`  error: ${job.error}`);
  process.exitCode = 1;
}
