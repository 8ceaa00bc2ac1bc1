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

namespace {

using patents::Conveyance;
using patents::person_name;

const std::vector<patents::PersonName> kInventors = {person_name("Damon", "Weinstein"), person_name("Timothy R.", "Segall")};

Conveyance employer_assignment(std::vector<std::string> assignors) {
  return {"1", "employer_assignment", "2006-04-10", "2006-03-30", std::move(assignors), {"SOUNDBITE COMMUNICATIONS, INC."}};
}

}  // namespace

TEST_CASE("BR-023: the first link runs from the inventors, matched despite name variants", "[patents][rules]") {
  auto chain = patents::chain_of_title({employer_assignment({"WEINSTEIN, DAMON", "SEGALL, TIMOTHY"})}, {}, kInventors);
  REQUIRE(chain.links.size() == 1);
  CHECK(chain.links[0].from_inventors);
  CHECK_FALSE(chain.links[0].breaks_chain);
  CHECK(chain.unassigned_inventors.empty());
  CHECK(chain.complete);
}

TEST_CASE("BR-032: an inventor who never assigned breaks the chain once someone else holds the patent", "[patents][rules]") {
  auto chain = patents::chain_of_title({employer_assignment({"WEINSTEIN, DAMON"})}, {}, kInventors);
  CHECK(chain.links[0].from_inventors);
  CHECK(chain.unassigned_inventors == std::vector<size_t>{1});  // Segall
  CHECK_FALSE(chain.complete);

  // Granted to a company with no recorded assignment: the inventors' transfer is not on record.
  auto unrecorded = patents::chain_of_title({}, {"SOUNDBITE COMMUNICATIONS, INC."}, kInventors);
  CHECK(unrecorded.unassigned_inventors == std::vector<size_t>{0, 1});
  CHECK_FALSE(unrecorded.complete);

  // Nobody but the inventors holds it: nothing is missing.
  auto theirs = patents::chain_of_title({}, {}, kInventors);
  CHECK(theirs.unassigned_inventors.empty());
  CHECK(theirs.complete);
}

TEST_CASE("BR-023: an inventor who conveys again is no longer an owner", "[patents][rules]") {
  // A corrective re-recording from the inventors after the employer sold the patent.
  auto chain =
      patents::chain_of_title({employer_assignment({"WEINSTEIN, DAMON", "SEGALL, TIMOTHY R."}),
                               {"2", "assignment", "2017-02-01", "2017-01-15", {"SOUNDBITE COMMUNICATIONS INC"}, {"NEWCO LLC"}},
                               {"3",
                                "correction",
                                "2018-05-01",
                                "2018-04-01",
                                {"WEINSTEIN, DAMON", "SEGALL, TIMOTHY R."},
                                {"SOUNDBITE COMMUNICATIONS, INC."}}},
                              {}, kInventors);
  REQUIRE(chain.links.size() == 3);
  CHECK_FALSE(chain.links[1].breaks_chain);
  CHECK_FALSE(chain.links[2].from_inventors);
  CHECK(chain.links[2].breaks_chain);
  CHECK_FALSE(chain.complete);
}

TEST_CASE("BR-032: a patent granted to its own inventor is held by nobody else", "[patents][rules]") {
  auto chain = patents::chain_of_title({}, {"Damon Weinstein"}, {person_name("Damon", "Weinstein")});
  CHECK(chain.unassigned_inventors.empty());
  CHECK(chain.complete);
}

TEST_CASE("BR-033: a first link from neither an inventor nor an owner at grant breaks", "[patents][rules]") {
  auto stranger = patents::chain_of_title({employer_assignment({"SOMEONE ELSE"})}, {}, kInventors);
  CHECK(stranger.links[0].breaks_chain);
  auto from_grant_owner =
      patents::chain_of_title({{"2", "assignment", "2017-02-01", "2017-01-15", {"SoundBite Communications Inc"}, {"NEWCO LLC"}}},
                              {"SOUNDBITE COMMUNICATIONS, INC."}, {});
  CHECK_FALSE(from_grant_owner.links[0].breaks_chain);
  CHECK(from_grant_owner.complete);
  // Without the inventors, the first link cannot be judged (an employer assignment is normal).
  auto unknown = patents::chain_of_title({employer_assignment({"SOMEONE ELSE"})}, {}, {});
  CHECK_FALSE(unknown.links[0].breaks_chain);
}
