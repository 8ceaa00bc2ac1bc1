// wasm/auth/api_key: the key format.
#include "wasm/auth/api_key.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("key format: prefix, 256 random bits in base62, CRC-32 checksum", "[auth]") {
  std::string key = auth::generate_api_key("live");
  CHECK(key.size() == 59);
  CHECK(key.rfind("ptmc_live_", 0) == 0);
  REQUIRE(auth::parse_api_key(key));
  CHECK(auth::parse_api_key(key)->mode == "live");
  CHECK(auth::parse_api_key(key)->last4 == key.substr(55));
  CHECK(auth::parse_api_key(auth::generate_api_key("test"))->mode == "test");
  CHECK(auth::generate_api_key("live") != key);
  // Any single-character change is caught by the checksum.
  for (size_t at = 10; at < key.size(); ++at) {
    std::string typo = key;
    typo[at] = typo[at] == 'a' ? 'b' : 'a';
    CHECK_FALSE(auth::parse_api_key(typo));
  }
  CHECK_FALSE(auth::parse_api_key(key.substr(0, 58)));
  CHECK_FALSE(auth::parse_api_key("ptmc_prod_" + key.substr(10)));
  CHECK_FALSE(auth::parse_api_key("sk_live_" + key.substr(8)));
}
