// Who a request acts as: the key, its organisation and user, its role and scopes, and whether
// that organisation is the platform's own (its keys are platform operators').
//
// Two kinds of caller, never confused: organisation principals act only on their
// organisation's rows; platform operators (keys of the platform organisation, minted by the
// create_operator_key command, never by a tenant) act on shared platform state, such as
// ingestion. Patent data is public reference data, readable by every key.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::auth {

// The platform's own organisation: its users are the platform operators.
inline constexpr std::string_view kPlatformOrgId = "org_platform";

enum class Role { read_only, member, admin, owner };  // ordered: later may do more
inline constexpr std::array<std::string_view, 4> kRoleNames = {"read_only", "member", "admin", "owner"};  // by Role

std::optional<Role> role_from(std::string_view name);
std::string_view role_name(Role role);
int64_t default_rate_limit(Role role);  // requests per minute
// A key's requests are counted per fixed window of this length.
inline constexpr int64_t kRateLimitWindowMs = 60'000;

// Every scope a key can hold, with the least role that may hold it, and whether only platform
// operators may. A key's scopes are a subset of its creator's.
struct ScopeRule {
  std::string_view name;
  Role minimum_role;
  bool platform_only = false;
};
inline constexpr ScopeRule kScopes[] = {
    {"keys:read", Role::admin},
    {"keys:write", Role::admin},
    {"audit:read", Role::admin},
    {"events:read", Role::read_only},
    {"portfolios:read", Role::read_only},
    {"portfolios:write", Role::member},
    {"webhooks:read", Role::admin},
    {"webhooks:write", Role::admin},
    {"ingestion:read", Role::admin, true},
    {"ingestion:write", Role::admin, true},
};
const ScopeRule* find_scope(std::string_view scope);
Role minimum_role_for(std::string_view scope);
// The scope names, in table order; with `platform`, the operators' too.
std::vector<std::string> scope_names(bool platform);

struct Principal {
  std::string key_id;
  std::string org_id;
  std::string user_id;
  std::string mode;  // "live" or "test"
  Role role = Role::read_only;
  std::vector<std::string> scopes;
  int64_t rate_limit_per_minute = 0;
  bool platform = false;  // a platform operator's key

  bool has_scope(std::string_view scope) const;
};

}  // namespace ptmc::auth
