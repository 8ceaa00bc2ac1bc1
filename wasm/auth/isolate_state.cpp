#include "wasm/auth/isolate_state.hpp"

#include <algorithm>

namespace ptmc::auth {

std::optional<Principal> KeyCache::get(const std::string& fingerprint, int64_t now_ms, int64_t ttl_ms) {
  auto found = entries_.find(fingerprint);
  if (found == entries_.end()) return std::nullopt;
  if (now_ms - found->second->cached_at_ms >= ttl_ms) {
    order_.erase(found->second);
    entries_.erase(found);
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, found->second);
  return found->second->principal;
}

void KeyCache::put(const std::string& fingerprint, Principal principal, int64_t now_ms) {
  remove(fingerprint);
  if (capacity_ == 0) return;
  if (entries_.size() >= capacity_) {
    entries_.erase(order_.back().fingerprint);
    order_.pop_back();
  }
  order_.push_front({fingerprint, std::move(principal), now_ms});
  entries_[fingerprint] = order_.begin();
}

void KeyCache::remove(const std::string& fingerprint) {
  auto found = entries_.find(fingerprint);
  if (found == entries_.end()) return;
  order_.erase(found->second);
  entries_.erase(found);
}

int64_t FailureThrottle::retry_after_seconds(const std::string& ip, int64_t now_ms) const {
  auto found = records_.find(ip);
  if (found == records_.end() || found->second.blocked_until_ms <= now_ms) return 0;
  return (found->second.blocked_until_ms - now_ms + 999) / 1000;
}

std::optional<FailureReport> FailureThrottle::record(const std::string& ip, const std::string& reason, bool slows,
                                                     int64_t now_ms) {
  if (records_.size() >= kMaxTracked && !records_.count(ip)) {
    // Forget the IP that has been quiet longest.
    auto quietest = std::min_element(records_.begin(), records_.end(), [](const auto& a, const auto& b) {
      return std::max(a.second.window_start_ms, a.second.blocked_until_ms) < std::max(b.second.window_start_ms, b.second.blocked_until_ms);
    });
    records_.erase(quietest);
  }
  Record& record = records_[ip];
  if (slows) {
    if (now_ms - record.window_start_ms >= kWindowMs) {
      record.window_start_ms = now_ms;
      record.failures = 0;
    }
    ++record.failures;
    if (record.failures > kFreeFailures) {
      int64_t excess = std::min<int64_t>(record.failures - kFreeFailures, 12);
      record.blocked_until_ms = now_ms + std::min<int64_t>(int64_t(1) << excess, 3600) * 1000;
    }
  }
  ++record.unreported;
  ++record.reasons[reason];
  if (now_ms - record.last_report_ms < kReportEveryMs) return std::nullopt;
  FailureReport report{ip, record.unreported, std::move(record.reasons)};
  record.unreported = 0;
  record.reasons.clear();
  record.last_report_ms = now_ms;
  return report;
}

KeyCache& key_cache() {
  static KeyCache cache(kKeyCacheCapacity);
  return cache;
}

FailureThrottle& failure_throttle() {
  static FailureThrottle throttle;
  return throttle;
}

}  // namespace ptmc::auth
