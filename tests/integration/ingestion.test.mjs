// Ingestion on workerd: a cron tick (through Miniflare's scheduled()) records the day's job and
// enqueues it on INGEST_US; the real queue consumer reads the file from R2 and loads it. With
// nothing uploaded, the job downloads the file from the configured origin (a local server).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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
  // Busy once, then the file, with its length (so the shim streams it into R2); 404 for other days.
  const origin = createServer((request, response) => {
    requests.push(request.url);
    if (requests.length === 1) return response.writeHead(503).end("busy");
    if (request.url !== "/uspto/assignment/2016-01-01.xml") return response.writeHead(404).end();
    response.writeHead(200, { "content-length": file.length, "content-type": "application/xml" }).end(file);
  });
  const shared = {};
  before(async () => {
    await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const vars = { INGEST_ORIGIN_US: `http://127.0.0.1:${origin.address().port}/uspto/{source}/{date}.xml` };
    shared.worker = await startWorker({ vars });
    shared.operator = await shared.worker.operatorKey();
  });
  after(async () => {
    await shared.worker?.mf.dispose();
    origin.close();
  });

  test("a job with no upload downloads the day's file, retrying a 503, and a 404 fails it with the reason", async () => {
    const job = await ingest(shared.worker, shared.operator, "assignment", "2016-01-01");
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    assert.equal(job.loaded, 7);
    assert.equal(job.bytes_total, file.length);
    assert.deepEqual(requests, ["/uspto/assignment/2016-01-01.xml", "/uspto/assignment/2016-01-01.xml"]);
    const bucket = await shared.worker.mf.getR2Bucket("BLOBS");
    assert.equal((await bucket.head("raw/us/assignment/2016-01-01/origin")).size, file.length);

    const missing = await ingest(shared.worker, shared.operator, "assignment", "2016-01-02");
    assert.equal(missing.status, "failed");
    assert.match(missing.error, /the origin answered 404/);
  });
});
