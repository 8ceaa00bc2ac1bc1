#include "wasm/ingest/zip.hpp"

namespace ptmc::ingest::zip {
namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kDirectorySignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr size_t kEndBytes = 22, kZip64LocatorBytes = 20, kDirectoryHeaderBytes = 46;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kEncrypted = 1 << 0, kStrongEncryption = 1 << 6;
constexpr size_t kMaxNameBytes = 512;  // an R2 key holds it with the staging prefix

// Little-endian fields at `at`; the caller has checked the bytes are there.
uint64_t read_le(std::string_view bytes, size_t at, size_t width) {
  uint64_t value = 0;
  for (size_t i = width; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}
uint16_t u16(std::string_view bytes, size_t at) { return static_cast<uint16_t>(read_le(bytes, at, 2)); }
uint32_t u32(std::string_view bytes, size_t at) { return static_cast<uint32_t>(read_le(bytes, at, 4)); }
uint64_t u64(std::string_view bytes, size_t at) { return read_le(bytes, at, 8); }

Problem problem(std::string reason) { return {std::move(reason)}; }

// Where a directory of `size` bytes at `offset` with `entries` entries fits the archive.
std::variant<Directory, Problem> checked(uint64_t offset, uint64_t size, uint64_t entries, int64_t archive_size) {
  if (offset > static_cast<uint64_t>(archive_size) || size > static_cast<uint64_t>(archive_size) - offset)
    return problem("its central directory lies past the end of the archive: the archive is truncated");
  if (size > static_cast<uint64_t>(kMaxDirectoryBytes))
    return problem("its central directory is " + std::to_string(size) + " bytes, over the limit of " +
                   std::to_string(kMaxDirectoryBytes));
  if (entries > static_cast<uint64_t>(kMaxEntries))
    return problem("it has " + std::to_string(entries) + " entries, over the limit of " + std::to_string(kMaxEntries));
  return Directory{static_cast<int64_t>(offset), static_cast<int64_t>(size), static_cast<int64_t>(entries)};
}

// A name that is safe as the tail of an R2 key and as a file name: no absolute path, no
// "..", no backslash, no control characters.
bool safe_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes || name.front() == '/') return false;
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
  for (size_t begin = 0; begin <= name.size();) {
    size_t end = name.find('/', begin);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(begin, end - begin) == "..") return false;
    begin = end + 1;
  }
  return true;
}

// The ZIP64 extra field replaces each 32-bit size or offset that reads 0xFFFFFFFF, in the
// order uncompressed size, compressed size, local header offset.
bool apply_zip64_extra(std::string_view extra, Entry& entry, bool size_saturated, bool compressed_saturated,
                       bool offset_saturated) {
  for (size_t at = 0; at + 4 <= extra.size();) {
    uint16_t id = u16(extra, at), length = u16(extra, at + 2);
    if (at + 4 + length > extra.size()) return false;
    if (id == kZip64ExtraId) {
      std::string_view field = extra.substr(at + 4, length);
      size_t read = 0;
      for (auto [saturated, target] : {std::pair{size_saturated, &entry.size},
                                       {compressed_saturated, &entry.compressed_size},
                                       {offset_saturated, &entry.local_header_offset}}) {
        if (!saturated) continue;
        if (read + 8 > field.size()) return false;
        uint64_t value = u64(field, read);
        if (value > static_cast<uint64_t>(INT64_MAX)) return false;
        *target = static_cast<int64_t>(value);
        read += 8;
      }
      return true;
    }
    at += 4 + length;
  }
  return !size_saturated && !compressed_saturated && !offset_saturated;
}

}  // namespace

bool is_archive(std::string_view first_bytes) {
  if (first_bytes.size() < 4) return false;
  uint32_t signature = u32(first_bytes, 0);
  return signature == kLocalHeaderSignature || signature == kEndSignature;
}

