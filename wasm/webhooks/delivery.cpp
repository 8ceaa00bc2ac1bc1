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
#include "wasm/webhooks/destination.hpp"
#include "wasm/webhooks/signature.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace ptmc::webhooks {
namespace {

constexpr size_t kSendBatch = 100;              // messages per sendBatch, the platform's bound
constexpr size_t kSendBatchBytes = 200 * 1024;  // and bytes, below its 256 KB
constexpr const char* kNoResponse = "no response (the connection failed or timed out)";

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

std::vector<std::string> json_strings(const std::string& text) {
  std::vector<std::string> out;
  auto parsed = parse_json(text);
  for (const auto& item : parsed && parsed->is_array() ? *parsed : Json::array())
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// An enabled endpoint as the fan-out sees it, its enabled_events and scopes read once a tick.
struct Subscriber {
  Json id, org_id;
  int64_t created_at = 0;
  std::set<std::string> types;  // what it receives: its enabled events that its scopes may read
};

Subscriber subscriber_of(const Json& row) {
  Subscriber subscriber{row["id"], row["org_id"], row.value("created_at", int64_t(0)), {}};
  auto readable = events::visible_types(json_strings(row.value("scopes", "[]")));
  auto enabled = json_strings(row.value("enabled_events", "[]"));
  bool everything = std::find(enabled.begin(), enabled.end(), "*") != enabled.end();
  for (const auto& type : readable)
    if (everything || std::find(enabled.begin(), enabled.end(), type) != enabled.end()) subscriber.types.insert(type);
  return subscriber;
}

bool receives(const Subscriber& subscriber, const Json& event) {
  bool visible = event["org_id"].is_null() || event["org_id"] == subscriber.org_id;
  return visible && subscriber.types.count(event.value("type", "")) &&
         subscriber.created_at <= event.value("created_at", int64_t(0));
}

// sendBatch calls of at most kSendBatch messages and kSendBatchBytes.
Task<void> send_all(std::vector<queue::Message> messages) {
  std::vector<queue::Message> batch;
  size_t bytes = 0;
  for (auto& message : messages) {
    size_t size = dump_json(message.body).size();
    if (!batch.empty() && (batch.size() == kSendBatch || bytes + size > kSendBatchBytes)) {
      co_await queue::send_batch(kQueue, std::exchange(batch, {}));
      bytes = 0;
    }
    bytes += size;
    batch.push_back(std::move(message));
  }
  if (!batch.empty()) co_await queue::send_batch(kQueue, std::move(batch));
}

// What one attempt came to: the receiver's status and latency (none when it never answered or
// nothing was sent), the error (empty when delivered), and whether the endpoint can never be
// delivered to.
struct Result {
  std::optional<int> status;
  std::optional<int64_t> latency_ms;
  std::string error;
  bool undeliverable = false;
};

// The attempt's record and what it means for the endpoint: a delivery clears its failing run; a
// failure starts or extends it, flags the endpoint after the last retry, and disables it after
// 5 days of failure (or at once when it is undeliverable), with a webhook_endpoint.disabled event.
std::pair<std::vector<d1::Statement>, Attempt> record(const Json& endpoint, const Delivery& delivery, int64_t now,
                                                      const Result& result) {
  const auto& endpoint_id = delivery.body["endpoint_id"];
  const Json& event = delivery.body["event"];
  std::vector<d1::Statement> statements = {
      {"INSERT INTO webhook_attempts (endpoint_id, event_id, event_type, attempt, status, latency_ms, error, created_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
       {endpoint_id, event["id"], event["type"], delivery.attempts, result.status ? Json(*result.status) : Json(),
        result.latency_ms ? Json(*result.latency_ms) : Json(), result.error.empty() ? Json() : Json(result.error), now}}};
  if (result.error.empty()) {
    statements.push_back({"UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?1", Json::array({endpoint_id})});
    return {std::move(statements), Attempt{true}};
  }
  const Json& since = endpoint["failing_since"];
  int64_t failing_since = since.is_number_integer() ? since.get<int64_t>() : now;
  bool disable = result.undeliverable || now - failing_since >= kDisableAfterMs;
  statements.push_back(
      {"UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?2), flagged_at = CASE WHEN ?3 "
       "THEN ?2 ELSE flagged_at END, status = CASE WHEN ?4 THEN 'disabled' ELSE status END, updated_at = ?2 "
       "WHERE id = ?1",
       {endpoint_id, now, delivery.attempts >= kMaxDeliveries ? 1 : 0, disable ? 1 : 0}});
  if (disable)
    statements.push_back(events::record("webhook_endpoint.disabled", endpoint["org_id"], now,
                                        {{"object", "webhook_endpoint"},
                                         {"id", endpoint_id},
                                         {"reason", result.undeliverable ? result.error : "deliveries have failed for 5 days"}},
                                        "changes() = 1"));
  Attempt attempt =
      disable ? Attempt{true} : Attempt{false, retry_delay_seconds(delivery.attempts, retry_base_seconds(), jitter())};
  return {std::move(statements), attempt};
}

// The secrets that sign now: the current one, and the previous one during a roll.
std::vector<std::string> signing_secrets(const Json& endpoint, int64_t now) {
  std::vector<std::string> secrets;
  if (auto current = open_secret(endpoint.value("secret_sealed", ""))) secrets.push_back(*current);
  const auto* previous = string_field(endpoint, "previous_secret_sealed");
  if (previous && endpoint.value("previous_expires_at", int64_t(0)) > now)
    if (auto old = open_secret(*previous)) secrets.push_back(*old);
  return secrets;
}

}  // namespace

std::string seal_secret(const std::string& secret) { return crypto::base64url(crypto::seal(sealing_key(), secret)); }

std::optional<std::string> open_secret(const std::string& sealed) {
  auto bytes = crypto::base64url_decode(sealed);
  return bytes ? crypto::open(sealing_key(), *bytes) : std::nullopt;
}

Task<int64_t> fan_out() {
  auto [events, endpoints] = co_await all(
      d1::all({"SELECT seq, org_id, created_at, " + events::event_object().select_list() +
                   " FROM events WHERE seq > COALESCE((SELECT last_seq FROM webhook_fanout WHERE singleton = 1), 0) "
                   "ORDER BY seq LIMIT ?1",
               {kFanOutEvents}}),
      d1::all({"SELECT id, org_id, enabled_events, scopes, created_at FROM webhook_endpoints WHERE status = 'enabled'"}));
  if (events.rows.empty()) co_return 0;
  std::vector<Subscriber> subscribers;
  for (const auto& row : endpoints.rows) subscribers.push_back(subscriber_of(row));

  std::vector<queue::Message> messages;
  Json stream = Json::array();  // for the Firehose, which numbers them for /v1/events/stream
  Json last_seq;
  for (const auto& event : events.rows) {
    Json payload = events::to_json(event);
    std::vector<queue::Message> for_event;
    for (const auto& subscriber : subscribers)
      if (receives(subscriber, event))
        for_event.push_back({{{"kind", "webhook"}, {"endpoint_id", subscriber.id}, {"event", payload}}, std::nullopt});
    // An event's messages all go in one tick; past the budget the rest waits for the next.
    if (!last_seq.is_null() && messages.size() + for_event.size() > kFanOutMessages) break;
    std::move(for_event.begin(), for_event.end(), std::back_inserter(messages));
    stream.push_back({{"org_id", event["org_id"]}, {"event", std::move(payload)}});
    last_seq = event["seq"];
  }
  // The stream first: an event appended twice keeps its first seq, so a retry is harmless. Both
  // happen before the position moves: a crash in between sends again, and the consumer does
  // not deliver an event twice to one endpoint.
  auto appended = co_await durable_object::call(
      "FIREHOSE", "events", {"POST", "https://object/append", "/append", "", {}, dump_json({{"events", stream}})});
  if (appended.status != 200) {
    services::write_log_line(dump_json({{"level", "error"}, {"msg", "firehose append failed"}, {"status", appended.status}}));
    co_return 0;  // the next minute tries again
  }
  int64_t sent = static_cast<int64_t>(messages.size());
  co_await send_all(std::move(messages));
  co_await d1::run(
      {"INSERT INTO webhook_fanout (singleton, last_seq) VALUES (1, ?1) ON CONFLICT (singleton) DO UPDATE SET "
       "last_seq = excluded.last_seq",
       Json::array({last_seq})});
  co_return sent;
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

Task<std::vector<Attempt>> deliver(std::vector<Delivery> batch) {
  std::vector<Effect<std::optional<Json>>> lookups;
  for (const auto& delivery : batch)
    lookups.push_back(
        d1::first({"SELECT org_id, url, secret_sealed, previous_secret_sealed, previous_expires_at, status, failing_since, "
                   "EXISTS (SELECT 1 "
                   "FROM webhook_attempts a WHERE a.endpoint_id = e.id AND a.event_id = ?2 AND a.error IS NULL) AS delivered "
                   "FROM webhook_endpoints e WHERE id = ?1",
                   {delivery.body["endpoint_id"], delivery.body["event"]["id"]}}));
  auto endpoints = co_await all(std::move(lookups));
  int64_t now = services::now_ms();
  bool allow_local = config().development_flag("WEBHOOK_ALLOW_LOCAL_URLS");

  std::vector<Attempt> attempts(batch.size(), Attempt{true});
  std::vector<std::optional<Result>> results(batch.size());
  std::vector<Checked<outbound::Answer>> posts;
  std::vector<size_t> posted;  // which delivery each post is
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& endpoint = endpoints[i];
    // Deleted or disabled since, or delivered already (a redelivered message): nothing to do.
    if (!endpoint || (*endpoint)["status"] != "enabled" || endpoint->value("delivered", 0) == 1) continue;
    // Checked again at each delivery: the rules (or WEBHOOK_ALLOW_LOCAL_URLS) may have changed
    // since the endpoint was saved. Such an endpoint can never be delivered to: it is disabled.
    std::string url = endpoint->value("url", "");
    if (auto refused = refused_destination(url, allow_local)) {
      results[i] = Result{std::nullopt, std::nullopt, "not sent: the endpoint's URL " + *refused, true};
      continue;
    }
    // Signing fails closed: an unsigned delivery would teach receivers to accept unsigned ones.
    auto secrets = signing_secrets(*endpoint, now);
    if (secrets.empty()) {
      results[i] = Result{std::nullopt, std::nullopt, "not sent: the endpoint's signing secret could not be opened"};
      continue;
    }
    // No redirects, and the answer's body is not read: only its status counts.
    outbound::Request request{url, "POST", {}, dump_json(batch[i].body["event"]), kTimeoutMs, 0, false};
    request.headers.set("content-type", "application/json");
    request.headers.set("user-agent", "Patomic-Webhooks/1");
    request.headers.set(std::string(kSignatureHeader), signature_header(now / 1000, request.body, secrets));
    posts.push_back(outbound::fetch(std::move(request)).checked());
    posted.push_back(i);
  }
  auto answers = co_await all(std::move(posts));
  for (size_t k = 0; k < answers.size(); ++k) {
    // Only the receiver's status and latency are kept: why a connection failed (refused,
    // reset, timed out) and how long that took would map the network behind the URL.
    if (!answers[k].ok()) {
      results[posted[k]] = Result{std::nullopt, std::nullopt, kNoResponse};
      continue;
    }
    auto answer = answers[k].take();
    int status = answer.response.status;
    std::string error = status >= 200 && status < 300 ? ""
                        : status >= 300 && status < 400
                            ? "the receiver answered " + std::to_string(status) + "; redirects are not followed"
                            : "the receiver answered " + std::to_string(status);
    results[posted[k]] = Result{status, answer.elapsed_ms, error};
  }
  // Each attempt is recorded in its own batch, all in one round trip.
  std::vector<Effect<std::vector<d1::Rows>>> records;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!results[i]) continue;
    auto [statements, attempt] = record(*endpoints[i], batch[i], now, *results[i]);
    attempts[i] = attempt;
    records.push_back(d1::batch_list(std::move(statements)));
  }
  co_await all(std::move(records));
  co_return attempts;
}

}  // namespace ptmc::webhooks
