// wasm/http/range: which bytes a Range header asks for.
#include "wasm/http/range.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using Kind = http::RangeSelection::Kind;

namespace {

void check_range(const char* header, int64_t size, Kind kind, int64_t offset = 0, int64_t length = 0) {
  INFO((header ? header : "(none)") << " of " << size);
  auto selection = http::select_range(header ? std::optional<std::string_view>(header) : std::nullopt, size);
  CHECK(selection.kind == kind);
  if (kind == Kind::unsatisfiable) return;
  CHECK(selection.range.offset == offset);
  CHECK(selection.range.length == length);
}

}  // namespace

TEST_CASE("Range headers select one range, or the whole, or nothing", "[documents]") {
  check_range(nullptr, 1000, Kind::whole, 0, 1000);
  check_range("bytes=0-499", 1000, Kind::partial, 0, 500);
  check_range("bytes=500-", 1000, Kind::partial, 500, 500);      // open-ended
  check_range("bytes=-200", 1000, Kind::partial, 800, 200);      // suffix
  check_range("bytes=-5000", 1000, Kind::partial, 0, 1000);      // a suffix longer than the whole
  check_range("bytes=900-5000", 1000, Kind::partial, 900, 100);  // an end past the end is clamped
  check_range("Bytes=10-19 ", 1000, Kind::partial, 10, 10);      // the unit is case-insensitive
  check_range("bytes=999-999", 1000, Kind::partial, 999, 1);
  check_range("bytes=1000-", 1000, Kind::unsatisfiable);  // starts past the end
  check_range("bytes=1000-1001", 1000, Kind::unsatisfiable);
  check_range("bytes=-0", 1000, Kind::unsatisfiable);
  check_range("bytes=0-", 0, Kind::unsatisfiable);  // nothing to send
  for (const char* ignored : {"bytes=5-1", "bytes=a-b", "bytes=0-1,5-9", "items=0-1", "bytes", "bytes=--1", "bytes=-",
                              "bytes=99999999999999999999-", "bytes = 10-19"})
    check_range(ignored, 1000, Kind::whole, 0, 1000);
}
