#include "wasm/durable_objects/durable_objects.hpp"

#include "wasm/http/errors.hpp"
#include "wasm/http/frame_codec.hpp"
#include "wasm/runtime/effect.hpp"

namespace ptmc::durable_objects {
namespace {

// Each class serves POST paths of its own; anything else is a clear error, not a guess.
struct ObjectRoute {
  std::string_view object, path;
  Task<http::Response> (*handle)(const http::Request&);
};

constexpr ObjectRoute kRoutes[] = {
    {"EntityRegistry", "/resolve", resolve_entities},
    {"Firehose", "/append", append_events},
    {"Firehose", "/replay", replay_events},
    {"Firehose", "/live-keys", live_keys},
};

Task<http::Response> serve(std::string_view class_name, const http::Request& request, std::string_view request_id) {
  const ObjectRoute* route = nullptr;
  std::string paths;
  for (const auto& candidate : kRoutes) {
    if (candidate.object != class_name) continue;
    paths += (paths.empty() ? "POST " : ", POST ") + std::string(candidate.path);
    if (candidate.path == request.path) route = &candidate;
  }
  if (!route)
    co_return error_response({404, ErrorType::invalid_request, "route_not_found",
                              "The " + std::string(class_name) + " serves " + paths + ".", "Call " + paths + "."},
                             request_id);
  if (request.method != "POST") {
    auto response = error_response(errors::method_not_allowed(request.method, "POST"), request_id);
    response.headers.set("allow", "POST");
    co_return response;
  }
  auto outcome = co_await catch_faults(route->handle(request));
  if (outcome.ok()) co_return outcome.take();
  co_return error_response(errors::service_unavailable(outcome.fault().source), request_id);
}

}  // namespace

Task<wire::Frame> on_object_fetch(wire::Frame input) {
  const auto* class_name = string_field(input.meta, "class");
  auto request = http::request_from_frame(input);
  bool known = false;
  for (const auto& route : kRoutes) known = known || (class_name && *class_name == route.object);
  if (!known || !request) co_return wire::Frame{{{"rejected", "unknown object class or malformed request"}}, {}};
  std::string request_id(request->headers.get("x-request-id").value_or(""));
  co_return http::response_to_frame(co_await serve(*class_name, *request, request_id));
}

}  // namespace ptmc::durable_objects
