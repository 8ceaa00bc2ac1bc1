// A root task's steps as frames: what the module's exports hand the host, and the host's
// answers back (docs/wire-format.md). Only the ABI (wasm/app/exports.cpp, and the native host
// where it drives a task directly) encodes them.
#pragma once

#include "wasm/runtime/root_task.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ptmc::wire {

// meta.state "effects" with meta.effects (each request's arguments, its kind's name, and its
// body as a blob index), or "done" with the answer's own metadata and blobs.
std::string encode_step(Step step);

// The results in a host's answer to a batch of `expected` effects. An answer of any other shape
// fails every one of them rather than guessing which is which.
std::vector<EffectResult> decode_results(std::string_view bytes, size_t expected);

}  // namespace ptmc::wire
