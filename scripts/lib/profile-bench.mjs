// Where a request's CPU time goes inside workerd (`scripts/bench profile`): a V8 CPU profile of
// the Worker's isolate, taken through Miniflare's inspector port while wrk runs, its samples
// summed by what they ran (the module, the shim's frame codec, its log line, the Response
// built, the rest of the shim, the runtime), for a 404 and for an authenticated list.
// Returns the section for docs/benchmarks.md.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import WebSocket from "ws";
import { fetchIdempotent, root, startWorker } from "../../tests/integration/harness.mjs";
import { encodeHead, Engine } from "../../worker-shim/engine.mjs";
import { syntheticStatements } from "./synthetic.mjs";

const inspectorPort = 9231;

// What a sample's own function is part of.
function partOf({ functionName, url }) {
  if (url.startsWith("wasm://")) return "module (Wasm)";
  if (url.includes("worker-shim/")) {
    if (["encodeFrame", "decodeFrame", "requestFrame", "encodeHead", "decodeHead"].includes(functionName)) return "shim: frames (JSON metadata, copies)";
    if (functionName === "fd_write") return "shim: log line (fd_write, console.log)";
    if (functionName === "toResponse") return "shim: Response headers and body";
    return "shim: the rest (engine loop, effects)";
  }
  if (functionName === "Response") return "runtime: new Response";
  if (functionName === "(idle)") return "idle (waiting on I/O or wrk)";
  if (functionName === "(garbage collector)") return "garbage collector";
  return "runtime: the rest (request, I/O, promises)";
}

// A CPU profile of the worker's isolate over `seconds` of wrk on `url`.
async function profile(url, key, seconds) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => /core:user/.test(t.title ?? "")) ?? targets[0];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const waiting = new Map();
  socket.on("message", (data) => {
    const message = JSON.parse(data);
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    waiting.set(++next, resolve);
    socket.send(JSON.stringify({ id: next, method, params }));
  });
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 100 });
    await send("Profiler.start");
    const { stdout } = await promisify(execFile)("wrk", ["-t1", "-c8", `-d${seconds}s`, "-H", `authorization: Bearer ${key}`, url]);
    const { profile: result } = await send("Profiler.stop");
    const nodes = new Map(result.nodes.map((node) => [node.id, node]));
    const parts = {};
    for (const sample of result.samples) {
      const part = partOf(nodes.get(sample).callFrame);
      parts[part] = (parts[part] ?? 0) + 1;
    }
    return { parts, samples: result.samples.length, rps: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]) };
  } finally {
    socket.close();
  }
}

// The module alone: the shim's own Engine drives 404s in this process's V8, no workerd, log lines
// dropped. µs per request, frames included; the median of `rounds` runs.
async function moduleAlone404({ requests = 20000, rounds = 3 } = {}) {
  const wasm = new WebAssembly.Module(readFileSync(`${root}/dist/patomic-wasi.wasm`));
  const engine = new Engine(wasm, { ENVIRONMENT: "test", API_KEY_PEPPER: "p".repeat(32), CURSOR_SECRET: "c".repeat(32) });
  engine.prepare();
  const head = encodeHead([["host", "127.0.0.1"], ["user-agent", "wrk"], ["accept", "*/*"]]);
  const once = () => engine.run({ entry: "fetch", method: "GET", url: "http://127.0.0.1/no-such-route", head: 0 }, [head], { env: {} });
  const print = console.log;
  console.log = () => {};
  try {
    const { meta } = await once();
    if (meta.status !== 404) throw new Error(`the module answered ${meta.status}, not the 404 measured`);
    for (let i = 0; i < 3000; i++) await once();
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < requests; i++) await once();
      runs.push(Number(process.hrtime.bigint() - started) / requests / 1000);
    }
    return runs.sort((a, b) => a - b)[Math.floor(rounds / 2)];
  } finally {
    console.log = print;
  }
}

export async function profileSection({ patents = 2000, seconds = 6 } = {}) {
  const discard = (stdout, stderr) => { stdout.resume(); stderr.resume(); };
  const worker = await startWorker({ vars: { PATOMIC_DEBUG_ROUTES: "false" }, options: { inspectorPort, handleRuntimeStdio: discard } });
  try {
    const statements = Array.from(syntheticStatements({ count: patents, assignees: 100 }), ({ sql }) => worker.db.prepare(sql));
    for (let at = 0; at < statements.length; at += 50) await worker.db.batch(statements.slice(at, at + 50));
    const key = await worker.ownerKey({ rate_limit_per_minute: 1000000 });
    const workloads = { "404": "/no-such-route", "GET /v1/patents?limit=50": "/v1/patents?limit=50" };
    const measured = {};
    for (const [name, path] of Object.entries(workloads)) {
      const url = new URL(path, worker.url).href;
      for (let i = 0; i < 300; i++) await (await fetchIdempotent(url, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
      measured[name] = await profile(url, key, seconds);
    }
    const names = [...new Set(Object.values(measured).flatMap(({ parts }) => Object.keys(parts)))]
      .sort((a, b) => (measured["404"].parts[b] ?? 0) - (measured["404"].parts[a] ?? 0));
    const share = ({ parts, samples }, name) => `${((100 * (parts[name] ?? 0)) / samples).toFixed(1)} %`;
    const rows = names.map((name) => `| ${name} | ${Object.values(measured).map((m) => share(m, name)).join(" | ")} |`);
    console.log(measured);
    const alone = await moduleAlone404();
    return `## Where the time goes on workerd

A V8 CPU profile of the Worker's isolate (Miniflare's inspector port, 100 µs sampling) while \`wrk -t1 -c8 -d${seconds}s\` runs,
each sample counted once, under the function it was in (self time); ${patents.toLocaleString("en")} synthetic patents, a hot key.
The profiler slows the isolate (${Object.entries(measured).map(([name, m]) => `${name}: ${Math.round(m.rps)} requests/s`).join(", ")}
while profiled), so read the shares, not the rates.

| part | ${Object.keys(measured).join(" | ")} |
|---|${Object.keys(measured).map(() => "---|").join("")}
${rows.join("\n")}

The module alone, driven by the shim's own \`Engine\` in Node's V8 (no workerd; a 404 with three request headers,
20,000 requests after 3,000 of warm-up, log lines dropped; median of 3 runs): ${alone.toFixed(1)} µs per 404, frames included.
`;
  } finally {
    await worker.mf.dispose();
  }
}
