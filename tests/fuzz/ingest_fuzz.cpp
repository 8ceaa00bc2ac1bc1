// libFuzzer: the USPTO parsers on arbitrary bytes, fed in chunks whose sizes come from the
// input, for every record kind. Nothing may crash, hang or read out of bounds; every record
// a mapper accepts must carry what identifies it.
#include "wasm/ingest/uspto.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace ptmc::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const char* record_name : {"us-patent-grant", "patent-assignment"}) {
    RecordReader reader(record_name);
    size_t fed = 0;
    for (int steps = 0; steps < 100000; ++steps) {
      auto result = reader.next();
      if (result.kind == RecordReader::Result::Kind::done || result.kind == RecordReader::Result::Kind::error) break;
      if (result.kind == RecordReader::Result::Kind::need_more) {
        if (fed < bytes.size()) {
          reader.feed(bytes.substr(fed, chunk));
          fed += std::min(chunk, bytes.size() - fed);
        } else {
          reader.finish();
        }
        continue;
      }
      std::string problem;
      if (std::string_view(record_name) == "us-patent-grant") {
        if (auto grant = read_grant(result.record, problem); grant && (grant->number.empty() || grant->title.empty())) std::abort();
      } else if (auto assignment = read_assignment(result.record, problem); assignment && assignment->reel <= 0) {
        std::abort();
      }
    }
  }
  std::string problem;
  if (auto line = read_cpc_line(bytes, problem); line && (line->symbol.empty() || line->title.empty())) std::abort();
  return 0;
}
