// wasm/http/message: headers by name in any case, and their wire form as lines.
#include "wasm/http/frame_codec.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("headers are found and replaced by name in any case", "[http]") {
  http::Headers headers;
  headers.append("Set-Cookie", "a=1");
  headers.append("set-cookie", "b=2");
  headers.append("X-Request-Id", "req_1");
  CHECK(headers.get("SET-COOKIE") == "a=1");
  CHECK(headers.get("x-request-id") == "req_1");
  CHECK_FALSE(headers.get("x-request"));
  CHECK_FALSE(headers.get("x-request-idd"));
  headers.set("Set-cookie", "c=3");
  CHECK(headers.to_lines() == "x-request-id:req_1\nset-cookie:c=3\n");
  headers.remove("X-REQUEST-ID");
  CHECK(headers.to_lines() == "set-cookie:c=3\n");
}

TEST_CASE("headers as lines survive the trip with their order, repeats and colons in values", "[http]") {
  http::Headers headers;
  headers.append("Accept", "*/*");
  headers.append("link", "<https://a.test/x?y=1>; rel=\"next\"");
  headers.append("link", "");
  headers.append("if-none-match", "W/\"1:2\"");
  auto back = http::Headers::from_lines(headers.to_lines());
  REQUIRE(back);
  CHECK(back->entries() == headers.entries());
  CHECK(back->get("accept") == "*/*");
  CHECK(http::Headers::from_lines("")->entries().empty());
}

TEST_CASE("header lines that HTTP could not have sent are refused", "[http]") {
  using namespace std::string_literals;
  for (std::string lines : {"accept:*/*"s, "accept\n"s, ":nameless\n"s, "accept:a\rb\n"s, "accept:a\0b\n"s, "accept:*/*\n\n"s}) {
    INFO(lines);
    CHECK_FALSE(http::Headers::from_lines(lines));
  }
}

TEST_CASE("a header HTTP forbids cannot split into two lines", "[http]") {
  http::Headers headers;
  headers.append("x-note", "a:b\r\nset-cookie:c=d");
  headers.append("x:y", "1");
  std::string lines = headers.to_lines();
  CHECK(lines == std::string("x-note:a:b\0\0set-cookie:c=d\nx\0y:1\n", 33));
  CHECK_FALSE(http::Headers::from_lines(lines));  // and the native host, as the platform, refuses it
}

TEST_CASE("a response read back from its frame is the response sent", "[http]") {
  http::Response sent{404, {}, R"({"error":{}})"};
  sent.headers.set("content-type", "application/json; charset=utf-8");
  sent.headers.append("vary", "origin");
  auto frame = http::response_to_frame(sent);
  auto back = http::response_from_frame(frame);
  REQUIRE(back);
  CHECK(back->status == 404);
  CHECK(back->body == sent.body);
  CHECK(back->headers.entries() == sent.headers.entries());
}
