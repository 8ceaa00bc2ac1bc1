#include "wasm/objects/objects.hpp"

#include "wasm/http/errors.hpp"
#include "wasm/http/frame_codec.hpp"
#include "wasm/runtime/effect.hpp"

namespace ptmc::objects {
namespace {

// Each class serves one POST path; anything else is a clear error, not a guess.
struct ObjectClass {
  std::string_view name, path;
  Task<http::Response> (*handle)(const http::Request&);
};

constexpr ObjectClass kClasses[] = {
    {"Sequencer", "/next", next_sequence},
    {"EntityRegistry", "/resolve", resolve_entities},
};

Task<http::Response> serve(const ObjectClass& object, const http::Request& request, std::string_view request_id) {
  if (request.path != object.path)
    co_return error_response({404, ErrorType::invalid_request, "route_not_found",
                              "The " + std::string(object.name) + " serves POST " + std::string(object.path) + ".",
                              "Call POST " + std::string(object.path) + "."},
                             request_id);
  if (request.method != "POST") {
    auto response = error_response(errors::method_not_allowed(request.method, "POST"), request_id);
    response.headers.set("allow", "POST");
    co_return response;
  }
  auto outcome = co_await catch_faults(object.handle(request));
  if (outcome.ok()) co_return outcome.take();
  co_return error_response(errors::service_unavailable(outcome.fault().source), request_id);
}

}  // namespace

Task<wire::Frame> on_object_fetch(wire::Frame input) {
  const auto* class_name = string_field(input.meta, "class");
  auto request = http::request_from_frame(input);
  const ObjectClass* object = nullptr;
  for (const auto& candidate : kClasses)
    if (class_name && *class_name == candidate.name) object = &candidate;
  if (!object || !request) co_return wire::Frame{{{"rejected", "unknown object class or malformed request"}}, {}};
  std::string request_id(request->headers.get("x-request-id").value_or(""));
  co_return http::response_to_frame(co_await serve(*object, *request, request_id));
}

}  // namespace ptmc::objects
