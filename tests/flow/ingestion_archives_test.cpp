// ZIP archives as the USPTO publishes them, through ingestion jobs on the native host (whose
// r2.unpack inflates with zlib): every source zipped loads exactly the rows of its bare files;
// a broken archive, or a file of another format, fails its job with the reason and writes
// nothing; a crash in the middle of a compressed entry resumes to the rows of a clean run; and
// every document loaded answers /fulltext with its own XML, copied by byte range.
#include "tests/flow/requests.hpp"
#include "tests/zip_writer.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::Host;

namespace {

struct Day {
  std::string source, date;
  std::vector<ZipEntry> files;  // deflated or stored, as its archive holds them
  bool zip64 = false;
};

// A day of each source from the samples, each archived in one of the ways archives come.
std::vector<Day> sample_days() {
  return {{"grant",
           "2012-03-27",
           {{"ipg120327.xml", fixture("grant_ipg120327_one_v42.xml") + fixture("grant_ipg120327_two_concat_v42.xml"), true}}},
          {"application", "2015-01-08", {{"ipa150108.xml", fixture("application_v44_handwritten.xml"), false}}},
          {"assignment", "2016-01-01", {{"ad20160101.xml", fixture("assignment_ad20160101_subset.xml"), true}}, true},
          {"maintenance", "2024-01-01", {{"MaintFeeEvents_20240101.txt", fixed_width_events(), true}}},
          {"cpc",
           "2025-05-01",
           {{"cpc-section-A_20250501.txt", fixture("cpc-section-A_20250501_head300.txt"), true},
            {"cpc-section-Y_20250501.txt", fixture("cpc-section-Y_20250501_head80.txt"), false}}}};
}

// Every row the samples load, table by table, in a fixed order.
std::vector<Json> domain_rows(Host& host) {
  std::vector<Json> tables;
  for (const char* table :
       {"patents", "inventors", "assignees", "entity_names", "patent_assignees", "citations", "patent_text", "assignments",
        "assignment_parties", "assignment_properties", "maintenance_fee_events", "cpc_codes"}) {
    Json rows = host.query(std::string("SELECT * FROM ") + table);
    std::sort(rows.begin(), rows.end(), [](const Json& a, const Json& b) { return a.dump() < b.dump(); });
    tables.push_back(std::move(rows));
  }
  return tables;
}

std::vector<std::string> keys_under(Host& host, const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto& [key, entry] : host.r2)
    if (key.rfind(prefix, 0) == 0) keys.push_back(key);
  return keys;
}

// How many entries were inflated into staging (r2.unpack also copies documents' full text).
int64_t entries_staged(Host& host) {
  return std::count_if(host.effects.begin(), host.effects.end(), [&](const Json& effect) {
    return effect["kind"] == "r2.unpack" && effect.value("to", "").rfind("staged/", 0) == 0;
  });
}

}  // namespace

TEST_CASE("every source's ZIP archive loads exactly the rows of its bare files, and its staging is removed", "[ingest][zip]") {
  Host bare, zipped;
  for (const auto& day : sample_days()) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : day.files) files.emplace_back(entry.name, entry.data);
    REQUIRE(run_ingestion_job(bare, day.source, day.date, files)["status"] == "succeeded");

    std::vector<ZipEntry> entries = day.files;
    entries.push_back({"README.html", "<p>not data</p>", true});  // an entry the source does not read
    std::string archive = zip_archive(entries, day.zip64);
    Json job = run_ingestion_job(zipped, day.source, day.date, {{day.source + ".zip", archive}});
    INFO(day.source << ": " << job.dump());
    CHECK(job["status"] == "succeeded");
    CHECK(job["skipped"] == 0);
    int64_t inflated = 0;
    for (const auto& entry : day.files) inflated += static_cast<int64_t>(entry.data.size());
    CHECK(job["bytes_total"] == inflated);  // progress counts the entries' bytes
    CHECK(job["bytes_done"] == inflated);
    CHECK(keys_under(zipped, "staged/").empty());
  }
  CHECK(entries_staged(zipped) == 6);  // one per entry read; README.html never
  auto expected = domain_rows(bare);
  auto actual = domain_rows(zipped);
  for (size_t table = 0; table < expected.size(); ++table) {
    CHECK_FALSE(expected[table].empty());
    CHECK(actual[table] == expected[table]);
  }
}

