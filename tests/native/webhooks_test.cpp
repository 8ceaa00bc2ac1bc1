// Webhooks on the native host: endpoints and their secrets, the fan-out of events, signed
// deliveries verified as a Stripe-style receiver would, retries, the dead-letter queue, the
// endpoint flagged, then disabled.
#include "tests/native/requests.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/webhooks/delivery.hpp"
#include "wasm/webhooks/signature.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

Host::Options local_urls(int max_retries = 18) {
  Host::Options options;
  options.vars["WEBHOOK_ALLOW_LOCAL_URLS"] = "true";
  options.vars["WEBHOOK_RETRY_BASE_SECONDS"] = "1";
  options.max_retries = max_retries;  // as the WEBHOOKS consumer in wrangler.toml
  return options;
}

// A receiver's check, as Stripe's libraries do it: t within `tolerance` of now, and some v1
// equal to HMAC-SHA256(secret, "<t>.<body>").
bool verifies(const std::string& header, const std::string& body, const std::string& secret, int64_t now_seconds,
              int64_t tolerance = 300) {
  int64_t t = -1;
  std::vector<std::string> signatures;
  size_t at = 0;
  while (at <= header.size()) {
    size_t comma = header.find(',', at);
    std::string part = header.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (part.rfind("t=", 0) == 0) t = std::stoll(part.substr(2));
    if (part.rfind("v1=", 0) == 0) signatures.push_back(part.substr(3));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  if (t < 0 || std::llabs(now_seconds - t) > tolerance) return false;
  std::string expected = crypto::hex(crypto::bytes_of(crypto::hmac_sha256(secret, std::to_string(t) + "." + body)));
  for (const auto& signature : signatures)
    if (crypto::constant_time_equal(signature, expected)) return true;
  return false;
}

struct Received {
  std::string url, signature, body;
  int64_t at_seconds;  // when it arrived, for the receiver's tolerance
};

Json create_endpoint(Host& host, const std::string& key, const std::string& events) {
  auto created = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key),
                            R"({"url":"http://127.0.0.1:9/hooks","enabled_events":)" + events + "}");
  REQUIRE(created.status == 201);
  return body_json(created);
}

// Delivers WEBHOOKS until it is empty, moving the clock to each retry as it comes due.
void deliver_all(Host& host) {
  auto& pending = host.queues["WEBHOOKS"];
  for (int round = 0; round < 40 && !pending.empty(); ++round) {
    host.deliver_queue("WEBHOOKS");
    for (const auto& message : pending) host.now_ms = std::max(host.now_ms, message.visible_at_ms);
  }
}

}  // namespace

TEST_CASE("webhook endpoints: https only, a secret shown once, and organisations apart", "[webhooks]") {
  Host host;  // no WEBHOOK_ALLOW_LOCAL_URLS: as in production
  std::string key = owner_key(host);
  auto local = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), R"({"url":"http://127.0.0.1:9/h","enabled_events":["*"]})");
  CHECK(local.status == 400);
  CHECK(body_json(local)["error"]["param"] == "url");
  CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), R"({"url":"https://u:p@hooks.example.com/","enabled_events":["*"]})").status == 400);
  CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), R"({"url":"https://hooks.example.com/","enabled_events":["nope"]})").status == 400);
  auto created = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), R"({"url":"https://hooks.example.com/p","enabled_events":["*"]})");
  REQUIRE(created.status == 201);
  Json endpoint = body_json(created);
  CHECK(endpoint["secret"].get<std::string>().rfind("whsec_", 0) == 0);
  std::string path = "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>();
  Json read = body_json(host.fetch("GET", path, bearer(key)));
  CHECK_FALSE(read.contains("secret"));
  CHECK(host.query("SELECT secret_sealed FROM webhook_endpoints")[0]["secret_sealed"].get<std::string>().find("whsec_") == std::string::npos);
  CHECK(body_json(host.fetch("PATCH", path, json_bearer(key), R"({"status":"disabled","description":"paused"})"))["status"] == "disabled");
  std::string other = owner_key(host, "b@example.com", "Other");
  CHECK(host.fetch("GET", path, bearer(other)).status == 404);
  CHECK(host.fetch("DELETE", path, bearer(other)).status == 404);
  CHECK(host.fetch("DELETE", path, bearer(key)).status == 200);
  CHECK(host.fetch("GET", path, bearer(key)).status == 404);
}

