// The load half of scripts/bench (`scripts/bench load`): an authenticated list under wrk with 64
// connections through workerd, twice. First with a key whose limit the run cannot reach (every
// answer must be a 200), then with a key at its role's default limit, inside one rate-limit
// window (exactly the limit admitted, every other answer a 429). Neither run may answer a 5xx.
// Returns the markdown section for docs/benchmarks.md, and throws when a run breaks the rules.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { bearer, fetchIdempotent, root, startWorker } from "../../tests/integration/harness.mjs";

const path = "/v1/keys?limit=20";
const script = `${root}/tests/bench/status_by_window.lua`;

// One wrk run: the answers counted by status and by rate-limit window (x-ratelimit-reset).
async function run(url, key, { seconds, connections }) {
  const { stdout } = await promisify(execFile)("wrk", [
    "-t2", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, "-H", `authorization: Bearer ${key}`, url,
  ]);
  const byStatus = {};
  const admittedByWindow = {};
  let socketErrors = 0;
  for (const line of stdout.split("\n")) {
    const counted = line.match(/^window (\d+) (\S+) (\d+)$/);
    if (counted) {
      const [, status, window, count] = counted;
      byStatus[status] = (byStatus[status] ?? 0) + Number(count);
      if (status === "200") admittedByWindow[window] = (admittedByWindow[window] ?? 0) + Number(count);
    }
    const errors = line.match(/^errors (\d+)$/);
    if (errors) socketErrors = Number(errors[1]);
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const serverErrors = Object.entries(byStatus).filter(([s]) => s >= "500").reduce((a, [, n]) => a + n, 0);
  return { byStatus, admittedByWindow, total, serverErrors, socketErrors, rps: total / seconds };
}

// Waits for the start of the next minute (plus a second), so a run shorter than a minute lies
// in one rate-limit window.
const untilNextMinute = () => new Promise((r) => setTimeout(r, 61_000 - (Date.now() % 60_000)));

export async function loadSection({ seconds = 30, connections = 64 } = {}) {
  if (seconds > 55) throw new Error("the limited run must fit in one minute window: at most 55 s");
  const worker = await startWorker({ wasm: "dist/patomic-wasi.wasm" });
  try {
    const roomy = await worker.ownerKey({ rate_limit_per_minute: 1_000_000 });
    // A full page: 24 keys in the organisation.
    for (let i = 0; i < 23; i++) {
      const created = await worker.get("/v1/keys", {
        method: "POST", headers: bearer(roomy, { "content-type": "application/json" }),
        body: JSON.stringify({ name: `load ${i}`, role: "member" }),
      });
      if (created.status !== 201) throw new Error(`POST /v1/keys: ${created.status} ${await created.text()}`);
    }
    const url = new URL(path, worker.url).href;
    const limited = await worker.ownerKey();
    const limit = Number((await worker.get("/v1/me", { headers: bearer(limited) })).headers.get("x-ratelimit-limit"));
    for (let i = 0; i < 200; i++) await (await fetchIdempotent(url, { headers: bearer(roomy) })).arrayBuffer();  // warm up
    worker.logs.length = 0;

    const open = await run(url, roomy, { seconds, connections });
    worker.logs.length = 0;
    await untilNextMinute();
    const capped = await run(url, limited, { seconds, connections });
    worker.logs.length = 0;

    const problems = [];
    if (open.serverErrors || capped.serverErrors) problems.push("5xx answers");
    if (open.byStatus["200"] !== open.total) problems.push(`the unlimited run answered ${JSON.stringify(open.byStatus)}`);
    const windows = Object.entries(capped.admittedByWindow);
    if (windows.length !== 1 || windows[0][1] !== limit) problems.push(`admitted per window ${JSON.stringify(capped.admittedByWindow)}, limit ${limit}`);
    if ((capped.byStatus["200"] ?? 0) + (capped.byStatus["429"] ?? 0) !== capped.total) problems.push(`the limited run answered ${JSON.stringify(capped.byStatus)}`);

    const row = (name, keyLimit, r) =>
      `| ${name} | ${keyLimit} | ${r.total} | ${Math.round(r.rps)} | ${r.byStatus["200"] ?? 0} | ${r.byStatus["429"] ?? 0} | ${r.serverErrors} | ${r.socketErrors} | ${Object.values(r.admittedByWindow).join(", ")} |`;
    const section = `## Under load: an authenticated list

\`GET ${path}\` (a full page of 20 keys, one D1 round trip for the key and its rate-limit window, one for the page)
on workerd (wasi module, Miniflare API, local D1), \`wrk -t2 -c${connections} -d${seconds}s\`, twice: with a key whose
limit the run cannot reach, and with an owner key at its default limit, started one second into a minute so that the
run lies in one rate-limit window. wrk shares the two cores with workerd. Every answer is counted by status and by
its \`x-ratelimit-reset\` window (\`tests/bench/status_by_window.lua\`).

| key | limit / minute | answers | answers/s | 200 | 429 | 5xx | socket errors | 200s per window |
|---|---|---|---|---|---|---|---|---|
${row("roomy", "1,000,000", open)}
${row("default", limit, capped)}

${problems.length ? `**Broken: ${problems.join("; ")}.**` : `No 5xx; the limited key was admitted exactly its limit in its window, and every other answer was 429.`}
`;
    if (problems.length) {
      console.log(section);
      throw new Error(problems.join("; "));
    }
    return section;
  } finally {
    await worker.mf.dispose();
  }
}
