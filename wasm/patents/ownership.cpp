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

ChainOfTitle chain_of_title(std::vector<Conveyance> conveyances, std::vector<std::string> owners_at_grant) {
  auto when = [](const Conveyance& c) { return c.execution_date.empty() ? c.recorded_date : c.execution_date; };
  std::stable_sort(conveyances.begin(), conveyances.end(),
                   [&](const Conveyance& a, const Conveyance& b) { return std::pair(when(a), a.id) < std::pair(when(b), b.id); });
  ChainOfTitle chain;
  chain.current_owners = std::move(owners_at_grant);
  std::vector<std::string> owners;  // normalised, as the previous link left them
  for (auto& conveyance : conveyances) {
    if (!transfers_title(conveyance.type)) continue;
    ChainLink link{std::move(conveyance)};
    if (!chain.links.empty())
      link.breaks_chain = std::none_of(
          link.conveyance.assignors.begin(), link.conveyance.assignors.end(),
          [&](const std::string& name) { return std::find(owners.begin(), owners.end(), normalize_name(name)) != owners.end(); });
    chain.complete = chain.complete && !link.breaks_chain;
    owners.clear();
    for (const auto& name : link.conveyance.assignees) owners.push_back(normalize_name(name));
    chain.current_owners = link.conveyance.assignees;
    chain.links.push_back(std::move(link));
  }
  return chain;
}

}  // namespace ptmc::patents
