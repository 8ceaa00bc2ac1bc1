// Webhooks on the native host: endpoints and their secrets, the fan-out of events, signed
// deliveries verified as a Stripe-style receiver would, retries, the dead-letter queue, the
// endpoint flagged, then disabled.
#include "tests/flow/requests.hpp"
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
  auto local =
      host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), R"({"url":"http://127.0.0.1:9/h","enabled_events":["*"]})");
  CHECK(local.status == 400);
  CHECK(body_json(local)["error"]["param"] == "url");
  CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key),
                   R"({"url":"https://u:p@hooks.example.com/","enabled_events":["*"]})")
            .status == 400);
  CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key),
                   R"({"url":"https://hooks.example.com/","enabled_events":["nope"]})")
            .status == 400);
  auto created = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key),
                            R"({"url":"https://hooks.example.com/p","enabled_events":["*"]})");
  REQUIRE(created.status == 201);
  Json endpoint = body_json(created);
  CHECK(endpoint["secret"].get<std::string>().rfind("whsec_", 0) == 0);
  std::string path = "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>();
  Json read = body_json(host.fetch("GET", path, bearer(key)));
  CHECK_FALSE(read.contains("secret"));
  CHECK(host.query("SELECT secret_sealed FROM webhook_endpoints")[0]["secret_sealed"].get<std::string>().find("whsec_") ==
        std::string::npos);
  CHECK(body_json(host.fetch("PATCH", path, json_bearer(key), R"({"status":"disabled","description":"paused"})"))["status"] ==
        "disabled");
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
    received.push_back(
        {request.url, std::string(request.headers.get("patomic-signature").value_or("")), request.body, host.now_ms / 1000});
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
  REQUIRE(
      host.fetch("POST", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/test", json_bearer(key), "{}").status ==
      202);
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
  Json attempts =
      body_json(host.fetch("GET", "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>() + "/attempts", bearer(key)));
  REQUIRE(attempts["data"].size() == 3);
  CHECK(attempts["data"][0]["status"] == 204);
  CHECK(attempts["data"][0]["attempt"] == 3);
  CHECK(attempts["data"][2]["status"] == 500);
  CHECK(attempts["data"][2]["error"] == "the receiver answered 500");
  CHECK(host.query("SELECT failing_since FROM webhook_endpoints")[0]["failing_since"].is_null());  // healthy again
}

TEST_CASE("a receiver that always fails: 19 attempts, the dead-letter queue, the endpoint flagged, later disabled",
          "[webhooks]") {
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

// Issue 12, item 7: internal targets in many spellings were accepted as endpoint URLs, and
// deliveries followed redirects.
TEST_CASE("trust 7: endpoint URLs never reach internal addresses, in any spelling", "[webhooks][trust]") {
  Host host(local_urls());  // even where development allows http://127.0.0.1 and localhost exactly
  std::string key = owner_key(host);
  for (const char* url : {"https://169.254.169.254/latest/meta-data",
                          "https://10.0.0.1/",
                          "https://[::1]/",
                          "https://2130706433/",
                          "https://0x7f.1/",
                          "https://localhost./",
                          "https://0177.0.0.1/",
                          "https://127.1/",
                          "https://0/",
                          "https://0.0.0.0/",
                          "https://[::]/",
                          "https://[::ffff:127.0.0.1]/",
                          "https://[::ffff:7f00:1]/",
                          "https://[0:0:0:0:0:0:0:1]/",
                          "https://[::ffff:a9fe:a9fe]/",
                          "https://[64:ff9b::a00:1]/",
                          "https://[2002:7f00:1::]/",
                          "https://[fd12:3456::1]/",
                          "https://[fe80::1]/",
                          "https://[ff02::1]/",
                          "https://100.64.0.1/",
                          "https://172.31.255.255/",
                          "https://192.168.0.1:8443/",
                          "https://224.0.0.1/",
                          "https://255.255.255.255/",
                          "https://0xA9.0xFE.0xA9.0xFE/",
                          "https://0xa9fea9fe/",
                          "https://169.254.43518/",
                          "https://api.localhost/",
                          "https://printer.local/",
                          "https://metadata.google.internal/",
                          "https://intranet/",
                          "https://%31%32%37.0.0.1/",
                          "https://127.0.0.1.:443/",
                          "https://１２７.0.0.1/",
                          "https://hooks.example.com\\@127.0.0.1/",
                          "https://evil.example@127.0.0.1/",
                          "https://[::1%25eth0]/",
                          "https://[::1/",
                          "https://1.2.3.4.5/",
                          "https://256.0.0.1/",
                          "https://hooks.example.com:99999/",
                          "http://hooks.example.com/",
                          "ftp://hooks.example.com/",
                          "https://0x100000000/"}) {
    INFO(url);
    auto refused =
        host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), dump_json({{"url", url}, {"enabled_events", {"*"}}}));
    CHECK(refused.status == 400);
    CHECK(body_json(refused)["error"]["param"] == "url");
  }
  CHECK(host.query("SELECT count(*) AS n FROM webhook_endpoints").at(0)["n"] == 0);
  for (const char* url : {"https://hooks.example.com/p", "https://8.8.8.8/", "https://[2606:4700:4700::1111]/h",
                          "https://hooks.example.com:8443/x?y=1", "http://127.0.0.1:9/h", "http://localhost:3000/h"}) {
    INFO(url);
    CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key), dump_json({{"url", url}, {"enabled_events", {"*"}}}))
              .status == 201);
  }
}

