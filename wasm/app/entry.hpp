// The module's entry points, dispatched on the start frame's meta.entry:
//   "fetch" | "queue" | "scheduled" | "object.fetch" | "command"
#pragma once

#include "wasm/config/config.hpp"
#include "wasm/runtime/task.hpp"
#include "wasm/runtime/wire.hpp"

#include <optional>

namespace ptmc::app {

// A malformed or unknown start frame finishes at once with meta {"rejected": reason}.
Task<wire::Frame> run_entry(std::optional<wire::Frame> input);

Task<wire::Frame> on_fetch(wire::Frame input);

// Builds what every request reads (the route table with its declarations) once configured, so
// that the first request of an isolate does not pay for it.
void prepare();

// Installs the configuration and starts the isolate's caches afresh: what they hold was derived
// from the configuration before (a key's hash from its pepper). So each native Host, which
// configures the module it links, is a fresh isolate.
void configure(Config config);

}  // namespace ptmc::app
