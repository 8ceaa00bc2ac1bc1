// Declared once in C++, a schema both validates input and becomes JSON Schema 2020-12 (the
// dialect of OpenAPI 3.1). Validation reports every violation, each with its param path
// ("scopes[1]"), so a client can fix them all at once.
#pragma once

#include "wasm/runtime/json.hpp"
#include "wasm/schema/violations.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::schema {

struct Property;
class Schema;
using Components = std::map<std::string, Schema, std::less<>>;

class Schema {
 public:
  enum class Type { string, integer, number, boolean, object, array, reference, any };

  static Schema string(std::string description = {});
  static Schema integer(std::string description = {});
  static Schema number(std::string description = {});  // any JSON number
  static Schema boolean(std::string description = {});
  static Schema date(std::string description = {});  // a calendar date, YYYY-MM-DD
  // A closed object: a member it does not declare is a violation.
  static Schema object(std::vector<Property> properties, std::string description = {});
  // An open object whose members are not described (free-form detail).
  static Schema any_object(std::string description = {});
  static Schema array(Schema items, std::string description = {});
  static Schema ref(std::string component);  // "#/components/schemas/<component>"
  static Schema any(std::string description = {});

  Schema describe(std::string text) const;
  Schema one_of(std::vector<std::string> values) const;  // enum of strings
  Schema length(size_t min, size_t max) const;           // strings
  Schema range(int64_t min, int64_t max) const;          // integers
  Schema nullable() const;
  Schema format(std::string name) const;  // documentation (uri, ...); "date" is checked
  Schema example(Json value) const;
  Schema fallback(Json value) const;  // JSON Schema "default"

  Type type() const { return type_; }
  const std::vector<Property>& properties() const { return properties_; }
  const std::string& description() const { return description_; }
  const Json& default_value() const { return default_; }

  Json to_json() const;
  // Checks a JSON value; refs resolve through `components` (a missing one is a violation).
  void check(const Json& value, const std::string& param, Violations& violations, const Components* components = nullptr) const;
  // Checks a query or path value, which arrives as text; nullopt when it does not parse.
  std::optional<Json> check_text(std::string_view text, const std::string& param, Violations& violations) const;

 private:
  Schema(Type type, std::string description);  // out of line: Property is incomplete here
  std::string expectation() const;             // "a string of at most 100 characters"

  Type type_ = Type::any;
  std::string description_;
  std::vector<Property> properties_;
  std::vector<Schema> items_;  // arrays: one element
  std::string ref_;
  std::vector<std::string> one_of_;
  std::optional<size_t> min_length_, max_length_;
  std::optional<int64_t> minimum_, maximum_;
  bool nullable_ = false;
  bool open_ = false;  // any_object: members not described
  std::string format_;
  Json example_;
  Json default_;
};

struct Property {
  std::string name;
  Schema schema;
  bool required = false;
};

inline Property required(std::string name, Schema schema) { return {std::move(name), std::move(schema), true}; }
inline Property optional(std::string name, Schema schema) { return {std::move(name), std::move(schema), false}; }

}  // namespace ptmc::schema
