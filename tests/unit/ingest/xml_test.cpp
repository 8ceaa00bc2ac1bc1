// wasm/ingest/xml and records: the streaming XML reader, fed in chunks of any size, and the
// bounds on what it and the record reader hold.
#include "wasm/ingest/records.hpp"
#include "wasm/ingest/xml.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace ptmc;
using namespace ptmc::ingest;

namespace {

// Every event of `xml`, fed `chunk` bytes at a time, as "start:name", "end:name", "text:…".
std::vector<std::string> events(std::string_view xml, size_t chunk) {
  XmlReader reader;
  std::vector<std::string> out;
  size_t fed = 0;
  for (;;) {
    XmlEvent event = reader.next();
    if (event.kind == XmlEvent::Kind::need_more) {
      if (fed < xml.size()) {
        reader.feed(xml.substr(fed, chunk));
        fed += std::min(chunk, xml.size() - fed);
      } else {
        reader.finish();
      }
      continue;
    }
    if (event.kind == XmlEvent::Kind::done) return out;
    if (event.kind == XmlEvent::Kind::error) {
      out.push_back("error:" + std::string(event.text) + "@" + std::to_string(event.offset));
      return out;
    }
    if (event.kind == XmlEvent::Kind::text) {
      if (event.text.find_first_not_of(" \n") != std::string::npos) out.push_back("text:" + std::string(event.text));
    } else {
      std::string line = (event.kind == XmlEvent::Kind::start ? "start:" : "end:") + std::string(event.name);
      for (const auto& [name, value] : event.attributes) line += " " + std::string(name) + "=" + std::string(value);
      out.push_back(line);
    }
  }
}

}  // namespace

TEST_CASE("the XML reader gives the same events whatever the chunk size", "[ingest]") {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ELEMENT doc (#PCDATA)>\n<!ENTITY co \"Acme &amp; Co\">\n"
      "<!ATTLIST doc v CDATA 'x>y'>]>\n<!-- a comment -->\n<doc a='1' b=\"x &lt; y\"><t>R&amp;D &#x201c;caf&#233;&#8221; &co;</t>"
      "<e/><![CDATA[<raw> & stuff]]><i>Ü</i></doc>";
  const std::vector<std::string> expected = {"start:doc a=1 b=x < y",
                                             "start:t",
                                             "text:R&D \u201ccaf\u00e9\u201d Acme & Co",
                                             "end:t",
                                             "start:e",
                                             "end:e",
                                             "text:<raw> & stuff",
                                             "start:i",
                                             "text:Ü",
                                             "end:i",
                                             "end:doc"};
  for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), xml.size()}) {
    INFO("chunk " << chunk);
    CHECK(events(xml, chunk) == expected);
  }
}

TEST_CASE("the XML reader reports what is malformed, and where", "[ingest]") {
  CHECK(events("<a>&nope;</a>", 4).back() == "error:an undeclared entity &nope;@3");
  CHECK(events("<a>&#xD800;</a>", 100).back() == "error:an invalid character reference &#xD800;@3");
  CHECK(events("<a><b", 100).back() == "error:the input ends inside a tag@3");
  CHECK(events("<a x=1></a>", 100).back() == "error:a malformed attribute@0");
  CHECK(events("<a><!-- open", 100).back() == "error:the input ends inside a comment@3");
  CHECK(events("< a/>", 100).back() == "error:a tag without a name@0");
}

TEST_CASE("memory stays bounded: a token or a record that never ends is an error, not a buffer without end", "[ingest]") {
  const std::string megabyte(1 << 20, 'a');
  XmlReader xml;
  xml.feed("<a>");
  CHECK(xml.next().kind == XmlEvent::Kind::start);
  XmlEvent event;
  for (int i = 0; i < 70 && (event = xml.next()).kind == XmlEvent::Kind::need_more; ++i) xml.feed(megabyte);
  REQUIRE(event.kind == XmlEvent::Kind::error);
  CHECK(event.text == "longer than 64 MiB: a text");
  CHECK(event.offset == 3);

  // Many small elements inside one record that never closes.
  RecordReader records("r");
  records.feed("<f><r>");
  std::string chunk;
  while (chunk.size() < (1 << 20)) chunk += "<x>" + std::string(100, 'b') + "</x>";
  RecordReader::Result result;
  for (int i = 0; i < 70 && (result = records.next()).kind == RecordReader::Result::Kind::need_more; ++i) records.feed(chunk);
  REQUIRE(result.kind == RecordReader::Result::Kind::error);
  CHECK(result.problem == "a <r> larger than 64 MiB");
  CHECK(result.offset == 3);
}

// Issue 12, item 12: nested <!ENTITY> declarations expanded to gigabytes and trapped the module.
TEST_CASE("trust 12: entity expansion is capped, in declarations and in text", "[ingest][trust]") {
  std::string bomb = "<!DOCTYPE r [<!ENTITY a0 \"" + std::string(100, 'x') + "\">";
  for (int level = 1; level <= 9; ++level) {
    std::string previous = "&a" + std::to_string(level - 1) + ";";
    std::string ten;
    for (int i = 0; i < 10; ++i) ten += previous;
    bomb += "<!ENTITY a" + std::to_string(level) + " \"" + ten + "\">";  // a9 would be 100 GB
  }
  bomb += "]><r>&a9;</r>";
  CHECK(events(bomb, 4096).back() == "error:declared entities expand to more than 1 MiB@0");
  // Each entity small, but used without end in text: the same budget.
  std::string many = "<!DOCTYPE r [<!ENTITY k \"" + std::string(1000, 'k') + "\">]><r>";
  for (int i = 0; i < 2000; ++i) many += "<t>&k;</t>";
  CHECK(events(many + "</r>", 4096).back().rfind("error:declared entities expand to more than 1 MiB@", 0) == 0);
  // Within the budget they expand as declared.
  CHECK(events("<!DOCTYPE r [<!ENTITY who \"Ada &amp; Bo\">]><r>&who;</r>", 7) ==
        std::vector<std::string>{"start:r", "text:Ada & Bo", "end:r"});
}
