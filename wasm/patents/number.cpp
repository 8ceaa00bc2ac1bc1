#include "wasm/patents/number.hpp"

#include <algorithm>
#include <cctype>

namespace ptmc::patents {
namespace {

// Grant series letters, longest first so "RE" is not read as a kind-less "R".
constexpr std::string_view kSeries[] = {"RE", "PP", "D", "H", "T"};

// The kind codes of US documents: publications A1, A2, A9; grants B1–B3, design S and S1,
// reissue E (E1), plant P and P1–P3, statutory invention registration H (H1).
constexpr std::string_view kKinds[] = {"A1", "A2", "A9", "B1", "B2", "B3", "S", "S1",
                                       "E",  "E1", "P",  "P1", "P2", "P3", "H", "H1"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::optional<DocumentNumber> parse_us_number(std::string_view text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  std::string compact;  // upper case, without the separators people type
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '/' || c == '-' || c == '.') continue;
    char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!is_digit(upper) && !is_letter(upper)) return std::nullopt;
    compact += upper;
  }
  std::string_view rest = compact;
  if (rest.substr(0, 2) == "US") rest.remove_prefix(2);
  std::string_view series;
  for (auto candidate : kSeries)
    if (rest.substr(0, candidate.size()) == candidate && rest.size() > candidate.size() && is_digit(rest[candidate.size()])) {
      series = candidate;
      rest.remove_prefix(candidate.size());
      break;
    }
  size_t digits_end = 0;
  while (digits_end < rest.size() && is_digit(rest[digits_end])) ++digits_end;
  std::string_view digits = rest.substr(0, digits_end);
  std::string_view kind = rest.substr(digits_end);
  if (!kind.empty() && std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) return std::nullopt;

  DocumentNumber number;
  number.kind = std::string(kind);
  bool year_first = digits.size() == 11 && (digits.substr(0, 2) == "20" || digits.substr(0, 2) == "19");
  if (series.empty() && year_first) {
    if (!kind.empty() && kind[0] != 'A') return std::nullopt;  // publications are A1, A2, A9
    number.canonical = std::string(digits);
    number.application = true;
    return number;
  }
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  size_t max_digits = series.empty() ? 8 : 7;
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  if (!kind.empty() && kind[0] == 'A') return std::nullopt;  // a grant is never an A document
  number.canonical = std::string(series) + std::string(digits);
  return number;
}

}  // namespace ptmc::patents
