// ZIP archives written by the tests (PKWARE APPNOTE 6.3, with zlib for DEFLATE and CRC-32):
// stored or deflated entries, and ZIP64 records when asked, so the reader meets each layout
// that the USPTO's archives and the tools that make them use.
#pragma once

#include <zlib.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ptmc::testing {

struct ZipEntry {
  std::string name, data;
  bool deflated = true;
};

inline uint32_t zip_crc32(std::string_view data) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

// Raw DEFLATE (no zlib header), as ZIP stores it.
inline std::string deflate_raw(std::string_view data) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// `zip64`: every size and offset in the directory saturated and given in a ZIP64 extra field,
// and the end of the archive in a ZIP64 record, as writers do for archives over 4 GiB.
inline std::string zip_archive(const std::vector<ZipEntry>& entries, bool zip64 = false, std::string comment = {}) {
  auto le = [](std::string& out, uint64_t value, int width) {
    for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  };
  std::string archive, directory;
  for (const auto& entry : entries) {
    std::string data = entry.deflated ? deflate_raw(entry.data) : entry.data;
    uint32_t crc = zip_crc32(entry.data);
    uint64_t offset = archive.size();
    uint16_t method = entry.deflated ? 8 : 0;
    le(archive, 0x04034b50, 4);
    le(archive, zip64 ? 45 : 20, 2);
    le(archive, 0, 2);  // flags
    le(archive, method, 2);
    le(archive, 0, 4);  // time, date
    le(archive, crc, 4);
    le(archive, data.size(), 4);
    le(archive, entry.data.size(), 4);
    le(archive, entry.name.size(), 2);
    le(archive, 0, 2);
    archive += entry.name + data;

    std::string extra;
    if (zip64) {
      le(extra, 0x0001, 2);
      le(extra, 24, 2);
      le(extra, entry.data.size(), 8);
      le(extra, data.size(), 8);
      le(extra, offset, 8);
    }
    le(directory, 0x02014b50, 4);
    le(directory, zip64 ? 45 : 20, 2);
    le(directory, zip64 ? 45 : 20, 2);
    le(directory, 0, 2);
    le(directory, method, 2);
    le(directory, 0, 4);
    le(directory, crc, 4);
    le(directory, zip64 ? 0xffffffff : data.size(), 4);
    le(directory, zip64 ? 0xffffffff : entry.data.size(), 4);
    le(directory, entry.name.size(), 2);
    le(directory, extra.size(), 2);
    le(directory, 0, 2);  // comment
    le(directory, 0, 2);  // disk
    le(directory, 0, 2);  // internal attributes
    le(directory, 0, 4);  // external attributes
    le(directory, zip64 ? 0xffffffff : offset, 4);
    directory += entry.name + extra;
  }
  uint64_t directory_offset = archive.size();
  archive += directory;
  if (zip64) {
    uint64_t record = archive.size();
    le(archive, 0x06064b50, 4);
    le(archive, 44, 8);
    le(archive, 45, 2);
    le(archive, 45, 2);
    le(archive, 0, 4);
    le(archive, 0, 4);
    le(archive, entries.size(), 8);
    le(archive, entries.size(), 8);
    le(archive, directory.size(), 8);
    le(archive, directory_offset, 8);
    le(archive, 0x07064b50, 4);
    le(archive, 0, 4);
    le(archive, record, 8);
    le(archive, 1, 4);
  }
  le(archive, 0x06054b50, 4);
  le(archive, 0, 2);
  le(archive, 0, 2);
  le(archive, zip64 ? 0xffff : entries.size(), 2);
  le(archive, zip64 ? 0xffff : entries.size(), 2);
  le(archive, zip64 ? 0xffffffff : directory.size(), 4);
  le(archive, zip64 ? 0xffffffff : directory_offset, 4);
  le(archive, comment.size(), 2);
  return archive + comment;
}

}  // namespace ptmc::testing
