#include "wasm/runtime/wire.hpp"

#include <cstring>

namespace ptmc::wire {
namespace {

void put_u32(std::string& out, uint32_t value) {
  char bytes[4] = {static_cast<char>(value & 0xff), static_cast<char>((value >> 8) & 0xff),
                   static_cast<char>((value >> 16) & 0xff), static_cast<char>((value >> 24) & 0xff)};
  out.append(bytes, 4);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  std::optional<uint32_t> u32() {
    if (rest_.size() < 4) return std::nullopt;
    auto b = reinterpret_cast<const unsigned char*>(rest_.data());
    uint32_t value = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
    rest_.remove_prefix(4);
    return value;
  }
  std::optional<std::string_view> bytes(uint32_t length) {
    if (rest_.size() < length) return std::nullopt;
    auto out = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return out;
  }
  bool at_end() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

}  // namespace

std::optional<std::string> Frame::take_blob(const Json& object, const char* field) {
  auto index = integer_field(object, field);
  if (!index || *index < 0 || static_cast<size_t>(*index) >= blobs.size()) return std::nullopt;
  return std::move(blobs[static_cast<size_t>(*index)]);
}

std::string encode(const Frame& frame) {
  std::string meta = dump_json(frame.meta);
  size_t total = 8 + meta.size();
  for (const auto& blob : frame.blobs) total += 4 + blob.size();
  std::string out;
  out.reserve(total);
  put_u32(out, static_cast<uint32_t>(meta.size()));
  out += meta;
  put_u32(out, static_cast<uint32_t>(frame.blobs.size()));
  for (const auto& blob : frame.blobs) {
    put_u32(out, static_cast<uint32_t>(blob.size()));
    out += blob;
  }
  return out;
}

std::optional<Frame> decode(std::string_view bytes) {
  if (bytes.size() > kMaxFrameBytes) return std::nullopt;
  Reader reader(bytes);
  auto meta_len = reader.u32();
  if (!meta_len) return std::nullopt;
  auto meta_text = reader.bytes(*meta_len);
  if (!meta_text) return std::nullopt;
  auto meta = parse_json(*meta_text);
  if (!meta || !meta->is_object()) return std::nullopt;
  auto blob_count = reader.u32();
  // Each blob needs at least its 4-byte length, which bounds a hostile count.
  if (!blob_count || *blob_count > reader.remaining() / 4) return std::nullopt;
  Frame frame{std::move(*meta), {}};
  frame.blobs.reserve(*blob_count);
  for (uint32_t i = 0; i < *blob_count; ++i) {
    auto length = reader.u32();
    if (!length) return std::nullopt;
    auto blob = reader.bytes(*length);
    if (!blob) return std::nullopt;
    frame.blobs.emplace_back(*blob);
  }
  if (!reader.at_end()) return std::nullopt;
  return frame;
}

}  // namespace ptmc::wire
