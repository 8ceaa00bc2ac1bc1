// USPTO records as the loaders need them, from the records RecordReader reads:
//   - Red Book grants and applications (<us-patent-grant>, <us-patent-application>, v4.x:
//     <parties> in grants of v4.2, <us-parties> from v4.3 and in applications);
//   - assignments (<patent-assignment> in the daily us-patent-assignments files);
//   - CPC title list lines ("symbol<TAB>level<TAB>title", level empty above main groups);
//   - maintenance-fee event lines (fixed width).
// A record missing what identifies it is refused with the reason; optional parts may be empty.
#pragma once

#include "wasm/ingest/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::ingest {

struct Person {
  std::string first_name, last_name, city, state, country;
};

struct CitedDocument {
  std::string number;  // canonical for US documents, as printed otherwise
  std::string country, kind, date, category;
};

// A grant or a pre-grant publication (an application): grant_date is empty for the latter.
struct PatentDocument {
  std::string document_type;  // "grant" or "application"
  std::string number, kind, application_number, filing_date, publication_date, grant_date, title, abstract, claims;
  int claims_count = 0;
  std::vector<Person> inventors;
  std::vector<std::string> assignees;  // names as printed
  std::vector<CitedDocument> citations;
  std::vector<std::string> cpc;  // the inventive (main) symbol first
};

struct AssignmentParty {
  std::string name, execution_date, address;
};

struct AssignmentProperty {
  std::string patent_number, application_number, publication_number, title;
};

struct Assignment {
  int64_t reel = 0, frame = 0;
  std::string conveyance_text, conveyance_type, recorded_date, last_update_date, correspondent_name, correspondent_address;
  int64_t page_count = 0;
  std::vector<AssignmentParty> assignors, assignees;
  std::vector<AssignmentProperty> properties;
};

// One maintenance-fee event line (MaintFeeEvents_yyyymmdd.txt), fixed width, 0-based columns:
// 0-13 patent number, 14-22 application number, 23 entity status (N large, Y small, M micro),
// 25-33 filing date, 34-42 grant date, 43-51 event entry date, 52-57 event code. Codes vary
// in length and may hold a period ("EXP."), so fields are cut by column, never by spaces.
struct FeeEventLine {
  std::string patent_number, application_number, entity_status, filing_date, grant_date, event_date, event_code;
};

struct CpcLine {
  std::string symbol, title;
  std::optional<int> level;  // null above main groups
};

// One line of the CPC master classification file for grants (US_Grant_CPC_MCF_*.txt), fixed
// width, 0-based columns: 0-1 kind ("B2"; "A " before 2001), 2-9 application number, then the
// patent number right-justified in 8 columns (7 in files before mid-2018, which moves every
// later column one to the left), the symbol in 15 (section, class, subclass, main group
// right-justified in 4, "/", subgroup left-justified in 6), its version date in 8, F (the
// first symbol) or L (a later one), and I (inventive) or A (additional). Sources:
// docs/uspto-versions.md.
struct CpcMasterLine {
  std::string patent_number, symbol;  // canonical
  int position = 0;                   // 0 the first symbol, 1 a later inventive one, 2 a later additional one
};

// "20120327" -> "2012-03-27"; a month or day of "00" (as in old citations) is left out.
std::string iso_date(std::string_view yyyymmdd);

std::optional<PatentDocument> read_patent_document(const Record& record, std::string& problem);
std::optional<Assignment> read_assignment(const Record& record, std::string& problem);
std::optional<CpcLine> read_cpc_line(std::string_view line, std::string& problem);
std::optional<FeeEventLine> read_fee_event_line(std::string_view line, std::string& problem);
std::optional<CpcMasterLine> read_cpc_master_line(std::string_view line, std::string& problem);

// The conveyance type of an assignment's text. Precedence, first match wins: release (a
// release of a security interest is a release), correction (corrective and nunc pro tunc
// filings), security, merger, change of name, government interest, license, employer
// assignment, assignment; otherwise other.
std::string classify_conveyance(std::string_view text);

}  // namespace ptmc::ingest
