#include "wasm/middleware/pipeline.hpp"

namespace ptmc {

Task<http::Response> run_chain(RequestContext& context, std::span<const Middleware> chain, Endpoint endpoint) {
  if (chain.empty()) co_return co_await endpoint(context);
  Next next = [&context, rest = chain.subspan(1), endpoint] { return run_chain(context, rest, endpoint); };
  co_return co_await chain.front()(context, next);
}

}  // namespace ptmc
