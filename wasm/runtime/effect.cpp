#include "wasm/runtime/effect.hpp"

namespace ptmc {
namespace {
TaskContext* running_task = nullptr;
}

TaskContext& current_task() {
  // Awaiting an effect outside a stepped task is a programming error, never input-driven.
  if (!running_task) std::abort();
  return *running_task;
}

CurrentTaskScope::CurrentTaskScope(TaskContext& task) : previous_(running_task) { running_task = &task; }
CurrentTaskScope::~CurrentTaskScope() { running_task = previous_; }

void TaskContext::submit(EffectRequest request, detail::ResultSink sink) {
  requests_.push_back(std::move(request));
  sinks_.push_back(sink);
  ++stats_.effects;
}

std::vector<EffectRequest> TaskContext::take_requests() {
  ++stats_.round_trips;
  for (const auto& request : requests_) {
    const auto* kind = string_field(request.meta, "kind");
    if (kind && kind->rfind("d1.", 0) == 0) {
      ++stats_.d1_round_trips;
      break;
    }
  }
  return std::exchange(requests_, {});
}

co::coroutine_handle<> TaskContext::deliver(std::vector<EffectResult> results) {
  std::optional<Fault> fault;
  for (size_t i = 0; i < sinks_.size(); ++i) {
    Fault this_fault;
    EffectResult result = i < results.size() ? std::move(results[i]) : EffectResult{false, {}, {}, "no result"};
    bool ok = sinks_[i].deliver(sinks_[i].target, std::move(result), this_fault);
    if (!ok && sinks_[i].faults_task && !fault) fault = std::move(this_fault);
  }
  sinks_.clear();
  if (!fault) return resume_point_;
  detail::Boundary* boundary = boundary_;
  if (!boundary) return nullptr;
  boundary_ = boundary->outer;
  boundary->fault = std::move(fault);
  boundary->drop_inner(boundary->owner);
  return boundary->resume_to;
}

}  // namespace ptmc
