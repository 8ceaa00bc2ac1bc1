// Routes are data: method, pattern ("/v1/keys/{id}"), what body the route takes, handler.
// dispatch() answers 404 / 405 (with Allow) / 413 / 415 / 400 invalid_json before any handler.
#pragma once

#include "wasm/http/context.hpp"
#include "wasm/runtime/task.hpp"

#include <span>
#include <string_view>

namespace ptmc {

using Endpoint = Task<http::Response> (*)(RequestContext& context);

inline constexpr size_t kMaxBodyBytes = 1024 * 1024;

enum class BodyKind { none, json, raw };  // raw: any bytes, handed over as they came

struct Route {
  std::string_view method;
  std::string_view pattern;
  Endpoint handler;
  BodyKind body = BodyKind::none;
  bool debug_only = false;  // served only when PATOMIC_DEBUG_ROUTES is set (dev and tests)
  std::string_view scope;   // required of the key (with the role that scope needs), if any
};

Task<http::Response> dispatch(RequestContext& context, std::span<const Route> routes);

// Matches `path` against `pattern`, filling `params` from {name} segments.
bool match_path(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params);

}  // namespace ptmc
