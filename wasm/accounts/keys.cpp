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
  Json params = {minted.id,
                 key.org_id,
                 key.user_id,
                 auth::hash_api_key(minted.secret, pepper, iterations),
                 key.mode,
                 minted.secret.substr(0, 10),
                 minted.secret.substr(minted.secret.size() - 4),
                 dump_json(scopes),
                 key.rate_limit_per_minute,
                 now_ms,
                 key.name,
                 auth::role_name(key.role)};
  for (const auto& extra : how.guard_params) params.push_back(extra);
  minted.insert = {
      "INSERT INTO api_keys (id, org_id, user_id, key_hash, mode, prefix, last4, scopes, rate_limit_per_minute, "
      "created_at, name, role) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE " +
          how.guard,
      std::move(params)};
  Json detail = {{"key", minted.id}, {"role", auth::role_name(key.role)}, {"scopes", scopes}, {"mode", key.mode}};
  detail.update(how.detail);
  minted.audit = {
      "INSERT INTO audit_log (at, org_id, key_id, actor_ip, event, detail, request_id) SELECT ?1, ?2, ?3, ?8, ?4, ?5, ?6 "
      "WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = ?7)",
      {now_ms, key.org_id, actor_key_id.empty() ? Json() : Json(actor_key_id), how.event, dump_json(detail),
       request_id.empty() ? Json() : Json(request_id), minted.id, how.actor_ip.empty() ? Json() : Json(how.actor_ip)}};
  Json event = {{"object", "api_key"}, {"id", minted.id}, {"name", key.name}, {"role", auth::role_name(key.role)},
                {"scopes", scopes},    {"mode", key.mode}};
  minted.event = events::record("key.created", key.org_id, now_ms, std::move(event),
                                "EXISTS (SELECT 1 FROM api_keys WHERE id = ?5)", {minted.id});
  return minted;
}

NewKey grants_of(const Json& row, const std::string& org_id) {
  NewKey key{org_id,
             row.value("user_id", ""),
             row.value("name", ""),
             row.value("mode", "live"),
             auth::role_from(row.value("role", "")).value_or(auth::Role::owner),
             {},
             row.value("rate_limit_per_minute", int64_t(0))};
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

schema::Schema mode_schema(std::string description) {
  return schema::Schema::string(std::move(description)).one_of({std::begin(auth::kModes), std::end(auth::kModes)});
}

schema::Schema role_schema(std::string description) {
  return schema::Schema::string(std::move(description))
      .one_of(std::vector<std::string>(auth::kRoleNames.rbegin(), auth::kRoleNames.rend()));
}

const schema::ObjectType& api_key_object() {
  using schema::Schema;
  auto timestamp = [](std::string text) { return Schema::integer(std::move(text) + " Unix seconds.").nullable(); };
  static const schema::ObjectType key(
      "api_key", "An API key. Its secret is never shown again after creation.",
      {{"id", Schema::string(), "id", "key_3f9c2a7d41b86e05"},
       {"name", Schema::string(), "name", "ingestion worker"},
       {"mode", mode_schema(), "mode", "live"},
       {"prefix", Schema::string("The first characters of the secret, to recognise it."), "prefix", "ptmc_live_4Gx"},
       {"last4", Schema::string("The last four characters of the secret."), "last4", "Qm2Z"},
       {"role", role_schema(), "role", "member"},
       {"scopes", Schema::array(Schema::string()), "scopes", {"keys:read"}, &schema::kJsonArray},
       {"rate_limit_per_minute", Schema::integer(), "rate_limit_per_minute", 600},
       {"created_at", timestamp("Creation,"), "created_at", 1795392000, &schema::kSeconds},
       {"expires_at", timestamp("When the key stops working (set by a roll),"), "expires_at", nullptr, &schema::kSeconds},
       {"revoked_at", timestamp("Revocation,"), "revoked_at", nullptr, &schema::kSeconds},
       {"replaced_by", Schema::string("The key that a roll replaced this one with.").nullable(), "replaced_by", nullptr}});
  return key;
}

Json key_json(const Json& row, const std::string& secret) {
  Json out = api_key_object().render(row);
  if (!secret.empty()) out["secret"] = secret;
  return out;
}

}  // namespace ptmc::accounts
