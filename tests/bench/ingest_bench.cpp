// The assignment parser natively (native-release preset): the real sample records repeated
// to any size, fed in 1 MB chunks (as R2 ranges reach the consumer) through RecordReader and
// read_assignment. The input is generated chunk by chunk, so the process's peak RSS is the
// parser's own. Prints one JSON object. Usage: bench_ingest [megabytes]
#include "wasm/ingest/uspto.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace ptmc::ingest;

namespace {

// The process's peak resident set (VmHWM), in KiB. Not getrusage's ru_maxrss, which counts
// the memory of the process that forked this one (a Node benchmark runner) before exec.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

}  // namespace

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
  // About 1 MB of whole records: the file is its head, this block again and again, its tail.
  std::string block;
  while (block.size() < (1 << 20)) block += sample.substr(first, last - first);
  size_t repeats = (megabytes * 1'000'000 + block.size() - 1) / block.size();

  auto start = std::chrono::steady_clock::now();
  RecordReader reader("patent-assignment");
  size_t fed = 0, records = 0, refused = 0, total = 0;
  for (bool more = true; more;) {
    auto result = reader.next();
    std::string problem;
    switch (result.kind) {
      case RecordReader::Result::Kind::record:
        (read_assignment(result.record, problem) ? records : refused) += 1;
        break;
      case RecordReader::Result::Kind::need_more: {
        std::string_view chunk = fed == 0             ? std::string_view(sample).substr(0, first)
                                 : fed <= repeats     ? std::string_view(block)
                                 : fed == repeats + 1 ? std::string_view(sample).substr(last)
                                                      : std::string_view();
        ++fed;
        total += chunk.size();
        if (chunk.empty()) reader.finish();
        else reader.feed(chunk);
        break;
      }
      case RecordReader::Result::Kind::error:
        refused += 1;
        more = false;
        break;
      case RecordReader::Result::Kind::done:
        more = false;
        break;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"bytes\":%zu,\"records\":%zu,\"refused\":%zu,\"seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_kib\":%ld}\n", total,
              records, refused, seconds, static_cast<double>(total) / 1e6 / seconds, peak_rss_kib());
  return refused == 0 ? 0 : 1;
}
