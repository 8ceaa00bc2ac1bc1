// The measuring half of scripts/bench (see there). Writes docs/benchmarks.md.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { gzipSync } from "node:zlib";
import { Engine } from "../worker-shim/engine.mjs";
import { root, startWorker } from "../tests/integration/harness.mjs";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const modules = { wasi: "dist/patomic-wasi.wasm", emscripten: "dist/patomic-emscripten.wasm" };
const endpoints = [
  ["/livez", "GET /livez (no I/O)"],
  ["/v1/no-such-route", "404 envelope (no I/O)"],
  ["/readyz", "GET /readyz (D1 + KV + R2, one round trip)"],
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// Instantiation as the shim does it per isolate: new Instance, _initialize, ptmc_configure.
function instantiateTimes(bytes, runs = 300) {
  const module = new WebAssembly.Module(bytes);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const engine = new Engine(module, { ENVIRONMENT: "bench" });
    globalThis.gc?.();  // collect earlier instances outside the timed region
    const start = process.hrtime.bigint();
    engine.exports();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

// Throughput with wrk. Asynchronous on purpose: Node must keep draining workerd's log pipe.
async function throughput(url) {
  const { stdout } = await promisify(execFile)("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, url]);
  return Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]);
}

// Latency from one keep-alive connection, request after request, timed in this process
// (wrk's own histogram disagreed with its request count here). Includes Node's fetch overhead.
async function latency(url, requests = 3000) {
  const times = [];
  for (let i = 0; i < requests; i++) {
    const start = process.hrtime.bigint();
    await (await fetch(url)).arrayBuffer();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const rows = [];
const sizes = [];
const instantiation = [];
for (const [name, file] of Object.entries(modules)) {
  const bytes = readFileSync(`${root}/${file}`);
  sizes.push(`| ${name} | ${(bytes.length / 1024).toFixed(1)} KiB | ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB |`);
  const times = instantiateTimes(bytes);
  instantiation.push(`| ${name} | ${percentile(times, 50).toFixed(3)} ms | ${percentile(times, 99).toFixed(3)} ms |`);

  const quiet = { handleRuntimeStdio: (stdout, stderr) => { stdout.resume(); stderr.resume(); } };  // drain, keep nothing
  const worker = await startWorker({ wasm: file, options: quiet });
  try {
    for (const [path, label] of endpoints) {
      const url = new URL(path, worker.url).href;
      for (let i = 0; i < 200; i++) await (await fetch(url)).arrayBuffer();  // warm up
      const rps = await throughput(url);
      const { p50, p99 } = await latency(url);
      rows.push(`| ${name} | ${label} | ${Math.round(rps)} | ${p50.toFixed(2)} ms | ${p99.toFixed(2)} ms |`);
      console.log(name, label, { rps, p50, p99 });
    }
  } finally {
    await worker.mf.dispose();
  }
}

const native = JSON.parse(execFileSync(`${root}/build/native-release/tests/bench_pipeline`, ["20000"], { encoding: "utf8" }));

const revision = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
const workerd = JSON.parse(readFileSync(`${root}/node_modules/workerd/package.json`, "utf8")).version;
const report = `# Benchmarks

Produced by \`scripts/bench\` (BENCH_SECONDS=${seconds}, BENCH_CONNECTIONS=${connections}) at revision \`${revision}\`
on ${cpus().length} × ${cpus()[0].model}, Node ${process.version}, workerd ${workerd}. Numbers are from one run on this machine:
compare rows of the same run, not runs on different machines. The load generator (wrk, 1 thread) shares the two cores
with workerd, so absolute requests/s understate a dedicated host.

## Module size

| toolchain | raw | gzip -9 |
|---|---|---|
${sizes.join("\n")}

## Instantiation

\`new WebAssembly.Instance\` + \`_initialize\` + \`ptmc_configure\`, as the shim does once per isolate, on an already
compiled module (workerd compiles the module when it loads the Worker), 300 runs in Node's V8, with a garbage
collection before each (outside the timed region).

| toolchain | p50 | p99 |
|---|---|---|
${instantiation.join("\n")}

## Requests on workerd (Miniflare API, no wrangler dev proxy)

Worker log lines are drained, not printed. Throughput is wrk's; latency is 3,000 sequential requests on one keep-alive
connection from Node's fetch, timed client-side (so it includes the client's overhead), which keeps the two cores
free of contention. /readyz runs D1, KV and R2 reads concurrently in one round trip against
Miniflare's local simulators (SQLite-backed D1, disk-less KV and R2).

| module | request | requests/s (wrk, ${connections} connections) | p50 (1 connection) | p99 (1 connection) |
|---|---|---|---|---|
${rows.join("\n")}

## The core alone, natively

The same requests through the whole pipeline in-process (\`build/native-release/tests/bench_pipeline\`,
${native.requests} requests each): C ABI, wire codec, coroutine tasks, middleware and router, with the native host's
in-memory bindings (SQLite for D1). This is the core's own cost per request; the rest of a workerd request is the
runtime, the shim and the bindings.

| request | µs per request |
|---|---|
| GET /livez | ${native.livez_us.toFixed(2)} |
| 404 envelope | ${native.not_found_us.toFixed(2)} |
| GET /readyz (3 effects, one round trip) | ${native.readyz_us.toFixed(2)} |
`;
writeFileSync(`${root}/docs/benchmarks.md`, report);
console.log(report);