TEST_CASE("events reach the endpoints that want them, signed, and a roll signs with both secrets", "[webhooks]") {
  Host host(local_urls());
  std::string key = owner_key(host);
  std::vector<Received> received;
  host.outbound = [&](const outbound::Request& request) {
    received.push_back({request.url, std::string(request.headers.get("patomic-signature").value_or("")), request.body,
                        host.now_ms / 1000});
    return http::Response{200, {}, "ok"};
  };
  host.advance(1000);
  Json endpoint = create_endpoint(host, key, R"(["key.created"])");
  std::string secret = endpoint["secret"];
  host.advance(1000);
  host.fetch("POST", "/v1/keys", json_bearer(key), R"({"name":"ci","role":"member"})");  // a key.created event
  CHECK(host.scheduled("* * * * *")["messages"] == 1);  // only the event after the endpoint existed
  CHECK(host.scheduled("* * * * *")["messages"] == 0);  // the fan-out moved on
  deliver_all(host);
  REQUIRE(received.size() == 1);
  CHECK(received[0].url == "http://127.0.0.1:9/hooks");
  Json event = parse_json(received[0].body).value_or(Json());
  CHECK(event["type"] == "key.created");
  CHECK(event["id"].get<std::string>().rfind("evt_", 0) == 0);
  int64_t now = received[0].at_seconds;
  CHECK(verifies(received[0].signature, received[0].body, secret, now));
  CHECK_FALSE(verifies(received[0].signature, received[0].body, "whsec_wrong", now));
  CHECK_FALSE(verifies(received[0].signature, received[0].body, secret, now + 301));  // stale: outside the tolerance
  CHECK_FALSE(verifies(received[0].signature, received[0].body + " ", secret, now));  // another body

  // Roll: for the grace period both secrets sign, so receivers on either verify.
  Json rolled = body_json(host.fetch("POST", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/roll_secret",
                                     json_bearer(key), R"({"expires_in_seconds":3600})"));
  std::string new_secret = rolled["secret"];
  CHECK(new_secret != secret);
  REQUIRE(host.fetch("POST", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/test", json_bearer(key), "{}").status == 202);
  deliver_all(host);
  REQUIRE(received.size() == 2);
  CHECK(std::count(received[1].signature.begin(), received[1].signature.end(), 'v') == 2);
  CHECK(verifies(received[1].signature, received[1].body, secret, received[1].at_seconds));
  CHECK(verifies(received[1].signature, received[1].body, new_secret, received[1].at_seconds));
  host.advance(3'700'000);  // the grace period is over: the old secret no longer signs
  host.fetch("POST", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/test", json_bearer(key), "{}");
  deliver_all(host);
  REQUIRE(received.size() == 3);
  CHECK_FALSE(verifies(received[2].signature, received[2].body, secret, received[2].at_seconds));
  CHECK(verifies(received[2].signature, received[2].body, new_secret, received[2].at_seconds));
}

TEST_CASE("a failing receiver is retried with the same event id until it answers, every attempt recorded", "[webhooks]") {
  Host host(local_urls());
  std::string key = owner_key(host);
  int failures = 2;
  std::vector<std::string> ids;
  host.outbound = [&](const outbound::Request& request) {
    ids.push_back(parse_json(request.body).value_or(Json())["id"]);
    return http::Response{failures-- > 0 ? 500 : 204, {}, ""};
  };
  Json endpoint = create_endpoint(host, key, R"(["*"])");
  host.fetch("POST", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/test", json_bearer(key), "{}");
  deliver_all(host);
  REQUIRE(ids.size() == 3);
  CHECK((ids[0] == ids[1] && ids[1] == ids[2]));  // receivers dedupe by it
  Json attempts = body_json(host.fetch("GET", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/attempts", bearer(key)));
  REQUIRE(attempts["data"].size() == 3);
  CHECK(attempts["data"][0]["status"] == 204);
  CHECK(attempts["data"][0]["attempt"] == 3);
  CHECK(attempts["data"][2]["status"] == 500);
  CHECK(attempts["data"][2]["error"] == "the receiver answered 500");
  CHECK(host.query("SELECT failing_since FROM webhook_endpoints")[0]["failing_since"].is_null());  // healthy again
}

TEST_CASE("a receiver that always fails: 19 attempts, the dead-letter queue, the endpoint flagged, later disabled", "[webhooks]") {
  Host host(local_urls());
  std::string key = owner_key(host);
  host.outbound = [&](const outbound::Request&) -> http::Response { return {503, {}, "down"}; };
  Json endpoint = create_endpoint(host, key, R"(["*"])");
  std::string id = endpoint["id"];
  host.fetch("POST", "/v1/webhook_endpoints/" + id + "/test", json_bearer(key), "{}");
  deliver_all(host);
  CHECK(host.queues["WEBHOOKS_DLQ"].size() == 1);
  CHECK(host.query("SELECT count(*) AS n FROM webhook_attempts")[0]["n"] == 19);
  Json flagged = body_json(host.fetch("GET", "/v1/webhook_endpoints/" + id, bearer(key)));
  CHECK_FALSE(flagged["flagged_at"].is_null());
  CHECK(flagged["status"] == "enabled");

  // Still failing five days on: the endpoint is disabled, with an event saying so.
  host.advance(5LL * 24 * 3'600'000);
  host.fetch("POST", "/v1/webhook_endpoints/" + id + "/test", json_bearer(key), "{}");
  host.deliver_queue("WEBHOOKS");
  CHECK(body_json(host.fetch("GET", "/v1/webhook_endpoints/" + id, bearer(key)))["status"] == "disabled");
  Json disabled = body_json(host.fetch("GET", "/v1/events?type=webhook_endpoint.disabled", bearer(key)))["data"];
  REQUIRE(disabled.size() == 1);
  CHECK(disabled[0]["data"]["id"] == id);
  CHECK(host.queues["WEBHOOKS"].empty());  // a disabled endpoint's message is not retried
}

TEST_CASE("retry delays double from the base, stay within 12 hours and ±20 %, and span over 3 days", "[webhooks]") {
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.5) == 60);
  CHECK(webhooks::retry_delay_seconds(2, 60, 0.5) == 120);
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.0) == 48);  // -20 %
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.999) == 71);  // just under +20 %
  CHECK(webhooks::retry_delay_seconds(30, 60, 0.999) == 12 * 3600);  // never past a queue's longest delay
  for (double jitter : {0.0, 0.5, 0.999}) {
    int64_t total = 0;
    for (int64_t attempt = 1; attempt < webhooks::kMaxDeliveries; ++attempt) total += webhooks::retry_delay_seconds(attempt, 60, jitter);
    CHECK(total >= 3 * 24 * 3600);
    CHECK(total < webhooks::kDisableAfterMs / 1000);  // one event's retries end before its endpoint is disabled
  }
}
