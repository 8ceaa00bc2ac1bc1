#include "wasm/http/router.hpp"

namespace ptmc {
namespace {

bool method_matches(std::string_view route_method, std::string_view method) {
  return route_method == method || (method == "HEAD" && route_method == "GET");
}

std::string media_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return http::lower_ascii(type);
}

// Empty bodies count as {} so that routes with all-optional fields need no body at all.
std::optional<ApiError> read_json_body(RequestContext& context) {
  const auto& request = context.request;
  if (request.body.empty()) {
    context.body = Json::object();
    return std::nullopt;
  }
  auto type = media_type(request.headers.get("content-type").value_or(""));
  if (type != "application/json") return errors::unsupported_media_type(type.empty() ? "none" : type);
  auto parsed = parse_json(request.body);
  if (!parsed) return errors::invalid_json();
  context.body = std::move(*parsed);
  return std::nullopt;
}

}  // namespace

bool match_path(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  std::map<std::string, std::string> captured;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return false;
    auto expected = http::take_until(pattern, '/');
    auto actual = http::take_until(path, '/');
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      if (actual.empty()) return false;
      captured.emplace(std::string(expected.substr(1, expected.size() - 2)), http::path_decode(actual));
    } else if (expected != actual) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

std::vector<const Route*> served_routes(std::span<const Route> routes, const Config& config) {
  std::vector<const Route*> served;
  bool debug = config.flag("PATOMIC_DEBUG_ROUTES");
  for (const auto& route : routes)
    if (debug || !route.debug_only) served.push_back(&route);
  return served;
}

void match_route(RequestContext& context, std::span<const Route> routes) {
  const auto& request = context.request;
  for (const Route* route : served_routes(routes, context.config)) {
    std::map<std::string, std::string> params;
    if (!match_path(route->pattern, request.path, params)) continue;
    if (method_matches(route->method, request.method) && !context.endpoint) {
      context.endpoint = route;
      context.route = std::string(route->pattern);
      context.path_params = std::move(params);
    }
    auto& allowed = context.allowed_methods;
    allowed += (allowed.empty() ? "" : ", ") + std::string(route->method);
    if (route->method == "GET") allowed += ", HEAD";
  }
}

Task<http::Response> dispatch(RequestContext& context) {
  const auto& request = context.request;
  if (request.body.size() > kMaxBodyBytes) co_return context.fail(errors::payload_too_large(kMaxBodyBytes));
  const Route* found = context.endpoint;
  if (!found && context.allowed_methods.empty()) co_return context.fail(errors::route_not_found(request.method, request.path));
  if (!found) {
    http::Response response = context.fail(errors::method_not_allowed(request.method, context.allowed_methods));
    response.headers.set("allow", context.allowed_methods);
    co_return response;
  }

  if (!found->scope.empty()) {
    const auto& principal = context.principal;
    if (!principal || !principal->has_scope(found->scope)) co_return context.fail(errors::missing_scope(found->scope));
    auto needed = auth::minimum_role_for(found->scope);
    if (principal->role < needed) co_return context.fail(errors::insufficient_role(auth::role_name(needed)));
  }
  const auto& operation = found->operation;
  if (operation.body)
    if (auto problem = read_json_body(context)) co_return context.fail(*problem);
  Violations violations;
  context.query = schema::check_request(operation, context.path_params, request.query,
                                        operation.body ? &context.body : nullptr, violations);
  if (operation.rules) operation.rules(context, violations);
  if (!violations.empty()) co_return context.fail(violations.error());

  context.handler_started = true;
  http::Response response = co_await found->handler(context);
  if (request.method == "HEAD") {
    response.body.clear();
    response.blob.reset();
  }
  co_return response;
}

}  // namespace ptmc
