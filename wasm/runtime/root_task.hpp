// A root task: one entry (request, queue batch, tick, object call) stepped by the host.
#pragma once

#include "bindings/wire.hpp"
#include "wasm/runtime/effect.hpp"

#include <string>
#include <string_view>

namespace ptmc {

class RootTask {
 public:
  explicit RootTask(Task<wire::Frame> body) : body_(std::move(body)) {}

  // Each returns the encoded output frame: meta.state is "effects" (meta.effects lists the
  // batch to run) or "done" (the entry's own metadata and blobs). Valid until the next call.
  const std::string& start();
  const std::string& resume(std::string_view result_frame);
  const std::string& output() const { return output_; }

 private:
  void step(co::coroutine_handle<> handle);

  TaskContext context_;
  Task<wire::Frame> body_;
  std::string output_;
};

}  // namespace ptmc