TEST_CASE("a truncated, corrupt or CRC-failing archive fails its job with the reason, and writes nothing", "[ingest][zip]") {
  std::string grants = fixture("grant_ipg120327_two_concat_v42.xml");
  std::string good = zip_archive({{"a.xml", fixture("grant_ipg120327_one_v42.xml"), true}, {"b.xml", grants, false}});
  size_t stored_at = good.find("<?xml", good.find("b.xml") + 5);
  std::string crc_failing = good;
  crc_failing[stored_at + 200] ^= 0x20;  // one letter's case, inside b.xml
  std::string corrupt = good;
  corrupt[corrupt.find("PK\x01\x02") + 2] = 'X';
  std::string not_inflating = zip_archive({{"a.xml", grants, true}});
  std::fill_n(not_inflating.begin() + 30 + 5, 8, '\xff');  // the first bytes of its DEFLATE data

  struct Case {
    std::string name, archive, error;
  };
  for (const auto& [name, archive, error] :
       {Case{"truncated", good.substr(0, good.size() * 2 / 3),
             "the archive ipg.zip: it has no end-of-central-directory record: it is truncated, or not a ZIP archive"},
        Case{"corrupt", corrupt, "the archive ipg.zip: central directory entry 1 is malformed: the archive is corrupt"},
        Case{"crc", crc_failing, "the archive ipg.zip: b.xml: it fails its CRC-32 check"},
        Case{"deflate", not_inflating, "the archive ipg.zip: a.xml: its data does not inflate (invalid"}}) {
    DYNAMIC_SECTION(name) {
      Host host;
      Json job = run_ingestion_job(host, "grant", "2012-03-27", {{"ipg.zip", archive}});
      CHECK(job["status"] == "failed");
      CHECK(job["error"].get<std::string>().rfind(error, 0) == 0);
      CHECK(job["loaded"] == 0);
      CHECK(host.query("SELECT count(*) AS n FROM patents")[0]["n"] == 0);
      CHECK(keys_under(host, "staged/").empty());  // the crc case staged a.xml first, and removed it
      CHECK(keys_under(host, "").size() == 1);     // the archive alone
    }
  }
}

TEST_CASE("a file of another source's format, or of none, fails its job before a row is written", "[ingest][zip]") {
  Host host;
  std::string grant = fixture("grant_ipg120327_one_v42.xml");
  struct Case {
    std::string source, name, bytes, error;
  };
  for (const auto& [source, name, bytes, error] :
       {Case{"assignment", "ad20160101.xml", grant, "ad20160101.xml holds no <patent-assignment> record"},
        // Before archives were read, this one loaded nothing and ended succeeded, one record skipped.
        Case{"assignment", "ad20160102.zip", zip_archive({{"ad20160102.xml", grant}}),
             "ad20160102.xml holds no <patent-assignment> record"},
        Case{"grant", "ipg120327.zip", zip_archive({{"cpc.txt", fixture("cpc-section-Y_20250501_head80.txt")}}),
             "the archive ipg120327.zip: holds no .xml entry"},
        Case{"maintenance", "MaintFeeEvents.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
             "MaintFeeEvents.txt is binary, not the text of a maintenance file"},
        Case{"cpc", "cpc.txt", grant,
             "cpc.txt is not a cpc file: none of its first 20 lines reads (the first: not three "
             "tab-separated fields)"},
        Case{"grant", "ipg.xml", "PDF-1.4 not markup", "ipg.xml is not XML: it does not start with markup"}}) {
    Json job = run_ingestion_job(
        host, source, "2020-01-0" + std::to_string(1 + host.query("SELECT id FROM ingestion_jobs").size()), {{name, bytes}});
    INFO(source << " " << name);
    CHECK(job["status"] == "failed");
    CHECK(job["error"] == error);
    CHECK(job["records"] == 0);
  }
  CHECK(host.query("SELECT count(*) AS n FROM patents")[0]["n"] == 0);
  CHECK(host.query("SELECT count(*) AS n FROM ingestion_errors")[0]["n"] == 0);
}

TEST_CASE("a consumer killed in the middle of a compressed entry resumes with exactly the rows of a clean run", "[ingest][zip]") {
  std::string archive = zip_archive({{"ad20160101.xml", many_assignments(100), true}});
  auto rows = [](Host& host) {
    return host.query(
        "SELECT a.*, (SELECT count(*) FROM assignment_parties p WHERE p.assignment_id = a.id) AS parties "
        "FROM assignments a ORDER BY a.id");
  };
  Host clean;
  REQUIRE(run_ingestion_job(clean, "assignment", "2016-01-01", {{"ad20160101.zip", archive}})["loaded"] == 700);

  Host crashed;
  crashed.fail("d1.batch", "the isolate was evicted", 1, 5);  // the sixth batch of the first attempt dies
  Json job = run_ingestion_job(crashed, "assignment", "2016-01-01", {{"ad20160101.zip", archive}});
  CHECK(job["status"] == "succeeded");
  CHECK(job["attempts"] == 2);
  CHECK(job["records"] == 700);
  CHECK(job["loaded"] == 700);
  CHECK(entries_staged(crashed) == 1);  // the second attempt read the entry its first staged
  CHECK(rows(crashed) == rows(clean));
  CHECK(keys_under(crashed, "staged/").empty());
}

