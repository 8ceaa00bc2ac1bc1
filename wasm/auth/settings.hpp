// Authentication settings from configuration, validated where they are read:
//   API_KEY_PEPPER               secret; required (every /v1 request fails closed without it)
//   API_KEY_PBKDF2_ITERATIONS    1,000..1,000,000; default 10,000
//   API_KEY_CACHE_TTL_SECONDS    0..3,600; default 60
#pragma once

#include "wasm/config/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptmc::auth {

struct Settings {
  std::string_view pepper;
  uint32_t iterations = 0;
  int64_t cache_ttl_ms = 0;
};

// nullopt when a setting is missing or invalid; `problem` then names it.
std::optional<Settings> read_settings(const Config& config, std::string& problem);

}  // namespace ptmc::auth
