#include "wasm/middleware/pipeline.hpp"

#include <algorithm>

namespace ptmc {
namespace {

constexpr const char* kAllowedMethods = "GET, POST, PATCH, DELETE, OPTIONS";
constexpr const char* kAllowedHeaders = "Authorization, Content-Type, Idempotency-Key";
constexpr const char* kExposedHeaders =
    "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit, RateLimit-Policy, "
    "Retry-After, Idempotent-Replayed";

}  // namespace

// Origins come from the CORS_ALLOWED_ORIGINS allowlist and are echoed, never "*". Keys travel
// in Authorization, not cookies, so credentials are never allowed.
Task<http::Response> cors(RequestContext& context, const Next& next) {
  auto origin = context.request.headers.get("origin");
  if (!origin) co_return co_await next();

  auto allowlist = context.config.list("CORS_ALLOWED_ORIGINS");
  bool allowed = std::find(allowlist.begin(), allowlist.end(), *origin) != allowlist.end();
  bool preflight = context.request.method == "OPTIONS" && context.request.headers.has("access-control-request-method");

  if (preflight) {
    context.route_pattern = "preflight";
    if (!allowed) co_return context.fail(errors::cors_origin_not_allowed(*origin));
    http::Response response{204, {}, {}};
    response.headers.set("access-control-allow-origin", std::string(*origin));
    response.headers.set("access-control-allow-methods", kAllowedMethods);
    response.headers.set("access-control-allow-headers", kAllowedHeaders);
    response.headers.set("access-control-max-age", "600");
    response.headers.set("vary", "Origin");
    co_return response;
  }

  http::Response response = co_await next();
  response.headers.append("vary", "Origin");
  if (allowed) {
    response.headers.set("access-control-allow-origin", std::string(*origin));
    response.headers.set("access-control-expose-headers", kExposedHeaders);
  }
  co_return response;
}

}  // namespace ptmc
