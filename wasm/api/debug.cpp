#include "bindings/durable_object.hpp"
#include "bindings/fetch.hpp"
#include "wasm/api/handlers.hpp"

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

Task<http::Response> debug_sleep(RequestContext& context) {
  auto text = http::query_param(context.request.query, "ms").value_or("");
  char* end = nullptr;
  long ms = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || ms < 0 || ms > 10000)
    co_return context.fail({400, ErrorType::invalid_request, "parameter_invalid", "ms must be an integer from 0 to 10000.",
                            "Pass ?ms=250.", "ms"});
  co_await outbound::sleep(ms);
  co_return http::json_response(200, {{"slept_ms", ms}});
}

Task<http::Response> debug_sequence(RequestContext& context) {
  http::Request call{"POST", "https://sequencer/next", "/next", "", {}, ""};
  call.headers.set("x-request-id", context.request_id);
  co_return co_await durable_object::call("SEQUENCER", context.path_params["name"], std::move(call));
}

}  // namespace ptmc::api
