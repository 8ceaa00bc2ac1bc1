// Webhook delivery: the fan-out turns each new event into one WEBHOOKS message per endpoint
// that wants it; the consumer POSTs the event, signed, records the attempt, and retries with
// backoff and jitter over 3.5 days or more before the dead-letter queue.
#pragma once

#include "wasm/runtime/json.hpp"
#include "wasm/runtime/task.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::webhooks {

inline constexpr const char* kQueue = "WEBHOOKS";
inline constexpr int64_t kMaxDeliveries = 19;                     // 1 + max_retries of the WEBHOOKS consumer
inline constexpr int64_t kDisableAfterMs = 5LL * 24 * 3'600'000;  // failing this long (longer than one event's retries): disabled
inline constexpr int64_t kTimeoutMs = 10'000;

// Sealing for endpoint secrets at rest (they must be readable to sign, so they are not hashed).
std::string seal_secret(const std::string& secret);
std::optional<std::string> open_secret(const std::string& sealed);

// What one fan-out tick may hand on: the events after its position, in seq (commit) order, up
// to kFanOutEvents of them and kFanOutMessages messages, the position moving only past events
// wholly handed on. Every message of an event goes in the same tick, so a busy tick delays
// later events to the next one and loses none.
inline constexpr int64_t kFanOutEvents = 200;
inline constexpr size_t kFanOutMessages = 2000;
// An organisation's endpoints, and the event types one may list.
inline constexpr int64_t kMaxEndpointsPerOrganisation = 16;

// Every event after the fan-out position, to the Firehose, and to every enabled endpoint that
// wants its type, may see it (its organisation's or everyone's, and readable with the scopes of
// the key that set its events) and existed when it was written. Answers the messages sent.
Task<int64_t> fan_out();

// A WEBHOOKS message's shape problem, if any: {"kind": "webhook", "endpoint_id", "event": {id, type, created, data}}.
std::optional<std::string> invalid_message(const Json& body);

// One attempt. done: acknowledge (delivered, or nothing left to deliver to); otherwise retry
// after delay_seconds.
struct Attempt {
  bool done = false;
  int64_t delay_seconds = 0;
};
// One message of the WEBHOOKS queue, already checked with invalid_message().
struct Delivery {
  Json body;
  int64_t attempts = 1;  // this delivery included
};
// One attempt at each delivery, all at once, so that a slow or failing receiver never holds up
// another's: one round trip reads the endpoints, one sends every POST concurrently, one
// records the attempts. An event already delivered to an endpoint is not sent again. Answers
// each delivery's Attempt, in order.
Task<std::vector<Attempt>> deliver(std::vector<Delivery> batch);

}  // namespace ptmc::webhooks
