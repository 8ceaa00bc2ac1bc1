// The Catch2 runner, on the Wasm module's stack (tests/wasm_stack.hpp), failing any test whose
// requests are answered off their routes' contracts.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "bindings/native_host/host.hpp"
#include "tests/wasm_stack.hpp"

int main(int argc, char** argv) {
  // A response that departs from its route's declaration fails the test that made the request.
  ptmc::native::contract_violation_handler() = [](const std::string& violation) { FAIL_CHECK(violation); };
  return ptmc::testing::on_wasm_stack([&] { return Catch::Session().run(argc, argv); });
}
