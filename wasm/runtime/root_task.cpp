#include "wasm/runtime/root_task.hpp"

#include <cstdlib>

namespace ptmc {

Step RootTask::start() { return step(body_.handle()); }

Step RootTask::resume(std::vector<EffectResult> results) {
  // Resuming a task that waits for nothing would run a finished coroutine: a host bug.
  if (awaited_results() == 0) std::abort();
  co::coroutine_handle<> next;
  {
    CurrentTaskScope scope(context_);
    next = context_.deliver(std::move(results));
  }
  // Entry points wrap their work in catch_faults; a fault that escapes is a bug: trap.
  if (!next) std::abort();
  return step(next);
}

Step RootTask::step(co::coroutine_handle<> handle) {
  {
    CurrentTaskScope scope(context_);
    handle.resume();
  }
  if (body_.done()) return {{}, body_.await_resume()};
  // A task that suspends without asking for anything could never be resumed.
  if (!context_.has_pending()) std::abort();
  return {context_.take_requests(), std::nullopt};
}

}  // namespace ptmc
