// Authentication, rate limits and the audit log on the native host: every branch.
#include "tests/flow/requests.hpp"
#include "wasm/auth/api_key.hpp"
#include "wasm/crypto/crypto.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using native::body_json;
using native::Host;
using namespace ptmc::testing;

namespace {

Json request_log(const Host& host) {
  for (auto it = host.logs.rbegin(); it != host.logs.rend(); ++it)
    if (it->is_object() && it->value("msg", "") == "request") return *it;
  return {};
}

// A key made by `creator` with the given body; answers the secret.
std::string make_key(Host& host, const std::string& creator, Json body) {
  auto response = host.fetch("POST", "/v1/keys", json_bearer(creator), dump_json(body));
  INFO(response.body);
  REQUIRE(response.status == 201);
  return body_json(response)["secret"];
}

int64_t audit_rows(Host& host, const std::string& event) {
  return host.query("SELECT count(*) AS n FROM audit_log WHERE event = ?1", {event}).at(0)["n"].get<int64_t>();
}

}  // namespace

TEST_CASE("a missing, malformed or mistyped key is refused before any D1 access", "[auth]") {
  Host host;
  std::string key = owner_key(host);
  host.effect_log.clear();

  auto missing = host.fetch("GET", "/v1/keys");
  CHECK(missing.status == 401);
  CHECK(error_code(missing) == "missing_api_key");

  for (std::string bad : {std::string("ptmc_live_short"), key.substr(0, 58) + (key.back() == 'x' ? "y" : "x"),
                          std::string("Basic dXNlcjpwYXNz"), key + " "}) {
    INFO(bad);
    auto response = host.fetch("GET", "/v1/keys", bearer(bad));
    CHECK(response.status == 401);
    CHECK(error_code(response) == "invalid_api_key");
    CHECK(body_json(response)["error"]["type"] == "authentication_error");
  }
  // Only the aggregated audit rows touched D1 (one per address: the first request had no
  // cf-connecting-ip); no key lookup did.
  for (const auto& kind : host.effect_log) CHECK(kind == "d1.run");
  CHECK(audit_rows(host, "auth.failed") == 2);
}

TEST_CASE("an unknown key with a valid checksum is refused after one lookup", "[auth]") {
  Host host;
  owner_key(host);
  std::string stranger = auth::generate_api_key("live");
  auto response = host.fetch("GET", "/v1/keys", bearer(stranger));
  CHECK(response.status == 401);
  CHECK(error_code(response) == "invalid_api_key");
  CHECK(request_log(host)["d1_round_trips"].get<int>() >= 1);
}

