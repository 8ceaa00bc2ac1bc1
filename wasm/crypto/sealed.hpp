// Authenticated encryption from HMAC-SHA256 alone, for data the service stores about its
// clients (idempotent replays can hold a new key's secret): encrypt-then-MAC, with HMAC as
// the PRF of a counter-mode keystream.
//   sealed = nonce (16 random bytes) || ciphertext || tag (32)
//   keystream block i = HMAC(K_enc, nonce || be32(i)),  tag = HMAC(K_mac, nonce || ciphertext)
//   K_enc = HMAC(key, "enc"), K_mac = HMAC(key, "mac")
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::crypto {

std::string seal(std::string_view key, std::string_view plaintext);
// nullopt when the tag does not verify (tampered, truncated or another key).
std::optional<std::string> open(std::string_view key, std::string_view sealed);

}  // namespace ptmc::crypto
