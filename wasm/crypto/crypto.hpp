// SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104), PBKDF2-HMAC-SHA256 (RFC 8018), CRC-32
// (IEEE 802.3), MurmurHash3, base64url (RFC 4648 §5, unpadded), hex, base62 and constant-time comparison.
// Plain C++ so the module needs no host crypto; tested on the published vectors and against
// OpenSSL (tests/unit/crypto/crypto_test.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptmc::crypto {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  Sha256& update(std::string_view bytes);
  Digest finish();

 private:
  friend class HmacSha256;
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;
};

Digest sha256(std::string_view bytes);
// Lower-case hex of sha256(bytes): fingerprints, key ids and filter hashes.
std::string sha256_hex(std::string_view bytes);

// Keyed once; the inner and outer states are kept so each message costs only its own blocks.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  Digest mac(std::string_view message) const;
  // The same for a 32-byte message (a previous MAC), without buffering: PBKDF2's inner loop.
  Digest mac_digest(const Digest& message) const;

 private:
  Sha256 inner_;
  Sha256 outer_;
};

Digest hmac_sha256(std::string_view key, std::string_view message);

std::string pbkdf2_hmac_sha256(std::string_view password, std::string_view salt, uint32_t iterations, size_t length);

uint32_t crc32(std::string_view bytes);

// MurmurHash3 x64-128 (Austin Appleby's, seed 0): some twenty times cheaper than SHA-256 and
// neither a MAC nor collision-resistant against an adversary; for validators of what a client
// reads back (ETags of response bodies), never for secrets.
std::array<uint8_t, 16> murmur3_128(std::string_view bytes);

std::string hex(std::string_view bytes);
std::string base64url(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);  // rejects padding and junk

// base62 with the alphabet 0-9A-Za-z: a number as at least `width` digits, zero-padded.
std::string base62(uint64_t value, size_t width);
bool is_base62(std::string_view text);

// Equal contents, in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

template <size_t N>
std::string_view bytes_of(const std::array<uint8_t, N>& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace ptmc::crypto
