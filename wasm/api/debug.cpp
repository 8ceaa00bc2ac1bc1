#include "bindings/durable_object.hpp"
#include "bindings/fetch.hpp"
#include "bindings/kv.hpp"
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"

#include <cstdint>
#include <cstdlib>

namespace ptmc::api {

Task<http::Response> debug_echo(RequestContext& context) {
  co_return http::json_response(200, {{"received", context.body}});
}

// Proves that a trap answers 500 and the next request finds a fresh, healthy instance.
Task<http::Response> debug_trap(RequestContext&) {
  __builtin_trap();
  co_return http::Response{};
}

namespace {

// An optional integer query parameter within [low, high]; nullopt when absent.
struct IntegerParam {
  std::optional<int64_t> value;
  bool valid = true;
};

IntegerParam integer_param(const RequestContext& context, const char* name, int64_t low, int64_t high) {
  auto text = http::query_param(context.request.query, name);
  if (!text) return {};
  char* end = nullptr;
  long long value = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || value < low || value > high) return {std::nullopt, false};
  return {value, true};
}

ApiError invalid_param(const char* name, const char* rule) {
  return {400, ErrorType::invalid_request, "parameter_invalid", std::string(name) + " must be " + rule + ".",
          "Correct the query parameter and retry.", name};
}

http::Response not_found(const RequestContext& context, const std::string& key) {
  return context.fail({404, ErrorType::invalid_request, "resource_missing", "No object at '" + key + "'.",
                       "Store it first with PUT."});
}

}  // namespace

Task<http::Response> debug_sleep(RequestContext& context) {
  auto ms = integer_param(context, "ms", 0, 10000);
  if (!ms.valid || !ms.value) co_return context.invalid(invalid_param("ms", "an integer from 0 to 10000"));
  co_await outbound::sleep(*ms.value);
  co_return http::json_response(200, {{"slept_ms", *ms.value}});
}

Task<http::Response> debug_kv_put(RequestContext& context) {
  auto ttl = integer_param(context, "ttl", 60, 365LL * 86400);
  if (!ttl.valid) co_return context.invalid(invalid_param("ttl", "an integer number of seconds from 60"));
  co_await kv::put(context.path_params["key"], context.request.body, {ttl.value, nullptr});
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
  auto offset = integer_param(context, "offset", 0, INT64_MAX);
  auto length = integer_param(context, "length", 1, INT64_MAX);
  auto suffix = integer_param(context, "suffix", 1, INT64_MAX);
  if (!offset.valid) co_return context.invalid(invalid_param("offset", "a non-negative integer"));
  if (!length.valid) co_return context.invalid(invalid_param("length", "a positive integer"));
  if (!suffix.valid) co_return context.invalid(invalid_param("suffix", "a positive integer"));
  std::optional<r2::Range> range;
  if (offset.value || length.value || suffix.value) range = r2::Range{offset.value, length.value, suffix.value};
  auto object = co_await r2::get(context.path_params["key"], range);
  if (!object) co_return not_found(context, context.path_params["key"]);
  http::Response response{200, {}, std::move(object->body)};
  response.headers.set("content-type", object->info.content_type);
  response.headers.set("etag", "\"" + object->info.etag + "\"");
  response.headers.set("x-object-size", std::to_string(object->info.size));
  response.headers.set("x-range-offset", std::to_string(object->range_offset));
  co_return response;
}

Task<http::Response> debug_sequence(RequestContext& context) {
  http::Request call{"POST", "https://sequencer/next", "/next", "", {}, ""};
  call.headers.set("x-request-id", context.request_id);
  co_return co_await durable_object::call("SEQUENCER", context.path_params["name"], std::move(call));
}

}  // namespace ptmc::api
