// /v1/events: what changed, newest first, for 30 days. Patent data and ingestion events are
// everyone's; key and portfolio events only their organisation's.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/events/events.hpp"

#include <algorithm>

namespace ptmc::api {
namespace {

using schema::Schema;

// The event types this key may read (wasm/events/events.hpp), as a JSON array for SQL.
std::vector<std::string> readable(const RequestContext& context) { return events::visible_types(context.principal->scopes); }

void type_rules(const RequestContext& context, Violations& violations) {
  const auto* type = string_field(context.query, "type");
  auto types = readable(context);
  if (type && std::find(types.begin(), types.end(), *type) == types.end())
    violations.add("type", "'" + *type + "' events are not readable with this key's scopes");
}

Task<http::Response> list_events(RequestContext& context) {
  const auto* type = string_field(context.query, "type");
  const Page& page = context.page;
  // The platform's events and the organisation's, each read newest first along its own index
  // (org_id, seq) and merged: one page costs the same at any depth.
  Json params = Json::array({page.limit + 1, org_of(context), dump_json(readable(context))});
  std::string where = "type IN (SELECT value FROM json_each(?3))";
  if (type) {
    params.push_back(*type);
    where += " AND type = ?" + std::to_string(params.size());
  }
  if (page.after) {
    params.push_back((*page.after)[0]);
    where += " AND seq < ?" + std::to_string(params.size());
  }
  const std::string columns = "SELECT " + item_columns(events::event_object(), "seq") + " FROM events WHERE ";
  auto result = co_await d1::all(items_query(columns + "org_id IS NULL AND " + where + " UNION ALL " + columns +
                                                 "org_id = ?2 AND " + where + " ORDER BY seq DESC LIMIT ?1",
                                             std::move(params)));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["seq"]}); });
}

// The WebSocket: authenticated here like any route, then handed to the Firehose object with its
// cursor and what the key may see (its organisation, the types its scopes read) and the key's
// id, by which the object closes the stream once the key is revoked or expires.
Task<http::Response> stream_events(RequestContext& context) {
  if (http::lower_ascii(context.request.headers.get("upgrade").value_or("")) != "websocket")
    co_return context.fail(errors::websocket_required());
  std::string types;
  for (const auto& type : readable(context)) types += (types.empty() ? "" : ",") + type;
  http::Response response{101};
  response.forward = http::Forward{"FIREHOSE", "events",
                                   "/stream?cursor=" + std::to_string(context.query.value("cursor", int64_t(0))) +
                                       "&org=" + org_of(context) + "&key=" + context.principal->key_id + "&types=" + types};
  co_return response;
}

}  // namespace

std::vector<Route> event_routes() {
  const Json example = events::event_object().example();
  return {
      {"GET",
       "/v1/events",
       list_events,
       {.id = "listEvents",
        .tag = "Events",
        .summary = "List events",
        .description = "Newest first in the order they were committed, kept 30 days: `patent.created` and `patent.updated` "
                       "(a loaded grant or publication that is new or whose content changed), `assignment.recorded`, "
                       "`maintenance.status_changed` (a new fee event) and `ingestion.job.completed`, which every key with "
                       "`events:read` sees; `portfolio.patent.assigned` (a new assignment names a patent in one of your "
                       "portfolios; needs `portfolios:read`), `key.created` and `key.revoked` (needs `keys:read`), "
                       "`webhook_endpoint.disabled` (needs `webhooks:read`), your organisation's only; "
                       "`ingestion.job.failed` and `ingestion.source.unauthorized` (an origin refused its key), platform "
                       "operators only. Each is written in the same transaction as its change.",
        .parameters = page_parameters({schema::query_param("type", Schema::string().one_of(events::type_names()))}),
        .replies = {{200, "A page of events.", list_of("Event", "A page of events."), list_example(example)}},
        .errors = {"invalid_cursor"},
        .rules = type_rules},
       events::kReadScope},
      {"GET",
       "/v1/events/stream",
       stream_events,
       {.id = "streamEvents",
        .tag = "Events",
        .summary = "Stream events over a WebSocket",
        .description = "A WebSocket (send `Upgrade: websocket` and your key as for any route). Every event your key may see "
                       "(as `GET /v1/events` lists them) is one text frame `{\"seq\": n, \"event\": {…}}`, `seq` increasing "
                       "by event: first those after `cursor` (kept 30 days), in order, then new ones as they happen. "
                       "Reconnect with the last `seq` you received to miss nothing and get nothing twice. The stream of a "
                       "key that is revoked or expires is closed (4401) within the key cache's TTL (60 s by default).",
        .parameters = {schema::query_param(
            "cursor", Schema::integer("The last seq received; 0 for everything kept.").range(0, INT64_MAX).fallback(0))},
        .replies = {{101, "Switching Protocols: the stream.", Schema::any("A WebSocket, not a body."), nullptr}},
        .errors = {"websocket_required"}},
       events::kReadScope},
  };
}

}  // namespace ptmc::api
