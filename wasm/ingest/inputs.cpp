#include "wasm/ingest/inputs.hpp"

#include "wasm/ingest/uspto.hpp"
#include "wasm/ingest/zip.hpp"

#include <algorithm>
#include <map>

namespace ptmc::ingest {
namespace {

constexpr int kLinesChecked = 20;  // a line file passes when one of its first lines parses

std::string file_name(const std::string& key) { return key.substr(key.rfind('/') + 1); }

// A ZIP entry the source reads: XML documents, or text files of lines.
bool wanted_entry(const Source& source, std::string_view name) {
  std::string_view extension = source.record_root.empty() ? ".txt" : ".xml";
  if (name.size() < extension.size()) return false;
  std::string tail(name.substr(name.size() - extension.size()));
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == extension;
}

// R2 etags are quoted hex; a staging key keeps only what is safe in a path.
std::string key_safe(std::string_view text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
  return out.empty() ? "_" : out;
}

bool line_reads(const Source& source, std::string_view line, std::string& problem) {
  if (source.name == "cpc") return read_cpc_line(line, problem).has_value();
  if (source.name == "cpc_master") return read_cpc_master_line(line, problem).has_value();
  return read_fee_event_line(line, problem).has_value();
}

Task<std::string> read_head(const r2::ObjectInfo& file) {
  if (file.size == 0) co_return std::string();
  auto head = co_await r2::get(file.key, r2::Range{0, std::min(kHeadBytes, file.size), std::nullopt});
  co_return head ? std::move(head->body) : std::string();
}

std::string problem_of(const Source& source, const r2::ObjectInfo& file, std::string_view head) {
  std::string problem = format_problem(source, head, file.size <= kHeadBytes);
  return problem.empty() ? problem : file_name(file.key) + " " + problem;
}

// An archive's entries that the source reads, each inflated once into `staging` + the
// archive's name and etag (a re-published archive stages afresh) + the entry's name, and
// checked to be of the source's format.
Task<Inputs> unpack_archive(const Source& source, const std::string& staging, const r2::ObjectInfo& archive,
                            Allowance& allowance) {
  auto fail = [&](std::string reason) { return Inputs{{}, "the archive " + file_name(archive.key) + ": " + reason}; };
  auto tail = co_await r2::get(archive.key, r2::Range{std::nullopt, std::nullopt, std::min(zip::kTailBytes, archive.size)});
  if (!tail) co_return fail("is gone");
  auto end = zip::read_end(tail->body, archive.size);
  if (const auto* problem = std::get_if<zip::Problem>(&end)) co_return fail(problem->reason);
  std::variant<zip::Directory, zip::Problem> directory = zip::Directory{};
  if (const auto* found = std::get_if<zip::Directory>(&end)) directory = *found;
  else {
    auto record =
        co_await r2::get(archive.key, r2::Range{std::get<zip::Zip64Record>(end).offset, zip::kZip64EndBytes, std::nullopt});
    directory = zip::read_zip64_end(record ? record->body : std::string(), archive.size);
  }
  if (const auto* problem = std::get_if<zip::Problem>(&directory)) co_return fail(problem->reason);
  const auto& where = std::get<zip::Directory>(directory);
  std::string listing;
  if (where.size > 0) {
    auto bytes = co_await r2::get(archive.key, r2::Range{where.offset, where.size, std::nullopt});
    if (bytes) listing = std::move(bytes->body);
  }
  auto entries = zip::read_directory(listing, where, archive.size);
  if (const auto* problem = std::get_if<zip::Problem>(&entries)) co_return fail(problem->reason);

  std::string prefix = staging + key_safe(file_name(archive.key)) + "/" + key_safe(archive.etag) + "/";
  std::map<std::string, r2::ObjectInfo> staged_before;  // by earlier attempts: one listing, not a HEAD per entry
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    auto listing = co_await r2::list(prefix, cursor);
    for (auto& object : listing.objects) staged_before[object.key] = std::move(object);
    if (!listing.truncated) break;
    cursor = listing.cursor;
  }
  Inputs staged;
  bool inflated = false;  // an entry, by this invocation: each one stages at least one
  for (const auto& entry : std::get<std::vector<zip::Entry>>(entries)) {
    if (!wanted_entry(source, entry.name)) continue;
    if (entry.size > kMaxStagedBytes)
      co_return fail(entry.name + " inflates to " + std::to_string(entry.size) + " bytes, over R2's single put of " +
                     std::to_string(kMaxStagedBytes));
    std::string to = prefix + entry.name;
    std::optional<r2::ObjectInfo> object;
    if (auto before = staged_before.find(to); before != staged_before.end()) object = before->second;
    if (!object || object->size != entry.size) {  // not staged by an earlier attempt
      if (inflated && allowance.spent()) {
        staged.complete = false;
        co_return staged;
      }
      inflated = true;
      allowance.start_step();
      auto header = co_await r2::get(archive.key, r2::Range{entry.local_header_offset, zip::kLocalHeaderBytes, std::nullopt});
      auto start = zip::data_offset(header ? header->body : std::string(), entry, archive.size);
      if (const auto* problem = std::get_if<zip::Problem>(&start)) co_return fail(problem->reason);
      auto unpacked = co_await r2::unpack({archive.key, std::get<int64_t>(start), entry.compressed_size,
                                           entry.method == zip::Method::deflated, entry.size, entry.crc32, to});
      allowance.copied(1);
      if (!unpacked.object) co_return fail(entry.name + ": " + unpacked.problem);
      object = std::move(unpacked.object);
    }
    if (auto problem = problem_of(source, *object, co_await read_head(*object)); !problem.empty()) co_return Inputs{{}, problem};
    staged.files.push_back(std::move(*object));
  }
  if (staged.files.empty()) co_return fail(std::string("holds no ") + (source.record_root.empty() ? ".txt" : ".xml") + " entry");
  co_return staged;
}

}  // namespace

