// The chain of title of a patent, from its recorded assignments.
//
// Title passes by an assignment, an employer assignment, a merger, a change of name or a
// correction (a re-recording of one of those). Security interests, releases, licences and
// government-interest notices do not move title and stay out of the chain. Links are taken in
// the order they were executed (recorded, when no execution date is known). A link is a break
// when none of its assignors is among the owners the previous link left (names compared after
// normalize_name()); the chain is complete when no link breaks. The first link is not
// checked: it usually runs from the inventors, whose names the API does not hold in the
// assignment's form.
#pragma once

#include <string>
#include <vector>

namespace ptmc::patents {

// What a recorded assignment conveys (ingest::classify_conveyance reads it from the recorded
// text), and whether that moves title.
struct ConveyanceType {
  const char* name;
  bool transfers_title;
};
inline constexpr ConveyanceType kConveyanceTypes[] = {{"assignment", true},
                                                      {"employer_assignment", true},
                                                      {"merger", true},
                                                      {"change_of_name", true},
                                                      {"correction", true},
                                                      {"security", false},
                                                      {"release", false},
                                                      {"license", false},
                                                      {"government_interest", false},
                                                      {"other", false}};
std::vector<std::string> conveyance_type_names();

struct Conveyance {
  std::string id;    // "reel-frame"
  std::string type;  // one of kConveyanceTypes
  std::string recorded_date;
  std::string execution_date;  // may be empty
  std::vector<std::string> assignors;
  std::vector<std::string> assignees;
};

struct ChainLink {
  Conveyance conveyance;
  bool breaks_chain = false;
};

struct ChainOfTitle {
  std::vector<ChainLink> links;
  std::vector<std::string> current_owners;  // the last link's assignees; `owners_at_grant` without links
  bool complete = true;
};

bool transfers_title(const std::string& conveyance_type);
ChainOfTitle chain_of_title(std::vector<Conveyance> conveyances, std::vector<std::string> owners_at_grant);

}  // namespace ptmc::patents
