// wasm/patents/ownership: the chain of title.
#include "wasm/patents/ownership.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("the chain of title follows assignments in order and flags breaks", "[patents]") {
  using patents::Conveyance;
  auto chain = patents::chain_of_title(
      {{"3", "assignment", "2018-05-01", "2018-04-01", {"SOMEONE ELSE CORP"}, {"LATER LLC"}},
       {"1", "employer_assignment", "2015-12-30", "2006-03-30", {"WEINSTEIN, DAMON"}, {"SOUNDBITE COMMUNICATIONS, INC."}},
       {"s", "security", "2016-06-01", "2016-05-20", {"SoundBite Communications Inc"}, {"A LENDER"}},
       {"2", "assignment", "2017-02-01", "2017-01-15", {"SoundBite Communications, Inc."}, {"NEWCO LLC"}}},
      {"SoundBite Communications, Inc."});
  REQUIRE(chain.links.size() == 3);  // the security interest moves no title
  CHECK(chain.links[0].conveyance.id == "1");
  CHECK_FALSE(chain.links[1].breaks_chain);  // "SoundBite Communications, Inc." is "SOUNDBITE COMMUNICATIONS, INC."
  CHECK(chain.links[2].breaks_chain);        // SOMEONE ELSE never held it
  CHECK_FALSE(chain.complete);
  CHECK(chain.current_owners == std::vector<std::string>{"LATER LLC"});
  CHECK(patents::chain_of_title({}, {"OWNER AT GRANT"}).current_owners == std::vector<std::string>{"OWNER AT GRANT"});
}
