#include "wasm/auth/api_key.hpp"

#include "wasm/crypto/crypto.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>

namespace ptmc::auth {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string checksum(std::string_view body) { return crypto::base62(crypto::crc32(body), kKeyChecksumChars); }

}  // namespace

std::string generate_api_key(std::string_view mode) {
  std::string key = "ptmc_" + std::string(mode) + "_";
  // Rejection sampling keeps every character uniform: bytes >= 248 (= 4 x 62) are redrawn.
  while (key.size() < 10 + kKeyRandomChars) {
    uint8_t bytes[64];
    services::random_bytes(bytes, sizeof bytes);
    for (uint8_t byte : bytes)
      if (byte < 248 && key.size() < 10 + kKeyRandomChars) key += kAlphabet[byte % 62];
  }
  return key + checksum(key);
}

std::optional<KeyParts> parse_api_key(std::string_view key) {
  constexpr size_t kLength = 10 + kKeyRandomChars + kKeyChecksumChars;
  if (key.size() != kLength || key.substr(0, 5) != "ptmc_" || key[9] != '_') return std::nullopt;
  std::string_view mode = key.substr(5, 4);
  if (std::find(std::begin(kModes), std::end(kModes), mode) == std::end(kModes)) return std::nullopt;
  std::string_view body = key.substr(0, kLength - kKeyChecksumChars);
  if (!crypto::is_base62(key.substr(10))) return std::nullopt;
  if (!crypto::constant_time_equal(checksum(body), key.substr(body.size()))) return std::nullopt;
  return KeyParts{mode, key.substr(kLength - 4)};
}

std::string hash_api_key(std::string_view key, std::string_view pepper, uint32_t iterations) {
  return crypto::hex(crypto::pbkdf2_hmac_sha256(key, pepper, iterations, 32));
}

}  // namespace ptmc::auth
