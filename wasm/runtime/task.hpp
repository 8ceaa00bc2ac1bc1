// Task<T>: a lazy C++20 coroutine. Awaiting one starts it by symmetric transfer; when it
// finishes it resumes its awaiter. Dropping a Task destroys its frame, and with it every
// Task that frame is awaiting, which is how a fault unwinds a chain without exceptions.
#pragma once

#include "wasm/compat/platform.hpp"

#include <cstdlib>
#include <optional>
#include <utility>

namespace ptmc {

namespace detail {

struct PromiseBase {
  co::coroutine_handle<> continuation;

  co::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    co::coroutine_handle<> await_suspend(co::coroutine_handle<Promise> self) noexcept {
      auto next = self.promise().continuation;
      return next ? next : co::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  // Built with -fno-exceptions: nothing can reach here.
  void unhandled_exception() noexcept { std::abort(); }
};

template <class T>
struct ReturnSlot : PromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& result) {
    value.emplace(std::forward<U>(result));
  }
  T take() { return std::move(*value); }
};

template <>
struct ReturnSlot<void> : PromiseBase {
  void return_void() noexcept {}
  void take() noexcept {}
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::ReturnSlot<T> {
    Task get_return_object() { return Task(co::coroutine_handle<promise_type>::from_promise(*this)); }
  };
  using Handle = co::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  bool await_ready() const noexcept { return false; }
  co::coroutine_handle<> await_suspend(co::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

  // For the runtime, which drives root tasks by hand.
  Handle handle() const noexcept { return handle_; }
  bool done() const noexcept { return handle_ && handle_.done(); }
  void reset() noexcept {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

 private:
  explicit Task(Handle handle) : handle_(handle) {}
  Handle handle_;
};

}  // namespace ptmc
