#include "wasm/api/handlers.hpp"

namespace ptmc::api {

std::span<const Route> routes() {
  static const std::vector<Route> all = [] {
    std::vector<Route> table;
    for (auto group : {health_routes, key_routes, patent_routes, patent_record_routes, document_routes, search_routes,
                       assignee_routes, classification_routes, portfolio_routes, ingestion_routes, event_routes, webhook_routes,
                       reference_routes, debug_routes})
      for (auto& route : group()) table.push_back(std::move(route));
    return table;
  }();
  return all;
}

}  // namespace ptmc::api
