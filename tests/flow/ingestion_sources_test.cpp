// Ingestion, second part, on the native host: applications, canonical entities chosen by the
// name-shard objects, CPC replaced atomically (and resumed with its level stack).
#include "tests/flow/requests.hpp"
#include "wasm/ingest/loader.hpp"
#include "wasm/patents/names.hpp"

using namespace ptmc;
using namespace ptmc::ingest;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// One assignment record (reel 900 + n) whose assignee is `assignee`.
std::string assignment(int n, const std::string& assignee) {
  return "<patent-assignment><assignment-record><reel-no>" + std::to_string(900 + n) +
         "</reel-no><frame-no>1</frame-no><recorded-date><date>20160101</date></recorded-date>"
         "<conveyance-text>ASSIGNMENT OF ASSIGNORS INTEREST</conveyance-text></assignment-record>"
         "<patent-assignors><patent-assignor><name>DOE, JANE</name></patent-assignor></patent-assignors>"
         "<patent-assignees><patent-assignee><name>" +
         assignee +
         "</name></patent-assignee></patent-assignees>"
         "</patent-assignment>";
}

std::string assignments_file(const std::vector<std::string>& assignees) {
  std::string file = "<us-patent-assignments>";
  for (size_t i = 0; i < assignees.size(); ++i) file += assignment(static_cast<int>(i), assignees[i]);
  return file + "</us-patent-assignments>";
}

Json titles(Host& host) { return host.query("SELECT symbol, level, title, parent FROM cpc_codes ORDER BY symbol"); }

// The real v4.2 grant (a design) as utility grant `number`, with `main_cpc` ("A01B1/02") in
// the layout of the v4.3 DTD, or with none, as v4.2 grants have.
std::string utility_grant(const std::string& number, const std::string& main_cpc = "") {
  std::string grant = fixture("grant_ipg120327_one_v42.xml");
  grant.replace(grant.find("<doc-number>D0656296<"), 20, "<doc-number>" + number);
  grant.replace(grant.find("<kind>S1</kind>"), 15, "<kind>B2</kind>");
  if (!main_cpc.empty())
    grant.insert(grant.find("</references-cited>") + 19,
                 "<classifications-cpc><main-cpc><classification-cpc><section>" + main_cpc.substr(0, 1) + "</section><class>" +
                     main_cpc.substr(1, 2) + "</class><subclass>" + main_cpc.substr(3, 1) +
                     "</subclass><main-group>1</main-group><subgroup>02</subgroup></classification-cpc></main-cpc>"
                     "</classifications-cpc>");
  return grant;
}

Json cpc_of(Host& host, const std::string& number) {
  return host.query("SELECT symbol, position FROM patent_cpc WHERE patent_number = '" + number + "' ORDER BY position, symbol");
}

}  // namespace

TEST_CASE("applications: every field of both documents, and they load as pre-grant publications", "[ingest]") {
  RecordReader reader("us-patent-application");
  reader.feed(fixture("application_v44_handwritten.xml"));
  reader.finish();
  std::vector<PatentDocument> documents;
  for (auto result = reader.next(); result.kind == RecordReader::Result::Kind::record; result = reader.next()) {
    std::string problem;
    auto document = read_patent_document(result.record, problem);
    REQUIRE(document);
    documents.push_back(*document);
  }
  REQUIRE(documents.size() == 2);
  const auto& first = documents[0];
  CHECK(first.document_type == "application");
  CHECK(first.number == "20150012345");
  CHECK(first.kind == "A1");
  CHECK(first.publication_date == "2015-01-08");
  CHECK(first.grant_date.empty());
  CHECK(first.application_number == "14321098");
  CHECK(first.filing_date == "2014-07-01");
  CHECK(first.title == "Hand-held soil tool with a replaceable blade");  // markup inside the title
  CHECK(first.claims_count == 2);
  REQUIRE(first.inventors.size() == 2);  // v4.4: <inventors>, not the applicant (a company)
  CHECK(first.inventors[0].first_name == "Jörg");
  CHECK(first.inventors[0].last_name == "Müller");
  CHECK(first.inventors[1].state == "TX");
  CHECK(first.assignees == std::vector<std::string>{"Gärtner Werkzeuge GmbH & Co. KG"});
  CHECK(first.cpc == std::vector<std::string>{"A01B1/02"});
  REQUIRE(documents[1].inventors.size() == 1);  // an applicant-inventor, no <inventors>
  CHECK(documents[1].inventors[0].last_name == "Renelt");

  Host host;
  std::string key = operator_key(host);
  Json job =
      run_ingestion_job(host, "application", "2015-01-08", {{"ipa150108.xml", fixture("application_v44_handwritten.xml")}});
  CHECK(job["status"] == "succeeded");
  CHECK(job["loaded"] == 2);
  // Path parameters arrive percent-decoded, as clients escape them.
  CHECK(body_json(host.fetch("GET", "/v1/ingestion/jobs/us%3Aapplication%3A2015-01-08", bearer(key)))["loaded"] == 2);
  Json published = body_json(host.fetch("GET", "/v1/patents/US%202015%2F0012345%20A1", bearer(key)));
  CHECK(published["document_type"] == "application");
  CHECK(published["publication_date"] == "2015-01-08");
  CHECK(published["grant_date"].is_null());
  CHECK(published["assignees"][0]["name"] == "Gärtner Werkzeuge GmbH & Co. KG");
  // A grant number is not an application's: the parser refuses the record with the reason.
  Json refused = run_ingestion_job(host, "application", "2015-01-15", {{"bad.xml", fixture("grant_ipg120327_one_v42.xml")}});
  CHECK(refused["loaded"] == 0);
}

