// Webhooks on workerd, to a local receiver that verifies Patomic-Signature exactly as Stripe's
// scheme specifies: t and every v1 parsed from the header, v1 = HMAC-SHA256(secret, "<t>.<body>")
// compared in constant time, and t within a 300 s tolerance of the receiver's clock.
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { bearer, eventually, startWorker, wasmPath } from "./harness.mjs";

const toleranceSeconds = 300;

function verify(header, body, secret, nowSeconds) {
  const parts = (header ?? "").split(",").map((part) => part.split("="));
  const t = Number(parts.find(([name]) => name === "t")?.[1]);
  const signatures = parts.filter(([name]) => name === "v1").map(([, value]) => Buffer.from(value, "hex"));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return signatures.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected));
}

describe(`webhooks on workerd (${wasmPath})`, () => {
  const receiver = { secrets: [], answers: [], received: [], skewSeconds: [] };
  // Answers each delivery with the next scripted status (200 once the script is used up), after
  // verifying it with every secret it knows; an unverifiable delivery is a 400, as a receiver should.
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const now = Math.floor(Date.now() / 1000) + (receiver.skewSeconds.shift() ?? 0);
      const header = request.headers["patomic-signature"];
      const verifiedWith = receiver.secrets.filter((secret) => verify(header, body, secret, now));
      const status = verifiedWith.length === 0 ? 400 : (receiver.answers.shift() ?? 200);
      receiver.received.push({ path: request.url, header, body: JSON.parse(body), status, verifiedWith });
      response.writeHead(status).end();
    });
  });
  const shared = {};
  before(async () => {
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    shared.url = `http://127.0.0.1:${server.address().port}`;
    shared.worker = await startWorker({ vars: { WEBHOOK_RETRY_BASE_SECONDS: "0" } });
    shared.owner = await shared.worker.ownerKey();
  });
  after(async () => {
    await shared.worker?.mf.dispose();
    server.close();
  });
  const api = async (method, path, body) => {
    const response = await shared.worker.get(path, {
      method,
      headers: { ...bearer(shared.owner), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  };
  const endpoint = async (path, events) => {
    const created = await api("POST", "/v1/webhook_endpoints", { url: shared.url + path, enabled_events: events });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const arrivals = (path) => receiver.received.filter((delivery) => delivery.path === path);

  test("an event is delivered signed; 500s and a stale signature are retried with the same event id until accepted", async () => {
    const hook = await endpoint("/retry", ["key.created"]);
    receiver.secrets = [hook.secret];
    receiver.answers = [500, 500];
    receiver.skewSeconds = [0, 0, toleranceSeconds + 1];  // the third arrives "301 s late": the receiver refuses it
    await api("POST", "/v1/keys", { name: "ci", role: "member" });
    const worker = await shared.worker.mf.getWorker();
    await worker.scheduled({ cron: "* * * * *" });
    const deliveries = await eventually(() => (arrivals("/retry").some((d) => d.status === 200) ? arrivals("/retry") : null), { timeoutMs: 30000 });
    assert.deepEqual(deliveries.map((d) => d.status), [500, 500, 400, 200]);
    assert.equal(new Set(deliveries.map((d) => d.body.id)).size, 1);  // one event id throughout
    assert.equal(deliveries[0].body.type, "key.created");
    const attempts = (await api("GET", `/v1/webhook_endpoints/${hook.id}/attempts`)).body.data;
    assert.deepEqual(attempts.map((a) => a.status), [200, 400, 500, 500]);
    assert.deepEqual(attempts.map((a) => a.attempt), [4, 3, 2, 1]);
  });

  test("during a secret roll every delivery carries two v1 values, one per secret", async () => {
    const hook = await endpoint("/roll", ["*"]);
    const rolled = (await api("POST", `/v1/webhook_endpoints/${hook.id}/roll_secret`, { expires_in_seconds: 3600 })).body;
    receiver.secrets = [hook.secret, rolled.secret];
    assert.equal((await api("POST", `/v1/webhook_endpoints/${hook.id}/test`)).status, 202);
    const [delivery] = await eventually(() => (arrivals("/roll").length ? arrivals("/roll") : null));
    assert.equal(delivery.status, 200);
    assert.equal(delivery.header.match(/v1=/g).length, 2);
    assert.deepEqual(delivery.verifiedWith, [hook.secret, rolled.secret]);  // a receiver on either secret accepts it
    assert.equal(delivery.body.type, "webhook_endpoint.test");
  });

  test("a receiver that always fails: every attempt recorded, then the dead-letter queue and the endpoint flagged", async () => {
    const hook = await endpoint("/down", ["*"]);
    receiver.secrets = [hook.secret];
    receiver.answers = Array(19).fill(503);
    await api("POST", `/v1/webhook_endpoints/${hook.id}/test`);
    const flagged = await eventually(async () => {
      const current = (await api("GET", `/v1/webhook_endpoints/${hook.id}`)).body;
      return current.flagged_at ? current : null;
    }, { timeoutMs: 60000 });
    assert.equal(flagged.status, "enabled");
    const attempts = (await api("GET", `/v1/webhook_endpoints/${hook.id}/attempts?limit=100`)).body.data;
    assert.equal(attempts.length, 19);  // 1 + the consumer's 18 retries, then the dead-letter queue
    assert.ok(attempts.every((a) => a.status === 503));
    assert.equal(arrivals("/down").length, 19);
  });
});
