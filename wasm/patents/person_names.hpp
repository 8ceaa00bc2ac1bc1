// People's names as the USPTO records them, compared as one person (docs/rules.md, BR-021 and
// BR-022): an inventor of a grant ("Timothy R." and "Segall") is the assignor "SEGALL, TIMOTHY
// R." of an employer assignment, and "Jürgen Müller" is "MULLER, JURGEN".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ptmc::patents {

struct PersonName {
  std::string family;              // its words joined without spaces: "GARCIALOPEZ"
  std::vector<std::string> given;  // in order: {"TIMOTHY", "R"}
};

// BR-021. Letters folded to ASCII upper case (Latin-1 and Latin Extended-A letters to their
// base letters: "Ü" to "U", "ß" to "SS", "Ł" to "L"), apostrophes dropped ("O'BRIEN" is
// "OBRIEN"), any other ASCII punctuation a space. Generational suffixes (JR, SR, II, III, IV),
// titles (DR, MR, MRS, MS, PROF) and particles (VAN, DER, DE, …) are dropped wherever they
// stand: records of one person differ in having them and in where they put them. A name with a
// comma is "FAMILY, GIVEN…" (unless only a suffix follows it); without one it is "Given…
// Family", the family name being the last word.
PersonName person_name(std::string_view recorded);
// An inventor as a grant lists one: given names and family name apart.
PersonName person_name(std::string_view given, std::string_view family);

// BR-022. The same person: equal family names, at least one given name on each side, and each
// given name that both sides have (first with first, second with second) equal, or one of them
// a single letter that begins the other ("J" and "JANE"). "SMITH, JANE A." is "Jane Smith" and
// "J. A. Smith", but not "Jane B. Smith" nor "John Smith".
bool same_person(const PersonName& a, const PersonName& b);

}  // namespace ptmc::patents
