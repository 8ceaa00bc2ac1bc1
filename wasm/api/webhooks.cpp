// /v1/webhook_endpoints: where an organisation's events are POSTed, signed with a whsec_
// secret shown once (rolled with a grace period during which both secrets sign), and every
// delivery attempt. Admin scopes webhooks:read and webhooks:write.
#include "bindings/d1.hpp"
#include "bindings/queue.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/webhooks.hpp"
#include "wasm/config/config.hpp"
#include "wasm/events/events.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/webhooks/delivery.hpp"
#include "wasm/webhooks/destination.hpp"
#include "wasm/webhooks/signature.hpp"

namespace ptmc::api {

using schema::optional;
using schema::required;
using schema::Schema;

namespace {

constexpr const char* kExampleId = "we_4f9a1c2b3d4e5f6a7b8c9d0e";
constexpr int64_t kExampleTime = 1795392000;

// An endpoint is enabled until a receiver fails for days, or its owner disables it.
Schema endpoint_status_schema() { return Schema::string().one_of({"enabled", "disabled"}); }

}  // namespace

const schema::ObjectType& webhook_endpoint_object() {
  auto seconds = [](const char* description) { return Schema::integer(description).nullable(); };
  static const schema::ObjectType endpoint(
      "webhook_endpoint", "Where an organisation's events are delivered, signed.",
      {{"id", Schema::string(), "id", kExampleId},
       {"url", Schema::string(), "url", "https://hooks.example.com/patomic"},
       {"description", Schema::string().nullable(), "description", "ownership changes"},
       {"enabled_events",
        Schema::array(Schema::string()),
        "enabled_events",
        {"assignment.recorded", "portfolio.patent.assigned"},
        &schema::kJsonArray},
       {"status", endpoint_status_schema(), "status", "enabled"},
       {"previous_secret_expires_at", seconds("Unix seconds."), "previous_expires_at", nullptr, &schema::kSeconds},
       {"flagged_at", seconds("Unix seconds."), "flagged_at", nullptr, &schema::kSeconds},
       {"created_at", Schema::integer("Unix seconds."), "created_at", kExampleTime, &schema::kSeconds},
       {"updated_at", Schema::integer("Unix seconds."), "updated_at", kExampleTime, &schema::kSeconds},
       {"secret", Schema::string("whsec_…: only when created or rolled."), "",
        "whsec_3b5f0e1d2c4a69788f7e6d5c4b3a29180f1e2d3c4b5a6978"}});
  return endpoint;
}

const schema::ObjectType& webhook_attempt_object() {
  static const schema::ObjectType attempt(
      "webhook_attempt", "One delivery attempt of one event to one endpoint.",
      {{"id", Schema::integer(), "id", 7},
       {"event_id", Schema::string(), "event_id", "evt_5f1c2a9b8e7d6c5b4a392817"},
       {"event_type", Schema::string(), "event_type", "assignment.recorded"},
       {"attempt", Schema::integer(), "attempt", 2},
       {"status", Schema::integer().nullable(), "status", 500},
       {"latency_ms", Schema::integer(), "latency_ms", 84},
       {"error", Schema::string().nullable(), "error", "the receiver answered 500"},
       {"created_at", Schema::integer("Unix seconds."), "created_at", kExampleTime + 60, &schema::kSeconds}});
  return attempt;
}

namespace {

std::vector<std::string> subscribable() {
  std::vector<std::string> types = {"*"};
  auto names = events::type_names();
  types.insert(types.end(), names.begin(), names.end());
  return types;
}

Json endpoint_json(const Json& row, const std::string& secret = {}) {
  Json out = webhook_endpoint_object().render(row);
  if (!secret.empty()) out["secret"] = secret;
  return out;
}

d1::Statement select_endpoint(const std::string& id, const std::string& org) {
  return {"SELECT " + webhook_endpoint_object().select_list() + " FROM webhook_endpoints WHERE id = ?1 AND org_id = ?2",
          {id, org}};
}

// A public https URL (wasm/webhooks/destination.hpp); http://127.0.0.1 and http://localhost
// too where WEBHOOK_ALLOW_LOCAL_URLS is set.
// Every event type listed must be one the caller may read itself (GET /v1/events): an endpoint
// receives what its key could see, no more; "*" means all of those.
void endpoint_rules(const RequestContext& context, Violations& violations) {
  if (const auto* url = string_field(context.body, "url"))
    if (auto refused = webhooks::refused_destination(*url, config().development_flag("WEBHOOK_ALLOW_LOCAL_URLS")))
      violations.add("url", *refused);
  auto readable = events::visible_types(context.principal->scopes);
  auto listed = context.body.find("enabled_events");
  for (const auto& type : listed != context.body.end() ? *listed : Json::array())
    if (type != "*" && std::find(readable.begin(), readable.end(), type.get<std::string>()) == readable.end())
      violations.add("enabled_events", "'" + type.get<std::string>() + "' events are not readable with this key's scopes");
}

Task<http::Response> create_endpoint(RequestContext& context) {
  std::string id = accounts::new_id("we");
  std::string secret = webhooks::new_secret();
  int64_t now = services::now_ms();
  // The cap holds under concurrent requests: the count is read by the inserting statement.
  auto [inserted, endpoint] = co_await d1::batch({
      {"INSERT INTO webhook_endpoints (id, org_id, url, description, enabled_events, scopes, secret_sealed, status, created_at, "
       "updated_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'enabled', ?8, ?8 WHERE (SELECT count(*) FROM webhook_endpoints WHERE "
       "org_id = ?2) < ?9",
       {id, org_of(context), context.body["url"], context.body.value("description", Json()),
        dump_json(context.body["enabled_events"]), dump_json(context.principal->scopes), webhooks::seal_secret(secret), now,
        webhooks::kMaxEndpointsPerOrganisation}},
      select_endpoint(id, org_of(context)),
  });
  if (endpoint.rows.empty())
    co_return context.fail(errors::resource_limit_reached("webhook endpoints", webhooks::kMaxEndpointsPerOrganisation));
  co_return http::json_response(201, endpoint_json(endpoint.rows[0], secret));
}

Task<http::Response> list_endpoints(RequestContext& context) {
  const Page& page = context.page;
  auto result =
      co_await d1::all(items_query("SELECT " + item_columns(webhook_endpoint_object(), "created_at, id") +
                                       " FROM webhook_endpoints WHERE org_id = ?2 AND (?3 IS NULL OR (created_at, id) < "
                                       "(?3, ?4)) ORDER BY created_at DESC, id DESC LIMIT ?1",
                                   {page.limit + 1, org_of(context), page.after_at(0), page.after_at(1)}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); });
}

Task<http::Response> get_endpoint(RequestContext& context) {
  auto row = co_await d1::first(select_endpoint(path_id(context), org_of(context)));
  if (!row) co_return context.fail(errors::resource_missing("webhook endpoint", path_id(context)));
  co_return http::json_response(200, endpoint_json(*row));
}

// Only the members sent change; `description: null` clears it; status re-enables or disables.
Task<http::Response> update_endpoint(RequestContext& context) {
  const Json& body = context.body;
  std::string id = path_id(context);
  auto [updated, endpoint] = co_await d1::batch({
      {"UPDATE webhook_endpoints SET url = COALESCE(?3, url), enabled_events = COALESCE(?4, enabled_events), scopes = CASE "
       "WHEN ?4 IS NULL THEN scopes ELSE ?9 END, description = CASE WHEN ?5 THEN ?6 ELSE description END, status = "
       "COALESCE(?7, status), failing_since = CASE WHEN ?7 = 'enabled' THEN NULL ELSE failing_since END, updated_at = ?8 "
       "WHERE id = ?1 AND org_id = ?2",
       {id, org_of(context), body.value("url", Json()),
        body.contains("enabled_events") ? Json(dump_json(body["enabled_events"])) : Json(), body.contains("description") ? 1 : 0,
        body.value("description", Json()), body.value("status", Json()), services::now_ms(),
        dump_json(context.principal->scopes)}},
      select_endpoint(id, org_of(context)),
  });
  if (endpoint.rows.empty()) co_return context.fail(errors::resource_missing("webhook endpoint", id));
  co_return http::json_response(200, endpoint_json(endpoint.rows[0]));
}

Task<http::Response> delete_endpoint(RequestContext& context) {
  std::string id = path_id(context);
  auto [attempts, endpoint] = co_await d1::batch({
      {"DELETE FROM webhook_attempts WHERE endpoint_id = (SELECT id FROM webhook_endpoints WHERE id = ?1 AND org_id = ?2)",
       {id, org_of(context)}},
      {"DELETE FROM webhook_endpoints WHERE id = ?1 AND org_id = ?2", {id, org_of(context)}},
  });
  if (endpoint.meta.changes == 0) co_return context.fail(errors::resource_missing("webhook endpoint", id));
  co_return http::json_response(200, {{"object", "webhook_endpoint"}, {"id", id}, {"deleted", true}});
}

// A new secret; the old one keeps signing (a second v1) for expires_in_seconds (default 24 h).
Task<http::Response> roll_secret(RequestContext& context) {
  std::string id = path_id(context);
  std::string secret = webhooks::new_secret();
  int64_t now = services::now_ms();
  int64_t grace = grace_period_seconds(context);
  auto [rolled, endpoint] = co_await d1::batch({
      {"UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_expires_at = ?4, secret_sealed = ?3, "
       "updated_at = ?5 WHERE id = ?1 AND org_id = ?2",
       {id, org_of(context), webhooks::seal_secret(secret), now + grace * 1000, now}},
      select_endpoint(id, org_of(context)),
  });
  if (endpoint.rows.empty()) co_return context.fail(errors::resource_missing("webhook endpoint", id));
  co_return http::json_response(200, endpoint_json(endpoint.rows[0], secret));
}

// A webhook_endpoint.test event, delivered like any other (signed, retried, recorded).
Task<http::Response> send_test(RequestContext& context) {
  std::string id = path_id(context);
  auto row = co_await d1::first(select_endpoint(id, org_of(context)));
  if (!row) co_return context.fail(errors::resource_missing("webhook endpoint", id));
  Json event = {{"object", "event"},
                {"id", "evt_" + services::random_hex(12)},
                {"type", "webhook_endpoint.test"},
                {"created", services::now_ms() / 1000},
                {"data", {{"object", "webhook_endpoint"}, {"id", id}}}};
  co_await queue::send(webhooks::kQueue, {{{"kind", "webhook"}, {"endpoint_id", id}, {"event", event}}, std::nullopt});
  co_return http::json_response(202, {{"object", "webhook_test"}, {"endpoint_id", id}, {"event", event}});
}

Task<http::Response> list_attempts(RequestContext& context) {
  std::string id = path_id(context);
  const Page& page = context.page;
  auto [owner, result] = co_await all(
      d1::first(select_endpoint(id, org_of(context))),
      d1::all(items_query(
          "SELECT " + item_columns(webhook_attempt_object(), "created_at, id") +
              " FROM webhook_attempts WHERE "
              "endpoint_id = ?2 AND (?3 IS NULL OR (created_at, id) < (?3, ?4)) ORDER BY created_at DESC, id DESC LIMIT ?1",
          {page.limit + 1, id, page.after_at(0), page.after_at(1)})));
  if (!owner) co_return context.fail(errors::resource_missing("webhook endpoint", id));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); });
}

}  // namespace

