#include "wasm/http/range.hpp"

#include "wasm/http/message.hpp"

#include <charconv>

namespace ptmc::http {
namespace {

// A non-negative decimal that fits in int64; nullopt for anything else, including "".
std::optional<int64_t> position(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text.front() == '-' || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeSelection select_range(std::optional<std::string_view> header, int64_t size) {
  RangeSelection whole{RangeSelection::Kind::whole, {0, size}};
  if (!header) return whole;
  std::string_view spec = trim_ows(*header);
  if (spec.size() < 6 || lower_ascii(spec.substr(0, 6)) != "bytes=") return whole;
  spec = trim_ows(spec.substr(6));
  auto dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return whole;
  auto first = trim_ows(spec.substr(0, dash));
  auto last = trim_ows(spec.substr(dash + 1));
  RangeSelection unsatisfiable{RangeSelection::Kind::unsatisfiable, {}};
  if (first.empty()) {  // a suffix: the last N bytes
    auto count = position(last);
    if (!count) return whole;
    if (*count == 0 || size == 0) return unsatisfiable;
    int64_t length = std::min(*count, size);
    return {RangeSelection::Kind::partial, {size - length, length}};
  }
  auto start = position(first);
  auto end = last.empty() ? std::optional<int64_t>(size - 1) : position(last);
  if (!start || !end || (!last.empty() && *end < *start)) return whole;
  if (*start >= size) return unsatisfiable;
  int64_t stop = std::min(*end, size - 1);
  return {RangeSelection::Kind::partial, {*start, stop - *start + 1}};
}

}  // namespace ptmc::http
