#include "wasm/ingest/zip.hpp"

#include "tests/fixture_files.hpp"
#include "tests/zip_writer.hpp"

using namespace ptmc::ingest;
using namespace ptmc::testing;

namespace {

// The reads the job makes, on an archive in memory: the tail, the ZIP64 record if any, the
// directory. Answers the entries, or the first problem.
std::variant<std::vector<zip::Entry>, zip::Problem> entries_of(const std::string& archive) {
  int64_t size = static_cast<int64_t>(archive.size());
  std::string_view bytes = archive;
  auto end = zip::read_end(bytes.substr(archive.size() - std::min<size_t>(archive.size(), zip::kTailBytes)), size);
  if (auto* problem = std::get_if<zip::Problem>(&end)) return *problem;
  std::variant<zip::Directory, zip::Problem> directory = zip::Directory{};
  if (auto* found = std::get_if<zip::Directory>(&end)) directory = *found;
  else directory = zip::read_zip64_end(bytes.substr(std::get<zip::Zip64Record>(end).offset, zip::kZip64EndBytes), size);
  if (auto* problem = std::get_if<zip::Problem>(&directory)) return *problem;
  const auto& where = std::get<zip::Directory>(directory);
  return zip::read_directory(bytes.substr(where.offset, where.size), where, size);
}

std::string problem_of(const std::string& archive) {
  auto entries = entries_of(archive);
  auto* problem = std::get_if<zip::Problem>(&entries);
  return problem ? problem->reason : "";
}

// An entry's data as the host is asked to copy it.
std::string data_of(const std::string& archive, const zip::Entry& entry) {
  auto start =
      zip::data_offset(std::string_view(archive).substr(entry.local_header_offset), entry, static_cast<int64_t>(archive.size()));
  REQUIRE(std::holds_alternative<int64_t>(start));
  return archive.substr(std::get<int64_t>(start), entry.compressed_size);
}

void set_u16(std::string& bytes, size_t at, uint16_t value) {
  bytes[at] = static_cast<char>(value & 0xff);
  bytes[at + 1] = static_cast<char>(value >> 8);
}

}  // namespace

TEST_CASE("a ZIP archive's directory gives each entry's method, sizes, CRC-32 and data", "[zip]") {
  std::string grant = fixture("grant_ipg120327_one_v42.xml"), cpc = fixture("cpc-section-Y_20250501_head80.txt");
  for (bool zip64 : {false, true}) {
    DYNAMIC_SECTION((zip64 ? "ZIP64" : "ZIP")) {
      std::string archive = zip_archive({{"ipg120327.xml", grant, true}, {"docs/", "", false}, {"cpc-section-Y.txt", cpc, false}},
                                        zip64, "a comment after the end record");
      REQUIRE(zip::is_archive(archive));
      auto entries = entries_of(archive);
      REQUIRE(std::holds_alternative<std::vector<zip::Entry>>(entries));
      const auto& listed = std::get<std::vector<zip::Entry>>(entries);
      REQUIRE(listed.size() == 2);  // the folder is left out
      CHECK(listed[0].name == "ipg120327.xml");
      CHECK(listed[0].method == zip::Method::deflated);
      CHECK(listed[0].size == static_cast<int64_t>(grant.size()));
      CHECK(listed[0].crc32 == zip_crc32(grant));
      CHECK(data_of(archive, listed[0]) == deflate_raw(grant));
      CHECK(listed[1].name == "cpc-section-Y.txt");
      CHECK(listed[1].method == zip::Method::stored);
      CHECK(listed[1].compressed_size == static_cast<int64_t>(cpc.size()));
      CHECK(data_of(archive, listed[1]) == cpc);
    }
  }
  CHECK(std::get<std::vector<zip::Entry>>(entries_of(zip_archive({}))).empty());
  CHECK(zip::is_archive(zip_archive({})));
  CHECK_FALSE(zip::is_archive(grant));
}

TEST_CASE("a truncated, corrupt or unsupported archive is refused with the reason", "[zip]") {
  std::string text = fixture("cpc-section-Y_20250501_head80.txt");
  std::string archive = zip_archive({{"a.txt", text, true}, {"b.txt", text, false}});
  CHECK(problem_of(archive.substr(0, archive.size() / 2)) ==
        "it has no end-of-central-directory record: it is truncated, or not a ZIP archive");
  CHECK(problem_of(archive.substr(0, archive.size() - 1)) ==
        "it has no end-of-central-directory record: it is truncated, or not a ZIP archive");
  CHECK(problem_of(archive.substr(archive.size() / 2)) ==
        "its central directory lies past the end of the archive: the archive is truncated");
  std::string zip64 = zip_archive({{"a.txt", text}}, true);
  CHECK(problem_of(zip64.substr(60)) == "its ZIP64 end record lies past the end of the archive: the archive is truncated");
  CHECK(problem_of(zip64.substr(40)) == "its ZIP64 end record is missing or malformed");  // its offset now points elsewhere

  size_t directory = archive.find("PK\x01\x02");
  std::string corrupt = archive;
  corrupt[directory + 1] = 'X';
  CHECK(problem_of(corrupt) == "central directory entry 1 is malformed: the archive is corrupt");

  std::string encrypted = archive;
  set_u16(encrypted, directory + 8, 1);
  CHECK(problem_of(encrypted) == "a.txt is encrypted");
  std::string bzip2 = archive;
  set_u16(bzip2, directory + 10, 12);
  CHECK(problem_of(bzip2) == "a.txt uses compression method 12 (stored and deflated are read)");
  for (std::string name :
       {std::string("../a.txt"), std::string("/etc/a.txt"), std::string("a\\b.txt"), std::string("a\0b.txt", 7)})
    CHECK(problem_of(zip_archive({{name, text}})) ==
          "central directory entry 1 has a name that is empty, too long, or not a safe path");

  // The local header must be where the directory says, and the data inside the archive.
  auto entries = std::get<std::vector<zip::Entry>>(entries_of(archive));
  auto moved = entries[1];
  moved.local_header_offset += 1;
  auto start = zip::data_offset(std::string_view(archive).substr(moved.local_header_offset), moved, archive.size());
  CHECK(std::get<zip::Problem>(start).reason == "b.txt has no local header where the directory says: the archive is corrupt");
  auto longer = entries[1];
  longer.compressed_size = static_cast<int64_t>(archive.size());
  start = zip::data_offset(std::string_view(archive).substr(longer.local_header_offset), longer, archive.size());
  CHECK(std::get<zip::Problem>(start).reason == "b.txt lies past the end of the archive: the archive is truncated");
}
