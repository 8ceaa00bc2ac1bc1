#include "wasm/schema/object_type.hpp"

namespace ptmc::schema {
namespace {

bool every_instance_has(const Field& field) { return !field.column.empty() || field.always_added; }

}  // namespace

ObjectType::ObjectType(std::string object, std::string description, std::vector<Field> fields)
    : object_(std::move(object)), description_(std::move(description)), fields_(std::move(fields)) {
  for (const auto& field : fields_)
    if (!field.column.empty()) select_list_ += (select_list_.empty() ? "" : ", ") + field.column + " AS " + field.name;
}

Json ObjectType::render(const Json& row) const {
  Json out = {{"object", object_}};
  for (const auto& field : fields_) {
    if (field.column.empty()) continue;
    Json value = row.value(field.name, Json());
    out[field.name] = field.convert ? field.convert(value) : std::move(value);
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
