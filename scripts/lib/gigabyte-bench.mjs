// The gigabyte run of scripts/bench: the three sample grants repeated, each copy with its own
// publication number, to over 1 GB of XML, zipped as the USPTO publishes a week, and loaded by
// one ingestion job on workerd (Miniflare API, in-memory D1 and R2, the INGEST_US consumer with
// the default per-invocation allowance). Reports the module's linear memory at the end of every
// invocation, an upper bound of each invocation's CPU time (all of workerd's, its local D1 and
// R2 included), rows/s, the objects written to R2 and the total time.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bearer, root, startWorker } from "../../tests/integration/harness.mjs";
import { grantDocuments, kGrantTables, renumbered } from "./ingest-bench.mjs";

const kMinimumBytes = 1_000_000_000;
const kPollMs = 200;
const kTimeoutMs = 45 * 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Writes the documents, renumbered copy by copy, until the file passes kMinimumBytes; a V8
// string cannot hold a gigabyte, so it goes to disk piece by piece.
function writeGrants(path) {
  const documents = grantDocuments();
  const file = openSync(path, "w");
  let bytes = 0, grants = 0;
  try {
    while (bytes < kMinimumBytes) {
      const parts = documents.map((text, i) => renumbered(text, grants + i));
      grants += documents.length;
      bytes += writeSync(file, parts.join("\n") + "\n");
    }
  } finally {
    closeSync(file);
  }
  return { bytes, grants };
}

// workerd's CPU time so far (user + system), in milliseconds: Miniflare runs it as a child.
const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
function workerdCpuMs() {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  let total = 0;
  for (const pid of pids) {
    let stat;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "workerd") continue;
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;  // gone between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[1]) !== process.pid) continue;  // another workerd than this run's
    total += ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  }
  return total;
}

