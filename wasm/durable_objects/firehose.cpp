// Firehose: the one object that numbers events for the stream. Storage: "last" (the last seq
// given), "first" (the oldest kept), "e:{seq}" -> {seq, org_id, event}, and "id:{event id}" ->
// seq, so an event appended twice (a fan-out retried after a crash) keeps its first seq.
// Seqs are dense, so a replay reads keys it can name, 128 at a time (the storage API's
// batch), and a client that reconnects after seq N misses nothing and gets nothing twice.
#include "bindings/d1.hpp"
#include "bindings/durable_object.hpp"
#include "wasm/durable_objects/durable_objects.hpp"
#include "wasm/events/events.hpp"
#include "wasm/http/errors.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>

namespace ptmc::durable_objects {
namespace {

constexpr size_t kStorageBatch = 128;
constexpr size_t kMaxAppend = 500;
constexpr int64_t kMaxReplay = 100;

std::string event_key(int64_t seq) { return "e:" + std::to_string(seq); }

int64_t stored_integer(const std::map<std::string, Json>& stored, const std::string& key, int64_t fallback) {
  auto found = stored.find(key);
  return found != stored.end() && found->second.is_number_integer() ? found->second.get<int64_t>() : fallback;
}

// get() for any number of keys, in the storage API's batches.
Task<std::map<std::string, Json>> get_all(std::vector<std::string> keys) {
  std::map<std::string, Json> values;
  for (size_t at = 0; at < keys.size(); at += kStorageBatch) {
    auto part = co_await durable_object::storage::get(
        std::vector<std::string>(keys.begin() + static_cast<ptrdiff_t>(at),
                                 keys.begin() + static_cast<ptrdiff_t>(std::min(keys.size(), at + kStorageBatch))));
    values.merge(part);
  }
  co_return values;
}

Task<void> put_all(std::map<std::string, Json> entries) {
  std::map<std::string, Json> part;
  for (auto& [key, value] : entries) {
    part.emplace(key, std::move(value));
    if (part.size() == kStorageBatch) co_await durable_object::storage::put(std::exchange(part, {}));
  }
  if (!part.empty()) co_await durable_object::storage::put(std::move(part));
}

http::Response invalid(std::string message) {
  return error_response({400, ErrorType::invalid_request, "parameter_invalid", std::move(message), "Send the documented body."},
                        "");
}

// Events older than the retention go, a batch per append, oldest first.
Task<void> forget_expired(int64_t first, int64_t last) {
  int64_t cutoff_seconds = (services::now_ms() - events::kRetentionMs) / 1000;
  std::vector<std::string> keys;
  for (int64_t seq = first; seq <= last && keys.size() < kStorageBatch; ++seq) keys.push_back(event_key(seq));
  auto stored = co_await get_all(keys);
  std::vector<std::string> expired;
  int64_t next_first = first;
  for (int64_t seq = first; seq <= last && seq < first + static_cast<int64_t>(kStorageBatch); ++seq) {
    auto found = stored.find(event_key(seq));
    bool old = found == stored.end() || found->second["event"].value("created", int64_t(0)) < cutoff_seconds;
    if (!old) break;
    expired.push_back(event_key(seq));
    if (found != stored.end()) expired.push_back("id:" + found->second["event"].value("id", ""));
    next_first = seq + 1;
  }
  if (expired.empty()) co_return;
  co_await durable_object::storage::remove(std::move(expired));
  co_await durable_object::storage::put({{"first", next_first}});
}

}  // namespace

Task<http::Response> append_events(const http::Request& request) {
  auto body = parse_json(request.body);
  const Json* list = body && body->is_object() && body->contains("events") ? &(*body)["events"] : nullptr;
  if (!list || !list->is_array() || list->size() > kMaxAppend) co_return invalid("events must be an array of at most 500");
  std::vector<std::string> id_keys;
  for (const Json& item : *list) {
    const Json* event = item.is_object() && item.contains("event") ? &item["event"] : nullptr;
    if (!event || !string_field(*event, "id") || !(item["org_id"].is_null() || item["org_id"].is_string()))
      co_return invalid("each of events must be {\"org_id\": string or null, \"event\": {\"id\", …}}");
    id_keys.push_back("id:" + *string_field(*event, "id"));
  }
  id_keys.push_back("last");
  id_keys.push_back("first");
  auto stored = co_await get_all(id_keys);
  int64_t last = stored_integer(stored, "last", 0);
  int64_t first = stored_integer(stored, "first", 1);
  std::map<std::string, Json> writes;
  Json appended = Json::array();
  for (const Json& item : *list) {
    std::string id_key = "id:" + *string_field(item["event"], "id");
    if (stored.count(id_key) || writes.count(id_key)) continue;  // appended before: it keeps its seq
    Json entry = {{"seq", ++last}, {"org_id", item["org_id"]}, {"event", item["event"]}};
    writes[event_key(last)] = entry;
    writes[id_key] = last;
    appended.push_back(std::move(entry));
  }
  if (!writes.empty()) {
    writes["last"] = last;
    co_await put_all(std::move(writes));
  }
  co_await forget_expired(first, last);
  co_return http::json_response(200, {{"appended", std::move(appended)}, {"last", last}});
}

Task<http::Response> replay_events(const http::Request& request) {
  auto body = parse_json(request.body);
  auto after = body ? integer_field(*body, "after") : std::nullopt;
  auto limit = body ? integer_field(*body, "limit") : std::nullopt;
  const Json org = body && body->is_object() ? body->value("org_id", Json()) : Json();
  const Json types = body && body->is_object() ? body->value("types", Json()) : Json();
  if (!after || *after < 0 || !limit || *limit < 1 || *limit > kMaxReplay || !org.is_string() || !types.is_array())
    co_return invalid(
        "send {\"after\": seq >= 0, \"limit\": 1 to 100, \"org_id\": the organisation, \"types\": [readable types]}");
  auto bounds = co_await durable_object::storage::get({"last", "first"});
  int64_t last = stored_integer(bounds, "last", 0);
  int64_t from = std::max(*after, stored_integer(bounds, "first", 1) - 1);  // older ones are gone
  int64_t to = std::min(last, from + *limit);
  std::vector<std::string> keys;
  for (int64_t seq = from + 1; seq <= to; ++seq) keys.push_back(event_key(seq));
  auto stored = co_await get_all(keys);
  Json events = Json::array();
  for (int64_t seq = from + 1; seq <= to; ++seq) {
    auto found = stored.find(event_key(seq));
    if (found == stored.end()) continue;
    const Json& owner = found->second["org_id"];
    const Json& event = found->second["event"];
    bool readable = std::find(types.begin(), types.end(), event.value("type", Json())) != types.end();
    if ((owner.is_null() || owner == org) && readable) events.push_back({{"seq", seq}, {"event", event}});
  }
  co_return http::json_response(200, {{"events", std::move(events)}, {"next", to}, {"last", last}});
}

Task<http::Response> live_keys(const http::Request& request) {
  auto body = parse_json(request.body);
  const Json ids = body && body->is_object() ? body->value("key_ids", Json()) : Json();
  if (!ids.is_array() || ids.size() > 1000) co_return invalid("send {\"key_ids\": [at most 1000 key ids]}");
  auto rows =
      co_await d1::all({"SELECT id FROM api_keys WHERE id IN (SELECT value FROM json_each(?1)) AND revoked_at IS NULL "
                        "AND (expires_at IS NULL OR expires_at > ?2)",
                        {dump_json(ids), services::now_ms()}});
  Json live = Json::array();
  for (const auto& row : rows.rows) live.push_back(row["id"]);
  co_return http::json_response(200, {{"live", std::move(live)}});
}

}  // namespace ptmc::durable_objects
