#include "wasm/crypto/sealed.hpp"

#include "wasm/crypto/crypto.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::crypto {
namespace {

constexpr size_t kNonceBytes = 16;
constexpr size_t kTagBytes = 32;

std::string keystream_xor(const HmacSha256& encryption, std::string_view nonce, std::string_view input) {
  std::string out(input);
  std::string block_input(nonce);
  block_input.append(4, '\0');
  for (size_t offset = 0, counter = 0; offset < out.size(); offset += 32, ++counter) {
    for (int i = 0; i < 4; ++i) block_input[kNonceBytes + i] = char((counter >> (24 - 8 * i)) & 0xff);
    Digest stream = encryption.mac(block_input);
    for (size_t j = 0; j < 32 && offset + j < out.size(); ++j) out[offset + j] = char(out[offset + j] ^ stream[j]);
  }
  return out;
}

}  // namespace

std::string seal(std::string_view key, std::string_view plaintext) {
  HmacSha256 encryption(bytes_of(hmac_sha256(key, "enc")));
  HmacSha256 authentication(bytes_of(hmac_sha256(key, "mac")));
  std::string nonce(kNonceBytes, '\0');
  services::random_bytes(reinterpret_cast<uint8_t*>(nonce.data()), nonce.size());
  std::string sealed = nonce + keystream_xor(encryption, nonce, plaintext);
  sealed += bytes_of(authentication.mac(sealed));
  return sealed;
}

std::optional<std::string> open(std::string_view key, std::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  HmacSha256 authentication(bytes_of(hmac_sha256(key, "mac")));
  std::string_view body = sealed.substr(0, sealed.size() - kTagBytes);
  if (!constant_time_equal(bytes_of(authentication.mac(body)), sealed.substr(body.size()))) return std::nullopt;
  HmacSha256 encryption(bytes_of(hmac_sha256(key, "enc")));
  return keystream_xor(encryption, body.substr(0, kNonceBytes), body.substr(kNonceBytes));
}

}  // namespace ptmc::crypto
