// Sequencer: hands out a strictly increasing sequence number per object name. The seed of
// the event firehose (a monotonic seq in the object's storage).
#include "bindings/durable_object.hpp"
#include "wasm/objects/objects.hpp"

namespace ptmc::objects {

// The object's input gate holds other events while storage calls are in flight, so the
// read-increment-write below is not interleaved with another request's.
Task<http::Response> next_sequence(const http::Request&) {
  auto stored = co_await durable_object::storage::get({"seq"});
  auto found = stored.find("seq");
  int64_t seq = (found != stored.end() && found->second.is_number_integer() ? found->second.get<int64_t>() : 0) + 1;
  co_await durable_object::storage::put({{"seq", seq}});
  co_return http::json_response(200, {{"seq", seq}});
}

}  // namespace ptmc::objects
