// Runs a test runner (Catch2's, libFuzzer's) on a thread with the Wasm module's stack (1 MiB,
// the `-z stack-size` of cmake/toolchain.cmake), not the native 8 MB, so that anything
// recursing on input overflows here as it would in the module. ASan makes native frames larger
// than Wasm's, so passing here leaves the module a margin.
#pragma once

#include <pthread.h>

#include <functional>

namespace ptmc::testing {

inline constexpr size_t kWasmStackBytes = 1024 * 1024;

// `run`'s answer, or 2 when no such thread can be made.
inline int on_wasm_stack(std::function<int()> run) {
  struct Job {
    std::function<int()> run;
    int result = 2;
  } job{std::move(run)};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kWasmStackBytes);
  pthread_t thread;
  auto serve = [](void* raw) -> void* {
    auto* running = static_cast<Job*>(raw);
    running->result = running->run();
    return nullptr;
  };
  bool started = pthread_create(&thread, &attributes, serve, &job) == 0;
  pthread_attr_destroy(&attributes);
  if (started) pthread_join(thread, nullptr);
  return job.result;
}

}  // namespace ptmc::testing
