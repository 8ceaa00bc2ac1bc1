// /v1/keys: create (the secret is shown once), list, retrieve, revoke and roll API keys.
// A key sees only its own organisation's keys; others are 404, as if they did not exist.
#include "bindings/d1.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/pagination.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>
#include <set>

namespace ptmc::api {
namespace {

constexpr int64_t kDefaultRollGraceSeconds = 24 * 3600;
constexpr int64_t kMaxRollGraceSeconds = 7 * 24 * 3600;

std::string key_select(const char* where) {
  return std::string("SELECT ") + accounts::kKeyColumns + " FROM api_keys WHERE " + where;
}

void reject_unknown(const Json& body, std::initializer_list<const char*> known, Violations& violations) {
  for (const auto& item : body.items()) {
    const std::string& name = item.key();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; }))
      violations.add(name, "is not a parameter of this endpoint");
  }
}

// POST /v1/keys body -> the key to mint. A new key never exceeds its creator: not in role,
// not in scopes, and its rate limit stays within its role's.
accounts::NewKey read_new_key(const Json& body, const auth::Principal& caller, Violations& violations) {
  accounts::NewKey key{caller.org_id, caller.user_id, "", caller.mode, caller.role, {}, 0};
  if (!body.is_object()) {
    violations.add("body", "must be a JSON object");
    return key;
  }
  reject_unknown(body, {"name", "mode", "role", "scopes", "rate_limit_per_minute"}, violations);
  if (body.contains("name")) {
    const auto* name = string_field(body, "name");
    if (!name || name->size() > 100) violations.add("name", "must be a string of at most 100 characters");
    else key.name = *name;
  }
  if (body.contains("mode")) {
    const auto* mode = string_field(body, "mode");
    if (!mode || (*mode != "live" && *mode != "test")) violations.add("mode", "must be 'live' or 'test'");
    else key.mode = *mode;
  }
  if (body.contains("role")) {
    const auto* name = string_field(body, "role");
    auto role = name ? auth::role_from(*name) : std::nullopt;
    if (!role) violations.add("role", "must be one of owner, admin, member, read_only");
    else if (*role > caller.role) violations.add("role", "cannot exceed the role of the key creating it");
    else key.role = *role;
  }
  if (body.contains("scopes")) {
    const Json& scopes = body["scopes"];
    std::set<std::string> chosen;
    if (!scopes.is_array()) violations.add("scopes", "must be an array of scope names");
    for (const auto& scope : scopes.is_array() ? scopes : Json::array()) {
      std::string name = scope.is_string() ? scope.get<std::string>() : "";
      if (!auth::is_scope(name)) violations.add("scopes", "'" + dump_json(scope) + "' is not a scope");
      else if (!caller.has_scope(name)) violations.add("scopes", "'" + name + "' is not held by the key creating it");
      else if (auth::minimum_role_for(name) > key.role) violations.add("scopes", "'" + name + "' needs a higher role");
      else chosen.insert(name);
    }
    key.scopes.assign(chosen.begin(), chosen.end());
  } else {
    for (const auto& scope : caller.scopes)
      if (auth::minimum_role_for(scope) <= key.role) key.scopes.push_back(scope);
  }
  int64_t role_limit = auth::default_rate_limit(key.role);
  key.rate_limit_per_minute = std::min(role_limit, caller.rate_limit_per_minute);
  if (body.contains("rate_limit_per_minute")) {
    auto limit = integer_field(body, "rate_limit_per_minute");
    if (!limit || *limit < 1 || *limit > role_limit)
      violations.add("rate_limit_per_minute", "must be an integer from 1 to " + std::to_string(role_limit) + " for this role");
    else key.rate_limit_per_minute = *limit;
  }
  return key;
}

auth::Settings settings_of(const RequestContext& context) {
  std::string problem;
  return *auth::read_settings(context.config, problem);  // authenticate() already required them
}

}  // namespace

Task<http::Response> whoami(RequestContext& context) {
  const auto& caller = *context.principal;
  co_return http::json_response(200, {{"object", "key_context"},
                                      {"key_id", caller.key_id},
                                      {"org_id", caller.org_id},
                                      {"user_id", caller.user_id},
                                      {"mode", caller.mode},
                                      {"role", auth::role_name(caller.role)},
                                      {"scopes", caller.scopes},
                                      {"rate_limit_per_minute", caller.rate_limit_per_minute}});
}

