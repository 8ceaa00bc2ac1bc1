// wasm/patents/person_names: BR-021 (reading a person's name) and BR-022 (one person).
#include "wasm/patents/person_names.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using patents::person_name;
using patents::same_person;

TEST_CASE("BR-021: a name reads the same in either order, case, accents and punctuation aside", "[patents][rules]") {
  auto segall = person_name("SEGALL, TIMOTHY R.");
  CHECK(segall.family == "SEGALL");
  CHECK(segall.given == std::vector<std::string>{"TIMOTHY", "R"});
  auto natural = person_name("Timothy R. Segall");
  CHECK(natural.family == segall.family);
  CHECK(natural.given == segall.given);
  CHECK(person_name("Timothy R.", "Segall").given == segall.given);

  CHECK(person_name("MÜLLER, JÜRGEN").family == "MULLER");
  CHECK(person_name("WĄSOWSKI, ŁUKASZ").family == "WASOWSKI");
  CHECK(person_name("WĄSOWSKI, ŁUKASZ").given == std::vector<std::string>{"LUKASZ"});
  CHECK(person_name("Hanſ Bœuf").family == "BOEUF");
  CHECK(person_name("Hanſ Bœuf").given == std::vector<std::string>{"HANS"});
  CHECK(person_name("Anna×Maria Smith").given == std::vector<std::string>{"ANNA", "MARIA"});
  CHECK(person_name("Straße, Anna").family == "STRASSE");
  CHECK(person_name("O'BRIEN, SEAN").family == "OBRIEN");
  CHECK(person_name("Sean O\u2019Brien").family == "OBRIEN");
  // Particles are dropped wherever the record puts them, so every form of a name agrees.
  CHECK(person_name("Jan van der Berg").family == "BERG");
  CHECK(person_name("VAN DER BERG, JAN").family == "BERG");
  CHECK(person_name("BERG, JAN VAN DER").given == std::vector<std::string>{"JAN"});
  CHECK(person_name("Thanh Van", "Nguyen").given == person_name("NGUYEN, THANH VAN").given);
  CHECK(person_name("GARCIA LOPEZ, MARIA").family == "GARCIALOPEZ");
  CHECK(person_name("Jean-Pierre Dupont").given == std::vector<std::string>{"JEAN", "PIERRE"});
  // Suffixes and titles, wherever they stand, are not part of the name.
  CHECK(person_name("SMITH, JOHN, JR.").given == std::vector<std::string>{"JOHN"});
  CHECK(person_name("SMITH JR., JOHN").family == "SMITH");
  CHECK(person_name("John Smith, Jr.").family == "SMITH");  // only a suffix after the comma
  CHECK(person_name("John Smith, Jr.").given == std::vector<std::string>{"JOHN"});
  CHECK(person_name("Dr. John Smith III").given == std::vector<std::string>{"JOHN"});
  CHECK(person_name("Dr. John Smith III").family == "SMITH");
  CHECK(person_name("").family.empty());
}

TEST_CASE("BR-022: the same person allows initials and missing middle names, never a different name", "[patents][rules]") {
  auto jane = person_name("SMITH, JANE A.");
  CHECK(same_person(jane, person_name("Jane Smith")));
  CHECK(same_person(jane, person_name("J. A. Smith")));
  CHECK(same_person(jane, person_name("Jane", "Smith")));
  CHECK(same_person(person_name("MULLER, JURGEN"), person_name("Jürgen", "Müller")));
  CHECK(same_person(person_name("SMITH, JOHN, JR."), person_name("John Smith")));
  CHECK(same_person(person_name("BERG, JAN VAN DER"), person_name("Jan", "van der Berg")));
  CHECK(same_person(person_name("NGUYEN, THANH VAN"), person_name("Thanh Van Nguyen")));

  CHECK_FALSE(same_person(jane, person_name("Jane B. Smith")));
  CHECK_FALSE(same_person(jane, person_name("John Smith")));
  CHECK_FALSE(same_person(person_name("J. Smith"), person_name("K. Smith")));
  CHECK_FALSE(same_person(jane, person_name("Jane Smyth")));
  CHECK_FALSE(same_person(person_name("SMITH"), person_name("SMITH")));  // a family name alone says too little
  CHECK_FALSE(same_person(person_name(""), person_name("")));
  CHECK_FALSE(same_person(person_name(", JOHN"), person_name(", JOHN")));  // no family name
}
