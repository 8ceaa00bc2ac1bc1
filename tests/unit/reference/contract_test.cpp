// wasm/reference/contract: each rule a response is checked by, on a hand-made route.
#include "wasm/api/handlers.hpp"
#include "wasm/reference/contract.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using schema::required;
using schema::Schema;

namespace {

Task<http::Response> unused_handler(RequestContext&) { co_return http::Response{}; }

const schema::Components& widget_components() {
  static const schema::Components components = [] {
    auto all = api::components();  // for the real Error envelope
    all.emplace("Widget", Schema::object({required("id", Schema::string()), required("made", Schema::date())}));
    return all;
  }();
  return components;
}

const Route kWidgetRoute{"GET",
                         "/v1/widgets/{id}",
                         unused_handler,
                         {.id = "getWidget",
                          .tag = "Widgets",
                          .summary = "A widget",
                          .parameters = {schema::path_param("id", Schema::string())},
                          .replies = {{200, "The widget.", Schema::ref("Widget"), {}}},
                          .errors = {"resource_missing"}},
                         "keys:read"};

struct WidgetCall {
  RequestContext context;
  explicit WidgetCall(std::string method = "GET", const Route* route = &kWidgetRoute)
      : context{http::Request{std::move(method), "https://api.patomic.test/v1/widgets/w1", "/v1/widgets/w1", "", {}, ""},
                config(), 0} {
    context.route = route;
    context.request_id = "req_contract";
  }
  // A success with every header the widget route declares.
  std::vector<std::string> of(int status, std::string body, std::string type = "application/json") {
    http::Response response{status, {}, std::move(body)};
    for (const char* name :
         {"x-request-id", "etag", "cache-control", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"})
      response.headers.set(name, "1");
    if (!type.empty()) response.headers.set("content-type", type);
    return reference::contract_violations(context, response, widget_components());
  }
  std::vector<std::string> of(const ApiError& error) {
    http::Response response = context.fail(error);
    response.headers.set("x-request-id", "req_contract");
    return reference::contract_violations(context, response, widget_components());
  }
};

// The one violation expected, containing `text`.
void one_violation(const std::vector<std::string>& violations, const std::string& text) {
  INFO(Json(violations).dump());
  REQUIRE(violations.size() == 1);
  CHECK(violations.front().find(text) != std::string::npos);
}

}  // namespace

TEST_CASE("a success is checked against the reply its route declares for that status", "[contract]") {
  WidgetCall check;
  CHECK(check.of(200, R"({"id":"w1","made":"2026-01-02"})").empty());
  CHECK(check.of(200, R"({"id":"w1","made":"2026-01-02"})", "application/json; charset=utf-8").empty());
  one_violation(check.of(200, R"({"id":"w1"})"), "response[made]: is required");
  one_violation(check.of(200, R"({"id":"w1","made":"2026-1-2"})"), "response[made]: must be a date");
  one_violation(check.of(200, R"({"id":"w1","made":"2026-01-02","colour":"red"})"), "response[colour]");
  one_violation(check.of(200, R"({"id":"w1")"), "not JSON");
  one_violation(check.of(200, R"({"id":"w1","made":"2026-01-02"})", "text/plain"), "content type 'text/plain'");
  one_violation(check.of(201, R"({"id":"w1","made":"2026-01-02"})"), "a status the route does not declare");
  // 304 belongs to GETs, with no body; HEAD answers no body.
  CHECK(check.of(304, "", "").empty());
  one_violation(check.of(304, "{}"), "304 with a body");
  WidgetCall head("HEAD");
  CHECK(head.of(200, "").empty());
  one_violation(head.of(200, "{}"), "HEAD with a body");
}

TEST_CASE("a failure is the Error envelope with a code its route documents, at that code's status", "[contract]") {
  WidgetCall check;
  CHECK(check.of(errors::resource_missing("widget", "w1")).empty());
  CHECK(check.of(errors::missing_api_key()).empty());  // the pipeline's codes of a keyed route count
  one_violation(check.of(errors::idempotency_key_reused()), "not among the codes /v1/widgets/{id} documents");
  ApiError wrong_status = errors::resource_missing("widget", "w1");
  wrong_status.status = 410;
  one_violation(check.of(wrong_status), "documented with status 404");
  one_violation(check.of(404, R"({"error":{"code":"resource_missing"}})"), "response[error][type]: is required");
  one_violation(check.of(404, "not found", "text/plain"), "not a JSON envelope");

  // With no route, only what the router and the outer middleware answer.
  WidgetCall unrouted("GET", nullptr);
  CHECK(unrouted.of(errors::route_not_found("GET", "/v1/widgets/w1")).empty());
  one_violation(unrouted.of(errors::resource_missing("widget", "w1")), "no route serves");
  one_violation(unrouted.of(200, "{}"), "a success for a request no route serves");
}

TEST_CASE("an answer carries the headers its reply declares", "[contract]") {
  WidgetCall check;
  auto answer = [&](int status, std::string body, std::initializer_list<const char*> names) {
    http::Response response{status, {}, std::move(body)};
    response.headers.set("content-type", "application/json");
    for (const char* name : names) response.headers.set(name, "1");
    return reference::contract_violations(check.context, response, widget_components());
  };
  const std::string widget = R"({"id":"w1","made":"2026-01-02"})";
  auto all = {"x-request-id", "etag", "cache-control", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"};
  CHECK(answer(200, widget, all).empty());
  one_violation(answer(200, widget, {"etag", "cache-control", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}),
                "no X-Request-Id header");
  one_violation(
      answer(200, widget, {"x-request-id", "cache-control", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}),
      "no ETag header");
  one_violation(answer(200, widget, {"x-request-id", "etag", "cache-control", "x-ratelimit-limit", "x-ratelimit-reset"}),
                "no X-RateLimit-Remaining header");
  http::Response failure = check.context.fail(errors::resource_missing("widget", "w1"));
  one_violation(reference::contract_violations(check.context, failure, widget_components()), "no X-Request-Id header");
}
