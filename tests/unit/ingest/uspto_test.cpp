// wasm/ingest/records and uspto: every USPTO record form, field by field, from the real sample
// files (tests/fixtures/uspto, see SOURCES.md).
#include "tests/fixture_files.hpp"
#include "tests/unit/ingest/read_records.hpp"
#include "wasm/ingest/loader.hpp"
#include "wasm/patents/ownership.hpp"

#include <set>

using namespace ptmc;
using namespace ptmc::ingest;
using namespace ptmc::testing;

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
  CHECK(types ==
        std::vector<std::string>{"assignment", "merger", "security", "release", "correction", "license", "change_of_name"});
  auto merger = read_assignment(all[1], problem);
  CHECK(merger->assignors[0].name == "PORTULIM FOUNDATION LLC");
  CHECK(merger->assignees[0].name == "NYTELL SOFTWARE LLC");
  CHECK(merger->properties.size() > 3);
}

TEST_CASE("conveyance texts classify by precedence, into exactly the declared conveyance types", "[ingest]") {
  const std::pair<const char*, const char*> kTexts[] = {{"RELEASE OF SECURITY INTEREST", "release"},
                                                        {"CORRECTIVE ASSIGNMENT TO CORRECT THE ASSIGNEE NAME", "correction"},
                                                        {"SECURITY AGREEMENT", "security"},
                                                        {"MERGER AND CHANGE OF NAME", "merger"},
                                                        {"CHANGE OF NAME", "change_of_name"},
                                                        {"ASSIGNMENT OF ASSIGNORS INTEREST", "assignment"},
                                                        {"EMPLOYEE AGREEMENT", "employer_assignment"},
                                                        {"CONFIRMATORY LICENSE", "license"},
                                                        {"GOVERNMENT INTEREST AGREEMENT", "government_interest"},
                                                        {"COURT ORDER", "other"}};
  std::set<std::string> seen;
  for (const auto& [text, type] : kTexts) {
    INFO(text);
    CHECK(classify_conveyance(text) == type);
    seen.insert(classify_conveyance(text));
  }
  // Every type the classifier answers is declared (patents::kConveyanceTypes), and every declared one is answered.
  auto declared = patents::conveyance_type_names();
  CHECK(seen == std::set<std::string>(declared.begin(), declared.end()));
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

TEST_CASE("CPC master file lines, in the current and the older column layout, and malformed ones say why", "[ingest]") {
  std::string problem;
  // As the published files hold them (docs/uspto-versions.md): kind, application number,
  // patent number (8 wide), symbol (15), version, F/L, I/A, and a tail no parser reads.
  auto first = read_cpc_master_line("B21849611012650000E02F   3/844   20130101FI  0 0\r\n", problem);
  REQUIRE(first);
  CHECK(first->patent_number == "12650000");
  CHECK(first->symbol == "E02F3/844");
  CHECK(first->position == 0);
  auto old_patent = read_cpc_master_line("A           100000B68B   1/04    20130101LA  0 0", problem);  // 1870: kind "A "
  REQUIRE(old_patent);
  CHECK(old_patent->patent_number == "100000");
  CHECK(old_patent->symbol == "B68B1/04");
  CHECK(old_patent->position == 2);
  // Before mid-2018 the patent number was 7 wide, and every later column one to the left.
  auto seven_wide = read_cpc_master_line("B2114567897654321Y10T 408/03    20130101LI  0 0", problem);
  REQUIRE(seven_wide);
  CHECK(seven_wide->patent_number == "7654321");
  CHECK(seven_wide->symbol == "Y10T408/03");
  CHECK(seven_wide->position == 1);
  CHECK_FALSE(read_cpc_master_line("B21849611012650000E02F   3/844   20130101XI  0 0", problem));
  CHECK(problem == "position 'X' is not F or L, or value 'I' not I or A");
  CHECK_FALSE(read_cpc_master_line("B21849611012650000E02F   3/8", problem));
  CHECK(problem == "not a CPC master classification line (no symbol at column 18, or 17)");
  CHECK_FALSE(read_cpc_master_line("B218496110    ZZZZQ02F   3/844   20130101FI  0 0", problem));
  CHECK(problem == "no patent number or no CPC group symbol");
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
}

// Issue 14, item 6: a v4.3 application (January 2013 on) names each inventor twice, as an
// applicant-inventor under <us-applicants> and again under <inventors>; each loaded twice.
TEST_CASE("an application listing its inventors as applicants and under <inventors> has each inventor once", "[ingest]") {
  std::string application = fixture("application_v44_handwritten.xml");
  std::string first = application.substr(0, application.find("<?xml", 1));
  std::string doubled = first;
  std::string applicants = "<us-applicants>";
  for (const auto& [last, first_name] : {std::pair{"Müller", "Jörg"}, {"Okafor", "Ada"}})
    applicants +=
        std::string("<us-applicant sequence=\"00\" app-type=\"applicant-inventor\" designation=\"us-only\"><addressbook>") +
        "<last-name>" + last + "</last-name><first-name>" + first_name +
        "</first-name><address><city>Austin</city><country>US</country></address></addressbook></us-applicant>";
  doubled.replace(doubled.find("<us-applicants>"), std::string_view("<us-applicants>").size(), applicants);
  std::string problem;
  auto document = read_patent_document(records(doubled, "us-patent-application").at(0), problem);
  REQUIRE(document);
  REQUIRE(document->inventors.size() == 2);
  CHECK(document->inventors[0].last_name == "Müller");
  CHECK(document->inventors[0].city == "Stuttgart");  // as <inventors> gives it
  CHECK(document->inventors[1].last_name == "Okafor");
}

// The DTDs' own layouts (docs/uspto-versions.md), spliced into the real samples: the cases the
// samples happen not to contain.
namespace {
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
std::string first_application() {
  std::string application = fixture("application_v44_handwritten.xml");
  return application.substr(0, application.find("<?xml", 1));
}
}  // namespace

TEST_CASE("v4.0-v4.2: <parties><inventors> holds only the inventors who were not applicants, so both lists count", "[ingest]") {
  // The v4.2 DTD: <inventors> is "populated only when the inventor was unable to be the
  // applicant"; a deceased inventor's name sits on the element, and <us-deceased-inventor>
  // (v4.0-v4.2 only) carries an <addressbook>.
  std::string grant = replaced(fixture("grant_ipg120327_one_v42.xml"), "</applicants>",
                               "</applicants><inventors><inventor sequence=\"004\"><addressbook><last-name>Rule</last-name>"
                               "<first-name>Forty Seven</first-name><address><city>Boise</city><country>US</country>"
                               "</address></addressbook></inventor><deceased-inventor sequence=\"005\"><last-name>Late"
                               "</last-name><first-name>Ada</first-name></deceased-inventor></inventors>");
  grant = replaced(grant, "</parties>",
                   "</parties><us-deceased-inventor sequence=\"006\"><addressbook><last-name>Gone</last-name><first-name>"
                   "Bo</first-name><address><city>Reno</city><country>US</country></address></addressbook>"
                   "</us-deceased-inventor>");
  std::string problem;
  auto document = read_patent_document(records(grant, "us-patent-grant").at(0), problem);
  REQUIRE(document);
  std::vector<std::string> last_names;
  for (const auto& inventor : document->inventors) last_names.push_back(inventor.last_name);
  REQUIRE(last_names == std::vector<std::string>{"Cavin", "Paruchuri", "Zbuchalski", "Rule", "Late", "Gone"});
  CHECK(document->inventors[3].city == "Boise");
  CHECK(document->inventors[4].first_name == "Ada");
  CHECK(document->inventors[4].city.empty());
}

TEST_CASE("an <inventors> list that repeats each inventor (a real v4.6 application does) has each once", "[ingest]") {
  std::string application = first_application();
  auto open = application.find("<inventors>") + std::string_view("<inventors>").size();
  auto close = application.find("</inventors>");
  std::string listed = application.substr(open, close - open);
  application.insert(close, listed);
  std::string problem;
  auto document = read_patent_document(records(application, "us-patent-application").at(0), problem);
  REQUIRE(document);
  REQUIRE(document->inventors.size() == 2);
  CHECK(document->inventors[0].last_name == "Müller");
  CHECK(document->inventors[1].last_name == "Okafor");

  // Father and son of one name and town: the suffix tells them apart, so both stay.
  std::string family = replaced(first_application(), "</inventors>",
                                "<inventor sequence=\"02\"><addressbook><last-name>Okafor</last-name><first-name>Ada"
                                "</first-name><suffix>Jr.</suffix><address><city>Austin</city><state>TX</state><country>US"
                                "</country></address></addressbook></inventor></inventors>");
  auto both = read_patent_document(records(family, "us-patent-application").at(0), problem);
  REQUIRE(both);
  CHECK(both->inventors.size() == 3);
}

TEST_CASE("an assignee without an <addressbook> (the DTD allows its name alone) is read", "[ingest]") {
  std::string grant = replaced(fixture("grant_ipg120327_one_v42.xml"), "</assignees>",
                               "<assignee><orgname>Bare Name Holdings LLC</orgname><role>02</role></assignee></assignees>");
  std::string problem;
  auto document = read_patent_document(records(grant, "us-patent-grant").at(0), problem);
  REQUIRE(document);
  CHECK(document->assignees == std::vector<std::string>{"Frito-Lay North America, Inc.", "Bare Name Holdings LLC"});
}

TEST_CASE("v4.3 on: an assignee named only as an applicant of the assignee category is the assignee", "[ingest]") {
  std::string application = first_application();
  auto open = application.find("<assignees>");
  application.erase(open, application.find("</assignees>") + std::string_view("</assignees>").size() - open);
  std::string problem;
  auto document = read_patent_document(records(application, "us-patent-application").at(0), problem);
  REQUIRE(document);
  CHECK(document->assignees == std::vector<std::string>{"Gärtner Werkzeuge GmbH & Co. KG"});
}
