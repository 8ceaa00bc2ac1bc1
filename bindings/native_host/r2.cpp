// R2: objects with ranges, heads and listings.
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

namespace ptmc::native {
namespace {

Json object_info(const std::string& key, const R2Entry& entry) {
  return {{"key", key},
          {"size", entry.body.size()},
          {"etag", entry.etag},
          {"contentType", entry.content_type},
          {"uploaded", entry.uploaded_ms}};
}

}  // namespace

Json Host::r2_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results) {
  const auto* key = string_field(effect, "key");
  if (kind == "r2.get" || kind == "r2.head") {
    if (!key) return failed(kind + ": missing key");
    auto it = r2.find(*key);
    if (it == r2.end()) return ok();
    Json info = object_info(*key, it->second);
    if (kind == "r2.head") return ok(std::move(info));
    const std::string& body = it->second.body;
    int64_t size = static_cast<int64_t>(body.size());
    int64_t offset = 0, length = size;
    if (effect.contains("range")) {
      const Json& range = effect["range"];
      if (auto suffix = integer_field(range, "suffix")) {
        length = std::min(*suffix, size);
        offset = size - length;
      } else {
        offset = integer_field(range, "offset").value_or(0);
        if (offset < 0 || offset > size) return failed("r2.get: range offset outside the object");
        length = std::min(integer_field(range, "length").value_or(size - offset), size - offset);
      }
    }
    info["rangeOffset"] = offset;
    Json entry = ok(std::move(info));
    entry["body"] = results.add_blob(body.substr(static_cast<size_t>(offset), static_cast<size_t>(length)));
    return entry;
  }
  if (kind == "r2.put") {
    auto body = request.take_blob(effect, "body");
    if (!key || !body) return failed("r2.put: missing key or body");
    R2Entry& entry = r2[*key];
    entry = {std::move(*body), next_etag(etag_counter_), effect.value("contentType", ""), now_ms};
    return ok(object_info(*key, entry));
  }
  if (kind == "r2.put_from_url") {  // through the outbound handler, as the shim through fetch()
    const auto* url = string_field(effect, "url");
    if (!key || !url) return failed("r2.put_from_url: missing key or url");
    if (!outbound) return failed("r2.put_from_url: network unreachable (no outbound handler set)");
    http::Response response = outbound({*url, "GET", {}, "", integer_field(effect, "timeoutMs").value_or(10000)});
    if (response.status != 200) return ok({{"status", response.status}});
    R2Entry& entry = r2[*key];
    entry = {std::move(response.body), next_etag(etag_counter_), "", now_ms};
    return ok({{"status", 200}, {"object", object_info(*key, entry)}});
  }
  if (kind == "r2.delete") {
    for (const Json& name : effect.value("keys", Json::array()))
      if (name.is_string()) r2.erase(name.get<std::string>());
    return ok();
  }
  if (kind == "r2.list") {
    auto page = list_page(r2, effect, [](const std::string& name, const R2Entry& entry) { return object_info(name, entry); });
    Json value = {{"objects", std::move(page.items)}, {"truncated", page.more}};
    if (page.more) value["cursor"] = page.cursor;
    return ok(std::move(value));
  }
  return failed("unknown effect kind '" + kind + "'");
}

}  // namespace ptmc::native
