#include "wasm/ingest/uspto.hpp"

#include "wasm/http/message.hpp"

#include "wasm/patents/cpc.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/patents/number.hpp"

#include <algorithm>
#include <charconv>

namespace ptmc::ingest {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::optional<int64_t> integer(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& part : parts)
    if (!part.empty()) out += (out.empty() ? "" : separator) + part;
  return out;
}

// A person of an <addressbook>, or of an element holding the DTDs' name group itself (a
// deceased inventor, which has no address).
Person person(const Element& names) {
  return {names.value("first-name"), names.value("last-name"), names.value("address/city"), names.value("address/state"),
          names.value("address/country")};
}

// The name of an <addressbook> or of the name group itself: an organisation, a person, or the
// group's bare <name>.
std::string party_name(const Element& names) {
  std::string organisation = names.value("orgname");
  if (!organisation.empty()) return organisation;
  std::string person_name = join({names.value("first-name"), names.value("last-name")}, " ");
  return person_name.empty() ? names.value("name") : person_name;
}

// Where the DTDs put a document's inventors (docs/uspto-versions.md). From v4.3
// <us-parties><inventors> is mandatory and whole; v4.3 and v4.4 repeat each inventor as an
// applicant-inventor applicant, which counts only where no <inventors> list is given. Before
// v4.3 the applicant-inventors of <parties> are the inventors, and <inventors> adds only those
// who could not be applicants, as does <us-deceased-inventor>. An entry whose names and address
// repeat an earlier one word for word is the same person listed again (real files do that);
// two people who share a name and a town but not every detail stay two.
std::vector<Person> read_inventors(const Element& biblio) {
  std::vector<Person> inventors;
  std::vector<std::string_view> seen;  // each entry's whole text
  auto add = [&](const Element& names) {
    Person found = person(names);
    if (found.first_name.empty() && found.last_name.empty()) return;
    if (std::find(seen.begin(), seen.end(), names.text()) != seen.end()) return;
    seen.push_back(names.text());
    inventors.push_back(std::move(found));
  };
  auto add_applicant_inventors = [&](const char* path) {
    for (Element applicant : biblio.find_all(path))
      if (contains(applicant.attribute("app-type"), "inventor"))
        if (Element book = applicant.find("addressbook")) add(book);
  };
  auto add_listed = [&](const std::string& list) {
    for (Element inventor : biblio.find_all(list + "/inventor"))
      if (Element book = inventor.find("addressbook")) add(book);
    for (Element deceased : biblio.find_all(list + "/deceased-inventor")) add(deceased);
  };
  if (biblio.find("parties")) {
    add_applicant_inventors("parties/applicants/applicant");
    add_listed("parties/inventors");
    for (Element deceased : biblio.find_all("us-deceased-inventor"))
      if (Element book = deceased.find("addressbook")) add(book);
  } else {
    add_listed("us-parties/inventors");
    if (inventors.empty()) add_applicant_inventors("us-parties/us-applicants/us-applicant");
  }
  return inventors;
}

// <assignees>, each an <addressbook> or the name group alone (both are in every DTD); from v4.3
// a document may name its assignee only as an applicant of the assignee category.
std::vector<std::string> read_assignees(const Element& biblio) {
  std::vector<std::string> assignees;
  for (Element assignee : biblio.find_all("assignees/assignee")) {
    Element book = assignee.find("addressbook");
    if (auto name = party_name(book ? book : assignee); !name.empty()) assignees.push_back(std::move(name));
  }
  if (assignees.empty())
    for (Element applicant : biblio.find_all("us-parties/us-applicants/us-applicant"))
      if (applicant.attribute("applicant-authority-category") == "assignee")
        if (Element book = applicant.find("addressbook"))
          if (auto name = party_name(book); !name.empty()) assignees.push_back(std::move(name));
  return assignees;
}

std::string cpc_symbol(const Element& classification) {
  std::string symbol = classification.value("section") + classification.value("class") + classification.value("subclass") +
                       classification.value("main-group") + "/" + classification.value("subgroup");
  return patents::cpc_symbol(symbol).value_or("");
}

}  // namespace

std::string iso_date(std::string_view text) {
  if (text.size() != 8) return {};
  std::string date = std::string(text.substr(0, 4));
  if (text.substr(4, 2) != "00") date += "-" + std::string(text.substr(4, 2));
  if (text.substr(4, 2) != "00" && text.substr(6, 2) != "00") date += "-" + std::string(text.substr(6, 2));
  return date;
}

