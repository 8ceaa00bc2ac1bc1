// Queues: producers (send, send_batch). Consumers are entry points, not effects: a batch
// arrives as a task's input and the task answers ack or retry per message.
#pragma once

#include "wasm/runtime/effect.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::queue {

struct Message {
  Json body;
  std::optional<int64_t> delay_seconds;
};

// `binding` is the producer's binding name in wrangler.toml (e.g. "JOBS").
Effect<bool> send(std::string binding, Message message);
Effect<bool> send_batch(std::string binding, std::vector<Message> messages);

}  // namespace ptmc::queue
