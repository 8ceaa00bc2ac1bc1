#include "bindings/d1.hpp"
#include "bindings/queue.hpp"
#include "wasm/background/background.hpp"
#include "wasm/background/housekeeping.hpp"
#include "wasm/config/config.hpp"
#include "wasm/ingest/jobs.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/webhooks/delivery.hpp"

namespace ptmc::background {
namespace {

constexpr int64_t kMaxDeliveries = 4;  // 1 + max_retries of the JOBS consumer in wrangler.toml

struct Delivery {
  std::string id;
  Json body;
  int64_t attempts = 1;
};

struct Decision {
  std::string action;  // "ack" or "retry"
  int64_t delay_seconds = 0;
};

std::optional<std::string> invalid_job(const Json& body) {
  const auto* job_id = string_field(body, "job_id");
  const auto* kind = string_field(body, "kind");
  if (!job_id || job_id->empty() || job_id->size() > 64) return "job_id must be a string of 1 to 64 characters";
  if (!kind || (*kind != "housekeeping" && *kind != "ingest")) return "kind must be a known job kind";
  if (*kind == "ingest") {  // each jurisdiction's queue carries its own jobs
    const auto* jurisdiction = string_field(body, "jurisdiction");
    if (!jurisdiction || !ingest::find_jurisdiction(*jurisdiction)) return "jurisdiction must be one this deployment ingests";
    if (job_id->rfind(*jurisdiction + ":", 0) != 0) return "job_id must belong to the message's jurisdiction";
  }
  return std::nullopt;
}

bool is_webhook(const Json& body) {
  const auto* kind = string_field(body, "kind");
  return kind && *kind == "webhook";
}

// A batch's webhook deliveries, all at once (a slow receiver holds up no other): each retried
// on its own backoff (with jitter, over days); no job row.
Task<std::vector<Decision>> handle_webhooks(const std::vector<Delivery>& deliveries) {
  std::vector<webhooks::Delivery> batch;
  for (const auto& delivery : deliveries) batch.push_back({delivery.body, delivery.attempts});
  auto outcome = co_await catch_faults(webhooks::deliver(std::move(batch)));
  std::vector<Decision> decisions;
  if (!outcome.ok()) {
    services::write_log_line(dump_json({{"level", "error"},
                                        {"msg", "webhook attempts failed"},
                                        {"messages", deliveries.size()},
                                        {"detail", outcome.fault().source + ": " + outcome.fault().message}}));
    for (const auto& delivery : deliveries) decisions.push_back({"retry", retry_delay_seconds(delivery.attempts)});
    co_return decisions;
  }
  for (const auto& attempt : outcome.take())
    decisions.push_back(attempt.done ? Decision{"ack"} : Decision{"retry", attempt.delay_seconds});
  co_return decisions;
}

// Any message but a well-formed webhook delivery (those go together, to handle_webhooks).
Task<Decision> handle(Delivery delivery) {
  bool webhook = is_webhook(delivery.body);
  if (auto problem = webhook ? webhooks::invalid_message(delivery.body) : invalid_job(delivery.body)) {
    // Retrying cannot fix a malformed message: park it on the dead-letter queue with the reason.
    co_await queue::send(kDeadLetterQueue,
                         {{{"reason", *problem}, {"message_id", delivery.id}, {"body", delivery.body}}, std::nullopt});
    services::write_log_line(
        dump_json({{"level", "error"}, {"msg", "poison message"}, {"message_id", delivery.id}, {"reason", *problem}}));
    co_return Decision{"ack"};
  }
  std::string job_id = *string_field(delivery.body, "job_id");
  bool ingest = *string_field(delivery.body, "kind") == "ingest";
  std::string failure;
  if (ingest) {
    auto outcome = co_await catch_faults(ingest::run_ingestion(job_id));
    auto attempt = outcome.ok()
                       ? outcome.take()
                       : ingest::Attempt{ingest::Attempt::Kind::failed, outcome.fault().source + ": " + outcome.fault().message};
    if (attempt.kind == ingest::Attempt::Kind::done) co_return Decision{"ack"};
    if (attempt.kind == ingest::Attempt::Kind::busy) co_return Decision{"retry", retry_delay_seconds(delivery.attempts)};
    failure = attempt.reason;
    // Free the job for the next attempt, or mark it failed after the last (best effort).
    co_await catch_faults(ingest::after_failed_attempt(job_id, delivery.attempts >= kMaxDeliveries, failure));
  } else {
    auto outcome = co_await catch_faults(run_housekeeping(job_id));
    if (outcome.ok()) co_return Decision{"ack"};
    failure = outcome.fault().source + ": " + outcome.fault().message;
  }
  services::write_log_line(dump_json({{"level", "error"},
                                      {"msg", "job attempt failed"},
                                      {"message_id", delivery.id},
                                      {"attempts", delivery.attempts},
                                      {"detail", failure}}));
  co_return Decision{"retry", retry_delay_seconds(delivery.attempts)};
}

}  // namespace

int64_t retry_delay_seconds(int64_t attempts) {
  int64_t delay = 10;
  for (int64_t i = 1; i < attempts && delay < 3600; ++i) delay *= 2;
  return delay < 3600 ? delay : 3600;
}

Json decision_json(const std::string& id, const Decision& decision) {
  Json out = {{"id", id}, {"action", decision.action}};
  if (decision.action == "retry") out["delaySeconds"] = decision.delay_seconds;
  return out;
}

// A batch whose attempt trapped the module (the shim runs it again on a fresh instance with
// meta.trapped): an ingestion job fails with the reason, as retrying would trap again (its batch
// is that one job); other messages retry on their backoff.
Task<Decision> handle_trapped(const Delivery& delivery, const std::string& trap) {
  const auto* kind = string_field(delivery.body, "kind");
  const auto* job_id = string_field(delivery.body, "job_id");
  services::write_log_line(
      dump_json({{"level", "error"}, {"msg", "queue batch trapped"}, {"message_id", delivery.id}, {"detail", trap}}));
  if (!kind || *kind != "ingest" || !job_id || invalid_job(delivery.body))
    co_return Decision{"retry", retry_delay_seconds(delivery.attempts)};
  co_await ingest::fail_trapped(*job_id, trap);
  co_return Decision{"ack"};
}

// PATOMIC_DEBUG_ROUTES only: a message asking to trap, so that tests reach the shim's trap path.
void trap_if_asked(const Json& body) {
  if (config().development_flag("PATOMIC_DEBUG_ROUTES") && body.is_object() && body.value("debug_trap", false) == true)
    __builtin_trap();
}

Task<wire::Frame> on_queue_batch(wire::Frame input) {
  Json decisions = Json::array();
  std::vector<Delivery> webhook_deliveries;
  const auto* trapped = string_field(input.meta, "trapped");
  const Json& messages = input.meta["messages"];
  for (const Json& message : messages.is_array() ? messages : Json::array()) {
    const auto* id = string_field(message, "id");
    if (!id) continue;  // nothing to answer to; the platform redelivers it
    Delivery delivery{*id, message.value("body", Json()), integer_field(message, "attempts").value_or(1)};
    if (trapped) {
      auto decision = co_await catch_faults(handle_trapped(delivery, *trapped));
      decisions.push_back(decision_json(*id, decision.ok() ? decision.take() : Decision{"retry", retry_delay_seconds(1)}));
      continue;
    }
    trap_if_asked(delivery.body);
    if (is_webhook(delivery.body) && !webhooks::invalid_message(delivery.body)) {
      webhook_deliveries.push_back(std::move(delivery));
      continue;
    }
    // Sending to the dead-letter queue can itself fail: then the message is retried.
    auto decision = co_await catch_faults(handle(std::move(delivery)));
    decisions.push_back(decision_json(*id, decision.ok() ? decision.take() : Decision{"retry", retry_delay_seconds(1)}));
  }
  if (!webhook_deliveries.empty()) {
    auto chosen = co_await handle_webhooks(webhook_deliveries);
    for (size_t i = 0; i < chosen.size(); ++i) decisions.push_back(decision_json(webhook_deliveries[i].id, chosen[i]));
  }
  co_return wire::Frame{{{"messages", std::move(decisions)}}, {}};
}

}  // namespace ptmc::background
