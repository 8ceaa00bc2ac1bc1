// A public object declared once: its name and each field with its schema, the SQL that selects
// it and an example. The SELECT list, the renderer, the OpenAPI component and the example all
// come from the declaration, so a field is added, renamed or retyped in one place.
#pragma once

#include "wasm/schema/schema.hpp"

#include <string>
#include <vector>

namespace ptmc::schema {

// How a column's value becomes what the API answers: in C++ (ObjectType::render) and, when
// SQLite can do the same, as SQL around the column (ObjectType::json_select).
struct Conversion {
  Json (*render)(const Json& value);
  std::string (*sql)(const std::string& column) = nullptr;  // none: only render() can
};
extern const Conversion kSeconds;     // stored milliseconds as Unix seconds; null stays null
extern const Conversion kJsonArray;   // JSON text holding an array (a key's scopes); [] otherwise
extern const Conversion kJsonObject;  // JSON text holding an object (an event's data); {} otherwise

struct Field {
  std::string name;
  Schema schema;
  // SQL that selects it, in the list's FROM ("p.title"); answered as `name`. Empty: not read
  // from SQL but added by the handler when it has one (a secret shown once), so optional.
  std::string column;
  Json example;
  // What the column holds, as the API answers it (milliseconds as seconds); none: as it is.
  const Conversion* convert = nullptr;
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
  // "json_object('object', 'patent', 'number', p.number, ...)": the same rendering done by
  // SQLite, so that a row's JSON reaches the response as SQLite wrote it (select it as a
  // d1::Statement's `lines` column). Empty when a field's conversion has no SQL form.
  const std::string& json_select() const { return json_select_; }
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
  std::string json_select_;
};

}  // namespace ptmc::schema
