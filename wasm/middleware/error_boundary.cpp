#include "wasm/middleware/pipeline.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc {

// A failed effect below this point unwinds to here and answers a 503 envelope. Writes that
// must be all-or-nothing go through d1::batch, so a fault never leaves half a change.
Task<http::Response> error_boundary(RequestContext& context, const Next& next) {
  auto outcome = co_await catch_faults(next());
  if (outcome.ok()) co_return outcome.take();
  co_return fault_response(context, outcome.fault());
}

http::Response fault_response(const RequestContext& context, const Fault& fault) {
  services::write_log_line(dump_json({{"level", "error"},
                                      {"msg", "fault"},
                                      {"request_id", context.request_id},
                                      {"source", fault.source},
                                      {"detail", fault.message}}));
  return context.fail(errors::service_unavailable(fault.source));
}

}  // namespace ptmc