std::optional<PatentDocument> read_patent_document(const Record& file_record, std::string& problem) {
  Element record = file_record.root();
  bool application = record.name() == "us-patent-application";
  const char* biblio_name = application ? "us-bibliographic-data-application" : "us-bibliographic-data-grant";
  Element biblio = record.find(biblio_name);
  if (!biblio) {
    problem = std::string("no <") + biblio_name + ">";
    return std::nullopt;
  }
  PatentDocument document;
  document.document_type = application ? "application" : "grant";
  auto number = patents::parse_us_number(biblio.value("publication-reference/document-id/doc-number"));
  if (!number || number->application != application) {
    problem = std::string("no ") + (application ? "publication" : "grant") + " number in <publication-reference>";
    return std::nullopt;
  }
  document.number = number->canonical;
  document.kind = biblio.value("publication-reference/document-id/kind");
  document.publication_date = iso_date(biblio.value("publication-reference/document-id/date"));
  if (!application) document.grant_date = document.publication_date;
  document.application_number = biblio.value("application-reference/document-id/doc-number");
  document.filing_date = iso_date(biblio.value("application-reference/document-id/date"));
  document.title = biblio.value("invention-title");
  if (document.title.empty() || document.publication_date.size() != 10) {
    problem = document.document_type + " " + document.number + " has no title or publication date";
    return std::nullopt;
  }
  document.abstract = record.value("abstract");
  document.claims_count = static_cast<int>(record.find_all("claims/claim").size());
  document.claims = record.value("claims");

  document.inventors = read_inventors(biblio);
  document.assignees = read_assignees(biblio);

  for (const char* path : {"references-cited/citation", "us-references-cited/us-citation"})
    for (Element citation : biblio.find_all(path)) {
      Element id = citation.find("patcit/document-id");
      if (!id) continue;  // non-patent literature
      CitedDocument cited{id.value("doc-number"), id.value("country"), id.value("kind"), iso_date(id.value("date")),
                          citation.value("category")};
      if (cited.country == "US")
        if (auto us = patents::parse_us_number(cited.number)) cited.number = us->canonical;
      if (!cited.number.empty()) document.citations.push_back(std::move(cited));
    }
  for (const char* path :
       {"classifications-cpc/main-cpc/classification-cpc", "classifications-cpc/further-cpc/classification-cpc"})
    for (Element classification : biblio.find_all(path))
      if (auto symbol = cpc_symbol(classification); !symbol.empty()) document.cpc.push_back(symbol);
  return document;
}

std::string classify_conveyance(std::string_view text) {
  std::string t = http::upper_ascii(text);
  if (contains(t, "RELEASE")) return "release";
  if (contains(t, "CORRECT") || contains(t, "NUNC PRO TUNC")) return "correction";
  if (contains(t, "SECURITY")) return "security";
  if (contains(t, "MERGER")) return "merger";
  if (contains(t, "CHANGE OF NAME")) return "change_of_name";
  if (contains(t, "GOVERNMENT INTEREST")) return "government_interest";
  if (contains(t, "LICENSE")) return "license";
  if (contains(t, "EMPLOYEE") || contains(t, "EMPLOYER")) return "employer_assignment";
  if (contains(t, "ASSIGNMENT")) return "assignment";
  return "other";
}

std::optional<Assignment> read_assignment(const Record& file_record, std::string& problem) {
  Element record = file_record.root();
  Assignment a;
  auto reel = integer(record.value("assignment-record/reel-no"));
  auto frame = integer(record.value("assignment-record/frame-no"));
  a.recorded_date = iso_date(record.value("assignment-record/recorded-date/date"));
  a.conveyance_text = record.value("assignment-record/conveyance-text");
  if (!reel || !frame || *reel <= 0 || *frame < 0 || a.recorded_date.size() != 10 || a.conveyance_text.empty()) {
    problem = "no reel, frame, recorded date or conveyance text";
    return std::nullopt;
  }
  a.reel = *reel;
  a.frame = *frame;
  a.conveyance_type = classify_conveyance(a.conveyance_text);
  a.last_update_date = iso_date(record.value("assignment-record/last-update-date/date"));
  a.page_count = integer(record.value("assignment-record/page-count")).value_or(0);
  a.correspondent_name = record.value("assignment-record/correspondent/name");
  a.correspondent_address =
      join({record.value("assignment-record/correspondent/address-1"), record.value("assignment-record/correspondent/address-2"),
            record.value("assignment-record/correspondent/address-3"), record.value("assignment-record/correspondent/address-4")},
           ", ");
  for (Element assignor : record.find_all("patent-assignors/patent-assignor"))
    a.assignors.push_back({assignor.value("name"), iso_date(assignor.value("execution-date/date")), ""});
  for (Element assignee : record.find_all("patent-assignees/patent-assignee"))
    a.assignees.push_back({assignee.value("name"), "",
                           join({assignee.value("address-1"), assignee.value("address-2"), assignee.value("city"),
                                 assignee.value("state"), assignee.value("country-name"), assignee.value("postcode")},
                                ", ")});
  for (Element property : record.find_all("patent-properties/patent-property")) {
    AssignmentProperty p;
    p.title = property.value("invention-title");
    for (Element id : property.find_all("document-id")) {
      std::string kind = id.value("kind");
      std::string number = id.value("doc-number");
      if (kind == "X0") p.application_number = number;  // an application number
      else if (auto parsed = patents::parse_us_number(number); parsed && parsed->application)
        p.publication_number = parsed->canonical;
      else if (parsed) p.patent_number = parsed->canonical;
    }
    a.properties.push_back(std::move(p));
  }
  if (a.assignors.empty() || a.assignees.empty()) {
    problem = "reel " + std::to_string(a.reel) + " frame " + std::to_string(a.frame) + " names no assignor or no assignee";
    return std::nullopt;
  }
  return a;
}

