// The review's defects on workerd (issue #12), each where only the real runtime shows it:
// events committed while the fan-out ticks, redirects and oversized answers from receivers, an
// origin without Content-Length, a revoked key's stream, and appends during a slow catch-up.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { bearer, eventually, ingest, root, sample, startWorker, wasmPath } from "./harness.mjs";

// The real assignment records, `copies` times, each copy with its own reel numbers.
function manyAssignments(copies) {
  const sample = readFileSync(join(root, "tests/fixtures/uspto/assignment_ad20160101_subset.xml"), "utf8");
  const first = sample.indexOf("<patent-assignment>");
  const last = sample.lastIndexOf("</patent-assignment>") + "</patent-assignment>".length;
  const body = sample.slice(first, last);
  let out = sample.slice(0, first);
  for (let copy = 0; copy < copies; copy++) out += body.replaceAll("<reel-no>3", `<reel-no>${copy + 1}3`);
  return out + sample.slice(last);
}

// A local receiver: records each request, answers with `answer(request, body)` or 200.
function receiver() {
  const state = { received: [], answer: null };
  state.server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      state.received.push({ path: request.url, body: body ? JSON.parse(body) : null });
      if (state.answer) return state.answer(request, response, body);
      response.writeHead(200).end();
    });
  });
  state.listen = () => new Promise((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  state.url = (path) => `http://127.0.0.1:${state.server.address().port}${path}`;
  return state;
}

async function streamFrom(worker, key, cursor = 0, { ackDelayMs = 0 } = {}) {
  const response = await worker.mf.dispatchFetch(`http://localhost/v1/events/stream?cursor=${cursor}`, {
    headers: { upgrade: "websocket", ...bearer(key) },
  });
  assert.equal(response.status, 101);
  const socket = response.webSocket;
  const received = [];
  const closed = new Promise((resolve) => socket.addEventListener("close", resolve));
  socket.addEventListener("message", (message) => {
    const { seq, event } = JSON.parse(message.data);
    received.push({ seq, event });
    setTimeout(() => socket.readyState === 1 && socket.send(JSON.stringify({ ack: seq })), ackDelayMs);
  });
  socket.accept();
  return { socket, received, closed };
}

describe(`issue #12 on workerd (${wasmPath})`, () => {
  const hooks = receiver();
  const shared = {};
  const vars = { WEBHOOK_ALLOW_LOCAL_URLS: "true", WEBHOOK_RETRY_BASE_SECONDS: "0", API_KEY_CACHE_TTL_SECONDS: "1", FIREHOSE_WINDOW: "5" };
  const api = async (method, path, body, key = shared.owner) => {
    const response = await shared.worker.get(path, {
      method, headers: { ...bearer(key), ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  };
  const fanOut = async () => (await shared.worker.mf.getWorker()).scheduled({ cron: "* * * * *" });
  before(async () => {
    await hooks.listen();
    shared.worker = await startWorker({ vars });
    shared.owner = await shared.worker.ownerKey();
    shared.operator = await shared.worker.operatorKey();
  });
  after(async () => {
    await shared.worker?.mf.dispose();
    hooks.server.close();
  });

  test("item 5: events committed while the fan-out ticks reach the stream and every endpoint exactly once", async () => {
    const everything = (await api("POST", "/v1/webhook_endpoints", { url: hooks.url("/all"), enabled_events: ["*"] })).body;
    await api("POST", "/v1/webhook_endpoints", { url: hooks.url("/recorded"), enabled_events: ["assignment.recorded"] });
    // The per-minute cron, ticking throughout a job that commits four checkpoints.
    let loading = true;
    const ticking = (async () => {
      while (loading) {
        await fanOut();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const job = await ingest(shared.worker, shared.operator, "assignment", "2016-01-01", { "ad.xml": manyAssignments(45) });
    loading = false;
    await ticking;
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    for (let i = 0; i < 5; i++) await fanOut();

    const { results: events } = await shared.worker.db.prepare(
      "SELECT id, type FROM events WHERE org_id IS NULL AND created_at >= ?1 ORDER BY seq").bind(everything.created_at * 1000).all();
    const recorded = events.filter((event) => event.type === "assignment.recorded");
    assert.equal(recorded.length, 315);
    await eventually(() => hooks.received.length >= events.length + recorded.length, { timeoutMs: 60000 });
    const count = (path) => {
      const seen = new Map();
      for (const { path: at, body } of hooks.received) if (at === path) seen.set(body.id, (seen.get(body.id) ?? 0) + 1);
      return seen;
    };
    const all = count("/all");
    const onlyRecorded = count("/recorded");
    for (const event of events) assert.equal(all.get(event.id), 1, `${event.type} ${event.id} to /all`);
    for (const event of recorded) assert.equal(onlyRecorded.get(event.id), 1, `${event.id} to /recorded`);
    assert.equal(hooks.received.length, events.length + recorded.length);

    const stream = await streamFrom(shared.worker, shared.owner);
    await eventually(() => events.every((event) => stream.received.some((m) => m.event.id === event.id)), { timeoutMs: 30000 });
    const ids = stream.received.map((m) => m.event.id);
    assert.equal(new Set(ids).size, ids.length, "an event came twice");
    stream.socket.close(1000, "done");
  });

  test("item 7: a redirect is a failed attempt and its Location is never fetched", async () => {
    const elsewhere = [];
    hooks.answer = (request, response) => {
      if (request.url === "/moved") return response.writeHead(302, { location: hooks.url("/target") }).end();
      if (request.url === "/target") elsewhere.push(request.url);
      response.writeHead(200).end();
    };
    const endpoint = (await api("POST", "/v1/webhook_endpoints", { url: hooks.url("/moved"), enabled_events: ["*"] })).body;
    assert.equal((await api("POST", `/v1/webhook_endpoints/${endpoint.id}/test`)).status, 202);
    const attempts = await eventually(async () => {
      const page = (await api("GET", `/v1/webhook_endpoints/${endpoint.id}/attempts`)).body;
      return page.data.length > 0 ? page.data : null;
    });
    assert.equal(attempts[0].status, 302);
    assert.equal(attempts[0].error, "the receiver answered 302; redirects are not followed");
    assert.deepEqual(elsewhere, []);
    await api("DELETE", `/v1/webhook_endpoints/${endpoint.id}`);
    hooks.answer = null;
  });

  test("item 4: a receiver's 32 MB answer is not read", async () => {
    let sentBytes = 0;
    hooks.answer = (request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (sentBytes < 32 * 1024 * 1024 && !response.destroyed) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return response.once("drain", pump);
        }
        response.end();
      };
      response.on("close", () => (response.destroyed = true));
      pump();
    };
    const endpoint = (await api("POST", "/v1/webhook_endpoints", { url: hooks.url("/large"), enabled_events: ["*"] })).body;
    await api("POST", `/v1/webhook_endpoints/${endpoint.id}/test`);
    const attempts = await eventually(async () => {
      const page = (await api("GET", `/v1/webhook_endpoints/${endpoint.id}/attempts`)).body;
      return page.data.length > 0 ? page.data : null;
    });
    assert.equal(attempts[0].status, 200);
    assert.equal(attempts[0].error, null);
    assert.ok(sentBytes < 32 * 1024 * 1024, `the receiver sent ${sentBytes} bytes`);
    await api("DELETE", `/v1/webhook_endpoints/${endpoint.id}`);
    hooks.answer = null;
  });

  test("item 10: the stream of a revoked key is closed within the key cache's TTL", async () => {
    const key = (await api("POST", "/v1/keys", { role: "member", scopes: ["events:read"] })).body;
    const stream = await streamFrom(shared.worker, key.secret);
    assert.equal((await api("DELETE", `/v1/keys/${key.id}`)).status, 200);
    const closed = await Promise.race([stream.closed, new Promise((resolve) => setTimeout(() => resolve(null), 15000))]);
    assert.ok(closed, "the stream stayed open");
    assert.equal(closed.code, 4401);
  });

  test("item 11: events appended while a slow client catches up all arrive, once each", async () => {
    const firehose = shared.worker.mf.getDurableObjectNamespace("FIREHOSE");
    const stub = (await firehose).get((await firehose).idFromName("events"));
    const append = async (from, count) => {
      const events = Array.from({ length: count }, (_, i) => ({
        org_id: null,
        event: { object: "event", id: `evt_race${String(from + i).padStart(6, "0")}`, type: "patent.created", created: 1, data: {} },
      }));
      const response = await stub.fetch("https://object/append", { method: "POST", body: JSON.stringify({ events }) });
      assert.equal(response.status, 200);
      return (await response.json()).last;
    };
    const last = await append(0, 40);
    // Acks come late, so the catch-up runs page by page (the window is 5) while appends land.
    const stream = await streamFrom(shared.worker, shared.owner, last - 40, { ackDelayMs: 15 });
    for (let batch = 1; batch <= 12; batch++) {
      await append(batch * 40, 5);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const expected = [...Array.from({ length: 40 }, (_, i) => i), ...Array.from({ length: 12 * 5 }, (_, i) => 40 * (1 + Math.floor(i / 5)) + (i % 5))]
      .map((n) => `evt_race${String(n).padStart(6, "0")}`);
    await eventually(() => expected.every((id) => stream.received.some((m) => m.event.id === id)), { timeoutMs: 20000 });
    const ids = stream.received.map((m) => m.event.id).filter((id) => id.startsWith("evt_race"));
    assert.deepEqual(ids, expected);  // all, in order, none twice
    stream.socket.close(1000, "done");
  });
});

describe(`item 4: an origin without Content-Length on workerd (${wasmPath})`, () => {
  const file = Buffer.from(manyAssignments(320));  // about 9 MB: more than one 8 MiB part
  const origin = createServer((request, response) => {
    response.writeHead(200, { "content-type": "application/xml" });  // chunked: no length
    const pump = (at) => {
      while (at < file.length) {
        const next = Math.min(file.length, at + 256 * 1024);
        if (!response.write(file.subarray(at, next))) return response.once("drain", () => pump(next));
        at = next;
      }
      response.end();
    };
    pump(0);
  });
  const shared = {};
  before(async () => {
    await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
    shared.worker = await startWorker({ vars: { INGEST_ORIGIN_US: `http://127.0.0.1:${origin.address().port}/{source}/{date}.xml` } });
    shared.operator = await shared.worker.operatorKey();
  });
  after(async () => {
    await shared.worker?.mf.dispose();
    origin.close();
  });

  test("the download is stored in R2 in fixed-size parts, never whole in memory, and loads", async () => {
    const job = await ingest(shared.worker, shared.operator, "assignment", "2016-01-01");
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    assert.equal(job.bytes_total, file.length);
    assert.equal(job.loaded, 320 * 7);
    const stored = await (await shared.worker.mf.getR2Bucket("BLOBS")).get("raw/us/assignment/2016-01-01/origin");
    assert.ok(Buffer.from(await stored.arrayBuffer()).equals(file));
  });
});

describe(`item 14: the deployable defaults on workerd (${wasmPath})`, () => {
  const shared = {};
  before(async () => {
    shared.worker = await startWorker({ development: false });  // wrangler.toml's [vars] as `wrangler deploy` sends them
    shared.owner = await shared.worker.ownerKey();
  });
  after(() => shared.worker?.mf.dispose());

  test("no debug route is served, and no local webhook URL is accepted", async () => {
    for (const [method, path] of [["POST", "/__debug/echo"], ["POST", "/__debug/trap"], ["GET", "/__debug/sleep"], ["POST", "/v1/debug/sleep"]]) {
      const response = await shared.worker.get(path, { method, headers: bearer(shared.owner) });
      assert.equal(response.status, 404, `${method} ${path}`);
      await response.body?.cancel();
    }
    const document = await (await shared.worker.get("/v1/openapi.json")).json();
    assert.ok(Object.keys(document.paths).every((path) => !path.includes("debug")));
    const local = await shared.worker.get("/v1/webhook_endpoints", {
      method: "POST", headers: { ...bearer(shared.owner), "content-type": "application/json" },
      body: JSON.stringify({ url: "http://127.0.0.1:9/hooks", enabled_events: ["*"] }),
    });
    assert.equal(local.status, 400);
    assert.equal((await local.json()).error.param, "url");
  });
});

describe(`item 12: a batch that traps the module on workerd (${wasmPath})`, () => {
  const shared = {};
  before(async () => {
    shared.worker = await startWorker();
    shared.operator = await shared.worker.operatorKey();
  });
  after(() => shared.worker?.mf.dispose());

  test("fails its job with the reason instead of leaving it running, and an operator's rerun loads it", async () => {
    const bucket = await shared.worker.mf.getR2Bucket("BLOBS");
    await bucket.put("raw/us/assignment/2016-01-01/ad.xml", sample("assignment_ad20160101_subset.xml"));
    await shared.worker.db.prepare("INSERT INTO ingestion_jobs (id, jurisdiction, source, date, status, created_at, queued_at) " +
      "VALUES ('us:assignment:2016-01-01', 'us', 'assignment', '2016-01-01', 'queued', 0, 0)").run();
    // A message that traps the module (a development probe, like POST /__debug/trap).
    const queue = await shared.worker.mf.getQueueProducer("INGEST_US");
    await queue.send({ job_id: "us:assignment:2016-01-01", kind: "ingest", jurisdiction: "us", debug_trap: true });
    const api = (method, path, body) => shared.worker.get(path, {
      method, headers: { ...bearer(shared.operator), "content-type": "application/json" }, body: body && JSON.stringify(body),
    });
    const failed = await eventually(async () => {
      const job = await (await api("GET", "/v1/ingestion/jobs/us:assignment:2016-01-01")).json();
      return job.status === "failed" ? job : null;
    });
    assert.match(failed.error, /^the attempt trapped the module \(module trapped: .*\); fix the cause, then re-queue it$/);
    assert.equal((await api("POST", "/v1/ingestion/jobs", { source: "assignment", date: "2016-01-01" })).status, 202);
    const loaded = await eventually(async () => {
      const job = await (await api("GET", "/v1/ingestion/jobs/us:assignment:2016-01-01")).json();
      return job.status === "succeeded" ? job : null;
    });
    assert.equal(loaded.loaded, 7);
  });
});
