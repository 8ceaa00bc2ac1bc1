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

const schema::ObjectType& event_object() {
  using schema::Schema;
  static const schema::ObjectType event(
      "event", "A change: written in the same transaction as the change itself.",
      {{"id", Schema::string("evt_ and 24 hex digits."), "id", "evt_5f1c2a9b8e7d6c5b4a392817"},
       {"type", Schema::string().one_of(type_names()), "type", "assignment.recorded"},
       {"created", Schema::integer("Unix seconds."), "created_at", 1451613605, &schema::kSeconds},
       {"data",
        Schema::any_object("The thing that changed, as the event type says."),
        "data",
        {{"object", "assignment"}, {"id", "37388-92"}, {"conveyance_type", "merger"}, {"recorded_date", "2015-12-30"}},
        &schema::kJsonObject}});
  return event;
}

Json to_json(const Json& row) { return event_object().render(row); }

d1::Statement record(std::string_view type, Json org_id, int64_t now_ms, Json data, std::string when_sql,
                     std::vector<Json> when_params) {
  d1::Statement statement{std::string(kInsertSql) + "?1, ?2, ?3, ?4" + (when_sql.empty() ? "" : " WHERE " + when_sql),
                          {std::move(org_id), std::string(type), now_ms, dump_json(data)}};
  for (auto& param : when_params) statement.params.push_back(std::move(param));
  return statement;
}

}  // namespace ptmc::events
