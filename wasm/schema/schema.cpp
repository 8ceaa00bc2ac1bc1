#include "wasm/schema/schema.hpp"

#include <charconv>

namespace ptmc::schema {
namespace {

std::string quoted_list(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "'" : ", '") + value + "'";
  return text;
}

const char* json_type(Schema::Type type) {
  switch (type) {
    case Schema::Type::string:
      return "string";
    case Schema::Type::integer:
      return "integer";
    case Schema::Type::number:
      return "number";
    case Schema::Type::boolean:
      return "boolean";
    case Schema::Type::object:
      return "object";
    case Schema::Type::array:
      return "array";
    default:
      return nullptr;
  }
}

bool has_type(const Json& value, Schema::Type type) {
  switch (type) {
    case Schema::Type::string:
      return value.is_string();
    case Schema::Type::integer:  // within int64, as SQLite and JavaScript's safe range need
      return value.is_number_integer() && !(value.is_number_unsigned() && value.get<uint64_t>() > INT64_MAX);
    case Schema::Type::number:
      return value.is_number();
    case Schema::Type::boolean:
      return value.is_boolean();
    case Schema::Type::object:
      return value.is_object();
    case Schema::Type::array:
      return value.is_array();
    default:
      return true;
  }
}

// YYYY-MM-DD naming a day that exists (leap years included).
bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  auto number = [&](size_t at, size_t count) {
    int value = 0;
    for (size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 && day >= 1 && day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string member_param(const std::string& parent, std::string_view name) {
  return parent.empty() || parent == "body" ? std::string(name) : parent + "[" + std::string(name) + "]";
}

}  // namespace

Schema::Schema(Type type, std::string description) : type_(type), description_(std::move(description)) {}

Schema Schema::string(std::string description) { return {Type::string, std::move(description)}; }
Schema Schema::integer(std::string description) { return {Type::integer, std::move(description)}; }
Schema Schema::number(std::string description) { return {Type::number, std::move(description)}; }
Schema Schema::boolean(std::string description) { return {Type::boolean, std::move(description)}; }
Schema Schema::any(std::string description) { return {Type::any, std::move(description)}; }
Schema Schema::date(std::string description) { return string(std::move(description)).format("date"); }

Schema Schema::any_object(std::string description) {
  Schema schema{Type::object, std::move(description)};
  schema.open_ = true;
  return schema;
}

Schema Schema::object(std::vector<Property> properties, std::string description) {
  Schema schema{Type::object, std::move(description)};
  schema.properties_ = std::move(properties);
  return schema;
}

Schema Schema::array(Schema items, std::string description) {
  Schema schema{Type::array, std::move(description)};
  schema.items_.push_back(std::move(items));
  return schema;
}

Schema Schema::ref(std::string component) {
  Schema schema{Type::reference, {}};
  schema.ref_ = std::move(component);
  return schema;
}

Schema Schema::describe(std::string text) const {
  Schema schema = *this;
  schema.description_ = std::move(text);
  return schema;
}

Schema Schema::one_of(std::vector<std::string> values) const {
  Schema schema = *this;
  schema.one_of_ = std::move(values);
  return schema;
}

Schema Schema::length(size_t min, size_t max) const {
  Schema schema = *this;
  schema.min_length_ = min;
  schema.max_length_ = max;
  return schema;
}

Schema Schema::range(int64_t min, int64_t max) const {
  Schema schema = *this;
  schema.minimum_ = min;
  schema.maximum_ = max;
  return schema;
}

Schema Schema::nullable() const {
  Schema schema = *this;
  schema.nullable_ = true;
  return schema;
}

Schema Schema::format(std::string name) const {
  Schema schema = *this;
  schema.format_ = std::move(name);
  return schema;
}

Schema Schema::example(Json value) const {
  Schema schema = *this;
  schema.example_ = std::move(value);
  return schema;
}

Schema Schema::fallback(Json value) const {
  Schema schema = *this;
  schema.default_ = std::move(value);
  return schema;
}

Json Schema::to_json() const {
  Json out = Json::object();
  if (type_ == Type::reference) {
    out["$ref"] = "#/components/schemas/" + ref_;
    return out;
  }
  if (const char* name = json_type(type_)) out["type"] = nullable_ ? Json::array({name, "null"}) : Json(name);
  if (!description_.empty()) out["description"] = description_;
  if (!format_.empty()) out["format"] = format_;
  if (!one_of_.empty()) {
    out["enum"] = one_of_;
    if (nullable_) out["enum"].push_back(nullptr);
  }
  if (min_length_) out[type_ == Type::array ? "minItems" : "minLength"] = *min_length_;
  if (max_length_) out[type_ == Type::array ? "maxItems" : "maxLength"] = *max_length_;
  if (minimum_) out["minimum"] = *minimum_;
  if (maximum_) out["maximum"] = *maximum_;
  if (type_ == Type::array) out["items"] = items_.front().to_json();
  if (type_ == Type::object && !open_) {
    Json properties = Json::object();
    Json required = Json::array();
    for (const auto& property : properties_) {
      properties[property.name] = property.schema.to_json();
      if (property.required) required.push_back(property.name);
    }
    out["properties"] = std::move(properties);
    if (!required.empty()) out["required"] = std::move(required);
    out["additionalProperties"] = false;
  }
  if (!default_.is_null()) out["default"] = default_;
  if (!example_.is_null()) out["examples"] = Json::array({example_});
  return out;
}

std::string Schema::expectation() const {
  if (!one_of_.empty()) return "one of " + quoted_list(one_of_);
  switch (type_) {
    case Type::string:
      if (format_ == "date") return "a date (YYYY-MM-DD)";
      if (min_length_ && max_length_)
        return *min_length_ == 0
                   ? "a string of at most " + std::to_string(*max_length_) + " characters"
                   : "a string of " + std::to_string(*min_length_) + " to " + std::to_string(*max_length_) + " characters";
      return "a string";
    case Type::integer:
      if (minimum_ && maximum_) return "an integer from " + std::to_string(*minimum_) + " to " + std::to_string(*maximum_);
      return "an integer";
    case Type::number:
      return "a number";
    case Type::boolean:
      return "true or false";
    case Type::object:
      return "a JSON object";
    case Type::array:
      if (max_length_) return "an array of at most " + std::to_string(*max_length_) + " items";
      return "an array";
    default:
      return "a value";
  }
}

void Schema::check(const Json& value, const std::string& param, Violations& violations, const Components* components) const {
  if (type_ == Type::reference) {
    auto found = components ? components->find(ref_) : Components::const_iterator();
    if (!components || found == components->end()) return violations.add(param, "has an undeclared schema '" + ref_ + "'");
    return found->second.check(value, param, violations, components);
  }
  if (value.is_null() && nullable_) return;
  std::string must_be = "must be " + expectation();
  if (!has_type(value, type_)) return violations.add(param, must_be);
  if (!one_of_.empty() && std::find(one_of_.begin(), one_of_.end(), value.get<std::string>()) == one_of_.end())
    return violations.add(param, must_be);
  if (type_ == Type::string) {
    const auto& text = value.get_ref<const std::string&>();
    bool fits = (!min_length_ || text.size() >= *min_length_) && (!max_length_ || text.size() <= *max_length_);
    if (!fits || (format_ == "date" && !is_date(text))) violations.add(param, must_be);
  } else if (type_ == Type::integer) {
    int64_t number = value.get<int64_t>();
    if ((minimum_ && number < *minimum_) || (maximum_ && number > *maximum_)) violations.add(param, must_be);
  } else if (type_ == Type::array) {
    if ((min_length_ && value.size() < *min_length_) || (max_length_ && value.size() > *max_length_))
      return violations.add(param, must_be);
    for (size_t i = 0; i < value.size(); ++i)
      items_.front().check(value[i], param + "[" + std::to_string(i) + "]", violations, components);
  } else if (type_ == Type::object && !open_) {
    for (const auto& item : value.items())
      if (std::none_of(properties_.begin(), properties_.end(), [&](const Property& p) { return p.name == item.key(); }))
        violations.add(member_param(param, item.key()), "is not a parameter of this endpoint");
    for (const auto& property : properties_) {
      auto member = value.find(property.name);
      if (member != value.end()) property.schema.check(*member, member_param(param, property.name), violations, components);
      else if (property.required) violations.add(member_param(param, property.name), "is required");
    }
  }
}

std::optional<Json> Schema::check_text(std::string_view text, const std::string& param, Violations& violations) const {
  Json value;
  if (type_ == Type::integer) {
    int64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) {
      violations.add(param, "must be " + expectation());
      return std::nullopt;
    }
    value = number;
  } else if (type_ == Type::boolean) {
    if (text != "true" && text != "false") {
      violations.add(param, "must be true or false");
      return std::nullopt;
    }
    value = text == "true";
  } else {
    value = std::string(text);
  }
  size_t before = violations.size();
  check(value, param, violations);
  if (violations.size() != before) return std::nullopt;
  return value;
}

}  // namespace ptmc::schema
