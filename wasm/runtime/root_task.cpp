#include "wasm/runtime/root_task.hpp"

#include <cstdlib>

namespace ptmc {
namespace {

std::vector<EffectResult> decode_results(std::string_view bytes, size_t expected) {
  std::vector<EffectResult> results;
  auto frame = wire::decode(bytes);
  const Json* entries = frame ? &frame->meta["results"] : nullptr;
  if (!entries || !entries->is_array() || entries->size() != expected) {
    // A host that answers out of shape fails every pending effect rather than guessing.
    results.assign(expected, EffectResult{false, {}, {}, "malformed result frame from host"});
    return results;
  }
  results.reserve(expected);
  for (const Json& entry : *entries) {
    EffectResult result;
    auto ok = entry.is_object() ? entry.find("ok") : Json::const_iterator{};
    result.ok = entry.is_object() && ok != entry.end() && ok->is_boolean() && ok->get<bool>();
    if (result.ok) {
      auto value = entry.find("value");
      if (value != entry.end()) result.value = *value;
      result.body = frame->take_blob(entry, "body");
    } else {
      const auto* error = string_field(entry, "error");
      result.error = error ? *error : "effect failed";
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace

const std::string& RootTask::start() {
  step(body_.handle());
  return output_;
}

const std::string& RootTask::resume(std::string_view result_frame) {
  if (body_.done() || !context_.has_pending()) return output_;
  auto results = decode_results(result_frame, context_.pending_count());
  co::coroutine_handle<> next;
  {
    CurrentTaskScope scope(context_);
    next = context_.deliver(std::move(results));
  }
  // Entry points wrap their work in catch_faults; a fault that escapes is a bug: trap.
  if (!next) std::abort();
  step(next);
  return output_;
}

void RootTask::step(co::coroutine_handle<> handle) {
  {
    CurrentTaskScope scope(context_);
    handle.resume();
  }
  wire::Frame frame;
  if (body_.done()) {
    frame = body_.await_resume();
    frame.meta["state"] = "done";
  } else {
    // A task that suspends without asking for anything could never be resumed.
    if (!context_.has_pending()) std::abort();
    Json effects = Json::array();
    for (auto& request : context_.take_requests()) {
      if (request.body) request.meta["body"] = frame.add_blob(std::move(*request.body));
      effects.push_back(std::move(request.meta));
    }
    frame.meta["state"] = "effects";
    frame.meta["effects"] = std::move(effects);
  }
  output_ = wire::encode(frame);
}

}  // namespace ptmc
