// Starts the Worker on workerd through the Miniflare API, with the bindings of wrangler.toml
// (read by wrangler itself), in-memory storage, and the migrations applied.
// PATOMIC_WASM picks the module: dist/patomic-wasi.wasm (default) or dist/patomic-emscripten.wasm.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, before } from "node:test";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import { runCommand } from "../../scripts/lib/commands.mjs";

export const root = resolve(import.meta.dirname, "../..");
export const wasmPath = process.env.PATOMIC_WASM ?? "dist/patomic-wasi.wasm";
export const testPepper = "integration-test-pepper-0123456789";
// The development-only settings that scripts/dev puts in .dev.vars (from .dev.vars.example):
// tests run as a developer's machine does, unless they ask for the deployable defaults.
export const developmentVars = Object.fromEntries(
  readFileSync(join(root, ".dev.vars.example"), "utf8").split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line) && !line.startsWith("API_KEY_PEPPER="))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);

export function shimModules(wasmFile = wasmPath) {
  return [
    { type: "ESModule", path: join(root, "worker-shim/index.mjs") },
    { type: "ESModule", path: join(root, "worker-shim/engine.mjs") },
    { type: "ESModule", path: join(root, "worker-shim/effects.mjs") },
    { type: "CompiledWasm", path: join(root, "dist/patomic.wasm"), contents: readFileSync(join(root, wasmFile)) },
  ];
}

// The Worker's stdout lines (its JSON logs) land in `logs`, parsed where they are JSON.
// `options` are extra Miniflare options; `development: false` leaves out developmentVars, as
// a deployment does.
export async function startWorker({ vars = {}, wasm = wasmPath, options = {}, development = true } = {}) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  const logs = [];
  const collect = (stream) =>
    createInterface({ input: stream }).on("line", (line) => {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push(line);
      }
    });
  const mf = new Miniflare({
    ...workerOptions,
    modules: shimModules(wasm),
    modulesRoot: root,
    bindings: { ...workerOptions.bindings, ...(development ? developmentVars : {}), API_KEY_PEPPER: testPepper, ...vars },
    host: "127.0.0.1",
    port: 0,
    handleRuntimeStdio: (stdout, stderr) => {
      collect(stdout);
      collect(stderr);
    },
    ...options,
  });
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync(join(root, "migrations")).filter((f) => f.endsWith(".sql")).sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(join(root, "migrations", file), "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
  // Keys minted by the same commands scripts/create-key runs, through the same module: a tenant
  // organisation's owner, or a platform operator (the only keys that reach ingestion).
  const mint = async (command) => {
    const env = { DB: db, API_KEY_PEPPER: testPepper, ...vars };
    const result = await runCommand({ wasmFile: join(root, wasm), env, command });
    if (!result.ok) throw new Error(`${command.command}: ${result.error}`);
    return result.secret;
  };
  const ownerKey = ({ email = `owner-${crypto.randomUUID()}@example.com`, organisation = "Acme", ...rest } = {}) =>
    mint({ command: "create_owner_key", email, organisation, ...rest });
  const operatorKey = ({ email = "operator@patomic.test", ...rest } = {}) => mint({ command: "create_operator_key", email, ...rest });
  return { mf, url, db, logs, ownerKey, operatorKey, get: (path, init) => fetchIdempotent(new URL(path, url), init) };
}

// fetch, sending a GET or HEAD once more when the connection closed before any answer (as RFC
// 9110 9.2.2 allows for idempotent requests): workerd closes idle keep-alive connections, and
// Node's fetch can reuse one in that instant ("other side closed", UND_ERR_SOCKET).
export async function fetchIdempotent(input, init = {}) {
  try {
    return await fetch(input, init);
  } catch (error) {
    const method = (init.method ?? "GET").toUpperCase();
    if ((method !== "GET" && method !== "HEAD") || error?.cause?.code !== "UND_ERR_SOCKET") throw error;
    return fetch(input, init);
  }
}

export const bearer = (key, extra = {}) => ({ authorization: `Bearer ${key}`, ...extra });

export async function eventually(check, { timeoutMs = 15000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function expectEnvelope(assert, response, status, type, code) {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.equal(body.error.type, type);
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 0);
  assert.ok(body.error.suggestion.length > 0);
  assert.equal(body.error.docs_url, `http://localhost:8787/docs#error-${code}`);
  assert.equal(body.error.request_id, response.headers.get("x-request-id"));
  return body.error;
}

// Loads `files` ({name: bytes or text}) as the US job of (source, date), as scripts/ingest does:
// into R2 under raw/us/{source}/{date}/, POST /v1/ingestion/jobs, then waits for the queue
// consumer to finish it. Answers the finished job.
export async function ingest(worker, key, source, date, files = {}) {
  const bucket = await worker.mf.getR2Bucket("BLOBS");
  for (const [name, bytes] of Object.entries(files)) await bucket.put(`raw/us/${source}/${date}/${name}`, bytes);
  const created = await worker.get("/v1/ingestion/jobs", {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json" },
    body: JSON.stringify({ source, date }),
  });
  if (created.status !== 202 && created.status !== 200) throw new Error(`POST /v1/ingestion/jobs: ${created.status} ${await created.text()}`);
  const { id } = await created.json();
  return eventually(async () => {
    const job = await (await worker.get(`/v1/ingestion/jobs/${id}`, { headers: bearer(key) })).json();
    return job.status === "succeeded" || job.status === "failed" ? job : null;
  }, { timeoutMs: 60000 });
}

// A sample file's bytes, as a Uint8Array (what Miniflare's R2 put takes).
export const sample = (name) => new Uint8Array(readFileSync(join(root, "tests/fixtures/uspto", name)));

// For a describe block: a worker with an owner key (and, unless `withOperator` is false, a
// platform operator's), started before its tests and disposed after.
export function useWorkerWithOwner({ withOperator = true, ...options } = {}) {
  const shared = {};
  before(async () => {
    shared.worker = await startWorker(options);
    shared.owner = await shared.worker.ownerKey();
    if (withOperator) shared.operator = await shared.worker.operatorKey();
  });
  after(() => shared.worker?.mf.dispose());
  return shared;
}
