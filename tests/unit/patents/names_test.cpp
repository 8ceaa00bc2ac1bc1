// wasm/patents/names: how assignee names compare and become one entity.
#include "wasm/patents/names.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("names compare without case, punctuation or legal form", "[patents]") {
  CHECK(patents::normalize_name("Frito-Lay North America, Inc.") == "FRITO LAY NORTH AMERICA");
  CHECK(patents::normalize_name("  SOUNDBITE COMMUNICATIONS, INC. ") == "SOUNDBITE COMMUNICATION");  // NBER: COMMUNICATIONS
  CHECK(patents::normalize_name("Siemens AG") == "SIEMENS");
  CHECK(patents::normalize_name("Co") == "CO");                        // a name is never emptied by its suffixes
  CHECK(patents::normalize_name("Müller GmbH & Co. KG") == "MüLLER");  // non-ASCII letters are kept as they are
  CHECK(patents::normalize_name("--").empty());
  // The NBER substitutions, in their order: spellings of one word meet, legal forms shrink and go.
  CHECK(patents::normalize_name("International Business Machines Corporation") == "INT BUSINESS MACHINES");
  CHECK(patents::normalize_name("Bell Telephone Laboratories, Incorporated") == "BELL TELEPHONE LAB");
  CHECK(patents::normalize_name("Volvo Aktiebolaget") == "VOLVO");
  CHECK(patents::normalize_name("SoundBite Commn") == patents::normalize_name("SOUNDBITE COMMUNICATIONS INC"));
  CHECK(patents::normalize_name("Commune Laboratories") == "COMMUNE LAB");  // whole words only: COMMUN is not COMMUNE
}

TEST_CASE("near-identical names are one entity, different numbers and short names never are", "[patents]") {
  CHECK(patents::edit_distance("KITTEN", "SITTING", 5) == 3);
  CHECK(patents::edit_distance("KITTEN", "SITTING", 2) == 3);  // past the limit: limit + 1
  CHECK(patents::edit_distance("", "ABC", 5) == 3);
  CHECK(patents::same_entity("INT BUSINESS MACHINES", "INT BUSINES MACHINES"));
  CHECK(patents::same_entity("INT BUSINESS MACHINES", "INT BUSNESS MACHNES"));  // 2 edits from 16 bytes
  CHECK_FALSE(patents::same_entity("INT BUSINESS MACHINES", "INT BUSNIESS MACHNES X"));
  CHECK(patents::same_entity("ACME WIDGETS", "ACME WIDGETZ"));
  CHECK_FALSE(patents::same_entity("ACME WIDGETS", "ACME GADGETS"));
  CHECK_FALSE(patents::same_entity("GROWTH FUND 2", "GROWTH FUND 3"));  // digits must agree
  CHECK_FALSE(patents::same_entity("SONY", "SONOS"));                   // too short to guess
  CHECK(patents::name_shard("ACME WIDGETS") == "AC");
}
