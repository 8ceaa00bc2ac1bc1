// A small separate module exposing wasm/crypto for scripts/bench (SHA-256 throughput and
// PBKDF2 time in Wasm). Built by the wasm presets next to the product module, which stays
// free of benchmark exports.
#include "wasm/compat/platform.hpp"
#include "wasm/crypto/crypto.hpp"

#include <cstdlib>
#include <cstring>

PTMC_EXPORT(bench_alloc) uint8_t* bench_alloc(uint32_t length) { return static_cast<uint8_t*>(std::malloc(length ? length : 1)); }

PTMC_EXPORT(bench_sha256) void bench_sha256(const uint8_t* data, uint32_t length, uint8_t* out) {
  auto digest = ptmc::crypto::sha256({reinterpret_cast<const char*>(data), length});
  std::memcpy(out, digest.data(), digest.size());
}

PTMC_EXPORT(bench_pbkdf2)
void bench_pbkdf2(const uint8_t* password, uint32_t password_length, const uint8_t* salt, uint32_t salt_length,
                  uint32_t iterations, uint8_t* out) {
  auto key = ptmc::crypto::pbkdf2_hmac_sha256({reinterpret_cast<const char*>(password), password_length},
                                              {reinterpret_cast<const char*>(salt), salt_length}, iterations, 32);
  std::memcpy(out, key.data(), key.size());
}
