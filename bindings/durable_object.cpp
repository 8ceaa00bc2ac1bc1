#include "bindings/durable_object.hpp"

#include "bindings/effect_kinds.hpp"
#include "bindings/fetch.hpp"

namespace ptmc::durable_object {

EffectRequest call_request(std::string binding, std::string name, http::Request request) {
  Json meta = {{"binding", std::move(binding)},
               {"name", std::move(name)},
               {"method", std::move(request.method)},
               {"path", request.path + (request.query.empty() ? "" : "?" + request.query)},
               {"headers", request.headers.to_json()}};
  std::optional<std::string> body;
  if (!request.body.empty()) body = std::move(request.body);
  return {&effect_kind::do_call, std::move(meta), std::move(body)};
}

Effect<http::Response> call(std::string binding, std::string name, http::Request request) {
  return {call_request(std::move(binding), std::move(name), std::move(request)),
          [](EffectResult&& result) { return outbound::decode_response(std::move(result)); }};
}

namespace storage {

Effect<std::map<std::string, Json>> get(std::vector<std::string> keys) {
  return {{&effect_kind::do_storage_get, {{"keys", std::move(keys)}}, std::nullopt},
          [](EffectResult&& result) -> Outcome<std::map<std::string, Json>> {
            if (!result.value.is_object()) return malformed_result();
            std::map<std::string, Json> values;
            for (auto& [key, value] : result.value.items()) values.emplace(key, std::move(value));
            return values;
          }};
}

Effect<bool> put(std::map<std::string, Json> entries) {
  Json object = Json::object();
  for (auto& [key, value] : entries) object[key] = std::move(value);
  return {{&effect_kind::do_storage_put, {{"entries", std::move(object)}}, std::nullopt},
          [](EffectResult&&) -> Outcome<bool> { return true; }};
}

Effect<bool> remove(std::vector<std::string> keys) {
  return {{&effect_kind::do_storage_delete, {{"keys", std::move(keys)}}, std::nullopt},
          [](EffectResult&&) -> Outcome<bool> { return true; }};
}

}  // namespace storage
}  // namespace ptmc::durable_object
