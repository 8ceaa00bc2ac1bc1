// The generic half of the shim: instantiates the module, drives its tasks and runs the
// effects they ask for. It knows the wire format and the bindings, and no business rule.
// Frame: u32 meta_len | meta JSON | u32 blob_count | (u32 len | bytes)*  (docs/wire-format.md)
import { runEffect } from "./effects.mjs";

const utf8 = new TextEncoder();
const text = new TextDecoder();

export function encodeFrame(meta, blobs = []) {
  const metaBytes = utf8.encode(JSON.stringify(meta));
  let size = 8 + metaBytes.length;
  for (const blob of blobs) size += 4 + blob.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, metaBytes.length, true);
  out.set(metaBytes, 4);
  let at = 4 + metaBytes.length;
  view.setUint32(at, blobs.length, true);
  at += 4;
  for (const blob of blobs) {
    view.setUint32(at, blob.length, true);
    out.set(blob, at + 4);
    at += 4 + blob.length;
  }
  return out;
}

export function decodeFrame(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = view.getUint32(0, true);
  const meta = JSON.parse(text.decode(bytes.subarray(4, 4 + metaLength)));
  let at = 4 + metaLength;
  const count = view.getUint32(at, true);
  at += 4;
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at, true);
    blobs.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { meta, blobs };
}

// An HTTP message's headers as they cross (docs/wire-format.md): "name:value\n" each, which is
// unambiguous because HTTP allows no ':' in a name and no line break in a value.
export function encodeHead(headers) {
  let lines = "";
  for (const [name, value] of headers) lines += `${name}:${value}\n`;
  return utf8.encode(lines);
}

export function decodeHead(bytes) {
  const pairs = [];
  for (const line of text.decode(bytes).split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) pairs.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return pairs;
}

// A body stream's bytes, or null when they exceed `limit` (decided from `declaredLength`, a
// Content-Length, before reading when there is one); reading stops there and the rest is
// cancelled, so memory never holds more than `limit` of it.
export async function readAtMost(stream, declaredLength, limit) {
  if (declaredLength !== null && declaredLength !== undefined && !(Number(declaredLength) <= limit)) {
    await stream.cancel();
    return null;
  }
  const { bytes, complete } = await readPrefix(stream, limit);
  return complete ? bytes : null;
}

// The first `limit` bytes of a stream (or all of it, when shorter), and whether that was all;
// past the limit the rest is cancelled unread.
export async function readPrefix(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  let complete = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - total;
    if (value.byteLength > room) {
      if (room > 0) chunks.push(value.subarray(0, room));
      total += Math.max(room, 0);
      complete = false;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, complete };
}

// A trap (or proc_exit) inside the module: that instance is dead.
export class ModuleTrap extends Error {}
// The instance died while this task was waiting on its effects.
export class InstanceLost extends Error {}

const ERRNO_BADF = 8;

// WASI (and Emscripten's two extras) as far as the core uses them: logs, clock, randomness.
function hostImports(getMemory) {
  const pending = { 1: "", 2: "" };
  const bytes = () => new Uint8Array(getMemory().buffer);
  const view = () => new DataView(getMemory().buffer);
  const fill = (ptr, length) => {
    for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes().subarray(ptr + at, ptr + Math.min(length, at + 65536)));
    return 0;
  };
  return {
    // Each complete line is printed (one per request, as a rule); a partial one waits for its end.
    fd_write(fd, iovs, count, written) {
      const memory = view();
      const all = bytes();
      let total = 0;
      let chunk = pending[fd] ?? "";
      for (let i = 0; i < count; i++) {
        const ptr = memory.getUint32(iovs + i * 8, true);
        const length = memory.getUint32(iovs + i * 8 + 4, true);
        chunk += text.decode(all.subarray(ptr, ptr + length));
        total += length;
      }
      const print = fd === 2 ? console.error : console.log;
      for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n")) {
        print(chunk.slice(0, end));
        chunk = chunk.slice(end + 1);
      }
      pending[fd] = chunk;
      memory.setUint32(written, total, true);
      return 0;
    },
    clock_time_get(_id, _precision, out) {
      view().setBigUint64(out, BigInt(Date.now()) * 1000000n, true);
      return 0;
    },
    random_get: fill,
    getentropy: fill,
    fd_close: () => ERRNO_BADF,
    fd_seek: () => ERRNO_BADF,
    fd_fdstat_get: () => ERRNO_BADF,
    environ_sizes_get(count, size) {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return 0;
    },
    environ_get: () => 0,
    proc_exit(code) {
      throw new ModuleTrap(`proc_exit(${code})`);
    },
    emscripten_notify_memory_growth() {},
  };
}

