// Everything one request's middleware and handler share.
#pragma once

#include "wasm/auth/principal.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/config/config.hpp"
#include "wasm/http/errors.hpp"
#include "wasm/http/message.hpp"
#include "wasm/http/pagination.hpp"

#include <map>
#include <optional>
#include <string>

namespace ptmc {

struct Route;

struct RequestContext {
  http::Request request;
  const Config& config;
  int64_t started_ms = 0;
  std::string request_id;
  std::string route_pattern = "unmatched";  // the matched route's pattern, for logs
  const Route* route = nullptr;             // the matched route
  std::string allowed_methods;              // when the path matched but the method did not
  std::map<std::string, std::string> path_params;
  Json query = Json::object();                  // validated query and path values, typed, with defaults
  Json body;                                    // the parsed JSON body, for routes that take one
  Page page;                                    // a list's page, its cursor verified (wasm/http/pagination.hpp)
  std::optional<auth::Principal> principal;     // set by authenticate() on /v1/*
  std::optional<auth::Settings> auth_settings;  // set by authenticate(), which validated them

  // This request's rate-limit window, counted in the same round trip as authentication, or
  // (a read with a hot key) with the handler's first D1 read, so not `counted` yet before it.
  struct RateLimitWindow {
    int64_t limit = 0;
    int64_t count = 0;
    int64_t resets_at_ms = 0;
    bool counted = true;
  };
  std::optional<RateLimitWindow> rate_limit;

  http::Response fail(const ApiError& error) const { return error_response(error, request_id); }

  // The client's address as Cloudflare reports it ("unknown" when absent or implausible).
  std::string client_ip() const {
    auto ip = request.headers.get("cf-connecting-ip");
    return ip && !ip->empty() && ip->size() <= 45 ? std::string(*ip) : "unknown";
  }
};

}  // namespace ptmc
