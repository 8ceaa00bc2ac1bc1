// Sequencer: hands out a strictly increasing sequence number per object name. The seed of
// the event firehose (a monotonic seq in the object's storage).
#include "bindings/durable_object.hpp"
#include "wasm/http/errors.hpp"
#include "wasm/http/frame_codec.hpp"
#include "wasm/objects/objects.hpp"

namespace ptmc::objects {
namespace {

// The object's input gate holds other events while storage calls are in flight, so the
// read-increment-write below is not interleaved with another request's.
Task<http::Response> next_sequence() {
  auto stored = co_await durable_object::storage::get({"seq"});
  auto found = stored.find("seq");
  int64_t seq = (found != stored.end() && found->second.is_number_integer() ? found->second.get<int64_t>() : 0) + 1;
  co_await durable_object::storage::put({{"seq", seq}});
  co_return http::json_response(200, {{"seq", seq}});
}

Task<http::Response> serve(const http::Request& request, std::string_view request_id) {
  if (request.path != "/next")
    co_return error_response({404, ErrorType::invalid_request, "route_not_found", "The Sequencer serves POST /next.",
                              "Call POST /next."},
                             request_id);
  if (request.method != "POST") {
    auto response = error_response(errors::method_not_allowed(request.method, "POST"), request_id);
    response.headers.set("allow", "POST");
    co_return response;
  }
  auto outcome = co_await catch_faults(next_sequence());
  if (outcome.ok()) co_return outcome.take();
  co_return error_response(errors::service_unavailable(outcome.fault().source), request_id);
}

}  // namespace

Task<wire::Frame> on_object_fetch(wire::Frame input) {
  const auto* class_name = string_field(input.meta, "class");
  auto request = http::request_from_frame(input);
  if (!class_name || *class_name != "Sequencer" || !request)
    co_return wire::Frame{{{"rejected", "unknown object class or malformed request"}}, {}};
  std::string request_id(request->headers.get("x-request-id").value_or(""));
  co_return http::response_to_frame(co_await serve(*request, request_id));
}

}  // namespace ptmc::objects