std::string format_problem(const Source& source, std::string_view head, bool whole) {
  if (head.empty()) return "is empty";
  if (head.find('\0') != std::string_view::npos) return "is binary, not the text of a " + std::string(source.name) + " file";
  if (!source.record_root.empty()) {
    std::string_view text = head;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '<') return "is not XML: it does not start with markup";
    std::string open = "<" + std::string(source.record_root);
    for (size_t at = text.find(open); at != std::string_view::npos; at = text.find(open, at + 1)) {
      char next = at + open.size() < text.size() ? text[at + open.size()] : '>';
      if (next == '>' || next == ' ' || next == '\t' || next == '\r' || next == '\n') return {};
    }
    return "holds no <" + std::string(source.record_root) + "> record" + (whole ? "" : " in its first 64 KiB");
  }
  std::string first_problem;
  int lines = 0;
  for (size_t begin = 0; begin < head.size() && lines < kLinesChecked;) {
    size_t end = head.find('\n', begin);
    if (end == std::string_view::npos && !whole) break;  // a line cut by the head's end
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty() || line == "\r") continue;
    ++lines;
    std::string problem;
    if (line_reads(source, line, problem)) return {};
    if (first_problem.empty()) first_problem = problem;
  }
  if (lines == 0) return "holds no line";
  return "is not a " + std::string(source.name) + " file: none of its first " + std::to_string(lines) +
         " lines reads (the first: " + first_problem + ")";
}

Task<Inputs> prepare_inputs(const Source& source, std::string staging, std::vector<r2::ObjectInfo> files, Allowance& allowance) {
  Inputs inputs;
  for (const auto& file : files) {
    std::string head = co_await read_head(file);
    if (!zip::is_archive(head)) {
      if (auto problem = problem_of(source, file, head); !problem.empty()) co_return Inputs{{}, problem};
      inputs.files.push_back(file);
      continue;
    }
    auto staged = co_await unpack_archive(source, staging, file, allowance);
    if (!staged.problem.empty() || !staged.complete) co_return staged;
    for (auto& entry : staged.files) inputs.files.push_back(std::move(entry));
  }
  co_return inputs;
}

Task<void> remove_staged(std::string staging) {
  for (int page = 0; page < 100; ++page) {  // 100,000 objects: far more than a day's archives hold
    auto listing = co_await r2::list(staging);
    if (listing.objects.empty()) break;
    std::vector<std::string> keys;
    for (const auto& object : listing.objects) keys.push_back(object.key);
    co_await r2::remove(std::move(keys));
    if (!listing.truncated) break;
  }
}

}  // namespace ptmc::ingest
