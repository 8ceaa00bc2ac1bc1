// Signed keyset cursors: rotation, filter binding, and tampering (a property test).
#include "tests/native/requests.hpp"
#include "wasm/api/pagination.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace ptmc;
using native::body_json;
using native::Host;
using namespace ptmc::testing;

namespace {

Config config_with(std::map<std::string, std::string> vars) {
  Json json = Json::object();
  for (auto& [name, value] : vars) json[name] = value;
  return Config::from_json(json);
}

}  // namespace

TEST_CASE("cursors verify under the current or the previous secret, and bind their filters", "[cursor]") {
  Json sort_key = Json::array({1767225600000, "key_abc"});
  auto old_config = config_with({{"CURSOR_SECRET", "secret-one"}});
  auto rotating = config_with({{"CURSOR_SECRET", "secret-two"}, {"CURSOR_SECRET_PREVIOUS", "secret-one"}});
  auto rotated = config_with({{"CURSOR_SECRET", "secret-two"}});

  std::string cursor = api::sign_cursor(old_config, sort_key, "event=key.created");
  CHECK(api::verify_cursor(old_config, cursor, "event=key.created") == sort_key);
  CHECK(api::verify_cursor(rotating, cursor, "event=key.created") == sort_key);
  CHECK_FALSE(api::verify_cursor(rotated, cursor, "event=key.created"));
  CHECK_FALSE(api::verify_cursor(old_config, cursor, "event=key.revoked"));
  CHECK_FALSE(api::verify_cursor(old_config, cursor, ""));
  // New cursors are signed with the current secret.
  CHECK(api::verify_cursor(rotated, api::sign_cursor(rotating, sort_key, ""), "") == sort_key);
  // Without CURSOR_SECRET, a key derived from the pepper (and not the pepper itself).
  auto peppered = config_with({{"API_KEY_PEPPER", "pepper-pepper-pepper"}});
  std::string derived = api::sign_cursor(peppered, sort_key, "");
  CHECK(api::verify_cursor(peppered, derived, "") == sort_key);
  CHECK_FALSE(api::verify_cursor(config_with({{"CURSOR_SECRET", "pepper-pepper-pepper"}}), derived, ""));
}

TEST_CASE("a cursor replayed with other filters is 400 invalid_cursor", "[cursor]") {
  Host host;
  std::string key = owner_key(host);
  for (int i = 0; i < 3; ++i) host.fetch("POST", "/v1/keys", [&] {
    auto headers = bearer(key);
    headers.set("content-type", "application/json");
    return headers;
  }(), "{}");
  auto page = body_json(host.fetch("GET", "/v1/audit-log?limit=1&event=key.created", bearer(key)));
  std::string cursor = page["next_cursor"];
  CHECK(host.fetch("GET", "/v1/audit-log?limit=1&event=key.created&cursor=" + cursor, bearer(key)).status == 200);
  auto other = host.fetch("GET", "/v1/audit-log?limit=1&event=key.revoked&cursor=" + cursor, bearer(key));
  CHECK(other.status == 400);
  CHECK(body_json(other)["error"]["code"] == "invalid_cursor");
  CHECK(body_json(other)["error"]["param"] == "cursor");
  // A cursor of one list is no cursor of another.
  CHECK(body_json(host.fetch("GET", "/v1/keys?cursor=" + cursor, bearer(key)))["error"]["code"] == "invalid_cursor");
}

TEST_CASE("property: random tampering with a valid cursor never yields a 2xx", "[cursor]") {
  Host host;
  std::string key = owner_key(host);
  for (int i = 0; i < 3; ++i) {
    host.advance(1000);
    auto headers = bearer(key);
    headers.set("content-type", "application/json");
    host.fetch("POST", "/v1/keys", headers, "{}");
  }
  std::string cursor = body_json(host.fetch("GET", "/v1/keys?limit=1", bearer(key)))["next_cursor"];
  REQUIRE(host.fetch("GET", "/v1/keys?limit=1&cursor=" + cursor, bearer(key)).status == 200);

  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  std::mt19937 random(424242);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  int tried = 0;
  for (int i = 0; i < 600; ++i) {
    std::string tampered = cursor;
    switch (pick(5)) {
      case 0: tampered[pick(tampered.size())] = kAlphabet[pick(sizeof kAlphabet - 1)]; break;  // substitute
      case 1: tampered.erase(pick(tampered.size()), 1 + pick(4)); break;                      // delete
      case 2: tampered.insert(pick(tampered.size()), 1, kAlphabet[pick(sizeof kAlphabet - 1)]); break;
      case 3: tampered = tampered.substr(0, pick(tampered.size())); break;                   // truncate
      default: std::swap(tampered[pick(tampered.size())], tampered[pick(tampered.size())]); break;
    }
    if (tampered == cursor) continue;
    ++tried;
    auto response = host.fetch("GET", "/v1/keys?limit=1&cursor=" + tampered, bearer(key));
    INFO(tampered);
    CHECK((response.status < 200 || response.status >= 300));
  }
  CHECK(tried > 500);
}
