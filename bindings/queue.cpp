#include "bindings/queue.hpp"

#include "bindings/effect_kinds.hpp"

namespace ptmc::queue {
namespace {

Json message_json(Message& message) {
  Json out = {{"body", std::move(message.body)}};
  if (message.delay_seconds) out["delaySeconds"] = *message.delay_seconds;
  return out;
}

Outcome<bool> acknowledged(EffectResult&&) { return true; }

}  // namespace

Effect<bool> send(std::string binding, Message message) {
  Json meta = message_json(message);
  meta["queue"] = std::move(binding);
  return {{&effect_kind::queue_send, std::move(meta), std::nullopt}, acknowledged};
}

Effect<bool> send_batch(std::string binding, std::vector<Message> messages) {
  Json list = Json::array();
  for (auto& message : messages) list.push_back(message_json(message));
  return {{&effect_kind::queue_send_batch, {{"queue", std::move(binding)}, {"messages", std::move(list)}}, std::nullopt},
          acknowledged};
}

}  // namespace ptmc::queue
