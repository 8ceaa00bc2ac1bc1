// Hostile input on workerd, through the shim and the real module: oversize and endless bodies,
// deep and wide JSON, bad UTF-8, long URLs and many headers, internal webhook targets in every
// spelling, replayed and cross-key idempotency keys, tampered cursors. Each case answers a clear
// envelope, stores nothing, and leaves the instance serving (no trap, no restart).
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { describe, test } from "node:test";
import { bearer, eventually, expectEnvelope, useWorkerWithOwner, wasmPath } from "./harness.mjs";

const json = { "content-type": "application/json" };

// Sends `total` bytes of body (or, with no Content-Length, chunked) as fast as the peer reads
// them, and stops once the answer arrives: answers the response and how many bytes the client
// managed to send before it (everything past the module's 1 MiB is the transport's buffering).
// workerd closes the connection with the unread rest of the body still arriving, so the kernel
// may answer the client's next write with a reset that discards the 413 before Node reads it;
// then the answer is `reset` and the test reads the status from the request's log line instead.
function push(url, path, { total, declareLength, headers = {} }) {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    let answered = false;
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST",
        headers: { ...headers, ...(declareLength ? { "content-length": String(total) } : {}) } },
      (response) => {
        answered = true;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (part) => (text += part));
        response.on("end", () => {
          outgoing.destroy();
          resolve({ status: response.statusCode, headers: response.headers, text, written });
        });
      },
    );
    outgoing.on("error", (error) => {
      if (answered) return;
      if (error.code === "ECONNRESET" || error.code === "EPIPE") resolve({ reset: true, written });
      else reject(error);
    });
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!outgoing.write(chunk)) return outgoing.once("drain", pump);
      }
      if (!answered) outgoing.end();
    };
    pump();
  });
}

