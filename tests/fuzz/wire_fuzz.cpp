// Any bytes into the frame decoder: it never crashes, and whatever it accepts re-encodes to
// a frame that decodes the same. Inputs run on the Wasm module's stack (tests/fuzz/main.cpp).
#include "wasm/runtime/wire.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto frame = ptmc::wire::decode({reinterpret_cast<const char*>(data), size});
  if (!frame) return 0;
  auto again = ptmc::wire::decode(ptmc::wire::encode(*frame));
  if (!again || again->meta != frame->meta || again->blobs != frame->blobs) std::abort();
  return 0;
}
