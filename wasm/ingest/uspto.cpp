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

// A person or organisation of an <addressbook>.
Person person(const Element& addressbook) {
  return {addressbook.value("first-name"), addressbook.value("last-name"), addressbook.value("address/city"),
          addressbook.value("address/state"), addressbook.value("address/country")};
}

std::string party_name(const Element& addressbook) {
  std::string organisation = addressbook.value("orgname");
  if (!organisation.empty()) return organisation;
  return join({addressbook.value("first-name"), addressbook.value("last-name")}, " ");
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

  // Inventors are listed under <inventors> (<us-parties> from v4.3, <parties> before) when the
  // document has that list; v4.3 documents also repeat each of them as an applicant-inventor
  // applicant, so those count only where there is no <inventors> list (v4.2, or an
  // applicant-inventor alone as in the second application sample).
  for (const char* path : {"parties/inventors/inventor", "us-parties/inventors/inventor"})
    for (Element inventor : biblio.find_all(path))
      if (Element book = inventor.find("addressbook")) document.inventors.push_back(person(book));
  if (document.inventors.empty())
    for (const char* path : {"parties/applicants/applicant", "us-parties/us-applicants/us-applicant"})
      for (Element applicant : biblio.find_all(path))
        if (contains(applicant.attribute("app-type"), "inventor"))
          if (Element book = applicant.find("addressbook")) document.inventors.push_back(person(book));
  for (Element assignee : biblio.find_all("assignees/assignee"))
    if (Element book = assignee.find("addressbook")) document.assignees.push_back(party_name(book));

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
