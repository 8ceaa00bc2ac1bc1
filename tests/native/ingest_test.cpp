// wasm/ingest on the real USPTO sample files (tests/fixtures/uspto, see SOURCES.md): the
// streaming XML reader, the record mappers field by field, and ingestion jobs into SQLite.
#include "tests/native/requests.hpp"
#include "wasm/ingest/loader.hpp"

using namespace ptmc;
using namespace ptmc::ingest;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// Every event of `xml`, fed `chunk` bytes at a time, as "start:name", "end:name", "text:…".
std::vector<std::string> events(std::string_view xml, size_t chunk) {
  XmlReader reader;
  std::vector<std::string> out;
  size_t fed = 0;
  for (;;) {
    XmlEvent event = reader.next();
    if (event.kind == XmlEvent::Kind::need_more) {
      if (fed < xml.size()) {
        reader.feed(xml.substr(fed, chunk));
        fed += std::min(chunk, xml.size() - fed);
      } else {
        reader.finish();
      }
      continue;
    }
    if (event.kind == XmlEvent::Kind::done) return out;
    if (event.kind == XmlEvent::Kind::error) {
      out.push_back("error:" + std::string(event.text) + "@" + std::to_string(event.offset));
      return out;
    }
    if (event.kind == XmlEvent::Kind::text) {
      if (event.text.find_first_not_of(" \n") != std::string::npos) out.push_back("text:" + std::string(event.text));
    } else {
      std::string line = (event.kind == XmlEvent::Kind::start ? "start:" : "end:") + std::string(event.name);
      for (const auto& [name, value] : event.attributes) line += " " + std::string(name) + "=" + std::string(value);
      out.push_back(line);
    }
  }
}

std::vector<Record> records(const std::string& xml, const std::string& name, size_t chunk = 4096) {
  RecordReader reader(name);
  std::vector<Record> out;
  size_t fed = 0;
  for (;;) {
    auto result = reader.next();
    if (result.kind == RecordReader::Result::Kind::record) out.push_back(std::move(result.record));
    else if (result.kind == RecordReader::Result::Kind::done) return out;
    else if (result.kind == RecordReader::Result::Kind::error) FAIL(result.problem);
    else if (fed < xml.size()) {
      reader.feed(std::string_view(xml).substr(fed, chunk));
      fed += std::min(chunk, xml.size() - fed);
    } else {
      reader.finish();
    }
  }
}

// The skipped records of a job: "offset: reason", in file order.
std::vector<std::string> skipped(Host& host, const std::string& job) {
  std::vector<std::string> out;
  for (const auto& row : host.query("SELECT byte_offset, reason FROM ingestion_errors WHERE job_id = ?1 ORDER BY byte_offset", {job}))
    out.push_back(std::to_string(row["byte_offset"].get<int64_t>()) + ": " + row["reason"].get<std::string>());
  return out;
}

int64_t count(Host& host, const std::string& table) { return host.query("SELECT count(*) AS n FROM " + table).at(0)["n"]; }

}  // namespace

TEST_CASE("the XML reader gives the same events whatever the chunk size", "[ingest]") {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ELEMENT doc (#PCDATA)>\n<!ENTITY co \"Acme &amp; Co\">\n"
      "<!ATTLIST doc v CDATA 'x>y'>]>\n<!-- a comment -->\n<doc a='1' b=\"x &lt; y\"><t>R&amp;D &#x201c;caf&#233;&#8221; &co;</t>"
      "<e/><![CDATA[<raw> & stuff]]><i>Ü</i></doc>";
  const std::vector<std::string> expected = {"start:doc a=1 b=x < y", "start:t", "text:R&D \u201ccaf\u00e9\u201d Acme & Co",
                                             "end:t", "start:e", "end:e", "text:<raw> & stuff", "start:i", "text:Ü", "end:i",
                                             "end:doc"};
  for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), xml.size()}) {
    INFO("chunk " << chunk);
    CHECK(events(xml, chunk) == expected);
  }
}

TEST_CASE("the XML reader reports what is malformed, and where", "[ingest]") {
  CHECK(events("<a>&nope;</a>", 4).back() == "error:an undeclared entity &nope;@3");
  CHECK(events("<a>&#xD800;</a>", 100).back() == "error:an invalid character reference &#xD800;@3");
  CHECK(events("<a><b", 100).back() == "error:the input ends inside a tag@3");
  CHECK(events("<a x=1></a>", 100).back() == "error:a malformed attribute@0");
  CHECK(events("<a><!-- open", 100).back() == "error:the input ends inside a comment@3");
  CHECK(events("< a/>", 100).back() == "error:a tag without a name@0");
}

