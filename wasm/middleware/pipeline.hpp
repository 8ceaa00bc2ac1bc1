// Middleware as small functions composed into one chain, outermost first:
//   secure headers -> request log -> error boundary -> CORS -> authenticate -> rate limit
//   -> idempotency -> conditional GET -> router (-> validation, handler)
// Each gets the request context and `next`, awaits it (or not), and may edit the response.
#pragma once

#include "wasm/http/context.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/task.hpp"

#include <functional>
#include <span>

namespace ptmc {

using Next = std::function<Task<http::Response>()>;
using Middleware = Task<http::Response> (*)(RequestContext& context, const Next& next);
using Endpoint = Task<http::Response> (*)(RequestContext& context);

Task<http::Response> run_chain(RequestContext& context, std::span<const Middleware> chain, Endpoint endpoint);

// Logs a fault that stopped this request and answers its 503 envelope.
http::Response fault_response(const RequestContext& context, const Fault& fault);

// The middleware, in wasm/middleware/*.cpp.
Task<http::Response> secure_headers(RequestContext& context, const Next& next);
Task<http::Response> request_log(RequestContext& context, const Next& next);
Task<http::Response> error_boundary(RequestContext& context, const Next& next);
Task<http::Response> cors(RequestContext& context, const Next& next);
Task<http::Response> authenticate(RequestContext& context, const Next& next);
Task<http::Response> rate_limit(RequestContext& context, const Next& next);
Task<http::Response> idempotency(RequestContext& context, const Next& next);
Task<http::Response> conditional_get(RequestContext& context, const Next& next);

}  // namespace ptmc
