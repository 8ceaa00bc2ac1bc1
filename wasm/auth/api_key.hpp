// API keys: ptmc_live_<43 base62 chars: 256 random bits><6 base62 chars: CRC-32 of what precedes>.
// The checksum lets a typo, a truncation or a scanner's guess be refused before any lookup.
// Only PBKDF2-HMAC-SHA256(key, API_KEY_PEPPER) is stored; the key is shown once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptmc::auth {

inline constexpr size_t kKeyRandomChars = 43;  // 43 x log2(62) = 256.1 bits
inline constexpr size_t kKeyChecksumChars = 6;
inline constexpr uint32_t kDefaultPbkdf2Iterations = 10000;

// A key's mode, in its text (ptmc_live_…): live keys see live data, test keys test data.
inline constexpr std::string_view kModes[] = {"live", "test"};

struct KeyParts {
  std::string_view mode;  // one of kModes
  std::string_view last4;
};

std::string generate_api_key(std::string_view mode);

// Shape and checksum only; nullopt for anything that cannot be a key of ours.
std::optional<KeyParts> parse_api_key(std::string_view key);

// The stored, indexed form: hex(PBKDF2-HMAC-SHA256(key, pepper, iterations, 32)).
std::string hash_api_key(std::string_view key, std::string_view pepper, uint32_t iterations);

}  // namespace ptmc::auth
