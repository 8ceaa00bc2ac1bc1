// The sample files of tests/fixtures (provenance in tests/fixtures/uspto/SOURCES.md), whole or
// multiplied into larger files of the same form. No host: unit and flow tests both read them.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace ptmc::testing {

// A sample file of tests/fixtures/uspto (provenance in SOURCES.md there), whole.
inline std::string fixture(const std::string& name) {
  std::ifstream file(std::string(PATOMIC_FIXTURES_DIR) + "/uspto/" + name, std::ios::binary);
  REQUIRE(file);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// The real assignment records, `copies` times, each copy with its own reel numbers (so each is
// a distinct assignment): about 28 KB a copy, so 100 copies span several 1 MB range reads.
inline std::string many_assignments(int copies) {
  std::string sample = fixture("assignment_ad20160101_subset.xml");
  size_t first = sample.find("<patent-assignment>");
  size_t last = sample.rfind("</patent-assignment>") + std::string_view("</patent-assignment>").size();
  std::string body = sample.substr(first, last - first);
  std::string out = sample.substr(0, first);
  for (int copy = 0; copy < copies; ++copy)
    out += std::regex_replace(body, std::regex("<reel-no>3"), "<reel-no>" + std::to_string(copy + 1) + "3");
  return out + sample.substr(last);
}

// The three sample grants (the one-document file and the concatenated two), `copies` times,
// each copy with its own publication number: concatenated documents, as a weekly file is.
inline std::string many_grants(int copies) {
  std::vector<std::string> documents;
  for (const char* name : {"grant_ipg120327_one_v42.xml", "grant_ipg120327_two_concat_v42.xml"}) {
    std::string text = fixture(name);
    for (size_t at = text.find("<?xml"); at != std::string::npos;) {
      size_t next = text.find("<?xml", at + 1);
      documents.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next - at));
      at = next;
    }
  }
  std::string out;
  int serial = 0;
  for (int copy = 0; copy < copies; ++copy)
    for (std::string document : documents) {
      size_t number =
          document.find("<doc-number>", document.find("<publication-reference>")) + std::string_view("<doc-number>").size();
      document.replace(number, document.find('<', number) - number, "D" + std::to_string(1'000'000 + serial++));
      out += document + "\n";
    }
  return out;
}

// The real events of tests/fixtures/uspto/maintfee_events_example_rows_edegan.csv, laid out in
// the fixed-width form of MaintFeeEvents files (the sample itself is already split into columns).
inline std::string fixed_width_events() {
  std::string csv = fixture("maintfee_events_example_rows_edegan.csv");
  std::string out;
  auto digits = [](std::string date) { return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2); };
  auto pad = [](std::string text, size_t width) { return text.append(width > text.size() ? width - text.size() : 0, ' '); };
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the sample has CRLF line ends
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) f.push_back(field);
    REQUIRE(f.size() == 7);
    std::string application = std::string(8 - std::min<size_t>(8, f[1].size()), '0') + f[1];
    out += pad(f[0], 14) + pad(application, 9) + f[2] + " " + pad(digits(f[3]), 9) + pad(digits(f[4]), 9) + pad(digits(f[5]), 9) +
           pad(f[6], 6) + "\n";
  }
  return out;
}

}  // namespace ptmc::testing
