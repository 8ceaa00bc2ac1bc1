// /v1/keys: create (the secret is shown once), list, retrieve, revoke and roll API keys.
// A key sees only its own organisation's keys; others are 404, as if they did not exist.
#include "bindings/d1.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/events/events.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>
#include <set>

namespace ptmc::api {

const schema::ObjectType& key_context_object() {
  using schema::added_field;
  using schema::Schema;
  static const schema::ObjectType context(
      "key_context", "Who the calling key acts as.",
      {added_field("key_id", Schema::string(), "key_3f9c2a7d41b86e05"),
       added_field("org_id", Schema::string(), "org_5b2e9c1d0a7f4e36"),
       added_field("user_id", Schema::string(), "usr_8d7c6b5a4f3e2d1c"), added_field("mode", accounts::mode_schema(), "live"),
       added_field("role", accounts::role_schema(), "admin"),
       added_field("scopes", Schema::array(Schema::string()), {"keys:read", "keys:write", "audit:read"}),
       added_field("rate_limit_per_minute", Schema::integer(), 1000)});
  return context;
}

const schema::ObjectType& audit_event_object() {
  using schema::Schema;
  static const schema::ObjectType event(
      "audit_event", "One security-relevant event.",
      {{"id", Schema::integer(), "id", 42},
       {"event", Schema::string("key.created, key.rolled, key.revoked, rate_limit.exceeded, …"), "event", "key.created"},
       {"created_at", Schema::integer("Unix seconds."), "at", 1795392000, &schema::kSeconds},
       {"key_id", Schema::string("The key that acted, if any.").nullable(), "key_id", "key_0a1b2c3d4e5f6789"},
       {"actor_ip", Schema::string().nullable(), "actor_ip", "203.0.113.7"},
       {"request_id", Schema::string().nullable(), "request_id", "req_6c1f0e2a9b8d4c3f2e1a0b9c"},
       {"detail",
        Schema::any_object("What the event concerns."),
        "detail",
        {{"key", "key_3f9c2a7d41b86e05"}},
        &schema::kJsonObject}});
  return event;
}

namespace {

using schema::Schema;
using schema::optional;
using schema::required;

std::string key_select(const char* where) {
  return "SELECT " + accounts::api_key_object().select_list() + " FROM api_keys WHERE " + where;
}

// POST /v1/keys body (its shape checked by the router) -> the key to mint. A new key never
// exceeds its creator: not in role, scopes or mode, and its rate limit stays within both its
// role's and its creator's.
accounts::NewKey read_new_key(const Json& body, const auth::Principal& caller, Violations& violations) {
  accounts::NewKey key{caller.org_id, caller.user_id, "", caller.mode, caller.role, {}, 0};
  if (!body.is_object()) return key;  // the schema has refused it
  if (const auto* name = string_field(body, "name")) key.name = *name;
  if (const auto* mode = string_field(body, "mode")) {
    if (*mode == "live" && caller.mode != "live") violations.add("mode", "a test key can create only test keys");
    else key.mode = *mode;
  }
  if (const auto* name = string_field(body, "role")) {
    auto role = auth::role_from(*name).value_or(auth::Role::read_only);  // the schema refuses other names
    if (role > caller.role) violations.add("role", "cannot exceed the role of the key creating it");
    else key.role = role;
  }
  if (const auto listed = body.find("scopes"); listed != body.end()) {
    std::set<std::string> chosen;
    for (const auto& scope : *listed) {  // the schema has checked: an array of known scopes
      if (!scope.is_string()) continue;
      const auto& name = scope.get_ref<const std::string&>();
      if (!caller.has_scope(name)) violations.add("scopes", "'" + name + "' is not held by the key creating it");
      else if (auth::minimum_role_for(name) > key.role) violations.add("scopes", "'" + name + "' needs a higher role");
      else chosen.insert(name);
    }
    key.scopes.assign(chosen.begin(), chosen.end());
  } else {
    for (const auto& scope : caller.scopes)
      if (auth::minimum_role_for(scope) <= key.role) key.scopes.push_back(scope);
  }
  int64_t ceiling = std::min(auth::default_rate_limit(key.role), caller.rate_limit_per_minute);
  key.rate_limit_per_minute = ceiling;
  if (auto limit = integer_field(body, "rate_limit_per_minute"); limit && *limit >= 1) {
    if (*limit > ceiling)
      violations.add("rate_limit_per_minute",
                     "must be at most " + std::to_string(ceiling) + " (this role's limit, or the creating key's if lower)");
    else key.rate_limit_per_minute = *limit;
  }
  return key;
}

void new_key_rules(const RequestContext& context, Violations& violations) {
  if (context.principal) read_new_key(context.body, *context.principal, violations);
}

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
  Violations violations;  // already checked by new_key_rules
  auto key = read_new_key(context.body, *context.principal, violations);
  const auto& settings = *context.auth_settings;  // authenticate() set them before any /v1 handler
  auto minted = accounts::mint_key(key, settings.pepper, settings.iterations, services::now_ms(), context.principal->key_id,
                                   context.request_id, {context.client_ip()});
  auto [inserted, audited, recorded, created] = co_await d1::batch(
      {std::move(minted.insert), std::move(minted.audit), std::move(minted.event), {key_select("id = ?1"), {minted.id}}});
  co_return http::json_response(201, accounts::key_json(created.rows.at(0), minted.secret));
}

Task<http::Response> list_keys(RequestContext& context) {
  const Page& page = context.page;
  auto result =
      co_await d1::all(items_query("SELECT " + item_columns(accounts::api_key_object(), "created_at, id") +
                                       " FROM api_keys WHERE org_id = ?1 AND (?3 IS NULL OR (created_at, id) < (?3, ?4)) "
                                       "ORDER BY created_at DESC, id DESC LIMIT ?2",
                                   {context.principal->org_id, page.limit + 1, page.after_at(0), page.after_at(1)}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); });
}

