#include "bindings/fetch.hpp"
#include "bindings/kv.hpp"
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"

#include <cstdint>

namespace ptmc::api {
namespace {

using schema::Schema;

Task<http::Response> debug_echo(RequestContext& context) { co_return http::json_response(200, {{"received", context.body}}); }

// Proves that a trap answers 500 and the next request finds a fresh, healthy instance.
Task<http::Response> debug_trap(RequestContext&) {
  __builtin_trap();
  co_return http::Response{};
}

http::Response not_found(const RequestContext& context, const std::string& key) {
  return context.fail(errors::resource_missing("object", key));
}

Task<http::Response> debug_sleep(RequestContext& context) {
  int64_t ms = context.query.value("ms", int64_t(0));
  co_await outbound::sleep(ms);
  co_return http::json_response(200, {{"slept_ms", ms}});
}

Task<http::Response> debug_kv_put(RequestContext& context) {
  auto ttl = integer_field(context.query, "ttl");
  co_await kv::put(context.path_params["key"], context.request.body, {ttl, nullptr});
  co_return http::json_response(201, {{"key", context.path_params["key"]}, {"bytes", context.request.body.size()}});
}

Task<http::Response> debug_kv_get(RequestContext& context) {
  auto value = co_await kv::get(context.path_params["key"]);
  if (!value) co_return not_found(context, context.path_params["key"]);
  co_return http::Response{200, {}, std::move(value->bytes)};
}

Task<http::Response> debug_r2_put(RequestContext& context) {
  std::string type(context.request.headers.get("content-type").value_or("application/octet-stream"));
  auto stored = co_await r2::put(context.path_params["key"], context.request.body, type);
  co_return http::json_response(201, {{"key", stored.key}, {"size", stored.size}, {"etag", stored.etag}});
}

// ?offset=&length= or ?suffix= select a byte range.
Task<http::Response> debug_r2_get(RequestContext& context) {
  auto offset = integer_field(context.query, "offset");
  auto length = integer_field(context.query, "length");
  auto suffix = integer_field(context.query, "suffix");
  std::optional<r2::Range> range;
  if (offset || length || suffix) range = r2::Range{offset, length, suffix};
  auto object = co_await r2::get(context.path_params["key"], range);
  if (!object) co_return not_found(context, context.path_params["key"]);
  http::Response response{200, {}, std::move(object->body)};
  response.headers.set("content-type", object->info.content_type);
  response.headers.set("etag", "\"" + object->info.etag + "\"");
  response.headers.set("x-object-size", std::to_string(object->info.size));
  response.headers.set("x-range-offset", std::to_string(object->range_offset));
  co_return response;
}

}  // namespace

std::vector<Route> debug_routes() {
  auto probe = [](std::string id, std::string summary, std::vector<schema::Parameter> parameters = {}) {
    return schema::Operation{.id = std::move(id),
                             .tag = "Debug (development only)",
                             .summary = std::move(summary),
                             .description = "Served only when PATOMIC_DEBUG_ROUTES is true (wrangler dev and tests).",
                             .parameters = std::move(parameters),
                             .replies = {{200, "The probe's result.", Schema::any(), {{"ok", true}}}},
                             .needs_key = false};
  };
  auto sleep_ms = schema::query_param("ms", Schema::integer("How long to wait.").range(0, 10000).fallback(0));
  auto store_key = schema::path_param("key", Schema::string().length(1, 512));
  auto stored = [](schema::Operation operation) {
    operation.replies = {{201, "Stored.", Schema::any(), {{"key", "probe"}, {"bytes", 5}}}};
    return operation;
  };
  auto bytes = [](schema::Operation operation) {
    operation.replies = {{200, "The stored bytes, with the type they were stored with.", std::nullopt, {}, "*/*"}};
    operation.errors = {"resource_missing"};
    return operation;
  };
  auto echo = probe("debugEcho", "Echo a JSON body");
  echo.body = Schema::any("Any JSON value.");
  auto slow_post = probe("debugSleepAuthenticated", "Wait, as an authenticated POST", {sleep_ms});
  slow_post.body = Schema::any_object("Ignored; part of the idempotency fingerprint.");
  slow_post.needs_key = true;
  return {
      {"POST", "/__debug/echo", debug_echo, echo, {}, false, true},
      {"POST", "/__debug/trap", debug_trap, probe("debugTrap", "Trap the module (answers 500 internal_error)"), {}, false, true},
      {"GET", "/__debug/sleep", debug_sleep, probe("debugSleep", "Wait on a timer", {sleep_ms}), {}, false, true},
      {"POST", "/v1/debug/sleep", debug_sleep, slow_post, {}, false, true},
      {"PUT",
       "/__debug/kv/{key}",
       debug_kv_put,
       stored(probe("debugKvPut", "Store the raw body in KV",
                    {store_key, schema::query_param("ttl", Schema::integer("Seconds to keep it.").range(60, 365LL * 86400))})),
       {},
       true,
       true},
      {"GET", "/__debug/kv/{key}", debug_kv_get, bytes(probe("debugKvGet", "Read a KV value", {store_key})), {}, false, true},
      {"PUT",
       "/__debug/r2/{key}",
       debug_r2_put,
       stored(probe("debugR2Put", "Store the raw body in R2", {store_key})),
       {},
       true,
       true},
      {"GET",
       "/__debug/r2/{key}",
       debug_r2_get,
       bytes(probe("debugR2Get", "Read an R2 object or a byte range of it",
                   {store_key, schema::query_param("offset", Schema::integer().range(0, INT64_MAX)),
                    schema::query_param("length", Schema::integer().range(1, INT64_MAX)),
                    schema::query_param("suffix", Schema::integer().range(1, INT64_MAX))})),
       {},
       false,
       true},
  };
}

}  // namespace ptmc::api
