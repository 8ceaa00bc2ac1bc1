// The assignment parser natively (native-release preset): the real sample records repeated to
// about 100 MB, fed in 1 MB chunks through RecordReader and read_assignment. Prints one JSON
// object. Usage: bench_ingest [megabytes]
#include "wasm/ingest/uspto.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace ptmc::ingest;

int main(int argc, char** argv) {
  size_t megabytes = argc > 1 ? static_cast<size_t>(std::atoi(argv[1])) : 100;
  std::ifstream in(std::string(PATOMIC_FIXTURES_DIR) + "/uspto/assignment_ad20160101_subset.xml", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string sample = bytes.str();
  size_t first = sample.find("<patent-assignment>");
  size_t last = sample.rfind("</patent-assignment>");
  if (first == std::string::npos || last == std::string::npos) return 1;
  last += std::string_view("</patent-assignment>").size();
  std::string file = sample.substr(0, first);
  while (file.size() < (megabytes << 20)) file += sample.substr(first, last - first);
  file += sample.substr(last);

  auto start = std::chrono::steady_clock::now();
  RecordReader reader("patent-assignment");
  size_t fed = 0, records = 0;
  constexpr size_t kChunk = 1 << 20;
  for (bool more = true; more;) {
    auto result = reader.next();
    std::string problem;
    switch (result.kind) {
      case RecordReader::Result::Kind::record: records += read_assignment(result.record, problem) ? 1 : 0; break;
      case RecordReader::Result::Kind::need_more:
        if (fed < file.size()) {
          reader.feed(std::string_view(file).substr(fed, kChunk));
          fed += kChunk;
        } else {
          reader.finish();
        }
        break;
      default: more = false;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"bytes\":%zu,\"records\":%zu,\"seconds\":%.3f,\"mb_per_s\":%.1f}\n", file.size(), records, seconds,
              static_cast<double>(file.size()) / 1e6 / seconds);
  return 0;
}
