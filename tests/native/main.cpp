// The Catch2 runner, on the Wasm module's stack (tests/wasm_stack.hpp).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/wasm_stack.hpp"

int main(int argc, char** argv) {
  return ptmc::testing::on_wasm_stack([&] { return Catch::Session().run(argc, argv); });
}
