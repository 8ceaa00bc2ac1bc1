// A patent's records: citations, assignments, chain of title, maintenance; CPC and assignees.
// The rules first (pure functions), then the endpoints on the native host.
#include "tests/native/requests.hpp"
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
  host.query("INSERT INTO patents (number, kind, document_type, title, filing_date, grant_date, updated_at) VALUES "
             "('9219817', 'B2', 'grant', 'A made-up title', '2015-04-03', '2015-12-22', 0), "
             "('7503059', 'B1', 'grant', 'Another made-up title', '2001-12-28', '2009-03-10', 0)");
  host.query("INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, page_count, "
             "correspondent_name) VALUES "
             "('37388-92', 37388, 92, 'ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).', 'employer_assignment', "
             "'2015-12-30', 3, 'CHRISTIE, PARKER & HALE, LLP'), "
             "('40000-1', 40000, 1, 'SECURITY INTEREST', 'security', '2016-06-01', 5, NULL), "
             "('40001-7', 40001, 7, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'assignment', '2017-02-01', 2, NULL), "
             "('40002-9', 40002, 9, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'assignment', '2018-05-01', 2, NULL)");
  host.query("INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, execution_date) VALUES "
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
  host.query("INSERT INTO assignment_properties (assignment_id, sequence, patent_number) VALUES "
             "('37388-92', 0, '9219817'), ('40000-1', 0, '9219817'), ('40001-7', 0, '9219817'), ('40002-9', 0, '9219817')");
  host.query("INSERT INTO citations VALUES ('9219817', 0, '7503059', 'US', 'B1', '2009-03', 'cited by examiner'), "
             "('9219817', 1, '5988577', 'US', 'A', '1999-11', 'cited by applicant'), "
             "('9219817', 2, '2004/123456', 'WO', 'A1', '2004-12', 'cited by examiner')");
  // Real events of US 4,289,713 and 4,291,808 (from the edegan.com fee table in ../shared/data/uspto).
  host.query("INSERT INTO patents (number, kind, document_type, title, filing_date, grant_date, updated_at) VALUES "
             "('4289713', 'A', 'grant', 'A made-up title', '1981-01-05', '1981-09-15', 0), "
             "('4291808', 'A', 'grant', 'A made-up title', '1980-12-12', '1981-09-29', 0)");
  host.query("INSERT INTO maintenance_fee_events VALUES "
             "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1985-03-06', 'M170'), "
             "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1988-11-07', 'M171'), "
             "('4289713', '6222552', 'Y', '1981-01-05', '1981-09-15', '1993-03-03', 'M285'), "
             "('4291808', '6215853', 'N', '1980-12-12', '1981-09-29', '1985-08-12', 'REM.'), "
             "('4291808', '6215853', 'N', '1980-12-12', '1981-09-29', '1985-10-31', 'EXP.')");
  // The first lines of the CPC title list (cpc-section-A_20250501), with parents as ingestion links them.
  host.query("INSERT INTO cpc_codes VALUES ('A', NULL, 'HUMAN NECESSITIES', NULL), "
             "('A01', NULL, 'AGRICULTURE; FORESTRY; ANIMAL HUSBANDRY; HUNTING; TRAPPING; FISHING', 'A'), "
             "('A01B', NULL, 'SOIL WORKING IN AGRICULTURE OR FORESTRY', 'A01'), "
             "('A01B1/00', 0, 'Hand tools', 'A01B'), ('A01B1/02', 1, 'Spades; Shovels', 'A01B1/00'), "
             "('A01B1/04', 2, 'with teeth', 'A01B1/02')");
  host.query("INSERT INTO assignees (id, name, normalized_name, country, created_at) VALUES "
             "('ent_sb', 'SoundBite Communications, Inc.', 'SOUNDBITE COMMUNICATIONS', 'US', 0), "
             "('ent_sony', 'Sony Corporation', 'SONY', 'JP', 0), ('ent_sonos', 'Sonos, Inc.', 'SONOS', 'US', 0)");
  host.query("INSERT INTO patent_assignees VALUES ('9219817', 'ent_sb', 0, 'SoundBite Communications, Inc.')");
}

}  // namespace

