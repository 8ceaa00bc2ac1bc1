#include "wasm/webhooks/delivery.hpp"

#include "bindings/d1.hpp"
#include "bindings/durable_object.hpp"
#include "bindings/fetch.hpp"
#include "bindings/queue.hpp"
#include "wasm/config/config.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/crypto/sealed.hpp"
#include "wasm/events/events.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/webhooks/signature.hpp"

#include <charconv>

namespace ptmc::webhooks {
namespace {

constexpr int64_t kFanOutEvents = 500;
constexpr size_t kSendBatch = 100;  // messages per sendBatch

std::string sealing_key() {
  return std::string(crypto::bytes_of(crypto::hmac_sha256(config().get("API_KEY_PEPPER"), "patomic webhook secrets v1")));
}

// WEBHOOK_RETRY_BASE_SECONDS (0 to 3600, default 60): tests shorten the backoff with it.
int64_t retry_base_seconds() {
  std::string_view text = config().get("WEBHOOK_RETRY_BASE_SECONDS", "60");
  int64_t value = 60;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= 0 && value <= 3600 ? value : 60;
}

double jitter() {
  uint8_t bytes[2];
  services::random_bytes(bytes, sizeof bytes);
  return static_cast<double>(bytes[0] << 8 | bytes[1]) / 65536.0;
}

bool wants(const Json& enabled_events, const std::string& type) {
  if (!enabled_events.is_array()) return false;
  for (const auto& wanted : enabled_events)
    if (wanted == "*" || wanted == type) return true;
  return false;
}

}  // namespace

std::string seal_secret(const std::string& secret) { return crypto::base64url(crypto::seal(sealing_key(), secret)); }

std::optional<std::string> open_secret(const std::string& sealed) {
  auto bytes = crypto::base64url_decode(sealed);
  return bytes ? crypto::open(sealing_key(), *bytes) : std::nullopt;
}

Task<int64_t> fan_out() {
  auto position = co_await d1::first({"SELECT created_at, event_id FROM webhook_fanout WHERE singleton = 1"});
  int64_t after_ms = position ? position->value("created_at", int64_t(0)) : 0;
  std::string after_id = position ? position->value("event_id", "") : "";
  auto [events, endpoints] = co_await all(
      d1::all({"SELECT id, org_id, type, created_at, data FROM events WHERE (created_at, id) > (?1, ?2) ORDER BY created_at, id "
               "LIMIT ?3",
               {after_ms, after_id, kFanOutEvents}}),
      d1::all({"SELECT id, org_id, enabled_events, created_at FROM webhook_endpoints WHERE status = 'enabled'"}));
  if (events.rows.empty()) co_return 0;
  std::vector<queue::Message> messages;
  Json stream = Json::array();  // for the Firehose, which numbers them for /v1/events/stream
  for (const auto& event : events.rows) {
    Json payload = events::to_json(event);
    stream.push_back({{"org_id", event["org_id"]}, {"event", payload}});
    for (const auto& endpoint : endpoints.rows) {
      bool visible = event["org_id"].is_null() || event["org_id"] == endpoint["org_id"];
      auto enabled = parse_json(endpoint.value("enabled_events", "[]"));
      if (!visible || !enabled || !wants(*enabled, event["type"].get<std::string>())) continue;
      if (endpoint["created_at"].get<int64_t>() > event["created_at"].get<int64_t>()) continue;  // before it existed
      messages.push_back({{{"kind", "webhook"}, {"endpoint_id", endpoint["id"]}, {"event", payload}}, std::nullopt});
    }
  }
  // The stream first: an event appended twice keeps its first seq, so a retry is harmless. Both
  // happen before the position moves: a crash in between sends again (receivers dedupe by id).
  auto appended = co_await durable_object::call("FIREHOSE", "events",
                                                {"POST", "https://object/append", "/append", "", {}, dump_json({{"events", stream}})});
  if (appended.status != 200) {
    services::write_log_line(dump_json({{"level", "error"}, {"msg", "firehose append failed"}, {"status", appended.status}}));
    co_return 0;  // the next minute tries again
  }
  for (size_t at = 0; at < messages.size(); at += kSendBatch)
    co_await queue::send_batch(kQueue, std::vector<queue::Message>(messages.begin() + static_cast<ptrdiff_t>(at),
                                                                   messages.begin() + static_cast<ptrdiff_t>(std::min(messages.size(), at + kSendBatch))));
  const Json& last = events.rows.back();
  co_await d1::run({"INSERT INTO webhook_fanout (singleton, created_at, event_id) VALUES (1, ?1, ?2) ON CONFLICT (singleton) DO "
                    "UPDATE SET created_at = excluded.created_at, event_id = excluded.event_id",
                    {last["created_at"], last["id"]}});
  co_return static_cast<int64_t>(messages.size());
}

std::optional<std::string> invalid_message(const Json& body) {
  const auto* endpoint = string_field(body, "endpoint_id");
  if (!endpoint || endpoint->empty() || endpoint->size() > 64) return "endpoint_id must be a string of 1 to 64 characters";
  const Json* event = body.contains("event") ? &body["event"] : nullptr;
  if (!event || !event->is_object() || !string_field(*event, "id") || !string_field(*event, "type") ||
      !integer_field(*event, "created") || !event->contains("data") || !(*event)["data"].is_object())
    return "event must be an object with id, type, created and data";
  return std::nullopt;
}

Task<Attempt> deliver(Json body, int64_t attempts) {
  std::string endpoint_id = *string_field(body, "endpoint_id");
  const Json& event = body["event"];
  auto endpoint = co_await d1::first({"SELECT org_id, url, secret_sealed, previous_secret_sealed, previous_expires_at, status, "
                                      "failing_since FROM webhook_endpoints WHERE id = ?1",
                                      {endpoint_id}});
  if (!endpoint || (*endpoint)["status"] != "enabled") co_return Attempt{true};  // deleted or disabled since: nothing to do
  int64_t now = services::now_ms();
  std::vector<std::string> secrets;
  if (auto current = open_secret(endpoint->value("secret_sealed", ""))) secrets.push_back(*current);
  const auto* previous = string_field(*endpoint, "previous_secret_sealed");
  if (previous && endpoint->value("previous_expires_at", int64_t(0)) > now)
    if (auto old = open_secret(*previous)) secrets.push_back(*old);

  outbound::Request request{endpoint->value("url", ""), "POST", {}, dump_json(event), kTimeoutMs};
  request.headers.set("content-type", "application/json");
  request.headers.set("user-agent", "Patomic-Webhooks/1");
  request.headers.set(std::string(kSignatureHeader), signature_header(now / 1000, request.body, secrets));
  auto answer = co_await outbound::fetch(request).checked();
  int64_t latency = services::now_ms() - now;
  Json status = answer.ok() ? Json(answer->status) : Json();
  bool delivered = answer.ok() && answer->status >= 200 && answer->status < 300;
  std::string error = delivered ? "" : answer.ok() ? "the receiver answered " + std::to_string(answer->status)
                                                    : answer.fault().message;
  std::vector<d1::Statement> record = {
      {"INSERT INTO webhook_attempts (endpoint_id, event_id, event_type, attempt, status, latency_ms, error, created_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
       {endpoint_id, event["id"], event["type"], attempts, status, latency, error.empty() ? Json() : Json(error), now}}};
  if (delivered) {
    record.push_back({"UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?1", {endpoint_id}});
    co_await d1::batch(std::move(record));
    co_return Attempt{true};
  }
  int64_t failing_since = endpoint->value("failing_since", Json()).is_number_integer() ? (*endpoint)["failing_since"].get<int64_t>() : now;
  bool disable = now - failing_since >= kDisableAfterMs;
  record.push_back({"UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?2), flagged_at = CASE WHEN ?3 "
                    "THEN ?2 ELSE flagged_at END, status = CASE WHEN ?4 THEN 'disabled' ELSE status END, updated_at = ?2 "
                    "WHERE id = ?1",
                    {endpoint_id, now, attempts >= kMaxDeliveries ? 1 : 0, disable ? 1 : 0}});
  if (disable)
    record.push_back(events::record("webhook_endpoint.disabled", (*endpoint)["org_id"], now,
                                    {{"object", "webhook_endpoint"}, {"id", endpoint_id},
                                     {"reason", "deliveries have failed for 5 days"}},
                                    "changes() = 1"));
  co_await d1::batch(std::move(record));
  if (disable) co_return Attempt{true};
  co_return Attempt{false, retry_delay_seconds(attempts, retry_base_seconds(), jitter())};
}

}  // namespace ptmc::webhooks
