// Ingestion on workerd: a cron tick (through Miniflare's scheduled()) records the day's job and
// enqueues it on INGEST_US; the real queue consumer reads the file from R2 and loads it. With
// nothing uploaded, the job downloads the file from the configured origin (a local server).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { bearer, eventually, ingest, root, sample, startWorker, useWorkerWithOwner, wasmPath } from "./harness.mjs";

describe(`ingestion jobs on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();

  test("cron -> job -> queue -> consumer -> rows, and the job's counts through the API", async () => {
    const bucket = await shared.worker.mf.getR2Bucket("BLOBS");
    const file = readFileSync(join(root, "tests/fixtures/uspto/assignment_ad20160101_subset.xml"), "utf8");
    await bucket.put("raw/us/assignment/2016-01-01/ad20160101.xml", file);
    const worker = await shared.worker.mf.getWorker();
    const tick = await worker.scheduled({ cron: "0 2 * * *", scheduledTime: new Date(Date.UTC(2016, 0, 1, 2)) });
    assert.equal(tick.outcome, "ok");
    const jobs = await eventually(async () => {
      const response = await shared.worker.get("/v1/ingestion/jobs", { headers: bearer(shared.operator) });
      const body = await response.json();
      return body.data?.[0]?.status === "succeeded" ? body : null;
    });
    assert.equal(jobs.data[0].id, "us:assignment:2016-01-01");
    assert.equal(jobs.data[0].loaded, 7);
    const { results } = await shared.worker.db.prepare("SELECT count(*) AS n FROM assignments").all();
    assert.equal(results[0].n, 7);
    const status = await (await shared.worker.get("/v1/ingestion/status", { headers: bearer(shared.operator) })).json();
    assert.equal(status.sources.find((s) => s.source === "assignment").last_run.status, "succeeded");
  });
});

describe(`origin downloads on workerd (${wasmPath})`, () => {
  const requests = [];
  const file = sample("assignment_ad20160101_subset.xml");
  const folder = mkdtempSync(join(tmpdir(), "patomic-origin-"));
  writeFileSync(join(folder, "ipg120327.xml"), Buffer.concat([sample("grant_ipg120327_one_v42.xml"), sample("grant_ipg120327_two_concat_v42.xml")]));
  execFileSync("zip", ["-q", "-X", "-9", "ipg120327.zip", "ipg120327.xml"], { cwd: folder });
  const archive = readFileSync(join(folder, "ipg120327.zip"));
  // The assignment day answers 429, 503 and a body cut short of its Content-Length before the
  // file; the grant day its ZIP archive under its own template; another day 401; any other 404.
  const origin = createServer((request, response) => {
    requests.push({ url: request.url, key: request.headers["x-api-key"] });
    const tries = requests.filter((r) => r.url === request.url).length;
    if (request.url === "/bulk/grant/2012/ipg120327.zip") return response.writeHead(200, { "content-length": archive.length }).end(archive);
    if (request.url === "/uspto/assignment/2016-01-02.xml") return response.writeHead(401).end("bad key");
    if (request.url !== "/uspto/assignment/2016-01-01.xml") return response.writeHead(404).end();
    if (tries === 1) return response.writeHead(429).end("slow down");
    if (tries === 2) return response.writeHead(503).end("busy");
    response.writeHead(200, { "content-length": file.length, "content-type": "application/xml" });
    if (tries === 3) return response.write(file.subarray(0, 1000), () => response.destroy());
    response.end(file);
  });
  const shared = {};
  before(async () => {
    await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${origin.address().port}`;
    const vars = {
      INGEST_ORIGIN_US: `${at}/uspto/{source}/{date}.xml`,
      INGEST_ORIGIN_US_GRANT: `${at}/bulk/grant/{yyyy}/ipg{yymmdd}.zip`,
      INGEST_ORIGIN_US_API_KEY: "odp-key-for-tests",
    };
    shared.worker = await startWorker({ vars });
    shared.operator = await shared.worker.operatorKey();
  });
  after(async () => {
    await shared.worker?.mf.dispose();
    origin.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("the day's file comes with the origin's key, through 429, 503 and a short body; a source's template fetches its ZIP", async () => {
    const job = await ingest(shared.worker, shared.operator, "assignment", "2016-01-01");
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    assert.equal(job.attempts, 1);
    assert.equal(job.loaded, 7);
    assert.equal(job.bytes_total, file.length);
    assert.deepEqual(requests.map((r) => r.url), Array(4).fill("/uspto/assignment/2016-01-01.xml"));
    assert.ok(requests.every((r) => r.key === "odp-key-for-tests"));
    const bucket = await shared.worker.mf.getR2Bucket("BLOBS");
    assert.equal((await bucket.head("raw/us/assignment/2016-01-01/origin")).size, file.length);

    const grants = await ingest(shared.worker, shared.operator, "grant", "2012-03-27");
    assert.equal(grants.status, "succeeded", JSON.stringify(grants));
    assert.equal(grants.loaded, 3);
    assert.equal(requests.at(-1).url, "/bulk/grant/2012/ipg120327.zip");
  });

  test("a refused key fails the job at once with an event for operators; a missing file fails it with the reason", async () => {
    const before = requests.length;
    const refused = await ingest(shared.worker, shared.operator, "assignment", "2016-01-02");
    assert.equal(refused.status, "failed");
    assert.match(refused.error, /^the origin answered 401 for http:\/\/127\.0\.0\.1:\d+\/uspto\/assignment\/2016-01-02\.xml$/);
    assert.equal(requests.length, before + 1);
    const events = await (await shared.worker.get("/v1/events?type=ingestion.source.unauthorized", { headers: bearer(shared.operator) })).json();
    assert.equal(events.data[0].data.job_id, "us:assignment:2016-01-02");

    const missing = await ingest(shared.worker, shared.operator, "assignment", "2016-01-03");
    assert.equal(missing.status, "failed");
    assert.match(missing.error, /the origin answered 404/);
  });
});

