// The wire format between the module and its host (the JS shim, or the native host in tests).
//
// One frame, both directions, little-endian:
//   u32 meta_len | meta (UTF-8 JSON object) | u32 blob_count | blob_count x (u32 len | bytes)
// Metadata travels as JSON; bodies (HTTP bodies, KV values, R2 objects) travel as raw blobs,
// referenced from the metadata by index ("body": 0). See docs/wire-format.md.
#pragma once

#include "wasm/runtime/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::wire {

// Upper bound on what a frame may claim, so a corrupt length never drives an allocation.
inline constexpr uint32_t kMaxFrameBytes = 256u * 1024u * 1024u;

struct Frame {
  Json meta = Json::object();
  std::vector<std::string> blobs;

  uint32_t add_blob(std::string bytes) {
    blobs.push_back(std::move(bytes));
    return static_cast<uint32_t>(blobs.size() - 1);
  }
  // The blob named by meta field `field` of `object`, if it names one that exists.
  std::optional<std::string> take_blob(const Json& object, const char* field);
};

std::string encode(const Frame& frame);

// Validates every length and that the metadata is a JSON object; nullopt otherwise.
std::optional<Frame> decode(std::string_view bytes);

}  // namespace ptmc::wire
