// Effects: how a task asks its host for I/O without doing any.
//
//   auto row = co_await d1::first(...);            // T; a failure faults the task
//   auto kv  = co_await kv::get(key).checked();    // Outcome<T>; the caller decides
//   auto [a, b] = co_await all(effect_a, effect_b); // one round trip for both
//   auto out = co_await catch_faults(subtask());    // a fault below stops here
//
// Awaiting an effect queues its request on the running root task and suspends. The host
// runs the batch, the runtime delivers each result to its awaiter, then resumes the task.
// A failed effect that was not `checked()` unwinds to the nearest catch_faults boundary by
// destroying the frames below it: exception-like control flow in exception-free code.
#pragma once

#include "wasm/runtime/json.hpp"
#include "wasm/runtime/task.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ptmc {

struct Fault {
  std::string source;   // the effect kind ("d1.first") or component that failed
  std::string message;  // what the host said
};

// A decoder's answer to a result it cannot read; the effect fills in its kind as the source.
Fault malformed_result();

// A value or the fault that prevented it.
template <class T>
class Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}
  Outcome(Fault fault) : fault_(std::move(fault)) {}
  bool ok() const { return value_.has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const Fault& fault() const { return fault_; }
  T take() { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Fault fault_;
};

// A kind of effect: its name on the wire, and whether a round trip holding it goes to the
// database (the figure the request log reports). The bindings declare theirs, once each.
struct EffectKind {
  const char* name;
  bool database = false;
};

// What a task asks for: its kind, its arguments and at most one outgoing body.
struct EffectRequest {
  const EffectKind* kind;
  Json meta;  // the arguments; the frame adds the kind's name
  std::optional<std::string> body;
};

// What the host answered: ok with a value (and perhaps a body), or an error message.
struct EffectResult {
  bool ok = false;
  Json value;
  std::optional<std::string> body;
  std::string error;
};

struct TaskStats {
  uint32_t effects = 0;
  uint32_t round_trips = 0;
  uint32_t database_round_trips = 0;
};

class TaskContext;

// A request that travels in the task's next round trip instead of taking one of its own (the
// hot key check rides with a read's first query: docs/decisions.md 33).
struct Rider {
  // Adds itself to the outgoing requests, merged into one of them or as one more, and answers
  // the index of the request it travels in; or nullopt when it may not travel with them (they
  // could change state): it then goes alone first, and they wait for its answer.
  std::function<std::optional<size_t>(std::vector<EffectRequest>&)> board;
  // Takes its own answer out of the result of the request it travelled in, leaving the rest for
  // that request's awaiter. false: the task may see nothing of this round trip, and unwinds to
  // the first boundary set after the rider, with `refusal`.
  std::function<bool(EffectResult&)> alight;
  Fault refusal;
};

namespace detail {

// An awaiter's landing place for one result; `deliver` decodes it and says whether it is ok.
struct ResultSink {
  void* target;
  bool (*deliver)(void* target, EffectResult&& result, Fault& fault);
  bool faults_task;  // a failure unwinds to the nearest boundary
};

// A catch_faults frame on the running task's boundary stack.
struct Boundary {
  Boundary* outer = nullptr;
  co::coroutine_handle<> resume_to;
  void* owner = nullptr;
  void (*drop_inner)(void* owner) = nullptr;
  std::optional<Fault> fault;
};

}  // namespace detail

// The state of one root task (one request, batch, tick or object call) between steps.
class TaskContext {
 public:
  void submit(EffectRequest request, detail::ResultSink sink);
  void suspend_at(co::coroutine_handle<> handle) { resume_point_ = handle; }

  // Boundary stack, maintained by catch_faults.
  void push_boundary(detail::Boundary* boundary) {
    boundary->outer = boundary_;
    boundary_ = boundary;
  }
  void pop_boundary(detail::Boundary* boundary) { boundary_ = boundary->outer; }

  const TaskStats& stats() const { return stats_; }

  // The rider boards the next round trip. withdraw_rider() drops it, and says whether it was
  // still waiting (the task made no round trip since).
  void set_rider(Rider rider);
  bool withdraw_rider();

  // Host side: the batch to run, then its results. deliver() answers where to resume, or
  // nullptr when a fault found no boundary (a bug in the entry point: the caller aborts).
  std::vector<EffectRequest> take_requests();
  co::coroutine_handle<> deliver(std::vector<EffectResult> results);
  size_t pending_count() const { return sinks_.size() + (rider_at_ && rider_alone_ ? 1 : 0); }
  bool has_pending() const { return pending_count() > 0; }

 private:
  co::coroutine_handle<> unwind_to_boundary_after(detail::Boundary* outer, Fault fault);

  std::vector<EffectRequest> requests_;
  std::vector<detail::ResultSink> sinks_;
  co::coroutine_handle<> resume_point_;
  detail::Boundary* boundary_ = nullptr;
  TaskStats stats_;
  std::optional<Rider> rider_;
  detail::Boundary* rider_outer_ = nullptr;   // the boundary when the rider was set
  std::optional<size_t> rider_at_;            // once boarded: the request it travels in
  bool rider_alone_ = false;                  // in a request of its own
  std::vector<EffectRequest> held_requests_;  // a trip waiting for the rider's answer
  std::vector<detail::ResultSink> held_sinks_;
};

// The root task being stepped right now. Tasks interleave only at co_await, so one at a time.
TaskContext& current_task();

class CurrentTaskScope {
 public:
  explicit CurrentTaskScope(TaskContext& task);
  ~CurrentTaskScope();
  CurrentTaskScope(const CurrentTaskScope&) = delete;
  CurrentTaskScope& operator=(const CurrentTaskScope&) = delete;

 private:
  TaskContext* previous_;
};

template <class T>
using Decoder = Outcome<T> (*)(EffectResult&&);

// Adds co_await to anything that can submit itself and take its result afterwards.
template <class Self>
struct AwaitOnce {
  bool await_ready() const noexcept { return false; }
  void await_suspend(co::coroutine_handle<> handle) {
    auto& task = current_task();
    static_cast<Self*>(this)->submit_to(task);
    task.suspend_at(handle);
  }
  auto await_resume() { return static_cast<Self*>(this)->take(); }
};

template <class T>
class Checked;

// One typed request. Awaited, it yields T, and a failure faults the task.
template <class T>
class [[nodiscard]] Effect : public AwaitOnce<Effect<T>> {
 public:
  using value_type = T;
  Effect(EffectRequest request, Decoder<T> decode) : request_(std::move(request)), decode_(decode) {}

  // Yields Outcome<T> instead of faulting.
  Checked<T> checked() &&;

  void submit_to(TaskContext& task, bool faults_task = true) {
    kind_ = request_.kind;
    task.submit(std::move(request_), {this, &Effect::deliver, faults_task});
  }
  T take() { return outcome_->take(); }
  Outcome<T> take_outcome() { return std::move(*outcome_); }

 private:
  static bool deliver(void* target, EffectResult&& result, Fault& fault) {
    auto* self = static_cast<Effect*>(target);
    self->outcome_.emplace(result.ok ? self->decode_(std::move(result)) : Outcome<T>(Fault{{}, std::move(result.error)}));
    if (self->outcome_->ok()) return true;
    fault = self->outcome_->fault();
    if (fault.source.empty()) {
      fault.source = self->kind_->name;
      self->outcome_.emplace(fault);
    }
    return false;
  }

  EffectRequest request_;
  Decoder<T> decode_;
  std::optional<Outcome<T>> outcome_;
  const EffectKind* kind_ = nullptr;
};

template <class T>
class [[nodiscard]] Checked : public AwaitOnce<Checked<T>> {
 public:
  using value_type = Outcome<T>;
  explicit Checked(Effect<T> effect) : effect_(std::move(effect)) {}
  void submit_to(TaskContext& task) { effect_.submit_to(task, /*faults_task=*/false); }
  Outcome<T> take() { return effect_.take_outcome(); }

 private:
  Effect<T> effect_;
};

template <class T>
Checked<T> Effect<T>::checked() && {
  return Checked<T>(std::move(*this));
}

// Several effects in one round trip; yields a tuple of their values.
template <class... Effects>
class [[nodiscard]] All : public AwaitOnce<All<Effects...>> {
 public:
  explicit All(Effects... effects) : effects_(std::move(effects)...) {}
  void submit_to(TaskContext& task) {
    std::apply([&](auto&... effect) { (effect.submit_to(task), ...); }, effects_);
  }
  auto take() {
    return std::apply([](auto&... effect) { return std::make_tuple(effect.take()...); }, effects_);
  }

 private:
  std::tuple<Effects...> effects_;
};

template <class... Effects>
All<Effects...> all(Effects... effects) {
  return All<Effects...>(std::move(effects)...);
}

// A run-time number of like effects in one round trip; yields their values in order.
template <class E>
class [[nodiscard]] AllOf : public AwaitOnce<AllOf<E>> {
 public:
  explicit AllOf(std::vector<E> effects) : effects_(std::move(effects)) {}
  void submit_to(TaskContext& task) {
    for (auto& effect : effects_) effect.submit_to(task);
  }
  auto take() {
    std::vector<typename E::value_type> values;
    values.reserve(effects_.size());
    for (auto& effect : effects_) values.push_back(effect.take());
    return values;
  }
  bool await_ready() const noexcept { return effects_.empty(); }

 private:
  std::vector<E> effects_;
};

template <class E>
AllOf<E> all(std::vector<E> effects) {
  return AllOf<E>(std::move(effects));
}

// Runs `inner`; a fault anywhere below stops here and comes back as the Outcome's fault.
template <class T>
class [[nodiscard]] CatchFaults {
 public:
  explicit CatchFaults(Task<T> inner) : inner_(std::move(inner)) {}

  bool await_ready() const noexcept { return false; }
  co::coroutine_handle<> await_suspend(co::coroutine_handle<> awaiter) {
    boundary_.resume_to = awaiter;
    boundary_.owner = this;
    boundary_.drop_inner = [](void* owner) { static_cast<CatchFaults*>(owner)->inner_.reset(); };
    current_task().push_boundary(&boundary_);
    return inner_.await_suspend(awaiter);
  }
  Outcome<T> await_resume() {
    if (boundary_.fault) return Outcome<T>(std::move(*boundary_.fault));
    current_task().pop_boundary(&boundary_);
    return Outcome<T>(inner_.await_resume());
  }

 private:
  Task<T> inner_;
  detail::Boundary boundary_;
};

template <class T>
CatchFaults<T> catch_faults(Task<T> inner) {
  return CatchFaults<T>(std::move(inner));
}

}  // namespace ptmc
