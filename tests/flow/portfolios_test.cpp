// /v1/portfolios on the native host: CRUD, the patents in a portfolio, organisation scoping.
#include "tests/flow/requests.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

void add_patents(Host& host) {
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) VALUES "
      "('D656296', 'S1', 'grant', 'Ready to eat snack piece', '2012-03-27', 0), "
      "('D656308', 'S1', 'grant', 'Replaceable cartridge for a pain management system', '2012-03-27', 0)");
}

}  // namespace

TEST_CASE("portfolios: create, list, update, delete", "[portfolios]") {
  Host host;
  std::string key = owner_key(host);
  auto created = host.fetch("POST", "/v1/portfolios", json_bearer(key), R"({"name":"Competitor watch"})");
  REQUIRE(created.status == 201);
  Json portfolio = body_json(created);
  std::string id = portfolio["id"];
  CHECK(id.rfind("pf_", 0) == 0);
  CHECK(portfolio["description"].is_null());
  CHECK(portfolio["patent_count"] == 0);
  host.advance(1000);
  host.fetch("POST", "/v1/portfolios", json_bearer(key), R"({"name":"Second","description":"newer"})");

  Json list = body_json(host.fetch("GET", "/v1/portfolios?limit=1", bearer(key)));
  CHECK(list["data"][0]["name"] == "Second");  // newest first
  Json next =
      body_json(host.fetch("GET", "/v1/portfolios?limit=1&cursor=" + list["next_cursor"].get<std::string>(), bearer(key)));
  CHECK(next["data"][0]["id"] == id);
  CHECK(next["has_more"] == false);

  auto renamed = body_json(host.fetch("PATCH", "/v1/portfolios/" + id, json_bearer(key), R"({"description":"rivals"})"));
  CHECK(renamed["name"] == "Competitor watch");  // untouched
  CHECK(renamed["description"] == "rivals");
  auto cleared = body_json(host.fetch("PATCH", "/v1/portfolios/" + id, json_bearer(key), R"({"description":null})"));
  CHECK(cleared["description"].is_null());

  auto bad = host.fetch("POST", "/v1/portfolios", json_bearer(key), R"({"name":"","colour":"red"})");
  CHECK(bad.status == 400);
  CHECK(body_json(bad)["error"]["message"] ==
        "colour: is not a parameter of this endpoint; name: must be a string of 1 to 100 characters");

  CHECK(body_json(host.fetch("DELETE", "/v1/portfolios/" + id, bearer(key))) ==
        Json{{"object", "portfolio"}, {"id", id}, {"deleted", true}});
  CHECK(error_code(host.fetch("GET", "/v1/portfolios/" + id, bearer(key))) == "resource_missing");
  CHECK(error_code(host.fetch("DELETE", "/v1/portfolios/" + id, bearer(key))) == "resource_missing");
}

TEST_CASE("a portfolio's patents: add (repeatable), list, remove", "[portfolios]") {
  Host host;
  std::string key = owner_key(host);
  add_patents(host);
  std::string id = body_json(host.fetch("POST", "/v1/portfolios", json_bearer(key), R"({"name":"p"})"))["id"];
  std::string path = "/v1/portfolios/" + id + "/patents";

  auto added = host.fetch("POST", path, json_bearer(key), R"({"number":"USD0656308S1"})");
  CHECK(added.status == 201);
  CHECK(body_json(added)["number"] == "D656308");
  CHECK(host.fetch("POST", path, json_bearer(key), R"({"number":"D656,308"})").status == 200);  // already there
  CHECK(host.fetch("POST", path, json_bearer(key), R"({"number":"D656296"})").status == 201);
  CHECK(error_code(host.fetch("POST", path, json_bearer(key), R"({"number":"9999999"})")) == "resource_missing");
  CHECK(error_code(host.fetch("POST", path, json_bearer(key), R"({"number":"12AB"})")) == "parameter_invalid");

  Json list = body_json(host.fetch("GET", path, bearer(key)));
  REQUIRE(list["data"].size() == 2);
  CHECK(list["data"][0]["number"] == "D656296");
  CHECK(body_json(host.fetch("GET", "/v1/portfolios/" + id, bearer(key)))["patent_count"] == 2);

  CHECK(body_json(host.fetch("DELETE", path + "/D656296", bearer(key)))["deleted"] == true);
  CHECK(error_code(host.fetch("DELETE", path + "/D656296", bearer(key))) == "resource_missing");
  CHECK(body_json(host.fetch("GET", path, bearer(key)))["data"].size() == 1);
}

TEST_CASE("organisation B never sees or touches A's portfolios", "[portfolios]") {
  Host host;
  std::string a = owner_key(host, "a@acme.example", "Acme");
  std::string b = owner_key(host, "b@globex.example", "Globex");
  add_patents(host);
  std::string id = body_json(host.fetch("POST", "/v1/portfolios", json_bearer(a), R"({"name":"secret plans"})"))["id"];
  host.fetch("POST", "/v1/portfolios/" + id + "/patents", json_bearer(a), R"({"number":"D656296"})");

  CHECK(body_json(host.fetch("GET", "/v1/portfolios", bearer(b)))["data"].empty());
  for (auto [method, path, body] : std::initializer_list<std::tuple<const char*, std::string, const char*>>{
           {"GET", "/v1/portfolios/" + id, ""},
           {"PATCH", "/v1/portfolios/" + id, R"({"name":"mine now"})"},
           {"DELETE", "/v1/portfolios/" + id, ""},
           {"GET", "/v1/portfolios/" + id + "/patents", ""},
           {"POST", "/v1/portfolios/" + id + "/patents", R"({"number":"D656308"})"},
           {"DELETE", "/v1/portfolios/" + id + "/patents/D656296", ""}}) {
    INFO(method << " " << path);
    auto response = host.fetch(method, path, json_bearer(b), body);
    CHECK(response.status == 404);
    CHECK(error_code(response) == "resource_missing");
  }
  Json still = body_json(host.fetch("GET", "/v1/portfolios/" + id, bearer(a)));
  CHECK(still["name"] == "secret plans");
  CHECK(still["patent_count"] == 1);
}

TEST_CASE("portfolio routes need their scopes", "[portfolios]") {
  Host host;
  std::string owner = owner_key(host);
  std::string reader = body_json(
      host.fetch("POST", "/v1/keys", json_bearer(owner), R"({"role":"read_only","scopes":["portfolios:read"]})"))["secret"];
  CHECK(host.fetch("GET", "/v1/portfolios", bearer(reader)).status == 200);
  CHECK(error_code(host.fetch("POST", "/v1/portfolios", json_bearer(reader), R"({"name":"x"})")) == "missing_scope");
}
