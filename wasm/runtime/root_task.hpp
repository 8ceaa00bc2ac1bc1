// A root task: one entry (request, queue batch, tick, object call) stepped by the host.
#pragma once

#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/wire.hpp"

#include <optional>
#include <vector>

namespace ptmc {

// Where a step left the task: waiting on a batch of effects, or done with the entry's answer.
struct Step {
  std::vector<EffectRequest> effects;
  std::optional<wire::Frame> answer;
};

class RootTask {
 public:
  explicit RootTask(Task<wire::Frame> body) : body_(std::move(body)) {}

  Step start();
  // The results of the last step's batch, one per effect in order, however the host answered
  // (wasm/runtime/step_frames.hpp turns an answer of the wrong shape into failures).
  Step resume(std::vector<EffectResult> results);
  // How many results resume() takes: the last batch's size, or 0 once the task is done.
  size_t awaited_results() const { return body_.done() ? 0 : context_.pending_count(); }

 private:
  Step step(co::coroutine_handle<> handle);

  TaskContext context_;
  Task<wire::Frame> body_;
};

}  // namespace ptmc
