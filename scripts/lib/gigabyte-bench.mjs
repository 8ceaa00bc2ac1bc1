// The gigabyte run of scripts/bench: the three sample grants repeated, each copy with its own
// publication number, to over 1 GB of XML, zipped as the USPTO publishes a week, served by a
// local origin as the USPTO serves it, and downloaded and loaded by one ingestion job on workerd
// (Miniflare API, in-memory D1, R2 on disk, the INGEST_US consumer with the default
// per-invocation allowance). The archive goes in through the job's own download, not a test
// upload: Miniflare's R2 proxy drops a body of this size ("other side closed"). Reports the
// module's linear memory at the end of every invocation, an upper bound of each invocation's
// CPU time (all of workerd's, its local D1 and R2 included), rows/s, the objects written to R2,
// the total time, and what a grant and an assignment add to the database.
import { execFileSync } from "node:child_process";
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bearer, ingest, root, startWorker } from "../../tests/integration/harness.mjs";
import { assignmentFile, grantDocuments, kGrantTables, renumbered } from "./ingest-bench.mjs";

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

// D1 refuses PRAGMA page_count; every result's meta carries the database's size instead.
const databaseBytes = async (worker) => (await worker.db.prepare("SELECT 1").all()).meta.size_after;

// What one more record of a kind adds to the database, from its size before and after a
// job of `count` of them: for docs/decisions.md's sizing of the corpus.
async function bytesPerRecord(worker, key, source, date, name, file, count) {
  const before = await databaseBytes(worker);
  const job = await ingest(worker, key, source, date, { [name]: file });
  if (job.status !== "succeeded" || job.loaded !== count) throw new Error(`the ${source} sizing load: ${JSON.stringify(job)}`);
  return Math.round(((await databaseBytes(worker)) - before) / count);
}

