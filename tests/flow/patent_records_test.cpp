// A patent's records: citations, assignments, chain of title, maintenance; CPC and assignees.
// The rules first (pure functions), then the endpoints on the native host.
#include "tests/flow/requests.hpp"
#include "wasm/patents/cpc.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/patents/names.hpp"
#include "wasm/patents/ownership.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// Real records: reel 37388 frame 92 (ad20160101, in ../shared/data/uspto) conveys US 9,219,817
// B2 from three inventors to SoundBite; the two later assignments are made up.
void seed(Host& host) {
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, filing_date, grant_date, updated_at) VALUES "
      "('9219817', 'B2', 'grant', 'A made-up title', '2015-04-03', '2015-12-22', 0), "
      "('7503059', 'B1', 'grant', 'Another made-up title', '2001-12-28', '2009-03-10', 0)");
  host.query(
      "INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, page_count, "
      "correspondent_name) VALUES "
      "('37388-92', 37388, 92, 'ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).', 'employer_assignment', "
      "'2015-12-30', 3, 'CHRISTIE, PARKER & HALE, LLP'), "
      "('40000-1', 40000, 1, 'SECURITY INTEREST', 'security', '2016-06-01', 5, NULL), "
      "('40001-7', 40001, 7, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'assignment', '2017-02-01', 2, NULL), "
      "('40002-9', 40002, 9, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'assignment', '2018-05-01', 2, NULL)");
  host.query(
      "INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, execution_date) VALUES "
      "('37388-92', 'assignor', 0, 'WEINSTEIN, DAMON', 'WEINSTEIN DAMON', '2006-03-30'), "
      "('37388-92', 'assignor', 1, 'SEGALL, TIMOTHY R.', 'SEGALL TIMOTHY R', '2006-03-29'), "
      "('37388-92', 'assignor', 2, 'LAIOSA, VINCENT E.', 'LAIOSA VINCENT E', '2006-03-29'), "
      "('37388-92', 'assignee', 0, 'SOUNDBITE COMMUNICATIONS, INC.', 'SOUNDBITE COMMUNICATIONS', NULL), "
      "('40000-1', 'assignor', 0, 'SoundBite Communications Inc', 'SOUNDBITE COMMUNICATIONS', '2016-05-20'), "
      "('40000-1', 'assignee', 0, 'A LENDER', 'A LENDER', NULL), "
      "('40001-7', 'assignor', 0, 'SoundBite Communications, Inc.', 'SOUNDBITE COMMUNICATIONS', '2017-01-15'), "
      "('40001-7', 'assignee', 0, 'NEWCO LLC', 'NEWCO', NULL), "
      "('40002-9', 'assignor', 0, 'SOMEONE ELSE CORP', 'SOMEONE ELSE', '2018-04-01'), "
      "('40002-9', 'assignee', 0, 'LATER LLC', 'LATER', NULL)");
  host.query(
      "INSERT INTO assignment_properties (assignment_id, sequence, patent_number) VALUES "
      "('37388-92', 0, '9219817'), ('40000-1', 0, '9219817'), ('40001-7', 0, '9219817'), ('40002-9', 0, '9219817')");
  host.query(
      "INSERT INTO citations VALUES ('9219817', 0, '7503059', 'US', 'B1', '2009-03', 'cited by examiner'), "
      "('9219817', 1, '5988577', 'US', 'A', '1999-11', 'cited by applicant'), "
      "('9219817', 2, '2004/123456', 'WO', 'A1', '2004-12', 'cited by examiner')");
  // Real events of US 4,289,713 and 4,291,808 (from the edegan.com fee table in ../shared/data/uspto).
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, filing_date, grant_date, updated_at) VALUES "
      "('4289713', 'A', 'grant', 'A made-up title', '1981-01-05', '1981-09-15', 0), "
      "('4291808', 'A', 'grant', 'A made-up title', '1980-12-12', '1981-09-29', 0)");
  host.query(
      "INSERT INTO maintenance_fee_events VALUES "
      "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1985-03-06', 'M170'), "
      "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1988-11-07', 'M171'), "
      "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1993-03-03', 'M285'), "
      "('4291808', '6215853', 'N', '1980-12-12', '1981-09-29', '1985-08-12', 'REM.'), "
      "('4291808', '6215853', 'N', '1980-12-12', '1981-09-29', '1985-10-31', 'EXP.')");
  // The first lines of the CPC title list (cpc-section-A_20250501), with parents as ingestion links them.
  host.query(
      "INSERT INTO cpc_codes VALUES ('A', NULL, 'HUMAN NECESSITIES', NULL), "
      "('A01', NULL, 'AGRICULTURE; FORESTRY; ANIMAL HUSBANDRY; HUNTING; TRAPPING; FISHING', 'A'), "
      "('A01B', NULL, 'SOIL WORKING IN AGRICULTURE OR FORESTRY', 'A01'), "
      "('A01B1/00', 0, 'Hand tools', 'A01B'), ('A01B1/02', 1, 'Spades; Shovels', 'A01B1/00'), "
      "('A01B1/04', 2, 'with teeth', 'A01B1/02')");
  host.query(
      "INSERT INTO assignees (id, name, normalized_name, country, created_at) VALUES "
      "('ent_sb', 'SoundBite Communications, Inc.', 'SOUNDBITE COMMUNICATIONS', 'US', 0), "
      "('ent_sony', 'Sony Corporation', 'SONY', 'JP', 0), ('ent_sonos', 'Sonos, Inc.', 'SONOS', 'US', 0)");
  host.query("INSERT INTO patent_assignees VALUES ('9219817', 'ent_sb', 0, 'SoundBite Communications, Inc.')");
}

}  // namespace

