#include "wasm/http/router.hpp"

namespace ptmc {
namespace {

bool method_matches(std::string_view route_method, std::string_view method) {
  return route_method == method || (method == "HEAD" && route_method == "GET");
}

bool debug_routes_served(const Config& config) { return config.development_flag("PATOMIC_DEBUG_ROUTES"); }
bool is_served(const Route& route, bool debug_routes) { return debug_routes || !route.debug_only; }

}  // namespace

bool match_path(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') return false;
  // The literal text before the first parameter must begin the path: one comparison rules out
  // most routes before any segment is split.
  if (!path.starts_with(pattern.substr(0, pattern.find('{')))) return false;
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
  bool debug = debug_routes_served(config);
  for (const auto& route : routes)
    if (is_served(route, debug)) served.push_back(&route);
  return served;
}

void match_route(RequestContext& context, std::span<const Route> routes) {
  const auto& request = context.request;
  bool debug = debug_routes_served(context.config);
  for (const Route& candidate : routes) {
    if (!is_served(candidate, debug)) continue;  // as served_routes, without a list per request
    const Route* route = &candidate;
    std::map<std::string, std::string> params;
    if (!match_path(route->pattern, request.path, params)) continue;
    if (method_matches(route->method, request.method) && !context.route) {
      context.route = route;
      context.route_pattern = std::string(route->pattern);
      context.path_params = std::move(params);
    }
    auto& allowed = context.allowed_methods;
    allowed += (allowed.empty() ? "" : ", ") + std::string(route->method);
    if (route->method == "GET") allowed += ", HEAD";
  }
}

std::optional<http::Response> refuse_unroutable(const RequestContext& context) {
  const auto& request = context.request;
  if (request.url.size() > kMaxUrlBytes) return context.fail(errors::uri_too_long(kMaxUrlBytes));
  size_t header_bytes = 0;
  for (const auto& [name, value] : request.headers.entries()) header_bytes += name.size() + value.size();
  if (header_bytes > kMaxHeaderBytes || request.headers.entries().size() > kMaxHeaderCount)
    return context.fail(errors::request_headers_too_large(kMaxHeaderBytes, kMaxHeaderCount));
  if (request.body_too_large || request.body.size() > kMaxBodyBytes)
    return context.fail(errors::payload_too_large(kMaxBodyBytes));
  if (context.route) return std::nullopt;
  if (context.allowed_methods.empty()) return context.fail(errors::route_not_found(request.method, request.path));
  http::Response response = context.fail(errors::method_not_allowed(request.method, context.allowed_methods));
  response.headers.set("allow", context.allowed_methods);
  return response;
}

}  // namespace ptmc
