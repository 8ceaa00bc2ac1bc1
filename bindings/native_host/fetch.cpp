// Outbound fetch: answered by the test's `outbound`, or failed.
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

namespace ptmc::native {

Json Host::fetch_effect(const Json& effect, wire::Frame& request, wire::Frame& results) {
  if (!outbound) return failed("fetch: network unreachable (no outbound handler set)");
  auto headers = http::Headers::from_json(effect.value("headers", Json::array()));
  const auto* url = string_field(effect, "url");
  if (!url || !headers) return failed("fetch: malformed request");
  outbound::Request call{*url,
                         effect.value("method", "GET"),
                         std::move(*headers),
                         request.take_blob(effect, "body").value_or(""),
                         integer_field(effect, "timeoutMs").value_or(10000),
                         integer_field(effect, "maxResponseBytes").value_or(0),
                         effect.value("redirect", "") == "follow"};
  http::Response response = outbound(call);
  // As the shim: at most maxResponseBytes of the body; redirects are the handler's to answer.
  auto limit = static_cast<size_t>(std::max<int64_t>(0, integer_field(effect, "maxResponseBytes").value_or(0)));
  bool truncated = response.body.size() > limit;
  if (truncated) response.body.resize(limit);
  Json entry = ok({{"status", response.status}, {"headers", response.headers.to_json()}, {"truncated", truncated}});
  entry["body"] = results.add_blob(std::move(response.body));
  return entry;
}

}  // namespace ptmc::native
