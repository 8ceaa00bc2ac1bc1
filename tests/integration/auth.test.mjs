// API keys, authentication and rate limits on workerd against the real local D1.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, eventually, expectEnvelope, startWorker, useWorkerWithOwner, wasmPath } from "./harness.mjs";

// Waits, if needed, so that the next few seconds fall inside one rate-limit minute.
async function awayFromMinuteBoundary(marginMs = 8000) {
  const intoMinute = Date.now() % 60000;
  if (intoMinute > 60000 - marginMs) await new Promise((r) => setTimeout(r, 60000 - intoMinute + 200));
}

describe(`auth on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();

  test("an owner key authenticates, with rate-limit headers and one D1 round trip", async () => {
    const response = await shared.worker.get("/v1/me", { headers: bearer(shared.owner, { "cf-ray": "auth-1" }) });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.role, "owner");
    assert.deepEqual(body.scopes, ["keys:read", "keys:write", "audit:read", "events:read", "portfolios:read", "portfolios:write", "webhooks:read", "webhooks:write"]);
    assert.equal(response.headers.get("x-ratelimit-limit"), "1000");
    assert.match(response.headers.get("ratelimit"), /^"per-key";r=\d+;t=\d+$/);
    const line = await eventually(() => shared.worker.logs.find((l) => l.request_id === "auth-1"));
    assert.equal(line.d1_round_trips, 1);
    assert.equal(line.key_id, body.key_id);
  });

  test("a hot key's list costs one D1 round trip, and a revoked key's list shows nothing", async () => {
    const created = await shared.worker.get("/v1/keys", {
      method: "POST",
      headers: bearer(shared.owner, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "lister", role: "admin", scopes: ["keys:read"] }),
    });
    const lister = await created.json();
    assert.equal((await shared.worker.get("/v1/keys?limit=5", { headers: bearer(lister.secret) })).status, 200);  // cold
    for (const ray of ["hot-list-1", "hot-list-2"]) {
      const page = await shared.worker.get("/v1/keys?limit=5", { headers: bearer(lister.secret, { "cf-ray": ray }) });
      assert.equal(page.status, 200);
      assert.ok((await page.json()).data.length >= 2);
      const line = await eventually(() => shared.worker.logs.find((l) => l.request_id === ray));
      assert.equal(line.d1_round_trips, 1);
    }
    assert.equal((await shared.worker.get(`/v1/keys/${lister.id}`, { method: "DELETE", headers: bearer(shared.owner) })).status, 200);
    const refused = await shared.worker.get("/v1/keys?limit=5", { headers: bearer(lister.secret) });
    const error = await expectEnvelope(assert, refused, 401, "authentication_error", "api_key_revoked");
    assert.ok(!JSON.stringify(error).includes(lister.id));
  });

  test("missing and mistyped keys get 401 envelopes", async () => {
    await expectEnvelope(assert, await shared.worker.get("/v1/me"), 401, "authentication_error", "missing_api_key");
    const typo = shared.owner.slice(0, -1) + (shared.owner.endsWith("a") ? "b" : "a");
    await expectEnvelope(assert, await shared.worker.get("/v1/me", { headers: bearer(typo) }), 401, "authentication_error", "invalid_api_key");
  });

  test("250 parallel requests with a 50-per-minute key: exactly 50 admitted", async () => {
    const created = await shared.worker.get("/v1/keys", {
      method: "POST",
      headers: bearer(shared.owner, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "limited", rate_limit_per_minute: 50 }),
    });
    assert.equal(created.status, 201);
    const limited = (await created.json()).secret;
    await awayFromMinuteBoundary();
    const responses = await Promise.all(Array.from({ length: 250 }, () => shared.worker.get("/v1/me", { headers: bearer(limited) })));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 50);
    assert.equal(statuses.filter((s) => s === 429).length, 200);
    const refused = responses.find((r) => r.status === 429);
    assert.equal(refused.headers.get("x-ratelimit-remaining"), "0");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    await expectEnvelope(assert, refused, 429, "rate_limit_error", "rate_limit_exceeded");
    await Promise.all(responses.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
    const breaches = await shared.worker.db.prepare("SELECT count(*) AS n FROM audit_log WHERE event = 'rate_limit.exceeded'").first("n");
    assert.equal(breaches, 1);
  });

  test("create, revoke, and the revoked key stops at once", async () => {
    const created = await shared.worker.get("/v1/keys", {
      method: "POST",
      headers: bearer(shared.owner, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "short-lived", role: "member", scopes: [] }),
    });
    const key = await created.json();
    assert.equal((await shared.worker.get("/v1/me", { headers: bearer(key.secret) })).status, 200);
    const revoked = await shared.worker.get(`/v1/keys/${key.id}`, { method: "DELETE", headers: bearer(shared.owner) });
    assert.equal(revoked.status, 200);
    await expectEnvelope(assert, await shared.worker.get("/v1/me", { headers: bearer(key.secret) }), 401, "authentication_error", "api_key_revoked");
  });

  test("roll: both keys work during the grace period", async () => {
    const created = await (await shared.worker.get("/v1/keys", {
      method: "POST", headers: bearer(shared.owner, { "content-type": "application/json" }), body: "{}",
    })).json();
    const rolled = await shared.worker.get(`/v1/keys/${created.id}/roll`, {
      method: "POST", headers: bearer(shared.owner, { "content-type": "application/json" }), body: JSON.stringify({ expires_in_seconds: 600 }),
    });
    assert.equal(rolled.status, 201);
    const replacement = await rolled.json();
    assert.equal(replacement.rolled_from.id, created.id);
    assert.equal((await shared.worker.get("/v1/me", { headers: bearer(created.secret) })).status, 200);
    assert.equal((await shared.worker.get("/v1/me", { headers: bearer(replacement.secret) })).status, 200);
  });
});

describe(`idempotency on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();

  const post = (path, key, body) =>
    shared.worker.get(path, { method: "POST", headers: bearer(shared.owner, { "content-type": "application/json", "idempotency-key": key }), body });

  test("two concurrent identical POSTs: one 2xx and one 409, then a byte-for-byte replay", async () => {
    const [a, b] = await Promise.all([post("/v1/debug/sleep?ms=600", "race-1", "{}"), post("/v1/debug/sleep?ms=600", "race-1", "{}")]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    const first = await winner.text();
    await expectEnvelope(assert, loser, 409, "idempotency_error", "idempotency_key_in_use");
    const replay = await post("/v1/debug/sleep?ms=600", "race-1", "{}");
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.equal(await replay.text(), first);
  });

  test("a created key replays with the same secret; another body is refused", async () => {
    const first = await post("/v1/keys", "create-1", JSON.stringify({ name: "replayed" }));
    assert.equal(first.status, 201);
    const firstBody = await first.text();
    const again = await post("/v1/keys", "create-1", JSON.stringify({ name: "replayed" }));
    assert.equal(await again.text(), firstBody);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    await expectEnvelope(assert, await post("/v1/keys", "create-1", JSON.stringify({ name: "other" })), 400,
      "idempotency_error", "idempotency_key_reused");
    const keys = await shared.worker.db.prepare("SELECT count(*) AS n FROM api_keys WHERE name = 'replayed'").first("n");
    assert.equal(keys, 1);
  });
});

describe(`auth without a pepper (${wasmPath})`, () => {
  let worker;
  before(async () => {
    worker = await startWorker({ vars: { API_KEY_PEPPER: "" } });
  });
  after(() => worker?.mf.dispose());

  test("every /v1 request fails closed and /readyz says why", async () => {
    await expectEnvelope(assert, await worker.get("/v1/me", { headers: bearer("ptmc_live_x") }), 500, "api_error", "configuration_error");
    const ready = await expectEnvelope(assert, await worker.get("/readyz"), 503, "api_error", "not_ready");
    assert.match(ready.message, /API_KEY_PEPPER/);
  });
});
