// Everything one request's middleware and handler share.
#pragma once

#include "wasm/config/config.hpp"
#include "wasm/http/errors.hpp"
#include "wasm/http/message.hpp"

#include <map>
#include <optional>
#include <string>

namespace ptmc {

struct RequestContext {
  http::Request request;
  const Config& config;
  int64_t started_ms = 0;
  std::string request_id;
  std::string route = "unmatched";  // the matched route pattern, for logs
  std::map<std::string, std::string> path_params;
  Json body;                          // the parsed JSON body, for routes that take one
  std::optional<std::string> key_id;  // the authenticated key, for logs

  http::Response fail(const ApiError& error) const { return error_response(error, request_id); }
};

}  // namespace ptmc