Task<http::Response> create_key(RequestContext& context) {
  Violations violations;
  auto key = read_new_key(context.body, *context.principal, violations);
  if (!violations.empty()) co_return context.invalid(violations.error());
  auto settings = settings_of(context);
  auto minted = accounts::mint_key(key, settings.pepper, settings.iterations, services::now_ms(),
                                   context.principal->key_id, context.request_id, {context.client_ip()});
  minted.statements.push_back({key_select("id = ?1"), {minted.id}});
  auto results = co_await d1::batch(std::move(minted.statements));
  co_return http::json_response(201, accounts::key_json(results.back().rows.at(0), minted.secret));
}

Task<http::Response> list_keys(RequestContext& context) {
  Violations violations;
  auto page = read_page(context, "", violations);
  if (page.after && (page.after->size() != 2 || !(*page.after)[0].is_number_integer() || !(*page.after)[1].is_string()))
    violations.add("cursor", "is not a cursor this API returned for this list", "invalid_cursor");
  if (!violations.empty()) co_return context.invalid(violations.error());
  d1::Statement query{key_select("org_id = ?1") + " ORDER BY created_at DESC, id DESC LIMIT ?2",
                      {context.principal->org_id, page.limit + 1}};
  if (page.after)
    query = {key_select("org_id = ?1 AND (created_at, id) < (?3, ?4)") + " ORDER BY created_at DESC, id DESC LIMIT ?2",
             {context.principal->org_id, page.limit + 1, (*page.after)[0], (*page.after)[1]}};
  auto result = co_await d1::all(std::move(query));
  co_return http::json_response(
      200, list_json(context, result.rows, page, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); },
                     [](const Json& row) { return accounts::key_json(row); }));
}

Task<http::Response> get_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  auto row = co_await d1::first({key_select("id = ?1 AND org_id = ?2"), {id, context.principal->org_id}});
  if (!row) co_return context.fail(errors::resource_missing("api key", id));
  co_return http::json_response(200, accounts::key_json(*row));
}

// Revoking is idempotent: a second DELETE answers the same key and writes no second audit row.
Task<http::Response> revoke_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  const auto& caller = *context.principal;
  int64_t now = services::now_ms();
  auto results = co_await d1::batch({
      {"UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND org_id = ?2 AND revoked_at IS NULL", {id, caller.org_id, now}},
      // changes(): the UPDATE just above, on the batch's one connection and transaction.
      {"INSERT INTO audit_log (at, org_id, key_id, actor_ip, event, detail, request_id) SELECT ?3, org_id, ?4, ?6, "
       "'key.revoked', json_object('key', id), ?5 FROM api_keys WHERE id = ?1 AND org_id = ?2 AND changes() = 1",
       {id, caller.org_id, now, caller.key_id, context.request_id, context.client_ip()}},
      {key_select("id = ?1 AND org_id = ?2"), {id, caller.org_id}},
  });
  if (results[2].rows.empty()) co_return context.fail(errors::resource_missing("api key", id));
  co_return http::json_response(200, accounts::key_json(results[2].rows[0]));
}