describe(`hostile input on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();
  const keyCount = async () => (await shared.worker.db.prepare("SELECT count(*) AS n FROM api_keys").first("n"));
  const alive = async () => {
    assert.equal((await shared.worker.get("/livez")).status, 200);
    const failures = shared.worker.logs.filter((line) => line?.msg === "module failure");
    assert.deepEqual(failures, [], "the module trapped");
  };
  // A request id per push, so its log line can be found when a reset ate the answer.
  const tagged = (name) => ({ ...json, "cf-ray": `hostile-${name}` });
  const expectTooLarge = async (answer, name) => {
    if (!answer.reset) {
      assert.equal(answer.status, 413, answer.text);
      assert.equal(JSON.parse(answer.text).error.code, "payload_too_large");
      return;
    }
    const line = await eventually(() => shared.worker.logs.find((l) => l.msg === "request" && l.request_id === `hostile-${name}`));
    assert.equal(line.status, 413, JSON.stringify(line));
    assert.equal(line.route, "/v1/keys");
  };
  const post = (path, body, headers = {}) =>
    shared.worker.get(path, { method: "POST", headers: { ...bearer(shared.owner), ...json, ...headers }, body });

  test("a 60 MB body with its Content-Length is refused before it is read", async () => {
    const before = await keyCount();
    const answer = await push(shared.worker.url, "/v1/keys", { total: 60 * 1024 * 1024, declareLength: true, headers: tagged("declared") });
    await expectTooLarge(answer, "declared");
    assert.ok(answer.written < 16 * 1024 * 1024, `the client sent ${answer.written} bytes before the answer`);
    assert.equal(await keyCount(), before);
    await alive();
  });

  test("an endless chunked body is cut off past 1 MiB", async () => {
    const answer = await push(shared.worker.url, "/v1/keys", { total: 64 * 1024 * 1024, declareLength: false, headers: tagged("chunked") });
    await expectTooLarge(answer, "chunked");
    assert.ok(answer.written < 16 * 1024 * 1024, `the client sent ${answer.written} bytes before the answer`);
    await alive();
  });

  test("JSON 200,000 deep or 200,000 wide answers a short 400", async () => {
    const before = await keyCount();
    const deep = await post("/v1/keys", `{"scopes":${"[".repeat(200000)}${"]".repeat(200000)}}`);
    const error = await expectEnvelope(assert, deep, 400, "invalid_request_error", "invalid_json");
    assert.equal(error.message, "The request body nests deeper than 32 levels.");
    const wide = await post("/v1/keys", `{"scopes":[${Array(200000).fill("1").join(",")}]}`);
    const text = await wide.text();
    assert.equal(wide.status, 400);
    assert.ok(text.length < 4096, `${text.length} bytes`);
    const wrong = await post("/v1/keys", JSON.stringify({ scopes: Array(5000).fill(1) }));
    await expectEnvelope(assert, wrong, 400, "invalid_request_error", "parameter_invalid");
    assert.equal(await keyCount(), before);
    await alive();
  });

  test("bad UTF-8 in a body, a path or a query is an envelope, never a fault", async () => {
    const invalid = new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);  // {"name":"\xff\xfe"}
    await expectEnvelope(assert, await post("/v1/keys", invalid), 400, "invalid_request_error", "invalid_json");
    const path = await shared.worker.get("/v1/patents/%FF%FE", { headers: bearer(shared.owner) });
    assert.ok(path.status === 400 || path.status === 404, String(path.status));
    await expectEnvelope(assert, path, path.status, "invalid_request_error", path.status === 400 ? "parameter_invalid" : "resource_missing");
    const query = await shared.worker.get("/v1/assignees?q=%FF%FE", { headers: bearer(shared.owner) });
    assert.ok(query.status < 500, String(query.status));
    await query.body?.cancel();
    await alive();
  });

  test("long URLs and too many or too large headers are 414 and 431", async () => {
    await expectEnvelope(assert, await shared.worker.get(`/v1/patents?assignee=${"a".repeat(9000)}`, { headers: bearer(shared.owner) }),
      414, "invalid_request_error", "uri_too_long");
    const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`x-filler-${i}`, "1"]));
    await expectEnvelope(assert, await shared.worker.get("/v1/me", { headers: { ...bearer(shared.owner), ...many } }),
      431, "invalid_request_error", "request_headers_too_large");
    await expectEnvelope(assert, await shared.worker.get("/v1/me", { headers: { ...bearer(shared.owner), "x-filler": "h".repeat(33 * 1024) } }),
      431, "invalid_request_error", "request_headers_too_large");
    await alive();
  });

  test("webhook URLs that reach internal addresses are refused in every spelling", async () => {
    for (const url of ["https://169.254.169.254/", "https://10.0.0.1/", "https://[::1]/", "https://2130706433/", "https://0x7f.1/",
      "https://localhost./", "https://0177.0.0.1/", "https://[::ffff:127.0.0.1]/", "https://100.64.0.1/", "https://[fd00::1]/",
      "https://[fe80::1]/", "https://0/", "https://metadata.google.internal/"]) {
      const refused = await post("/v1/webhook_endpoints", JSON.stringify({ url, enabled_events: ["*"] }));
      const error = await expectEnvelope(assert, refused, 400, "invalid_request_error", "parameter_invalid");
      assert.equal(error.param, "url", url);
    }
    assert.equal(await shared.worker.db.prepare("SELECT count(*) AS n FROM webhook_endpoints").first("n"), 0);
    await alive();
  });

  test("an Idempotency-Key replays only to the key that used it, and only when it may make the request", async () => {
    const mint = async (body, idempotencyKey) => {
      const response = await post("/v1/keys", JSON.stringify(body), { "idempotency-key": idempotencyKey });
      assert.equal(response.status, 201);
      return response.json();
    };
    const reader = await mint({ role: "read_only", scopes: [] }, "mint-reader");
    const admin = await mint({ role: "admin", scopes: ["keys:write"] }, "mint-admin");
    const first = await post("/v1/keys", "{}", { "idempotency-key": "op" });
    const firstText = await first.text();
    assert.equal(first.status, 201);
    const replay = await post("/v1/keys", "{}", { "idempotency-key": "op" });
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.equal(await replay.text(), firstText);
    const asReader = await shared.worker.get("/v1/keys", {
      method: "POST", headers: { ...bearer(reader.secret), ...json, "idempotency-key": "op" }, body: "{}",
    });
    await expectEnvelope(assert, asReader, 403, "permission_error", "missing_scope");
    const asAdmin = await shared.worker.get("/v1/keys", {
      method: "POST", headers: { ...bearer(admin.secret), ...json, "idempotency-key": "op" }, body: "{}",
    });
    await expectEnvelope(assert, asAdmin, 400, "idempotency_error", "idempotency_key_reused");
    await alive();
  });

  test("a tampered or foreign cursor is 400 invalid_cursor", async () => {
    for (let i = 0; i < 3; i++) await post("/v1/keys", JSON.stringify({ name: `page-${i}` }));
    const page = await (await shared.worker.get("/v1/keys?limit=1", { headers: bearer(shared.owner) })).json();
    assert.ok(page.next_cursor);
    const [payload, mac] = page.next_cursor.split(".");
    const flipped = payload.slice(0, -2) + (payload.at(-2) === "A" ? "B" : "A") + payload.at(-1);
    for (const cursor of [`${flipped}.${mac}`, `${payload}.${mac.slice(1)}`, "e30.e30", `${payload}.${mac}`.repeat(3)]) {
      const response = await shared.worker.get(`/v1/keys?limit=1&cursor=${encodeURIComponent(cursor)}`, { headers: bearer(shared.owner) });
      await expectEnvelope(assert, response, 400, "invalid_request_error", "invalid_cursor");
    }
    const foreign = await shared.worker.get(`/v1/events?cursor=${encodeURIComponent(page.next_cursor)}`, { headers: bearer(shared.owner) });
    await expectEnvelope(assert, foreign, 400, "invalid_request_error", "invalid_cursor");
    await alive();
  });
});
