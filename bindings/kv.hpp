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

struct ListOptions {
  std::string prefix;
  std::string cursor;
  int limit = 1000;
};

struct Key {
  std::string name;
  std::optional<int64_t> expiration;
  Json metadata;
};

struct Listing {
  std::vector<Key> keys;
  bool complete = true;
  std::string cursor;
};

Effect<std::optional<Value>> get(std::string key);
Effect<bool> put(std::string key, std::string value, PutOptions options = {});
Effect<bool> remove(std::string key);
Effect<Listing> list(ListOptions options);

}  // namespace ptmc::kv