TEST_CASE("names compare without case, punctuation or legal form", "[patents]") {
  CHECK(patents::normalize_name("Frito-Lay North America, Inc.") == "FRITO LAY NORTH AMERICA");
  CHECK(patents::normalize_name("  SOUNDBITE COMMUNICATIONS, INC. ") == "SOUNDBITE COMMUNICATION");  // NBER: COMMUNICATIONS
  CHECK(patents::normalize_name("Siemens AG") == "SIEMENS");
  CHECK(patents::normalize_name("Co") == "CO");  // a name is never emptied by its suffixes
  CHECK(patents::normalize_name("Müller GmbH & Co. KG") == "MüLLER");  // non-ASCII letters are kept as they are
  CHECK(patents::normalize_name("--").empty());
  // The NBER substitutions, in their order: spellings of one word meet, legal forms shrink and go.
  CHECK(patents::normalize_name("International Business Machines Corporation") == "INT BUSINESS MACHINES");
  CHECK(patents::normalize_name("Bell Telephone Laboratories, Incorporated") == "BELL TELEPHONE LAB");
  CHECK(patents::normalize_name("Volvo Aktiebolaget") == "VOLVO");
  CHECK(patents::normalize_name("SoundBite Commn") == patents::normalize_name("SOUNDBITE COMMUNICATIONS INC"));
  CHECK(patents::normalize_name("Commune Laboratories") == "COMMUNE LAB");  // whole words only: COMMUN is not COMMUNE
}

TEST_CASE("near-identical names are one entity, different numbers and short names never are", "[patents]") {
  CHECK(patents::edit_distance("KITTEN", "SITTING", 5) == 3);
  CHECK(patents::edit_distance("KITTEN", "SITTING", 2) == 3);  // past the limit: limit + 1
  CHECK(patents::edit_distance("", "ABC", 5) == 3);
  CHECK(patents::same_entity("INT BUSINESS MACHINES", "INT BUSINES MACHINES"));
  CHECK(patents::same_entity("INT BUSINESS MACHINES", "INT BUSNESS MACHNES"));  // 2 edits from 16 bytes
  CHECK_FALSE(patents::same_entity("INT BUSINESS MACHINES", "INT BUSNIESS MACHNES X"));
  CHECK(patents::same_entity("ACME WIDGETS", "ACME WIDGETZ"));
  CHECK_FALSE(patents::same_entity("ACME WIDGETS", "ACME GADGETS"));
  CHECK_FALSE(patents::same_entity("GROWTH FUND 2", "GROWTH FUND 3"));  // digits must agree
  CHECK_FALSE(patents::same_entity("SONY", "SONOS"));                   // too short to guess
  CHECK(patents::name_shard("ACME WIDGETS") == "AC");
}

TEST_CASE("CPC symbols parse at every rank and nothing else does", "[patents]") {
  for (auto [text, symbol] : std::initializer_list<std::pair<const char*, const char*>>{
           {"A", "A"}, {"h01", "H01"}, {"H01L", "H01L"}, {"H01L 21/02", "H01L21/02"}, {"A01B1%2F00", "A01B1/00"},
           {"Y02E10/50", "Y02E10/50"}, {"G06F2203/04808", "G06F2203/04808"}})
    CHECK(patents::cpc_symbol(text) == std::optional<std::string>(symbol));
  for (const char* bad : {"", "I", "Z01", "H1", "H01LL", "H01L21", "H01L21/", "H01L/02", "H01L21/2", "H01L12345/00", "H01L21/02/03"})
    CHECK_FALSE(patents::cpc_symbol(bad));
}

