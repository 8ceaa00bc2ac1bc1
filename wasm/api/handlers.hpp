// Route handlers: each reads top to bottom as straight-line co_await code.
#pragma once

#include "wasm/http/router.hpp"

#include <span>

namespace ptmc::api {

// The route table every fetch goes through.
std::span<const Route> routes();
Task<http::Response> route_request(RequestContext& context);

// Operational (api/health.cpp).
Task<http::Response> livez(RequestContext& context);
Task<http::Response> readyz(RequestContext& context);
Task<http::Response> health(RequestContext& context);

// The calling key itself (api/keys.cpp): costs no I/O beyond authentication.
Task<http::Response> whoami(RequestContext& context);

// API keys and the audit log (api/keys.cpp).
Task<http::Response> create_key(RequestContext& context);
Task<http::Response> list_keys(RequestContext& context);
Task<http::Response> get_key(RequestContext& context);
Task<http::Response> revoke_key(RequestContext& context);
Task<http::Response> roll_key(RequestContext& context);
Task<http::Response> list_audit_log(RequestContext& context);

// Development and test only (api/debug.cpp): reachable when PATOMIC_DEBUG_ROUTES is set.
Task<http::Response> debug_echo(RequestContext& context);
Task<http::Response> debug_trap(RequestContext& context);
Task<http::Response> debug_sleep(RequestContext& context);
Task<http::Response> debug_sequence(RequestContext& context);
Task<http::Response> debug_kv_put(RequestContext& context);
Task<http::Response> debug_kv_get(RequestContext& context);
Task<http::Response> debug_r2_put(RequestContext& context);
Task<http::Response> debug_r2_get(RequestContext& context);

}  // namespace ptmc::api
