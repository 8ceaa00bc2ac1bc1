// nlohmann_json, built exception-free everywhere (JSON_NOEXCEPTION comes from CMake) so the
// native tests exercise the same code paths as the module: check types before reading values.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ptmc {

using Json = nlohmann::json;

// Parses untrusted text; nullopt instead of an exception on malformed input.
inline std::optional<Json> parse_json(std::string_view text) {
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

// Text from outside (a request body, a cursor): checked for depth and width before it is
// parsed, so that nothing downstream (schema checks, copies, rendering) recurses or loops on
// more than these bounds allow. Depth counts nested arrays and objects; a top-level value is
// depth 1. nullopt with `problem` set when the text is malformed or out of bounds.
struct JsonBounds {
  size_t max_depth = 32;
  size_t max_members = 10'000;  // per array or object
};
std::optional<Json> parse_untrusted_json(std::string_view text, std::string& problem, JsonBounds bounds = {});

// Typed readers for validated access to untrusted objects.
inline const std::string* string_field(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

inline std::optional<int64_t> integer_field(const Json& object, const char* name) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  if (it->is_number_float()) {
    double value = it->get<double>();
    if (value != static_cast<double>(static_cast<int64_t>(value))) return std::nullopt;
    return static_cast<int64_t>(value);
  }
  return it->get<int64_t>();
}

// Serialises without throwing on invalid UTF-8 (replaced with U+FFFD).
inline std::string dump_json(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A JSON object written straight to text, member by member (a log line, an error envelope: on
// every request): no tree, no allocation per member. Text with bytes past ASCII goes through dump_json, which
// replaces invalid UTF-8.
class JsonLine {
 public:
  JsonLine& text(std::string_view name, std::string_view value);
  JsonLine& number(std::string_view name, int64_t value);
  JsonLine& null(std::string_view name);
  JsonLine& json(std::string_view name, std::string_view json_text);  // a member already written as JSON
  std::string finish() { return std::move(out_) + "}"; }

 private:
  void name(std::string_view name);
  void text_of(std::string_view value);
  std::string out_ = "{";
};

// A stored millisecond timestamp as the API's Unix seconds; null stays null.
inline Json seconds_or_null(const Json& milliseconds) {
  return milliseconds.is_number_integer() ? Json(milliseconds.get<int64_t>() / 1000) : Json();
}

}  // namespace ptmc
