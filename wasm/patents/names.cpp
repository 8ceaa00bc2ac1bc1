#include "wasm/patents/names.hpp"

#include <algorithm>
#include <vector>

namespace ptmc::patents {
namespace {

constexpr std::string_view kLegalForms[] = {"INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "LLC", "LTD",
                                            "LIMITED", "LLP", "LP", "PLC", "GMBH", "AG", "KG", "SA", "NV", "BV", "KK"};

bool is_legal_form(std::string_view word) {
  return std::find(std::begin(kLegalForms), std::end(kLegalForms), word) != std::end(kLegalForms);
}

}  // namespace

std::string normalize_name(std::string_view name) {
  std::vector<std::string> words(1);
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    bool keep = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || byte >= 0x80;
    if (keep) words.back() += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    else if (!words.back().empty()) words.emplace_back();
  }
  if (words.back().empty()) words.pop_back();
  while (words.size() > 1 && is_legal_form(words.back())) words.pop_back();
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace ptmc::patents
