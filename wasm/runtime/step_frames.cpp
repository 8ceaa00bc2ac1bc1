#include "wasm/runtime/step_frames.hpp"

namespace ptmc::wire {

std::string encode_step(Step step) {
  if (step.answer) {
    step.answer->meta["state"] = "done";
    return encode(*step.answer);
  }
  Frame frame;
  Json effects = Json::array();
  for (auto& request : step.effects) {
    request.meta["kind"] = request.kind->name;
    if (request.body) request.meta["body"] = frame.add_blob(std::move(*request.body));
    effects.push_back(std::move(request.meta));
  }
  frame.meta["state"] = "effects";
  frame.meta["effects"] = std::move(effects);
  return encode(frame);
}

std::vector<EffectResult> decode_results(std::string_view bytes, size_t expected) {
  std::vector<EffectResult> results;
  auto frame = decode(bytes);
  const Json* entries = frame ? &frame->meta["results"] : nullptr;
  if (!entries || !entries->is_array() || entries->size() != expected) {
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

}  // namespace ptmc::wire
