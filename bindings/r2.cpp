#include "bindings/r2.hpp"

#include "bindings/effect_kinds.hpp"

namespace ptmc::r2 {
namespace {

std::optional<ObjectInfo> decode_info(const Json& value) {
  const auto* key = string_field(value, "key");
  auto size = integer_field(value, "size");
  if (!key || !size) return std::nullopt;
  ObjectInfo info{*key, *size, {}, {}, integer_field(value, "uploaded").value_or(0)};
  if (const auto* etag = string_field(value, "etag")) info.etag = *etag;
  if (const auto* type = string_field(value, "contentType")) info.content_type = *type;
  return info;
}

}  // namespace

Effect<std::optional<Object>> get(std::string key, std::optional<Range> range) {
  Json meta = {{"key", std::move(key)}};
  if (range) {
    Json wire_range = Json::object();
    if (range->offset) wire_range["offset"] = *range->offset;
    if (range->length) wire_range["length"] = *range->length;
    if (range->suffix) wire_range["suffix"] = *range->suffix;
    meta["range"] = std::move(wire_range);
  }
  return {{&effect_kind::r2_get, std::move(meta), std::nullopt}, [](EffectResult&& result) -> Outcome<std::optional<Object>> {
            if (result.value.is_null()) return std::optional<Object>{};
            auto info = decode_info(result.value);
            if (!info || !result.body) return malformed_result();
            return std::optional<Object>{
                Object{std::move(*info), std::move(*result.body), integer_field(result.value, "rangeOffset").value_or(0)}};
          }};
}

Effect<std::optional<ObjectInfo>> head(std::string key) {
  return {{&effect_kind::r2_head, {{"key", std::move(key)}}, std::nullopt},
          [](EffectResult&& result) -> Outcome<std::optional<ObjectInfo>> {
            if (result.value.is_null()) return std::optional<ObjectInfo>{};
            auto info = decode_info(result.value);
            return info ? Outcome<std::optional<ObjectInfo>>(std::optional<ObjectInfo>{*info}) : malformed_result();
          }};
}

Effect<ObjectInfo> put(std::string key, std::string body, std::string content_type) {
  Json meta = {{"key", std::move(key)}};
  if (!content_type.empty()) meta["contentType"] = std::move(content_type);
  return {{&effect_kind::r2_put, std::move(meta), std::move(body)}, [](EffectResult&& result) -> Outcome<ObjectInfo> {
            auto info = decode_info(result.value);
            return info ? Outcome<ObjectInfo>(*info) : malformed_result();
          }};
}

Effect<Download> put_from_url(std::string url, http::Headers headers, std::string key, int64_t timeout_ms,
                              std::string content_type) {
  Json meta = {{"url", std::move(url)}, {"headers", headers.to_json()}, {"key", std::move(key)}, {"timeoutMs", timeout_ms}};
  if (!content_type.empty()) meta["contentType"] = std::move(content_type);
  return {{&effect_kind::r2_put_from_url, std::move(meta), std::nullopt}, [](EffectResult&& result) -> Outcome<Download> {
            auto status = integer_field(result.value, "status");
            if (!status) return malformed_result();
            Download download{static_cast<int>(*status), std::nullopt, {}};
            if (const auto* problem = string_field(result.value, "problem")) download.problem = *problem;
            if (result.value.contains("object")) {
              download.object = decode_info(result.value["object"]);
              if (!download.object) return malformed_result();
            }
            return download;
          }};
}

Effect<Unpacked> unpack(Unpack request) {
  Json meta = {{"from", std::move(request.from)}, {"offset", request.offset}, {"length", request.length},
               {"deflated", request.deflated},    {"size", request.size},     {"to", std::move(request.to)}};
  if (request.crc32) meta["crc32"] = *request.crc32;
  if (!request.content_type.empty()) meta["contentType"] = std::move(request.content_type);
  return {{&effect_kind::r2_unpack, std::move(meta), std::nullopt}, [](EffectResult&& result) -> Outcome<Unpacked> {
            if (const auto* problem = string_field(result.value, "problem")) return Unpacked{std::nullopt, *problem};
            auto info = result.value.contains("object") ? decode_info(result.value["object"]) : std::nullopt;
            if (!info) return malformed_result();
            return Unpacked{std::move(info), {}};
          }};
}

Effect<bool> remove(std::vector<std::string> keys) {
  return {{&effect_kind::r2_delete, {{"keys", std::move(keys)}}, std::nullopt},
          [](EffectResult&&) -> Outcome<bool> { return true; }};
}

Effect<Listing> list(std::string prefix, std::string cursor, int limit) {
  Json meta = {{"prefix", std::move(prefix)}, {"limit", limit}};
  if (!cursor.empty()) meta["cursor"] = std::move(cursor);
  return {{&effect_kind::r2_list, std::move(meta), std::nullopt}, [](EffectResult&& result) -> Outcome<Listing> {
            const Json& value = result.value;
            if (!value.is_object() || !value.contains("objects") || !value["objects"].is_array()) return malformed_result();
            Listing listing;
            for (const auto& entry : value["objects"]) {
              auto info = decode_info(entry);
              if (!info) return malformed_result();
              listing.objects.push_back(std::move(*info));
            }
            listing.truncated = value.contains("truncated") && value["truncated"] == true;
            if (const auto* next = string_field(value, "cursor")) listing.cursor = *next;
            return listing;
          }};
}

}  // namespace ptmc::r2
