// The chain of title of a patent, from its recorded assignments (docs/rules.md, BR-023,
// BR-032 and BR-033).
//
// Title passes by an assignment, an employer assignment, a merger, a change of name or a
// correction (a re-recording of one of those). Security interests, releases, licences and
// government-interest notices do not move title and stay out of the chain. Links are taken in
// the order they were executed (recorded, when no execution date is known).
//
// A link runs from the inventors when one of its assignors is an inventor (same_person) who had
// not assigned before. A link breaks when it does not, and none of its assignors is among the
// owners the previous link left (entity names compared after normalize_name()) or, for the
// first link, among the owners at grant. The first link is checked only when the patent's
// inventors are known. An inventor whom no link names as an assignor never assigned: a break
// too, once anyone but the inventors holds the patent (a link, or an owner at grant who is not
// an inventor). The chain is complete when nothing breaks.
#pragma once

#include "wasm/patents/person_names.hpp"

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
  bool from_inventors = false;
  bool breaks_chain = false;
};

struct ChainOfTitle {
  std::vector<ChainLink> links;
  std::vector<std::string> current_owners;   // the last link's assignees; `owners_at_grant` without links
  std::vector<size_t> unassigned_inventors;  // indexes into the inventors given
  bool complete = true;
};

bool transfers_title(const std::string& conveyance_type);
ChainOfTitle chain_of_title(std::vector<Conveyance> conveyances, std::vector<std::string> owners_at_grant,
                            const std::vector<PersonName>& inventors = {});

}  // namespace ptmc::patents