TEST_CASE("memory stays bounded: a token or a record that never ends is an error, not a buffer without end", "[ingest]") {
  const std::string megabyte(1 << 20, 'a');
  XmlReader xml;
  xml.feed("<a>");
  CHECK(xml.next().kind == XmlEvent::Kind::start);
  XmlEvent event;
  for (int i = 0; i < 70 && (event = xml.next()).kind == XmlEvent::Kind::need_more; ++i) xml.feed(megabyte);
  REQUIRE(event.kind == XmlEvent::Kind::error);
  CHECK(event.text == "longer than 64 MiB: a text");
  CHECK(event.offset == 3);

  // Many small elements inside one record that never closes.
  RecordReader records("r");
  records.feed("<f><r>");
  std::string chunk;
  while (chunk.size() < (1 << 20)) chunk += "<x>" + std::string(100, 'b') + "</x>";
  RecordReader::Result result;
  for (int i = 0; i < 70 && (result = records.next()).kind == RecordReader::Result::Kind::need_more; ++i) records.feed(chunk);
  REQUIRE(result.kind == RecordReader::Result::Kind::error);
  CHECK(result.problem == "a <r> larger than 64 MiB");
  CHECK(result.offset == 3);
}

TEST_CASE("grants: every field of the real v4.2 sample, and both documents of the concatenated file", "[ingest]") {
  auto one = records(fixture("grant_ipg120327_one_v42.xml"), "us-patent-grant", 1000);
  REQUIRE(one.size() == 1);
  std::string problem;
  auto grant = read_patent_document(one[0], problem);
  REQUIRE(grant);
  CHECK(grant->number == "D656296");
  CHECK(grant->kind == "S1");
  CHECK(grant->grant_date == "2012-03-27");
  CHECK(grant->application_number == "29381217");
  CHECK(grant->filing_date == "2010-12-16");
  CHECK(grant->title == "Ready to eat snack piece");  // the title's line break collapsed
  CHECK(grant->claims_count == 1);
  CHECK(grant->claims.find("ornamental design") != std::string::npos);
  REQUIRE(grant->inventors.size() == 3);
  CHECK(grant->inventors[0].first_name == "Nicole");
  CHECK(grant->inventors[0].last_name == "Cavin");
  CHECK(grant->inventors[0].city == "Frisco");
  CHECK(grant->inventors[2].last_name == "Zbuchalski");
  CHECK(grant->assignees == std::vector<std::string>{"Frito-Lay North America, Inc."});
  REQUIRE_FALSE(grant->citations.empty());
  CHECK(grant->citations[0].number == "D38206");
  CHECK(grant->citations[0].country == "US");
  CHECK(grant->citations[0].kind == "S");
  CHECK(grant->citations[0].date == "1906-08");
  CHECK(grant->citations[0].category == "cited by examiner");
  CHECK(grant->cpc.empty());  // 2012 designs carry Locarno classes, not CPC

  auto two = records(fixture("grant_ipg120327_two_concat_v42.xml"), "us-patent-grant", 333);
  REQUIRE(two.size() == 2);
  auto first = read_patent_document(two[0], problem);
  auto second = read_patent_document(two[1], problem);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->number == "D656308");
  CHECK(first->title == "Replaceable cartridge for a pain management system");
  CHECK(first->inventors[0].last_name == "Sham");
  CHECK(first->assignees == std::vector<std::string>{"OrthoCor Medical, Inc."});
  CHECK(first->citations[0].number == "D621603");
  CHECK(second->number == "D656309");
  CHECK(second->title == "Universal remote control accessory for a mobile device");
  CHECK(second->citations[1].number == "5988577");
}

