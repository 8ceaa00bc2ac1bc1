#include "wasm/patents/cpc.hpp"

#include <cctype>

namespace ptmc::patents {
namespace {

size_t count_digits(std::string_view text, size_t at) {
  size_t end = at;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  return end - at;
}

}  // namespace

std::optional<std::string> cpc_symbol(std::string_view text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  std::string symbol;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') continue;
    if (text.substr(i, 3) == "%2F" || text.substr(i, 3) == "%2f") {
      symbol += '/';
      i += 2;
      continue;
    }
    symbol += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  }
  std::string_view s = symbol;
  auto section_ok = !s.empty() && ((s[0] >= 'A' && s[0] <= 'H') || s[0] == 'Y');
  if (!section_ok) return std::nullopt;
  if (s.size() == 1) return symbol;
  if (s.size() < 3 || count_digits(s, 1) != 2) return std::nullopt;
  if (s.size() == 3) return symbol;
  if (s[3] < 'A' || s[3] > 'Z') return std::nullopt;
  if (s.size() == 4) return symbol;
  size_t group = count_digits(s, 4);
  if (group < 1 || group > 4 || s.size() <= 4 + group || s[4 + group] != '/') return std::nullopt;
  size_t subgroup = count_digits(s, 5 + group);
  if (subgroup < 2 || subgroup > 6 || 5 + group + subgroup != s.size()) return std::nullopt;
  return symbol;
}

}  // namespace ptmc::patents
