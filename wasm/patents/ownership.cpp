#include "wasm/patents/ownership.hpp"

#include "wasm/patents/names.hpp"

#include <algorithm>

namespace ptmc::patents {

std::vector<std::string> conveyance_type_names() {
  std::vector<std::string> names;
  for (const auto& type : kConveyanceTypes) names.push_back(type.name);
  return names;
}

bool transfers_title(const std::string& conveyance_type) {
  for (const auto& type : kConveyanceTypes)
    if (conveyance_type == type.name) return type.transfers_title;
  return false;
}

namespace {

std::vector<std::string> normalized(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) out.push_back(normalize_name(name));
  return out;
}

// Marks each inventor the link's assignors name; answers whether any of them still held a
// share, not having assigned before (an inventor who conveys twice is no longer an owner).
bool marks_inventors(const Conveyance& conveyance, const std::vector<PersonName>& inventors, std::vector<char>& assigned) {
  bool any = false;
  for (const auto& assignor : conveyance.assignors) {
    PersonName person = person_name(assignor);
    for (size_t i = 0; i < inventors.size(); ++i) {
      if (!same_person(person, inventors[i])) continue;
      any = any || !assigned[i];
      assigned[i] = true;
    }
  }
  return any;
}

bool is_inventor(const std::string& name, const std::vector<PersonName>& inventors) {
  PersonName person = person_name(name);
  return std::any_of(inventors.begin(), inventors.end(),
                     [&](const PersonName& inventor) { return same_person(person, inventor); });
}

}  // namespace

ChainOfTitle chain_of_title(std::vector<Conveyance> conveyances, std::vector<std::string> owners_at_grant,
                            const std::vector<PersonName>& inventors) {
  auto when = [](const Conveyance& c) { return c.execution_date.empty() ? c.recorded_date : c.execution_date; };
  std::stable_sort(conveyances.begin(), conveyances.end(),
                   [&](const Conveyance& a, const Conveyance& b) { return std::pair(when(a), a.id) < std::pair(when(b), b.id); });
  ChainOfTitle chain;
  bool first_checked = !inventors.empty();
  bool held_by_others = std::any_of(owners_at_grant.begin(), owners_at_grant.end(),
                                    [&](const std::string& owner) { return !is_inventor(owner, inventors); });
  std::vector<std::string> owners = normalized(owners_at_grant);  // as the previous link left them
  std::vector<char> assigned(inventors.size(), false);
  chain.current_owners = std::move(owners_at_grant);
  for (auto& conveyance : conveyances) {
    if (!transfers_title(conveyance.type)) continue;
    ChainLink link{std::move(conveyance)};
    link.from_inventors = marks_inventors(link.conveyance, inventors, assigned);
    bool from_owner = std::any_of(
        link.conveyance.assignors.begin(), link.conveyance.assignors.end(),
        [&](const std::string& name) { return std::find(owners.begin(), owners.end(), normalize_name(name)) != owners.end(); });
    link.breaks_chain = (first_checked || !chain.links.empty()) && !link.from_inventors && !from_owner;
    chain.complete = chain.complete && !link.breaks_chain;
    owners = normalized(link.conveyance.assignees);
    chain.current_owners = link.conveyance.assignees;
    chain.links.push_back(std::move(link));
    held_by_others = true;
  }
  for (size_t i = 0; held_by_others && i < inventors.size(); ++i)
    if (!assigned[i]) chain.unassigned_inventors.push_back(i);
  chain.complete = chain.complete && chain.unassigned_inventors.empty();
  return chain;
}

}  // namespace ptmc::patents