// The first sample grant (a design with 42 citations, 3 inventors and one short claim), as it is,
// without its citations, or without them and with `words` of English prose (this project's
// docs/decisions.md) as its abstract and claims: what a citation and a kilobyte of searchable
// text cost, for a utility grant's size in docs/decisions.md. `copies` of it, numbered from
// `firstSerial`.
function sampleVariants(copies, firstSerial, { citations = true, words = 0 } = {}) {
  let [grant] = grantDocuments();
  if (!citations) grant = grant.replace(/<references-cited>[\s\S]*<\/references-cited>/, "");
  let textBytes = 0;
  if (words) {
    const prose = readFileSync(join(root, "docs/decisions.md"), "utf8").replace(/[<>&`*|#_]/g, " ").split(/\s+/).slice(0, words);
    const abstract = prose.slice(0, 150).join(" "), claims = prose.slice(150).join(" ");
    textBytes = abstract.length + claims.length;
    grant = grant.replace(/<claims id="claims">[\s\S]*<\/claims>/,
      `<abstract id="abstract"><p id="p-0001" num="0000">${abstract}</p></abstract><claims id="claims"><claim id="CLM-00001" num="00001"><claim-text>${claims}</claim-text></claim></claims>`);
  }
  const file = new TextEncoder().encode(Array.from({ length: copies }, (_, i) => renumbered(grant, firstSerial + i)).join("\n"));
  return { file, textBytes };
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

// Serves the week's archive from disk, with its Content-Length, to whoever asks for it.
async function serveArchive(path) {
  const archive = { bytes: statSync(path).size, requests: 0 };
  const origin = createServer((request, response) => {
    archive.requests++;
    if (request.url !== "/grant/2012/ipg120327.zip") return response.writeHead(404).end();
    response.writeHead(200, { "content-length": archive.bytes, "content-type": "application/zip" });
    createReadStream(path).pipe(response);
  });
  await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
  return { archive, origin, template: `http://127.0.0.1:${origin.address().port}/grant/{yyyy}/ipg{yymmdd}.zip` };
}

export async function gigabyteSection() {
  const folder = mkdtempSync(join(tmpdir(), "patomic-gigabyte-"));
  let origin, worker;
  try {
    const xml = join(folder, "ipg120327.xml");
    const written = writeGrants(xml);
    execFileSync("zip", ["-q", "-1", "-j", join(folder, "ipg120327.zip"), xml]);
    rmSync(xml);
    const served = await serveArchive(join(folder, "ipg120327.zip"));
    const { archive } = served;
    origin = served.origin;
    // R2 on disk, so that the 1.1 GB of archive and staged entry are not held in workerd's memory.
    worker = await startWorker({ vars: { INGEST_ORIGIN_US_GRANT: served.template }, options: { r2Persist: join(folder, "r2") } });
    const key = await worker.operatorKey();
    const bucket = await worker.mf.getR2Bucket("BLOBS");

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
    let missedPolls = 0;
    for (const deadline = Date.now() + kTimeoutMs; Date.now() < deadline; await sleep(kPollMs)) {
      // While an invocation inflates the archive, workerd may close the proxy's connection
      // unanswered; the poll tries again rather than end the run.
      try {
        job = await worker.db.prepare("SELECT * FROM ingestion_jobs WHERE id = 'us:grant:2012-03-27'").first();
        missedPolls = 0;
      } catch (error) {
        if (++missedPolls > 50) throw error;
        continue;
      }
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
    const pages = { bytes: await databaseBytes(worker) };
    const fullTexts = await countObjects(bucket, "patents/");
    const staged = await countObjects(bucket, "staged/");
    const ended = worker.logs.filter((line) => line?.msg === "ingestion handed over" || line?.msg === "ingestion succeeded");
    const memory = ended.map((line) => line.memory_bytes);
    const effects = ended.map((line) => line.effects);
    const grantSize = async (date, serial, variant) =>
      bytesPerRecord(worker, key, "grant", date, `ipg${date.replaceAll("-", "").slice(2)}.xml`,
        sampleVariants(1000, written.grants + serial, variant).file, 1000);
    const sizing = {
      design: await grantSize("2012-04-03", 0),
      bare: await grantSize("2012-04-10", 1000, { citations: false }),
      text: await grantSize("2012-04-17", 2000, { citations: false, words: 1300 }),
      textBytes: sampleVariants(1, 0, { citations: false, words: 1300 }).textBytes,
      assignment: await bytesPerRecord(worker, key, "assignment", "2016-01-02", "ad20160102.xml", assignmentFile(2000), 14000),
    };
    sizing.perCitation = Math.round((sizing.design - sizing.bare) / 42);
    sizing.perTextKb = Math.round(((sizing.text - sizing.bare) / sizing.textBytes) * 1000);
    const result = {
      written, archive, job, rows, databaseBytes: pages.bytes, sizing, totalSeconds, jobSeconds, fullTexts, staged,
      invocationCpuMs, memory: { first: memory[0], last: memory.at(-1), max: Math.max(...memory), min: Math.min(...memory) },
      effectsMax: Math.max(...effects),
    };
    console.log(result);
    const mb = (bytes) => (bytes / 1e6).toFixed(1);
    const mib = (bytes) => (bytes / 1048576).toFixed(2);
    const sortedCpu = [...invocationCpuMs].sort((a, b) => a - b);
    const cpuAt = (q) => sortedCpu[Math.min(sortedCpu.length - 1, Math.floor(q * sortedCpu.length))];
    return `## A gigabyte of grants

The three sample grants (all designs, v4.2) repeated with their own publication numbers to ${mb(written.bytes)} MB of XML
(${written.grants.toLocaleString("en")} grants), zipped with Info-ZIP \`zip -1\` to ${mb(archive.bytes)} MB as one weekly
\`ipg\` archive, served by a local origin and downloaded (${archive.requests} request${archive.requests === 1 ? "" : "s"}) and loaded by one ingestion job on workerd (Miniflare API, in-memory D1, R2 on disk, the INGEST_US consumer, the
default per-invocation allowance of docs/decisions.md 47).

| | |
|---|---|
| job | ${job.status}, ${job.loaded.toLocaleString("en")} grants loaded, ${job.skipped} skipped |
| queue invocations | ${job.invocations} (each ended at a checkpoint, the last with the job) |
| rows written | ${rows.toLocaleString("en")} (${kGrantTables.join(", ")}) |
| D1 database after the load | ${mb(pages.bytes)} MB, ${Math.round(pages.bytes / job.loaded).toLocaleString("en")} bytes per grant (migrations and keys included) |
| D1 bytes per record, from the database's size around a further job of 1,000 | ${sizing.design.toLocaleString("en")} per copy of the first sample grant (a design: 42 citations, 3 inventors); ${sizing.bare.toLocaleString("en")} without its citations, so ${sizing.perCitation} per citation; ${sizing.text.toLocaleString("en")} with ${sizing.textBytes.toLocaleString("en")} bytes of English prose as abstract and claims, so ${sizing.perTextKb.toLocaleString("en")} per kilobyte of searchable text; ${sizing.assignment.toLocaleString("en")} per assignment (the 7 sample records, 2,000 copies) |
| rows/s | **${Math.round(rows / jobSeconds).toLocaleString("en")}** over the job's ${jobSeconds.toFixed(0)} s |
| objects written to R2 | ${fullTexts.objects.toLocaleString("en")} full texts (${mb(fullTexts.bytes)} MB), 1 staged entry (${mb(written.bytes)} MB, removed at the end: ${staged.objects} left) |
| Wasm linear memory at the end of each invocation | ${mib(result.memory.min)} to ${mib(result.memory.max)} MiB; after the first, each quarter of the invocations, and the last: ${[0, 0.25, 0.5, 0.75, 1].map((q) => mib(memory[Math.round(q * (memory.length - 1))])).join(", ")} MiB |
| CPU per invocation, upper bound (median / p99 / largest) | ${cpuAt(0.5).toFixed(0)} / ${cpuAt(0.99).toFixed(0)} / ${sortedCpu.at(-1).toFixed(0)} ms |
| effects per invocation, largest | ${result.effectsMax} |
| total, from the request to the job's end | ${totalSeconds.toFixed(0)} s |

The CPU figures are all of workerd's CPU time (its local D1, R2 and queue included, which on the platform are not the
Worker's) between two claims of the job, read from \`/proc\` every ${kPollMs} ms; an invocation shorter than that is
counted with its neighbour, so each figure is at most, never under, one invocation's. The platform's consumer limit is
30 s of CPU by default (5 minutes at most).`;
  } catch (error) {
    if (worker) console.error("the Worker's last log lines:", worker.logs.slice(-40));
    throw error;
  } finally {
    await worker?.mf.dispose();
    origin?.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
