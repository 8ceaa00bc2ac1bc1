// The Worker: hands each entry (fetch, queue batch, cron tick, object request) to the C++
// core and turns its answer into the platform's. Routes, SQL and rules live in wasm/.
import { DurableObject, env as loadedEnv } from "cloudflare:workers";
import patomicWasm from "../dist/patomic.wasm";
import { decodeHead, encodeHead, Engine, InstanceLost, ModuleTrap, readAtMost } from "./engine.mjs";

let engine = null;

// One instance per isolate, configured from the string vars and secrets.
function engineFor(env) {
  if (!engine) {
    const vars = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === "string"));
    engine = new Engine(patomicWasm, vars);
  }
  return engine;
}

// Instantiated and configured while the Worker loads (as a framework builds its routes then),
// so that the isolate's first request does not wait for it. Should that fail, the first request
// instantiates again and answers the module's failure itself; the reason is logged.
try {
  engineFor(loadedEnv).prepare();
} catch (error) {
  console.error(JSON.stringify({ level: "error", msg: "module not prepared at load", detail: String(error?.message ?? error) }));
}

// An entry's start frame for a request: method and URL in the metadata, the headers as a blob.
function requestFrame(request, entry, extra = {}) {
  return { meta: { entry, method: request.method, url: request.url, head: 0, ...extra }, blobs: [encodeHead(request.headers)] };
}

// The body as a blob, never holding more than the module accepts: a Content-Length over the
// limit is refused before any byte is read, and a chunked body is cut off once past it. Either
// way the module sees body_too_large and answers its 413 envelope.
async function addBody(request, { meta, blobs }, limit) {
  if (request.body === null) return;
  const body = await readAtMost(request.body, request.headers.get("content-length"), limit);
  if (body === null) meta.body_too_large = true;
  else meta.body = blobs.push(body) - 1;
}

async function toResponse({ meta, blobs }, request, env) {
  const headers = decodeHead(blobs[meta.head]);
  if (meta.stream) return streamed(meta, headers, request, env);
  if (meta.forward) {  // a WebSocket the core authenticated, for an object to serve
    const namespace = env[meta.forward.binding];
    const stub = namespace.get(namespace.idFromName(meta.forward.name));
    return stub.fetch(new Request(`https://object${meta.forward.path}`, request));
  }
  const nullBody = [101, 204, 205, 304].includes(meta.status);
  return new Response(nullBody ? null : blobs[meta.body], { status: meta.status, headers });
}

// A body the core chose not to hold: bytes of an R2 object, streamed straight through, as long
// as the object is still the version the core looked at.
async function streamed({ status, stream }, headers, request, env) {
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

async function serve(request, env, frame, scope) {
  try {
    const engine = engineFor(env);
    await addBody(request, frame, engine.maxRequestBody());
    return await toResponse(await engine.run(frame.meta, frame.blobs, scope), request, env);
  } catch (error) {
    if (error instanceof ModuleTrap || error instanceof InstanceLost) return moduleFailure(error, request, env);
    throw error;
  }
}

export default {
  fetch(request, env) {
    return serve(request, env, requestFrame(request, "fetch"), { env });
  },

  async queue(batch, env) {
    const messages = batch.messages.map((m) => ({ id: m.id, body: m.body, attempts: m.attempts, timestamp: m.timestamp.getTime() }));
    const entry = { entry: "queue", queue: batch.queue, messages };
    let meta;
    try {
      ({ meta } = await engineFor(env).run(entry, [], { env }));
    } catch (error) {
      // (An instance lost to another request's trap is not this batch's doing: it is retried.)
      if (!(error instanceof ModuleTrap)) throw error;
      // The batch trapped the module: a fresh instance decides what that means for each message
      // (an ingestion job fails with the reason rather than trap on every retry).
      ({ meta } = await engineFor(env).run({ ...entry, trapped: String(error.message ?? error) }, [], { env }));
    }
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
      return serve(request, this.env, requestFrame(request, "object.fetch", { class: className }), {
        env: this.env,
        storage: this.ctx.storage,
      });
    }
  };
}

export const EntityRegistry = objectClass("EntityRegistry");

// The event stream's object: the core numbers and keeps events (/append, /replay); this class
// holds the WebSockets with the Hibernation API, so idle sockets cost nothing, and each
// socket's state lives in its attachment, which survives hibernation: its organisation, key
// and readable event types, the last seq sent and acknowledged, and whether it is still
// catching up.
//
// Flow control: a client acknowledges with {"ack": seq}. A socket more than FIREHOSE_WINDOW
// events (default 1000) ahead of its acknowledgements gets nothing more: while catching up it
// waits for acks; live, it is closed (4008) rather than buffered without bound, and resumes
// from its last seq on reconnect.
//
// Revocation: an alarm every API_KEY_CACHE_TTL_SECONDS (default 60) asks the core which of
// the sockets' keys are still live and closes the others (4401).
export class Firehose extends DurableObject {
  get window() {
    const configured = Number(this.env.FIREHOSE_WINDOW);
    return Number.isInteger(configured) && configured > 0 ? configured : 1000;
  }

