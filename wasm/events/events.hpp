// Events: rows written in the same D1 batch as the change they describe, so a change and its
// event commit together or not at all, numbered by `seq` in commit order (migrations/0010).
// GET /v1/events lists them; webhooks and the firehose deliver them, all reading by seq.
#pragma once

#include "bindings/d1.hpp"
#include "wasm/schema/object_type.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ptmc::events {

inline constexpr int64_t kRetentionMs = 30LL * 24 * 3'600'000;

// Every type this API emits, and the scope a key needs (besides events:read) to see it:
// patent data and finished loads are everyone's; keys, portfolios and endpoints only their
// organisation's admins and members as their scopes allow; failed loads only the operators'
// (they are written to the platform's organisation).
struct EventType {
  std::string_view name;
  std::string_view scope;  // empty: events:read is enough
};
inline constexpr EventType kTypes[] = {
    {"patent.created", ""},
    {"patent.updated", ""},
    {"assignment.recorded", ""},
    {"portfolio.patent.assigned", "portfolios:read"},
    {"maintenance.status_changed", ""},
    {"ingestion.job.completed", ""},
    {"ingestion.job.failed", "ingestion:read"},
    {"ingestion.source.unauthorized", "ingestion:read"},  // the origin refused its key (401, 403)
    {"key.created", "keys:read"},
    {"key.revoked", "keys:read"},
    {"webhook_endpoint.disabled", "webhooks:read"},
};
inline constexpr std::string_view kReadScope = "events:read";

std::vector<std::string> type_names();
// The types a key holding `scopes` may see; none without events:read.
std::vector<std::string> visible_types(const std::vector<std::string>& scopes);

// The head of every events insert, with the new row's id made by D1 per row: the SELECT goes on
// with org_id, type, created_at and data.
inline constexpr const char* kInsertSql =
    "INSERT INTO events (id, org_id, type, created_at, data) SELECT 'evt_' || lower(hex(randomblob(12))), ";

// The event object, as /v1/events, webhooks and the stream show it; to_json renders a row its
// select_list() read.
const schema::ObjectType& event_object();
Json to_json(const Json& row);

// One event. `org_id` null for patent data and ingestion. `when_sql` (after WHERE; empty:
// always) decides within the batch whether the change happened; it may use ?5 onwards, given
// in `when_params`.
d1::Statement record(std::string_view type, Json org_id, int64_t now_ms, Json data, std::string when_sql = "",
                     std::vector<Json> when_params = {});

}  // namespace ptmc::events
