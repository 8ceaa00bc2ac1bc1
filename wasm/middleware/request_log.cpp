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
  JsonLine line;
  line.text("level", response.status >= 500 ? "error" : "info")
      .text("msg", "request")
      .text("request_id", context.request_id)
      .text("method", context.request.method)
      .text("route", context.route_pattern)
      .text("path", context.request.path)
      .number("status", response.status)
      .number("duration_ms", services::now_ms() - context.started_ms)
      .number("effects", stats.effects)
      .number("round_trips", stats.round_trips)
      .number("d1_round_trips", stats.database_round_trips);
  if (context.principal) line.text("key_id", context.principal->key_id);
  else line.null("key_id");
  services::write_log_line(line.finish());
  co_return response;
}

}  // namespace ptmc