TEST_CASE("a grant with 30 inventors and 40 citations loads within D1's 100 bound values a statement", "[ingest]") {
  std::string grant = fixture("grant_ipg120327_one_v42.xml");
  size_t inventors_end = grant.find("</applicants>");
  size_t inventor_begin = grant.rfind("<applicant ", inventors_end);
  std::string inventor = grant.substr(inventor_begin, inventors_end - inventor_begin);
  std::string more;  // 27 more people (the same one repeated is one inventor)
  for (int i = 0; i < 27; ++i) {
    std::string person = inventor;
    person.insert(person.find("</last-name>"), "-" + std::to_string(i));
    more += person;
  }
  grant.insert(inventors_end, more);
  size_t citations_end = grant.find("</references-cited>");
  size_t citation_begin = grant.rfind("<citation>", citations_end);
  std::string citation = grant.substr(citation_begin, citations_end - citation_begin);
  for (int i = 0; i < 40; ++i) grant.insert(citations_end, citation);
  Host host;
  std::string key = operator_key(host);
  Json job = run_ingestion_job(host, "grant", "2012-03-27", {{"ipg.xml", grant}});
  CHECK(job["status"] == "succeeded");
  CHECK(job["loaded"] == 1);
  CHECK(host.query("SELECT count(*) AS n FROM inventors")[0]["n"] == 30);
}

TEST_CASE("the name-shard object gives near-identical names one canonical entity, across jobs", "[ingest]") {
  Host host;
  std::string key = operator_key(host);
  run_ingestion_job(host, "assignment", "2016-01-01",
                    {{"a.xml", assignments_file({"Acme Widgets, Inc.", "ACME WIDGETZ INC", "Growth Fund 2 LLC"})}});
  run_ingestion_job(host, "assignment", "2016-01-02",
                    {{"b.xml", assignments_file({"Acme Widgets Incorporated", "Growth Fund 3 LLC", "Acme Gadgets Corp."})}});
  Json entities = host.query("SELECT normalized_name, entity_id FROM entity_names ORDER BY normalized_name");
  std::map<std::string, std::string> by_name;
  for (const auto& row : entities) by_name[row["normalized_name"]] = row["entity_id"];
  REQUIRE(by_name.count("ACME WIDGETS"));
  CHECK(by_name["ACME WIDGETZ"] == by_name["ACME WIDGETS"]);  // a misspelling, grouped
  CHECK(by_name["ACME GADGETS"] != by_name["ACME WIDGETS"]);
  CHECK(by_name["GROWTH FUND 2"] != by_name["GROWTH FUND 3"]);      // numbered funds stay apart
  CHECK(by_name["ACME WIDGETS"] == new_entity_id("ACME WIDGETS"));  // the first name seen is the canonical one
  // One assignee row per entity, under its canonical name; the parties point at it.
  CHECK(host.query("SELECT count(*) AS n FROM assignees WHERE normalized_name LIKE 'ACME W%'")[0]["n"] == 1);
  CHECK(host.query(
            "SELECT count(DISTINCT entity_id) AS n FROM assignment_parties WHERE normalized_name LIKE 'ACME W%'")[0]["n"] == 1);

  // Every choice is the object's: a second consumer asking about the variant gets the same id.
  auto resolve = [&](const std::string& name) {
    Json stored = host.object_storage["ENTITIES/" + patents::name_shard(name)]["n:" + name];
    return stored.is_object() ? stored.value("id", "") : "";
  };
  CHECK(resolve("ACME WIDGETZ") == by_name["ACME WIDGETS"]);
  CHECK(resolve("GROWTH FUND 3") == by_name["GROWTH FUND 3"]);
}

