#include "wasm/middleware/pipeline.hpp"

namespace ptmc {

// A JSON API: nothing may be framed, sniffed, scripted or leak a referrer.
Task<http::Response> secure_headers(RequestContext&, const Next& next) {
  http::Response response = co_await next();
  auto& headers = response.headers;
  headers.set("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "no-referrer");
  if (!headers.has("content-security-policy"))  // a page (/docs) states its own, as strict
    headers.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  headers.set("cross-origin-opener-policy", "same-origin");
  headers.set("permissions-policy", "geolocation=(), camera=(), microphone=()");
  co_return response;
}

}  // namespace ptmc
