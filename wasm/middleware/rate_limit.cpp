#include "bindings/d1.hpp"
#include "wasm/middleware/pipeline.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc {

namespace {

int64_t seconds_to_reset(const RequestContext::RateLimitWindow& window) {
  return std::max<int64_t>(1, (window.resets_at_ms - services::now_ms() + 999) / 1000);
}

}  // namespace

http::Response with_rate_limit_headers(const RequestContext& context, http::Response response) {
  const auto& window = *context.rate_limit;
  int64_t remaining = std::max<int64_t>(0, window.limit - window.count);
  int64_t reset_in = seconds_to_reset(window);
  auto& headers = response.headers;
  headers.set("x-ratelimit-limit", std::to_string(window.limit));
  headers.set("x-ratelimit-remaining", std::to_string(remaining));
  headers.set("x-ratelimit-reset", std::to_string(window.resets_at_ms / 1000));
  headers.set("ratelimit-policy", "\"per-key\";q=" + std::to_string(window.limit) + ";w=60");
  headers.set("ratelimit", "\"per-key\";r=" + std::to_string(remaining) + ";t=" + std::to_string(reset_in));
  if (window.count > window.limit) headers.set("retry-after", std::to_string(reset_in));
  return response;
}

Task<http::Response> refuse_over_limit(RequestContext& context) {
  const auto window = *context.rate_limit;
  if (window.count == window.limit + 1) {
    // The first refusal of this window, and only it, goes to the audit log.
    const auto& key = *context.principal;
    co_await d1::run(
        {"INSERT INTO audit_log (at, org_id, key_id, actor_ip, event, detail, request_id) "
         "VALUES (?1, ?2, ?3, ?4, 'rate_limit.exceeded', ?5, ?6)",
         {services::now_ms(), key.org_id, key.key_id, context.client_ip(),
          dump_json({{"limit", window.limit}, {"window_start", window.resets_at_ms - auth::kRateLimitWindowMs}}),
          context.request_id}});
  }
  co_return with_rate_limit_headers(context, context.fail(errors::rate_limited(window.limit, seconds_to_reset(window))));
}

// Admits the request when its window still has room; headers on every /v1 answer either way.
// A window not counted yet is authenticate_read's to judge once the handler's first read is back.
Task<http::Response> rate_limit(RequestContext& context, const Next& next) {
  if (!context.rate_limit || !context.rate_limit->counted) co_return co_await next();
  if (context.rate_limit->count > context.rate_limit->limit) co_return co_await refuse_over_limit(context);
  co_return with_rate_limit_headers(context, co_await next());
}

}  // namespace ptmc
