// US patent and publication numbers in the forms people write them: "10,000,001",
// "US10000001B2", "10000001", "D662395", "USD0656296S1", "RE45,123 E", "PP12345",
// "US 2012/0123456 A1", "20120123456".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::patents {

struct DocumentNumber {
  std::string canonical;     // the patents.number key: "10000001", "D656296", "20120123456"
  std::string kind;          // the kind code when given ("B2", "S1", "A1"), else empty
  bool application = false;  // a pre-grant publication (11 digits, year first)
};

// nullopt unless the text is one US grant or publication number, with a kind code (if any)
// that fits it.
std::optional<DocumentNumber> parse_us_number(std::string_view text);

}  // namespace ptmc::patents
