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
  if (meta.forward) {  // a WebSocket the core authenticated, for an object to serve
    const namespace = env[meta.forward.binding];
    const stub = namespace.get(namespace.idFromName(meta.forward.name));
    return stub.fetch(new Request(`https://object${meta.forward.path}`, request));
  }
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

// The event stream's object: the core numbers and keeps events (/append, /replay); this class
// holds the WebSockets with the Hibernation API, so idle sockets cost nothing, and each
// socket's state lives in its attachment, which survives hibernation: its organisation, the
// last seq sent and acknowledged, and whether it is still catching up.
//
// Flow control: a client acknowledges with {"ack": seq}. A socket more than FIREHOSE_WINDOW
// events (default 1000) ahead of its acknowledgements gets nothing more: while catching up it
// waits for acks; live, it is closed (4008) rather than buffered without bound, and resumes
// from its last seq on reconnect.
export class Firehose extends DurableObject {
  get window() {
    const configured = Number(this.env.FIREHOSE_WINDOW);
    return Number.isInteger(configured) && configured > 0 ? configured : 1000;
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/stream") return this.connect(url);
    const response = await this.serveCore(request);
    if (url.pathname === "/append" && response.status === 200) {
      const { appended } = await response.clone().json();
      for (const socket of this.ctx.getWebSockets()) this.sendLive(socket, appended);
    }
    return response;
  }

  serveCore(request) {
    return serve(request, this.env, requestMeta(request, "object.fetch", { class: "Firehose" }), {
      env: this.env,
      storage: this.ctx.storage,
    });
  }

  async connect(url) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    const cursor = Number(url.searchParams.get("cursor") ?? 0);
    // position: the last seq looked at (sent or not the org's); sent: the last sent; acked: the last acknowledged.
    server.serializeAttachment({ org: url.searchParams.get("org"), position: cursor, sent: cursor, acked: cursor, catchingUp: true });
    await this.catchUp(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  // Replays what follows the last seq sent, page by page, within the window; done when it
  // reaches the newest event (appends that land meanwhile are read by the last page).
  async catchUp(socket) {
    for (;;) {
      const state = socket.deserializeAttachment();
      const room = this.window - (state.sent - state.acked);
      if (!state.catchingUp || room <= 0) return;
      const request = new Request("https://object/replay", {
        method: "POST",
        body: JSON.stringify({ after: state.position, org_id: state.org, limit: Math.min(100, room) }),
      });
      const response = await this.serveCore(request);
      if (response.status !== 200) return socket.close(1011, "the stream is unavailable; reconnect from your last seq");
      const page = await response.json();
      const next = socket.deserializeAttachment();
      for (const { seq, event } of page.events) socket.send(JSON.stringify({ seq, event }));
      const sent = page.events.length ? page.events.at(-1).seq : next.sent;
      socket.serializeAttachment({ ...next, sent, position: page.next, catchingUp: page.next < page.last });
    }
  }

  sendLive(socket, entries) {
    const state = socket.deserializeAttachment();
    if (!state || state.catchingUp) return;
    let { sent, position } = state;
    for (const { seq, org_id, event } of entries) {
      if (seq <= position) continue;
      position = seq;
      if (org_id !== null && org_id !== undefined && org_id !== state.org) continue;
      if (sent - state.acked >= this.window) {
        socket.close(4008, `too slow: over ${this.window} events unacknowledged; reconnect with cursor=${state.acked}`);
        return;
      }
      socket.send(JSON.stringify({ seq, event }));
      sent = seq;
    }
    socket.serializeAttachment({ ...state, sent, position });
  }

  async webSocketMessage(socket, message) {
    let ack;
    try {
      ack = JSON.parse(message).ack;
    } catch {
      ack = undefined;
    }
    const state = socket.deserializeAttachment();
    if (!Number.isInteger(ack) || ack < state.acked || ack > state.sent) {
      socket.close(1003, 'send {"ack": seq} with a seq you received');
      return;
    }
    socket.serializeAttachment({ ...state, acked: ack });
    await this.catchUp(socket);
  }

  webSocketClose(socket, code) {
    socket.close(code, "closed");
  }
}
