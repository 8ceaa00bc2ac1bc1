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

}  // namespace ptmc
