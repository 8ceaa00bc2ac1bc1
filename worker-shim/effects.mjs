// One thin function per effect kind: decode the request, call the binding, encode the result.
// Shapes match bindings/*.hpp and the native host (bindings/native_host/host.cpp).
import { readPrefix } from "./engine.mjs";

function binding(env, name, kind) {
  const found = env[name];
  if (!found) throw new Error(`${kind}: no binding named ${name}`);
  return found;
}

const bytes = (buffer) => new Uint8Array(buffer);
const utf8 = new TextEncoder();
const prepare = (db, statement) => db.prepare(statement.sql).bind(...(statement.params ?? []));
// D1's meta as the module reads it (D1 adds timings, regions and sizes it never looks at).
const meta = ({ changes = 0, last_row_id = 0, rows_read = 0, rows_written = 0 } = {}) => ({ changes, last_row_id, rows_read, rows_written });
// A statement's rows; the texts of its `lines` column (if it names one) join `lines`, to travel
// as the lines of the result's body instead of in its metadata.
const rows = (result, statement, lines) => {
  const results = result.results ?? [];
  const column = statement.lines;
  if (column === undefined) return { results, meta: meta(result.meta) };
  for (const row of results) {
    const line = row[column];
    if (typeof line !== "string" || line.includes("\n")) throw new Error(`d1: column ${column} is not single-line text`);
    lines.push(line);
    row[column] = null;
  }
  return { results, meta: meta(result.meta), lines: column };
};
const withLines = (value, lines) => (lines.length ? { value, body: utf8.encode(lines.join("\n")) } : { value });
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
  "d1.all": async (e, _, { env }) => {
    const lines = [];
    return withLines(rows(await prepare(binding(env, "DB", e.kind), e).all(), e, lines), lines);
  },
  "d1.run": async (e, _, { env }) => ({ value: meta((await prepare(binding(env, "DB", e.kind), e).run()).meta) }),
  // env.DB.batch() is one transaction: all statements or none.
  "d1.batch": async (e, _, { env }) => {
    const db = binding(env, "DB", e.kind);
    const lines = [];
    const results = await db.batch(e.statements.map((s) => prepare(db, s)));
    return withLines(results.map((result, i) => rows(result, e.statements[i], lines)), lines);
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
  // An origin download streamed into R2, never buffered whole: with a Content-Length as one
  // stream of that length (a body that ends short fails the put, and is the answer), without
  // one in parts of a fixed size.
  "r2.put_from_url": async (e, _, { env }) => {
    const response = await fetch(e.url, { headers: e.headers, signal: AbortSignal.timeout(e.timeoutMs) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { value: { status: response.status } };
    }
    const bucket = binding(env, "BLOBS", e.kind);
    const options = e.contentType ? { httpMetadata: { contentType: e.contentType } } : {};
    const length = Number(response.headers.get("content-length"));
    if (!(Number.isSafeInteger(length) && length > 0)) {
      return { value: { status: 200, object: objectInfo(await putInParts(bucket, e.key, response.body, options)) } };
    }
    let received = 0;
    const counted = new TransformStream({
      transform(chunk, controller) {
        received += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    try {
      const stored = await bucket.put(e.key, response.body.pipeThrough(counted).pipeThrough(new FixedLengthStream(length)), options);
      return { value: { status: 200, object: objectInfo(stored) } };
    } catch (error) {
      if (received >= length) throw error;
      return { value: { status: 200, problem: `the body ended after ${received} of the ${length} bytes its Content-Length gives` } };
    }
  },
  // A byte range of one object copied into another, inflated on the way when asked (a ZIP
  // entry), never held whole. The copy's size and CRC-32 (if given) are checked before its put completes,
  // so a mismatch, or deflated data that does not inflate, stores nothing and is the answer.
  "r2.unpack": async (e, _, { env }) => {
    const bucket = binding(env, "BLOBS", e.kind);
    const source = await bucket.get(e.from, { range: { offset: e.offset, length: e.length } });
    if (!source) return { value: { problem: `${e.from} is gone` } };
    const reader = (e.deflated ? source.body.pipeThrough(new DecompressionStream("deflate-raw")) : source.body).getReader();
    const { readable, writable } = new FixedLengthStream(e.size);
    const stored = bucket.put(e.to, readable, e.contentType ? { httpMetadata: { contentType: e.contentType } } : {});
    const writer = writable.getWriter();
    let size = 0;
    let crc = 0;
    let problem = "";
    for (;;) {
      let next;
      try {
        next = await reader.read();
      } catch (error) {
        if (!e.deflated) throw error;
        problem = `its data does not inflate (${error.message})`;
        break;
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > e.size) break;
      if (e.crc32 !== undefined) crc = crc32(crc, next.value);
      await writer.write(next.value);
    }
    if (!problem && size !== e.size) problem = `it holds ${size > e.size ? "more" : "fewer"} than the ${e.size} bytes its directory gives`;
    if (!problem && e.crc32 !== undefined && crc !== e.crc32) problem = `it fails its CRC-32 check (${hex32(crc)}, where its directory gives ${hex32(e.crc32)})`;
    if (problem) {
      await Promise.allSettled([reader.cancel(), writer.abort(new Error(problem)), stored]);
      return { value: { problem } };
    }
    await writer.close();
    return { value: { object: objectInfo(await stored) } };
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
    return responseResult(await stub.fetch(`https://object${e.path}`, { method: e.method, headers: e.headers, body }), Infinity);
  },
  "do.storage.get": async (e, _, { storage }) => ({ value: Object.fromEntries(await objectStorage(storage).get(e.keys)) }),
  "do.storage.put": async (e, _, { storage }) => objectStorage(storage).put(e.entries),
  "do.storage.delete": async (e, _, { storage }) => objectStorage(storage).delete(e.keys),

  // Redirects are not followed unless asked (a 3xx is the answer), and at most
  // maxResponseBytes of the body are read; the rest is cancelled unread.
  fetch: async (e, body) => {
    const init = { method: e.method, headers: e.headers, body, redirect: e.redirect, signal: AbortSignal.timeout(e.timeoutMs) };
    const started = Date.now();
    const response = await fetch(e.url, init);
    const elapsedMs = Date.now() - started;
    const result = await responseResult(response, e.maxResponseBytes);
    return { ...result, value: { ...result.value, elapsedMs } };
  },
  "timer.sleep": (e) => new Promise((resolve) => setTimeout(resolve, e.ms)),
};

// CRC-32 as ZIP computes it (reflected, polynomial 0xEDB88320), a table lookup per byte.
const crcTable = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(crc, bytes) {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
const hex32 = (n) => n.toString(16).padStart(8, "0");

function objectStorage(storage) {
  if (!storage) throw new Error("Durable Object storage is only reachable inside an object");
  return storage;
}

async function responseResult(response, limit) {
  const { bytes: body, complete } = response.body ? await readPrefix(response.body, limit) : { bytes: new Uint8Array(), complete: true };
  return { value: { status: response.status, headers: [...response.headers], truncated: !complete }, body };
}

// R2 requires every part of a multipart upload but the last to have the same size, so memory
// holds one part at a time, whatever the length of the stream.
const kPartBytes = 8 * 1024 * 1024;
async function putInParts(bucket, key, stream, options) {
  const reader = stream.getReader();
  let upload = null;
  const parts = [];
  let part = new Uint8Array(kPartBytes);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let chunk = value; chunk.byteLength > 0;) {
        const take = Math.min(chunk.byteLength, kPartBytes - filled);
        part.set(chunk.subarray(0, take), filled);
        filled += take;
        chunk = chunk.subarray(take);
        if (filled === kPartBytes) {
          upload ??= await bucket.createMultipartUpload(key, options);
          parts.push(await upload.uploadPart(parts.length + 1, part));
          part = new Uint8Array(kPartBytes);
          filled = 0;
        }
      }
    }
    if (!upload) return await bucket.put(key, part.subarray(0, filled), options);  // under one part: one put
    if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, filled)));
    return await upload.complete(parts);
  } catch (error) {
    await upload?.abort();
    throw error;
  }
}

// The kinds it answers: bindings/effect_kinds.hpp declares them (tests/integration/effects.test.mjs).
export const effectKinds = Object.keys(kinds);

export function runEffect(effect, body, scope) {
  const run = kinds[effect.kind];
  if (!run) throw new Error(`unknown effect kind '${effect.kind}'`);
  return run(effect, body, scope);
}