TEST_CASE("trust 7: without WEBHOOK_ALLOW_LOCAL_URLS not even 127.0.0.1 or localhost is accepted", "[webhooks][trust]") {
  Host production;
  std::string tenant = owner_key(production);
  for (const char* url : {"http://127.0.0.1:9/h", "https://127.0.0.1/", "https://localhost/", "https://LOCALHOST/"}) {
    INFO(url);
    CHECK(production
              .fetch("POST", "/v1/webhook_endpoints", json_bearer(tenant), dump_json({{"url", url}, {"enabled_events", {"*"}}}))
              .status == 400);
  }
}

TEST_CASE("trust 7: a redirect is a failed attempt, and network errors say nothing about the target", "[webhooks][trust]") {
  Host host(local_urls());
  std::string key = owner_key(host);
  Json endpoint = create_endpoint(host, key, R"(["*"])");
  std::string path = "/v1/webhook_endpoints/" + endpoint["id"].get<std::string>();
  std::vector<outbound::Request> sent;
  host.outbound = [&](const outbound::Request& request) {
    sent.push_back(request);
    http::Response moved{302, {}, "moved"};
    moved.headers.set("location", "http://169.254.169.254/");
    return moved;
  };
  REQUIRE(host.fetch("POST", path + "/test", json_bearer(key), "{}").status == 202);
  host.deliver_queue("WEBHOOKS");
  REQUIRE(sent.size() == 1);
  CHECK_FALSE(sent[0].follow_redirects);
  auto attempt = host.query("SELECT status, error FROM webhook_attempts ORDER BY id DESC LIMIT 1").at(0);
  CHECK(attempt["status"] == 302);
  CHECK(attempt["error"] == "the receiver answered 302; redirects are not followed");
  CHECK(host.queues["WEBHOOKS"].size() == 1);  // to be retried, never to the Location

  host.outbound = nullptr;  // the network fails: a refused connection, a timeout, a reset
  host.advance(3'600'000);
  host.deliver_queue("WEBHOOKS");
  auto failed = host.query("SELECT status, error, latency_ms FROM webhook_attempts ORDER BY id DESC LIMIT 1").at(0);
  CHECK(failed["status"].is_null());
  CHECK(failed["error"] == "no response (the connection failed or timed out)");
  CHECK(failed["latency_ms"].is_null());
}

// Issue 12, item 9: with no secret that could be opened, a delivery went out unsigned.
TEST_CASE("trust 9: a delivery whose secret cannot be opened is not sent, and is retried", "[webhooks][trust]") {
  Host host(local_urls());
  std::string key = owner_key(host);
  Json endpoint = create_endpoint(host, key, R"(["*"])");
  std::string id = endpoint["id"];
  int sent = 0;
  host.outbound = [&](const outbound::Request&) {
    ++sent;
    return http::Response{200, {}, ""};
  };
  host.query("UPDATE webhook_endpoints SET secret_sealed = 'not-a-sealed-secret'");
  REQUIRE(host.fetch("POST", "/v1/webhook_endpoints/" + id + "/test", json_bearer(key), "{}").status == 202);
  host.deliver_queue("WEBHOOKS");
  CHECK(sent == 0);
  auto attempt = host.query("SELECT status, error FROM webhook_attempts").at(0);
  CHECK(attempt["status"].is_null());
  CHECK(attempt["error"] == "not sent: the endpoint's signing secret could not be opened");
  CHECK(host.queues["WEBHOOKS"].size() == 1);
}

namespace {

// How many WEBHOOKS messages carry each (endpoint, event id).
std::map<std::pair<std::string, std::string>, int> messages_by_endpoint_and_event(Host& host) {
  std::map<std::pair<std::string, std::string>, int> counts;
  for (const auto& message : host.queues["WEBHOOKS"])
    ++counts[{message.body.value("endpoint_id", ""), message.body["event"].value("id", "")}];
  return counts;
}

}  // namespace