export class Engine {
  constructor(wasmModule, vars) {
    this.module = wasmModule;
    this.vars = vars;
    this.instance = null;
    this.generation = 0;
  }

  // Instantiates lazily: once per isolate, and again after a trap.
  exports() {
    if (this.instance) return this.instance.exports;
    const provided = hostImports(() => this.instance.exports.memory);
    const imports = {};
    for (const { module, name } of WebAssembly.Module.imports(this.module)) {
      const fn = provided[name] ?? (() => { throw new ModuleTrap(`unsupported import ${module}.${name}`); });
      (imports[module] ??= {})[name] = fn;
    }
    this.instance = new WebAssembly.Instance(this.module, imports);
    try {
      this.instance.exports._initialize?.();
    } catch (error) {
      throw this.trapped(error);  // never left instantiated but not configured
    }
    this.call("ptmc_configure", encodeFrame({ vars: this.vars }));
    return this.instance.exports;
  }

  // Instantiates now and builds what every request reads (for a host that is loading).
  prepare() {
    const exports = this.exports();
    try {
      exports.ptmc_prepare();
    } catch (error) {
      throw this.trapped(error);
    }
  }

  // The largest request body the module takes (bytes); the shim reads no more than this.
  maxRequestBody() {
    return this.exports().ptmc_max_request_body();
  }

  // Calls an export that takes a frame; any throw from inside kills the instance, and so does
  // an allocation the module could not make (0).
  call(name, frame, ...leading) {
    const exports = this.exports();
    try {
      const ptr = exports.ptmc_alloc(frame.length);
      if (ptr === 0) throw new Error(`out of memory for a ${frame.length}-byte frame`);
      new Uint8Array(exports.memory.buffer).set(frame, ptr);
      return exports[name](...leading, ptr, frame.length);
    } catch (error) {
      throw this.trapped(error);
    }
  }

  // A throw from inside the module: the instance is dead.
  trapped(error) {
    this.discard();
    return new ModuleTrap(`module trapped: ${error?.message ?? error}`);
  }

  discard() {
    this.instance = null;
    this.generation++;
  }

  output(id) {
    const exports = this.exports();
    const ptr = exports.ptmc_output(id);
    return decodeFrame(new Uint8Array(exports.memory.buffer, ptr, exports.ptmc_output_len(id)));
  }

  // Runs one entry to completion. `scope` is what effects may touch: {env, storage?}.
  async run(meta, blobs, scope) {
    const generation = this.generation;
    const id = this.call("ptmc_start", encodeFrame(meta, blobs));
    try {
      for (;;) {
        const { meta: out, blobs: outBlobs } = this.output(id);
        if (out.state === "done") {
          if (out.rejected) throw new Error(`module rejected the ${meta.entry} entry: ${out.rejected}`);
          return { meta: out, blobs: outBlobs };
        }
        const resultBlobs = [];
        const results = await Promise.all(out.effects.map((effect) => settle(effect, outBlobs, scope, resultBlobs)));
        if (generation !== this.generation) throw new InstanceLost("module instance was reset while this request waited");
        this.call("ptmc_resume", encodeFrame({ results }, resultBlobs), id);
      }
    } finally {
      // After a trap the task died with its instance; there is nothing to release.
      if (generation === this.generation) this.instance?.exports.ptmc_release(id);
    }
  }
}

async function settle(effect, blobs, scope, resultBlobs) {
  try {
    const body = effect.body === undefined ? undefined : blobs[effect.body];
    const result = await runEffect(effect, body, scope);
    const entry = { ok: true, value: result?.value ?? null };
    if (result?.body) entry.body = resultBlobs.push(result.body) - 1;
    return entry;
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}
