#include "wasm/api/handlers.hpp"

namespace ptmc::api {
namespace {

constexpr Route kRoutes[] = {
    {"GET", "/livez", livez},
    {"GET", "/readyz", readyz},
    {"GET", "/health", health},
    {"GET", "/v1/me", whoami},
    {"POST", "/v1/keys", create_key, BodyKind::json, false, "keys:write"},
    {"GET", "/v1/keys", list_keys, BodyKind::none, false, "keys:read"},
    {"GET", "/v1/keys/{id}", get_key, BodyKind::none, false, "keys:read"},
    {"DELETE", "/v1/keys/{id}", revoke_key, BodyKind::none, false, "keys:write"},
    {"POST", "/v1/keys/{id}/roll", roll_key, BodyKind::json, false, "keys:write"},
    {"GET", "/v1/audit-log", list_audit_log, BodyKind::none, false, "audit:read"},
    {"POST", "/__debug/echo", debug_echo, BodyKind::json, true},
    {"POST", "/__debug/trap", debug_trap, BodyKind::none, true},
    {"GET", "/__debug/sleep", debug_sleep, BodyKind::none, true},
    {"POST", "/v1/debug/sleep", debug_sleep, BodyKind::json, true},  // a slow authenticated POST
    {"POST", "/__debug/sequence/{name}", debug_sequence, BodyKind::none, true},
    {"PUT", "/__debug/kv/{key}", debug_kv_put, BodyKind::raw, true},
    {"GET", "/__debug/kv/{key}", debug_kv_get, BodyKind::none, true},
    {"PUT", "/__debug/r2/{key}", debug_r2_put, BodyKind::raw, true},
    {"GET", "/__debug/r2/{key}", debug_r2_get, BodyKind::none, true},
};

}  // namespace

std::span<const Route> routes() { return kRoutes; }

Task<http::Response> route_request(RequestContext& context) { co_return co_await dispatch(context, routes()); }

}  // namespace ptmc::api
