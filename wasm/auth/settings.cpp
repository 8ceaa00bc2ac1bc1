#include "wasm/auth/settings.hpp"

#include "wasm/auth/api_key.hpp"

namespace ptmc::auth {

std::optional<Settings> read_settings(const Config& config, std::string& problem) {
  Settings settings;
  settings.pepper = config.get("API_KEY_PEPPER");
  if (settings.pepper.size() < 16) {
    problem = "API_KEY_PEPPER (at least 16 characters)";
    return std::nullopt;
  }
  auto iterations = config.number({"API_KEY_PBKDF2_ITERATIONS", kDefaultPbkdf2Iterations, 1000, 1'000'000});
  if (!iterations) {
    problem = "API_KEY_PBKDF2_ITERATIONS";
    return std::nullopt;
  }
  auto ttl = config.number({"API_KEY_CACHE_TTL_SECONDS", 60, 0, 3600});
  if (!ttl) {
    problem = "API_KEY_CACHE_TTL_SECONDS";
    return std::nullopt;
  }
  settings.iterations = static_cast<uint32_t>(*iterations);
  settings.cache_ttl_ms = *ttl * 1000;
  return settings;
}

}  // namespace ptmc::auth
