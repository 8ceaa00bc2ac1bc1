// GET /v1/search: the query translation, then ranked, paginated hits with safe snippets.
#include "tests/flow/requests.hpp"
#include "wasm/patents/search_query.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

TEST_CASE("GET /v1/search ranks title matches first, pages, and escapes snippets", "[search]") {
  Host host;
  std::string key = owner_key(host);
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) VALUES "
      "('D656296', 'S1', 'grant', 'Ready to eat snack piece', '2012-03-27', 0), "
      "('D656308', 'S1', 'grant', 'Replaceable cartridge for a pain management system', '2012-03-27', 0), "
      "('8144001', 'B2', 'grant', 'A made-up <b>utility</b> grant', '2012-03-20', 0)");
  host.query(
      "INSERT INTO patent_text (number, title, abstract, claims) VALUES "
      "('D656296', 'Ready to eat snack piece', 'The ornamental design for a snack piece.', 'A snack piece.'), "
      "('D656308', 'Replaceable cartridge for a pain management system', 'A cartridge.', 'A cartridge.'), "
      "('8144001', 'A made-up <b>utility</b> grant', 'Crackers & snacks <script>', 'Eating snacks.')");
  auto search = [&](const std::string& query) { return host.fetch("GET", "/v1/search?" + query, bearer(key)); };

  Json hits = body_json(search("q=snacks"));
  REQUIRE(hits["data"].size() == 2);
  CHECK(hits["data"][0]["number"] == "D656296");  // "snack" in the title outweighs the abstract
  CHECK(hits["data"][0]["score"].get<double>() > hits["data"][1]["score"].get<double>());
  CHECK(hits["data"][0]["snippet_html"].get<std::string>().find("<mark>snack</mark>") != std::string::npos);
  std::string escaped = hits["data"][1]["snippet_html"];
  CHECK(escaped.find("<script>") == std::string::npos);
  CHECK(escaped.find("&lt;") != std::string::npos);
  CHECK(escaped.find("<mark>") != std::string::npos);

  Json first = body_json(search("q=snack&limit=1"));
  CHECK(first["has_more"] == true);
  Json second = body_json(search("q=snack&limit=1&cursor=" + first["next_cursor"].get<std::string>()));
  REQUIRE(second["data"].size() == 1);
  CHECK(second["data"][0]["number"] != first["data"][0]["number"]);
  CHECK(second["has_more"] == false);
  CHECK(error_code(search("q=cartridge&cursor=" + first["next_cursor"].get<std::string>())) == "invalid_cursor");

  CHECK(body_json(search("q=cart*"))["data"][0]["number"] == "D656308");
  CHECK(body_json(search("q=snack%29%28%22%3A"))["data"].size() == 2);  // FTS5 syntax characters are not syntax here
  CHECK(body_json(search("q=nothing%20matches%20this"))["data"].empty());
  CHECK(error_code(search("q=" + std::string(201, 'a'))) == "parameter_invalid");
  CHECK(error_code(search("q=%2A%2A%2A")) == "parameter_invalid");
  CHECK(error_code(search("")) == "parameter_invalid");
}

// Issue 12, item 14: `a*` matched (and ranked) nearly every document of the index.
TEST_CASE("trust 14: a prefix search needs at least 3 characters before the *", "[search][trust]") {
  CHECK_FALSE(patents::fts_query("a*"));
  CHECK_FALSE(patents::fts_query("snack p*"));
  CHECK(patents::fts_query("sna*") == "\"sna\"*");
  native::Host host;
  std::string key = testing::owner_key(host);
  auto refused = host.fetch("GET", "/v1/search?q=a*", testing::bearer(key));
  CHECK(refused.status == 400);
  CHECK(native::body_json(refused)["error"]["param"] == "q");
  CHECK(host.fetch("GET", "/v1/search?q=sna*", testing::bearer(key)).status == 200);
}
