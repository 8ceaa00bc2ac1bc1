// The few things a task gets from its host synchronously: wall-clock time, randomness and a
// log sink. In the module they are WASI imports (clock_time_get, random_get, fd_write);
// the native host swaps in a controllable clock, seeded randomness and captured logs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ptmc::services {

int64_t now_ms();
void random_bytes(uint8_t* out, size_t length);
std::string random_hex(size_t bytes);
void write_log_line(std::string_view line);
// The module's linear memory (it only grows, so this is its peak); 0 natively.
int64_t linear_memory_bytes();

struct Overrides {
  std::function<int64_t()> now_ms;
  std::function<void(uint8_t*, size_t)> random_bytes;
  std::function<void(std::string_view)> log_line;
};
// For hosts only; pass {} to restore the platform services.
void override_for_host(Overrides overrides);

}  // namespace ptmc::services
