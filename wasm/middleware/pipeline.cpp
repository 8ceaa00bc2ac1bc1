#include "wasm/middleware/pipeline.hpp"

#include "wasm/http/router.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc {
namespace {

constexpr Middleware kRequestPipeline[] = {secure_headers, request_log, error_boundary, cors};
constexpr Middleware kOpenRoute[] = {validate, conditional_get};
constexpr Middleware kKeyedRead[] = {authenticate_read, rate_limit, authorize, validate, conditional_get};
constexpr Middleware kKeyedWrite[] = {authenticate, rate_limit, authorize, validate, idempotency};

Task<http::Response> next_called_twice(const RequestContext& context) {
  services::write_log_line(dump_json({{"level", "error"},
                                      {"msg", "middleware called next() twice"},
                                      {"request_id", context.request_id},
                                      {"route", context.route_pattern}}));
  co_return context.fail(errors::internal_error());
}

}  // namespace

Task<http::Response> Next::operator()() const {
  if (called_) return next_called_twice(context_);
  called_ = true;
  return run_chain(context_, rest_, handler_);
}

Task<http::Response> run_chain(RequestContext& context, std::span<const Middleware> chain, Handler handler) {
  if (chain.empty()) co_return co_await handler(context);
  Next next(context, chain.subspan(1), handler);
  co_return co_await chain.front()(context, next);
}

std::span<const Middleware> request_pipeline() { return kRequestPipeline; }

std::span<const Middleware> mounted_for(const Route& route, std::string_view method) {
  if (!route.operation.needs_key) return kOpenRoute;
  return method == "GET" || method == "HEAD" ? std::span<const Middleware>(kKeyedRead) : std::span<const Middleware>(kKeyedWrite);
}

Task<http::Response> serve_route(RequestContext& context) {
  std::optional<http::Response> response = refuse_unroutable(context);
  if (!response)
    response = co_await run_chain(context, mounted_for(*context.route, context.request.method), context.route->handler);
  if (context.request.method == "HEAD") {
    response->body.clear();
    response->blob.reset();
  }
  co_return std::move(*response);
}

}  // namespace ptmc
