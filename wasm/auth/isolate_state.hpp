// State an isolate keeps between requests, in module memory. Both are bounded, and losing
// either (a new isolate, a trap) costs only speed, never correctness.
//
// KeyCache: SHA-256(key) -> the key's principal, so PBKDF2 and the key lookup run once per key
// per isolate per TTL. A key's grants (role, scopes, limit) never change after creation; its
// revocation and expiry are checked by the rate-limit statement on every request, so they
// apply at once, not after the TTL.
//
// FailureThrottle: failed authentications per client network. Past kFreeFailures in a window,
// each further failure doubles the wait before that network is heard again (up to an hour):
// key guessing gets slower, never cheaper. The network is the address for IPv4 and its /64 for
// IPv6, which one subscriber holds whole, so rotating addresses inside it does not help.
// Failures reach the audit log aggregated by a wider network (IPv4 /24, IPv6 /48): at most one
// row per network per minute, and at most kMaxReportsPerMinute rows a minute per isolate in
// all, the rest counted in one row for every other network ("*").
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
  // A key found past its limit stays known as such until its window ends, so its reads stop
  // sending their first query with the key check (decisions.md 33).
  void mark_over_limit(const std::string& fingerprint, int64_t until_ms);
  bool over_limit(const std::string& fingerprint, int64_t now_ms) const;

 private:
  struct Entry {
    std::string fingerprint;
    Principal principal;
    int64_t cached_at_ms;
    int64_t over_limit_until_ms = 0;
  };
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> entries_;
};

struct FailureReport {
  std::string network;  // "203.0.113.0/24", "2001:db8:1::/48", or "*" for the rest of a busy minute
  int64_t count = 0;
  std::map<std::string, int64_t> reasons;
  int64_t networks = 1;  // more for "*"
};

class FailureThrottle {
 public:
  static constexpr int64_t kWindowMs = 10 * 60'000;
  static constexpr int64_t kFreeFailures = 10;
  static constexpr int64_t kReportEveryMs = 60'000;
  static constexpr size_t kMaxTracked = 10'000;
  static constexpr size_t kMaxReportsPerMinute = 20;

  // Seconds `ip` must wait before it is heard again; 0 when it may go on.
  int64_t retry_after_seconds(const std::string& ip, int64_t now_ms) const;
  // Records one failure. `slows` says whether it counts toward throttling (a wrong key does;
  // no key at all does not). Returns the aggregate due for the audit log, if one is.
  std::optional<FailureReport> record(const std::string& ip, const std::string& reason, bool slows, int64_t now_ms);

 private:
  struct Throttle {
    int64_t window_start_ms = 0;
    int64_t failures = 0;
    int64_t blocked_until_ms = 0;
  };
  struct Unreported {
    int64_t last_report_ms = -kReportEveryMs;
    int64_t count = 0;
    int64_t networks = 0;  // for the "*" row: how many networks it stands for
    std::map<std::string, int64_t> reasons;
  };
  FailureReport take(const std::string& network, Unreported& unreported, int64_t now_ms);

  std::unordered_map<std::string, Throttle> throttles_;     // by the network of throttle_network()
  std::unordered_map<std::string, Unreported> unreported_;  // by the network of report_network()
  Unreported others_;                                       // past a minute's row budget
  int64_t minute_start_ms_ = 0;
  size_t reports_this_minute_ = 0;
};

KeyCache& key_cache();
FailureThrottle& failure_throttle();

}  // namespace ptmc::auth