// Archives made by Info-ZIP's zip, as an operator or the USPTO would make them: deflated,
// stored with several entries, and with ZIP64 records forced. r2.unpack inflates them through
// the platform's DecompressionStream.
describe(`ZIP archives on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();
  const folder = mkdtempSync(join(tmpdir(), "patomic-zip-"));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const archive = (name, flags, files) => {
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes);
    execFileSync("zip", ["-q", "-X", ...flags, name, ...Object.keys(files)], { cwd: folder });
    return new Uint8Array(readFileSync(join(folder, name)));
  };
  const count = async (table) => (await shared.worker.db.prepare(`SELECT count(*) AS n FROM ${table}`).all()).results[0].n;
  const staged = async () => (await (await shared.worker.mf.getR2Bucket("BLOBS")).list({ prefix: "staged/" })).objects.length;

  test("grants deflated, assignments in ZIP64, CPC titles stored in several entries: loaded, answered, staging removed", async () => {
    const grants = archive("ipg120327.zip", ["-9"], {
      "ipg120327.xml": Buffer.concat([sample("grant_ipg120327_one_v42.xml"), sample("grant_ipg120327_two_concat_v42.xml")]),
    });
    const assignments = archive("ad20160101.zip", ["-fz"], { "ad20160101.xml": sample("assignment_ad20160101_subset.xml") });
    const titles = archive("CPCTitleList202505.zip", ["-0"], {
      "cpc-section-A_20250501.txt": sample("cpc-section-A_20250501_head300.txt"),
      "cpc-section-Y_20250501.txt": sample("cpc-section-Y_20250501_head80.txt"),
    });
    const { worker, operator } = shared;
    const grantJob = await ingest(worker, operator, "grant", "2012-03-27", { "ipg120327.zip": grants });
    assert.equal(grantJob.status, "succeeded", JSON.stringify(grantJob));
    assert.equal(grantJob.loaded, 3);
    const assignmentJob = await ingest(worker, operator, "assignment", "2016-01-01", { "ad20160101.zip": assignments });
    assert.equal(assignmentJob.loaded, 7, JSON.stringify(assignmentJob));
    const cpcJob = await ingest(worker, operator, "cpc", "2025-05-01", { "CPCTitleList202505.zip": titles });
    assert.equal(cpcJob.loaded, 380, JSON.stringify(cpcJob));
    assert.equal(cpcJob.bytes_total, sample("cpc-section-A_20250501_head300.txt").length + sample("cpc-section-Y_20250501_head80.txt").length);

    const patent = await (await worker.get("/v1/patents/USD0656296S1", { headers: bearer(operator) })).json();
    assert.equal(patent.title, "Ready to eat snack piece");
    // Its full text is its own document, cut from the inflated entry by byte range.
    const one = Buffer.from(sample("grant_ipg120327_one_v42.xml")).toString().trimEnd();
    const fulltext = await worker.get("/v1/patents/D656296/fulltext", { headers: bearer(operator) });
    assert.equal(fulltext.headers.get("content-type"), "application/xml");
    assert.equal(await fulltext.text(), one);
    const recorded = await (await worker.get("/v1/patents/9219817/assignments", { headers: bearer(operator) })).json();
    assert.equal(recorded.data[0].assignors.length, 3);
    const code = await (await worker.get("/v1/cpc/A01B1/02", { headers: bearer(operator) })).json();
    assert.equal(code.parents[3].symbol, "A01B1/00");
    assert.equal(await staged(), 0);
  });

  test("the CPC master file, a folder of parts zipped, gives a grant without CPC in its XML its symbols", async () => {
    const { worker, operator } = shared;
    const utility = Buffer.from(sample("grant_ipg120327_one_v42.xml")).toString()
      .replace("<doc-number>D0656296<", "<doc-number>08123456<").replace("<kind>S1</kind>", "<kind>B2</kind>");
    const grantJob = await ingest(worker, operator, "grant", "2012-04-03", { "ipg120403.xml": new TextEncoder().encode(utility) });
    assert.equal(grantJob.status, "succeeded", JSON.stringify(grantJob));
    const part = "US_Grant_CPC_MCF_Text_2025-06-01";
    mkdirSync(join(folder, part));
    writeFileSync(join(folder, part, "US_Grant_CPC_MCF_08100000.txt"),
      "B21145678908123456E02F   3/844   20130101FI  0 0\r\nB21145678908123456A01B   1/02    20130101LA  0 0\r\n");
    writeFileSync(join(folder, part, "US_Grant_CPC_MCF_12650000.txt"), "B21849611012650000E02F   3/844   20130101FI  0 0\r\n");
    execFileSync("zip", ["-q", "-X", "-r", "-9", `${part}.zip`, part], { cwd: folder });  // with the folder's own entry
    const master = new Uint8Array(readFileSync(join(folder, `${part}.zip`)));
    const job = await ingest(worker, operator, "cpc_master", "2025-06-16", { [`${part}.zip`]: master });
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    assert.equal(job.loaded, 3);
    const patent = await (await worker.get("/v1/patents/8123456", { headers: bearer(operator) })).json();
    assert.deepEqual(patent.cpc, ["E02F3/844", "A01B1/02"]);
    assert.equal(await count("patent_cpc_staging"), 0);
    assert.equal(await staged(), 0);
  });

  test("a CRC-failing entry and DEFLATE data that does not inflate fail the job with the reason, writing nothing", async () => {
    const text = sample("grant_ipg120327_two_concat_v42.xml");
    const stored = archive("stored.zip", ["-0"], { "ipg120403.xml": text });
    const at = Buffer.from(stored).indexOf("<us-patent-grant") + 10;
    stored[at] ^= 0x20;
    const deflated = archive("deflated.zip", ["-9"], { "ipg120410.xml": text });
    const data = 30 + deflated[26] + 256 * deflated[27] + deflated[28] + 256 * deflated[29];  // past the local header
    deflated.fill(0xff, data, data + 8);  // its first DEFLATE bytes
    const patents = await count("patents");
    const { worker, operator } = shared;
    const crc = await ingest(worker, operator, "grant", "2012-04-03", { "ipg120403.zip": stored });
    assert.equal(crc.status, "failed");
    assert.match(crc.error, /^the archive ipg120403\.zip: ipg120403\.xml: it fails its CRC-32 check \([0-9a-f]{8}, where its directory gives [0-9a-f]{8}\)$/);
    const broken = await ingest(worker, operator, "grant", "2012-04-10", { "ipg120410.zip": deflated });
    assert.equal(broken.status, "failed");
    assert.match(broken.error, /^the archive ipg120410\.zip: ipg120410\.xml: its data does not inflate/);
    assert.equal(await count("patents"), patents);
    assert.equal(await staged(), 0);
  });
});
