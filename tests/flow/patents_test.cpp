// /v1/patents on the native host: number forms, filters, sorts and keyset pages, bad input.
#include "tests/flow/requests.hpp"
#include "wasm/api/patents.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

void add_patent(Host& host, const std::string& number, const std::string& kind, const char* filed, const char* granted,
                const std::string& title) {
  bool grant = kind[0] != 'A';
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, filing_date, publication_date, grant_date, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
      {number, kind, grant ? "grant" : "application", title, filed, granted ? Json(granted) : Json(),
       granted ? Json(granted) : Json()});
}

// Three real design grants of 2012-03-27 (ipg120327, in ../shared/data/uspto), with number,
// kind, dates, title, first inventor and assignee as published; the utility grant, the
// publication and every CPC symbol are made up, to exercise the other filters.
void seed(Host& host) {
  add_patent(host, "D656296", "S1", "2010-12-16", "2012-03-27", "Ready to eat snack piece");
  add_patent(host, "D656308", "S1", "2010-11-18", "2012-03-27", "Replaceable cartridge for a pain management system");
  add_patent(host, "8144001", "B2", "2008-05-12", "2012-03-20", "A made-up utility grant");
  add_patent(host, "20120123456", "A1", "2011-06-01", nullptr, "A made-up published application");
  host.query(
      "INSERT INTO assignees (id, name, normalized_name, created_at) VALUES "
      "('ent_fritolay', 'Frito-Lay North America, Inc.', 'FRITO LAY NORTH AMERICA', 0), "
      "('ent_orthocor', 'OrthoCor Medical, Inc.', 'ORTHOCOR MEDICAL', 0)");
  host.query(
      "INSERT INTO patent_assignees VALUES ('D656296', 'ent_fritolay', 0, 'Frito-Lay North America, Inc.'), "
      "('D656308', 'ent_orthocor', 0, 'OrthoCor Medical, Inc.'), ('8144001', 'ent_orthocor', 0, 'OrthoCor Medical Inc')");
  host.query(
      "INSERT INTO inventors VALUES ('D656296', 0, 'Nicole', 'Cavin', 'Frisco', 'TX', 'US'), "
      "('D656296', 1, 'Divya', 'Paruchuri', 'Plano', 'TX', 'US')");
  host.query(
      "INSERT INTO patent_cpc VALUES ('D656296', 'A23L7/117', 0), ('8144001', 'H01L21/02', 0), ('8144001', 'H01L23/00', 1)");
}

std::vector<std::string> numbers(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list["data"]) out.push_back(item["number"]);
  return out;
}

}  // namespace

TEST_CASE("GET /v1/patents/{number} finds a patent by any form of its number", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  seed(host);
  for (const char* form : {"D656296", "USD0656296S1", "d656,296"}) {
    auto response = host.fetch("GET", std::string("/v1/patents/") + form, bearer(key));
    REQUIRE(response.status == 200);
    Json patent = body_json(response);
    CHECK(patent["number"] == "D656296");
    CHECK(patent["title"] == "Ready to eat snack piece");
    CHECK(patent["inventors"].size() == 2);
    CHECK(patent["inventors"][0]["last_name"] == "Cavin");
    CHECK(patent["assignees"][0]["id"] == "ent_fritolay");
    CHECK(patent["cpc"] == Json::array({"A23L7/117"}));
  }
  CHECK(host.last_round_trips == 1);  // the key's window in one batch with the document and all its parts
  auto missing = host.fetch("GET", "/v1/patents/9999999", bearer(key));
  CHECK(missing.status == 404);
  CHECK(error_code(missing) == "resource_missing");
  auto malformed = host.fetch("GET", "/v1/patents/US12AB", bearer(key));
  CHECK(malformed.status == 400);
  CHECK(body_json(malformed)["error"]["param"] == "number");
}

