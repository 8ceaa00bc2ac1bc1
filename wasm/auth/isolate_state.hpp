// State an isolate keeps between requests, in module memory. Both are bounded, and losing
// either (a new isolate, a trap) costs only speed, never correctness.
//
// KeyCache: SHA-256(key) -> the key's principal, so PBKDF2 and the key lookup run once per key
// per isolate per TTL. A key's grants (role, scopes, limit) never change after creation; its
// revocation and expiry are checked by the rate-limit statement on every request, so they
// apply at once, not after the TTL.
//
// FailureThrottle: failed authentications per client IP. Past kFreeFailures in a window,
// each further failure doubles the wait before that IP is heard again (up to an hour): key
// guessing gets slower, never cheaper. Failures reach the audit log aggregated: at most one
// row per IP per minute per isolate, however many attempts.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "wasm/auth/principal.hpp"

namespace ptmc::auth {

inline constexpr size_t kKeyCacheCapacity = 10'000;

class KeyCache {
 public:
  explicit KeyCache(size_t capacity) : capacity_(capacity) {}
  std::optional<Principal> get(const std::string& fingerprint, int64_t now_ms, int64_t ttl_ms);
  void put(const std::string& fingerprint, Principal principal, int64_t now_ms);
  void remove(const std::string& fingerprint);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string fingerprint;
    Principal principal;
    int64_t cached_at_ms;
  };
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> entries_;
};

struct FailureReport {
  std::string ip;
  int64_t count = 0;
  std::map<std::string, int64_t> reasons;
};

class FailureThrottle {
 public:
  static constexpr int64_t kWindowMs = 10 * 60'000;
  static constexpr int64_t kFreeFailures = 10;
  static constexpr int64_t kReportEveryMs = 60'000;
  static constexpr size_t kMaxTracked = 10'000;

  // Seconds `ip` must wait before it is heard again; 0 when it may go on.
  int64_t retry_after_seconds(const std::string& ip, int64_t now_ms) const;
  // Records one failure. `slows` says whether it counts toward throttling (a wrong key does;
  // no key at all does not). Returns the aggregate due for the audit log, if one is.
  std::optional<FailureReport> record(const std::string& ip, const std::string& reason, bool slows, int64_t now_ms);

 private:
  struct Record {
    int64_t window_start_ms = 0;
    int64_t failures = 0;
    int64_t blocked_until_ms = 0;
    int64_t last_report_ms = -kReportEveryMs;
    int64_t unreported = 0;
    std::map<std::string, int64_t> reasons;
  };
  std::unordered_map<std::string, Record> records_;
};

KeyCache& key_cache();
FailureThrottle& failure_throttle();

}  // namespace ptmc::auth
