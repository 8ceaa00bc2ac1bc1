// libFuzzer, one target per USPTO parser (tests/CMakeLists.txt builds this file once per
// parser, naming it in PATOMIC_FUZZ_PARSER): arbitrary bytes, fed in chunks whose sizes come
// from the input. Nothing may crash, hang or read out of bounds, and every record a parser
// accepts must carry what identifies it. Inputs run on the Wasm module's stack (tests/fuzz/main.cpp).
#include "wasm/ingest/uspto.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace ptmc::ingest;

namespace {

constexpr std::string_view kParser = PATOMIC_FUZZ_PARSER;

void check(const Record& record) {
  std::string problem;
  if (kParser == "assignment") {
    if (auto assignment = read_assignment(record, problem);
        assignment && (assignment->reel <= 0 || assignment->assignees.empty()))
      std::abort();
  } else if (auto document = read_patent_document(record, problem);
             document && (document->number.empty() || document->title.empty() || document->publication_date.size() != 10)) {
    std::abort();
  }
}

void records(std::string_view bytes, size_t chunk) {
  RecordReader reader(kParser == "assignment" ? "patent-assignment"
                      : kParser == "grant"    ? "us-patent-grant"
                                              : "us-patent-application");
  size_t fed = 0;
  for (int steps = 0; steps < 100000; ++steps) {
    auto result = reader.next();
    if (result.kind == RecordReader::Result::Kind::done || result.kind == RecordReader::Result::Kind::error) return;
    if (result.kind == RecordReader::Result::Kind::record) {
      check(result.record);
    } else if (fed < bytes.size()) {
      reader.feed(bytes.substr(fed, chunk));
      fed += std::min(chunk, bytes.size() - fed);
    } else {
      reader.finish();
    }
  }
}

void lines(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
    std::string problem;
    if (kParser == "cpc") {
      if (auto title = read_cpc_line(line, problem); title && (title->symbol.empty() || title->title.empty())) std::abort();
    } else if (kParser == "cpc_master") {
      if (auto symbol = read_cpc_master_line(line, problem);
          symbol && (symbol->patent_number.empty() || symbol->symbol.find('/') == std::string::npos || symbol->position < 0 ||
                     symbol->position > 2))
        std::abort();
    } else if (auto event = read_fee_event_line(line, problem);
               event && (event->patent_number.empty() || event->event_code.empty() || event->event_date.size() != 10)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (kParser == "cpc" || kParser == "cpc_master" || kParser == "maintenance") lines(bytes);
  else records(bytes, 1 + data[0] % 64);
  return 0;
}
