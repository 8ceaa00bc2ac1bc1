#include "wasm/api/handlers.hpp"

namespace ptmc::api {
namespace {

constexpr Route kRoutes[] = {
    {"GET", "/livez", livez},
    {"GET", "/readyz", readyz},
    {"GET", "/health", health},
    {"POST", "/__debug/echo", debug_echo, BodyKind::json, true},
    {"POST", "/__debug/trap", debug_trap, BodyKind::none, true},
    {"GET", "/__debug/sleep", debug_sleep, BodyKind::none, true},
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
