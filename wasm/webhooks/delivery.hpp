// Webhook delivery: the fan-out turns each new event into one WEBHOOKS message per endpoint
// that wants it; the consumer POSTs the event, signed, records the attempt, and retries with
// backoff and jitter over 3.5 days or more before the dead-letter queue.
#pragma once

#include "wasm/runtime/json.hpp"
#include "wasm/runtime/task.hpp"

#include <optional>
#include <string>

namespace ptmc::webhooks {

inline constexpr const char* kQueue = "WEBHOOKS";
inline constexpr int64_t kMaxDeliveries = 19;                   // 1 + max_retries of the WEBHOOKS consumer
inline constexpr int64_t kDisableAfterMs = 5LL * 24 * 3'600'000;  // failing this long (longer than one event's retries): disabled
inline constexpr int64_t kTimeoutMs = 10'000;

// Sealing for endpoint secrets at rest (they must be readable to sign, so they are not hashed).
std::string seal_secret(const std::string& secret);
std::optional<std::string> open_secret(const std::string& sealed);

// Every event after the fan-out position, for every enabled endpoint created before it that
// wants its type (an organisation's events go to its endpoints only). Answers the messages sent.
Task<int64_t> fan_out();

// A WEBHOOKS message's shape problem, if any: {"kind": "webhook", "endpoint_id", "event": {id, type, created, data}}.
std::optional<std::string> invalid_message(const Json& body);

// One attempt. done: acknowledge (delivered, or nothing left to deliver to); otherwise retry
// after delay_seconds.
struct Attempt {
  bool done = false;
  int64_t delay_seconds = 0;
};
Task<Attempt> deliver(Json body, int64_t attempts);

}  // namespace ptmc::webhooks
