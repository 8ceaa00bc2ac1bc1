// The shim's engine and the module's memory layout, on Node's V8 (the same engine as workerd):
// the stack sits below the static data, so an overflow traps instead of overwriting it; and an
// allocation the module cannot make is a trap that discards the instance, not a write at 0.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Engine, ModuleTrap } from "../../worker-shim/engine.mjs";
import { root, wasmPath } from "./harness.mjs";

// A module compiled from WebAssembly text (wabt's wat2wasm).
function moduleFrom(wat) {
  const dir = mkdtempSync(join(tmpdir(), "patomic-engine-"));
  writeFileSync(join(dir, "module.wat"), wat);
  execFileSync("wat2wasm", [join(dir, "module.wat"), "-o", join(dir, "module.wasm")]);
  return new WebAssembly.Module(readFileSync(join(dir, "module.wasm")));
}

describe(`the module and its engine (${wasmPath})`, () => {
  test("the stack is first in linear memory: below every data segment", () => {
    const section = (name) => execFileSync("wasm-objdump", ["-x", "-j", name, join(root, wasmPath)], { encoding: "utf8" });
    const details = section("Global") + section("Data");
    const stackTop = Number(/global\[0\] i32 mutable=1 - init i32=(\d+)/.exec(details)[1]);
    const segments = [...details.matchAll(/segment\[\d+\] memory=0 size=\d+ - init i32=(\d+)/g)].map((m) => Number(m[1]));
    assert.ok(segments.length > 0);
    assert.equal(stackTop, 1048576);  // the 1 MiB stack, growing down to 0
    assert.ok(Math.min(...segments) >= stackTop, `data at ${Math.min(...segments)}, below the stack's top ${stackTop}`);
  });

  test("an allocation that fails (ptmc_alloc answers 0) is a trap, and the instance is discarded", () => {
    const engine = new Engine(moduleFrom(`(module
      (memory (export "memory") 1)
      (func (export "ptmc_alloc") (param i32) (result i32) i32.const 0)
      (func (export "ptmc_configure") (param i32 i32))
      (func (export "ptmc_max_request_body") (result i32) i32.const 1048576))`), {});
    assert.throws(() => engine.exports(), (error) => error instanceof ModuleTrap && /out of memory/.test(error.message));
    assert.equal(engine.instance, null);
    assert.equal(engine.generation, 1);
  });

  test("a trap while preparing at load discards the instance, so the first request starts afresh", () => {
    const engine = new Engine(moduleFrom(`(module
      (memory (export "memory") 1)
      (func (export "ptmc_alloc") (param i32) (result i32) i32.const 16)
      (func (export "ptmc_configure") (param i32 i32))
      (func (export "ptmc_prepare") unreachable))`), {});
    assert.throws(() => engine.prepare(), (error) => error instanceof ModuleTrap && /unreachable/.test(error.message));
    assert.equal(engine.instance, null);
    assert.equal(engine.generation, 1);
    assert.ok(engine.exports().ptmc_prepare);  // instantiated again on the next use
  });
});
