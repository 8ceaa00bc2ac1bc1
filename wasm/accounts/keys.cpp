#include "wasm/accounts/keys.hpp"

#include "wasm/auth/api_key.hpp"
#include "wasm/events/events.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::accounts {
std::string new_id(std::string_view prefix) { return std::string(prefix) + "_" + services::random_hex(12); }

MintedKey mint_key(const NewKey& key, std::string_view pepper, uint32_t iterations, int64_t now_ms,
                   const std::string& actor_key_id, const std::string& request_id, Minting how) {
  MintedKey minted{new_id("key"), auth::generate_api_key(key.mode), {}, {}, {}};
  Json scopes = key.scopes;
  Json params = {minted.id, key.org_id, key.user_id, auth::hash_api_key(minted.secret, pepper, iterations), key.mode,
                 minted.secret.substr(0, 10), minted.secret.substr(minted.secret.size() - 4), dump_json(scopes),
                 key.rate_limit_per_minute, now_ms, key.name, auth::role_name(key.role)};
  for (const auto& extra : how.guard_params) params.push_back(extra);
  minted.insert = {"INSERT INTO api_keys (id, org_id, user_id, key_hash, mode, prefix, last4, scopes, rate_limit_per_minute, "
                   "created_at, name, role) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE " + how.guard,
                   std::move(params)};
  Json detail = {{"key", minted.id}, {"role", auth::role_name(key.role)}, {"scopes", scopes}, {"mode", key.mode}};
  detail.update(how.detail);
  minted.audit = {"INSERT INTO audit_log (at, org_id, key_id, actor_ip, event, detail, request_id) SELECT ?1, ?2, ?3, ?8, ?4, ?5, ?6 "
                  "WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = ?7)",
                  {now_ms, key.org_id, actor_key_id.empty() ? Json() : Json(actor_key_id), how.event, dump_json(detail),
                   request_id.empty() ? Json() : Json(request_id), minted.id, how.actor_ip.empty() ? Json() : Json(how.actor_ip)}};
  Json event = {{"object", "api_key"}, {"id", minted.id}, {"name", key.name}, {"role", auth::role_name(key.role)},
                {"scopes", scopes}, {"mode", key.mode}};
  minted.event = events::record("key.created", key.org_id, now_ms, std::move(event), "EXISTS (SELECT 1 FROM api_keys WHERE id = ?5)",
                                {minted.id});
  return minted;
}

NewKey grants_of(const Json& row, const std::string& org_id) {
  NewKey key{org_id, row.value("user_id", ""), row.value("name", ""), row.value("mode", "live"),
             auth::role_from(row.value("role", "")).value_or(auth::Role::owner), {}, row.value("rate_limit_per_minute", int64_t(0))};
  auto scopes = parse_json(row.value("scopes", "[]"));
  for (const auto& scope : scopes && scopes->is_array() ? *scopes : Json::array())
    if (scope.is_string()) key.scopes.push_back(scope.get<std::string>());
  return key;
}

std::string grants_beyond(const auth::Principal& caller, const NewKey& key) {
  std::string beyond;
  auto add = [&](const std::string& part) { beyond += (beyond.empty() ? "" : "; ") + part; };
  if (key.role > caller.role) add("role " + std::string(auth::role_name(key.role)));
  std::string scopes;
  for (const auto& scope : key.scopes)
    if (!caller.has_scope(scope)) scopes += (scopes.empty() ? "" : ", ") + scope;
  if (!scopes.empty()) add("scopes " + scopes);
  if (key.rate_limit_per_minute > caller.rate_limit_per_minute) add("rate limit " + std::to_string(key.rate_limit_per_minute));
  if (key.mode == "live" && caller.mode != "live") add("live mode");
  return beyond;
}

Json key_json(const Json& row, const std::string& secret) {
  auto scopes = parse_json(row.value("scopes", "[]"));
  Json out = {{"id", row.value("id", "")},
              {"object", "api_key"},
              {"name", row.value("name", "")},
              {"mode", row.value("mode", "")},
              {"prefix", row.value("prefix", "")},
              {"last4", row.value("last4", "")},
              {"role", row.value("role", "")},
              {"scopes", scopes && scopes->is_array() ? *scopes : Json::array()},
              {"rate_limit_per_minute", row.value("rate_limit_per_minute", 0)},
              {"created_at", seconds_or_null(row.value("created_at", Json()))},
              {"expires_at", seconds_or_null(row.value("expires_at", Json()))},
              {"revoked_at", seconds_or_null(row.value("revoked_at", Json()))},
              {"replaced_by", row.value("replaced_by", Json())}};
  if (!secret.empty()) out["secret"] = secret;
  return out;
}

}  // namespace ptmc::accounts
