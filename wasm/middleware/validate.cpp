#include "wasm/http/router.hpp"
#include "wasm/middleware/pipeline.hpp"

namespace ptmc {
namespace {

// Empty bodies count as {} so that routes with all-optional fields need no body at all.
std::optional<ApiError> read_json_body(RequestContext& context) {
  const auto& request = context.request;
  if (request.body.empty()) {
    context.body = Json::object();
    return std::nullopt;
  }
  auto type = http::media_type(request.headers.get("content-type").value_or(""));
  if (type != "application/json") return errors::unsupported_media_type(type.empty() ? "none" : type);
  std::string problem;
  auto parsed = parse_untrusted_json(request.body, problem);
  if (!parsed) return errors::invalid_json("The request body " + problem + ".");
  context.body = std::move(*parsed);
  return std::nullopt;
}

}  // namespace

// Checks the request against its route's declaration: the query, the path, the JSON body, and
// then (only once those passed, so they see well-formed values) the rules that depend on the
// caller, and for a list its cursor, bound to every other value. One 400 lists every problem;
// handlers read typed values (and a list its page) without re-checking.
Task<http::Response> validate(RequestContext& context, const Next& next) {
  const auto& operation = context.route->operation;
  if (operation.body)
    if (auto problem = read_json_body(context)) co_return context.fail(*problem);
  Violations violations;
  context.query = schema::check_request(operation, context.path_params, context.request.query,
                                        operation.body ? &context.body : nullptr, violations);
  if (violations.empty() && operation.rules) operation.rules(context, violations);
  if (violations.empty() && is_list(operation))
    context.page = read_page(context.config, context.route_pattern, context.query, violations);
  if (!violations.empty()) co_return context.fail(errors::parameter_invalid(violations));
  co_return co_await next();
}

}  // namespace ptmc
