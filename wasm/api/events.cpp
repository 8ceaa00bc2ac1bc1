// /v1/events: what changed, newest first, for 30 days. Patent data and ingestion events are
// everyone's; key and portfolio events only their organisation's.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/pagination.hpp"
#include "wasm/events/events.hpp"

namespace ptmc::api {
namespace {

using schema::Schema;

Task<http::Response> list_events(RequestContext& context) {
  const auto* type = string_field(context.query, "type");
  Violations violations;
  auto page = read_page(context, std::string("type=") + (type ? *type : ""), violations);
  if (!violations.empty()) co_return context.fail(violations.error());
  auto result = co_await d1::all(
      {"SELECT id, type, created_at, data FROM events WHERE (org_id IS NULL OR org_id = ?2) AND (?3 IS NULL OR type = ?3) "
       "AND (?4 IS NULL OR (created_at, id) < (?4, ?5)) ORDER BY created_at DESC, id DESC LIMIT ?1",
       {page.limit + 1, context.principal->org_id, type ? Json(*type) : Json(), page.after ? (*page.after)[0] : Json(),
        page.after ? (*page.after)[1] : Json()}});
  co_return http::json_response(200, list_json(context, result.rows, page,
                                               [](const Json& row) { return Json::array({row["created_at"], row["id"]}); },
                                               events::to_json));
}

// The WebSocket: authenticated here like any route, then handed with its cursor and the
// caller's organisation to the Firehose object, which replays and then streams.
Task<http::Response> stream_events(RequestContext& context) {
  if (http::lower_ascii(context.request.headers.get("upgrade").value_or("")) != "websocket")
    co_return context.fail(errors::websocket_required());
  http::Response response{101};
  response.forward = http::Forward{"FIREHOSE", "events",
                                   "/stream?cursor=" + std::to_string(context.query.value("cursor", int64_t(0))) + "&org=" +
                                       org_of(context)};
  co_return response;
}

}  // namespace

std::vector<Route> event_routes() {
  const Json example = {{"object", "event"},
                        {"id", "evt_5f1c2a9b8e7d6c5b4a392817"},
                        {"type", "assignment.recorded"},
                        {"created", 1451613605},
                        {"data", {{"object", "assignment"}, {"id", "37388-92"}, {"conveyance_type", "merger"},
                                  {"recorded_date", "2015-12-30"}}}};
  return {
      {"GET", "/v1/events", list_events,
       {.id = "listEvents", .tag = "Events", .summary = "List events",
        .description = "Newest first, kept 30 days: `patent.created` and `patent.updated` (a loaded grant or publication "
                       "that is new or whose content changed), `assignment.recorded`, `portfolio.patent.assigned` (a new "
                       "assignment names a patent in one of your portfolios), `maintenance.status_changed` (a new fee "
                       "event), `ingestion.job.completed` and `.failed`, `key.created` and `key.revoked` (your "
                       "organisation's). Each is written in the same transaction as its change.",
        .parameters = page_parameters({schema::query_param("type", Schema::string().one_of(events::kTypes))}),
        .replies = {{200, "A page of events.", list_of("Event", "A page of events."), list_example(example)}},
        .errors = {"invalid_cursor"}}},
      {"GET", "/v1/events/stream", stream_events,
       {.id = "streamEvents", .tag = "Events", .summary = "Stream events over a WebSocket",
        .description = "A WebSocket (send `Upgrade: websocket` and your key as for any route). Every event your key may see "
                       "is one text frame `{\"seq\": n, \"event\": {…}}`, `seq` increasing by event: first those after "
                       "`cursor` (kept 30 days), in order, then new ones as they happen. Reconnect with the last `seq` you "
                       "received to miss nothing and get nothing twice.",
        .parameters = {schema::query_param("cursor", Schema::integer("The last seq received; 0 for everything kept.")
                                                         .range(0, INT64_MAX).fallback(0))},
        .replies = {{101, "Switching Protocols: the stream.", Schema::any("A WebSocket, not a body."), nullptr}},
        .errors = {"websocket_required"}}},
  };
}

}  // namespace ptmc::api
