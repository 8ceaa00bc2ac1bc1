// The Worker on workerd against real local bindings: D1, KV, R2, Queues, a cron trigger,
// a Durable Object, and recovery from a trap.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually, expectEnvelope, startWorker, wasmPath } from "./harness.mjs";

describe(`worker on workerd (${wasmPath})`, () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(() => worker?.mf.dispose());

  test("/livez answers 200 with secure headers and a request id", async () => {
    const response = await worker.get("/livez");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "live" });
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.match(response.headers.get("x-request-id"), /^req_[0-9a-f]{24}$/);
  });

  test("every error path answers the envelope", async () => {
    await expectEnvelope(assert, await worker.get("/missing"), 404, "invalid_request_error", "route_not_found");
    const wrongMethod = await worker.get("/livez", { method: "DELETE" });
    assert.equal(wrongMethod.headers.get("allow"), "GET, HEAD");
    await expectEnvelope(assert, wrongMethod, 405, "invalid_request_error", "method_not_allowed");
    const json = { "content-type": "application/json" };
    const big = "x".repeat(1024 * 1024 + 1);
    await expectEnvelope(assert, await worker.get("/__debug/echo", { method: "POST", headers: json, body: big }), 413,
      "invalid_request_error", "payload_too_large");
    await expectEnvelope(assert, await worker.get("/__debug/echo", { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b" }),
      415, "invalid_request_error", "unsupported_media_type");
    await expectEnvelope(assert, await worker.get("/__debug/echo", { method: "POST", headers: json, body: "{\"a\":" }), 400,
      "invalid_request_error", "invalid_json");
  });

  test("request and response bodies pass through byte for byte", async () => {
    const body = JSON.stringify({ title: "Verfahren zur Herstellung — 半導体", n: [1, 2.5, null] });
    const response = await worker.get("/__debug/echo", { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).received, JSON.parse(body));
  });

  test("/readyz round-trips D1, KV and R2", async () => {
    const response = await worker.get("/readyz");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ready", checks: { d1: "ok", kv: "ok", r2: "ok" } });
  });

  test("each request writes one JSON log line with its round trips", async () => {
    const response = await worker.get("/readyz", { headers: { "cf-ray": "8f00aa11bb22cc33-AMS" } });
    assert.equal(response.headers.get("x-request-id"), "8f00aa11bb22cc33-AMS");
    const line = await eventually(() => worker.logs.find((l) => l.request_id === "8f00aa11bb22cc33-AMS" && l.msg === "request"));
    assert.equal(line.route, "/readyz");
    assert.equal(line.status, 200);
    assert.equal(line.effects, 3);
    assert.equal(line.round_trips, 1);
    assert.equal(line.d1_round_trips, 1);
    assert.equal(typeof line.duration_ms, "number");
    assert.equal(worker.logs.filter((l) => l.request_id === "8f00aa11bb22cc33-AMS").length, 1);
  });

  test("/health names the toolchain that built the module", async () => {
    const body = await (await worker.get("/health")).json();
    assert.equal(body.toolchain.target, wasmPath.includes("emscripten") ? "wasm32-emscripten" : "wasm32-wasi");
    assert.equal(body.version, "0.1.0");
  });

  test("a repeated GET with If-None-Match is a 304 without a body", async () => {
    const first = await worker.get("/health");
    const etag = first.headers.get("etag");
    assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
    await first.arrayBuffer();
    const again = await worker.get("/health", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    assert.equal(again.headers.get("etag"), etag);
  });

  test("KV put then get returns the same bytes", async () => {
    const bytes = new Uint8Array([0, 255, 1, 10, 13, 0]);
    assert.equal((await worker.get("/__debug/kv/probe?ttl=120", { method: "PUT", body: bytes })).status, 201);
    const got = await worker.get("/__debug/kv/probe");
    assert.equal(got.status, 200);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), bytes);
    await expectEnvelope(assert, await worker.get("/__debug/kv/absent"), 404, "invalid_request_error", "resource_missing");
  });

  test("R2 put, then whole, ranged and suffix gets", async () => {
    const put = await worker.get("/__debug/r2/sample.xml", { method: "PUT", headers: { "content-type": "application/xml" }, body: "0123456789" });
    assert.equal(put.status, 201);
    const whole = await worker.get("/__debug/r2/sample.xml");
    assert.equal(await whole.text(), "0123456789");
    assert.equal(whole.headers.get("content-type"), "application/xml");
    const middle = await worker.get("/__debug/r2/sample.xml?offset=3&length=4");
    assert.equal(await middle.text(), "3456");
    assert.equal(middle.headers.get("x-range-offset"), "3");
    assert.equal(middle.headers.get("x-object-size"), "10");
    const tail = await worker.get("/__debug/r2/sample.xml?suffix=3");
    assert.equal(await tail.text(), "789");
    assert.equal(tail.headers.get("x-range-offset"), "7");
  });

  test("D1 writes from the test are read back through the core", async () => {
    await worker.db.prepare("INSERT INTO rate_limits (key_id, window_start, count) VALUES ('k', 0, 3)").run();
    const row = await worker.db.prepare("SELECT count FROM rate_limits WHERE key_id = 'k'").first();
    assert.equal(row.count, 3);
  });

  test("a cron tick enqueues a job and the queue consumer runs it", async () => {
    await worker.db.prepare("INSERT INTO rate_limits (key_id, window_start, count) VALUES ('old', 1000, 9)").run();
    const scheduled = await (await worker.mf.getWorker()).scheduled({ cron: "15 * * * *" });
    assert.equal(scheduled.outcome, "ok");
    const job = await eventually(() =>
      worker.db.prepare("SELECT id, status, attempts FROM job_runs WHERE status = 'succeeded'").first());
    assert.equal(job.attempts, 1);
    assert.equal(await worker.db.prepare("SELECT count(*) AS n FROM rate_limits WHERE key_id = 'old'").first("n"), 0);
  });

  test("a trap answers 500, in-flight requests 503, and the next request is healthy", async () => {
    const sleeping = worker.get("/__debug/sleep?ms=1500");
    await new Promise((r) => setTimeout(r, 300));
    await expectEnvelope(assert, await worker.get("/__debug/trap", { method: "POST" }), 500, "api_error", "internal_error");
    await expectEnvelope(assert, await sleeping, 503, "api_error", "instance_restarted");
    const healthy = await worker.get("/livez");
    assert.equal(healthy.status, 200);
    assert.equal((await worker.get("/readyz")).status, 200);
  });
});
