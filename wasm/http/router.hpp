// Routes are data: method, pattern ("/v1/keys/{id}"), handler and the operation it serves
// (what it takes and answers, see wasm/schema). match_route() runs before the middleware, so
// they know the route; refuse_unroutable() answers what no route can serve (404, 405 with
// Allow, 413, 414, 431) before the route's own middleware (wasm/middleware/pipeline.hpp) runs.
#pragma once

#include "wasm/http/context.hpp"
#include "wasm/runtime/task.hpp"
#include "wasm/schema/operation.hpp"

#include <span>
#include <string_view>

namespace ptmc {

using Handler = Task<http::Response> (*)(RequestContext& context);

// What one request may bring. The shim reads no body past kMaxBodyBytes (it refuses by
// Content-Length before reading, and stops a chunked body there).
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;
inline constexpr size_t kMaxUrlBytes = 8 * 1024;
inline constexpr size_t kMaxHeaderBytes = 32 * 1024;  // names and values, all together
inline constexpr size_t kMaxHeaderCount = 100;

struct Route {
  std::string_view method;
  std::string_view pattern;
  Handler handler;
  schema::Operation operation;
  std::string_view scope;   // required of the key (with the role and principal that scope needs), if any
  bool raw_body = false;    // any bytes, handed over as they came (routes with a JSON body declare it)
  bool debug_only = false;  // served only when PATOMIC_DEBUG_ROUTES is set (dev and tests)
};

// The routes this configuration serves (debug routes only when enabled).
std::vector<const Route*> served_routes(std::span<const Route> routes, const Config& config);

// Finds the request's route: sets context.route, route_pattern and path_params, or allowed_methods
// when only the method is wrong.
void match_route(RequestContext& context, std::span<const Route> routes);
// The answer to a request no route can serve as it is; nullopt when context.route can.
std::optional<http::Response> refuse_unroutable(const RequestContext& context);

// Matches `path` against `pattern`, filling `params` from {name} segments.
bool match_path(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params);

}  // namespace ptmc
