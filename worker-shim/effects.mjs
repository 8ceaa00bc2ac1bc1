// One thin function per effect kind: decode the request, call the binding, encode the result.
// Shapes match bindings/*.hpp and the native host (bindings/native_host/host.cpp).

function binding(env, name, kind) {
  const found = env[name];
  if (!found) throw new Error(`${kind}: no binding named ${name}`);
  return found;
}

const bytes = (buffer) => new Uint8Array(buffer);
const prepare = (db, statement) => db.prepare(statement.sql).bind(...(statement.params ?? []));
const rows = (result) => ({ results: result.results ?? [], meta: result.meta ?? {} });
const objectInfo = (object) => ({
  key: object.key,
  size: object.size,
  etag: object.etag,
  contentType: object.httpMetadata?.contentType ?? "",
  uploaded: object.uploaded?.getTime?.() ?? 0,
});
const r2Range = (range) => (range?.suffix !== undefined ? { suffix: range.suffix } : range);

const kinds = {
  "d1.first": async (e, _, { env }) => ({ value: await prepare(binding(env, "DB", e.kind), e).first() }),
  "d1.all": async (e, _, { env }) => ({ value: rows(await prepare(binding(env, "DB", e.kind), e).all()) }),
  "d1.run": async (e, _, { env }) => ({ value: (await prepare(binding(env, "DB", e.kind), e).run()).meta }),
  // env.DB.batch() is one transaction: all statements or none.
  "d1.batch": async (e, _, { env }) => {
    const db = binding(env, "DB", e.kind);
    return { value: (await db.batch(e.statements.map((s) => prepare(db, s)))).map(rows) };
  },

  "kv.get": async (e, _, { env }) => {
    const { value, metadata } = await binding(env, "CACHE", e.kind).getWithMetadata(e.key, { type: "arrayBuffer" });
    return value === null ? { value: null } : { value: { metadata }, body: bytes(value) };
  },
  "kv.put": async (e, body, { env }) => {
    const options = {};
    if (e.expirationTtl !== undefined) options.expirationTtl = e.expirationTtl;
    if (e.metadata !== undefined) options.metadata = e.metadata;
    await binding(env, "CACHE", e.kind).put(e.key, body, options);
  },
  "kv.delete": async (e, _, { env }) => binding(env, "CACHE", e.kind).delete(e.key),
  "kv.list": async (e, _, { env }) => ({
    value: await binding(env, "CACHE", e.kind).list({ prefix: e.prefix, limit: e.limit, cursor: e.cursor }),
  }),

  "r2.get": async (e, _, { env }) => {
    const object = await binding(env, "BLOBS", e.kind).get(e.key, e.range ? { range: r2Range(e.range) } : {});
    if (!object) return { value: null };
    const body = bytes(await object.arrayBuffer());
    const offset = object.range?.offset ?? (object.range?.suffix !== undefined ? object.size - body.length : 0);
    return { value: { ...objectInfo(object), rangeOffset: offset }, body };
  },
  "r2.head": async (e, _, { env }) => {
    const object = await binding(env, "BLOBS", e.kind).head(e.key);
    return { value: object ? objectInfo(object) : null };
  },
  "r2.put": async (e, body, { env }) => {
    const options = e.contentType ? { httpMetadata: { contentType: e.contentType } } : {};
    return { value: objectInfo(await binding(env, "BLOBS", e.kind).put(e.key, body ?? new Uint8Array(), options)) };
  },
  // An origin download streamed into R2: with a Content-Length the body is never buffered.
  "r2.put_from_url": async (e, _, { env }) => {
    const response = await fetch(e.url, { signal: AbortSignal.timeout(e.timeoutMs) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { value: { status: response.status } };
    }
    const length = Number(response.headers.get("content-length"));
    const body = Number.isSafeInteger(length) && length > 0 ? response.body.pipeThrough(new FixedLengthStream(length)) : await response.arrayBuffer();
    return { value: { status: 200, object: objectInfo(await binding(env, "BLOBS", e.kind).put(e.key, body)) } };
  },
  "r2.delete": async (e, _, { env }) => binding(env, "BLOBS", e.kind).delete(e.keys),
  "r2.list": async (e, _, { env }) => {
    const listed = await binding(env, "BLOBS", e.kind).list({ prefix: e.prefix, limit: e.limit, cursor: e.cursor });
    return { value: { objects: listed.objects.map(objectInfo), truncated: listed.truncated, cursor: listed.cursor } };
  },

  "queue.send": async (e, _, { env }) =>
    binding(env, e.queue, e.kind).send(e.body, { contentType: "json", delaySeconds: e.delaySeconds }),
  "queue.sendBatch": async (e, _, { env }) =>
    binding(env, e.queue, e.kind).sendBatch(
      e.messages.map((m) => ({ body: m.body, contentType: "json", delaySeconds: m.delaySeconds })),
    ),

  "do.call": async (e, body, { env }) => {
    const namespace = binding(env, e.binding, e.kind);
    const stub = namespace.get(namespace.idFromName(e.name));
    return responseResult(await stub.fetch(`https://object${e.path}`, { method: e.method, headers: e.headers, body }));
  },
  "do.storage.get": async (e, _, { storage }) => ({ value: Object.fromEntries(await objectStorage(storage).get(e.keys)) }),
  "do.storage.put": async (e, _, { storage }) => objectStorage(storage).put(e.entries),
  "do.storage.delete": async (e, _, { storage }) => objectStorage(storage).delete(e.keys),

  fetch: async (e, body) =>
    responseResult(
      await fetch(e.url, { method: e.method, headers: e.headers, body, signal: AbortSignal.timeout(e.timeoutMs) }),
    ),
  "timer.sleep": (e) => new Promise((resolve) => setTimeout(resolve, e.ms)),
};

function objectStorage(storage) {
  if (!storage) throw new Error("Durable Object storage is only reachable inside an object");
  return storage;
}

async function responseResult(response) {
  return {
    value: { status: response.status, headers: [...response.headers] },
    body: bytes(await response.arrayBuffer()),
  };
}

export function runEffect(effect, body, scope) {
  const run = kinds[effect.kind];
  if (!run) throw new Error(`unknown effect kind '${effect.kind}'`);
  return run(effect, body, scope);
}