std::vector<Route> webhook_routes() {
  const char* tag = "Webhooks";
  auto id = schema::path_param("id", Schema::string("The endpoint's id.").length(1, 64).example(kExampleId));
  auto url = Schema::string(
                 "A public https URL: hosts that are private, loopback, link-local or otherwise not globally "
                 "reachable are refused in every spelling (http://127.0.0.1 and http://localhost are accepted "
                 "where the deployment allows them, in development).")
                 .length(1, 2048);
  auto types =
      Schema::array(Schema::string().one_of(subscribable()), "Event types, or [\"*\"] for all.").length(1, subscribable().size());
  auto description = Schema::string().length(0, 500).nullable();
  const Json endpoint = webhook_endpoint_object().example();
  const Json with_secret = webhook_endpoint_object().example(true);
  const Json attempt = webhook_attempt_object().example();
  return {
      {"POST",
       "/v1/webhook_endpoints",
       create_endpoint,
       {.id = "createWebhookEndpoint",
        .tag = tag,
        .summary = "Create a webhook endpoint",
        .description =
            "Events of the enabled types are POSTed to `url` with `Patomic-Signature: t=<unix>,v1=<hex>`, "
            "v1 = HMAC-SHA256(secret, \"<t>.<body>\"), as Stripe signs; the `whsec_` secret is shown once. "
            "Failed deliveries retry with backoff and jitter for 3.5 days or more, then go to the dead-letter queue and "
            "flag the endpoint; an endpoint failing for 5 days is disabled (event `webhook_endpoint.disabled`). "
            "Each event keeps its id across retries.",
        .body = Schema::object({required("url", url), required("enabled_events", types), optional("description", description)}),
        .replies = {{201, "The endpoint, with its secret (shown once).", Schema::ref("WebhookEndpoint"), with_secret}},
        .errors = {"resource_limit_reached"},
        .rules = endpoint_rules},
       "webhooks:write"},
      {"GET",
       "/v1/webhook_endpoints",
       list_endpoints,
       {.id = "listWebhookEndpoints",
        .tag = tag,
        .summary = "List webhook endpoints",
        .description = "Newest first.",
        .parameters = page_parameters(),
        .replies = {{200, "A page of endpoints.", list_of("WebhookEndpoint", "A page of webhook endpoints."),
                     list_example(endpoint)}},
        .errors = {"invalid_cursor"}},
       "webhooks:read"},
      {"GET",
       "/v1/webhook_endpoints/{id}",
       get_endpoint,
       {.id = "getWebhookEndpoint",
        .tag = tag,
        .summary = "Retrieve a webhook endpoint",
        .parameters = {id},
        .replies = {{200, "The endpoint.", Schema::ref("WebhookEndpoint"), endpoint}}},
       "webhooks:read"},
      {"PATCH",
       "/v1/webhook_endpoints/{id}",
       update_endpoint,
       {.id = "updateWebhookEndpoint",
        .tag = tag,
        .summary = "Update a webhook endpoint",
        .description = "Only the members sent change. `status: enabled` re-enables a disabled endpoint.",
        .parameters = {id},
        .body = Schema::object({optional("url", url), optional("enabled_events", types), optional("description", description),
                                optional("status", endpoint_status_schema())}),
        .replies = {{200, "The endpoint.", Schema::ref("WebhookEndpoint"), endpoint}},
        .rules = endpoint_rules},
       "webhooks:write"},
      {"DELETE",
       "/v1/webhook_endpoints/{id}",
       delete_endpoint,
       {.id = "deleteWebhookEndpoint",
        .tag = tag,
        .summary = "Delete a webhook endpoint",
        .description = "With its attempts; queued deliveries to it are dropped.",
        .parameters = {id},
        .replies = {{200,
                     "Deleted.",
                     Schema::object({required("object", Schema::string().one_of({"webhook_endpoint"})),
                                     required("id", Schema::string()), required("deleted", Schema::boolean())}),
                     {{"object", "webhook_endpoint"}, {"id", kExampleId}, {"deleted", true}}}}},
       "webhooks:write"},
      {"POST",
       "/v1/webhook_endpoints/{id}/roll_secret",
       roll_secret,
       {.id = "rollWebhookSecret",
        .tag = tag,
        .summary = "Roll an endpoint's secret",
        .description = "A new secret, shown once. The previous one keeps signing (a second `v1`) for `expires_in_seconds` "
                       "(default 86400, at most 7 days; 0 stops it now), so receivers can switch without losing events.",
        .parameters = {id},
        .body = Schema::object({grace_period_property("Grace period of the previous secret.")}),
        .replies = {{200, "The endpoint, with its new secret (shown once).", Schema::ref("WebhookEndpoint"), with_secret}}},
       "webhooks:write"},
      {"POST",
       "/v1/webhook_endpoints/{id}/test",
       send_test,
       {.id = "testWebhookEndpoint",
        .tag = tag,
        .summary = "Send a test event",
        .description = "Queues a `webhook_endpoint.test` event to the endpoint, signed and retried like any delivery; see "
                       "its attempts.",
        .parameters = {id},
        .replies = {{202,
                     "Queued.",
                     Schema::object({required("object", Schema::string().one_of({"webhook_test"})),
                                     required("endpoint_id", Schema::string()), required("event", Schema::any_object())}),
                     {{"object", "webhook_test"},
                      {"endpoint_id", kExampleId},
                      {"event",
                       {{"object", "event"},
                        {"id", "evt_0a1b2c3d4e5f60718293a4b5"},
                        {"type", "webhook_endpoint.test"},
                        {"created", 1795392000},
                        {"data", {{"object", "webhook_endpoint"}, {"id", kExampleId}}}}}}}}},
       "webhooks:write"},
      {"GET",
       "/v1/webhook_endpoints/{id}/attempts",
       list_attempts,
       {.id = "listWebhookAttempts",
        .tag = tag,
        .summary = "List an endpoint's delivery attempts",
        .description = "Newest first: each attempt's HTTP status (null when the receiver never answered), latency and error.",
        .parameters = page_parameters({id}),
        .replies = {{200, "A page of attempts.", list_of("WebhookAttempt", "A page of delivery attempts."),
                     list_example(attempt)}},
        .errors = {"invalid_cursor"}},
       "webhooks:read"},
  };
}

}  // namespace ptmc::api
