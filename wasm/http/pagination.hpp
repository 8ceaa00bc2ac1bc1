// Keyset pagination, owned by the router: a list operation declares page_parameters() (?limit=,
// 1..100, default 50, and ?cursor=, the signed position after the last item of the previous
// page); the validate middleware verifies the cursor with the rest of the request's parameters
// and hands the handler a ready Page (context.page); the handler reads its rows after
// `page.after` and answers list_json(). Lists answer
// {"object":"list","data":[...],"has_more":bool,"next_cursor":string|null}.
//
// A cursor is base64url(payload) "." base64url(HMAC-SHA256(secret, payload)), the payload
// {"v":1,"kid","s":[sort-key tuple],"f":filter hash}, the filters being the route and every
// other path and query value, typed and with defaults. A tampered, truncated or foreign
// cursor, or one replayed on another list or with other filters (another portfolio, another
// sort), is 400 invalid_cursor. Secrets: CURSOR_SECRET (and CURSOR_SECRET_PREVIOUS while
// rotating); without them, one derived from API_KEY_PEPPER.
#pragma once

#include "wasm/config/config.hpp"
#include "wasm/schema/operation.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ptmc {

struct Page {
  int64_t limit = 50;
  std::optional<Json> after;  // the sort-key tuple (a JSON array) to continue after
  std::string filters;        // the list's route and canonical filters, bound into cursors
  // Member `i` of the tuple to continue after; null on the first page (SQL: `?n IS NULL OR ...`).
  Json after_at(size_t i) const { return after && i < after->size() ? (*after)[i] : Json(); }
};

// A list operation's parameters: `before` (path and filters), then ?limit= and ?cursor=.
std::vector<schema::Parameter> page_parameters(std::vector<schema::Parameter> before = {});
// Whether an operation lists (it was declared with page_parameters()).
bool is_list(const schema::Operation& operation);
// A list envelope holding one example item, for the reference.
Json list_example(Json item);
// The list envelope whose data are `component` objects.
schema::Schema list_of(const std::string& component, std::string description);

// The page a list request asks for: `values` are its validated path and query values. Adds a
// violation for a cursor not signed for this route with these values.
Page read_page(const Config& config, std::string_view route, const Json& values, Violations& violations);

std::string sign_cursor(const Config& config, const Json& sort_key, std::string_view filters);
// The sort-key tuple of a cursor this API signed for these filters; nullopt otherwise.
std::optional<Json> verify_cursor(const Config& config, std::string_view cursor, std::string_view filters);

// `rows` holds up to limit + 1 rows (the extra one says there is more); `sort_key` gives a
// row's tuple and `render` its public shape.
template <class SortKey, class Render>
Json list_json(const Config& config, const Page& page, const Json& rows, SortKey sort_key, Render render) {
  Json data = Json::array();
  bool has_more = static_cast<int64_t>(rows.size()) > page.limit;
  for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < page.limit; ++i) data.push_back(render(rows[i]));
  Json next = has_more ? Json(sign_cursor(config, sort_key(rows[static_cast<size_t>(page.limit) - 1]), page.filters)) : Json();
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}, {"next_cursor", std::move(next)}};
}

// The column whose text is a row's JSON ready to answer (ObjectType::json_select(), sent as a
// d1::Statement's `lines`), and a list of such rows: the items are embedded as SQLite wrote them.
inline constexpr const char* kItemColumn = "item";
std::string items_list_text(const Json& rows, size_t count, const std::optional<std::string>& next_cursor);

template <class SortKey>
std::string items_list(const Config& config, const Page& page, const Json& rows, SortKey sort_key) {
  bool has_more = static_cast<int64_t>(rows.size()) > page.limit;
  size_t count = has_more ? static_cast<size_t>(page.limit) : rows.size();
  auto next = has_more ? std::optional<std::string>(sign_cursor(config, sort_key(rows[count - 1]), page.filters)) : std::nullopt;
  return items_list_text(rows, count, next);
}

}  // namespace ptmc
