#include "wasm/runtime/wire.hpp"

#include <catch2/catch.hpp>

using ptmc::Json;
namespace wire = ptmc::wire;

TEST_CASE("a frame survives encode and decode with binary blobs intact", "[wire]") {
  wire::Frame frame;
  frame.meta = {{"kind", "r2.put"}, {"key", "raw/us/é"}};
  std::string binary("\x00\xff\x01\r\n\x00", 6);
  frame.meta["body"] = frame.add_blob(binary);
  frame.add_blob("");

  auto decoded = wire::decode(wire::encode(frame));
  REQUIRE(decoded);
  CHECK(decoded->meta == frame.meta);
  REQUIRE(decoded->blobs.size() == 2);
  CHECK(decoded->blobs[0] == binary);
  CHECK(decoded->blobs[1].empty());
  CHECK(decoded->take_blob(decoded->meta, "body") == binary);
}

TEST_CASE("decode rejects every malformed frame", "[wire]") {
  std::string good = wire::encode(wire::Frame{{{"a", 1}}, {"xyz"}});
  SECTION("truncated anywhere") {
    for (size_t length = 0; length < good.size(); ++length) CHECK_FALSE(wire::decode(good.substr(0, length)));
  }
  SECTION("trailing bytes") { CHECK_FALSE(wire::decode(good + "!")); }
  SECTION("metadata that is not a JSON object") {
    CHECK_FALSE(wire::decode(wire::encode(wire::Frame{Json::array({1, 2}), {}})));
    std::string not_json = good;
    not_json[4] = '}';
    CHECK_FALSE(wire::decode(not_json));
  }
  SECTION("a blob count larger than the bytes could hold") {
    std::string huge = good;
    size_t count_at = 4 + 7;  // after meta {"a":1}
    huge[count_at] = '\xff';
    huge[count_at + 1] = '\xff';
    CHECK_FALSE(wire::decode(huge));
  }
}

TEST_CASE("take_blob ignores indexes that name no blob", "[wire]") {
  wire::Frame frame{{{"body", 3}, {"neg", -1}, {"text", "0"}}, {"only"}};
  CHECK_FALSE(frame.take_blob(frame.meta, "body"));
  CHECK_FALSE(frame.take_blob(frame.meta, "neg"));
  CHECK_FALSE(frame.take_blob(frame.meta, "text"));
  CHECK_FALSE(frame.take_blob(frame.meta, "missing"));
}
