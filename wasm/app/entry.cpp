#include "wasm/app/entry.hpp"

#include "wasm/accounts/commands.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/auth/isolate_state.hpp"
#include "wasm/background/background.hpp"
#include "wasm/durable_objects/durable_objects.hpp"
#include "wasm/http/frame_codec.hpp"
#include "wasm/middleware/pipeline.hpp"
#include "wasm/reference/contract.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::app {
namespace {

wire::Frame rejected(const char* reason) { return wire::Frame{{{"rejected", reason}}, {}}; }

// Native builds check every answer against its route's declaration and hand what departs from
// it to the host, which fails the test that asked (wasm/reference/contract.hpp).
constexpr bool kCheckResponses = PATOMIC_CHECK_RESPONSES;

}  // namespace

Task<wire::Frame> on_fetch(wire::Frame input) {
  auto request = http::request_from_frame(input);
  if (!request) co_return rejected("malformed fetch request");
  RequestContext context{std::move(*request), config(), services::now_ms()};
  match_route(context, api::routes());  // first, so that every middleware knows the route
  http::Response response = co_await run_chain(context, request_pipeline(), serve_route);
  std::vector<std::string> violations;
  if constexpr (kCheckResponses) violations = reference::contract_violations(context, response, api::components());
  wire::Frame answer = http::response_to_frame(std::move(response));
  if (!violations.empty()) answer.meta["contract_violations"] = std::move(violations);
  co_return answer;
}

Task<wire::Frame> run_entry(std::optional<wire::Frame> input) {
  const auto* entry = input ? string_field(input->meta, "entry") : nullptr;
  if (!entry) co_return rejected("malformed start frame");
  if (*entry == "fetch") co_return co_await on_fetch(std::move(*input));
  if (*entry == "queue") co_return co_await background::on_queue_batch(std::move(*input));
  if (*entry == "scheduled") co_return co_await background::on_scheduled(std::move(*input));
  if (*entry == "object.fetch") co_return co_await durable_objects::on_object_fetch(std::move(*input));
  if (*entry == "command") co_return co_await accounts::on_command(std::move(*input));
  co_return rejected("unknown entry");
}

void prepare() {
  // A request no route serves, decoded, routed and answered but never sent (no middleware, so
  // no log line and no randomness, which a Worker may not use while it loads): the code every
  // request runs is compiled before the first one.
  wire::Frame probe{{{"entry", "fetch"}, {"method", "GET"}, {"url", "https://prepare.invalid/"}, {"head", 0}}, {""}};
  auto decoded = wire::decode(wire::encode(probe));
  if (auto request = decoded ? http::request_from_frame(*decoded) : std::nullopt) {
    RequestContext context{std::move(*request), config(), 0};
    match_route(context, api::routes());
    if (auto answer = refuse_unroutable(context)) wire::encode(http::response_to_frame(std::move(*answer)));
  }
}

void configure(Config config) {
  install_config(std::move(config));
  auth::key_cache() = auth::KeyCache(auth::kKeyCacheCapacity);
  auth::failure_throttle() = auth::FailureThrottle();
}

}  // namespace ptmc::app
