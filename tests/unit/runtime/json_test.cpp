#include "wasm/runtime/json.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("JsonLine writes what a JSON parser reads back, escapes included", "[json]") {
  std::string control = "tab\there \"quoted\" back\\slash \x01";
  std::string line = JsonLine()
                         .text("plain", "request")
                         .text("escaped", control)
                         .text("utf8", "Müller")
                         .text("invalid", std::string("bad \xff byte"))
                         .number("negative", -42)
                         .number("big", int64_t{1} << 53)
                         .null("key_id")
                         .finish();
  auto parsed = parse_json(line);
  REQUIRE(parsed);
  CHECK((*parsed)["plain"] == "request");
  CHECK((*parsed)["escaped"] == control);
  CHECK((*parsed)["utf8"] == "Müller");
  CHECK((*parsed)["invalid"] == "bad \xef\xbf\xbd byte");  // U+FFFD, as dump_json replaces it
  CHECK((*parsed)["negative"] == -42);
  CHECK((*parsed)["big"] == int64_t{1} << 53);
  CHECK((*parsed)["key_id"].is_null());
  CHECK(parsed->size() == 7);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(JsonLine().finish() == "{}");
  CHECK(JsonLine().json("error", JsonLine().text("code", "x").finish()).finish() == R"({"error":{"code":"x"}})");
}
