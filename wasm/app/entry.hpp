// The module's entry points, dispatched on the start frame's meta.entry:
//   "fetch" | "queue" | "scheduled" | "object.fetch" | "command"
#pragma once

#include "bindings/wire.hpp"
#include "wasm/runtime/task.hpp"

#include <optional>

namespace ptmc::app {

// A malformed or unknown start frame finishes at once with meta {"rejected": reason}.
Task<wire::Frame> run_entry(std::optional<wire::Frame> input);

Task<wire::Frame> on_fetch(wire::Frame input);

// Builds what every request reads (the route table with its declarations) once configured, so
// that the first request of an isolate does not pay for it.
void prepare();

// What a new isolate starts with; the native host calls it so each Host is a fresh isolate.
void reset_isolate_state();

}  // namespace ptmc::app
