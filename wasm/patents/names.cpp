#include "wasm/patents/names.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace ptmc::patents {

// The NBER list as shipped (CSV: pattern,replacement,extra; both padded with one space), built
// into the module by CMake. Source: the NBER patent data project's name standardisation, as
// kept by funginstitute/patentprocessor (nber_substitutions.json), converted to CSV in order.
extern const std::string_view kNberSubstitutionsCsv;

namespace {

constexpr std::string_view kLegalForms[] = {
    "INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "LLC", "LTD", "LIMITED", "LLP", "LP", "PLC", "GMBH", "AG",
    "KG",  "SA",           "NV",   "BV",          "KK", "AB",      "SPA", "SRL", "SARL",    "SAS", "OY", "PTY", "PLLC"};

bool is_legal_form(std::string_view word) {
  return std::find(std::begin(kLegalForms), std::end(kLegalForms), word) != std::end(kLegalForms);
}

using Substitutions = std::vector<std::pair<std::string_view, std::string_view>>;

// Parsed once per isolate. A line whose pattern is not space-padded is skipped: it could
// match inside a word.
const Substitutions& substitutions() {
  static const Substitutions list = [] {
    Substitutions out;
    std::string_view rest = kNberSubstitutionsCsv;
    bool header = true;
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (std::exchange(header, false)) continue;
      size_t first = line.find(',');
      size_t second = first == std::string_view::npos ? first : line.find(',', first + 1);
      if (second == std::string_view::npos) continue;
      std::string_view pattern = line.substr(0, first), replacement = line.substr(first + 1, second - first - 1);
      if (pattern.size() < 3 || pattern.front() != ' ' || pattern.back() != ' ' || replacement.empty()) continue;
      out.emplace_back(pattern, replacement);
    }
    return out;
  }();
  return list;
}

void replace_all(std::string& text, std::string_view pattern, std::string_view replacement) {
  for (size_t at = text.find(pattern); at != std::string::npos; at = text.find(pattern, at + replacement.size()))
    text.replace(at, pattern.size(), replacement);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string normalize_name(std::string_view name) {
  std::string padded = " ";
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    bool keep = is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || byte >= 0x80;
    if (keep) padded += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    else if (padded.back() != ' ') padded += ' ';
  }
  if (padded.back() != ' ') padded += ' ';
  for (const auto& [pattern, replacement] : substitutions()) replace_all(padded, pattern, replacement);

  std::vector<std::string_view> words;
  std::string_view rest = padded;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    if (space != 0) words.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  while (words.size() > 1 && is_legal_form(words.back())) words.pop_back();
  std::string out;
  for (auto word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0], best = row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;  // every path through this row already costs more
  }
  return std::min(row[b.size()], limit + 1);
}

size_t allowed_edits(size_t length) { return length >= 16 ? 2 : 1; }

bool same_entity(std::string_view a, std::string_view b) {
  if (a.size() < 8 || b.size() < 8) return false;
  std::string digits_a, digits_b;
  std::copy_if(a.begin(), a.end(), std::back_inserter(digits_a), is_digit);
  std::copy_if(b.begin(), b.end(), std::back_inserter(digits_b), is_digit);
  if (digits_a != digits_b) return false;
  size_t limit = allowed_edits(std::min(a.size(), b.size()));
  return edit_distance(a, b, limit) <= limit;
}

std::string name_shard(std::string_view normalized) { return std::string(normalized.substr(0, 2)); }

}  // namespace ptmc::patents