TEST_CASE("an authenticated request costs exactly one D1 round trip, hot or cold", "[auth]") {
  Host host;
  std::string key = owner_key(host);
  std::string hash = auth::hash_api_key(key, "native-host-test-pepper", 1000);

  host.effects.clear();
  auto cold = host.fetch("GET", "/v1/keys/key_nothing", bearer(key));
  CHECK(cold.status == 404);
  CHECK(request_log(host)["d1_round_trips"] == 2);  // auth + the handler's own read
  REQUIRE(host.effects.size() == 2);
  CHECK(host.effects[0]["kind"] == "d1.batch");
  CHECK(host.effects[0]["statements"][0]["params"][0] == hash);  // PBKDF2 ran: looked up by hash

  // Hot: one statement, the window count by key id; no PBKDF2, no key lookup. /v1/me reads
  // nothing else, so the count goes alone, after the handler and before its answer.
  host.effects.clear();
  auto me = host.fetch("GET", "/v1/me", bearer(key));
  CHECK(me.status == 200);
  CHECK(me.headers.get("cache-control") == "private, no-cache");
  CHECK(request_log(host)["d1_round_trips"] == 1);
  REQUIRE(host.effects.size() == 1);
  CHECK(host.effects[0]["kind"] == "d1.all");
  CHECK(host.effects[0]["params"][0] == body_json(me)["key_id"]);

  // After the cache TTL (60 s by default) the key is verified again.
  host.advance(61'000);
  host.effects.clear();
  host.fetch("GET", "/v1/me", bearer(key));
  CHECK(host.effects[0]["kind"] == "d1.batch");
  CHECK(host.effects[0]["statements"][0]["params"][0] == hash);
}

TEST_CASE("a revoked key stops at once, even while cached", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  host.advance(1000);
  std::string member = make_key(host, owner, {{"role", "member"}, {"scopes", Json::array()}});
  auto created = body_json(host.fetch("GET", "/v1/keys?limit=1", bearer(owner)))["data"][0];
  CHECK(created["role"] == "member");
  CHECK(host.fetch("GET", "/v1/keys", bearer(member)).status == 403);  // cached now (scope missing, key valid)

  auto revoked = host.fetch("DELETE", "/v1/keys/" + created["id"].get<std::string>(), bearer(owner));
  CHECK(revoked.status == 200);
  CHECK(body_json(revoked)["revoked_at"].is_number());
  auto refused = host.fetch("GET", "/v1/keys", bearer(member));
  CHECK(refused.status == 401);
  CHECK(error_code(refused) == "api_key_revoked");

  // Idempotent: a second revoke answers the same and writes no second audit row.
  CHECK(host.fetch("DELETE", "/v1/keys/" + created["id"].get<std::string>(), bearer(owner)).status == 200);
  CHECK(audit_rows(host, "key.revoked") == 1);
}

TEST_CASE("a rolled key works through its grace period, then expires, and the new one works", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  host.advance(1000);
  std::string old_key = make_key(host, owner, {{"name", "ci"}});
  auto listed = body_json(host.fetch("GET", "/v1/keys?limit=1", bearer(owner)))["data"][0];
  std::string old_id = listed["id"];

  auto rolled = host.fetch("POST", "/v1/keys/" + old_id + "/roll", json_bearer(owner), R"({"expires_in_seconds":3600})");
  REQUIRE(rolled.status == 201);
  Json body = body_json(rolled);
  std::string new_key = body["secret"];
  CHECK(body["name"] == "ci");
  CHECK(body["rolled_from"]["id"] == old_id);
  CHECK(body["rolled_from"]["expires_at"] == (host.now_ms + 3'600'000) / 1000);

  CHECK(host.fetch("GET", "/v1/keys", bearer(old_key)).status == 200);
  CHECK(host.fetch("GET", "/v1/keys", bearer(new_key)).status == 200);
  host.advance(3'600'000);
  auto expired = host.fetch("GET", "/v1/keys", bearer(old_key));
  CHECK(expired.status == 401);
  CHECK(error_code(expired) == "api_key_expired");
  CHECK(host.fetch("GET", "/v1/keys", bearer(new_key)).status == 200);

  auto again = host.fetch("POST", "/v1/keys/" + old_id + "/roll", json_bearer(owner), "{}");
  CHECK(again.status == 409);
  CHECK(error_code(again) == "key_not_rollable");
  CHECK(audit_rows(host, "key.rolled") == 1);
}

TEST_CASE("a key without the route's scope gets 403 missing_scope", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  std::string reader = make_key(host, owner, {{"role", "admin"}, {"scopes", {"keys:read"}}});
  CHECK(host.fetch("GET", "/v1/keys", bearer(reader)).status == 200);
  auto create = host.fetch("POST", "/v1/keys", json_bearer(reader), "{}");
  CHECK(create.status == 403);
  CHECK(error_code(create) == "missing_scope");
  CHECK(body_json(create)["error"]["type"] == "permission_error");
  CHECK(error_code(host.fetch("GET", "/v1/audit-log", bearer(reader))) == "missing_scope");
}

TEST_CASE("past the limit: 429 with every rate-limit header, and one audit row per window", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  std::string limited = make_key(host, owner, {{"rate_limit_per_minute", 3}});
  host.now_ms = 1767225600000 + 10'000;  // 10 s into a window

  for (int i = 1; i <= 3; ++i) {
    auto ok = host.fetch("GET", "/v1/keys?limit=1", bearer(limited));
    CHECK(ok.status == 200);
    CHECK(ok.headers.get("x-ratelimit-limit") == "3");
    CHECK(ok.headers.get("x-ratelimit-remaining") == std::to_string(3 - i));
  }
  auto limited_response = host.fetch("GET", "/v1/keys?limit=1", bearer(limited));
  CHECK(limited_response.status == 429);
  CHECK(error_code(limited_response) == "rate_limit_exceeded");
  CHECK(body_json(limited_response)["error"]["type"] == "rate_limit_error");
  const auto& headers = limited_response.headers;
  CHECK(headers.get("x-ratelimit-limit") == "3");
  CHECK(headers.get("x-ratelimit-remaining") == "0");
  CHECK(headers.get("x-ratelimit-reset") == std::to_string(1767225660));
  CHECK(headers.get("retry-after") == "50");
  CHECK(headers.get("ratelimit-policy") == "\"per-key\";q=3;w=60");
  CHECK(headers.get("ratelimit") == "\"per-key\";r=0;t=50");
  CHECK(host.fetch("GET", "/v1/keys?limit=1", bearer(limited)).status == 429);
  CHECK(audit_rows(host, "rate_limit.exceeded") == 1);

  host.advance(50'000);  // the next window
  CHECK(host.fetch("GET", "/v1/keys?limit=1", bearer(limited)).status == 200);
}

TEST_CASE("without API_KEY_PEPPER every /v1 request fails closed and /readyz says so", "[auth]") {
  Host::Options options;
  options.vars.erase("API_KEY_PEPPER");
  Host host(options);
  auto response = host.fetch("GET", "/v1/keys", bearer(auth::generate_api_key("live")));
  CHECK(response.status == 500);
  CHECK(error_code(response) == "configuration_error");
  CHECK(host.effect_log.empty());
  auto ready = host.fetch("GET", "/readyz");
  CHECK(ready.status == 503);
  CHECK(body_json(ready)["error"]["message"] == "Not ready: configuration (API_KEY_PEPPER (at least 16 characters)) failed.");
  CHECK(host.fetch("GET", "/livez").status == 200);
}

TEST_CASE("repeated bad keys from one address are throttled progressively", "[auth]") {
  Host host;
  owner_key(host);
  std::string bad = auth::generate_api_key("live");  // well-formed, unknown
  for (int i = 0; i < 11; ++i) CHECK(host.fetch("GET", "/v1/keys", bearer(bad)).status == 401);
  auto throttled = host.fetch("GET", "/v1/keys", bearer(bad));
  CHECK(throttled.status == 429);
  CHECK(error_code(throttled) == "too_many_failed_attempts");
  CHECK(throttled.headers.get("retry-after") == "2");
  // Another address is unaffected; the throttled one waits, then each failure doubles the wait.
  CHECK(host.fetch("GET", "/v1/keys", bearer(bad, "198.51.100.1")).status == 401);
  host.advance(2'000);
  CHECK(host.fetch("GET", "/v1/keys", bearer(bad)).status == 401);
  CHECK(host.fetch("GET", "/v1/keys", bearer(bad)).headers.get("retry-after") == "4");
  // Failures were aggregated: one audit row per address per minute, with the count.
  auto rows = host.query("SELECT actor_ip, detail FROM audit_log WHERE event = 'auth.failed' ORDER BY id");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["actor_ip"] == "203.0.113.0/24");  // aggregated by network
  host.advance(60'000);
  host.fetch("GET", "/v1/keys", bearer(bad));
  auto later = host.query("SELECT detail FROM audit_log WHERE event = 'auth.failed' AND actor_ip = '203.0.113.0/24' ORDER BY id");
  REQUIRE(later.size() == 2);
  CHECK(parse_json(later[1]["detail"].get<std::string>())->at("count") == 12);
}

TEST_CASE("POST /v1/keys shows the secret once and never exceeds its creator", "[keys]") {
  Host host;
  std::string owner = owner_key(host);
  auto response = host.fetch("POST", "/v1/keys", json_bearer(owner),
                             R"({"name":"reporting","role":"member","scopes":[],"mode":"test","rate_limit_per_minute":100})");
  REQUIRE(response.status == 201);
  Json key = body_json(response);
  std::string secret = key["secret"];
  CHECK(secret.rfind("ptmc_test_", 0) == 0);
  CHECK(key["object"] == "api_key");
  CHECK(key["prefix"] == "ptmc_test_");
  CHECK(key["last4"] == secret.substr(secret.size() - 4));
  CHECK(key["role"] == "member");
  CHECK(key["rate_limit_per_minute"] == 100);
  // Stored: only the hash, prefix and last 4; never the key, in the table or the logs.
  auto row = host.query("SELECT * FROM api_keys WHERE id = ?1", Json::array({key["id"]})).at(0);
  for (const auto& [column, value] : row.items()) CHECK(value != secret);
  for (const auto& line : host.logs) CHECK(dump_json(line).find(secret) == std::string::npos);
  auto shown = body_json(host.fetch("GET", "/v1/keys/" + key["id"].get<std::string>(), bearer(owner)));
  CHECK_FALSE(shown.contains("secret"));
  CHECK(audit_rows(host, "key.created") == 2);  // the owner key and this one

  std::string member = secret;
  auto escalate = host.fetch("POST", "/v1/keys", json_bearer(member), R"({"role":"owner"})");
  CHECK(escalate.status == 403);  // a member key has no keys:write at all
}

TEST_CASE("POST /v1/keys names every invalid parameter", "[keys]") {
  Host host;
  std::string owner = owner_key(host);
  std::string admin = make_key(host, owner, {{"role", "admin"}, {"scopes", {"keys:read", "keys:write"}}});
  auto response =
      host.fetch("POST", "/v1/keys", json_bearer(admin),
                 R"({"role":"owner","scopes":["audit:read","nope"],"rate_limit_per_minute":0,"name":7,"color":"red"})");
  CHECK(response.status == 400);
  Json error = body_json(response)["error"];
  CHECK(error["code"] == "parameter_invalid");
  CHECK(error["param"] == "color");
  std::string message = error["message"];
  for (const char* part : {"color: is not a parameter", "name: must be a string", "scopes[1]: must be one of 'keys:read'",
                           "rate_limit_per_minute: must be"})
    CHECK(message.find(part) != std::string::npos);
  // The rules that depend on the caller run once the shape is right, and also list every problem.
  CHECK(message.find("role: cannot exceed") == std::string::npos);
  auto beyond = host.fetch("POST", "/v1/keys", json_bearer(admin), R"({"role":"owner","scopes":["audit:read"]})");
  std::string rules = body_json(beyond)["error"]["message"];
  for (const char* part : {"role: cannot exceed", "scopes: 'audit:read' is not held"})
    CHECK(rules.find(part) != std::string::npos);
  CHECK(error_code(host.fetch("POST", "/v1/keys", json_bearer(admin), "[1]")) == "parameter_invalid");
}

TEST_CASE("GET /v1/keys pages newest first and sees only its organisation", "[keys]") {
  Host host;
  std::string owner = owner_key(host);
  for (int i = 0; i < 4; ++i) {
    host.advance(1000);
    make_key(host, owner, {{"name", "k" + std::to_string(i)}});
  }
  std::string other = owner_key(host, "someone@else.example", "Other Org");

  auto first = body_json(host.fetch("GET", "/v1/keys?limit=2", bearer(owner)));
  CHECK(first["object"] == "list");
  CHECK(first["has_more"] == true);
  REQUIRE(first["data"].size() == 2);
  CHECK(first["data"][0]["name"] == "k3");
  CHECK(first["data"][1]["name"] == "k2");
  auto second = body_json(host.fetch("GET", "/v1/keys?limit=2&cursor=" + first["next_cursor"].get<std::string>(), bearer(owner)));
  CHECK(second["data"][0]["name"] == "k1");
  CHECK(second["data"][1]["name"] == "k0");
  auto third = body_json(host.fetch("GET", "/v1/keys?limit=2&cursor=" + second["next_cursor"].get<std::string>(), bearer(owner)));
  CHECK(third["data"].size() == 1);  // the owner key
  CHECK(third["has_more"] == false);
  CHECK(third["next_cursor"].is_null());

  std::string foreign_id = body_json(host.fetch("GET", "/v1/keys", bearer(other)))["data"][0]["id"];
  CHECK(body_json(host.fetch("GET", "/v1/keys", bearer(other)))["data"].size() == 1);
  CHECK(host.fetch("GET", "/v1/keys/" + foreign_id, bearer(owner)).status == 404);
  CHECK(host.fetch("DELETE", "/v1/keys/" + foreign_id, bearer(owner)).status == 404);
  CHECK(host.fetch("POST", "/v1/keys/" + foreign_id + "/roll", json_bearer(owner), "{}").status == 404);

  CHECK(error_code(host.fetch("GET", "/v1/keys?limit=0", bearer(owner))) == "parameter_invalid");
  CHECK(body_json(host.fetch("GET", "/v1/keys?cursor=%%%", bearer(owner)))["error"]["param"] == "cursor");
}

TEST_CASE("GET /v1/audit-log lists an organisation's events for admins", "[keys]") {
  Host host;
  std::string owner = owner_key(host);
  std::string member = make_key(host, owner, {{"role", "member"}, {"scopes", Json::array()}});
  auto log = body_json(host.fetch("GET", "/v1/audit-log?event=key.created", bearer(owner)));
  REQUIRE(log["data"].size() == 2);
  CHECK(log["data"][0]["object"] == "audit_event");
  CHECK(log["data"][0]["detail"]["role"] == "member");
  CHECK(log["data"][0]["request_id"].is_string());
  CHECK(log["data"][0]["actor_ip"] == "203.0.113.7");
  CHECK(error_code(host.fetch("GET", "/v1/audit-log", bearer(member))) == "missing_scope");
}

TEST_CASE("create_owner_key validates its input and reuses an existing owner", "[keys]") {
  Host host;
  auto run = [&](Json meta) { return host.run(wire::Frame{std::move(meta), {}}).meta; };
  CHECK(run({{"entry", "command"}, {"command", "create_owner_key"}, {"email", "nope"}, {"organisation", "A"}})["error"] ==
        "email: must be an email address");
  CHECK(run({{"entry", "command"}, {"command", "drop_tables"}})["error"] == "unknown command");
  auto first = run({{"entry", "command"}, {"command", "create_owner_key"}, {"email", "a@b.example"}, {"organisation", "A"}});
  auto second = run({{"entry", "command"}, {"command", "create_owner_key"}, {"email", "a@b.example"}, {"organisation", "A"}});
  CHECK(first["created_user"] == true);
  CHECK(second["created_user"] == false);
  CHECK(second["org_id"] == first["org_id"]);
  CHECK(host.query("SELECT count(*) AS n FROM organisations").at(0)["n"] == 1);
}

// Issue 12, item 1: an admin with keys:write rolled the owner's key and got an owner secret.
TEST_CASE("trust 1: rolling or revoking a key never reaches grants the caller does not hold", "[keys][trust]") {
  Host host;
  std::string owner = owner_key(host);
  std::string owner_id = body_json(host.fetch("GET", "/v1/me", bearer(owner)))["key_id"];
  std::string admin = make_key(host, owner, {{"role", "admin"}, {"scopes", {"keys:write"}}});
  auto keys_before = host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"];

  auto rolled = host.fetch("POST", "/v1/keys/" + owner_id + "/roll", json_bearer(admin), "{}");
  CHECK(rolled.status == 403);
  CHECK(error_code(rolled) == "key_exceeds_caller");
  CHECK(body_json(rolled)["error"]["type"] == "permission_error");
  CHECK(body_json(rolled).dump().find("ptmc_live_") == std::string::npos);
  auto revoked = host.fetch("DELETE", "/v1/keys/" + owner_id, json_bearer(admin));
  CHECK(revoked.status == 403);
  CHECK(error_code(revoked) == "key_exceeds_caller");
  CHECK(host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"] == keys_before);
  auto stored = host.query("SELECT replaced_by, expires_at, revoked_at FROM api_keys WHERE id = ?1", {owner_id}).at(0);
  CHECK(stored["replaced_by"].is_null());
  CHECK(stored["expires_at"].is_null());
  CHECK(stored["revoked_at"].is_null());
  CHECK(host.fetch("GET", "/v1/me", bearer(owner)).status == 200);

  // Within its own grants it may: a key it could have created itself.
  host.advance(1000);
  make_key(host, admin, {{"name", "peer"}});
  std::string peer_id = body_json(host.fetch("GET", "/v1/keys?limit=1", bearer(owner)))["data"][0]["id"];
  auto peer_rolled = host.fetch("POST", "/v1/keys/" + peer_id + "/roll", json_bearer(admin), "{}");
  CHECK(peer_rolled.status == 201);
  CHECK(body_json(peer_rolled)["role"] == "admin");
  CHECK(body_json(peer_rolled)["scopes"] == Json::array({"keys:write"}));
}

// Issue 12, item 14: a test-mode key minted live keys, and an explicit limit could exceed the creator's.
TEST_CASE("trust 14: a new key never exceeds its creator's mode or rate limit", "[keys][trust]") {
  Host host;
  std::string owner = owner_key(host);
  std::string test_key = make_key(host, owner, {{"mode", "test"}, {"role", "admin"}, {"scopes", {"keys:write"}}});
  auto live = host.fetch("POST", "/v1/keys", json_bearer(test_key), R"({"mode":"live"})");
  CHECK(live.status == 400);
  CHECK(body_json(live)["error"]["param"] == "mode");
  auto inherited = host.fetch("POST", "/v1/keys", json_bearer(test_key), "{}");
  REQUIRE(inherited.status == 201);
  CHECK(body_json(inherited)["mode"] == "test");

  std::string slow = make_key(host, owner, {{"rate_limit_per_minute", 100}, {"role", "admin"}, {"scopes", {"keys:write"}}});
  auto faster = host.fetch("POST", "/v1/keys", json_bearer(slow), R"({"rate_limit_per_minute":500})");
  CHECK(faster.status == 400);
  CHECK(body_json(faster)["error"]["param"] == "rate_limit_per_minute");
  CHECK(host.query("SELECT count(*) AS n FROM api_keys WHERE rate_limit_per_minute = 500").at(0)["n"] == 0);
}

// Issue 12, item 13: one auth.failed row per new address per isolate, so rotating IPv6
// addresses inside a /64 (or using many networks) grew the audit log without bound.
TEST_CASE("trust 13: failed authentications are throttled and aggregated by network, and rows per minute are bounded",
          "[auth][trust]") {
  Host host;
  owner_key(host);
  std::string bad = auth::generate_api_key("live");
  auto failures = [&] { return audit_rows(host, "auth.failed"); };
  // 200 addresses of one /64: one network, throttled after its free failures, one row.
  int throttled = 0;
  for (int i = 0; i < 200; ++i) {
    char ip[64];
    std::snprintf(ip, sizeof ip, "2001:db8:1:2:%x::%x", i, i + 1);
    throttled += host.fetch("GET", "/v1/me", bearer(bad, ip)).status == 429;
  }
  CHECK(throttled >= 189);
  CHECK(failures() == 1);
  // 300 addresses in 300 different networks within one minute: at most 20 rows for them, and
  // one row ("*") standing for the rest once the minute is over.
  host.advance(60'000);
  for (int i = 0; i < 300; ++i) {
    std::string ip = "198." + std::to_string(18 + i / 256) + "." + std::to_string(i % 256) + ".9";
    host.fetch("GET", "/v1/me", bearer(bad, ip.c_str()));
  }
  CHECK(failures() == 1 + 20);
  host.advance(60'000);
  host.fetch("GET", "/v1/me", bearer(bad, "192.0.2.1"));
  auto others = host.query("SELECT detail FROM audit_log WHERE event = 'auth.failed' AND actor_ip = '*'");
  REQUIRE(others.size() == 1);
  Json detail = parse_json(others[0]["detail"].get<std::string>()).value_or(Json());
  CHECK(detail["count"] == 280);
  CHECK(detail["networks"] == 280);
}

// Issue 13, item 5: a hot key's read travels in one round trip, the key check first in the
// handler's first batch; the handler sees that batch only when the key may make the request.
namespace {

bool counts_the_window(const Json& statement) {
  return statement["sql"].get<std::string>().rfind("INSERT INTO rate_limits", 0) == 0;
}

}  // namespace

TEST_CASE("a hot key's read costs one D1 round trip: the key check travels with the handler's first query", "[auth]") {
  Host host;
  std::string key = owner_key(host);
  CHECK(host.fetch("GET", "/v1/me", bearer(key)).status == 200);  // cold: verified and cached

  host.effects.clear();
  auto page = host.fetch("GET", "/v1/keys?limit=5", bearer(key));
  CHECK(page.status == 200);
  CHECK(body_json(page)["data"].size() == 1);
  CHECK(page.headers.get("x-ratelimit-remaining") == "998");  // this request and the one before
  CHECK(request_log(host)["d1_round_trips"] == 1);
  REQUIRE(host.effects.size() == 1);
  CHECK(host.effects[0]["kind"] == "d1.batch");
  REQUIRE(host.effects[0]["statements"].size() == 2);
  CHECK(counts_the_window(host.effects[0]["statements"][0]));
  CHECK(host.effects[0]["statements"][1]["sql"].get<std::string>().find("FROM api_keys") != std::string::npos);

  // Another list rides the same way.
  host.effects.clear();
  CHECK(host.fetch("GET", "/v1/audit-log?limit=2", bearer(key)).status == 200);
  CHECK(request_log(host)["d1_round_trips"] == 1);
  CHECK(host.effects.size() == 1);
}

TEST_CASE("a key revoked or expired while cached sees nothing of the read its check travelled with", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  host.advance(1000);
  std::string reader = make_key(host, owner, {{"role", "admin"}, {"scopes", {"keys:read"}}});
  std::string reader_id = body_json(host.fetch("GET", "/v1/me", bearer(reader)))["key_id"];
  CHECK(host.fetch("GET", "/v1/keys", bearer(reader)).status == 200);  // cached, and it may list keys

  REQUIRE(host.fetch("DELETE", "/v1/keys/" + reader_id, bearer(owner)).status == 200);
  host.effects.clear();
  auto refused = host.fetch("GET", "/v1/keys", bearer(reader));
  CHECK(refused.status == 401);
  CHECK(error_code(refused) == "api_key_revoked");
  CHECK(body_json(refused).size() == 1);  // the envelope, nothing of the page
  CHECK(refused.body.find(reader_id) == std::string::npos);
  CHECK_FALSE(refused.headers.has("etag"));
  REQUIRE_FALSE(host.effects.empty());
  CHECK(host.effects[0]["kind"] == "d1.batch");  // the page was read in the batch, and withheld

  // A document's first trip is R2, not D1: the check goes first, and a refused key reads nothing.
  std::string expiring = make_key(host, owner, {{"name", "expiring"}});
  host.r2["patents/D656296/fulltext.xml"] = {"<us-patent-grant/>", "e1", "application/xml", 0};
  CHECK(host.fetch("GET", "/v1/patents/D656296/fulltext", bearer(expiring)).status == 200);
  host.effects.clear();
  CHECK(host.fetch("GET", "/v1/patents/D656296/fulltext", bearer(expiring)).status == 200);
  CHECK(request_log(host)["round_trips"] == 2);
  REQUIRE(host.effects.size() == 2);
  CHECK(host.effects[0]["kind"] == "d1.all");
  CHECK(host.effects[1]["kind"] == "r2.head");
  host.query("UPDATE api_keys SET expires_at = ?1 WHERE name = 'expiring'", {host.now_ms});
  host.effects.clear();
  auto expired = host.fetch("GET", "/v1/patents/D656296/fulltext", bearer(expiring));
  CHECK(error_code(expired) == "api_key_expired");
  for (const auto& effect : host.effects) CHECK(effect["kind"] != "r2.head");
}

TEST_CASE("past its limit, a hot key's reads stop carrying the handler's query until the window ends", "[auth]") {
  Host host;
  std::string owner = owner_key(host);
  std::string limited = make_key(host, owner, {{"rate_limit_per_minute", 2}});
  host.now_ms = 1767225600000 + 10'000;  // 10 s into a window
  for (int i = 0; i < 2; ++i) CHECK(host.fetch("GET", "/v1/keys?limit=1", bearer(limited)).status == 200);

  host.effects.clear();
  auto over = host.fetch("GET", "/v1/keys?limit=1", bearer(limited));
  CHECK(over.status == 429);
  CHECK(over.headers.get("retry-after") == "50");
  CHECK(over.headers.get("x-ratelimit-remaining") == "0");
  CHECK(body_json(over).size() == 1);
  CHECK(host.effects[0]["kind"] == "d1.batch");  // it rode, and its page was withheld

  host.effects.clear();
  CHECK(host.fetch("GET", "/v1/keys?limit=1", bearer(limited)).status == 429);
  REQUIRE(host.effects.size() == 1);
  CHECK(host.effects[0]["kind"] == "d1.first");  // the count alone
  CHECK(counts_the_window(host.effects[0]));
  CHECK(audit_rows(host, "rate_limit.exceeded") == 1);

  host.advance(50'000);  // the next window: riding again
  host.effects.clear();
  CHECK(host.fetch("GET", "/v1/keys?limit=1", bearer(limited)).status == 200);
  CHECK(host.effects[0]["kind"] == "d1.batch");
}

TEST_CASE("a failing batch that carried the key check answers 503 and still counts, and so does a failing count", "[auth]") {
  Host host;
  std::string key = owner_key(host);
  CHECK(host.fetch("GET", "/v1/me", bearer(key)).status == 200);
  host.fail("d1.batch", "D1_ERROR: database is locked", 1);
  auto failed = host.fetch("GET", "/v1/keys", bearer(key));
  CHECK(failed.status == 503);
  CHECK(error_code(failed) == "service_unavailable");
  CHECK(failed.headers.get("x-ratelimit-remaining") == "998");  // counted all the same, alone
  CHECK(request_log(host)["d1_round_trips"] == 2);
  host.fail("d1.all", "D1_ERROR: database is locked", 1, 0);
  CHECK(host.fetch("GET", "/v1/me", bearer(key)).status == 503);  // the count sent after the handler
  CHECK(host.fetch("GET", "/v1/keys", bearer(key)).status == 200);
}
