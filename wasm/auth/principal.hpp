// Who a request acts as: the key, its organisation and user, its role and scopes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::auth {

enum class Role { read_only, member, admin, owner };  // ordered: later may do more

std::optional<Role> role_from(std::string_view name);
std::string_view role_name(Role role);
int64_t default_rate_limit(Role role);  // requests per minute
// A key's requests are counted per fixed window of this length.
inline constexpr int64_t kRateLimitWindowMs = 60'000;

// Every scope a key can hold; a key's scopes are a subset of its creator's.
inline constexpr std::string_view kScopes[] = {"keys:read",       "keys:write",       "audit:read",
                                               "portfolios:read", "portfolios:write", "ingestion:read",
                                               "ingestion:write", "webhooks:read",   "webhooks:write"};
bool is_scope(std::string_view scope);
// Write scopes need at least the member role; managing keys, the audit log and ingestion, admin.
Role minimum_role_for(std::string_view scope);

struct Principal {
  std::string key_id;
  std::string org_id;
  std::string user_id;
  std::string mode;  // "live" or "test"
  Role role = Role::read_only;
  std::vector<std::string> scopes;
  int64_t rate_limit_per_minute = 0;

  bool has_scope(std::string_view scope) const;
};

}  // namespace ptmc::auth
