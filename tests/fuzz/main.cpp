// libFuzzer's driver, on the Wasm module's stack (tests/wasm_stack.hpp): every input of every
// target runs there, with no thread handed an input per run. Linked with libFuzzer's no-main
// runtime (tests/CMakeLists.txt); each target defines LLVMFuzzerTestOneInput.
#include "tests/wasm_stack.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerRunDriver(int* argc, char*** argv, int (*callback)(const uint8_t* data, size_t size));

int main(int argc, char** argv) {
  return ptmc::testing::on_wasm_stack([&] { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); });
}
