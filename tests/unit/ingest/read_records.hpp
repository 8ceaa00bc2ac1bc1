// The records of a whole XML text, fed to a RecordReader `chunk` bytes at a time.
#pragma once

#include "wasm/ingest/records.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace ptmc::testing {

inline std::vector<ingest::Record> records(const std::string& xml, const std::string& name, size_t chunk = 4096) {
  ingest::RecordReader reader(name);
  std::vector<ingest::Record> out;
  size_t fed = 0;
  for (;;) {
    auto result = reader.next();
    if (result.kind == ingest::RecordReader::Result::Kind::record) out.push_back(std::move(result.record));
    else if (result.kind == ingest::RecordReader::Result::Kind::done) return out;
    else if (result.kind == ingest::RecordReader::Result::Kind::error) FAIL(result.problem);
    else if (fed < xml.size()) {
      reader.feed(std::string_view(xml).substr(fed, chunk));
      fed += std::min(chunk, xml.size() - fed);
    } else {
      reader.finish();
    }
  }
}

}  // namespace ptmc::testing
