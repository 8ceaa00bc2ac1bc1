#include "wasm/patents/search_query.hpp"

#include <vector>

namespace ptmc::patents {

std::optional<std::string> fts_query(std::string_view text) {
  std::vector<std::string> terms;
  std::string word;
  bool short_prefix = false;
  auto finish = [&](bool prefix) {
    if (word.empty()) return;
    short_prefix = short_prefix || (prefix && word.size() < kMinPrefixChars);
    terms.push_back("\"" + word + "\"" + (prefix ? "*" : ""));
    word.clear();
  };
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool letter = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || byte >= 0x80;
    if (letter) word += c;
    else finish(c == '*');
  }
  finish(false);
  if (terms.empty() || terms.size() > kMaxSearchTerms || short_prefix) return std::nullopt;
  std::string query;
  for (const auto& term : terms) query += (query.empty() ? "" : " ") + term;
  return query;
}

}  // namespace ptmc::patents
