// A public object declared once: its name and each field with its schema, the SQL that selects
// it and an example. The SELECT list, the renderer, the OpenAPI component and the example all
// come from the declaration, so a field is added, renamed or retyped in one place.
#pragma once

#include "wasm/schema/schema.hpp"

#include <string>
#include <vector>

namespace ptmc::schema {

struct Field {
  std::string name;
  Schema schema;
  // SQL that selects it, in the list's FROM ("p.title"); answered as `name`. Empty: not read
  // from SQL but added by the handler when it has one (a secret shown once), so optional.
  std::string column;
  Json example;
  // What the column holds, as the API answers it (milliseconds as seconds); none: as it is.
  Json (*convert)(const Json& value) = nullptr;
  // Without a column: the handler adds it to every instance (an assignment's parties), so required.
  bool always_added = false;
};

// A field every instance has that the handler adds, not read from SQL.
inline Field added_field(std::string name, Schema schema, Json example) {
  return {std::move(name), std::move(schema), "", std::move(example), nullptr, true};
}

class ObjectType {
 public:
  // `object` is the value of every instance's "object" member ("patent").
  ObjectType(std::string object, std::string description, std::vector<Field> fields);

  // "p.number AS number, p.title AS title, ...": every field, named as the API names it.
  const std::string& select_list() const { return select_list_; }
  // A row that select_list() selected, as the API answers it: {"object": ..., field: value, ...}.
  Json render(const Json& row) const;
  // The closed object schema (the OpenAPI component): "object" and every field, required when
  // read from SQL or always added.
  Schema schema() const;
  // The schema's properties, for objects that extend this one.
  std::vector<Property> properties() const;
  // One instance made of the fields' examples: those every instance has, or all of them.
  Json example(bool with_added = false) const;

 private:
  std::string object_;
  std::string description_;
  std::vector<Field> fields_;
  std::string select_list_;  // made once: every read of the object sends it
};

}  // namespace ptmc::schema
