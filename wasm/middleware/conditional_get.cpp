#include "wasm/crypto/crypto.hpp"
#include "wasm/middleware/pipeline.hpp"

namespace ptmc {
namespace {

// Weak comparison (RFC 9110 §13.1.2): If-None-Match matches on the opaque tag alone.
bool matches_any(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    std::string_view tag = http::take_until(rest, ',');
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

}  // namespace

// Successful GETs carry a strong ETag of their bytes, and If-None-Match turns a repeat into
// a body-less 304. Cache-Control defaults by kind of data: an organisation's data is private
// and revalidated; operational routes are not stored; a handler may set its own.
Task<http::Response> conditional_get(RequestContext& context, const Next& next) {
  http::Response response = co_await next();
  const auto& method = context.request.method;
  if ((method != "GET" && method != "HEAD") || response.status != 200) co_return response;
  if (!response.headers.has("cache-control"))
    response.headers.set("cache-control", context.request.path.rfind("/v1/", 0) == 0 ? "private, no-cache" : "no-store");
  // A handler that knows its validator (a streamed R2 object's) sets it; otherwise, the body's
  // 128-bit hash: a validator of what this client reads back, for which SHA-256 cost a list's
  // request a tenth of its CPU (docs/benchmarks.md).
  std::string etag = response.headers.has("etag")
                         ? std::string(*response.headers.get("etag"))
                         : "\"" + crypto::base64url(crypto::bytes_of(crypto::murmur3_128(response.body))) + "\"";
  response.headers.set("etag", etag);
  auto if_none_match = context.request.headers.get("if-none-match");
  if (if_none_match && matches_any(*if_none_match, etag)) {
    response.status = 304;
    response.body.clear();
    response.blob.reset();
    response.headers.remove("content-type");
  }
  co_return response;
}

}  // namespace ptmc
