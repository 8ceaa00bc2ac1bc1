// KV: the `CACHE` namespace. Eventually consistent, no atomic operations: caches and
// replays only, never a claim or a counter.
#pragma once

#include "wasm/runtime/effect.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::kv {

struct Value {
  std::string bytes;
  Json metadata;  // null when none was stored
};

struct PutOptions {
  std::optional<int64_t> expiration_ttl_seconds;  // KV's minimum is 60
  Json metadata;
};

Effect<std::optional<Value>> get(std::string key);
Effect<bool> put(std::string key, std::string value, PutOptions options = {});

}  // namespace ptmc::kv
