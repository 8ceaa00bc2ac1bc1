#include "wasm/auth/isolate_state.hpp"

#include "wasm/net/address.hpp"

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

void KeyCache::mark_over_limit(const std::string& fingerprint, int64_t until_ms) {
  auto found = entries_.find(fingerprint);
  if (found != entries_.end()) found->second->over_limit_until_ms = until_ms;
}

bool KeyCache::over_limit(const std::string& fingerprint, int64_t now_ms) const {
  auto found = entries_.find(fingerprint);
  return found != entries_.end() && found->second->over_limit_until_ms > now_ms;
}

void KeyCache::remove(const std::string& fingerprint) {
  auto found = entries_.find(fingerprint);
  if (found == entries_.end()) return;
  order_.erase(found->second);
  entries_.erase(found);
}

namespace {

std::string throttle_network(const std::string& ip) { return net::network_of(ip, 32, 64); }
std::string report_network(const std::string& ip) { return net::network_of(ip, 24, 48); }

// Makes room in a full map by forgetting the entry that `quiet` says has been quiet longest.
template <class Map, class Quiet>
void make_room(Map& map, const std::string& key, Quiet quiet) {
  if (map.size() < FailureThrottle::kMaxTracked || map.count(key)) return;
  map.erase(
      std::min_element(map.begin(), map.end(), [&](const auto& a, const auto& b) { return quiet(a.second) < quiet(b.second); }));
}

}  // namespace

int64_t FailureThrottle::retry_after_seconds(const std::string& ip, int64_t now_ms) const {
  auto found = throttles_.find(throttle_network(ip));
  if (found == throttles_.end() || found->second.blocked_until_ms <= now_ms) return 0;
  return (found->second.blocked_until_ms - now_ms + 999) / 1000;
}

FailureReport FailureThrottle::take(const std::string& network, Unreported& unreported, int64_t now_ms) {
  FailureReport report{network, unreported.count, std::move(unreported.reasons), std::max<int64_t>(1, unreported.networks)};
  unreported.count = unreported.networks = 0;
  unreported.reasons.clear();
  unreported.last_report_ms = now_ms;
  ++reports_this_minute_;
  return report;
}

std::optional<FailureReport> FailureThrottle::record(const std::string& ip, const std::string& reason, bool slows,
                                                     int64_t now_ms) {
  if (slows) {
    std::string network = throttle_network(ip);
    make_room(throttles_, network, [](const Throttle& t) { return std::max(t.window_start_ms, t.blocked_until_ms); });
    Throttle& throttle = throttles_[network];
    if (now_ms - throttle.window_start_ms >= kWindowMs) {
      throttle.window_start_ms = now_ms;
      throttle.failures = 0;
    }
    ++throttle.failures;
    if (throttle.failures > kFreeFailures) {
      int64_t excess = std::min<int64_t>(throttle.failures - kFreeFailures, 12);
      throttle.blocked_until_ms = now_ms + std::min<int64_t>(int64_t(1) << excess, 3600) * 1000;
    }
  }
  std::string network = report_network(ip);
  make_room(unreported_, network, [](const Unreported& u) { return u.last_report_ms; });
  Unreported& pending = unreported_[network];
  ++pending.count;
  ++pending.reasons[reason];
  if (now_ms - minute_start_ms_ >= kReportEveryMs) {
    minute_start_ms_ = now_ms;
    reports_this_minute_ = 0;
    if (others_.count > 0) return take("*", others_, now_ms);  // last minute's overflow first
  }
  if (now_ms - pending.last_report_ms < kReportEveryMs) return std::nullopt;
  if (reports_this_minute_ < kMaxReportsPerMinute) return take(network, pending, now_ms);
  // This minute's rows are spent: the network's failures go into the row for all the others.
  others_.count += pending.count;
  ++others_.networks;
  for (const auto& [why, count] : pending.reasons) others_.reasons[why] += count;
  pending.count = 0;
  pending.reasons.clear();
  pending.last_report_ms = now_ms;
  return std::nullopt;
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
