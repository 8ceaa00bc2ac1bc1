// Real requests through the whole pipeline on the native host: every error path answers
// the one envelope, with secure headers, a request id and one log line.
#include "tests/flow/requests.hpp"
#include "wasm/config/config.hpp"
#include "wasm/middleware/pipeline.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using native::body_json;
using native::Host;
using testing::bearer;
using testing::error_code;
using testing::json_bearer;
using testing::owner_key;

namespace {

http::Headers headers(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  http::Headers out;
  for (auto [name, value] : pairs) out.append(name, value);
  return out;
}

void check_envelope(const http::Response& response, int status, const char* type, const char* code) {
  INFO(response.body);
  CHECK(response.status == status);
  CHECK(response.headers.get("content-type") == "application/json; charset=utf-8");
  Json body = body_json(response);
  REQUIRE(body.is_object());
  REQUIRE(body.size() == 1);
  const Json& error = body["error"];
  CHECK(error["type"] == type);
  CHECK(error["code"] == code);
  CHECK(error["message"].is_string());
  CHECK_FALSE(error["message"].get<std::string>().empty());
  CHECK(error["suggestion"].is_string());
  CHECK(error["docs_url"] == std::string("https://api.patomic.dev/docs#error-") + code);
  CHECK(error["request_id"] == std::string(response.headers.get("x-request-id").value_or("?")));
}

void check_secure_headers(const http::Response& response) {
  CHECK(response.headers.get("x-content-type-options") == "nosniff");
  CHECK(response.headers.get("x-frame-options") == "DENY");
  CHECK(response.headers.get("strict-transport-security").has_value());
  CHECK(response.headers.get("content-security-policy") == "default-src 'none'; frame-ancestors 'none'");
  CHECK(response.headers.get("referrer-policy") == "no-referrer");
  CHECK(response.headers.get("x-request-id").has_value());
}

std::vector<Json> request_logs(const Host& host) {
  std::vector<Json> lines;
  for (const auto& line : host.logs)
    if (line.is_object() && line.value("msg", "") == "request") lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("/livez answers 200 with secure headers and one log line", "[pipeline]") {
  Host host;
  auto response = host.fetch("GET", "/livez");
  CHECK(response.status == 200);
  CHECK(body_json(response) == Json{{"status", "live"}});
  check_secure_headers(response);

  auto lines = request_logs(host);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["method"] == "GET");
  CHECK(lines[0]["route"] == "/livez");
  CHECK(lines[0]["status"] == 200);
  CHECK(lines[0]["effects"] == 0);
  CHECK(lines[0]["d1_round_trips"] == 0);
  CHECK(lines[0]["request_id"] == std::string(*response.headers.get("x-request-id")));
}

TEST_CASE("the request id comes from cf-ray when present, else is generated", "[pipeline]") {
  Host host;
  auto with_ray = host.fetch("GET", "/livez", headers({{"cf-ray", "8f1c2d3e4a5b6c7d-SJC"}}));
  CHECK(with_ray.headers.get("x-request-id") == "8f1c2d3e4a5b6c7d-SJC");
  auto generated = host.fetch("GET", "/livez");
  auto id = std::string(generated.headers.get("x-request-id").value_or(""));
  CHECK(id.rfind("req_", 0) == 0);
  CHECK(id.size() == 4 + 24);
  auto hostile = host.fetch("GET", "/livez", headers({{"cf-ray", "a\"b"}}));
  CHECK(std::string(hostile.headers.get("x-request-id").value_or("")).rfind("req_", 0) == 0);
}

TEST_CASE("an unknown route is a 404 envelope", "[pipeline]") {
  Host host;
  auto response = host.fetch("GET", "/nothing-here?x=1");
  check_envelope(response, 404, "invalid_request_error", "route_not_found");
  check_secure_headers(response);
  CHECK(request_logs(host).at(0)["route"] == "unmatched");
}

TEST_CASE("a wrong method is a 405 envelope with Allow", "[pipeline]") {
  Host host;
  auto response = host.fetch("DELETE", "/livez");
  check_envelope(response, 405, "invalid_request_error", "method_not_allowed");
  CHECK(response.headers.get("allow") == "GET, HEAD");
}

TEST_CASE("HEAD is served by GET routes without a body", "[pipeline]") {
  Host host;
  auto response = host.fetch("HEAD", "/livez");
  CHECK(response.status == 200);
  CHECK(response.body.empty());
}

TEST_CASE("a body over 1 MB is a 413 envelope, whatever the route", "[pipeline]") {
  Host host;
  std::string big(1024 * 1024 + 1, 'x');
  check_envelope(host.fetch("POST", "/__debug/echo", headers({{"content-type", "application/json"}}), big), 413,
                 "invalid_request_error", "payload_too_large");
  check_envelope(host.fetch("POST", "/nowhere", {}, big), 413, "invalid_request_error", "payload_too_large");
  // Exactly the limit is still read (and here fails as JSON, not as size).
  std::string at_limit(1024 * 1024, ' ');
  at_limit[0] = '{';
  at_limit.back() = '}';
  CHECK(host.fetch("POST", "/__debug/echo", headers({{"content-type", "application/json"}}), at_limit).status == 200);
}

TEST_CASE("a JSON route refuses other content types with 415", "[pipeline]") {
  Host host;
  auto response = host.fetch("POST", "/__debug/echo", headers({{"content-type", "text/plain"}}), "{}");
  check_envelope(response, 415, "invalid_request_error", "unsupported_media_type");
  check_envelope(host.fetch("POST", "/__debug/echo", {}, "{}"), 415, "invalid_request_error", "unsupported_media_type");
  auto charset = host.fetch("POST", "/__debug/echo", headers({{"content-type", "Application/JSON; charset=utf-8"}}), "{\"a\":1}");
  CHECK(charset.status == 200);
  CHECK(body_json(charset)["received"] == Json{{"a", 1}});
}

TEST_CASE("malformed JSON is a 400 invalid_json envelope", "[pipeline]") {
  Host host;
  for (const char* body : {"{", "{\"a\":}", "nul", "{\"a\":1}}", "\xff\xfe"}) {
    INFO(body);
    check_envelope(host.fetch("POST", "/__debug/echo", headers({{"content-type", "application/json"}}), body), 400,
                   "invalid_request_error", "invalid_json");
  }
}

TEST_CASE("debug routes do not exist unless enabled", "[pipeline]") {
  Host::Options options;
  options.vars = {{"ENVIRONMENT", "production"}};
  Host host(options);
  check_envelope(host.fetch("POST", "/__debug/trap"), 404, "invalid_request_error", "route_not_found");
}

// Issue 12, item 14: the development settings were in the top-level [vars], so a deploy without
// --env served /__debug/*. They now live in .dev.vars, and a deployed environment ignores them.
TEST_CASE("trust 14: development settings are ignored outside development and test", "[pipeline][trust]") {
  for (const char* environment : {"production", "staging", ""}) {
    INFO(environment);
    Host::Options options;
    options.vars = {{"ENVIRONMENT", environment},
                    {"PATOMIC_DEBUG_ROUTES", "true"},
                    {"WEBHOOK_ALLOW_LOCAL_URLS", "true"},
                    {"API_KEY_PEPPER", "a-production-pepper-of-length"},
                    {"API_KEY_PBKDF2_ITERATIONS", "1000"}};
    Host host(options);
    check_envelope(host.fetch("POST", "/__debug/echo", headers({{"content-type", "application/json"}}), "{}"), 404,
                   "invalid_request_error", "route_not_found");
    auto done = host.run(wire::Frame{
        {{"entry", "command"}, {"command", "create_owner_key"}, {"email", "o@example.com"}, {"organisation", "O"}}, {}});
    http::Headers key = headers({{"content-type", "application/json"}});
    key.set("authorization", "Bearer " + done.meta["secret"].get<std::string>());
    auto local = host.fetch("POST", "/v1/webhook_endpoints", key, R"({"url":"http://127.0.0.1:9/h","enabled_events":["*"]})");
    CHECK(local.status == 400);
  }
}

TEST_CASE("/readyz round-trips D1, KV and R2 in one round trip", "[pipeline]") {
  Host host;
  auto response = host.fetch("GET", "/readyz");
  CHECK(response.status == 200);
  CHECK(body_json(response)["checks"] == Json{{"d1", "ok"}, {"kv", "ok"}, {"r2", "ok"}});
  CHECK(host.effect_log == std::vector<std::string>{"d1.first", "kv.get", "r2.head"});
  CHECK(host.last_round_trips == 1);
  CHECK(request_logs(host).at(0)["d1_round_trips"] == 1);
  CHECK(request_logs(host).at(0)["effects"] == 3);
}

TEST_CASE("/readyz answers 503 naming every binding that failed", "[pipeline]") {
  Host host;
  host.fail("d1.", "D1_ERROR: database unavailable");
  host.fail("r2.", "R2 head failed: 500");
  auto response = host.fetch("GET", "/readyz");
  check_envelope(response, 503, "api_error", "not_ready");
  CHECK(body_json(response)["error"]["message"] == "Not ready: d1, r2 failed.");
}

TEST_CASE("a failing backing service gives a 503 envelope from the error boundary", "[pipeline]") {
  Host host;
  CHECK(host.fetch("PUT", "/__debug/kv/a", {}, "stored").status == 201);
  host.fail("kv.", "KV unavailable");
  auto failed = host.fetch("GET", "/__debug/kv/a");
  check_envelope(failed, 503, "api_error", "service_unavailable");
  check_secure_headers(failed);
  CHECK(request_logs(host).back()["status"] == 503);
  auto faults = std::count_if(host.logs.begin(), host.logs.end(), [](const Json& l) { return l.value("msg", "") == "fault"; });
  CHECK(faults == 1);
}

TEST_CASE("/health reports version, revision and toolchain", "[pipeline]") {
  Host host;
  Json body = body_json(host.fetch("GET", "/health"));
  CHECK(body["status"] == "ok");
  CHECK(body["version"] == PATOMIC_VERSION);
  CHECK(body["git_revision"].is_string());
  CHECK(body["toolchain"]["target"] == "native");
  CHECK(body["environment"] == "test");
}

TEST_CASE("CORS echoes allowlisted origins only, never *", "[pipeline]") {
  Host::Options options;
  options.vars["CORS_ALLOWED_ORIGINS"] = "https://app.patomic.dev, http://localhost:5173";
  Host host(options);

  auto allowed = host.fetch("GET", "/livez", headers({{"origin", "http://localhost:5173"}}));
  CHECK(allowed.headers.get("access-control-allow-origin") == "http://localhost:5173");
  CHECK_FALSE(allowed.headers.has("access-control-allow-credentials"));
  CHECK(allowed.headers.get("vary") == "Origin");

  auto other = host.fetch("GET", "/livez", headers({{"origin", "https://evil.example"}}));
  CHECK(other.status == 200);
  CHECK_FALSE(other.headers.has("access-control-allow-origin"));

  auto preflight = host.fetch("OPTIONS", "/v1/keys",
                              headers({{"origin", "https://app.patomic.dev"}, {"access-control-request-method", "POST"}}));
  CHECK(preflight.status == 204);
  CHECK(preflight.headers.get("access-control-allow-origin") == "https://app.patomic.dev");
  CHECK(preflight.headers.get("access-control-allow-headers").value_or("").find("Idempotency-Key") != std::string_view::npos);
  check_secure_headers(preflight);

  auto refused =
      host.fetch("OPTIONS", "/v1/keys", headers({{"origin", "https://evil.example"}, {"access-control-request-method", "POST"}}));
  check_envelope(refused, 403, "permission_error", "cors_origin_not_allowed");
  CHECK_FALSE(refused.headers.has("access-control-allow-origin"));
}

TEST_CASE("a malformed start frame is rejected, never half-run", "[pipeline]") {
  Host host;
  auto done = host.run(http::request_to_frame("fetch", "GET", "no-slash", {}));
  CHECK(done.meta["rejected"] == "malformed fetch request");
  // Headers travel as "name:value" lines, each ending in a line feed: anything else is malformed.
  for (std::string head : {"accept:*/*", "accept\n", ":nameless\n", "accept:a\rb\n"}) {
    auto frame = http::request_to_frame("fetch", "GET", "https://api.patomic.test/livez", {});
    frame.blobs[0] = head;
    CHECK(host.run(std::move(frame)).meta["rejected"] == "malformed fetch request");
  }
  auto headless = http::request_to_frame("fetch", "GET", "https://api.patomic.test/livez", {});
  headless.meta.erase("head");
  CHECK(host.run(std::move(headless)).meta["rejected"] == "malformed fetch request");
  CHECK(host.run(wire::Frame{{{"entry", "teleport"}}, {}}).meta["rejected"] == "unknown entry");
  CHECK(host.run(wire::Frame{{{"headers", 1}}, {}}).meta["rejected"] == "malformed start frame");
}

TEST_CASE("GETs carry an ETag and If-None-Match answers 304 without a body", "[pipeline]") {
  Host host;
  auto first = host.fetch("GET", "/health");
  REQUIRE(first.status == 200);
  auto etag = std::string(first.headers.get("etag").value_or(""));
  CHECK(etag.size() == 24);  // a quoted base64url MurmurHash3 x64-128
  CHECK(first.headers.get("cache-control") == "no-store");
  auto again = host.fetch("GET", "/health", headers({{"if-none-match", etag.c_str()}}));
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.headers.get("etag") == etag);
  CHECK_FALSE(again.headers.has("content-type"));
  std::string weak_in_list = "\"other\", W/" + etag;
  CHECK(host.fetch("GET", "/health", headers({{"if-none-match", weak_in_list.c_str()}})).status == 304);
  CHECK(host.fetch("GET", "/health", headers({{"if-none-match", "\"stale\""}})).status == 200);
  // Errors and non-GETs carry none.
  auto missing = host.fetch("GET", "/nope");
  CHECK_FALSE(missing.headers.has("etag"));
  CHECK(missing.headers.get("cache-control") == "no-store");
  CHECK_FALSE(host.fetch("POST", "/__debug/echo", headers({{"content-type", "application/json"}}), "{}").headers.has("etag"));
}

namespace {

int endpoint_runs = 0;
Task<http::Response> counted_endpoint(RequestContext&) {
  ++endpoint_runs;
  co_return http::Response{200, {}, "ran"};
}
// A faulty middleware: it runs the rest of the chain twice.
Task<http::Response> twice(RequestContext&, const Next& next) {
  co_await next();
  co_return co_await next();
}

}  // namespace

TEST_CASE("next() runs the rest of a chain once: a second call answers 500 and runs nothing", "[pipeline]") {
  Host host;
  RequestContext context{http::Request{"GET", "https://api.patomic.test/x", "/x", "", {}, ""}, config(), 0};
  constexpr Middleware chain[] = {twice};
  endpoint_runs = 0;
  auto done = host.run([&]() -> Task<wire::Frame> {
    auto response = co_await run_chain(context, chain, counted_endpoint);
    co_return wire::Frame{{{"status", response.status}, {"body", response.body}}, {}};
  }());
  CHECK(endpoint_runs == 1);
  CHECK(done.meta["status"] == 500);
  CHECK(parse_json(done.meta["body"].get<std::string>())->at("error")["code"] == "internal_error");
  CHECK(std::any_of(host.logs.begin(), host.logs.end(), [](const Json& line) {
    return line.is_object() && line.value("msg", "") == "middleware called next() twice";
  }));
}

// Issue 12, item 4: an unauthenticated 60 MB POST was read whole and copied three times, and
// answered 401 only after that. The host now hands no body over the limit (body_too_large),
// and the core refuses it first, before authentication or any binding.
TEST_CASE("trust 4: an oversize body is refused before authentication and before any I/O", "[pipeline][trust]") {
  Host host;
  std::string big(60 * 1024 * 1024, 'x');
  host.effect_log.clear();
  auto refused = host.fetch("POST", "/v1/keys", headers({{"content-type", "application/json"}}), big);
  check_envelope(refused, 413, "invalid_request_error", "payload_too_large");
  CHECK(host.effect_log.empty());
  // What the shim sends when it stopped reading (a Content-Length over the limit, or a chunked
  // body past it): no body at all, and the flag.
  auto too_large = http::request_to_frame("fetch", "POST", "https://api.patomic.test/v1/keys", {});
  too_large.meta["body_too_large"] = true;
  auto flagged = host.run(std::move(too_large));
  CHECK(flagged.meta["status"] == 413);
  CHECK(host.effect_log.empty());
}

TEST_CASE("URLs over 8 KiB and headers over 32 KiB or 100 fields are refused", "[pipeline]") {
  Host host;
  check_envelope(host.fetch("GET", "/v1/patents?q=" + std::string(9000, 'a')), 414, "invalid_request_error", "uri_too_long");
  http::Headers large;
  large.set("x-filler", std::string(33 * 1024, 'h'));
  check_envelope(host.fetch("GET", "/livez", large), 431, "invalid_request_error", "request_headers_too_large");
  http::Headers many;
  for (int i = 0; i < 101; ++i) many.append("x-h" + std::to_string(i), "1");
  check_envelope(host.fetch("GET", "/livez", many), 431, "invalid_request_error", "request_headers_too_large");
  CHECK(host.effect_log.empty());
}

TEST_CASE("a request with several invalid parameters is one 400 listing them all", "[schema][pipeline]") {
  Host host;
  std::string owner = owner_key(host);
  auto response = host.fetch("GET", "/v1/audit-log?limit=0&event=&sort=asc", bearer(owner));
  CHECK(response.status == 400);
  Json error = body_json(response)["error"];
  CHECK(error["type"] == "invalid_request_error");
  CHECK(error["code"] == "parameter_invalid");
  CHECK(error["param"] == "sort");
  CHECK(error["message"] ==
        "sort: is not a parameter of this endpoint; event: must be a string of 1 to 64 characters; "
        "limit: must be an integer from 1 to 100");

  auto roll = host.fetch("POST", "/v1/keys/nope/roll", json_bearer(owner), R"({"expires_in_seconds":-1,"now":true})");
  CHECK(body_json(roll)["error"]["message"] ==
        "now: is not a parameter of this endpoint; expires_in_seconds: must be an integer from 0 to 604800");
  CHECK(error_code(host.fetch("POST", "/v1/keys", json_bearer(owner), "[1]")) == "parameter_invalid");
  // No handler ran: nothing was written.
  CHECK(host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"] == 1);
}

namespace {

std::string nested_scopes(size_t depth) { return R"({"scopes":)" + std::string(depth, '[') + std::string(depth, ']') + "}"; }

}  // namespace

// Issue 12, item 3: {"scopes": [[[…]]]} 200,000 deep trapped the Wasm module (1 MiB stack).
// This suite runs under that stack size (tests/flow/main.cpp), so a recursion on input shows.
TEST_CASE("trust 3: deep or wide JSON bodies are refused before anything recurses on them", "[schema][trust]") {
  native::Host host;
  std::string owner = testing::owner_key(host);
  auto keys_before = host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"];

  auto deep = host.fetch("POST", "/v1/keys", testing::json_bearer(owner), nested_scopes(200'000));
  CHECK(deep.status == 400);
  CHECK(testing::error_code(deep) == "invalid_json");
  CHECK(native::body_json(deep)["error"]["message"] == "The request body nests deeper than 32 levels.");
  // Within the bound it parses, and the schema names the problem.
  auto shallow = host.fetch("POST", "/v1/keys", testing::json_bearer(owner), nested_scopes(20));
  CHECK(testing::error_code(shallow) == "parameter_invalid");

  // Wide: 200,000 items, each refused by the schema, make one bounded answer.
  std::string wide = R"({"scopes":[)";
  for (int i = 0; i < 200'000; ++i) wide += i ? ",1" : "1";
  wide += "]}";
  auto many = host.fetch("POST", "/v1/keys", testing::json_bearer(owner), wide);
  CHECK(many.status == 400);
  CHECK(many.body.size() < 4096);
  CHECK(host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"] == keys_before);
  CHECK(host.fetch("GET", "/v1/me", testing::bearer(owner)).status == 200);  // still serving
}
