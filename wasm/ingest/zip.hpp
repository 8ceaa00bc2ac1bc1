// ZIP archives as the USPTO publishes them (PKWARE APPNOTE 6.3): the end of the archive names
// its central directory, which lists each entry's name, method, CRC-32, sizes and where its
// local header starts. Only the directory passes through the module; the entries' bytes are
// inflated by the host (r2::unpack). Sans-I/O: each function reads bytes the caller fetched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ptmc::ingest::zip {

// A file starts with a local header (an archive of entries), or is an empty archive.
bool is_archive(std::string_view first_bytes);

// The end-of-central-directory record has a 22-byte fixed part and a comment of at most
// 65,535 bytes: the end of the archive is found in this many of its last bytes.
inline constexpr int64_t kTailBytes = 22 + 65'535;
// Bounds on what the module reads: the central directory whole, in one range.
inline constexpr int64_t kMaxDirectoryBytes = 4 << 20;
inline constexpr int64_t kMaxEntries = 10'000;
// Local header: 30 fixed bytes, then the name and extra field (at most 64 KiB each).
inline constexpr int64_t kLocalHeaderBytes = 30;

struct Directory {
  int64_t offset = 0, size = 0, entries = 0;
};
// Where the ZIP64 end-of-central-directory record starts: read kZip64EndBytes there.
inline constexpr int64_t kZip64EndBytes = 56;
struct Zip64Record {
  int64_t offset = 0;
};
struct Problem {
  std::string reason;
};

// From the archive's last bytes (`tail`, the last min(size, kTailBytes) of an archive of
// `archive_size` bytes): the directory, or where its ZIP64 record is.
std::variant<Directory, Zip64Record, Problem> read_end(std::string_view tail, int64_t archive_size);
std::variant<Directory, Problem> read_zip64_end(std::string_view record, int64_t archive_size);

enum class Method : uint16_t { stored = 0, deflated = 8 };
struct Entry {
  std::string name;
  Method method = Method::stored;
  uint32_t crc32 = 0;
  int64_t compressed_size = 0, size = 0, local_header_offset = 0;
};
// The directory's entries, each checked: a supported method, not encrypted, a safe name, and
// its bytes inside the archive. Directories (names ending in '/') are left out.
std::variant<std::vector<Entry>, Problem> read_directory(std::string_view bytes, const Directory& directory,
                                                         int64_t archive_size);
// Where an entry's data starts, from the first bytes at its local header (at least
// kLocalHeaderBytes; the name and extra field that follow need not be included).
std::variant<int64_t, Problem> data_offset(std::string_view local_header, const Entry& entry, int64_t archive_size);

}  // namespace ptmc::ingest::zip
