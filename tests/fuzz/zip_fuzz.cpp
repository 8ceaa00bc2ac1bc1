// libFuzzer: arbitrary bytes as a ZIP archive, read the way an ingestion job reads one (its end,
// the ZIP64 record, the directory, each entry's local header). Nothing may crash or read out of
// bounds, and every entry the reader accepts must have a safe name and its data inside the archive.
#include "wasm/ingest/zip.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace ptmc::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view archive(reinterpret_cast<const char*>(data), size);
  int64_t archive_size = static_cast<int64_t>(size);
  auto end = zip::read_end(archive.substr(size - std::min<size_t>(size, zip::kTailBytes)), archive_size);
  std::variant<zip::Directory, zip::Problem> directory = zip::Problem{};
  if (auto* found = std::get_if<zip::Directory>(&end)) directory = *found;
  else if (auto* record = std::get_if<zip::Zip64Record>(&end)) {
    if (record->offset < 0 || record->offset + zip::kZip64EndBytes > archive_size) std::abort();
    directory = zip::read_zip64_end(archive.substr(record->offset, zip::kZip64EndBytes), archive_size);
  }
  auto* where = std::get_if<zip::Directory>(&directory);
  if (!where) return 0;
  if (where->offset < 0 || where->size < 0 || where->offset + where->size > archive_size) std::abort();
  auto entries = zip::read_directory(archive.substr(where->offset, where->size), *where, archive_size);
  auto* listed = std::get_if<std::vector<zip::Entry>>(&entries);
  if (!listed) return 0;
  for (const auto& entry : *listed) {
    std::string wrapped = "/" + entry.name + "/";
    if (entry.name.empty() || entry.name.front() == '/' || wrapped.find("/../") != std::string::npos ||
        entry.name.find('\\') != std::string::npos)
      std::abort();
    if (entry.local_header_offset < 0 || entry.local_header_offset > archive_size) std::abort();
    auto start = zip::data_offset(archive.substr(entry.local_header_offset), entry, archive_size);
    if (auto* at = std::get_if<int64_t>(&start); at && (*at < 0 || *at + entry.compressed_size > archive_size)) std::abort();
  }
  return 0;
}