TEST_CASE("assignments: every field of the real records, and each conveyance type", "[ingest]") {
  auto all = records(fixture("assignment_ad20160101_subset.xml"), "patent-assignment", 512);
  REQUIRE(all.size() == 7);
  std::string problem;
  auto first = read_assignment(all[0], problem);
  REQUIRE(first);
  CHECK(first->reel == 37388);
  CHECK(first->frame == 92);
  CHECK(first->recorded_date == "2015-12-30");
  CHECK(first->last_update_date == "2016-01-01");
  CHECK(first->page_count == 3);
  CHECK(first->correspondent_name == "CHRISTIE, PARKER & HALE, LLP");
  CHECK(first->correspondent_address == "PO BOX 29001, GLENDALE, CA 91209");
  CHECK(first->conveyance_type == "assignment");
  REQUIRE(first->assignors.size() == 3);
  CHECK(first->assignors[0].name == "WEINSTEIN, DAMON");
  CHECK(first->assignors[0].execution_date == "2006-03-30");
  CHECK(first->assignors[1].execution_date == "2006-03-29");
  REQUIRE(first->assignees.size() == 1);
  CHECK(first->assignees[0].name == "SOUNDBITE COMMUNICATIONS, INC.");
  CHECK(first->assignees[0].address == "2 BURLINGTON WOODS DRIVE, BURLINGTON, MASSACHUSETTS, 01803");
  REQUIRE(first->properties.size() == 1);
  CHECK(first->properties[0].application_number == "14678893");
  CHECK(first->properties[0].publication_number == "20150215460");
  CHECK(first->properties[0].patent_number == "9219817");
  CHECK(first->properties[0].title == "Method and System for Managing Interactive Communications Campaigns");

  std::vector<std::string> types;
  for (const auto& record : all) types.push_back(read_assignment(record, problem)->conveyance_type);
  CHECK(types == std::vector<std::string>{"assignment", "merger", "security", "release", "correction", "license",
                                          "change_of_name"});
  auto merger = read_assignment(all[1], problem);
  CHECK(merger->assignors[0].name == "PORTULIM FOUNDATION LLC");
  CHECK(merger->assignees[0].name == "NYTELL SOFTWARE LLC");
  CHECK(merger->properties.size() > 3);
}

TEST_CASE("conveyance texts classify by precedence", "[ingest]") {
  CHECK(classify_conveyance("RELEASE OF SECURITY INTEREST") == "release");
  CHECK(classify_conveyance("CORRECTIVE ASSIGNMENT TO CORRECT THE ASSIGNEE NAME") == "correction");
  CHECK(classify_conveyance("SECURITY AGREEMENT") == "security");
  CHECK(classify_conveyance("ASSIGNMENT OF ASSIGNORS INTEREST") == "assignment");
  CHECK(classify_conveyance("EMPLOYEE AGREEMENT") == "employer_assignment");
  CHECK(classify_conveyance("CONFIRMATORY LICENSE") == "license");
  CHECK(classify_conveyance("GOVERNMENT INTEREST AGREEMENT") == "government_interest");
  CHECK(classify_conveyance("COURT ORDER") == "other");
}

TEST_CASE("CPC title lines: symbol, level and title, and malformed lines say why", "[ingest]") {
  std::string problem;
  auto section = read_cpc_line("A\t\tHUMAN NECESSITIES\r\n", problem);
  REQUIRE(section);
  CHECK(section->symbol == "A");
  CHECK_FALSE(section->level);
  auto group = read_cpc_line("A01B1/02\t1\tSpades; Shovels {(hand-operated dredgers E02F3/02)}\r", problem);
  CHECK(group->level == 1);
  CHECK(group->title == "Spades; Shovels {(hand-operated dredgers E02F3/02)}");
  CHECK_FALSE(read_cpc_line("A01B1/02 1 Spades", problem));
  CHECK(problem == "not three tab-separated fields");
  CHECK_FALSE(read_cpc_line("A01B1/02\tx\tSpades", problem));
}

