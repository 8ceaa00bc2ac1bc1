#include "wasm/runtime/json.hpp"

#include <vector>

namespace ptmc {
namespace {

// One pass over the text that tracks strings, nesting and commas only; the parser judges the
// rest. Iterative, and its memory is bounded by max_depth.
std::string out_of_bounds(std::string_view text, JsonBounds bounds) {
  std::vector<size_t> members;  // per open container: commas seen so far
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (members.size() == bounds.max_depth) return "nests deeper than " + std::to_string(bounds.max_depth) + " levels";
      members.push_back(0);
    } else if (c == ']' || c == '}') {
      if (!members.empty()) members.pop_back();
    } else if (c == ',' && !members.empty() && ++members.back() >= bounds.max_members) {
      return "has an array or object of more than " + std::to_string(bounds.max_members) + " members";
    }
  }
  return {};
}

}  // namespace

std::optional<Json> parse_untrusted_json(std::string_view text, std::string& problem, JsonBounds bounds) {
  problem = out_of_bounds(text, bounds);
  if (!problem.empty()) return std::nullopt;
  auto parsed = parse_json(text);
  if (!parsed) problem = "is not valid JSON";
  return parsed;
}

void JsonLine::name(std::string_view name) {
  if (out_.size() > 1) out_ += ',';
  text_of(name);
  out_ += ':';
}

JsonLine& JsonLine::text(std::string_view member, std::string_view value) {
  name(member);
  text_of(value);
  return *this;
}

JsonLine& JsonLine::number(std::string_view member, int64_t value) {
  name(member);
  out_ += std::to_string(value);
  return *this;
}

JsonLine& JsonLine::null(std::string_view member) {
  name(member);
  out_ += "null";
  return *this;
}

JsonLine& JsonLine::json(std::string_view member, std::string_view json_text) {
  name(member);
  out_ += json_text;
  return *this;
}

void JsonLine::text_of(std::string_view value) {
  for (char c : value)
    if (static_cast<unsigned char>(c) >= 0x80) {
      out_ += dump_json(Json(std::string(value)));
      return;
    }
  out_ += '"';
  // Runs that need no escape are appended whole (most text is one run).
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    bool quote = c == '"' || c == '\\';
    bool control = static_cast<unsigned char>(c) < 0x20;
    if (!quote && !control) continue;
    out_.append(value.data() + run, i - run);
    run = i + 1;
    if (quote) {
      out_ += '\\';
      out_ += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out_ += "\\u00";
      out_ += kHex[(c >> 4) & 0xf];
      out_ += kHex[c & 0xf];
    }
  }
  out_.append(value.data() + run, value.size() - run);
  out_ += '"';
}

}  // namespace ptmc