TEST_CASE("a CPC job replaces the scheme in one transaction, and a failed one leaves it whole", "[ingest]") {
  Host host;
  std::string key = operator_key(host);
  std::string section_a = fixture("cpc-section-A_20250501_head300.txt");
  run_ingestion_job(host, "cpc", "2025-05-01",
                    {{"cpc-section-A.txt", section_a}, {"cpc-section-Y.txt", fixture("cpc-section-Y_20250501_head80.txt")}});
  Json before = titles(host);
  REQUIRE(before.size() == 380);

  // Next month: A01B1/04 is gone from section A and A01B1/02 is renamed; section Y is not in this job.
  std::string next = section_a;
  next.erase(next.find("A01B1/04\t"), next.find('\n', next.find("A01B1/04\t")) + 1 - next.find("A01B1/04\t"));
  next.replace(next.find("Spades; Shovels"), 15, "Spades and shovels");
  host.r2["raw/us/cpc/2025-06-01/cpc-section-A.txt"] = {next, "\"a2\"", "", host.now_ms};
  REQUIRE(host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), R"({"source": "cpc", "date": "2025-06-01"})").status == 202);
  host.fail("d1.batch", "D1 is overloaded", 4, 2);  // the two staging batches pass; the swap fails in all 4 attempts
  for (int round = 0; round < 6; ++round, host.advance(3'600'000)) host.deliver_queue("INGEST_US");
  host.heal();
  Json failed = body_json(host.fetch("GET", "/v1/ingestion/jobs/us:cpc:2025-06-01", bearer(key)));
  CHECK(failed["status"] == "failed");
  CHECK(failed["bytes_done"] == failed["bytes_total"]);  // everything staged
  CHECK(titles(host) == before);                         // staged, never swapped: readers still see the old scheme

  Json rerun = run_ingestion_job(host, "cpc", "2025-06-01", {});  // the operator's rerun, from the checkpoint
  CHECK(rerun["status"] == "succeeded");
  Json after = titles(host);
  CHECK(after.size() == 379);
  CHECK(host.query("SELECT count(*) AS n FROM cpc_codes WHERE symbol = 'A01B1/04'")[0]["n"] == 0);
  CHECK(host.query("SELECT title FROM cpc_codes WHERE symbol = 'A01B1/02'")[0]["title"] ==
        "Spades and shovels {(hand-operated dredgers E02F3/02)}");
  CHECK(host.query("SELECT count(*) AS n FROM cpc_codes WHERE symbol LIKE 'Y%'")[0]["n"] == 80);  // untouched
  CHECK(host.query("SELECT count(*) AS n FROM cpc_staging")[0]["n"] == 0);

  // Resumed mid-file, the parents come out as from a clean run (the level stack is checkpointed).
  Host clean, crashed;
  run_ingestion_job(clean, "cpc", "2025-06-01", {{"cpc-section-A.txt", next}});
  std::string crashed_key = operator_key(crashed);
  crashed.r2["raw/us/cpc/2025-06-01/cpc-section-A.txt"] = {next, "\"a2\"", "", crashed.now_ms};
  REQUIRE(crashed.fetch("POST", "/v1/ingestion/jobs", json_bearer(crashed_key), R"({"source": "cpc", "date": "2025-06-01"})")
              .status == 202);
  crashed.fail("d1.batch", "the isolate was evicted", 1, 1);  // the second staging batch dies
  crashed.deliver_queue("INGEST_US");
  CHECK(crashed.query("SELECT checkpoint_offset FROM ingestion_jobs")[0]["checkpoint_offset"].get<int64_t>() > 0);
  for (int round = 0; round < 3; ++round, crashed.advance(3'600'000)) crashed.deliver_queue("INGEST_US");
  CHECK(crashed.query("SELECT status FROM ingestion_jobs")[0]["status"] == "succeeded");
  CHECK(titles(crashed) == titles(clean));
  CHECK(titles(clean) == host.query("SELECT symbol, level, title, parent FROM cpc_codes WHERE symbol LIKE 'A%' ORDER BY symbol"));
}

