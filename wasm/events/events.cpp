#include "wasm/events/events.hpp"

namespace ptmc::events {

Json to_json(const Json& row) {
  auto data = parse_json(row.value("data", "{}"));
  return {{"object", "event"},
          {"id", row["id"]},
          {"type", row["type"]},
          {"created", row["created_at"].get<int64_t>() / 1000},
          {"data", data && data->is_object() ? *data : Json::object()}};
}

d1::Statement record(std::string_view type, Json org_id, int64_t now_ms, Json data, std::string when_sql,
                     std::vector<Json> when_params) {
  d1::Statement statement{std::string("INSERT INTO events (id, org_id, type, created_at, data) SELECT ") + kNewIdSql +
                              ", ?1, ?2, ?3, ?4" + (when_sql.empty() ? "" : " WHERE " + when_sql),
                          {std::move(org_id), std::string(type), now_ms, dump_json(data)}};
  for (auto& param : when_params) statement.params.push_back(std::move(param));
  return statement;
}

}  // namespace ptmc::events
