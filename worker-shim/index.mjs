// The Worker: hands each entry (fetch, queue batch, cron tick, object request) to the C++
// core and turns its answer into the platform's. Routes, SQL and rules live in wasm/.
import { DurableObject } from "cloudflare:workers";
import patomicWasm from "../dist/patomic.wasm";
import { Engine, InstanceLost, ModuleTrap } from "./engine.mjs";

let engine = null;

// One instance per isolate, configured from the string vars and secrets.
function engineFor(env) {
  if (!engine) {
    const vars = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === "string"));
    engine = new Engine(patomicWasm, vars);
  }
  return engine;
}

function requestMeta(request, entry, extra = {}) {
  return { entry, method: request.method, url: request.url, headers: [...request.headers], ...extra };
}

async function requestBlobs(request, meta) {
  if (request.body === null) return [];
  meta.body = 0;
  return [new Uint8Array(await request.arrayBuffer())];
}

async function toResponse({ meta, blobs }, request, env) {
  if (meta.stream) return streamed(meta, request, env);
  const nullBody = [101, 204, 205, 304].includes(meta.status);
  return new Response(nullBody ? null : blobs[meta.body], { status: meta.status, headers: meta.headers });
}

// A body the core chose not to hold: bytes of an R2 object, streamed straight through, as long
// as the object is still the version the core looked at.
async function streamed({ status, headers, stream }, request, env) {
  const object = await env.BLOBS.get(stream.key, {
    range: { offset: stream.offset, length: stream.length },
    onlyIf: { etagMatches: stream.etag },
  });
  if (!object?.body) {
    const requestId = new Headers(headers).get("x-request-id") ?? request.headers.get("cf-ray");
    return errorEnvelope(env, requestId, 503, "object_changed", "The document changed while it was being read.",
      "Retry the request; it will read the new version.");
  }
  return new Response(object.body, { status, headers });
}

// Only reached when the module itself failed; everything else answers from C++.
function moduleFailure(error, request, env) {
  const lost = error instanceof InstanceLost;
  const code = lost ? "instance_restarted" : "internal_error";
  const requestId = request.headers.get("cf-ray") ?? `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  console.error(JSON.stringify({ level: "error", msg: "module failure", request_id: requestId, code, detail: String(error) }));
  return errorEnvelope(env, requestId, lost ? 503 : 500, code,
    lost ? "The service restarted while handling this request." : "An internal error occurred.",
    "Retry with exponential backoff; requests with an Idempotency-Key are safe to retry.");
}

// The core's error envelope, for the failures only the shim can see (wasm/http/error_catalogue.cpp).
function errorEnvelope(env, requestId, status, code, message, suggestion) {
  const docs = env.DOCS_BASE_URL ?? "https://api.patomic.dev/docs";
  const body = { error: { type: "api_error", code, message, docs_url: `${docs}#error-${code}`, request_id: requestId, suggestion } };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-request-id": requestId,
    },
  });
}

async function serve(request, env, entryMeta, scope) {
  try {
    const blobs = await requestBlobs(request, entryMeta);
    return await toResponse(await engineFor(env).run(entryMeta, blobs, scope), request, env);
  } catch (error) {
    if (error instanceof ModuleTrap || error instanceof InstanceLost) return moduleFailure(error, request, env);
    throw error;
  }
}

export default {
  fetch(request, env) {
    return serve(request, env, requestMeta(request, "fetch"), { env });
  },

  async queue(batch, env) {
    const messages = batch.messages.map((m) => ({ id: m.id, body: m.body, attempts: m.attempts, timestamp: m.timestamp.getTime() }));
    const { meta } = await engineFor(env).run({ entry: "queue", queue: batch.queue, messages }, [], { env });
    const decisions = new Map((meta.messages ?? []).map((d) => [d.id, d]));
    for (const message of batch.messages) {
      const decision = decisions.get(message.id);
      // A message the core did not answer for is retried, never dropped.
      if (decision?.action === "ack") message.ack();
      else message.retry(decision?.delaySeconds ? { delaySeconds: decision.delaySeconds } : undefined);
    }
  },

  async scheduled(controller, env) {
    await engineFor(env).run({ entry: "scheduled", cron: controller.cron, scheduledTime: controller.scheduledTime }, [], { env });
  },
};

// Durable Object classes are thin: the object's storage is the scope its effects may touch.
function objectClass(className) {
  return class extends DurableObject {
    fetch(request) {
      return serve(request, this.env, requestMeta(request, "object.fetch", { class: className }), {
        env: this.env,
        storage: this.ctx.storage,
      });
    }
  };
}

export const Sequencer = objectClass("Sequencer");
export const EntityRegistry = objectClass("EntityRegistry");
