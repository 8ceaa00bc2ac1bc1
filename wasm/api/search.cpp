// GET /v1/search: full-text search over title, abstract and claims (SQLite FTS5), ranked by
// BM25 with the title weighted most, each hit with an HTML-safe snippet.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/patents/search_query.hpp"
#include "wasm/reference/reference.hpp"

#include <algorithm>

namespace ptmc::api {
namespace {

using schema::Schema;

// FTS5 marks matches with these private-use characters, so that the snippet can be escaped
// first and the marks turned into <mark> tags after.
constexpr const char* kOpen = "\xEE\x80\x80";   // U+E000
constexpr const char* kClose = "\xEE\x80\x81";  // U+E001

std::string snippet_html(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t mark = std::min(text.find(kOpen), text.find(kClose));
    out += reference::escape_html(text.substr(0, mark));
    if (mark == std::string_view::npos) break;
    out += text.substr(mark, 3) == kOpen ? "<mark>" : "</mark>";
    text.remove_prefix(mark + 3);
  }
  return out;
}

void search_rules(const RequestContext& context, Violations& violations) {
  const auto* q = string_field(context.query, "q");
  if (q && !patents::fts_query(*q))
    violations.add("q", "must hold 1 to " + std::to_string(patents::kMaxSearchTerms) +
                            " words of letters or digits, a prefix (word*) of at least " +
                            std::to_string(patents::kMinPrefixChars) + " characters");
}

}  // namespace

const schema::ObjectType& search_result_object() {
  static const schema::Conversion negated{[](const Json& bm25) { return Json(-bm25.get<double>()); }};
  static const schema::Conversion escaped{
      [](const Json& snippet) { return Json(snippet_html(snippet.is_string() ? snippet.get<std::string>() : "")); }};
  static const schema::ObjectType hit(
      "search_result", "One search hit.",
      {{"number", Schema::string(), "s.number", "D656296"},
       {"title", Schema::string(), "p.title", "Ready to eat snack piece"},
       {"kind", Schema::string(), "p.kind", "S1"},
       {"grant_date", Schema::date().nullable(), "p.grant_date", "2012-03-27"},
       {"score", Schema::number("Relevance (negated BM25): higher is better."), "s.score", 1.93, &negated},
       {"snippet_html", Schema::string("HTML-escaped; matches in <mark>."), "s.snippet", "Ready to eat <mark>snack</mark> piece",
        &escaped}});
  return hit;
}

namespace {

Task<http::Response> search_patents(RequestContext& context) {
  std::string match = patents::fts_query(context.query.value("q", "")).value_or("");
  const Page& page = context.page;
  // Lower BM25 is better; weights: number 0, title 10, abstract 5, claims 1. The keyset is
  // (score, rowid), so equal scores still page without gaps or repeats.
  auto result = co_await d1::all(
      {"SELECT s.row, s.score AS rank, " + search_result_object().select_list() +
           " FROM (SELECT t.rowid AS row, t.number, bm25(patent_text, 0, 10.0, 5.0, 1.0) AS score, "
           "snippet(patent_text, -1, ?3, ?4, '…', 16) AS snippet FROM patent_text t WHERE patent_text MATCH ?2) s "
           "JOIN patents p ON p.number = s.number WHERE (?5 IS NULL OR (s.score, s.row) > (?5, ?6)) "
           "ORDER BY s.score, s.row LIMIT ?1",
       {page.limit + 1, match, kOpen, kClose, page.after_at(0), page.after_at(1)}});
  co_return http::json_response(200, list_json(
                                         context, result.rows,
                                         [](const Json& row) {
                                           return Json::array({row["rank"], row["row"]});
                                         },
                                         [](const Json& row) { return search_result_object().render(row); }));
}

}  // namespace

std::vector<Route> search_routes() {
  return {
      {"GET",
       "/v1/search",
       search_patents,
       {.id = "searchPatents",
        .tag = "Patents",
        .summary = "Search patents' text",
        .description = "Full-text search over titles, abstracts and claims, best match first (BM25; a title match counts "
                       "most). `snippet_html` is an HTML-escaped excerpt with the matches in `<mark>`.",
        .parameters = page_parameters({schema::required_query_param(
            "q", Schema::string("Words that must all appear (stemmed: `snacks` finds `snack`); `word*` matches a prefix.")
                     .length(1, 200)
                     .example("snack piece"))}),
        .replies = {{200, "A page of hits.", list_of("SearchResult", "A page of search hits."),
                     list_example(search_result_object().example())}},
        .errors = {"invalid_cursor"},
        .rules = search_rules}},
  };
}

}  // namespace ptmc::api