TEST_CASE("a patent's citations, assignments, ownership and maintenance", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  seed(host);
  auto get = [&](const std::string& path) { return host.fetch("GET", path, bearer(key)); };

  Json backward = body_json(get("/v1/patents/US9,219,817B2/citations"));
  REQUIRE(backward["data"].size() == 3);
  CHECK(backward["data"][0]["cited_number"] == "7503059");
  CHECK(backward["data"][0]["title"] == "Another made-up title");  // it is in the database
  CHECK(backward["data"][2]["cited_country"] == "WO");
  CHECK(backward["data"][2]["title"].is_null());
  Json forward = body_json(get("/v1/patents/7503059/citations?direction=forward"));
  REQUIRE(forward["data"].size() == 1);
  CHECK(forward["data"][0]["citing_number"] == "9219817");
  Json first = body_json(get("/v1/patents/9219817/citations?limit=2"));
  Json rest = body_json(get("/v1/patents/9219817/citations?limit=2&cursor=" + first["next_cursor"].get<std::string>()));
  CHECK(rest["data"][0]["cited_country"] == "WO");
  CHECK(error_code(get("/v1/patents/9219817/citations?direction=forward&cursor=" + first["next_cursor"].get<std::string>())) ==
        "invalid_cursor");

  Json assignments = body_json(get("/v1/patents/9219817/assignments"));
  REQUIRE(assignments["data"].size() == 4);
  CHECK(assignments["data"][0]["id"] == "40002-9");  // newest recorded first
  const Json& real = assignments["data"][3];
  CHECK(real["reel"] == 37388);
  CHECK(real["frame"] == 92);
  CHECK(real["conveyance_type"] == "employer_assignment");
  CHECK(real["assignors"].size() == 3);
  CHECK(real["assignors"][0] == Json{{"name", "WEINSTEIN, DAMON"}, {"execution_date", "2006-03-30"}});
  CHECK(real["assignees"] == Json::array({{{"name", "SOUNDBITE COMMUNICATIONS, INC."}}}));
  CHECK(host.last_round_trips == 1);  // the key's window travels with the handler's reads

  Json ownership = body_json(get("/v1/patents/9219817/ownership"));
  CHECK(ownership["complete"] == false);
  CHECK(ownership["links"].size() == 3);
  CHECK(ownership["links"][2]["breaks_chain"] == true);
  CHECK(ownership["current_owners"] == Json::array({"LATER LLC"}));

  Json lapsed = body_json(get("/v1/patents/4291808/maintenance"));
  CHECK(lapsed["status"] == "lapsed");
  CHECK(lapsed["events"].size() == 2);
  CHECK(body_json(get("/v1/patents/4289713/maintenance"))["fees_paid"] == Json::array({4, 8, 12}));

  for (const char* path : {"/v1/patents/1234567/citations", "/v1/patents/1234567/assignments", "/v1/patents/1234567/ownership",
                           "/v1/patents/1234567/maintenance"}) {
    INFO(path);
    CHECK(error_code(get(path)) == "resource_missing");
  }
  CHECK(error_code(get("/v1/patents/12AB/ownership")) == "parameter_invalid");
}

