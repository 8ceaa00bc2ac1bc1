// Keyset pagination shared by every list endpoint: ?limit= (1..100, default 50) and
// ?cursor=, the opaque position after the last item of the previous page. Lists answer
// {"object":"list","data":[...],"has_more":bool,"next_cursor":string|null}.
#pragma once

#include "wasm/http/context.hpp"
#include "wasm/http/validation.hpp"

#include <optional>

namespace ptmc::api {

struct Page {
  int64_t limit = 50;
  std::optional<Json> after;  // the sort-key tuple (a JSON array) to continue after
};

// Adds a violation for a malformed limit or cursor.
Page read_page(const RequestContext& context, Violations& violations);

std::string encode_cursor(const Json& sort_key);

// `rows` holds up to limit + 1 rows (the extra one says there is more); `sort_key` gives a
// row's tuple and `render` its public shape.
template <class SortKey, class Render>
Json list_json(const Json& rows, const Page& page, SortKey sort_key, Render render) {
  Json data = Json::array();
  bool has_more = static_cast<int64_t>(rows.size()) > page.limit;
  for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < page.limit; ++i) data.push_back(render(rows[i]));
  Json next = has_more ? Json(encode_cursor(sort_key(rows[static_cast<size_t>(page.limit) - 1]))) : Json();
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}, {"next_cursor", std::move(next)}};
}

}  // namespace ptmc::api
