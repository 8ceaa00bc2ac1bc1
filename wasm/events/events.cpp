#include "wasm/events/events.hpp"

#include <algorithm>

namespace ptmc::events {

std::vector<std::string> type_names() {
  std::vector<std::string> names;
  for (const auto& type : kTypes) names.emplace_back(type.name);
  return names;
}

std::vector<std::string> visible_types(const std::vector<std::string>& scopes) {
  auto holds = [&](std::string_view scope) { return std::find(scopes.begin(), scopes.end(), scope) != scopes.end(); };
  std::vector<std::string> names;
  if (!holds(kReadScope)) return names;
  for (const auto& type : kTypes)
    if (type.scope.empty() || holds(type.scope)) names.emplace_back(type.name);
  return names;
}

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
  d1::Statement statement{std::string(kInsertSql) + "?1, ?2, ?3, ?4" + (when_sql.empty() ? "" : " WHERE " + when_sql),
                          {std::move(org_id), std::string(type), now_ms, dump_json(data)}};
  for (auto& param : when_params) statement.params.push_back(std::move(param));
  return statement;
}

}  // namespace ptmc::events