Task<http::Response> get_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  auto row = co_await d1::first({key_select("id = ?1 AND org_id = ?2"), {id, context.principal->org_id}});
  if (!row) co_return context.fail(errors::resource_missing("api key", id));
  co_return http::json_response(200, accounts::key_json(*row));
}

// Key `id` of the caller's organisation (its grants, revoked_at and replaced_by): nullopt with a
// 404 when there is none, or a 403 when its grants exceed the caller's, so rolling and revoking
// reach only keys the caller could have made.
Task<std::optional<Json>> key_within_caller(RequestContext& context, const std::string& id, http::Response& refusal) {
  const auto& caller = *context.principal;
  auto row = co_await d1::first(
      {std::string("SELECT ") + accounts::kGrantColumns + ", revoked_at, replaced_by FROM api_keys WHERE id = ?1 AND org_id = ?2",
       {id, caller.org_id}});
  if (!row) {
    refusal = context.fail(errors::resource_missing("api key", id));
    co_return std::nullopt;
  }
  if (auto beyond = accounts::grants_beyond(caller, accounts::grants_of(*row, caller.org_id)); !beyond.empty()) {
    refusal = context.fail(errors::key_exceeds_caller(id, beyond));
    co_return std::nullopt;
  }
  co_return row;
}

// Revoking is idempotent: a second DELETE answers the same key and writes no second audit row.
Task<http::Response> revoke_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  const auto& caller = *context.principal;
  http::Response refusal;
  if (!co_await key_within_caller(context, id, refusal)) co_return refusal;
  int64_t now = services::now_ms();
  auto [revoked, event, audit, key] = co_await d1::batch({
      {"UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND org_id = ?2 AND revoked_at IS NULL", {id, caller.org_id, now}},
      // changes(): the statement just before, on the batch's one connection and transaction. The
      // event is written when the UPDATE changed the key, and the audit row when the event was.
      events::record("key.revoked", caller.org_id, now, {{"object", "api_key"}, {"id", id}}, "changes() = 1"),
      {"INSERT INTO audit_log (at, org_id, key_id, actor_ip, event, detail, request_id) SELECT ?3, org_id, ?4, ?6, "
       "'key.revoked', json_object('key', id), ?5 FROM api_keys WHERE id = ?1 AND org_id = ?2 AND changes() = 1",
       {id, caller.org_id, now, caller.key_id, context.request_id, context.client_ip()}},
      {key_select("id = ?1 AND org_id = ?2"), {id, caller.org_id}},
  });
  if (key.rows.empty()) co_return context.fail(errors::resource_missing("api key", id));
  co_return http::json_response(200, accounts::key_json(key.rows[0]));
}