// A new secret for the same grants; the old key keeps working until its grace period ends
// (expires_in_seconds, default 24 h, 0 ends it now, at most 7 days). Rolling twice is refused.
Task<http::Response> roll_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  const auto& caller = *context.principal;
  Violations violations;
  int64_t grace = kDefaultRollGraceSeconds;
  if (!context.body.is_object()) violations.add("body", "must be a JSON object");
  else reject_unknown(context.body, {"expires_in_seconds"}, violations);
  if (context.body.is_object() && context.body.contains("expires_in_seconds")) {
    auto value = integer_field(context.body, "expires_in_seconds");
    if (!value || *value < 0 || *value > kMaxRollGraceSeconds)
      violations.add("expires_in_seconds", "must be an integer from 0 to 604800");
    else grace = *value;
  }
  if (!violations.empty()) co_return context.invalid(violations.error());

  auto old = co_await d1::first({"SELECT user_id, name, mode, role, scopes, rate_limit_per_minute, revoked_at, replaced_by "
                                 "FROM api_keys WHERE id = ?1 AND org_id = ?2",
                                 {id, caller.org_id}});
  if (!old) co_return context.fail(errors::resource_missing("api key", id));
  if (!(*old)["revoked_at"].is_null() || !(*old)["replaced_by"].is_null())
    co_return context.fail({409, ErrorType::invalid_request, "key_not_rollable",
                            "Key '" + id + "' is revoked or was already rolled.", "Roll the key that replaced it."});

  accounts::NewKey key{caller.org_id, old->value("user_id", ""), old->value("name", ""), old->value("mode", "live"),
                       auth::role_from(old->value("role", "")).value_or(auth::Role::read_only), {},
                       old->value("rate_limit_per_minute", int64_t(1))};
  auto scopes = parse_json(old->value("scopes", "[]"));
  for (const auto& scope : scopes && scopes->is_array() ? *scopes : Json::array())
    if (scope.is_string()) key.scopes.push_back(scope.get<std::string>());
  auto settings = settings_of(context);
  int64_t now = services::now_ms();
  int64_t old_expires_at = now + grace * 1000;
  // The old key is claimed first; the new key is inserted only under that claim, so if another
  // roll won the race this batch inserts nothing and answers 409.
  auto minted = accounts::mint_key(key, settings.pepper, settings.iterations, now, caller.key_id, context.request_id,
                                   {context.client_ip(), "key.rolled", {{"rolled_from", id}, {"old_expires_at", old_expires_at / 1000}},
                                    "EXISTS (SELECT 1 FROM api_keys WHERE id = ?13 AND replaced_by = ?1)", {id}});
  std::vector<d1::Statement> statements = {
      {"UPDATE api_keys SET replaced_by = ?3, expires_at = ?4 WHERE id = ?1 AND org_id = ?2 AND replaced_by IS NULL "
       "AND revoked_at IS NULL",
       {id, caller.org_id, minted.id, old_expires_at}}};
  for (auto& statement : minted.statements) statements.push_back(std::move(statement));
  statements.push_back({key_select("id = ?1"), {minted.id}});
  auto results = co_await d1::batch(std::move(statements));
  if (results.back().rows.empty())
    co_return context.fail({409, ErrorType::invalid_request, "key_not_rollable", "Key '" + id + "' was rolled concurrently.",
                            "Roll the key that replaced it."});
  Json body = accounts::key_json(results.back().rows[0], minted.secret);
  body["rolled_from"] = {{"id", id}, {"expires_at", old_expires_at / 1000}};
  co_return http::json_response(201, body);
}

Task<http::Response> list_audit_log(RequestContext& context) {
  Violations violations;
  auto event = http::query_param(context.request.query, "event");
  if (event && (event->empty() || event->size() > 64)) violations.add("event", "must be an event name such as key.created");
  auto page = read_page(context, event ? "event=" + *event : "", violations);
  if (page.after && (page.after->size() != 1 || !(*page.after)[0].is_number_integer()))
    violations.add("cursor", "is not a cursor this API returned for this list", "invalid_cursor");
  if (!violations.empty()) co_return context.invalid(violations.error());
  auto result = co_await d1::all(
      {"SELECT id, at, key_id, actor_ip, event, detail, request_id FROM audit_log WHERE org_id = ?1 "
       "AND (?3 IS NULL OR id < ?3) AND (?4 IS NULL OR event = ?4) ORDER BY id DESC LIMIT ?2",
       {context.principal->org_id, page.limit + 1, page.after ? (*page.after)[0] : Json(), event ? Json(*event) : Json()}});
  co_return http::json_response(
      200, list_json(context, result.rows, page, [](const Json& row) { return Json::array({row["id"]}); },
                     [](const Json& row) {
                       auto detail = parse_json(row.value("detail", "{}"));
                       return Json{{"id", row["id"]},
                                   {"object", "audit_event"},
                                   {"event", row["event"]},
                                   {"created_at", row.value("at", int64_t(0)) / 1000},
                                   {"key_id", row["key_id"]},
                                   {"actor_ip", row["actor_ip"]},
                                   {"request_id", row["request_id"]},
                                   {"detail", detail ? *detail : Json::object()}};
                     }));
}

}  // namespace ptmc::api