TEST_CASE("every grant and application a job loads answers /fulltext with its own XML, from a bare file or an archive",
          "[ingest][zip]") {
  // A file's documents as it holds them: each from its XML declaration to its end tag.
  auto documents = [](const std::string& file, const std::string& root) {
    std::vector<std::pair<std::string, std::string>> found;  // number, XML
    for (size_t at = file.find("<?xml"); at != std::string::npos; at = file.find("<?xml", at + 1)) {
      size_t end = file.find("</" + root + ">", at) + root.size() + 3;
      size_t number = file.find("<doc-number>", file.find("<publication-reference>", at)) + 12;
      found.emplace_back(file.substr(number, file.find('<', number) - number), file.substr(at, end - at));
    }
    return found;
  };
  std::string grants = fixture("grant_ipg120327_one_v42.xml") + fixture("grant_ipg120327_two_concat_v42.xml");
  std::string applications = fixture("application_v44_handwritten.xml");
  Host host;
  std::string key = operator_key(host);
  REQUIRE(run_ingestion_job(host, "grant", "2012-03-27",
                            {{"ipg120327.zip", zip_archive({{"ipg120327.xml", grants}})}})["loaded"] == 3);
  REQUIRE(run_ingestion_job(host, "application", "2015-01-08", {{"ipa150108.xml", applications}})["loaded"] == 2);
  auto expected = documents(grants, "us-patent-grant");
  for (const auto& document : documents(applications, "us-patent-application")) expected.push_back(document);
  REQUIRE(expected.size() == 5);
  for (const auto& [number, xml] : expected) {
    INFO(number);
    auto response = host.fetch("GET", "/v1/patents/" + number + "/fulltext", bearer(key));
    CHECK(response.status == 200);
    CHECK(response.headers.get("content-type") == "application/xml");
    CHECK(response.body == xml);
  }
  CHECK(keys_under(host, "staged/").empty());  // the copies outlive the staging they were cut from
}

TEST_CASE("an archive of more entries than one invocation's allowance stages them over several, each entry once",
          "[ingest][zip]") {
  std::vector<ZipEntry> parts;  // as the CPC master file comes: a part per range of numbers
  for (int part = 0; part < 120; ++part)
    parts.push_back({"MaintFeeEvents_part" + std::to_string(100 + part) + ".txt", fixed_width_events(), true});
  std::string archive = zip_archive(parts);
  Host whole;
  Json once = run_ingestion_job(whole, "maintenance", "2024-01-01", {{"maintenance.zip", archive}});
  REQUIRE(once["status"] == "succeeded");
  CHECK(once["invocations"] == 1);

  Host::Options options;
  options.vars["INGEST_INVOCATION_SUBREQUESTS"] = "300";
  Host split(options);
  std::string key = operator_key(split);
  split.r2["raw/us/maintenance/2024-01-01/maintenance.zip"] = {archive, "\"m1\"", "application/zip", 0};
  REQUIRE(split.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), R"({"source":"maintenance","date":"2024-01-01"})").status ==
          202);
  std::vector<int64_t> subrequests = deliver_counting_subrequests(split);  // per invocation
  Json job = native::body_json(split.fetch("GET", "/v1/ingestion/jobs/us:maintenance:2024-01-01", bearer(key)));
  CHECK(job["status"] == "succeeded");
  CHECK(job["invocations"].get<int64_t>() > 1);
  CHECK(job["invocations"] == static_cast<int64_t>(subrequests.size()));
  for (int64_t used : subrequests) CHECK(used <= 300);
  CHECK(entries_staged(split) == 120);  // none inflated twice
  CHECK(job["loaded"] == once["loaded"]);
  CHECK(split.query("SELECT * FROM maintenance_fee_events ORDER BY 1, 2, 3") ==
        whole.query("SELECT * FROM maintenance_fee_events ORDER BY 1, 2, 3"));
  CHECK(keys_under(split, "staged/").empty());
}
