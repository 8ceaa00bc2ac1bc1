// R2: the `BLOBS` bucket. Large objects are read in byte ranges so module memory stays
// bounded whatever the object's size.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/runtime/effect.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::r2 {

// A byte range: [offset, offset + length), or the last `suffix` bytes.
struct Range {
  std::optional<int64_t> offset;
  std::optional<int64_t> length;
  std::optional<int64_t> suffix;
};

struct ObjectInfo {
  std::string key;
  int64_t size = 0;
  std::string etag;
  std::string content_type;
  int64_t uploaded_ms = 0;
};

struct Object {
  ObjectInfo info;
  std::string body;          // the requested range, or the whole object
  int64_t range_offset = 0;  // where `body` starts within the object
};

struct Listing {
  std::vector<ObjectInfo> objects;
  bool truncated = false;
  std::string cursor;
};

Effect<std::optional<Object>> get(std::string key, std::optional<Range> range = std::nullopt);
Effect<std::optional<ObjectInfo>> head(std::string key);
Effect<ObjectInfo> put(std::string key, std::string body, std::string content_type = {});
Effect<bool> remove(std::vector<std::string> keys);

// Downloads `url` (sending `headers`) into `key` (stored with `content_type` when given),
// streamed by the host so the module never holds the file. `status` is the origin's HTTP status; `object` is set when it answered
// 200 and the object was stored; `problem` when it answered 200 but its body fell short of its Content-Length (nothing is
// stored). Network errors and the timeout fail the effect.
struct Download {
  int status = 0;
  std::optional<ObjectInfo> object;
  std::string problem;
};
Effect<Download> put_from_url(std::string url, http::Headers headers, std::string key, int64_t timeout_ms,
                              std::string content_type = {});
// Copies `length` bytes of `from` at `offset` into `to`, inflated on the way when `deflated`
// (raw DEFLATE, as in a ZIP entry), streamed by the host so the module never holds them. The
// host checks the copy's size (and CRC-32, when given) before the put completes, so a mismatch
// or a broken stream stores nothing and answers `problem`.
struct Unpack {
  std::string from;
  int64_t offset = 0, length = 0;
  bool deflated = false;
  int64_t size = 0;
  std::optional<uint32_t> crc32;
  std::string to;
  std::string content_type;
};
struct Unpacked {
  std::optional<ObjectInfo> object;
  std::string problem;  // when nothing was stored
};
Effect<Unpacked> unpack(Unpack request);
Effect<Listing> list(std::string prefix, std::string cursor = {}, int limit = 1000);

}  // namespace ptmc::r2
