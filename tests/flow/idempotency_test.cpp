// Idempotency-Key with Stripe's semantics, on the native host.
#include "tests/flow/requests.hpp"
#include "wasm/crypto/crypto.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using native::body_json;
using native::Host;
using namespace ptmc::testing;

namespace {

http::Headers with_key(const std::string& api_key, const std::string& idempotency_key) {
  http::Headers headers;
  headers.set("authorization", "Bearer " + api_key);
  headers.set("content-type", "application/json");
  headers.set("idempotency-key", idempotency_key);
  return headers;
}

int64_t key_count(Host& host) { return host.query("SELECT count(*) AS n FROM api_keys").at(0)["n"].get<int64_t>(); }

}  // namespace

TEST_CASE("the same key and request replays the first response byte for byte", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  auto first = host.fetch("POST", "/v1/keys", with_key(owner, "op-1"), R"({"name":"ci"})");
  REQUIRE(first.status == 201);
  CHECK_FALSE(first.headers.has("idempotent-replayed"));
  int64_t keys = key_count(host);

  host.effect_log.clear();
  auto again = host.fetch("POST", "/v1/keys", with_key(owner, "op-1"), R"({"name":"ci"})");
  CHECK(again.status == 201);
  CHECK(again.body == first.body);  // the same secret, once more, as Stripe replays
  CHECK(again.headers.get("idempotent-replayed") == "true");
  CHECK(again.headers.get("content-type") == first.headers.get("content-type"));
  CHECK(key_count(host) == keys);
  // Served from KV: no D1 read of the stored response, only the (refused) claim beside the KV get.
  CHECK(std::count(host.effect_log.begin(), host.effect_log.end(), "kv.get") == 1);
  for (const auto& effect : host.effects) CHECK(effect.value("sql", "").find("SELECT fingerprint") == std::string::npos);
}

TEST_CASE("stored responses are sealed: the secret is in neither KV nor D1", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  auto created = host.fetch("POST", "/v1/keys", with_key(owner, "op-secret"), "{}");
  std::string secret = body_json(created)["secret"];
  REQUIRE(host.kv.size() == 1);
  CHECK(host.kv.begin()->second.value.find(secret) == std::string::npos);
  CHECK(host.kv.begin()->second.value.find("ptmc_") == std::string::npos);
  auto row = host.query("SELECT response FROM idempotency_keys").at(0);
  CHECK(row["response"].get<std::string>().find(secret) == std::string::npos);
  // Without KV, the replay comes from D1.
  host.kv.clear();
  auto replayed = host.fetch("POST", "/v1/keys", with_key(owner, "op-secret"), "{}");
  CHECK(replayed.body == created.body);
  CHECK(replayed.headers.get("idempotent-replayed") == "true");
}

TEST_CASE("the same key with another request is 400 idempotency_key_reused", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  REQUIRE(host.fetch("POST", "/v1/keys", with_key(owner, "op-2"), R"({"name":"a"})").status == 201);
  auto other_body = host.fetch("POST", "/v1/keys", with_key(owner, "op-2"), R"({"name":"b"})");
  CHECK(other_body.status == 400);
  CHECK(error_code(other_body) == "idempotency_key_reused");
  CHECK(body_json(other_body)["error"]["type"] == "idempotency_error");
  host.kv.clear();  // the D1 path says the same
  CHECK(error_code(host.fetch("POST", "/v1/keys", with_key(owner, "op-2"), R"({"name":"b"})")) == "idempotency_key_reused");
  std::string id = body_json(host.fetch("GET", "/v1/keys?limit=1", with_key(owner, "")))["data"][0]["id"];
  CHECK(error_code(host.fetch("DELETE", "/v1/keys/" + id, with_key(owner, "op-2"))) == "idempotency_key_reused");
}

