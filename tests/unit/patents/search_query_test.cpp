// wasm/patents/search_query: search text as an FTS5 query.
#include "wasm/patents/search_query.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("search text becomes an FTS5 query that cannot be a syntax error", "[search]") {
  CHECK(patents::fts_query("snack piece") == "\"snack\" \"piece\"");
  CHECK(patents::fts_query("Snack-food pieces*") == "\"Snack\" \"food\" \"pieces\"*");
  CHECK(patents::fts_query("\"unbalanced AND (OR NEAR(") == "\"unbalanced\" \"AND\" \"OR\" \"NEAR\"");
  CHECK(patents::fts_query("Müller") == "\"Müller\"");
  CHECK_FALSE(patents::fts_query(""));
  CHECK_FALSE(patents::fts_query("*** --- !!!"));
  CHECK_FALSE(patents::fts_query("a b c d e f g h i j k l m n o p q"));  // 17 words
}
