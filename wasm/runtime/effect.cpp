#include "wasm/runtime/effect.hpp"

namespace ptmc {
namespace {
TaskContext* running_task = nullptr;
}

Fault malformed_result() { return {{}, "malformed result from host"}; }

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

void TaskContext::set_rider(Rider rider) {
  rider_ = std::move(rider);
  rider_outer_ = boundary_;
  rider_at_.reset();
}

bool TaskContext::withdraw_rider() {
  bool waiting = rider_ && !rider_at_;
  rider_.reset();
  rider_at_.reset();
  return waiting;
}

std::vector<EffectRequest> TaskContext::take_requests() {
  ++stats_.round_trips;
  if (rider_ && !rider_at_) {
    size_t before = requests_.size();
    rider_at_ = rider_->board(requests_);
    if (!rider_at_) {
      held_requests_ = std::exchange(requests_, {});
      held_sinks_ = std::exchange(sinks_, {});
      before = 0;
      rider_at_ = rider_->board(requests_);  // an empty trip takes it
    }
    rider_alone_ = requests_.size() > before;
    if (rider_alone_) ++stats_.effects;
  }
  for (const auto& request : requests_) {
    if (request.kind->database) {
      ++stats_.database_round_trips;
      break;
    }
  }
  return std::exchange(requests_, {});
}

co::coroutine_handle<> TaskContext::deliver(std::vector<EffectResult> results) {
  if (rider_ && rider_at_) {
    size_t at = *rider_at_;
    bool admitted = at < results.size() && rider_->alight(results[at]);
    if (rider_alone_ && at < results.size()) results.erase(results.begin() + static_cast<std::ptrdiff_t>(at));
    Fault refusal = rider_->refusal;
    rider_.reset();
    rider_at_.reset();
    if (!admitted) {
      held_requests_.clear();
      held_sinks_.clear();
      return unwind_to_boundary_after(rider_outer_, std::move(refusal));
    }
    if (!held_sinks_.empty()) {
      // The rider went first: now the trip that waited for it goes, and the task stays put.
      requests_ = std::exchange(held_requests_, {});
      sinks_ = std::exchange(held_sinks_, {});
      return co::noop_coroutine();
    }
  }
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

// Withholds every result of the trip: the frames below the first boundary set after `outer`
// are destroyed unresumed, whatever their awaiters would have done with a failure.
co::coroutine_handle<> TaskContext::unwind_to_boundary_after(detail::Boundary* outer, Fault fault) {
  detail::Boundary* target = boundary_;
  while (target && target->outer != outer) target = target->outer;
  if (!target) return nullptr;
  sinks_.clear();
  boundary_ = target->outer;
  target->fault = std::move(fault);
  target->drop_inner(target->owner);
  return target->resume_to;
}

}  // namespace ptmc
