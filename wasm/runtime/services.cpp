#include "wasm/runtime/services.hpp"

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

namespace {

// Bytes from the platform's CSPRNG, taken 256 at a time (getentropy's most per call) and handed
// out once each, wiped as they go: a request id costs a host call per 21 requests, not one each.
class EntropyPool {
 public:
  void take(uint8_t* out, size_t length) {
    while (length > 0) {
      if (left_ == 0) refill();
      size_t chunk = length < left_ ? length : left_;
      uint8_t* from = bytes_ + sizeof bytes_ - left_;
      std::memcpy(out, from, chunk);
      std::memset(from, 0, chunk);
      left_ -= chunk;
      out += chunk;
      length -= chunk;
    }
  }

 private:
  void refill() {
    if (getentropy(bytes_, sizeof bytes_) != 0) std::abort();  // no CSPRNG: nothing safe to do
    left_ = sizeof bytes_;
  }
  uint8_t bytes_[256] = {};
  size_t left_ = 0;
};

EntropyPool entropy;

}  // namespace

void random_bytes(uint8_t* out, size_t length) {
  if (overrides.random_bytes) return overrides.random_bytes(out, length);
  entropy.take(out, length);
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
