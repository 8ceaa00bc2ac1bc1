// Range requests (RFC 9110 §14) for one byte range of a representation of known size:
// "bytes=0-499", "bytes=500-" (to the end), "bytes=-500" (the last 500).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ptmc::http {

struct ByteRange {
  int64_t offset = 0;
  int64_t length = 0;
};

struct RangeSelection {
  enum class Kind { whole, partial, unsatisfiable } kind = Kind::whole;
  ByteRange range;  // the bytes to send: all of them for `whole`
};

// No header, a malformed one, another unit or several ranges: the whole representation (a
// server may ignore Range, and these are not worth a multipart answer). A range that starts
// past the end, or a zero-length suffix: unsatisfiable (416).
RangeSelection select_range(std::optional<std::string_view> header, int64_t size);

}  // namespace ptmc::http