TEST_CASE("GET /v1/patents filters and sorts, and pages with signed cursors", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  seed(host);
  auto list = [&](const std::string& query) { return body_json(host.fetch("GET", "/v1/patents" + query, bearer(key))); };

  // Newest grant first, ties by number; publications have no grant date.
  CHECK(numbers(list("")) == std::vector<std::string>{"D656308", "D656296", "8144001"});
  CHECK(numbers(list("?sort=filing_date")) == std::vector<std::string>{"8144001", "D656308", "D656296", "20120123456"});
  CHECK(numbers(list("?sort=number")) == std::vector<std::string>{"20120123456", "8144001", "D656296", "D656308"});
  CHECK(numbers(list("?assignee=ent_orthocor")) == std::vector<std::string>{"D656308", "8144001"});
  CHECK(numbers(list("?assignee=ent_orthocor&sort=number")) == std::vector<std::string>{"8144001", "D656308"});
  CHECK(numbers(list("?cpc=H01L")) == std::vector<std::string>{"8144001"});
  CHECK(numbers(list("?cpc=A23L7/")) == std::vector<std::string>{"D656296"});
  CHECK(numbers(list("?kind=B2")) == std::vector<std::string>{"8144001"});
  CHECK(numbers(list("?filing_date_from=2010-12-01&filing_date_to=2010-12-31")) == std::vector<std::string>{"D656296"});
  CHECK(numbers(list("?grant_date_to=2011-12-31")).empty());

  // Pages: each of the four documents once, in order, whatever the page size.
  std::vector<std::string> seen;
  std::string query = "?sort=-filing_date&limit=1";
  for (int pages = 0; pages < 10; ++pages) {
    Json page = list(query);
    for (auto& number : numbers(page)) seen.push_back(number);
    if (!page["has_more"].get<bool>()) break;
    query = "?sort=-filing_date&limit=1&cursor=" + page["next_cursor"].get<std::string>();
  }
  CHECK(seen == std::vector<std::string>{"20120123456", "D656296", "D656308", "8144001"});
  // A cursor is bound to its filters and sort.
  std::string cursor = list("?sort=number&limit=1")["next_cursor"];
  CHECK(error_code(host.fetch("GET", "/v1/patents?sort=-number&limit=1&cursor=" + cursor, bearer(key))) == "invalid_cursor");
}

TEST_CASE("GET /v1/patents refuses bad filters, all at once", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  auto response = host.fetch("GET",
                             "/v1/patents?grant_date_from=2012-03-27&grant_date_to=2012-01-01&filing_date_from=2012-02-30"
                             "&sort=title&kind=XYZ",
                             bearer(key));
  CHECK(response.status == 400);
  CHECK(body_json(response)["error"]["message"] ==
        "kind: must be a string of 1 to 2 characters; filing_date_from: must be a date (YYYY-MM-DD); "
        "sort: must be one of '-grant_date', 'grant_date', '-filing_date', 'filing_date', '-number', 'number'");
  // Rules across parameters run once each parameter is well-formed.
  auto reversed = host.fetch("GET", "/v1/patents?grant_date_from=2012-03-27&grant_date_to=2012-01-01", bearer(key));
  CHECK(body_json(reversed)["error"]["message"] == "grant_date_to: must not be before grant_date_from");
  CHECK(error_code(host.fetch("GET", "/v1/patents?cpc=" + std::string(33, 'A'), bearer(key))) == "parameter_invalid");
  CHECK(host.fetch("GET", "/v1/patents").status == 401);
}

TEST_CASE("a patent row read by the object's SELECT list renders to an instance of its schema", "[patents][object_type]") {
  const auto& patent = api::patent_object();
  Host host;
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) "
      "VALUES ('D656296', 'S1', 'grant', 'Ready to eat snack piece', '2012-03-27', 0)");
  Json rows = host.query("SELECT " + patent.select_list() + " FROM patents p");
  REQUIRE(rows.size() == 1);
  Violations violations;
  patent.schema().check(patent.render(rows[0]), "patent", violations);
  CHECK(violations.empty());
}
