// The API's routes, one table per concern, each declared next to its handlers: every handler
// reads top to bottom as straight-line co_await code, and every route declares its operation.
#pragma once

#include "bindings/d1.hpp"
#include "wasm/http/router.hpp"
#include "wasm/schema/object_type.hpp"

#include <span>
#include <vector>

namespace ptmc::api {

// The calling key's organisation (authenticated routes), and a route's validated {id}.
inline const std::string& org_of(const RequestContext& context) { return context.principal->org_id; }
inline std::string path_id(const RequestContext& context) { return context.query.value("id", ""); }

// A rolled secret (an API key's, a webhook endpoint's) leaves the old one working for a grace
// period: the body's `expires_in_seconds`, 24 h unless it says otherwise, 0 (ends it now) to 7 days.
inline constexpr int64_t kDefaultGraceSeconds = 24 * 3600;
inline constexpr int64_t kMaxGraceSeconds = 7 * 24 * 3600;
inline schema::Property grace_period_property(std::string description) {
  return schema::optional(
      "expires_in_seconds",
      schema::Schema::integer(std::move(description)).range(0, kMaxGraceSeconds).fallback(kDefaultGraceSeconds));
}
inline int64_t grace_period_seconds(const RequestContext& context) {
  return context.body.value("expires_in_seconds", kDefaultGraceSeconds);
}

// A list answer of the request's page from `rows`, up to limit + 1 of them (wasm/http/pagination.hpp).
template <class SortKey, class Render>
Json list_json(const RequestContext& context, const Json& rows, SortKey sort_key, Render render) {
  return ptmc::list_json(context.config, context.page, rows, std::move(sort_key), std::move(render));
}

// A list whose items SQLite rendered: "SELECT " + item_columns(object, keys) selects each row's
// JSON (as kItemColumn) and the columns its keyset needs; items_query() sends it so that the JSON
// travels untouched; items_response() answers the request's page of it.
inline std::string item_columns(const schema::ObjectType& object, const std::string& keys) {
  return object.json_select() + " AS " + kItemColumn + ", " + keys;
}
inline d1::Statement items_query(std::string sql, Json params) { return {std::move(sql), std::move(params), kItemColumn}; }
template <class SortKey>
http::Response items_response(const RequestContext& context, const Json& rows, SortKey sort_key) {
  return http::json_text_response(200, items_list(context.config, context.page, rows, std::move(sort_key)));
}

// Every route, in reference order.
std::span<const Route> routes();

std::vector<Route> health_routes();          // api/health.cpp: /livez, /readyz, /health
std::vector<Route> key_routes();             // api/keys.cpp: /v1/me, /v1/keys, /v1/audit-log
std::vector<Route> patent_routes();          // api/patents.cpp: /v1/patents
std::vector<Route> patent_record_routes();   // api/patent_records.cpp: a patent's citations, assignments, ownership, fees
std::vector<Route> document_routes();        // api/documents.cpp: a patent's full text and PDF
std::vector<Route> search_routes();          // api/search.cpp: /v1/search
std::vector<Route> assignee_routes();        // api/assignees.cpp: /v1/assignees
std::vector<Route> classification_routes();  // api/classification.cpp: /v1/cpc
std::vector<Route> portfolio_routes();       // api/portfolios.cpp: /v1/portfolios
std::vector<Route> ingestion_routes();       // api/ingestion.cpp: /v1/ingestion
std::vector<Route> event_routes();           // api/events.cpp: /v1/events
std::vector<Route> webhook_routes();         // api/webhooks.cpp: /v1/webhook_endpoints
std::vector<Route> reference_routes();       // api/reference.cpp: /v1/openapi.json, /docs
std::vector<Route> debug_routes();           // api/debug.cpp: dev and test probes, when PATOMIC_DEBUG_ROUTES is set

// Objects declared in their route group's file (more in patents.hpp, portfolios.hpp,
// webhooks.hpp, ingestion.hpp and accounts/keys.hpp).
const schema::ObjectType& key_context_object();    // api/keys.cpp
const schema::ObjectType& audit_event_object();    // api/keys.cpp
const schema::ObjectType& assignee_object();       // api/assignees.cpp
const schema::ObjectType& cpc_code_object();       // api/classification.cpp
const schema::ObjectType& search_result_object();  // api/search.cpp

// The public objects the operations answer with (api/components.cpp), by component name.
const schema::Components& components();

}  // namespace ptmc::api
