// EntityRegistry: one Durable Object per name shard (patents::name_shard) chooses the
// canonical entity of every normalised name in it. Requests to one object run one at a time
// (its input gate holds others while storage calls are in flight), so two consumers loading
// "ACME WIDGETS" and "ACME WIDGETZ" at once cannot create two entities for one company.
//
// Storage: "n:{name}" -> {"id", "canonical"} for every name seen, and "len:{bytes}" ->
// {name: [id, canonical]}, the names of one length, which are the candidates same_entity may
// match (a name is compared with lengths within its allowed edits only).
#include "bindings/durable_object.hpp"
#include "wasm/durable_objects/durable_objects.hpp"
#include "wasm/http/errors.hpp"
#include "wasm/ingest/entities.hpp"
#include "wasm/patents/names.hpp"

#include <set>

namespace ptmc::durable_objects {
namespace {

constexpr size_t kMaxNames = 500;
constexpr size_t kMaxNameBytes = 300;

std::string bucket_key(size_t length) { return "len:" + std::to_string(length); }

// The closest known name that same_entity accepts (ties: the smaller name), if any.
const Json* closest(const std::string& name, const std::map<std::string, Json>& buckets) {
  const Json* best = nullptr;
  size_t best_distance = SIZE_MAX;
  std::string best_name;
  size_t reach = patents::allowed_edits(name.size());
  for (size_t length = name.size() > reach ? name.size() - reach : 0; length <= name.size() + reach; ++length) {
    auto bucket = buckets.find(bucket_key(length));
    if (bucket == buckets.end() || !bucket->second.is_object()) continue;
    for (const auto& [known, entity] : bucket->second.items()) {
      if (!patents::same_entity(name, known)) continue;
      size_t distance = patents::edit_distance(name, known, reach);
      if (distance < best_distance || (distance == best_distance && known < best_name)) {
        best = &entity;
        best_distance = distance;
        best_name = known;
      }
    }
  }
  return best;
}

}  // namespace

Task<http::Response> resolve_entities(const http::Request& request) {
  auto body = parse_json(request.body);
  const Json* names = body && body->is_object() && body->contains("names") ? &(*body)["names"] : nullptr;
  bool valid = names && names->is_array() && !names->empty() && names->size() <= kMaxNames;
  for (size_t i = 0; valid && i < names->size(); ++i) {
    const Json& name = (*names)[i];
    valid = name.is_string() && !name.get_ref<const std::string&>().empty() &&
            name.get_ref<const std::string&>().size() <= kMaxNameBytes;
  }
  if (!valid)
    co_return error_response(
        {400, ErrorType::invalid_request, "parameter_invalid",
         "names must be an array of 1 to 500 normalised names of 1 to 300 bytes.", "Send {\"names\": [\"ACME WIDGETS\"]}."},
        "");

  std::vector<std::string> keys;
  for (const Json& name : *names) keys.push_back("n:" + name.get<std::string>());
  auto known = co_await durable_object::storage::get(keys);

  std::set<std::string> bucket_keys;
  for (const Json& name : *names) {
    size_t length = name.get_ref<const std::string&>().size(), reach = patents::allowed_edits(length);
    for (size_t l = length > reach ? length - reach : 0; l <= length + reach; ++l) bucket_keys.insert(bucket_key(l));
  }
  auto buckets = co_await durable_object::storage::get({bucket_keys.begin(), bucket_keys.end()});

  Json answer = Json::object();
  std::map<std::string, Json> writes;
  for (const Json& entry : *names) {
    const std::string& name = entry.get_ref<const std::string&>();
    std::string key = "n:" + name;
    const Json* stored = nullptr;
    if (auto it = known.find(key); it != known.end() && it->second.is_object()) stored = &it->second;
    else if (auto earlier = writes.find(key); earlier != writes.end()) stored = &earlier->second;  // twice in one request
    if (stored) {
      answer[name] = *stored;
      continue;
    }
    Json entity;
    if (const Json* match = closest(name, buckets); match && match->is_array() && match->size() == 2)
      entity = {{"id", (*match)[0]}, {"canonical", (*match)[1]}};
    else entity = {{"id", ingest::new_entity_id(name)}, {"canonical", name}};
    writes[key] = entity;
    Json& bucket = buckets[bucket_key(name.size())];
    if (!bucket.is_object()) bucket = Json::object();
    bucket[name] = Json::array({entity["id"], entity["canonical"]});
    writes[bucket_key(name.size())] = bucket;
    answer[name] = std::move(entity);
  }
  if (!writes.empty()) co_await durable_object::storage::put(std::move(writes));
  co_return http::json_response(200, {{"entities", std::move(answer)}});
}

}  // namespace ptmc::durable_objects
