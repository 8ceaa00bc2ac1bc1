// The effect kinds are declared once, in bindings/effect_kinds.hpp: the shim's table answers
// exactly those, and the module under test was built with each of them. (The native host is
// held to the same list by tests/flow/bindings_test.cpp.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { effectKinds } from "../../worker-shim/effects.mjs";
import { root, wasmPath } from "./harness.mjs";

const header = readFileSync(join(root, "bindings/effect_kinds.hpp"), "utf8");
const declared = new Map([...header.matchAll(/inline constexpr EffectKind (\w+)\{"([^"]+)"/g)].map((m) => [m[1], m[2]]));
const listed = [.../inline constexpr const EffectKind\* kAll\[\] = \{([^}]*)\}/.exec(header)[1].matchAll(/&(\w+)/g)].map((m) => m[1]);

test("every declared effect kind is in kAll, once", () => {
  assert.ok(declared.size > 0);
  assert.deepEqual([...listed].sort(), [...declared.keys()].sort());
});

test("the shim runs exactly the declared effect kinds", () => {
  assert.deepEqual([...effectKinds].sort(), [...declared.values()].sort());
});

test(`the module (${wasmPath}) names each declared kind`, () => {
  const module = readFileSync(join(root, wasmPath));
  for (const name of declared.values()) assert.ok(module.includes(Buffer.from(`${name}\0`)), name);
});
