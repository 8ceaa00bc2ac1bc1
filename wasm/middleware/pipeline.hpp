// Middleware as small functions composed into chains, outermost first. Every request runs
//   secure headers -> request log -> error boundary -> CORS -> serve_route
// and serve_route, once the router has found the route, runs the chain mounted for it:
//   open routes          validate -> conditional GET -> handler
//   keyed reads (GET)    authenticate_read -> rate limit -> authorize -> validate -> conditional GET -> handler
//   keyed writes         authenticate -> rate limit -> authorize -> validate -> idempotency -> handler
// so authorization (scopes, roles) is decided before idempotency and before any handler, and
// only a request that passed validation can claim or replay an Idempotency-Key. A read with a
// key the isolate knows has its key check travel with the handler's first D1 read, in one
// batch (authenticate.cpp, docs/decisions.md 33).
// Each middleware gets the request context and `next`, awaits it at most once (or not), and
// may edit the response.
#pragma once

#include "wasm/http/router.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/task.hpp"

#include <span>

namespace ptmc {

struct Route;
class Next;
using Middleware = Task<http::Response> (*)(RequestContext& context, const Next& next);

// The rest of a chain. It runs once: a second call is a bug in the middleware that made it,
// answered 500 internal_error (and logged) instead of running the rest again.
class Next {
 public:
  Next(RequestContext& context, std::span<const Middleware> rest, Handler handler)
      : context_(context), rest_(rest), handler_(handler) {}
  Task<http::Response> operator()() const;

 private:
  RequestContext& context_;
  std::span<const Middleware> rest_;
  Handler handler_;
  mutable bool called_ = false;
};

Task<http::Response> run_chain(RequestContext& context, std::span<const Middleware> chain, Handler handler);

// The chain every request runs, ending in serve_route.
std::span<const Middleware> request_pipeline();
// Refuses what no route can serve (404, 405, 413, 414, 431), else runs the matched route's
// mounted chain; answers HEAD without a body.
Task<http::Response> serve_route(RequestContext& context);
// The middleware mounted for a route and method (see the table above).
std::span<const Middleware> mounted_for(const Route& route, std::string_view method);

// Logs a fault that stopped this request and answers its 503 envelope.
http::Response fault_response(const RequestContext& context, const Fault& fault);

// The middleware, one file each in wasm/middleware/.
Task<http::Response> secure_headers(RequestContext& context, const Next& next);
Task<http::Response> request_log(RequestContext& context, const Next& next);
Task<http::Response> error_boundary(RequestContext& context, const Next& next);
Task<http::Response> cors(RequestContext& context, const Next& next);
Task<http::Response> authenticate(RequestContext& context, const Next& next);
Task<http::Response> authenticate_read(RequestContext& context, const Next& next);
Task<http::Response> rate_limit(RequestContext& context, const Next& next);
// rate_limit's two halves, for authenticate_read, which counts the window after the handler:
// the headers of the counted window on a response, and the 429 of a window past its limit
// (whose first refusal goes to the audit log).
http::Response with_rate_limit_headers(const RequestContext& context, http::Response response);
Task<http::Response> refuse_over_limit(RequestContext& context);
Task<http::Response> authorize(RequestContext& context, const Next& next);
Task<http::Response> validate(RequestContext& context, const Next& next);
Task<http::Response> idempotency(RequestContext& context, const Next& next);
Task<http::Response> conditional_get(RequestContext& context, const Next& next);

}  // namespace ptmc
