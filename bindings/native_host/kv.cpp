// KV: bytes with metadata and expiry.
#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

namespace ptmc::native {

Json Host::kv_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results) {
  const auto* key = string_field(effect, "key");
  if (kind == effect_kind::kv_get.name) {
    if (!key) return failed("kv.get: missing key");
    auto it = kv.find(*key);
    if (it != kv.end() && it->second.expires_at_ms && *it->second.expires_at_ms <= now_ms) kv.erase(it), it = kv.end();
    if (it == kv.end()) return ok();
    Json entry = ok({{"metadata", it->second.metadata}});
    entry["body"] = results.add_blob(it->second.value);
    return entry;
  }
  if (kind == effect_kind::kv_put.name) {
    auto value = request.take_blob(effect, "body");
    if (!key || !value) return failed("kv.put: missing key or value");
    auto ttl = integer_field(effect, "expirationTtl");
    if (ttl && *ttl < 60) return failed("KV PUT failed: 400 Invalid expiration_ttl of " + std::to_string(*ttl));
    kv[*key] = {std::move(*value), effect.value("metadata", Json()),
                ttl ? std::optional<int64_t>(now_ms + *ttl * 1000) : std::nullopt};
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

}  // namespace ptmc::native