TEST_CASE("ingestion jobs load the real samples, and loading them again changes nothing", "[ingest]") {
  Host host;
  std::string key = operator_key(host);
  Json grants = run_ingestion_job(host, "grant", "2012-03-27",
                       {{"ipg120327_one.xml", fixture("grant_ipg120327_one_v42.xml")},
                        {"ipg120327_two.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  CHECK(grants["status"] == "succeeded");
  CHECK(grants["loaded"] == 3);
  CHECK(grants["bytes_done"] == grants["bytes_total"]);
  Json assignments = run_ingestion_job(host, "assignment", "2016-01-01", {{"ad20160101.xml", fixture("assignment_ad20160101_subset.xml")}});
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
                       {{"broken.xml", "<us-patent-assignments><patent-assignment><assignment-record>"
                                       "<reel-no>x</reel-no></assignment-record></patent-assignment><patent-assignment>"}});
  CHECK(broken["status"] == "succeeded");
  CHECK(broken["skipped"] == 2);
  CHECK(skipped(host, "us:assignment:2016-01-03") ==
        std::vector<std::string>{"23: no reel, frame, recorded date or conveyance text",  // where <patent-assignment> starts
                                 "121: the file ends inside a <patent-assignment>"});
  Json listed = body_json(host.fetch("GET", "/v1/ingestion/jobs/us:assignment:2016-01-03/errors?limit=1", bearer(key)));
  CHECK(listed["data"][0]["byte_offset"] == 23);
  CHECK(listed["data"][0]["file"] == "raw/us/assignment/2016-01-03/broken.xml");
  Json next = body_json(host.fetch("GET", "/v1/ingestion/jobs/us:assignment:2016-01-03/errors?limit=1&cursor=" +
                                              listed["next_cursor"].get<std::string>(), bearer(key)));
  CHECK(next["data"][0]["reason"] == "the file ends inside a <patent-assignment>");
  CHECK(next["has_more"] == false);
}

namespace {

// The real events of tests/fixtures/uspto/maintfee_events_example_rows_edegan.csv, laid out in
// the fixed-width form of MaintFeeEvents files (the sample itself is already split into columns).
std::string fixed_width_events() {
  std::string csv = fixture("maintfee_events_example_rows_edegan.csv");
  std::string out;
  auto digits = [](std::string date) { return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2); };
  auto pad = [](std::string text, size_t width) { return text.append(width > text.size() ? width - text.size() : 0, ' '); };
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the sample has CRLF line ends
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) f.push_back(field);
    REQUIRE(f.size() == 7);
    std::string application = std::string(8 - std::min<size_t>(8, f[1].size()), '0') + f[1];
    out += pad(f[0], 14) + pad(application, 9) + f[2] + " " + pad(digits(f[3]), 9) + pad(digits(f[4]), 9) +
           pad(digits(f[5]), 9) + pad(f[6], 6) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a week of grants loads in a few statements per batch, and a document repeated in one counts as its last copy", "[ingest]") {
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
                                                                                       "'D1000002')")[0]["n"].get<int64_t>());
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

TEST_CASE("maintenance-fee lines are cut by column, codes with periods included", "[ingest]") {
  std::string text = fixed_width_events();
  std::string problem;
  auto first = read_fee_event_line(text.substr(0, text.find('\n')), problem);
  REQUIRE(first);
  CHECK(first->patent_number == "4287053");
  CHECK(first->application_number == "06218896");
  CHECK(first->entity_status == "N");
  CHECK(first->filing_date == "1980-12-22");
  CHECK(first->grant_date == "1981-09-01");
  CHECK(first->event_date == "1985-02-11");
  CHECK(first->event_code == "M170");
  auto expired = read_fee_event_line("4291808       06215853 N 19801212 19810929 19851031 EXP.  ", problem);
  CHECK(expired->event_code == "EXP.");
  CHECK_FALSE(read_fee_event_line("4291808 06215853 N 19801212 19810929 19851031 EXP.", problem));  // squeezed: not the format
  CHECK_FALSE(read_fee_event_line("4291808       06215853 Q 19801212 19810929 19851031 EXP.  ", problem));
  CHECK(problem == "entity status 'Q' is not N, Y or M");

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


// Issue 12, item 12: nested <!ENTITY> declarations expanded to gigabytes and trapped the module.
TEST_CASE("trust 12: entity expansion is capped, in declarations and in text", "[ingest][trust]") {
  std::string bomb = "<!DOCTYPE r [<!ENTITY a0 \"" + std::string(100, 'x') + "\">";
  for (int level = 1; level <= 9; ++level) {
    std::string previous = "&a" + std::to_string(level - 1) + ";";
    std::string ten;
    for (int i = 0; i < 10; ++i) ten += previous;
    bomb += "<!ENTITY a" + std::to_string(level) + " \"" + ten + "\">";  // a9 would be 100 GB
  }
  bomb += "]><r>&a9;</r>";
  CHECK(events(bomb, 4096).back() == "error:declared entities expand to more than 1 MiB@0");
  // Each entity small, but used without end in text: the same budget.
  std::string many = "<!DOCTYPE r [<!ENTITY k \"" + std::string(1000, 'k') + "\">]><r>";
  for (int i = 0; i < 2000; ++i) many += "<t>&k;</t>";
  CHECK(events(many + "</r>", 4096).back().rfind("error:declared entities expand to more than 1 MiB@", 0) == 0);
  // Within the budget they expand as declared.
  CHECK(events("<!DOCTYPE r [<!ENTITY who \"Ada &amp; Bo\">]><r>&who;</r>", 7) ==
        std::vector<std::string>{"start:r", "text:Ada & Bo", "end:r"});
}