async function countObjects(bucket, prefix) {
  let objects = 0, bytes = 0, cursor;
  for (let page = 0; page < 10_000; page++) {
    const listed = await bucket.list({ prefix, cursor, limit: 1000 });
    objects += listed.objects.length;
    for (const object of listed.objects) bytes += object.size;
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return { objects, bytes };
}

export async function gigabyteSection() {
  const folder = mkdtempSync(join(tmpdir(), "patomic-gigabyte-"));
  const worker = await startWorker();
  try {
    const xml = join(folder, "ipg120327.xml");
    const written = writeGrants(xml);
    execFileSync("zip", ["-q", "-1", "-j", join(folder, "ipg120327.zip"), xml]);
    const archive = new Uint8Array(readFileSync(join(folder, "ipg120327.zip")));  // the proxy takes no Buffer
    rmSync(xml);
    const key = await worker.operatorKey();
    const bucket = await worker.mf.getR2Bucket("BLOBS");
    await bucket.put("raw/us/grant/2012-03-27/ipg120327.zip", archive);

    const cpuAtStart = workerdCpuMs();
    const started = Date.now();
    const created = await worker.get("/v1/ingestion/jobs", {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json" },
      body: JSON.stringify({ source: "grant", date: "2012-03-27" }),
    });
    if (created.status !== 202) throw new Error(`POST /v1/ingestion/jobs: ${created.status} ${await created.text()}`);
    // An invocation ends when the next one claims the job (the count moves) or the job ends: the
    // CPU between two such moments is all the invocation's, and the queue's hand-over besides.
    const invocationCpuMs = [];
    let job, seen = 0, cpuAtLastMove = cpuAtStart;
    for (const deadline = Date.now() + kTimeoutMs; Date.now() < deadline; await sleep(kPollMs)) {
      job = await worker.db.prepare("SELECT * FROM ingestion_jobs WHERE id = 'us:grant:2012-03-27'").first();
      const cpu = workerdCpuMs();
      const done = job.status === "succeeded" || job.status === "failed";
      if (job.invocations > seen || done) {
        if (seen > 0) invocationCpuMs.push(cpu - cpuAtLastMove);
        cpuAtLastMove = cpu;
        seen = job.invocations;
      }
      if (done) break;
    }
    if (job.status !== "succeeded") throw new Error(`the gigabyte job did not succeed: ${job.status} ${job.error ?? ""}`);
    const totalSeconds = (Date.now() - started) / 1000;
    const jobSeconds = (job.finished_at - job.started_at) / 1000;
    let rows = 0;
    for (const table of kGrantTables) rows += (await worker.db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;
    // The database's size after the load, for docs/decisions.md's sizing of the corpus.
    const pages = await worker.db.prepare("SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()").first();
    const fullTexts = await countObjects(bucket, "patents/");
    const staged = await countObjects(bucket, "staged/");
    const ended = worker.logs.filter((line) => line?.msg === "ingestion handed over" || line?.msg === "ingestion succeeded");
    const memory = ended.map((line) => line.memory_bytes);
    const effects = ended.map((line) => line.effects);
    const result = {
      written, archiveBytes: archive.length, job, rows, databaseBytes: pages.bytes, totalSeconds, jobSeconds, fullTexts, staged,
      invocationCpuMs, memory: { first: memory[0], last: memory.at(-1), max: Math.max(...memory), min: Math.min(...memory) },
      effectsMax: Math.max(...effects),
    };
    console.log(result);
    const mb = (bytes) => (bytes / 1e6).toFixed(1);
    const mib = (bytes) => (bytes / 1048576).toFixed(2);
    const sortedCpu = [...invocationCpuMs].sort((a, b) => a - b);
    const cpuAt = (q) => sortedCpu[Math.min(sortedCpu.length - 1, Math.floor(q * sortedCpu.length))];
    return `## A gigabyte of grants

The three sample grants repeated with their own publication numbers to ${mb(written.bytes)} MB of XML
(${written.grants.toLocaleString("en")} grants), zipped with Info-ZIP \`zip -1\` to ${mb(archive.length)} MB as one weekly
\`ipg\` archive, loaded by one ingestion job on workerd (Miniflare API, in-memory D1 and R2, the INGEST_US consumer, the
default per-invocation allowance of docs/decisions.md 47).

| | |
|---|---|
| job | ${job.status}, ${job.loaded.toLocaleString("en")} grants loaded, ${job.skipped} skipped |
| queue invocations | ${job.invocations} (each ended at a checkpoint, the last with the job) |
| rows written | ${rows.toLocaleString("en")} (${kGrantTables.join(", ")}) |
| D1 database after the load | ${mb(pages.bytes)} MB, ${Math.round(pages.bytes / job.loaded).toLocaleString("en")} bytes per grant (migrations and keys included) |
| rows/s | **${Math.round(rows / jobSeconds).toLocaleString("en")}** over the job's ${jobSeconds.toFixed(0)} s |
| objects written to R2 | ${fullTexts.objects.toLocaleString("en")} full texts (${mb(fullTexts.bytes)} MB), 1 staged entry (${mb(written.bytes)} MB, removed at the end: ${staged.objects} left) |
| Wasm linear memory at the end of each invocation | ${mib(result.memory.min)} to ${mib(result.memory.max)} MiB (first ${mib(result.memory.first)}, last ${mib(result.memory.last)}) |
| CPU per invocation, upper bound (median / p99 / largest) | ${cpuAt(0.5).toFixed(0)} / ${cpuAt(0.99).toFixed(0)} / ${sortedCpu.at(-1).toFixed(0)} ms |
| effects per invocation, largest | ${result.effectsMax} |
| total, from the request to the job's end | ${totalSeconds.toFixed(0)} s |

The CPU figures are all of workerd's CPU time (its local D1, R2 and queue included, which on the platform are not the
Worker's) between two claims of the job, read from \`/proc\` every ${kPollMs} ms; an invocation shorter than that is
counted with its neighbour, so each figure is at most, never under, one invocation's. The platform's consumer limit is
30 s of CPU by default (5 minutes at most).`;
  } finally {
    await worker.mf.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}
