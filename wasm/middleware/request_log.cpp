#include "wasm/middleware/pipeline.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc {
namespace {

// cf-ray is Cloudflare's own id for the request, so logs join up with Cloudflare's.
std::string request_id_for(const http::Request& request) {
  auto ray = request.headers.get("cf-ray");
  if (ray && !ray->empty() && ray->size() <= 64) {
    bool printable = true;
    for (char c : *ray) printable = printable && c > 0x20 && c < 0x7f && c != '"';
    if (printable) return std::string(*ray);
  }
  return "req_" + services::random_hex(12);
}

}  // namespace

// One JSON line per request, readable with `wrangler tail`.
Task<http::Response> request_log(RequestContext& context, const Next& next) {
  context.request_id = request_id_for(context.request);
  http::Response response = co_await next();
  response.headers.set("x-request-id", context.request_id);
  const TaskStats& stats = current_task().stats();
  Json line = {{"level", response.status >= 500 ? "error" : "info"},
               {"msg", "request"},
               {"request_id", context.request_id},
               {"method", context.request.method},
               {"route", context.route_pattern},
               {"path", context.request.path},
               {"status", response.status},
               {"duration_ms", services::now_ms() - context.started_ms},
               {"effects", stats.effects},
               {"round_trips", stats.round_trips},
               {"d1_round_trips", stats.d1_round_trips},
               {"key_id", context.principal ? Json(context.principal->key_id) : Json()}};
  services::write_log_line(dump_json(line));
  co_return response;
}

}  // namespace ptmc