// A hand-written scenario (docs/rules.md): two inventors; the employer assignment was recorded
// against the application before grant, with one inventor's name as the assignment spells it and
// the other inventor missing; then the employer sold the patent.
TEST_CASE("the chain of title runs from the inventors, pre-grant assignments included", "[patents][rules]") {
  Host host;
  std::string key = owner_key(host);
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, application_number, filing_date, grant_date, updated_at) "
      "VALUES ('9000001', 'B2', 'grant', 'A scenario', '14123456', '2014-01-10', '2016-05-03', 0)");
  host.query(
      "INSERT INTO inventors (patent_number, sequence, first_name, last_name) VALUES "
      "('9000001', 0, 'Jürgen A.', 'Müller'), ('9000001', 1, 'Jane', 'Smith')");
  host.query(
      "INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date) VALUES "
      "('50000-1', 50000, 1, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'employer_assignment', '2014-02-01'), "
      "('50000-2', 50000, 2, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'assignment', '2017-03-01')");
  host.query(
      "INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, execution_date) VALUES "
      "('50000-1', 'assignor', 0, 'MULLER, JURGEN', 'MULLER JURGEN', '2014-01-20'), "
      "('50000-1', 'assignee', 0, 'WIDGETS, INC.', 'WIDGETS', NULL), "
      "('50000-2', 'assignor', 0, 'Widgets Inc', 'WIDGETS', '2017-02-20'), "
      "('50000-2', 'assignee', 0, 'BUYER LLC', 'BUYER', NULL)");
  host.query(
      "INSERT INTO assignment_properties (assignment_id, sequence, patent_number, application_number) VALUES "
      "('50000-1', 0, NULL, '14123456'), ('50000-2', 0, '9000001', '14123456')");

  Json chain = body_json(host.fetch("GET", "/v1/patents/9000001/ownership", bearer(key)));
  REQUIRE(chain["links"].size() == 2);
  CHECK(chain["links"][0]["assignment_id"] == "50000-1");  // recorded against the application only
  CHECK(chain["links"][0]["from_inventors"] == true);      // "MULLER, JURGEN" is Jürgen A. Müller
  CHECK(chain["links"][0]["breaks_chain"] == false);
  CHECK(chain["links"][1]["from_inventors"] == false);
  CHECK(chain["links"][1]["breaks_chain"] == false);  // "Widgets Inc" is "WIDGETS, INC."
  CHECK(chain["unassigned_inventors"] == Json::array({"Jane Smith"}));
  CHECK(chain["complete"] == false);
  CHECK(chain["current_owners"] == Json::array({"BUYER LLC"}));

  // Once Jane Smith's assignment is on record, nothing is missing.
  host.query(
      "INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, execution_date) "
      "VALUES ('50000-1', 'assignor', 1, 'SMITH, JANE', 'SMITH JANE', '2014-01-21')");
  chain = body_json(host.fetch("GET", "/v1/patents/9000001/ownership", bearer(key)));
  CHECK(chain["unassigned_inventors"] == Json::array());
  CHECK(chain["complete"] == true);
}

TEST_CASE("GET /v1/cpc answers a symbol with its ancestors and children", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  seed(host);
  auto response = host.fetch("GET", "/v1/cpc/A01B1/02", bearer(key));
  REQUIRE(response.status == 200);
  CHECK(response.headers.get("cache-control") == "public, max-age=86400");
  Json code = body_json(response);
  CHECK(code["title"] == "Spades; Shovels");
  std::vector<std::string> parents;
  for (const auto& parent : code["parents"]) parents.push_back(parent["symbol"]);
  CHECK(parents == std::vector<std::string>{"A", "A01", "A01B", "A01B1/00"});
  CHECK(code["children"] == Json::array({{{"symbol", "A01B1/04"}, {"level", 2}, {"title", "with teeth"}}}));
  CHECK(body_json(host.fetch("GET", "/v1/cpc/a01", bearer(key)))["children"][0]["symbol"] == "A01B");
  CHECK(error_code(host.fetch("GET", "/v1/cpc/A01C", bearer(key))) == "resource_missing");
  CHECK(error_code(host.fetch("GET", "/v1/cpc/A01B1/2", bearer(key))) == "parameter_invalid");
}

TEST_CASE("GET /v1/assignees finds names by normalised prefix, and lists their patents", "[patents]") {
  Host host;
  std::string key = owner_key(host);
  seed(host);
  auto search = [&](const std::string& q) { return body_json(host.fetch("GET", "/v1/assignees?q=" + q, bearer(key))); };
  Json found = search("son");
  REQUIRE(found["data"].size() == 2);
  CHECK(found["data"][0]["id"] == "ent_sonos");            // SONOS before SONY
  CHECK(search("sound%20bite%2C%20inc")["data"].empty());  // "SOUND BITE" is another name than "SOUNDBITE"
  CHECK(search("SoundBite%20Communications%2C%20Inc.")["data"][0]["id"] == "ent_sb");
  CHECK(error_code(host.fetch("GET", "/v1/assignees?q=" + std::string(101, 'a'), bearer(key))) == "parameter_invalid");
  CHECK(error_code(host.fetch("GET", "/v1/assignees?q=--", bearer(key))) == "parameter_invalid");
  CHECK(error_code(host.fetch("GET", "/v1/assignees", bearer(key))) == "parameter_invalid");

  Json patents = body_json(host.fetch("GET", "/v1/assignees/ent_sb/patents?sort=number", bearer(key)));
  REQUIRE(patents["data"].size() == 1);
  CHECK(patents["data"][0]["number"] == "9219817");
  CHECK(error_code(host.fetch("GET", "/v1/assignees/ent_nope/patents", bearer(key))) == "resource_missing");
  CHECK(error_code(host.fetch("GET", "/v1/assignees/ent_sb/patents?assignee=ent_sony", bearer(key))) == "parameter_invalid");
}
