// Queues: messages kept by producer binding, with their delays.
#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

namespace ptmc::native {

Json Host::queue_effect(const std::string& kind, const Json& effect) {
  const auto* binding = string_field(effect, "queue");
  if (!binding) return failed(kind + ": missing queue");
  auto enqueue = [&](const Json& message) {
    int64_t delay = integer_field(message, "delaySeconds").value_or(0);
    queues[*binding].push_back(
        {"msg-" + std::to_string(++message_counter_), message.value("body", Json()), 0, now_ms + delay * 1000});
  };
  if (kind == effect_kind::queue_send.name) {
    enqueue(effect);
    return ok();
  }
  if (kind == effect_kind::queue_send_batch.name) {
    for (const Json& message : effect.value("messages", Json::array())) enqueue(message);
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

}  // namespace ptmc::native