std::optional<CpcLine> read_cpc_line(std::string_view line, std::string& problem) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  auto first_tab = line.find('\t');
  auto second_tab = first_tab == std::string_view::npos ? first_tab : line.find('\t', first_tab + 1);
  if (second_tab == std::string_view::npos) {
    problem = "not three tab-separated fields";
    return std::nullopt;
  }
  auto symbol = patents::cpc_symbol(line.substr(0, first_tab));
  std::string_view level_text = line.substr(first_tab + 1, second_tab - first_tab - 1);
  CpcLine cpc{symbol.value_or(""), std::string(line.substr(second_tab + 1)), std::nullopt};
  if (!symbol || cpc.title.empty()) {
    problem = "no CPC symbol or no title";
    return std::nullopt;
  }
  if (!level_text.empty()) {
    auto level = integer(level_text);
    if (!level || *level < 0 || *level > 20) {
      problem = "level '" + std::string(level_text) + "' is not a number from 0 to 20";
      return std::nullopt;
    }
    cpc.level = static_cast<int>(*level);
  }
  return cpc;
}

std::optional<CpcMasterLine> read_cpc_master_line(std::string_view line, std::string& problem) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  // The layout shows in where the symbol's "/" falls: column 26, or 25 in the older files.
  size_t number_width = line.size() > 26 && line[26] == '/' ? 8 : line.size() > 25 && line[25] == '/' ? 7 : 0;
  size_t symbol_at = 10 + number_width;
  if (number_width == 0 || line.size() < symbol_at + 25) {
    problem = "not a CPC master classification line (no symbol at column 18, or 17)";
    return std::nullopt;
  }
  std::string_view number = line.substr(10, number_width);
  while (!number.empty() && number.front() == ' ') number.remove_prefix(1);
  auto patent = patents::parse_us_number(number);
  auto symbol = patents::cpc_symbol(line.substr(symbol_at, 15));
  char first = line[symbol_at + 23], value = line[symbol_at + 24];
  if (!patent || patent->application || !symbol || symbol->find('/') == std::string::npos) {
    problem = "no patent number or no CPC group symbol";
    return std::nullopt;
  }
  if ((first != 'F' && first != 'L') || (value != 'I' && value != 'A')) {
    problem = "position '" + std::string(1, first) + "' is not F or L, or value '" + std::string(1, value) + "' not I or A";
    return std::nullopt;
  }
  return CpcMasterLine{patent->canonical, *symbol, first == 'F' ? 0 : value == 'I' ? 1 : 2};
}

std::optional<FeeEventLine> read_fee_event_line(std::string_view line, std::string& problem) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  auto field = [&](size_t first, size_t last) {
    std::string_view cut = first < line.size() ? line.substr(first, last - first + 1) : std::string_view();
    while (!cut.empty() && cut.front() == ' ') cut.remove_prefix(1);
    while (!cut.empty() && cut.back() == ' ') cut.remove_suffix(1);
    return std::string(cut);
  };
  if (line.size() < 56) {
    problem = "a line of " + std::to_string(line.size()) + " characters, shorter than the 56 an event needs";
    return std::nullopt;
  }
  FeeEventLine event{
      field(0, 13), field(14, 22), field(23, 23), iso_date(field(25, 33)), iso_date(field(34, 42)), iso_date(field(43, 51)),
      field(52, 57)};
  auto number = patents::parse_us_number(event.patent_number);
  if (!number || number->application) {
    problem = "'" + event.patent_number + "' is not a US patent number";
    return std::nullopt;
  }
  event.patent_number = number->canonical;
  if (std::find(std::begin(patents::kEntityStatuses), std::end(patents::kEntityStatuses), event.entity_status) ==
      std::end(patents::kEntityStatuses)) {
    problem = "entity status '" + event.entity_status + "' is not N, Y or M";
    return std::nullopt;
  }
  if (event.event_date.size() != 10 || event.event_code.empty()) {
    problem = "no event date or no event code";
    return std::nullopt;
  }
  return event;
}

}  // namespace ptmc::ingest
