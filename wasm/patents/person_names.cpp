#include "wasm/patents/person_names.hpp"

#include <algorithm>
#include <span>

namespace ptmc::patents {
namespace {

// U+00C0 to U+017F as ASCII upper case, from their Unicode decompositions (× and ÷ are spaces;
// the letters that have none, such as Æ, Ø, ß, Ł and Œ, by their usual transliteration).
// Two characters each, a space filling the second when one is enough.
constexpr std::string_view kLatinFolds =
    "A A A A A A AEC E E E E I I I I D N O O O O O   O U U U U Y THSS"
    "A A A A A A AEC E E E E I I I I D N O O O O O   O U U U U Y THY "
    "A A A A A A C C C C C C C C D D D D E E E E E E E E E E G G G G "
    "G G G G H H H H I I I I I I I I I I IJIJJ J K K K L L L L L L L "
    "L L L N N N N N N N N N O O O O O O OEOER R R R R R S S S S S S "
    "S S T T T T T T U U U U U U U U U U U U W W Y Y Y Z Z Z Z Z Z S ";

constexpr std::string_view kParticles[] = {"VAN", "VON", "DER", "DEN", "DE",  "DI",  "DA", "DU",  "DEL", "DELLA",
                                           "DOS", "DAS", "LA",  "LE",  "TER", "TEN", "ST", "BIN", "AL"};
constexpr std::string_view kDropped[] = {"JR", "SR", "II", "III", "IV", "DR", "MR", "MRS", "MS", "PROF"};

bool is_one_of(std::span<const std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The words of `text`, folded as BR-021 says, without suffixes and titles.
std::vector<std::string> words(std::string_view text) {
  std::string folded;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'a' && c <= 'z') folded += static_cast<char>(c - 32);
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) folded += static_cast<char>(c);
    else if (c == '\'') continue;
    else if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      unsigned code = ((c & 0x1Fu) << 6) | (next & 0x3Fu);
      if ((next & 0xC0u) == 0x80u && code >= 0xC0 && code < 0x180) {
        std::string_view fold = kLatinFolds.substr((code - 0xC0) * 2, 2);
        folded += fold.back() == ' ' ? fold.substr(0, 1) : fold;
        ++i;
      } else {
        folded += ' ';
      }
    } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0x99) {
      i += 2;  // a typographic apostrophe, U+2019
    } else if (c >= 0x80) {
      folded += static_cast<char>(c);  // another script's letters stay as they are
    } else {
      folded += ' ';
    }
  }
  std::vector<std::string> out;
  size_t at = 0;
  while (at < folded.size()) {
    size_t start = folded.find_first_not_of(' ', at);
    if (start == std::string::npos) break;
    size_t end = folded.find(' ', start);
    std::string word = folded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!is_one_of(kDropped, word)) out.push_back(std::move(word));
    at = end == std::string::npos ? folded.size() : end;
  }
  return out;
}

// The words that are not particles; all of them when nothing else would be left.
std::vector<std::string> without_particles(std::vector<std::string> list) {
  std::vector<std::string> kept;
  for (auto& word : list)
    if (!is_one_of(kParticles, word)) kept.push_back(std::move(word));
  return kept.empty() ? list : kept;
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& word : list) out += word;
  return out;
}

bool compatible(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.size() == 1) return b.front() == a.front();
  return b.size() == 1 && a.front() == b.front();
}

}  // namespace

PersonName person_name(std::string_view recorded) {
  // "FAMILY, GIVEN", unless all that follows the comma is a suffix ("John Smith, Jr.").
  if (size_t comma = recorded.find(','); comma != std::string_view::npos && !words(recorded.substr(comma + 1)).empty())
    return person_name(recorded.substr(comma + 1), recorded.substr(0, comma));
  auto all = without_particles(words(recorded.substr(0, recorded.find(','))));
  if (all.empty()) return {};
  PersonName name{std::move(all.back()), std::move(all)};
  name.given.pop_back();
  return name;
}

PersonName person_name(std::string_view given, std::string_view family) {
  return {joined(without_particles(words(family))), without_particles(words(given))};
}

bool same_person(const PersonName& a, const PersonName& b) {
  if (a.family.empty() || a.family != b.family || a.given.empty() || b.given.empty()) return false;
  size_t shared = std::min(a.given.size(), b.given.size());
  for (size_t i = 0; i < shared; ++i)
    if (!compatible(a.given[i], b.given[i])) return false;
  return true;
}

}  // namespace ptmc::patents
