#include "bindings/kv.hpp"

namespace ptmc::kv {
namespace {

Outcome<bool> acknowledged(EffectResult&&) { return true; }

}  // namespace

Effect<std::optional<Value>> get(std::string key) {
  return {{{{"kind", "kv.get"}, {"key", std::move(key)}}, std::nullopt},
          [](EffectResult&& result) -> Outcome<std::optional<Value>> {
            if (!result.body) return std::optional<Value>{};
            Json metadata = result.value.is_object() && result.value.contains("metadata") ? result.value["metadata"] : Json();
            return std::optional<Value>{Value{std::move(*result.body), std::move(metadata)}};
          }};
}

Effect<bool> put(std::string key, std::string value, PutOptions options) {
  Json meta = {{"kind", "kv.put"}, {"key", std::move(key)}};
  if (options.expiration_ttl_seconds) meta["expirationTtl"] = *options.expiration_ttl_seconds;
  if (!options.metadata.is_null()) meta["metadata"] = std::move(options.metadata);
  return {{std::move(meta), std::move(value)}, acknowledged};
}

Effect<bool> remove(std::string key) { return {{{{"kind", "kv.delete"}, {"key", std::move(key)}}, std::nullopt}, acknowledged}; }

Effect<Listing> list(ListOptions options) {
  Json meta = {{"kind", "kv.list"}, {"prefix", std::move(options.prefix)}, {"limit", options.limit}};
  if (!options.cursor.empty()) meta["cursor"] = std::move(options.cursor);
  return {{std::move(meta), std::nullopt}, [](EffectResult&& result) -> Outcome<Listing> {
            const Json& value = result.value;
            if (!value.is_object() || !value.contains("keys") || !value["keys"].is_array())
              return Fault{"kv.list", "malformed result from host"};
            Listing listing;
            for (const auto& entry : value["keys"]) {
              const auto* name = string_field(entry, "name");
              if (!name) return Fault{"kv.list", "malformed result from host"};
              listing.keys.push_back(
                  {*name, integer_field(entry, "expiration"), entry.contains("metadata") ? entry["metadata"] : Json()});
            }
            listing.complete = !value.contains("list_complete") || value["list_complete"] == true;
            if (const auto* cursor = string_field(value, "cursor")) listing.cursor = *cursor;
            return listing;
          }};
}

}  // namespace ptmc::kv
