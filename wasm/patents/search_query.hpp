// What people type into a search box, as an FTS5 query that cannot be a syntax error: words
// (letters and digits) that must all match, each quoted, a trailing * keeping its prefix meaning.
// "Snack-food pieces*" -> "snack" "food" "pieces"*
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::patents {

inline constexpr size_t kMaxSearchTerms = 16;

// nullopt when the text has no word, or more than kMaxSearchTerms.
std::optional<std::string> fts_query(std::string_view text);

}  // namespace ptmc::patents
