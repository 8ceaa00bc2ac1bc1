#include "bindings/d1.hpp"
#include "bindings/kv.hpp"
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/compat/platform.hpp"

namespace ptmc::api {

Task<http::Response> livez(RequestContext&) { co_return http::json_response(200, {{"status", "live"}}); }

// Readiness really round-trips every storage binding, all three in one round trip, and checks
// the settings without which /v1 fails closed.
Task<http::Response> readyz(RequestContext& context) {
  auto [database, cache, blobs] = co_await all(d1::first({"SELECT 1 AS ok"}).checked(),
                                               kv::get("readyz:probe").checked(),
                                               r2::head("readyz/probe").checked());
  std::string failed, problem;
  auto note = [&](std::string name) { failed += failed.empty() ? name : ", " + name; };
  for (auto [name, ok] : {std::pair{"d1", database.ok()}, {"kv", cache.ok()}, {"r2", blobs.ok()}})
    if (!ok) note(name);
  if (!auth::read_settings(context.config, problem)) note("configuration (" + problem + ")");
  if (!failed.empty()) co_return context.fail(errors::not_ready(failed));
  co_return http::json_response(200, {{"status", "ready"}, {"checks", {{"d1", "ok"}, {"kv", "ok"}, {"r2", "ok"}}}});
}

Task<http::Response> health(RequestContext& context) {
  co_return http::json_response(200, {{"status", "ok"},
                                      {"version", PATOMIC_VERSION},
                                      {"git_revision", PATOMIC_GIT_REVISION},
                                      {"environment", context.config.get("ENVIRONMENT", "development")},
                                      {"toolchain", {{"target", PTMC_TOOLCHAIN_TARGET}, {"compiler", __VERSION__}}}});
}

}  // namespace ptmc::api
