// What people type into a search box, as an FTS5 query that cannot be a syntax error: words
// (letters and digits) that must all match, each quoted, a trailing * keeping its prefix meaning.
// "Snack-food pieces*" -> "snack" "food" "pieces"*
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::patents {

inline constexpr size_t kMaxSearchTerms = 16;
// A prefix term ("wid*") needs this many characters: a shorter one ("a*") matches nearly every
// document, and ranking them all costs the whole index per page.
inline constexpr size_t kMinPrefixChars = 3;

// nullopt when the text has no word, more than kMaxSearchTerms, or a prefix term shorter than
// kMinPrefixChars.
std::optional<std::string> fts_query(std::string_view text);

}  // namespace ptmc::patents
