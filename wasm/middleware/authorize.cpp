#include "wasm/http/router.hpp"
#include "wasm/middleware/pipeline.hpp"

namespace ptmc {

// The one place a route's scope is enforced, after authentication and before validation,
// idempotency and the handler: a key without the scope, or without the role or principal the
// scope needs, gets 403 whatever else the request holds.
Task<http::Response> authorize(RequestContext& context, const Next& next) {
  std::string_view scope = context.route->scope;
  if (scope.empty()) co_return co_await next();
  const auto& principal = *context.principal;  // authenticate() answered every request without one
  const auto* rule = auth::find_scope(scope);
  if (rule && rule->platform_only && !principal.platform) co_return context.fail(errors::operator_only());
  if (!principal.has_scope(scope)) co_return context.fail(errors::missing_scope(scope));
  auto needed = auth::minimum_role_for(scope);
  if (principal.role < needed) co_return context.fail(errors::insufficient_role(auth::role_name(needed)));
  co_return co_await next();
}

}  // namespace ptmc
