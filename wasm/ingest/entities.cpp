#include "wasm/ingest/entities.hpp"

#include "bindings/durable_object.hpp"
#include "bindings/fetch.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/patents/names.hpp"
#include "wasm/runtime/effect.hpp"

namespace ptmc::ingest {

std::string new_entity_id(const std::string& normalized_name) {
  return "ent_" + crypto::sha256_hex(normalized_name).substr(0, 16);
}

namespace {

// A name-shard object's answer; anything but 200 with an id and canonical name for each name
// faults the task (the job's attempt then fails and is retried).
Outcome<std::map<std::string, EntityResolver::Entity>> decode_entities(EffectResult&& result) {
  auto response = outbound::decode_response(std::move(result));
  if (!response.ok()) return response.fault();
  auto body = parse_json(response.take().body);
  const Json* entities = body && body->is_object() && body->contains("entities") ? &(*body)["entities"] : nullptr;
  if (!entities || !entities->is_object()) return Fault{"entities", "the name-shard object answered without entities"};
  std::map<std::string, EntityResolver::Entity> out;
  for (const auto& [name, entity] : entities->items()) {
    const auto* id = string_field(entity, "id");
    const auto* canonical = string_field(entity, "canonical");
    if (!id || !canonical) return Fault{"entities", "an entity without id or canonical name for '" + name + "'"};
    out[name] = {*id, *canonical};
  }
  return out;
}

}  // namespace

Task<void> EntityResolver::resolve(std::set<std::string> names) {
  std::map<std::string, Json> by_shard;
  for (const auto& name : names)
    if (!known_.count(name)) by_shard[patents::name_shard(name)].push_back(name);
  if (by_shard.empty()) co_return;
  if (known_.size() > kMaxKnown) known_.clear();
  std::vector<Effect<std::map<std::string, Entity>>> calls;
  for (auto& [shard, shard_names] : by_shard) {
    http::Request request{"POST", "https://entities/resolve", "/resolve", "", {}, dump_json({{"names", std::move(shard_names)}})};
    calls.emplace_back(durable_object::call_request("ENTITIES", shard, std::move(request)), &decode_entities);
  }
  for (auto& answer : co_await all(std::move(calls)))
    for (auto& [name, entity] : answer) known_[name] = std::move(entity);
}

EntityResolver::Entity EntityResolver::operator[](const std::string& name) const {
  if (auto found = known_.find(name); found != known_.end()) return found->second;
  return {new_entity_id(name), name};  // left out by its object: what the object gives a new name
}

}  // namespace ptmc::ingest
