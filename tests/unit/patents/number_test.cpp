// wasm/patents/number: US document numbers in the forms people write them.
#include "wasm/patents/number.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("US numbers parse in the forms people write them", "[patents]") {
  struct Case {
    const char* text;
    const char* canonical;
    const char* kind;
    bool application;
  };
  for (const Case& c : std::initializer_list<Case>{{"10,000,001", "10000001", "", false},
                                                   {"US10000001B2", "10000001", "B2", false},
                                                   {"10000001", "10000001", "", false},
                                                   {"us 10,000,001 b1", "10000001", "B1", false},
                                                   {"D662395", "D662395", "", false},
                                                   {"USD0656296S1", "D656296", "S1", false},
                                                   {"RE45,123 E", "RE45123", "E", false},
                                                   {"PP12345", "PP12345", "", false},
                                                   {"US 2012/0123456 A1", "20120123456", "A1", true},
                                                   {"20120123456", "20120123456", "", true},
                                                   {"0008144001", "8144001", "", false}}) {
    INFO(c.text);
    auto parsed = patents::parse_us_number(c.text);
    REQUIRE(parsed);
    CHECK(parsed->canonical == c.canonical);
    CHECK(parsed->kind == c.kind);
    CHECK(parsed->application == c.application);
  }
  for (const char* bad : {"", "US", "abc", "0", "D0", "123456789", "D12345678", "10000001XYZ", "10000001B22", "US10000001A1",
                          "20120123456B1", "10 000 001;", "RE", "1e5", "10000001Z"}) {
    INFO(bad);
    CHECK_FALSE(patents::parse_us_number(bad));
  }
}
