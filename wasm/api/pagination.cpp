#include "wasm/api/pagination.hpp"

#include "wasm/crypto/crypto.hpp"

#include <charconv>

namespace ptmc::api {

std::string encode_cursor(const Json& sort_key) { return crypto::base64url(dump_json(sort_key)); }

Page read_page(const RequestContext& context, Violations& violations) {
  Page page;
  const std::string& query = context.request.query;
  if (auto text = http::query_param(query, "limit")) {
    int64_t limit = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (error != std::errc() || end != text->data() + text->size() || limit < 1 || limit > 100)
      violations.add("limit", "must be an integer from 1 to 100");
    else
      page.limit = limit;
  }
  if (auto text = http::query_param(query, "cursor")) {
    auto decoded = crypto::base64url_decode(*text);
    auto sort_key = decoded ? parse_json(*decoded) : std::nullopt;
    if (!sort_key || !sort_key->is_array() || sort_key->empty())
      violations.add("cursor", "is not a cursor this API returned");
    else
      page.after = std::move(*sort_key);
  }
  return page;
}

}  // namespace ptmc::api
