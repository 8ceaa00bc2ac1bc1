#include "bindings/d1.hpp"
#include "bindings/kv.hpp"
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/compat/platform.hpp"

namespace ptmc::api {
namespace {

using schema::Schema;

Task<http::Response> livez(RequestContext&) { co_return http::json_response(200, {{"status", "live"}}); }

// Readiness really round-trips every storage binding, all three in one round trip, and checks
// the settings without which /v1 fails closed.
Task<http::Response> readyz(RequestContext& context) {
  auto [database, cache, blobs] = co_await all(d1::first({"SELECT 1 AS ok"}).checked(), kv::get("readyz:probe").checked(),
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

}  // namespace

std::vector<Route> health_routes() {
  auto status = [](std::string value) { return schema::required("status", Schema::string().one_of({std::move(value)})); };
  return {
      {"GET",
       "/livez",
       livez,
       {.id = "livez",
        .tag = "Operations",
        .summary = "Liveness",
        .description = "Answers while the isolate can run the module; touches no binding.",
        .replies = {{200, "Live.", Schema::object({status("live")}), {{"status", "live"}}}},
        .needs_key = false}},
      {"GET",
       "/readyz",
       readyz,
       {.id = "readyz",
        .tag = "Operations",
        .summary = "Readiness",
        .description = "Round-trips D1, KV and R2 in one batch and checks the settings /v1 needs; 503 `not_ready` names "
                       "what failed.",
        .replies = {{200,
                     "Every binding answered.",
                     Schema::object({status("ready"),
                                     schema::required("checks", Schema::object({schema::required("d1", Schema::string()),
                                                                                schema::required("kv", Schema::string()),
                                                                                schema::required("r2", Schema::string())}))}),
                     {{"status", "ready"}, {"checks", {{"d1", "ok"}, {"kv", "ok"}, {"r2", "ok"}}}}}},
        .errors = {"not_ready"},
        .needs_key = false}},
      {"GET",
       "/health",
       health,
       {.id = "health",
        .tag = "Operations",
        .summary = "Build and environment",
        .description = "The module's version, git revision, environment and toolchain.",
        .replies = {{200,
                     "The build.",
                     Schema::object(
                         {status("ok"), schema::required("version", Schema::string()),
                          schema::required("git_revision", Schema::string()), schema::required("environment", Schema::string()),
                          schema::required("toolchain", Schema::object({schema::required("target", Schema::string()),
                                                                        schema::required("compiler", Schema::string())}))}),
                     {{"status", "ok"},
                      {"version", "0.1.0"},
                      {"git_revision", "e4e6810"},
                      {"environment", "development"},
                      {"toolchain", {{"target", "wasm32-wasi"}, {"compiler", "Debian Clang 14.0.6"}}}}}},
        .needs_key = false}},
  };
}

}  // namespace ptmc::api
