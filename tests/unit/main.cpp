// The unit tests' runner: no host and no SQLite (this executable links neither), on the Wasm
// module's stack (tests/wasm_stack.hpp), with seeded randomness so that a failure reproduces.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/wasm_stack.hpp"
#include "wasm/runtime/services.hpp"

#include <random>

int main(int argc, char** argv) {
  std::mt19937_64 random(20261201);
  ptmc::services::override_for_host({.random_bytes = [&](uint8_t* out, size_t length) {
    for (size_t i = 0; i < length; ++i) out[i] = uint8_t(random());
  }});
  return ptmc::testing::on_wasm_stack([&] { return Catch::Session().run(argc, argv); });
}
