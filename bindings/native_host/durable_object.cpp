// Durable Objects: calls run the object's task with its own storage.
#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

namespace ptmc::native {

Json Host::object_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results,
                         const std::string& object_key) {
  if (kind == effect_kind::do_call.name) {
    const auto* binding = string_field(effect, "binding");
    const auto* name = string_field(effect, "name");
    const auto* path = string_field(effect, "path");
    if (!binding || !name || !path) return failed("do.call: missing binding, name or path");
    // As wrangler.toml's [[durable_objects.bindings]].
    static const std::map<std::string, std::string> kClasses = {{"ENTITIES", "EntityRegistry"}, {"FIREHOSE", "Firehose"}};
    auto class_name = kClasses.find(*binding);
    if (class_name == kClasses.end()) return failed("do.call: no Durable Object binding '" + *binding + "'");
    auto headers = http::Headers::from_json(effect.value("headers", Json::array()));
    if (!headers) return failed("do.call: headers are not [[name, value], ...]");
    wire::Frame call = http::request_to_frame("object.fetch", effect.value("method", "GET"), "https://object" + *path, *headers);
    call.meta["class"] = class_name->second;
    if (auto body = request.take_blob(effect, "body")) call.meta["body"] = call.add_blob(std::move(*body));
    wire::Frame answer = run_task(std::move(call), *binding + "/" + *name);
    if (answer.meta.contains("rejected")) return failed("do.call: object rejected the call");
    auto response = http::response_from_frame(answer);
    if (!response) return failed("do.call: the object did not answer a response");
    Json entry = ok({{"status", response->status}, {"headers", response->headers.to_json()}});
    entry["body"] = results.add_blob(std::move(response->body));
    return entry;
  }
  if (object_key.empty()) return failed(kind + ": storage is only reachable inside a Durable Object");
  auto& storage = object_storage[object_key];
  if (kind == effect_kind::do_storage_get.name) {
    Json values = Json::object();
    for (const Json& key : effect.value("keys", Json::array()))
      if (key.is_string() && storage.count(key.get<std::string>()))
        values[key.get<std::string>()] = storage[key.get<std::string>()];
    return ok(std::move(values));
  }
  if (kind == effect_kind::do_storage_put.name) {
    const Json& entries = effect.value("entries", Json());
    if (!entries.is_object()) return failed("do.storage.put: entries must be an object");
    for (const auto& [key, value] : entries.items()) storage[key] = value;
    return ok();
  }
  if (kind == effect_kind::do_storage_delete.name) {
    for (const Json& key : effect.value("keys", Json::array()))
      if (key.is_string()) storage.erase(key.get<std::string>());
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

}  // namespace ptmc::native
