#include "wasm/schema/object_type.hpp"

namespace ptmc::schema {
namespace {

bool every_instance_has(const Field& field) { return !field.column.empty() || field.always_added; }

Json parsed_text(const Json& text, bool array) {
  auto parsed = text.is_string() ? parse_json(text.get<std::string>()) : std::nullopt;
  if (parsed && (array ? parsed->is_array() : parsed->is_object())) return std::move(*parsed);
  return array ? Json::array() : Json::object();
}

// The JSON a column's text holds when it is of `type`, else `empty`, for json_object to embed.
std::string sql_json_of_type(const std::string& column, const char* type, const char* empty) {
  return "json(CASE WHEN json_valid(" + column + ") THEN (CASE json_type(" + column + ") WHEN '" + type + "' THEN " + column +
         " ELSE '" + empty + "' END) ELSE '" + empty + "' END)";
}

}  // namespace

const Conversion kSeconds{seconds_or_null, [](const std::string& column) {
                            return "CASE WHEN typeof(" + column + ") = 'integer' THEN " + column + " / 1000 END";
                          }};
const Conversion kJsonArray{[](const Json& text) { return parsed_text(text, true); },
                            [](const std::string& column) { return sql_json_of_type(column, "array", "[]"); }};
const Conversion kJsonObject{[](const Json& text) { return parsed_text(text, false); },
                             [](const std::string& column) { return sql_json_of_type(column, "object", "{}"); }};

ObjectType::ObjectType(std::string object, std::string description, std::vector<Field> fields)
    : object_(std::move(object)), description_(std::move(description)), fields_(std::move(fields)) {
  bool sql_renders = true;
  json_select_ = "json_object('object', '" + object_ + "'";
  for (const auto& field : fields_) {
    if (field.column.empty()) continue;
    select_list_ += (select_list_.empty() ? "" : ", ") + field.column + " AS " + field.name;
    bool converted_in_sql = field.convert && field.convert->sql;
    json_select_ += ", '" + field.name + "', " + (converted_in_sql ? field.convert->sql(field.column) : field.column);
    sql_renders = sql_renders && (!field.convert || converted_in_sql);
  }
  json_select_ = sql_renders ? json_select_ + ")" : "";
}

Json ObjectType::render(const Json& row) const {
  Json out = {{"object", object_}};
  for (const auto& field : fields_) {
    if (field.column.empty()) continue;
    Json value = row.value(field.name, Json());
    out[field.name] = field.convert ? field.convert->render(value) : std::move(value);
  }
  return out;
}

std::vector<Property> ObjectType::properties() const {
  std::vector<Property> properties = {required("object", Schema::string().one_of({object_}))};
  for (const auto& field : fields_)
    properties.push_back(every_instance_has(field) ? required(field.name, field.schema) : optional(field.name, field.schema));
  return properties;
}

Schema ObjectType::schema() const { return Schema::object(properties(), description_); }

Json ObjectType::example(bool with_added) const {
  Json out = {{"object", object_}};
  for (const auto& field : fields_)
    if (with_added || every_instance_has(field)) out[field.name] = field.example;
  return out;
}

}  // namespace ptmc::schema
