// Ingestion jobs into SQLite on the real USPTO sample files (tests/fixtures/uspto, see
// SOURCES.md), read back through the API.
#include "tests/flow/requests.hpp"
#include "wasm/ingest/loader.hpp"

using namespace ptmc;
using namespace ptmc::ingest;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// The skipped records of a job: "offset: reason", in file order.
std::vector<std::string> skipped(Host& host, const std::string& job) {
  std::vector<std::string> out;
  for (const auto& row :
       host.query("SELECT byte_offset, reason FROM ingestion_errors WHERE job_id = ?1 ORDER BY byte_offset", {job}))
    out.push_back(std::to_string(row["byte_offset"].get<int64_t>()) + ": " + row["reason"].get<std::string>());
  return out;
}

int64_t count(Host& host, const std::string& table) { return host.query("SELECT count(*) AS n FROM " + table).at(0)["n"]; }

}  // namespace

TEST_CASE("ingestion jobs load the real samples, and loading them again changes nothing", "[ingest]") {
  Host host;
  std::string key = operator_key(host);
  Json grants = run_ingestion_job(host, "grant", "2012-03-27",
                                  {{"ipg120327_one.xml", fixture("grant_ipg120327_one_v42.xml")},
                                   {"ipg120327_two.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  CHECK(grants["status"] == "succeeded");
  CHECK(grants["loaded"] == 3);
  CHECK(grants["bytes_done"] == grants["bytes_total"]);
  Json assignments =
      run_ingestion_job(host, "assignment", "2016-01-01", {{"ad20160101.xml", fixture("assignment_ad20160101_subset.xml")}});
  CHECK(assignments["loaded"] == 7);
  CHECK(assignments["skipped"] == 0);
  Json cpc = run_ingestion_job(host, "cpc", "2025-05-01", {{"cpc-section-A.txt", fixture("cpc-section-A_20250501_head300.txt")}});
  CHECK(cpc["records"] == 300);
  CHECK(cpc["loaded"] == 300);
  CHECK(count(host, "cpc_staging") == 0);  // swapped in and cleared

  auto snapshot = [&] {
    std::vector<int64_t> counts;
    for (const char* table : {"patents", "inventors", "assignees", "entity_names", "patent_assignees", "citations", "patent_text",
                              "assignments", "assignment_parties", "assignment_properties", "cpc_codes"})
      counts.push_back(count(host, table));
    return counts;
  };
  auto before = snapshot();
  auto updated = host.query("SELECT number, updated_at FROM patents ORDER BY number");
  // The same files as another day's jobs: every row is upserted again, and none changes.
  host.advance(60000);
  run_ingestion_job(host, "grant", "2012-03-28", {{"again.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  run_ingestion_job(host, "assignment", "2016-01-02", {{"again.xml", fixture("assignment_ad20160101_subset.xml")}});
  run_ingestion_job(host, "cpc", "2025-06-01", {{"again.txt", fixture("cpc-section-A_20250501_head300.txt")}});
  CHECK(snapshot() == before);
  CHECK(host.query("SELECT number, updated_at FROM patents ORDER BY number") == updated);  // nothing changed, nothing touched

  // The loaded data answers through the API.
  Json patent = body_json(host.fetch("GET", "/v1/patents/USD0656296S1", bearer(key)));
  CHECK(patent["title"] == "Ready to eat snack piece");
  CHECK(patent["assignees"][0]["name"] == "Frito-Lay North America, Inc.");
  // US 9,219,817 is not among the loaded grants, but its recorded assignment makes it known.
  Json recorded = body_json(host.fetch("GET", "/v1/patents/9219817/assignments", bearer(key)));
  CHECK(recorded["data"][0]["id"] == "37388-92");
  CHECK(recorded["data"][0]["assignors"].size() == 3);
  Json owners = body_json(host.fetch("GET", "/v1/patents/9219817/ownership", bearer(key)));
  CHECK(owners["current_owners"] == Json::array({"SOUNDBITE COMMUNICATIONS, INC."}));
  Json found = body_json(host.fetch("GET", "/v1/assignees?q=soundbite", bearer(key)));
  CHECK(found["data"][0]["name"] == "SOUNDBITE COMMUNICATIONS, INC.");
  Json code = body_json(host.fetch("GET", "/v1/cpc/A01B1/02", bearer(key)));
  CHECK(code["parents"].size() == 4);
  CHECK(code["parents"][3]["symbol"] == "A01B1/00");
  CHECK(body_json(host.fetch("GET", "/v1/search?q=snack", bearer(key)))["data"][0]["number"] == "D656296");

  Json broken = run_ingestion_job(host, "assignment", "2016-01-03",
                                  {{"broken.xml",
                                    "<us-patent-assignments><patent-assignment><assignment-record>"
                                    "<reel-no>x</reel-no></assignment-record></patent-assignment><patent-assignment>"}});
  CHECK(broken["status"] == "succeeded");
  CHECK(broken["skipped"] == 2);
  CHECK(skipped(host, "us:assignment:2016-01-03") ==
        std::vector<std::string>{"23: no reel, frame, recorded date or conveyance text",  // where <patent-assignment> starts
                                 "121: the file ends inside a <patent-assignment>"});
  Json listed = body_json(host.fetch("GET", "/v1/ingestion/jobs/us:assignment:2016-01-03/errors?limit=1", bearer(key)));
  CHECK(listed["data"][0]["byte_offset"] == 23);
  CHECK(listed["data"][0]["file"] == "raw/us/assignment/2016-01-03/broken.xml");
  Json next = body_json(host.fetch(
      "GET", "/v1/ingestion/jobs/us:assignment:2016-01-03/errors?limit=1&cursor=" + listed["next_cursor"].get<std::string>(),
      bearer(key)));
  CHECK(next["data"][0]["reason"] == "the file ends inside a <patent-assignment>");
  CHECK(next["has_more"] == false);
}

TEST_CASE("a week of grants loads in a few statements per batch, and a document repeated in one counts as its last copy",
          "[ingest]") {
  Host host;
  // 240 grants: three batches of at most 100 records.
  Json job = run_ingestion_job(host, "grant", "2012-03-27", {{"ipg120327.xml", many_grants(80)}});
  REQUIRE(job["status"] == "succeeded");
  CHECK(job["loaded"] == 240);
  CHECK(count(host, "patents") == 240);
  CHECK(count(host, "patent_text") == 240);
  REQUIRE(count(host, "inventors") > 0);
  CHECK(host.query("SELECT count(*) AS n FROM inventors")[0]["n"] == 80 * host.query("SELECT count(*) AS n FROM inventors WHERE "
                                                                                     "patent_number IN ('D1000000', 'D1000001', "
                                                                                     "'D1000002')")[0]["n"]
                                                                              .get<int64_t>());
  CHECK(host.query("SELECT count(*) AS n FROM events WHERE type = 'patent.created'")[0]["n"] == 240);
  size_t largest = 0;
  for (const Json& effect : host.effects)
    if (effect["kind"] == "d1.batch") largest = std::max(largest, effect["statements"].size());
  CHECK(largest < 40);  // one statement per table and kind of event, a few more for long texts

  // A new grant twice in one file, retitled the second time: one patent with the last title, and
  // one event, patent.created.
  std::string one = many_grants(1);
  one = one.substr(0, one.find("<?xml", 1));
  one.replace(one.find("D1000000"), 8, "D2000000");
  std::string retitled = one;
  retitled.replace(retitled.find("Ready to eat snack"), 5, "Fresh");
  run_ingestion_job(host, "grant", "2012-04-03", {{"twice.xml", one + retitled}});
  CHECK(host.query("SELECT title FROM patents WHERE number = 'D2000000'")[0]["title"] == "Fresh to eat snack piece");
  CHECK(host.query("SELECT title FROM patent_text WHERE number = 'D2000000'")[0]["title"] == "Fresh to eat snack piece");
  CHECK(host.query("SELECT count(*) AS n FROM events WHERE type = 'patent.created'")[0]["n"] == 241);
  CHECK(host.query("SELECT count(*) AS n FROM events WHERE type = 'patent.updated'")[0]["n"] == 0);
}

TEST_CASE("a maintenance-fee file loads once, and a patent whose grant is not loaded still has a status", "[ingest]") {
  std::string text = fixed_width_events();
  Host host;
  std::string key = operator_key(host);
  Json loaded = run_ingestion_job(host, "maintenance", "2024-01-01", {{"MaintFeeEvents_20240101.txt", text}});
  CHECK(loaded["records"] == 11);
  CHECK(loaded["loaded"] == 11);
  CHECK(run_ingestion_job(host, "maintenance", "2024-01-08", {{"MaintFeeEvents_20240108.txt", text}})["loaded"] == 11);
  CHECK(count(host, "maintenance_fee_events") == 11);  // the second load added nothing
  Json status = body_json(host.fetch("GET", "/v1/patents/4,291,808/maintenance", bearer(key)));
  CHECK(status["status"] == "lapsed");  // its grant is not loaded: the fee file's dates are enough
  CHECK(status["lapsed_on"] == "1985-10-31");
}
