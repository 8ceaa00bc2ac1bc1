// Webhook signatures in Stripe's scheme: `Patomic-Signature: t=<unix seconds>,v1=<hex>[,v1=…]`,
// each v1 being HMAC-SHA256(secret, "<t>.<body>") for one live secret (two during a roll), so a
// receiver verifies with whichever secret it has and rejects a t outside its tolerance.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::webhooks {

inline constexpr std::string_view kSignatureHeader = "patomic-signature";

std::string signature_header(int64_t unix_seconds, std::string_view body, const std::vector<std::string>& secrets);

// "whsec_" and 48 hex digits (192 random bits).
std::string new_secret();

// The delay before retry `attempt` (1-based, after a failed one): base × 2^(attempt-1), at
// most 12 hours (the longest a queue retry waits), with ±20 % jitter from `jitter` in [0, 1).
// With the default 60 s base and 18 retries the attempts spread over 3.5 to 4.7 days.
int64_t retry_delay_seconds(int64_t attempt, int64_t base_seconds, double jitter);

}  // namespace ptmc::webhooks
