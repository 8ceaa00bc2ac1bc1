// A small separate module exposing the assignment parser for scripts/bench: the file arrives
// in chunks, as R2 ranges reach the consumer, and the module's linear memory (which only ever
// grows) is its peak memory. Built by the wasi preset next to the product module.
#include "wasm/compat/platform.hpp"
#include "wasm/ingest/uspto.hpp"

#include <cstdlib>
#include <memory>

namespace {
std::unique_ptr<ptmc::ingest::RecordReader> reader;
uint32_t records = 0, refused = 0, errors = 0;

void drain() {
  using Kind = ptmc::ingest::RecordReader::Result::Kind;
  for (;;) {
    auto result = reader->next();
    if (result.kind == Kind::need_more || result.kind == Kind::done) return;
    if (result.kind == Kind::error) {
      ++errors;
      return;
    }
    std::string problem;
    if (ptmc::ingest::read_assignment(result.record, problem)) ++records;
    else ++refused;
  }
}
}  // namespace

PTMC_EXPORT(bench_alloc) uint8_t* bench_alloc(uint32_t length) { return static_cast<uint8_t*>(std::malloc(length ? length : 1)); }

PTMC_EXPORT(bench_begin) void bench_begin() {
  reader = std::make_unique<ptmc::ingest::RecordReader>("patent-assignment");
  records = refused = errors = 0;
}

// Answers the assignments read so far.
PTMC_EXPORT(bench_feed) uint32_t bench_feed(const char* chunk, uint32_t length) {
  reader->feed({chunk, length});
  drain();
  return records;
}

// Answers the assignments read, or -1 if any record was refused or the XML broke.
PTMC_EXPORT(bench_finish) int32_t bench_finish() {
  reader->finish();
  drain();
  return refused || errors ? -1 : static_cast<int32_t>(records);
}
