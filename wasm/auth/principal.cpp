#include "wasm/auth/principal.hpp"

#include <algorithm>
#include <optional>

namespace ptmc::auth {

std::optional<Role> role_from(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

std::string_view role_name(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

int64_t default_rate_limit(Role role) {
  switch (role) {
    case Role::owner:
    case Role::admin:
      return 1000;
    case Role::member:
      return 600;
    case Role::read_only:
      return 300;
  }
  return 300;
}

const ScopeRule* find_scope(std::string_view scope) {
  for (const auto& rule : kScopes)
    if (rule.name == scope) return &rule;
  return nullptr;
}

Role minimum_role_for(std::string_view scope) {
  const auto* rule = find_scope(scope);
  return rule ? rule->minimum_role : Role::owner;
}

std::vector<std::string> scope_names(bool platform) {
  std::vector<std::string> names;
  for (const auto& rule : kScopes)
    if (platform || !rule.platform_only) names.emplace_back(rule.name);
  return names;
}

bool Principal::has_scope(std::string_view scope) const { return std::find(scopes.begin(), scopes.end(), scope) != scopes.end(); }

}  // namespace ptmc::auth
