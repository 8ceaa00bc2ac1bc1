#include "wasm/webhooks/signature.hpp"

#include "wasm/crypto/crypto.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>

namespace ptmc::webhooks {

std::string signature_header(int64_t unix_seconds, std::string_view body, const std::vector<std::string>& secrets) {
  std::string t = std::to_string(unix_seconds);
  std::string header = "t=" + t;
  std::string signed_payload = t + "." + std::string(body);
  for (const auto& secret : secrets)
    header += ",v1=" + crypto::hex(crypto::bytes_of(crypto::hmac_sha256(secret, signed_payload)));
  return header;
}

std::string new_secret() { return "whsec_" + services::random_hex(24); }

int64_t retry_delay_seconds(int64_t attempt, int64_t base_seconds, double jitter) {
  constexpr int64_t kMaxDelay = 12 * 3600;
  int64_t delay = std::max<int64_t>(base_seconds, 0);
  for (int64_t i = 1; i < attempt && delay < kMaxDelay; ++i) delay *= 2;
  delay = std::min(delay, kMaxDelay);
  auto jittered = static_cast<int64_t>(static_cast<double>(delay) * (0.8 + 0.4 * std::clamp(jitter, 0.0, 1.0)));
  return std::min(jittered, kMaxDelay);
}

}  // namespace ptmc::webhooks