// Issue 12, item 5: events were stamped with the writer's start time and fanned out by
// (created_at, random id), so a batch committed after a fan-out tick, with an earlier stamp
// or a lower id, was never delivered.
TEST_CASE("trust 5: events committed between fan-out ticks reach the firehose and each endpoint exactly once",
          "[webhooks][trust]") {
  Host host(local_urls());
  host.now_ms = 1451613600000;
  std::string tenant = owner_key(host);
  host.advance(1000);
  std::string everything = create_endpoint(host, tenant, R"(["*"])")["id"];
  std::string recorded = create_endpoint(host, tenant, R"(["assignment.recorded"])")["id"];
  host.advance(1000);
  // The per-minute fan-out runs before each D1 batch of the job (each checkpoint), as the cron
  // does while a long job commits batch after batch.
  int ticks = 0;
  bool ticking = false;
  host.before_effect = [&](const std::string& kind) {
    if (kind != "d1.batch" || ticking) return;
    ticking = true;
    host.scheduled("* * * * *");
    ++ticks;
    host.advance(5);
    ticking = false;
  };
  Json job = run_ingestion_job(host, "assignment", "2016-01-01", {{"ad.xml", many_assignments(30)}});
  host.before_effect = nullptr;
  REQUIRE(job["status"] == "succeeded");
  for (int i = 0; i < 20 && host.scheduled("* * * * *")["messages"] != 0; ++i) host.advance(60'000);
  CHECK(ticks >= 3);

  // What the tenant's endpoints may receive: everyone's events and the tenant's (not the
  // operator's key.created, say), written after the endpoints.
  std::string org = body_json(host.fetch("GET", "/v1/me", bearer(tenant)))["org_id"];
  auto events = host.query(
      "SELECT id, type FROM events WHERE (org_id IS NULL OR org_id = ?2) AND created_at >= (SELECT "
      "created_at FROM webhook_endpoints WHERE id = ?1)",
      {recorded, org});
  auto sent = messages_by_endpoint_and_event(host);
  const auto& firehose = host.object_storage["FIREHOSE/events"];
  int assignments = 0;
  for (const auto& event : events) {
    std::string id = event["id"], type = event["type"];
    INFO(type << " " << id);
    CHECK(firehose.count("id:" + id) == 1);
    CHECK(sent[{everything, id}] == 1);
    if (type == "assignment.recorded") {
      ++assignments;
      CHECK(sent[{recorded, id}] == 1);
    }
  }
  CHECK(assignments == 210);
  size_t expected = events.size() + static_cast<size_t>(assignments);
  CHECK(host.queues["WEBHOOKS"].size() == expected);  // nothing else, nothing twice
}

// Issue 12, item 6: no cap on endpoints or enabled_events, every endpoint of every tenant in
// one unbounded tick, and one delivery after another, so one tenant could stop delivery for all.
TEST_CASE("trust 6: a tenant's endpoints are capped, a tick's work is bounded, and a batch's deliveries go out together",
          "[webhooks][trust]") {
  Host host(local_urls());
  std::string tenant = owner_key(host);
  host.advance(1000);  // the owner key's key.created is older than every endpoint
  for (int i = 0; i < 16; ++i) create_endpoint(host, tenant, R"(["*"])");
  auto seventeenth = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(tenant),
                                R"({"url":"http://127.0.0.1:9/hooks","enabled_events":["*"]})");
  CHECK(seventeenth.status == 400);
  CHECK(error_code(seventeenth) == "resource_limit_reached");
  Json repeated = Json::array();
  for (int i = 0; i < 40; ++i) repeated.push_back("key.created");
  CHECK(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(tenant),
                   dump_json({{"url", "http://127.0.0.1:9/h"}, {"enabled_events", repeated}}))
            .status == 400);
  CHECK(host.query("SELECT count(*) AS n FROM webhook_endpoints").at(0)["n"] == 16);

  // 300 events for 16 endpoints: 4,800 messages, handed on over several bounded ticks.
  host.advance(1000);
  for (int i = 0; i < 300; ++i)
    host.query("INSERT INTO events (id, org_id, type, created_at, data) VALUES (?1, NULL, 'patent.created', ?2, '{}')",
               {"evt_bulk" + std::to_string(1000 + i), host.now_ms});
  int64_t total = 0;
  for (int tick = 0; tick < 10; ++tick) {
    int64_t sent = host.scheduled("* * * * *")["messages"].get<int64_t>();
    CHECK(sent <= static_cast<int64_t>(webhooks::kFanOutMessages));
    total += sent;
    if (sent == 0) break;
  }
  CHECK(total == 4800);
  auto sent = messages_by_endpoint_and_event(host);
  CHECK(sent.size() == 4800);  // each (endpoint, event) once

  // A batch of ten deliveries, one receiver failing: every POST goes out in one round trip.
  int posts = 0;
  host.outbound = [&](const outbound::Request& request) { return http::Response{++posts == 1 ? 500 : 200, {}, request.body}; };
  auto& queue = host.queues["WEBHOOKS"];
  queue.resize(10);
  host.deliver_queue("WEBHOOKS");
  CHECK(posts == 10);
  CHECK(host.last_round_trips <= 3);
}
