// Ingestion on workerd: a cron tick (through Miniflare's scheduled()) records the day's job and
// enqueues it on JOBS; the real queue consumer reads the file from R2 and loads it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { bearer, eventually, root, useWorkerWithOwner, wasmPath } from "./harness.mjs";

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
      const response = await shared.worker.get("/v1/ingestion/jobs", { headers: bearer(shared.owner) });
      const body = await response.json();
      return body.data?.[0]?.status === "succeeded" ? body : null;
    });
    assert.equal(jobs.data[0].id, "us:assignment:2016-01-01");
    assert.equal(jobs.data[0].loaded, 7);
    const { results } = await shared.worker.db.prepare("SELECT count(*) AS n FROM assignments").all();
    assert.equal(results[0].n, 7);
    const status = await (await shared.worker.get("/v1/ingestion/status", { headers: bearer(shared.owner) })).json();
    assert.equal(status.sources.find((s) => s.source === "assignment").last_run.status, "succeeded");
  });
});