TEST_CASE("the CPC master file replaces the symbols of the patents it names in one transaction, and no others", "[ingest]") {
  Host host;
  std::string key = operator_key(host);
  run_ingestion_job(host, "grant", "2012-03-27",
                    {{"ipg.xml", utility_grant("08123456") + "\n" + utility_grant("08123457", "A01B1/02") + "\n" +
                                     utility_grant("08123458", "A01B1/02")}});
  REQUIRE(cpc_of(host, "8123456").empty());  // v4.2: no CPC in the grant
  Json untouched = cpc_of(host, "8123458");
  REQUIRE(untouched.size() == 1);

  // Two parts of one file: the older layout (7-wide patent numbers) and the current one, with a
  // patent not held, a line of another kind, and the same symbol twice.
  std::string older =
      "B2114567898123456A01B   1/00    20130101FI  0 0\r\n"
      "B2114567898123456Y10T 408/03    20130101LA  0 0\r\n";
  std::string current =
      "B21145678908123457E02F   3/844   20130101FI  0 0\r\n"
      "B21145678908123457A01B   1/02    20130101LI  0 0\r\n"
      "B21145678908123457A01B   1/02    20130101LA  0 0\r\n"
      "B21849611012650000E02F   3/844   20130101FI  0 0\r\n"
      "B21145678908123457A01B   1/02    20130101QQ  0 0\r\n";
  std::vector<std::pair<std::string, std::string>> files{{"US_Grant_CPC_MCF_08100000.txt", older},
                                                         {"US_Grant_CPC_MCF_08150000.txt", current}};
  for (const auto& [name, bytes] : files)
    host.r2["raw/us/cpc_master/2025-06-16/" + name] = {bytes, "\"" + name + "\"", "", host.now_ms};
  REQUIRE(
      host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), R"({"source": "cpc_master", "date": "2025-06-16"})").status ==
      202);
  host.fail("d1.batch", "D1 is overloaded", 4, 2);  // the two staging batches pass; the swap fails in all 4 attempts
  for (int round = 0; round < 6; ++round, host.advance(3'600'000)) host.deliver_queue("INGEST_US");
  host.heal();
  Json failed = body_json(host.fetch("GET", "/v1/ingestion/jobs/us:cpc_master:2025-06-16", bearer(key)));
  CHECK(failed["status"] == "failed");
  CHECK(failed["bytes_done"] == failed["bytes_total"]);
  CHECK(host.query("SELECT count(*) AS n FROM patent_cpc_staging")[0]["n"] == 4);  // the held patents' symbols, once each
  CHECK(cpc_of(host, "8123456").empty());                                          // staged, never swapped
  CHECK(cpc_of(host, "8123457") == untouched);

  Json job = run_ingestion_job(host, "cpc_master", "2025-06-16", {});  // the operator's rerun, from the checkpoint
  CHECK(job["status"] == "succeeded");
  CHECK(job["loaded"] == 6);
  CHECK(job["skipped"] == 1);
  CHECK(host.query("SELECT reason FROM ingestion_errors")[0]["reason"] == "position 'Q' is not F or L, or value 'Q' not I or A");
  CHECK(cpc_of(host, "8123456") ==
        Json::parse(R"([{"symbol": "A01B1/00", "position": 0}, {"symbol": "Y10T408/03", "position": 2}])"));
  CHECK(cpc_of(host, "8123457") ==
        Json::parse(R"([{"symbol": "E02F3/844", "position": 0}, {"symbol": "A01B1/02", "position": 1}])"));
  CHECK(cpc_of(host, "8123458") == untouched);                                                              // not in the file
  CHECK(host.query("SELECT count(*) AS n FROM patent_cpc WHERE patent_number = '12650000'")[0]["n"] == 0);  // not held
  CHECK(host.query("SELECT count(*) AS n FROM patent_cpc_staging")[0]["n"] == 0);
  std::string reader = owner_key(host);
  Json patent = body_json(host.fetch("GET", "/v1/patents/8123457", bearer(reader)));
  CHECK(patent["cpc"] == Json::parse(R"(["E02F3/844", "A01B1/02"])"));
  CHECK(body_json(host.fetch("GET", "/v1/patents?cpc=E02F", bearer(reader)))["data"].size() == 1);

  // A grant loaded again whose XML has no CPC keeps what the master file gave it.
  REQUIRE(
      host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), R"({"source": "grant", "date": "2012-03-27", "force": true})")
          .status == 202);
  for (int round = 0; round < 3; ++round, host.advance(3'600'000)) host.deliver_queue("INGEST_US");
  CHECK(host.query("SELECT status FROM ingestion_jobs WHERE source = 'grant'")[0]["status"] == "succeeded");
  CHECK(cpc_of(host, "8123456").size() == 2);
  CHECK(cpc_of(host, "8123457") == Json::parse(R"([{"symbol": "A01B1/02", "position": 0}])"));  // its XML's again

  // A run from the start does not swap in what an earlier run left staged.
  host.query("INSERT INTO patent_cpc_staging VALUES ('us:cpc_master:2025-06-16', '8123458', 'H01L21/02', 0)");
  REQUIRE(host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key),
                     R"({"source": "cpc_master", "date": "2025-06-16", "force": true})")
              .status == 202);
  for (int round = 0; round < 3; ++round, host.advance(3'600'000)) host.deliver_queue("INGEST_US");
  CHECK(host.query("SELECT status FROM ingestion_jobs WHERE source = 'cpc_master'")[0]["status"] == "succeeded");
  CHECK(cpc_of(host, "8123458") == untouched);
}
