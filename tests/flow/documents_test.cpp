// /v1/patents/{number}/fulltext and /pdf, streaming from R2.
#include "tests/flow/requests.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

TEST_CASE("GET /v1/patents/{number}/fulltext and /pdf stream from R2 with ranges", "[documents]") {
  Host host;
  std::string key = owner_key(host);
  std::string text = "<us-patent-grant>";
  for (int i = 0; i < 100; ++i) text += "<p>claim " + std::to_string(i) + "</p>";
  text += "</us-patent-grant>";
  host.r2["patents/D656296/fulltext.xml"] = {text, "e1a2b3", "application/xml", 0};
  host.r2["patents/D656296/document.pdf"] = {"%PDF-1.4 tiny", "f00d", "application/pdf", 0};
  auto get = [&](const std::string& path, http::Headers headers) {
    auto authorization = bearer(key);
    for (const auto& [name, value] : authorization.entries()) headers.set(name, value);
    return host.fetch("GET", path, headers);
  };
  auto with = [](std::initializer_list<std::pair<const char*, std::string>> pairs) {
    http::Headers headers;
    for (auto& [name, value] : pairs) headers.set(name, value);
    return headers;
  };

  auto whole = get("/v1/patents/USD0656296S1/fulltext", {});
  REQUIRE(whole.status == 200);
  CHECK(whole.body == text);
  CHECK(whole.headers.get("etag") == "\"e1a2b3\"");
  CHECK(whole.headers.get("accept-ranges") == "bytes");
  CHECK(whole.headers.get("content-type") == "application/xml");
  CHECK(host.last_round_trips == 2);  // the key's window, the object's head; the bytes never enter the module

  auto part = get("/v1/patents/D656296/fulltext", with({{"range", "bytes=0-16"}}));
  CHECK(part.status == 206);
  CHECK(part.body == "<us-patent-grant>");
  CHECK(part.headers.get("content-range") == "bytes 0-16/" + std::to_string(text.size()));
  auto tail = get("/v1/patents/D656296/fulltext", with({{"range", "bytes=-18"}}));
  CHECK(tail.body == "</us-patent-grant>");
  auto open_ended = get("/v1/patents/D656296/fulltext", with({{"range", "bytes=" + std::to_string(text.size() - 3) + "-"}}));
  CHECK(open_ended.body == "nt>");

  auto past = get("/v1/patents/D656296/fulltext", with({{"range", "bytes=" + std::to_string(text.size()) + "-"}}));
  CHECK(past.status == 416);
  CHECK(error_code(past) == "range_not_satisfiable");
  CHECK(past.headers.get("content-range") == "bytes */" + std::to_string(text.size()));

  CHECK(get("/v1/patents/D656296/fulltext", with({{"if-none-match", "\"e1a2b3\""}})).status == 304);
  auto stale = get("/v1/patents/D656296/fulltext", with({{"range", "bytes=0-3"}, {"if-range", "\"old\""}}));
  CHECK(stale.status == 200);  // the client's copy is stale: the whole document
  CHECK(stale.body == text);
  auto head = host.fetch("HEAD", "/v1/patents/D656296/pdf", bearer(key));
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto pdf = get("/v1/patents/D656296/pdf", with({{"range", "bytes=0-7"}}));
  CHECK(pdf.body == "%PDF-1.4");
  CHECK(pdf.headers.get("content-type") == "application/pdf");

  CHECK(error_code(get("/v1/patents/D656297/fulltext", {})) == "resource_missing");
  CHECK(error_code(get("/v1/patents/nonsense/pdf", {})) == "parameter_invalid");
}

// Issue 12, item 14: documents answered to a key were marked `public`, so a shared cache could
// hand them (and the key's rate-limit headers) to anyone.
TEST_CASE("trust 14: documents served to a key are private to it", "[documents][trust]") {
  Host host;
  std::string key = owner_key(host);
  host.r2["patents/D656296/fulltext.xml"] = {"<us-patent-grant/>", "e1", "application/xml", 0};
  host.r2["patents/D656296/document.pdf"] = {"%PDF-1.4 tiny", "f00d", "application/pdf", 0};
  for (const char* path : {"/v1/patents/D656296/fulltext", "/v1/patents/D656296/pdf"}) {
    auto response = host.fetch("GET", path, bearer(key));
    INFO(path);
    CHECK(response.status == 200);
    CHECK(response.headers.get("cache-control") == "private, max-age=86400");
  }
}

TEST_CASE("a PDF not stored is fetched once from the PDF origin and kept, with ranges; without an origin, 404 says why",
          "[documents]") {
  std::string pdf = "%PDF-1.4\n" + std::string(5000, 'x') + "\n%%EOF";
  {
    Host host;  // no PDF_ORIGIN_US
    auto missing = host.fetch("GET", "/v1/patents/D656296/pdf", bearer(owner_key(host)));
    CHECK(missing.status == 404);
    CHECK(error_code(missing) == "resource_missing");
    CHECK(body_json(missing)["error"]["message"] ==
          "No PDF 'D656296'. None is stored, and no PDF origin is configured (PDF_ORIGIN_US).");
  }
  Host::Options options;
  options.vars["PDF_ORIGIN_US"] = "https://pdf.example.test/{number}.pdf";
  Host host(options);
  std::string key = owner_key(host);
  std::vector<std::string> asked;
  int status = 200;
  host.outbound = [&](const outbound::Request& request) {
    asked.push_back(request.url);
    return http::Response{status, {}, status == 200 ? pdf : "no"};
  };
  auto first = host.fetch("GET", "/v1/patents/USD0656296S1/pdf", bearer(key));
  CHECK(first.status == 200);
  CHECK(first.body == pdf);
  CHECK(first.headers.get("content-type") == "application/pdf");
  CHECK(asked == std::vector<std::string>{"https://pdf.example.test/D656296.pdf"});
  http::Headers range = bearer(key);
  range.set("range", "bytes=0-7");
  auto part = host.fetch("GET", "/v1/patents/D656296/pdf", range);
  CHECK(part.status == 206);
  CHECK(part.body == "%PDF-1.4");
  CHECK(part.headers.get("content-range") == "bytes 0-7/" + std::to_string(pdf.size()));
  CHECK(asked.size() == 1);  // kept: the origin is asked once
  CHECK(host.r2.at("patents/D656296/document.pdf").body == pdf);

  status = 404;
  auto none = host.fetch("GET", "/v1/patents/D656297/pdf", bearer(key));
  CHECK(none.status == 404);
  CHECK(body_json(none)["error"]["message"] == "No PDF 'D656297'. The PDF origin has none (it answered 404).");
  status = 503;
  CHECK(host.fetch("GET", "/v1/patents/D656298/pdf", bearer(key)).status == 503);
  CHECK(host.r2.count("patents/D656297/document.pdf") == 0);
}
