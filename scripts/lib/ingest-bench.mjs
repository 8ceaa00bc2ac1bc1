// The ingestion half of scripts/bench: the assignment parser in Wasm (V8) and natively, sax-js
// on the same bytes, peak memory at 10 MB and at 1 GB, and rows per second loaded into local
// D1 by a real job on workerd. Returns the markdown section for docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import sax from "sax";
import { ingest, root, startWorker } from "../../tests/integration/harness.mjs";

const sample = readFileSync(`${root}/tests/fixtures/uspto/assignment_ad20160101_subset.xml`);
const first = sample.indexOf("<patent-assignment>");
const last = sample.lastIndexOf("</patent-assignment>") + "</patent-assignment>".length;
const records = sample.subarray(first, last);
const head = sample.subarray(0, first);
const tail = sample.subarray(last);
// About 1 MB of whole records; a file of `megabytes` is head, this block repeated, tail.
const block = Buffer.concat(Array.from({ length: Math.ceil((1 << 20) / records.length) }, () => records));
const repeats = (megabytes) => Math.ceil((megabytes * 1e6) / block.length);
function* chunks(megabytes) {
  yield head;
  for (let i = repeats(megabytes); i > 0; i--) yield block;
  yield tail;
}
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Compiled once (as workerd compiles a Worker's module once), instantiated fresh per run, so
// that the instance's linear memory (which only grows) is that run's peak.
let compiled;
function wasmParse(megabytes) {
  compiled ??= new WebAssembly.Module(readFileSync(`${root}/build/wasi/ingest_bench.wasm`));
  const { exports } = new WebAssembly.Instance(compiled, {});
  exports._initialize?.();
  const input = exports.bench_alloc(block.length);
  exports.bench_begin();
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (const chunk of chunks(megabytes)) {
    new Uint8Array(exports.memory.buffer, input, chunk.length).set(chunk);
    exports.bench_feed(input, chunk.length);
    bytes += chunk.length;
  }
  const parsed = exports.bench_finish();
  const elapsed = seconds(start);
  if (parsed < 0) throw new Error("the Wasm parser refused a record");
  return { bytes, records: parsed, mbps: bytes / 1e6 / elapsed, memory: exports.memory.buffer.byteLength };
}

// sax-js in strict mode, counting the same records; it only tokenises (no record, no fields).
function saxParse(megabytes) {
  const text = { head: head.toString("utf8"), block: block.toString("utf8"), tail: tail.toString("utf8") };
  const parser = sax.parser(true);
  let parsed = 0;
  parser.onclosetag = (name) => {
    if (name === "patent-assignment") parsed++;
  };
  let bytes = 0;
  const start = process.hrtime.bigint();
  parser.write(text.head);
  for (let i = repeats(megabytes); i > 0; i--) parser.write(text.block);
  parser.write(text.tail).close();
  const elapsed = seconds(start);
  for (const chunk of chunks(megabytes)) bytes += chunk.length;
  return { bytes, records: parsed, mbps: bytes / 1e6 / elapsed };
}

function nativeParse(megabytes) {
  return JSON.parse(execFileSync(`${root}/build/native-release/tests/bench_ingest`, [String(megabytes)], { encoding: "utf8" }));
}

// A real job on workerd over `file`, with an operator's key; the rows of `tables` it left,
// and the job's own start-to-end time.
async function d1Load(source, date, name, file, tables) {
  const worker = await startWorker();
  try {
    const key = await worker.operatorKey();
    const job = await ingest(worker, key, source, date, { [name]: file });
    if (job.status !== "succeeded") throw new Error(`the ${source} load failed: ${job.error}`);
    const timing = await worker.db.prepare("SELECT started_at, finished_at FROM ingestion_jobs WHERE id = ?1").bind(job.id).first();
    let rows = 0;
    for (const table of tables) rows += (await worker.db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;
    const elapsed = (timing.finished_at - timing.started_at) / 1000;
    return { bytes: file.length, records: job.loaded, rows, seconds: elapsed, rowsPerSecond: rows / elapsed, tables };
  } finally {
    await worker.mf.dispose();
  }
}

// `copies` copies of the sample assignments, each with its own reel numbers, loaded by the
// INGEST_US consumer (entities through the name-shard objects).
export function assignmentFile(copies) {
  const text = records.toString("utf8");
  const parts = [head.toString("utf8")];
  for (let copy = 0; copy < copies; copy++) parts.push(text.replaceAll("<reel-no>", `<reel-no>${copy + 1}`));
  parts.push(tail.toString("utf8"));
  return new TextEncoder().encode(parts.join(""));
}

// The three sample grants, each document with its own prolog (a weekly file concatenates them).
export function grantDocuments() {
  return ["grant_ipg120327_one_v42.xml", "grant_ipg120327_two_concat_v42.xml"]
    .map((name) => readFileSync(`${root}/tests/fixtures/uspto/${name}`, "utf8"))
    .flatMap((text) => text.split(/(?=<\?xml )/).filter((part) => part.trim()));
}

// A grant document with the publication number D{1000000 + serial}.
export function renumbered(text, serial) {
  const number = `D${String(1000000 + serial).padStart(7, "0")}`;
  return text.replace(/(<publication-reference>\s*<document-id>\s*<country>US<\/country>\s*<doc-number>)[^<]+/, `$1${number}`);
}

// The sample grants repeated `copies` times, each copy with its own publication number.
function grantFile(copies) {
  const documents = grantDocuments();
  const parts = [];
  for (let copy = 0; copy < copies; copy++) documents.forEach((text, i) => parts.push(renumbered(text, copy * documents.length + i)));
  return { documents: documents.length, file: new TextEncoder().encode(parts.join("\n")) };
}

const kAssignmentTables = ["assignments", "assignment_parties", "assignment_properties", "assignees", "entity_names"];
export const kGrantTables = ["patents", "patent_text", "inventors", "patent_assignees", "citations", "patent_cpc", "assignees", "entity_names"];

export async function ingestSection({ megabytes = 100, loadCopies = 2000, grantCopies = 700 } = {}) {
  const runs = 3;
  wasmParse(10);  // warm V8's tiers on this module before timing
  const wasm = Array.from({ length: runs }, () => wasmParse(megabytes));
  const native = Array.from({ length: runs }, () => nativeParse(megabytes));
  const saxRuns = Array.from({ length: runs }, () => saxParse(megabytes));
  const small = { wasm: wasmParse(10), native: nativeParse(10) };
  const large = { wasm: wasmParse(1000), native: nativeParse(1000) };
  const load = await d1Load("assignment", "2016-01-01", "ad20160101.xml", assignmentFile(loadCopies), kAssignmentTables);
  const grants = grantFile(grantCopies);
  const grantLoad = await d1Load("grant", "2012-03-27", "ipg120327.xml", grants.file, kGrantTables);
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  const mib = (bytes) => (bytes / 1048576).toFixed(2);
  const change = (a, b) => `${(((b - a) / a) * 100).toFixed(1)} %`;
  const wasmMbps = median(wasm.map((r) => r.mbps));
  const saxMbps = median(saxRuns.map((r) => r.mbps));
  console.log({ wasm, native, saxRuns, small, large, load, grantLoad });
  return `## Ingestion

The assignment parser (\`wasm/ingest\`: streaming XmlReader, RecordReader, read_assignment) on the real records of
\`tests/fixtures/uspto/assignment_ad20160101_subset.xml\` repeated to ${mb(wasm[0].bytes)} MB (${wasm[0].records.toLocaleString("en")}
assignments), fed in 1 MB chunks as R2 ranges reach the consumer. Median of ${runs} runs. Wasm is
\`build/wasi/ingest_bench.wasm\` (the same sources, clang 14 \`-O3\`, wasm-opt) in Node's V8; native is
\`build/native-release/tests/bench_ingest\`. sax-js ${JSON.parse(readFileSync(`${root}/node_modules/sax/package.json`, "utf8")).version}
(strict mode) gets the same bytes as strings and only tokenises: it builds no record and reads no field.

| parser | MB/s | assignments |
|---|---|---|
| this parser, Wasm | ${wasmMbps.toFixed(0)} | ${wasm[0].records.toLocaleString("en")} |
| this parser, native | ${median(native.map((r) => r.mb_per_s)).toFixed(0)} | ${native[0].records.toLocaleString("en")} |
| sax-js | ${saxMbps.toFixed(0)} | ${saxRuns[0].records.toLocaleString("en")} |

The Wasm parser is ${(wasmMbps / saxMbps).toFixed(1)}× sax-js.

Peak memory does not grow with the file: the Wasm figure is the module's linear memory after the run (it never
shrinks, so it is the peak), in a fresh instance per size; the native one is the process's peak RSS.

| input | Wasm linear memory | native peak RSS |
|---|---|---|
| ${mb(small.wasm.bytes)} MB | ${mib(small.wasm.memory)} MiB | ${mib(small.native.peak_rss_kib * 1024)} MiB |
| ${mb(large.wasm.bytes)} MB | ${mib(large.wasm.memory)} MiB | ${mib(large.native.peak_rss_kib * 1024)} MiB |
| change | ${change(small.wasm.memory, large.wasm.memory)} | ${change(small.native.peak_rss_kib, large.native.peak_rss_kib)} |

Loading into local D1: one ingestion job on workerd (Miniflare API, local D1 and R2, the INGEST_US consumer, the
EntityRegistry objects) over ${loadCopies} copies of the sample records with their own reel numbers (${mb(load.bytes)} MB,
${load.records.toLocaleString("en")} assignments): ${load.rows.toLocaleString("en")} rows (${load.tables.join(", ")}) in
${load.seconds.toFixed(1)} s from the job's start to its end, **${Math.round(load.rowsPerSecond).toLocaleString("en")} rows/s**,
checkpoints included.

Grants the same way: the ${grants.documents} sample grants (\`grant_ipg120327_*_v42.xml\`) repeated ${grantCopies} times, each copy
with its own publication number (${mb(grantLoad.bytes)} MB, ${grantLoad.records.toLocaleString("en")} grants): ${grantLoad.rows.toLocaleString("en")} rows
(${grantLoad.tables.join(", ")}) in ${grantLoad.seconds.toFixed(1)} s, **${Math.round(grantLoad.rowsPerSecond).toLocaleString("en")} rows/s**.
`;
}