TEST_CASE("maintenance status follows the fee events and the statutory term", "[patents]") {
  using patents::maintenance_status;
  auto paid_all = maintenance_status("4289713", "1981-01-05", "1981-09-15",
                                     {{"1985-03-06", "M170"}, {"1988-11-07", "M171"}, {"1993-03-03", "M285"}}, "2026-11-23");
  REQUIRE(paid_all);
  CHECK(paid_all->status == "expired");
  CHECK(paid_all->fees_paid == std::vector<int>{4, 8, 12});
  CHECK(paid_all->expires_on == "2001-01-05");  // filed before 1995-06-08: the later of 20 from filing, 17 from grant

  auto unpaid = maintenance_status("4291808", "1980-12-12", "1981-09-29", {{"1985-10-31", "EXP."}, {"1985-08-12", "REM."}}, "2026-11-23");
  CHECK(unpaid->status == "lapsed");
  CHECK(unpaid->lapsed_on == "1985-10-31");

  auto young = maintenance_status("10000001", "2015-03-10", "2018-06-19", {{"2021-12-01", "M1551"}}, "2026-11-23");
  CHECK(young->status == "in_force");
  CHECK(young->fees_paid == std::vector<int>{4});
  CHECK(young->next_fee_due == "2025-12-19");  // 7.5 years after grant
  CHECK(young->expires_on == "2035-03-10");
  auto reinstated = maintenance_status("10000001", "2015-03-10", "2018-06-19", {{"2022-06-20", "EXP."}, {"2022-09-01", "EXPX"}}, "2026-11-23");
  CHECK(reinstated->status == "in_force");

  auto design = maintenance_status("D656296", "2010-12-16", "2012-03-27", {}, "2026-11-23");
  CHECK(design->status == "expired");
  CHECK(design->expires_on == "2026-03-27");  // 14 years: filed before 2015-05-13
  CHECK_FALSE(design->next_fee_due);          // designs owe no maintenance fees
  CHECK_FALSE(maintenance_status("20120123456", "2011-06-01", "", {}, "2026-11-23"));

  CHECK(patents::add_months("2012-02-29", 12) == "2013-02-28");
  CHECK(patents::add_months("2018-06-19", 90) == "2025-12-19");
  CHECK(patents::date_of(0) == "1970-01-01");
  CHECK(patents::date_of(951782400000) == "2000-02-29");
  CHECK(patents::date_of(1795392000000) == "2026-11-23");
  CHECK(patents::date_of(-86400000) == "1969-12-31");
}

TEST_CASE("the chain of title follows assignments in order and flags breaks", "[patents]") {
  using patents::Conveyance;
  auto chain = patents::chain_of_title(
      {{"3", "assignment", "2018-05-01", "2018-04-01", {"SOMEONE ELSE CORP"}, {"LATER LLC"}},
       {"1", "employer_assignment", "2015-12-30", "2006-03-30", {"WEINSTEIN, DAMON"}, {"SOUNDBITE COMMUNICATIONS, INC."}},
       {"s", "security", "2016-06-01", "2016-05-20", {"SoundBite Communications Inc"}, {"A LENDER"}},
       {"2", "assignment", "2017-02-01", "2017-01-15", {"SoundBite Communications, Inc."}, {"NEWCO LLC"}}},
      {"SoundBite Communications, Inc."});
  REQUIRE(chain.links.size() == 3);  // the security interest moves no title
  CHECK(chain.links[0].conveyance.id == "1");
  CHECK_FALSE(chain.links[1].breaks_chain);  // "SoundBite Communications, Inc." is "SOUNDBITE COMMUNICATIONS, INC."
  CHECK(chain.links[2].breaks_chain);        // SOMEONE ELSE never held it
  CHECK_FALSE(chain.complete);
  CHECK(chain.current_owners == std::vector<std::string>{"LATER LLC"});
  CHECK(patents::chain_of_title({}, {"OWNER AT GRANT"}).current_owners == std::vector<std::string>{"OWNER AT GRANT"});
}

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
  CHECK(found["data"][0]["id"] == "ent_sonos");  // SONOS before SONY
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