std::variant<Directory, Zip64Record, Problem> read_end(std::string_view tail, int64_t archive_size) {
  // The record is the last signature whose comment fits what follows it.
  for (size_t at = tail.size() >= kEndBytes ? tail.size() - kEndBytes + 1 : 0; at-- > 0;) {
    if (u32(tail, at) != kEndSignature || at + kEndBytes + u16(tail, at + 20) > tail.size()) continue;
    if (at >= kZip64LocatorBytes && u32(tail, at - kZip64LocatorBytes) == kZip64LocatorSignature) {
      uint64_t record = u64(tail, at - kZip64LocatorBytes + 8);
      if (archive_size < static_cast<int64_t>(kZip64EndBytes) || record > static_cast<uint64_t>(archive_size) - kZip64EndBytes)
        return problem("its ZIP64 end record lies past the end of the archive: the archive is truncated");
      return Zip64Record{static_cast<int64_t>(record)};
    }
    if (u16(tail, at + 4) != 0 || u16(tail, at + 6) != 0) return problem("it spans several disks");
    auto directory = checked(u32(tail, at + 16), u32(tail, at + 12), u16(tail, at + 10), archive_size);
    if (auto* found = std::get_if<Directory>(&directory)) return *found;
    return std::get<Problem>(directory);
  }
  return problem("it has no end-of-central-directory record: it is truncated, or not a ZIP archive");
}

std::variant<Directory, Problem> read_zip64_end(std::string_view record, int64_t archive_size) {
  if (record.size() < static_cast<size_t>(kZip64EndBytes) || u32(record, 0) != kZip64EndSignature)
    return problem("its ZIP64 end record is missing or malformed");
  if (u32(record, 16) != 0 || u32(record, 20) != 0) return problem("it spans several disks");
  return checked(u64(record, 48), u64(record, 40), u64(record, 32), archive_size);
}

std::variant<std::vector<Entry>, Problem> read_directory(std::string_view bytes, const Directory& directory,
                                                         int64_t archive_size) {
  std::vector<Entry> entries;
  size_t at = 0;
  for (int64_t index = 1; index <= directory.entries; ++index) {
    std::string where = "central directory entry " + std::to_string(index);
    if (at + kDirectoryHeaderBytes > bytes.size() || u32(bytes, at) != kDirectorySignature)
      return problem(where + " is malformed: the archive is corrupt");
    uint16_t flags = u16(bytes, at + 8), method = u16(bytes, at + 10);
    size_t name_length = u16(bytes, at + 28), extra_length = u16(bytes, at + 30), comment_length = u16(bytes, at + 32);
    size_t name_at = at + kDirectoryHeaderBytes;
    if (name_at + name_length + extra_length + comment_length > bytes.size())
      return problem(where + " is malformed: the archive is corrupt");
    Entry entry;
    entry.name = std::string(bytes.substr(name_at, name_length));
    entry.crc32 = u32(bytes, at + 16);
    uint32_t compressed = u32(bytes, at + 20), size = u32(bytes, at + 24), offset = u32(bytes, at + 42);
    entry.compressed_size = compressed;
    entry.size = size;
    entry.local_header_offset = offset;
    if (!apply_zip64_extra(bytes.substr(name_at + name_length, extra_length), entry, size == UINT32_MAX, compressed == UINT32_MAX,
                           offset == UINT32_MAX))
      return problem(where + " has a malformed ZIP64 extra field");
    at = name_at + name_length + extra_length + comment_length;
    if (!safe_name(entry.name)) return problem(where + " has a name that is empty, too long, or not a safe path");
    if (flags & (kEncrypted | kStrongEncryption)) return problem(entry.name + " is encrypted");
    if (method != static_cast<uint16_t>(Method::stored) && method != static_cast<uint16_t>(Method::deflated))
      return problem(entry.name + " uses compression method " + std::to_string(method) + " (stored and deflated are read)");
    entry.method = static_cast<Method>(method);
    if (entry.local_header_offset > directory.offset || entry.compressed_size > archive_size)
      return problem(entry.name + " lies past the end of the archive: the archive is truncated or corrupt");
    if (entry.name.back() == '/') continue;  // a folder
    entries.push_back(std::move(entry));
  }
  if (at != bytes.size()) return problem("its central directory does not end where its end record says");
  return entries;
}

std::variant<int64_t, Problem> data_offset(std::string_view local_header, const Entry& entry, int64_t archive_size) {
  if (local_header.size() < static_cast<size_t>(kLocalHeaderBytes) || u32(local_header, 0) != kLocalHeaderSignature)
    return problem(entry.name + " has no local header where the directory says: the archive is corrupt");
  int64_t start = entry.local_header_offset + kLocalHeaderBytes + u16(local_header, 26) + u16(local_header, 28);
  if (start > archive_size || entry.compressed_size > archive_size - start)
    return problem(entry.name + " lies past the end of the archive: the archive is truncated");
  return start;
}

}  // namespace ptmc::ingest::zip
