// Signed keyset cursors on list routes: bound to their filters and path, and tampering (a
// property test).
#include "tests/flow/requests.hpp"
#include "wasm/http/pagination.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace ptmc;
using native::body_json;
using native::Host;
using namespace ptmc::testing;

TEST_CASE("a cursor replayed with other filters is 400 invalid_cursor", "[cursor]") {
  Host host;
  std::string key = owner_key(host);
  for (int i = 0; i < 3; ++i)
    host.fetch(
        "POST", "/v1/keys",
        [&] {
          auto headers = bearer(key);
          headers.set("content-type", "application/json");
          return headers;
        }(),
        "{}");
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

TEST_CASE("a cursor of one portfolio's or patent's list is no cursor of another's", "[cursor]") {
  Host host;
  std::string key = owner_key(host);
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) VALUES "
      "('D656296', 'S1', 'grant', 'Snack piece', '2012-03-27', 0), ('D656308', 'S1', 'grant', 'Cartridge', '2012-03-27', 0)");
  host.query(
      "INSERT INTO citations (citing_number, sequence, cited_number, cited_country) VALUES "
      "('D656296', 1, 'D100001', 'US'), ('D656296', 2, 'D100002', 'US'), "
      "('D656308', 1, 'D100003', 'US'), ('D656308', 2, 'D100004', 'US')");
  std::vector<std::string> portfolios;
  for (const char* name : {"a", "b"}) {
    std::string id = body_json(host.fetch("POST", "/v1/portfolios", json_bearer(key), dump_json({{"name", name}})))["id"];
    for (const char* number : {"D656296", "D656308"})
      host.fetch("POST", "/v1/portfolios/" + id + "/patents", json_bearer(key), dump_json({{"number", number}}));
    portfolios.push_back("/v1/portfolios/" + id + "/patents");
  }
  for (const auto& [first, second] :
       {std::pair{portfolios[0], portfolios[1]},
        std::pair<std::string, std::string>{"/v1/patents/D656296/citations", "/v1/patents/D656308/citations"}}) {
    INFO(first << " then " << second);
    Json page = body_json(host.fetch("GET", first + "?limit=1", bearer(key)));
    REQUIRE(page["next_cursor"].is_string());
    std::string cursor = page["next_cursor"];
    CHECK(host.fetch("GET", first + "?limit=1&cursor=" + cursor, bearer(key)).status == 200);
    CHECK(error_code(host.fetch("GET", second + "?limit=1&cursor=" + cursor, bearer(key))) == "invalid_cursor");
  }
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
      case 0:
        tampered[pick(tampered.size())] = kAlphabet[pick(sizeof kAlphabet - 1)];
        break;  // substitute
      case 1:
        tampered.erase(pick(tampered.size()), 1 + pick(4));
        break;  // delete
      case 2:
        tampered.insert(pick(tampered.size()), 1, kAlphabet[pick(sizeof kAlphabet - 1)]);
        break;
      case 3:
        tampered = tampered.substr(0, pick(tampered.size()));
        break;  // truncate
      default:
        std::swap(tampered[pick(tampered.size())], tampered[pick(tampered.size())]);
        break;
    }
    if (tampered == cursor) continue;
    ++tried;
    auto response = host.fetch("GET", "/v1/keys?limit=1&cursor=" + tampered, bearer(key));
    INFO(tampered);
    CHECK((response.status < 200 || response.status >= 300));
  }
  CHECK(tried > 500);
}
