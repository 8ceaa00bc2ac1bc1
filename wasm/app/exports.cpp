// The module's C ABI: the whole host interface. The host (worker-shim/engine.mjs, or the
// native host in tests) drives every task through these calls:
//
//   ptr = ptmc_alloc(n); write a frame at ptr
//   ptmc_configure(ptr, n)           meta.vars; the isolate starts afresh (once per instance on
//                                    workerd; once per Host natively)
//   id  = ptmc_start(ptr, n)         a task runs until it finishes or waits on effects
//   out = ptmc_output(id), ptmc_output_len(id): meta.state "effects" | "done"
//   ptmc_resume(id, ptr, n)          the results of the batch, in order; runs on
//   ptmc_release(id)                 frees the task
//   ptmc_prepare()                   optional, after configure: builds what every request reads,
//                                    so that the host can pay for it while it loads
//   ptmc_max_request_body()          the largest request body it takes: the host reads no more
//                                    (and says body_too_large instead, docs/wire-format.md)
//
// Frames passed in are owned by the module from then on. See docs/wire-format.md.
#include "wasm/app/entry.hpp"
#include "wasm/http/router.hpp"
#include "wasm/runtime/step_frames.hpp"

#include <cstdlib>
#include <memory>
#include <unordered_map>

namespace {

// A task and its last step as the frame the host reads.
struct StartedTask {
  ptmc::RootTask task;
  std::string output;
};

std::unordered_map<uint32_t, std::unique_ptr<StartedTask>> tasks;
uint32_t last_task_id = 0;

// Takes ownership of a frame written by the host.
std::string adopt(uint8_t* bytes, uint32_t length) {
  std::string copy(reinterpret_cast<const char*>(bytes), length);
  std::free(bytes);
  return copy;
}

StartedTask* find(uint32_t id) {
  auto it = tasks.find(id);
  return it == tasks.end() ? nullptr : it->second.get();
}

}  // namespace

PTMC_EXPORT(ptmc_alloc) uint8_t* ptmc_alloc(uint32_t length) { return static_cast<uint8_t*>(std::malloc(length ? length : 1)); }

PTMC_EXPORT(ptmc_configure) void ptmc_configure(uint8_t* bytes, uint32_t length) {
  auto frame = ptmc::wire::decode(adopt(bytes, length));
  ptmc::app::configure(ptmc::Config::from_json(frame ? frame->meta.value("vars", ptmc::Json::object()) : ptmc::Json()));
}

PTMC_EXPORT(ptmc_prepare) void ptmc_prepare() { ptmc::app::prepare(); }

PTMC_EXPORT(ptmc_start) uint32_t ptmc_start(uint8_t* bytes, uint32_t length) {
  uint32_t id = ++last_task_id;
  if (id == 0) id = ++last_task_id;  // 0 is never a task
  auto started = std::make_unique<StartedTask>(
      StartedTask{ptmc::RootTask(ptmc::app::run_entry(ptmc::wire::decode(adopt(bytes, length)))), {}});
  started->output = ptmc::wire::encode_step(started->task.start());
  tasks.emplace(id, std::move(started));
  return id;
}

PTMC_EXPORT(ptmc_resume) uint32_t ptmc_resume(uint32_t id, uint8_t* bytes, uint32_t length) {
  std::string frame = adopt(bytes, length);
  auto* started = find(id);
  if (!started) return 0;
  // A finished task keeps its answer; a resume it did not wait for changes nothing.
  if (size_t expected = started->task.awaited_results())
    started->output = ptmc::wire::encode_step(started->task.resume(ptmc::wire::decode_results(frame, expected)));
  return 1;
}

PTMC_EXPORT(ptmc_output) const uint8_t* ptmc_output(uint32_t id) {
  auto* task = find(id);
  return task ? reinterpret_cast<const uint8_t*>(task->output.data()) : nullptr;
}

PTMC_EXPORT(ptmc_output_len) uint32_t ptmc_output_len(uint32_t id) {
  auto* task = find(id);
  return task ? static_cast<uint32_t>(task->output.size()) : 0;
}

PTMC_EXPORT(ptmc_release) void ptmc_release(uint32_t id) { tasks.erase(id); }

PTMC_EXPORT(ptmc_max_request_body) uint32_t ptmc_max_request_body() { return static_cast<uint32_t>(ptmc::kMaxBodyBytes); }
