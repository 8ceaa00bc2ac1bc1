#include "wasm/runtime/services.hpp"

#include <unistd.h>
#include <cstdio>
#include <ctime>

namespace ptmc::services {
namespace {
Overrides overrides;
}

int64_t now_ms() {
  if (overrides.now_ms) return overrides.now_ms();
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

void random_bytes(uint8_t* out, size_t length) {
  if (overrides.random_bytes) return overrides.random_bytes(out, length);
  // getentropy serves at most 256 bytes a call.
  while (length > 0) {
    size_t chunk = length < 256 ? length : 256;
    if (getentropy(out, chunk) != 0) std::abort();  // no CSPRNG: nothing safe to do
    out += chunk;
    length -= chunk;
  }
}

std::string random_hex(size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  random_bytes(reinterpret_cast<uint8_t*>(raw.data()), bytes);
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char c : raw) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

void write_log_line(std::string_view line) {
  if (overrides.log_line) return overrides.log_line(line);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

int64_t linear_memory_bytes() {
#ifdef __wasm__
  return static_cast<int64_t>(__builtin_wasm_memory_size(0)) * 65536;
#else
  return 0;
#endif
}

void override_for_host(Overrides replacement) { overrides = std::move(replacement); }

}  // namespace ptmc::services
