// The native host hands each response that departs from its route's declaration to
// contract_violation_handler() (the runner fails the test that made the request).
#include "tests/flow/requests.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::Host;

namespace {
std::vector<std::string> reported;
void report(const std::string& violation) { reported.push_back(violation); }
}  // namespace

TEST_CASE("the native host reports a response that departs from its declaration, as it is answered", "[contract]") {
  Host host;
  std::string owner = owner_key(host);
  // A row written past the loader (which checks dates) renders a grant date the schema refuses.
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) "
      "VALUES ('9999991', 'B2', 'grant', 'Drift', '2012-3-27', 0)");
  auto previous = native::contract_violation_handler();
  native::contract_violation_handler() = report;
  reported.clear();
  auto drifted = host.fetch("GET", "/v1/patents/9999991", bearer(owner));
  auto good = host.fetch("GET", "/v1/me", bearer(owner));
  native::contract_violation_handler() = previous;
  CHECK(drifted.status == 200);  // the client's answer is unchanged: the check only reports
  CHECK(good.status == 200);
  REQUIRE(reported.size() == 1);
  CHECK(reported[0] ==
        "GET /v1/patents/9999991 answered 200: the body does not match its schema: response[grant_date]: must be a date "
        "(YYYY-MM-DD)");
}
