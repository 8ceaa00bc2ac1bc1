// The API reference: the OpenAPI document describes exactly the routes served, /docs renders
// it with an anchor for every operation and error code (responses are checked against their
// schemas on every request: contract_test.cpp).
#include "tests/flow/requests.hpp"
#include "wasm/api/handlers.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

size_t operation_count(const Json& document) {
  size_t count = 0;
  for (const auto& [path, methods] : document["paths"].items()) count += methods.size();
  return count;
}

}  // namespace

TEST_CASE("GET /v1/openapi.json needs no key and describes every route served", "[reference]") {
  Host host;
  auto response = host.fetch("GET", "/v1/openapi.json");
  REQUIRE(response.status == 200);
  CHECK(response.headers.get("cache-control") == "public, max-age=300");
  CHECK(response.headers.has("etag"));
  Json document = body_json(response);
  CHECK(document["openapi"] == "3.1.0");
  size_t served = 0;
  for (const auto& route : api::routes()) {
    ++served;  // the native host enables debug routes, so every route is served
    std::string method = http::lower_ascii(route.method);
    INFO(route.method << " " << route.pattern);
    REQUIRE(document["paths"].contains(std::string(route.pattern)));
    const Json& operation = document["paths"][std::string(route.pattern)][method];
    CHECK(operation["operationId"] == route.operation.id);
    CHECK_FALSE(route.operation.summary.empty());
    CHECK(operation["responses"].contains(std::to_string(route.operation.replies.at(0).status)));
    bool open = !route.operation.needs_key;
    CHECK(operation["security"].empty() == open);
    if (open && route.pattern.rfind("/v1/", 0) == 0) CHECK(route.pattern == "/v1/openapi.json");  // the one open /v1 route
    for (const auto& parameter : route.operation.parameters) {
      bool listed = false;
      for (const auto& item : operation["parameters"]) listed = listed || item.value("name", "") == parameter.name;
      CHECK(listed);
    }
  }
  CHECK(operation_count(document) == served);
}

TEST_CASE("without debug routes the document does not describe them either", "[reference]") {
  Host::Options options;
  options.vars = {{"ENVIRONMENT", "production"}, {"API_KEY_PEPPER", "a-production-pepper-of-length"}};
  Host host(options);
  Json document = body_json(host.fetch("GET", "/v1/openapi.json"));
  CHECK_FALSE(document["paths"].contains("/__debug/echo"));
  CHECK(document["paths"].contains("/v1/keys"));
  size_t public_routes = 0;
  for (const auto& route : api::routes()) public_routes += route.debug_only ? 0 : 1;
  CHECK(operation_count(document) == public_routes);
}

TEST_CASE("every error an operation names is in the catalogue, with an example envelope", "[reference]") {
  for (const auto& route : api::routes())
    for (const auto& code : route.operation.errors) {
      INFO(route.pattern << " " << code);
      CHECK(find_error_doc(code));
    }
  Host host;
  Json document = body_json(host.fetch("GET", "/v1/openapi.json"));
  const Json& created = document["paths"]["/v1/keys"]["post"]["responses"];
  for (const char* status : {"400", "401", "403", "409", "413", "415", "429", "500", "503"}) CHECK(created.contains(status));
  const Json& examples = created["409"]["content"]["application/json"]["examples"];
  CHECK(examples["idempotency_key_in_use"]["value"]["error"]["code"] == "idempotency_key_in_use");
  CHECK(document["paths"]["/v1/keys"]["get"]["responses"]["400"]["content"]["application/json"]["examples"].contains(
      "invalid_cursor"));
  CHECK(document["x-error-codes"].size() == error_catalogue().size());
}

TEST_CASE("/docs is one self-contained page with an anchor for every operation and error code", "[reference]") {
  Host host;
  auto response = host.fetch("GET", "/docs");
  REQUIRE(response.status == 200);
  CHECK(response.headers.get("content-type") == "text/html; charset=utf-8");
  auto policy = std::string(response.headers.get("content-security-policy").value_or(""));
  CHECK(policy.rfind("default-src 'none'; style-src 'sha256-", 0) == 0);
  CHECK(policy.find("unsafe") == std::string::npos);
  const std::string& page = response.body;
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  for (const auto& route : api::routes()) CHECK(page.find("id=\"" + route.operation.id + "\"") != std::string::npos);
  for (const auto& doc : error_catalogue()) CHECK(page.find("id=\"error-" + doc.example.code + "\"") != std::string::npos);

  // The docs_url of a real envelope points at one of those anchors.
  std::string docs_url = body_json(host.fetch("GET", "/v1/me"))["error"]["docs_url"];
  auto hash = docs_url.find('#');
  REQUIRE(hash != std::string::npos);
  CHECK(page.find("id=\"" + docs_url.substr(hash + 1) + "\"") != std::string::npos);
}