TEST_CASE("a key still being processed is 409 idempotency_key_in_use", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  // A claim taken by a request that is still running elsewhere.
  auto probe = host.fetch("POST", "/v1/keys", with_key(owner, "probe"), "{}");
  REQUIRE(probe.status == 201);
  host.query("UPDATE idempotency_keys SET state = 'running', response = NULL, expires_at = ?1", {host.now_ms + 120'000});
  host.kv.clear();
  auto busy = host.fetch("POST", "/v1/keys", with_key(owner, "probe"), "{}");
  CHECK(busy.status == 409);
  CHECK(error_code(busy) == "idempotency_key_in_use");
}

// Issue 12, item 14: a claim left running by a trap was taken over after 2 minutes, and the
// retry ran the write a second time, though the first may have committed.
TEST_CASE("trust 14: a claim whose request died is never run again: it answers request_interrupted", "[idempotency][trust]") {
  Host host;
  std::string owner = owner_key(host);
  int64_t keys = key_count(host);
  // The claim a trapped request leaves: running, no response (its writes may have committed).
  auto fingerprint = crypto::sha256_hex(body_json(host.fetch("GET", "/v1/me", with_key(owner, "")))["key_id"].get<std::string>() +
                                        "\nPOST\n/v1/keys?\n{}");
  auto org = body_json(host.fetch("GET", "/v1/me", with_key(owner, "")))["org_id"];
  host.query(
      "INSERT INTO idempotency_keys (org_id, key_hash, fingerprint, state, created_at, expires_at) VALUES (?1, ?2, ?3, "
      "'running', ?4, ?5)",
      {org, crypto::sha256_hex("died"), fingerprint, host.now_ms, host.now_ms + 120'000});
  CHECK(error_code(host.fetch("POST", "/v1/keys", with_key(owner, "died"), "{}")) == "idempotency_key_in_use");
  host.advance(120'001);
  for (int retry = 0; retry < 2; ++retry) {
    auto interrupted = host.fetch("POST", "/v1/keys", with_key(owner, "died"), "{}");
    CHECK(interrupted.status == 500);
    CHECK(error_code(interrupted) == "request_interrupted");
    CHECK(interrupted.headers.get("idempotent-replayed") == "true");
  }
  CHECK(key_count(host) == keys);  // never run again
}

TEST_CASE("a request refused before its handler, or cut short by a fault, frees the key", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  auto invalid = host.fetch("POST", "/v1/keys", with_key(owner, "op-3"), R"({"role":"emperor"})");
  CHECK(invalid.status == 400);
  CHECK(error_code(invalid) == "parameter_invalid");
  CHECK(host.query("SELECT count(*) AS n FROM idempotency_keys").at(0)["n"] == 0);
  CHECK(host.fetch("POST", "/v1/keys", with_key(owner, "op-3"), R"({"role":"member"})").status == 201);

  host.fail("d1.batch", "D1_ERROR: overloaded", 1);  // the handler's insert
  auto faulted = host.fetch("POST", "/v1/keys", with_key(owner, "op-4"), "{}");
  CHECK(faulted.status == 503);
  CHECK(std::any_of(host.logs.begin(), host.logs.end(), [](const Json& l) { return l.value("msg", "") == "fault"; }));
  CHECK(host.query("SELECT count(*) AS n FROM idempotency_keys WHERE state = 'running'").at(0)["n"] == 0);
  auto retried = host.fetch("POST", "/v1/keys", with_key(owner, "op-4"), "{}");
  CHECK(retried.status == 201);
  CHECK_FALSE(retried.headers.has("idempotent-replayed"));
}

TEST_CASE("keys are scoped per organisation, expire after 24 h, and are validated", "[idempotency]") {
  Host host;
  std::string acme = owner_key(host, "a@acme.example");
  std::string globex = owner_key(host, "g@globex.example");
  auto a = host.fetch("POST", "/v1/keys", with_key(acme, "shared"), "{}");
  auto g = host.fetch("POST", "/v1/keys", with_key(globex, "shared"), "{}");
  CHECK(a.status == 201);
  CHECK(g.status == 201);
  CHECK_FALSE(g.headers.has("idempotent-replayed"));

  host.advance(24 * 3600 * 1000 + 1);
  host.kv.clear();  // KV's own TTL has passed too
  auto fresh = host.fetch("POST", "/v1/keys", with_key(acme, "shared"), "{}");
  CHECK(fresh.status == 201);
  CHECK(fresh.body != a.body);

  auto too_long = host.fetch("POST", "/v1/keys", with_key(acme, std::string(256, 'k')), "{}");
  CHECK(too_long.status == 400);
  CHECK(error_code(too_long) == "idempotency_key_invalid");
  CHECK(body_json(too_long)["error"]["param"] == "Idempotency-Key");
  CHECK(host.fetch("POST", "/v1/keys", with_key(acme, std::string(255, 'k')), "{}").status == 201);
  // GETs ignore the header.
  CHECK(host.fetch("GET", "/v1/me", with_key(acme, std::string(300, 'x'))).status == 200);
}

TEST_CASE("housekeeping deletes expired idempotency keys", "[idempotency]") {
  Host host;
  std::string owner = owner_key(host);
  host.fetch("POST", "/v1/keys", with_key(owner, "old"), "{}");
  host.advance(24 * 3600 * 1000 + 1);
  host.fetch("POST", "/v1/keys", with_key(owner, "new"), "{}");
  REQUIRE(host.scheduled("15 * * * *")["ok"] == true);
  host.deliver_queue("JOBS");
  auto left = host.query("SELECT count(*) AS n FROM idempotency_keys").at(0)["n"];
  CHECK(left == 1);
}

// Issue 12, item 2: a read-only key with no scopes received the owner's replayed 201 (a new
// key's secret), because idempotency ran before authorization.
TEST_CASE("trust 2: a replay goes only to the key that made the request, and only if it may make it", "[idempotency][trust]") {
  Host host;
  std::string owner = owner_key(host);
  auto reader = host.fetch("POST", "/v1/keys", with_key(owner, "mint-reader"), R"({"role":"read_only","scopes":[]})");
  REQUIRE(reader.status == 201);
  std::string read_only = body_json(reader)["secret"];
  auto admin_created =
      host.fetch("POST", "/v1/keys", with_key(owner, "mint-admin"), R"({"role":"admin","scopes":["keys:write"]})");
  REQUIRE(admin_created.status == 201);
  std::string admin = body_json(admin_created)["secret"];

  auto first = host.fetch("POST", "/v1/keys", with_key(owner, "k"), "{}");
  REQUIRE(first.status == 201);
  std::string secret = body_json(first)["secret"];

  auto refused = host.fetch("POST", "/v1/keys", with_key(read_only, "k"), "{}");
  CHECK(refused.status == 403);
  CHECK(error_code(refused) == "missing_scope");
  CHECK_FALSE(refused.headers.has("idempotent-replayed"));
  CHECK(refused.body.find(secret) == std::string::npos);

  // Another key that may create keys gets no replay of the owner's key either (it would have
  // minted an admin key, not an owner one): the key is bound to the key that first used it.
  auto other = host.fetch("POST", "/v1/keys", with_key(admin, "k"), "{}");
  CHECK(other.status == 400);
  CHECK(error_code(other) == "idempotency_key_reused");
  CHECK(other.body.find(secret) == std::string::npos);
  host.kv.clear();  // the D1 path says the same
  CHECK(error_code(host.fetch("POST", "/v1/keys", with_key(admin, "k"), "{}")) == "idempotency_key_reused");

  auto again = host.fetch("POST", "/v1/keys", with_key(owner, "k"), "{}");
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.headers.get("idempotent-replayed") == "true");
}