// A new secret for the same grants; the old key keeps working until its grace period ends
// (expires_in_seconds, default 24 h, 0 ends it now, at most 7 days). Rolling twice is refused.
Task<http::Response> roll_key(RequestContext& context) {
  const std::string& id = context.path_params["id"];
  const auto& caller = *context.principal;
  int64_t grace = grace_period_seconds(context);
  http::Response refusal;
  auto old = co_await key_within_caller(context, id, refusal);
  if (!old) co_return refusal;
  if (!(*old)["revoked_at"].is_null() || !(*old)["replaced_by"].is_null())
    co_return context.fail(errors::key_not_rollable(id, "is revoked or was already rolled"));
  auto key = accounts::grants_of(*old, caller.org_id);
  const auto& settings = *context.auth_settings;  // authenticate() set them before any /v1 handler
  int64_t now = services::now_ms();
  int64_t old_expires_at = now + grace * 1000;
  // The old key is claimed first; the new key is inserted only under that claim, so if another
  // roll won the race this batch inserts nothing and answers 409.
  auto minted = accounts::mint_key(key, settings.pepper, settings.iterations, now, caller.key_id, context.request_id,
                                   {context.client_ip(),
                                    "key.rolled",
                                    {{"rolled_from", id}, {"old_expires_at", old_expires_at / 1000}},
                                    "EXISTS (SELECT 1 FROM api_keys WHERE id = ?13 AND replaced_by = ?1)",
                                    {id}});
  auto [claimed, inserted, audited, recorded, created] = co_await d1::batch({
      {"UPDATE api_keys SET replaced_by = ?3, expires_at = ?4 WHERE id = ?1 AND org_id = ?2 AND replaced_by IS NULL "
       "AND revoked_at IS NULL",
       {id, caller.org_id, minted.id, old_expires_at}},
      std::move(minted.insert),
      std::move(minted.audit),
      std::move(minted.event),
      {key_select("id = ?1"), {minted.id}},
  });
  if (created.rows.empty()) co_return context.fail(errors::key_not_rollable(id, "was rolled concurrently"));
  Json body = accounts::key_json(created.rows[0], minted.secret);
  body["rolled_from"] = {{"id", id}, {"expires_at", old_expires_at / 1000}};
  co_return http::json_response(201, body);
}

Task<http::Response> list_audit_log(RequestContext& context) {
  const auto* event = string_field(context.query, "event");
  const Page& page = context.page;
  auto result =
      co_await d1::all(items_query("SELECT " + item_columns(audit_event_object(), "id") +
                                       " FROM audit_log WHERE org_id = ?1 "
                                       "AND (?3 IS NULL OR id < ?3) AND (?4 IS NULL OR event = ?4) ORDER BY id DESC LIMIT ?2",
                                   {context.principal->org_id, page.limit + 1, page.after_at(0), event ? Json(*event) : Json()}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["id"]}); });
}

}  // namespace

