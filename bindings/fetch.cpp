#include "bindings/fetch.hpp"

#include "bindings/effect_kinds.hpp"

namespace ptmc::outbound {

Outcome<http::Response> decode_response(EffectResult&& result) {
  auto status = integer_field(result.value, "status");
  auto headers = http::Headers::from_json(result.value.is_object() ? result.value.value("headers", Json::array()) : Json());
  if (!status || *status < 100 || *status > 599 || !headers) return malformed_result();
  return http::Response{static_cast<int>(*status), std::move(*headers), result.body ? std::move(*result.body) : std::string()};
}

Effect<Answer> fetch(Request request) {
  Json meta = {{"url", std::move(request.url)},
               {"method", std::move(request.method)},
               {"headers", request.headers.to_json()},
               {"timeoutMs", request.timeout_ms},
               {"maxResponseBytes", request.max_response_bytes},
               {"redirect", request.follow_redirects ? "follow" : "manual"}};
  std::optional<std::string> body;
  if (!request.body.empty()) body = std::move(request.body);
  return {{&effect_kind::fetch, std::move(meta), std::move(body)}, [](EffectResult&& result) -> Outcome<Answer> {
            int64_t elapsed = integer_field(result.value, "elapsedMs").value_or(0);
            auto response = decode_response(std::move(result));
            if (!response.ok()) return response.fault();
            return Answer{response.take(), elapsed};
          }};
}

Effect<bool> sleep(int64_t ms) {
  return {{&effect_kind::timer_sleep, {{"ms", ms}}, std::nullopt}, [](EffectResult&&) -> Outcome<bool> { return true; }};
}

}  // namespace ptmc::outbound