  get keyCheckMs() {
    const ttl = Number(this.env.API_KEY_CACHE_TTL_SECONDS || 60);
    return Math.max(1, Number.isFinite(ttl) ? ttl : 60) * 1000;
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/stream") return this.connect(url);
    const response = await this.serveCore(request);
    if (url.pathname === "/append" && response.status === 200) {
      const { appended, last } = await response.clone().json();
      // Read by catching-up sockets, which skip live sends: they must not stop short of this.
      this.appendedThrough = Math.max(this.appendedThrough ?? 0, last);
      for (const socket of this.ctx.getWebSockets()) this.sendLive(socket, appended);
    }
    return response;
  }

  serveCore(request) {
    return serve(request, this.env, requestFrame(request, "object.fetch", { class: "Firehose" }), {
      env: this.env,
      storage: this.ctx.storage,
    });
  }

  async connect(url) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    const cursor = Number(url.searchParams.get("cursor") ?? 0);
    const types = (url.searchParams.get("types") ?? "").split(",").filter(Boolean);
    // position: the last seq looked at (sent or not the key's); sent: the last sent; acked: the last acknowledged.
    server.serializeAttachment({
      org: url.searchParams.get("org"), key: url.searchParams.get("key"), types,
      position: cursor, sent: cursor, acked: cursor, catchingUp: true,
    });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + this.keyCheckMs);
    await this.catchUp(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  // Replays what follows the last seq sent, page by page, within the window; done when it
  // reaches the newest event: the last page's, or a later one appended while it was read
  // (whose live send skipped this socket). One replay at a time per socket: an ack that comes
  // while one runs is seen by its next page, which reads the socket's state afresh.
  async catchUp(socket) {
    this.replaying ??= new Set();
    if (this.replaying.has(socket)) return;
    this.replaying.add(socket);
    try {
      await this.replayPages(socket);
    } finally {
      this.replaying.delete(socket);
    }
  }

  async replayPages(socket) {
    for (;;) {
      const state = socket.deserializeAttachment();
      const room = this.window - (state.sent - state.acked);
      if (!state.catchingUp || room <= 0) return;
      const request = new Request("https://object/replay", {
        method: "POST",
        body: JSON.stringify({ after: state.position, org_id: state.org, types: state.types, limit: Math.min(100, room) }),
      });
      const response = await this.serveCore(request);
      if (response.status !== 200) return socket.close(1011, "the stream is unavailable; reconnect from your last seq");
      const page = await response.json();
      const next = socket.deserializeAttachment();
      for (const { seq, event } of page.events) socket.send(JSON.stringify({ seq, event }));
      const sent = page.events.length ? page.events.at(-1).seq : next.sent;
      const newest = Math.max(page.last, this.appendedThrough ?? 0);
      socket.serializeAttachment({ ...next, sent, position: page.next, catchingUp: page.next < newest });
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
      if (!state.types.includes(event.type)) continue;
      if (sent - state.acked >= this.window) {
        socket.close(4008, `too slow: over ${this.window} events unacknowledged; reconnect with cursor=${state.acked}`);
        return;
      }
      socket.send(JSON.stringify({ seq, event }));
      sent = seq;
    }
    socket.serializeAttachment({ ...state, sent, position });
  }

  // Closes the sockets whose keys were revoked or expired, then checks again while any is open.
  async alarm() {
    const sockets = this.ctx.getWebSockets();
    const keys = [...new Set(sockets.map((socket) => socket.deserializeAttachment()?.key).filter(Boolean))];
    const live = new Set();
    for (let at = 0; at < keys.length; at += 1000) {
      const request = new Request("https://object/live-keys", { method: "POST", body: JSON.stringify({ key_ids: keys.slice(at, at + 1000) }) });
      const response = await this.serveCore(request);
      if (response.status !== 200) throw new Error(`live-keys answered ${response.status}`);  // the platform retries the alarm
      for (const id of (await response.json()).live) live.add(id);
    }
    for (const socket of sockets)
      if (!live.has(socket.deserializeAttachment()?.key)) socket.close(4401, "the key was revoked or has expired");
    if (this.ctx.getWebSockets().length > 0) await this.ctx.storage.setAlarm(Date.now() + this.keyCheckMs);
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
