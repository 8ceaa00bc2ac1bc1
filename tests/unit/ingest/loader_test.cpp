// wasm/ingest/loader and cpc_loader: the statements that load records, built without a host:
// each binds at most D1's 100 values, and every value its SQL uses.
#include "tests/fixture_files.hpp"
#include "tests/unit/ingest/read_records.hpp"
#include "wasm/ingest/cpc_loader.hpp"
#include "wasm/ingest/loader.hpp"

#include <regex>
#include <set>

using namespace ptmc;
using namespace ptmc::ingest;
using namespace ptmc::testing;

namespace {

// The ?N placeholders of `sql`.
std::set<int> placeholders(const std::string& sql) {
  std::set<int> found;
  static const std::regex kPlaceholder(R"(\?([0-9]+))");
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), kPlaceholder); it != std::sregex_iterator(); ++it)
    found.insert(std::stoi((*it)[1].str()));
  return found;
}

void check_bindings(const std::vector<d1::Statement>& statements) {
  for (const auto& statement : statements) {
    INFO(statement.sql);
    REQUIRE(statement.params.is_array());
    CHECK(statement.params.size() <= 100);
    auto used = placeholders(statement.sql);
    for (int index : used) CHECK(index >= 1);
    if (!used.empty()) CHECK(static_cast<size_t>(*used.rbegin()) <= statement.params.size());
  }
}

}  // namespace

TEST_CASE("the statements of a batch of grants and assignments each bind what their SQL uses", "[ingest]") {
  std::vector<ParsedRecord> batch;
  std::string problem;
  for (const auto& [file, root] : {std::pair{"grant_ipg120327_two_concat_v42.xml", "us-patent-grant"},
                                   std::pair{"assignment_ad20160101_subset.xml", "patent-assignment"}})
    for (const auto& record : records(fixture(file), root)) {
      auto parsed = parse_record(record, problem);
      INFO(problem);
      REQUIRE(parsed);
      batch.push_back(std::move(*parsed));
    }
  REQUIRE(batch.size() > 3);
  EntityResolver entities;  // nothing resolved: each name gets the id a new entity would
  auto statements = batch_statements(batch, entities, 1767225600000);
  check_bindings(statements);
}

TEST_CASE("a fee event and a CPC scheme swap bind what their SQL uses", "[ingest]") {
  std::string problem;
  auto event = read_fee_event_line(fixed_width_events().substr(0, fixed_width_events().find('\n')), problem);
  REQUIRE(event);
  check_bindings(fee_event_statements(*event, 1767225600000));
  check_bindings(cpc_swap_statements("us:cpc:2026-01-01"));
}
