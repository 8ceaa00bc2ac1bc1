// wasm/patents/cpc: CPC symbols at every rank.
#include "wasm/patents/cpc.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("CPC symbols parse at every rank and nothing else does", "[patents]") {
  for (auto [text, symbol] : std::initializer_list<std::pair<const char*, const char*>>{{"A", "A"},
                                                                                        {"h01", "H01"},
                                                                                        {"H01L", "H01L"},
                                                                                        {"H01L 21/02", "H01L21/02"},
                                                                                        {"A01B1%2F00", "A01B1/00"},
                                                                                        {"Y02E10/50", "Y02E10/50"},
                                                                                        {"G06F2203/04808", "G06F2203/04808"}})
    CHECK(patents::cpc_symbol(text) == std::optional<std::string>(symbol));
  for (const char* bad :
       {"", "I", "Z01", "H1", "H01LL", "H01L21", "H01L21/", "H01L/02", "H01L21/2", "H01L12345/00", "H01L21/02/03"})
    CHECK_FALSE(patents::cpc_symbol(bad));
}
