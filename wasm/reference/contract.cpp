#include "wasm/reference/contract.hpp"

#include "wasm/http/router.hpp"
#include "wasm/reference/reference.hpp"

#include <algorithm>

namespace ptmc::reference {
namespace {

class Findings {
 public:
  Findings(const RequestContext& context, const http::Response& response)
      : where_(context.request.method + " " + context.request.path + " answered " + std::to_string(response.status) + ": ") {}
  void add(std::string problem) { items_.push_back(where_ + std::move(problem)); }
  std::vector<std::string> take() { return std::move(items_); }

 private:
  std::string where_;
  std::vector<std::string> items_;
};

bool media_matches(std::string_view declared, const http::Response& response) {
  return declared == "*/*" || http::media_type(response.headers.get("content-type").value_or("")) == declared;
}

// The body, parsed, once checked against `schema`; nullopt when it is not JSON.
std::optional<Json> check_json(const http::Response& response, const schema::Schema& schema, const schema::Components& components,
                               Findings& findings) {
  auto body = parse_json(response.body);
  if (!body) {
    findings.add("the body is not JSON");
    return std::nullopt;
  }
  Violations violations;
  schema.check(*body, "response", violations, &components);
  if (!violations.empty()) findings.add("the body does not match its schema: " + violations.message());
  return body;
}

void check_failure(const RequestContext& context, const http::Response& response, const schema::Components& components,
                   Findings& findings) {
  if (!response.headers.has("x-request-id")) findings.add("no X-Request-Id header");
  if (!media_matches("application/json", response)) return findings.add("a failure that is not a JSON envelope");
  auto envelope = components.find("Error");
  if (envelope == components.end()) return findings.add("no Error component is declared");
  auto body = check_json(response, envelope->second, components, findings);
  std::string code = body && body->is_object() && (*body)["error"].is_object() ? (*body)["error"].value("code", "") : "";
  const auto* doc = find_error_doc(code);
  if (!doc) return findings.add("error code '" + code + "' is not in the error reference");
  if (doc->example.status != response.status)
    findings.add("error code '" + code + "' is documented with status " + std::to_string(doc->example.status));
  auto documented = context.route ? error_codes(*context.route) : unrouted_error_codes();
  if (std::find(documented.begin(), documented.end(), code) != documented.end()) return;
  if (context.route)
    findings.add("error code '" + code + "' is not among the codes " + std::string(context.route->pattern) + " documents");
  else findings.add("error code '" + code + "' for a request no route serves");
}

void check_success(const RequestContext& context, const http::Response& response, const schema::Components& components,
                   Findings& findings) {
  const auto& method = context.request.method;
  if (method == "OPTIONS" && response.status == 204) {  // a CORS preflight, answered before any route
    if (!response.body.empty()) findings.add("a preflight with a body");
    return;
  }
  if (!context.route) return findings.add("a success for a request no route serves");
  if (response.status == 304) {
    if (context.route->method != "GET") findings.add("304 for a route that is not a GET");
    if (!response.body.empty()) findings.add("304 with a body");
    return;
  }
  const auto& replies = context.route->operation.replies;
  auto reply = std::find_if(replies.begin(), replies.end(), [&](const schema::Reply& r) { return r.status == response.status; });
  if (reply == replies.end()) return findings.add("a status the route does not declare");
  for (const auto& header : reply_headers(*context.route, response.status))
    if (!response.headers.has(http::lower_ascii(header.name))) findings.add("no " + std::string(header.name) + " header");
  bool has_body = !response.body.empty() || response.blob;
  bool json = reply->media_type == "application/json";
  if (json && !reply->body) {
    if (has_body) findings.add("a body where none is declared");
    return;
  }
  if (!media_matches(reply->media_type, response))
    return findings.add("content type '" + std::string(response.headers.get("content-type").value_or("")) + "', declared '" +
                        reply->media_type + "'");
  if (method == "HEAD") {
    if (has_body) findings.add("HEAD with a body");
  } else if (json) {
    check_json(response, *reply->body, components, findings);
  }
}

}  // namespace

std::vector<std::string> contract_violations(const RequestContext& context, const http::Response& response,
                                             const schema::Components& components) {
  Findings findings(context, response);
  if (response.forward) return {};  // a Durable Object answers; its answer is checked where it is made
  if (response.status >= 400) check_failure(context, response, components, findings);
  else check_success(context, response, components, findings);
  return findings.take();
}

}  // namespace ptmc::reference
