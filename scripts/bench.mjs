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

// Asynchronous on purpose: Node must keep draining workerd's log pipe while wrk runs.
async function runWrk(url, connectionCount) {
  const { stdout: out } = await promisify(execFile)("wrk", ["-t1", `-c${connectionCount}`, `-d${seconds}s`, "--latency", url]);
  const toMs = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  const latency = (p) => {
    const match = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m"));
    return match ? toMs(match[1], match[2]) : NaN;
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: latency(50), p99: latency(99), non2xx };
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
      // Throughput under concurrency; latency from one connection, free of CPU contention.
      const loaded = await runWrk(url, connections);
      const single = await runWrk(url, 1);
      rows.push(`| ${name} | ${label} | ${Math.round(loaded.rps)} | ${Math.round(single.rps)} | ` +
        `${single.p50.toFixed(2)} ms | ${single.p99.toFixed(2)} ms | ${loaded.p99.toFixed(2)} ms |`);
      console.log(name, label, { loaded, single });
    }
  } finally {
    await worker.mf.dispose();
  }
}

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

Worker log lines are drained, not printed. Latency percentiles come from a single connection; under ${connections}
connections the p99 mostly measures wrk, workerd and Node competing for two cores. /readyz runs D1, KV and R2 reads concurrently in one round trip against
Miniflare's local simulators (SQLite-backed D1, disk-less KV and R2).

| module | request | requests/s (${connections} connections) | requests/s (1 connection) | p50 (1 conn.) | p99 (1 conn.) | p99 (${connections} conn.) |
|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
writeFileSync(`${root}/docs/benchmarks.md`, report);
console.log(report);
