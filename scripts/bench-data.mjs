// The measuring half of scripts/bench-data: loads a synthetic corpus (scripts/lib/synthetic.mjs)
// into local D1 on workerd, then times deep pages and searches through the whole Worker.
// Writes docs/benchmarks-data.md.
import { writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { root, startWorker } from "../tests/integration/harness.mjs";
import { syntheticStatements } from "./lib/synthetic.mjs";

const count = Number(process.env.BENCH_PATENTS ?? 1000000);
const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const depth = Math.min(100000, count / 2);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timed(url, headers) {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { headers });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, body };
}

async function latencies(url, headers, n = samples) {
  const times = [];
  for (let i = 0; i < n; i++) times.push((await timed(url, headers)).ms);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const worker = await startWorker();
const key = await worker.ownerKey();
// Thousands of requests follow in a few minutes: lift this key's per-minute limit before its
// first request (the isolate caches a key's grants once it has seen it).
await worker.db.prepare("UPDATE api_keys SET rate_limit_per_minute = 1000000").run();
const auth = { authorization: `Bearer ${key}` };
const url = (path) => new URL(path, worker.url).href;

// Load, 25 statements of 200 rows per D1 batch.
const loadStart = performance.now();
let batch = [];
let patentRows = 0;
for (const { table, sql } of syntheticStatements({ count })) {
  batch.push(worker.db.prepare(sql));
  if (table === "patents") patentRows += Math.min(200, count - patentRows);
  if (batch.length === 25) {
    await worker.db.batch(batch);
    batch = [];
  }
}
if (batch.length) await worker.db.batch(batch);
const loadSeconds = (performance.now() - loadStart) / 1000;
console.log(`loaded ${patentRows} patents (with text, assignee and CPC rows) in ${loadSeconds.toFixed(1)} s`);

// Pages at depth 0 and at `depth`, reached by following next_cursor (100 per page).
const pages = [];
for (const sort of ["-grant_date", "number"]) {
  const shallow = await latencies(url(`/v1/patents?sort=${sort}&limit=50`), auth);
  let cursor = null;
  for (let seen = 0; seen < depth; seen += 100) {
    const { body } = await timed(url(`/v1/patents?sort=${sort}&limit=100${cursor ? `&cursor=${cursor}` : ""}`), auth);
    cursor = body.next_cursor;
  }
  const deep = await latencies(url(`/v1/patents?sort=${sort}&limit=50&cursor=${cursor}`), auth);
  pages.push({ sort, shallow, deep });
  console.log(sort, shallow, deep);
}

// Searches: selective terms (0.01 % of documents) and one broader (1 %).
const queries = ["zeolite", "zeolite catalyst", "zeol*", "catalyst"];
const searches = [];
for (const q of queries) {
  const { body } = await timed(url(`/v1/search?q=${encodeURIComponent(q)}&limit=20`), auth);
  searches.push({ q, hits: body.data.length, more: body.has_more, ...(await latencies(url(`/v1/search?q=${encodeURIComponent(q)}&limit=20`), auth)) });
  console.log(searches.at(-1));
}
await worker.mf.dispose();

const revision = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
const ms = (value) => `${value.toFixed(2)} ms`;
const report = `# Benchmarks on a large data set

Produced by \`scripts/bench-data\` at revision ${revision} on ${cpus().length} cores (${cpus()[0].model}), Node
${process.versions.node}, workerd through the Miniflare API with local (SQLite-backed, in-memory) D1. Every request goes
through the whole Worker with a hot API key: authentication and rate limiting (one D1 round trip), then the query.
Latencies are ${samples} sequential requests on one connection, timed by the client.

## Data

${patentRows.toLocaleString("en")} synthetic utility grants (\`scripts/lib/synthetic.mjs\`, seed 1): titles, 20-word abstracts and
30-word claims drawn from a technical vocabulary, grant dates over 2000–2024, one of 10,000 assignees and one of 16
CPC symbols each, with their FTS5 rows. Loading them (${(patentRows * 4).toLocaleString("en")} rows in four tables, 200 rows per
statement, 25 statements per D1 batch) took ${loadSeconds.toFixed(1)} s: ${Math.round(patentRows / loadSeconds).toLocaleString("en")} patents/s,
${Math.round((patentRows * 4) / loadSeconds).toLocaleString("en")} rows/s.

## Keyset pages at depth

\`GET /v1/patents?limit=50\`, first page against the page after ${depth.toLocaleString("en")} documents (reached by following
\`next_cursor\`).

| sort | p50 at 0 | p50 at ${depth.toLocaleString("en")} | ratio | p99 at 0 | p99 at ${depth.toLocaleString("en")} |
|---|---|---|---|---|---|
${pages.map((p) => `| \`${p.sort}\` | ${ms(p.shallow.p50)} | ${ms(p.deep.p50)} | ${(p.deep.p50 / p.shallow.p50).toFixed(2)} | ${ms(p.shallow.p99)} | ${ms(p.deep.p99)} |`).join("\n")}

## Search

\`GET /v1/search?q=…&limit=20\`. "zeolite" is in 0.01 % of documents (100 in a million), "catalyst" in 1 %.

| q | hits on the page | more | p50 | p99 |
|---|---|---|---|---|
${searches.map((s) => `| \`${s.q}\` | ${s.hits} | ${s.more} | ${ms(s.p50)} | ${ms(s.p99)} |`).join("\n")}

BM25 ranks every match before the first page is cut, so a term in 1 % of documents (10,000 matches here) costs tens
of milliseconds; selective terms, the common case for patent searches, cost a few.
`;
writeFileSync(`${root}/docs/benchmarks-data.md`, report);
console.log(report);
