#include "wasm/auth/principal.hpp"

#include <algorithm>
#include <optional>

namespace ptmc::auth {

std::optional<Role> role_from(std::string_view name) {
  if (name == "owner") return Role::owner;
  if (name == "admin") return Role::admin;
  if (name == "member") return Role::member;
  if (name == "read_only") return Role::read_only;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::admin: return "admin";
    case Role::member: return "member";
    case Role::read_only: return "read_only";
  }
  return "read_only";
}

int64_t default_rate_limit(Role role) {
  switch (role) {
    case Role::owner:
    case Role::admin: return 1000;
    case Role::member: return 600;
    case Role::read_only: return 300;
  }
  return 300;
}

bool is_scope(std::string_view scope) { return std::find(std::begin(kScopes), std::end(kScopes), scope) != std::end(kScopes); }

Role minimum_role_for(std::string_view scope) {
  if (scope == "keys:write" || scope == "keys:read" || scope == "audit:read" || scope == "ingestion:read" ||
      scope == "ingestion:write" || scope == "webhooks:read" || scope == "webhooks:write")
    return Role::admin;
  return scope.size() > 6 && scope.substr(scope.size() - 6) == ":write" ? Role::member : Role::read_only;
}

bool Principal::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace ptmc::auth
