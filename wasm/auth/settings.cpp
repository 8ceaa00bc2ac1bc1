#include "wasm/auth/settings.hpp"

#include "wasm/auth/api_key.hpp"

#include <charconv>

namespace ptmc::auth {
namespace {

std::optional<int64_t> bounded(std::string_view text, int64_t fallback, int64_t low, int64_t high) {
  if (text.empty()) return fallback;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Settings> read_settings(const Config& config, std::string& problem) {
  Settings settings;
  settings.pepper = config.get("API_KEY_PEPPER");
  if (settings.pepper.size() < 16) {
    problem = "API_KEY_PEPPER (at least 16 characters)";
    return std::nullopt;
  }
  auto iterations = bounded(config.get("API_KEY_PBKDF2_ITERATIONS"), kDefaultPbkdf2Iterations, 1000, 1'000'000);
  if (!iterations) {
    problem = "API_KEY_PBKDF2_ITERATIONS";
    return std::nullopt;
  }
  auto ttl = bounded(config.get("API_KEY_CACHE_TTL_SECONDS"), 60, 0, 3600);
  if (!ttl) {
    problem = "API_KEY_CACHE_TTL_SECONDS";
    return std::nullopt;
  }
  settings.iterations = static_cast<uint32_t>(*iterations);
  settings.cache_ttl_ms = *ttl * 1000;
  return settings;
}

}  // namespace ptmc::auth
