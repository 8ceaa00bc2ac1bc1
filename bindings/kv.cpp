#include "bindings/kv.hpp"

#include "bindings/effect_kinds.hpp"

namespace ptmc::kv {
namespace {

Outcome<bool> acknowledged(EffectResult&&) { return true; }

}  // namespace

Effect<std::optional<Value>> get(std::string key) {
  return {{&effect_kind::kv_get, {{"key", std::move(key)}}, std::nullopt},
          [](EffectResult&& result) -> Outcome<std::optional<Value>> {
            if (!result.body) return std::optional<Value>{};
            Json metadata = result.value.is_object() && result.value.contains("metadata") ? result.value["metadata"] : Json();
            return std::optional<Value>{Value{std::move(*result.body), std::move(metadata)}};
          }};
}

Effect<bool> put(std::string key, std::string value, PutOptions options) {
  Json meta = {{"key", std::move(key)}};
  if (options.expiration_ttl_seconds) meta["expirationTtl"] = *options.expiration_ttl_seconds;
  if (!options.metadata.is_null()) meta["metadata"] = std::move(options.metadata);
  return {{&effect_kind::kv_put, std::move(meta), std::move(value)}, acknowledged};
}

}  // namespace ptmc::kv
