// Durable Object classes backed by the core. Objects hibernate and their constructor runs
// again on wake, so every piece of state lives in the object's storage, never in memory.
#pragma once

#include "bindings/wire.hpp"
#include "wasm/runtime/task.hpp"

namespace ptmc::objects {

// Entry for a request to an object: input meta {class, name, method, url, headers, body}.
Task<wire::Frame> on_object_fetch(wire::Frame input);

}  // namespace ptmc::objects
