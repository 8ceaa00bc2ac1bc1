// Events: rows written in the same D1 batch as the change they describe, so a change and its
// event commit together or not at all. GET /v1/events lists them; webhooks and the firehose
// (issue #7's next steps) deliver them.
#pragma once

#include "bindings/d1.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ptmc::events {

inline constexpr int64_t kRetentionMs = 30LL * 24 * 3'600'000;

// Every type this API emits.
inline const std::vector<std::string> kTypes = {
    "patent.created",          "patent.updated",         "assignment.recorded",    "portfolio.patent.assigned",
    "maintenance.status_changed", "ingestion.job.completed", "ingestion.job.failed", "key.created",
    "key.revoked",             "webhook_endpoint.disabled"};

// SQL for a new event id, evaluated by D1 per row.
inline constexpr const char* kNewIdSql = "'evt_' || lower(hex(randomblob(12)))";

// An events row (id, type, created_at, data) as the API and webhooks show it.
Json to_json(const Json& row);

// One event. `org_id` null for patent data and ingestion. `when_sql` (after WHERE; empty:
// always) decides within the batch whether the change happened; it may use ?5 onwards, given
// in `when_params`.
d1::Statement record(std::string_view type, Json org_id, int64_t now_ms, Json data, std::string when_sql = "",
                     std::vector<Json> when_params = {});

}  // namespace ptmc::events
