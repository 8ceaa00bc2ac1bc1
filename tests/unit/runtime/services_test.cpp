// wasm/runtime/services: randomness from the platform, pooled but never handed out twice.
#include "wasm/runtime/services.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

TEST_CASE("random bytes from the platform's pool are fresh across refills", "[services]") {
  ptmc::services::override_for_host({});  // the platform's CSPRNG, as the module uses it
  std::set<std::string> ids;
  std::string joined;
  for (int i = 0; i < 100; ++i) {  // 1,200 bytes: the 256-byte pool refilled four times, mid-id too
    std::string id = ptmc::services::random_hex(12);
    CHECK(id.size() == 24);
    ids.insert(id);
    joined += id;
  }
  CHECK(ids.size() == 100);
  // No run of 256 bytes repeats the one before it (a pool handed out again after a refill).
  CHECK(joined.substr(0, 512) != joined.substr(512, 512));
  std::mt19937_64 random(20261203);  // seeded again, as tests/unit/main.cpp runs the rest
  ptmc::services::override_for_host({.random_bytes = [random](uint8_t* out, size_t length) mutable {
    for (size_t i = 0; i < length; ++i) out[i] = uint8_t(random());
  }});
}