std::vector<Route> key_routes() {
  const auto role = accounts::role_schema("Ordered: owner > admin > member > read_only.");
  const auto scope = Schema::string("Platform operators' keys may hold `ingestion:read` and `ingestion:write` too.")
                         .one_of(auth::scope_names(true));
  const auto key_id = schema::path_param("id", Schema::string("The key's id.").length(1, 64).example("key_3f9c2a7d41b86e05"));
  const Json key_example = accounts::api_key_object().example();
  Json created_example = key_example;
  created_example["secret"] = "ptmc_live_4GxV8dJq2hTzYb7LwN3cR5pK9sF1mA6eU0oXiHgBtCyQm2Z1kd9Qx";
  Json rolled_example = created_example;
  rolled_example["rolled_from"] = {{"id", "key_0a1b2c3d4e5f6789"}, {"expires_at", 1795478400}};
  Json key_list_example = list_example(key_example);
  key_list_example["has_more"] = true;
  key_list_example["next_cursor"] = "eyJ2IjoxLCJraWQiOiI5ZjNhIn0.c2lnbmF0dXJl";
  const Json audit_example = list_example(audit_event_object().example());
  return {
      {"GET",
       "/v1/me",
       whoami,
       {.id = "getMe",
        .tag = "API keys",
        .summary = "The calling key",
        .description = "Who the key acts as: its organisation, user, role, scopes and rate limit. Costs no I/O beyond "
                       "authentication.",
        .replies = {{200, "The key's context.", Schema::ref("KeyContext"), key_context_object().example()}}}},
      {"POST",
       "/v1/keys",
       create_key,
       {.id = "createKey",
        .tag = "API keys",
        .summary = "Create an API key",
        .description = "Mints a key for the caller's organisation and user. The `secret` is in this response only. A new "
                       "key never exceeds its creator: not in role, not in scopes, and its rate limit stays within its "
                       "role's (owner and admin 1000, member 600, read_only 300 per minute).",
        .body =
            Schema::object({optional("name", Schema::string("A label for people.").length(0, 100).example("ingestion worker")),
                            optional("mode", accounts::mode_schema("Defaults to the caller's mode.")),
                            optional("role", role.describe("Defaults to the caller's role.")),
                            optional("scopes", Schema::array(scope, "Defaults to the caller's scopes that the role allows.")
                                                   .length(0, std::size(auth::kScopes))),
                            optional("rate_limit_per_minute", Schema::integer("Defaults to the role's limit.").range(1, 1000))}),
        .replies = {{201, "The new key, with its secret.", Schema::ref("ApiKeyWithSecret"), created_example}},
        .rules = new_key_rules},
       "keys:write"},
      {"GET",
       "/v1/keys",
       list_keys,
       {.id = "listKeys",
        .tag = "API keys",
        .summary = "List API keys",
        .description = "The organisation's keys, newest first, including revoked and expired ones.",
        .parameters = page_parameters(),
        .replies = {{200, "A page of keys.", list_of("ApiKey", "A page of API keys."), key_list_example}},
        .errors = {"invalid_cursor"}},
       "keys:read"},
      {"GET",
       "/v1/keys/{id}",
       get_key,
       {.id = "getKey",
        .tag = "API keys",
        .summary = "Retrieve an API key",
        .parameters = {key_id},
        .replies = {{200, "The key.", Schema::ref("ApiKey"), key_example}}},
       "keys:read"},
      {"DELETE",
       "/v1/keys/{id}",
       revoke_key,
       {.id = "revokeKey",
        .tag = "API keys",
        .summary = "Revoke an API key",
        .description = "Revocation applies at once in every isolate. Revoking again answers the same key and writes no "
                       "second audit entry.",
        .parameters = {key_id},
        .replies = {{200, "The revoked key.", Schema::ref("ApiKey"), key_example}},
        .errors = {"key_exceeds_caller"}},
       "keys:write"},
      {"POST",
       "/v1/keys/{id}/roll",
       roll_key,
       {.id = "rollKey",
        .tag = "API keys",
        .summary = "Roll an API key",
        .description = "A new secret with the same grants. The old key keeps working for `expires_in_seconds` (default "
                       "86400, 0 ends it now). A key can be rolled once; a concurrent second roll answers 409.",
        .parameters = {key_id},
        .body = Schema::object({grace_period_property("Grace period of the old key.")}),
        .replies = {{201, "The new key, with its secret, and when the old one expires.", Schema::ref("RolledApiKey"),
                     rolled_example}},
        .errors = {"key_not_rollable", "key_exceeds_caller"}},
       "keys:write"},
      {"GET",
       "/v1/audit-log",
       list_audit_log,
       {.id = "listAuditLog",
        .tag = "Audit log",
        .summary = "List audit events",
        .description = "Security-relevant events of the organisation, newest first: keys created, rolled and revoked, rate "
                       "limits breached.",
        .parameters = page_parameters(
            {schema::query_param("event", Schema::string("Only events of this name.").length(1, 64).example("key.created"))}),
        .replies = {{200, "A page of audit events.", list_of("AuditEvent", "A page of audit events."), audit_example}},
        .errors = {"invalid_cursor"}},
       "audit:read"},
  };
}

}  // namespace ptmc::api
