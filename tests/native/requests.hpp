// What the native tests need to make API requests: keys and headers.
#pragma once

#include "bindings/native_host/host.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

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
      size_t number = document.find("<doc-number>", document.find("<publication-reference>")) + std::string_view("<doc-number>").size();
      document.replace(number, document.find('<', number) - number, "D" + std::to_string(1'000'000 + serial++));
      out += document + "\n";
    }
  return out;
}

// The first owner key of a new organisation, minted by the same command scripts/create-key runs.
inline std::string owner_key(native::Host& host, const std::string& email = "owner@example.com",
                             const std::string& organisation = "Acme") {
  auto done = host.run(wire::Frame{{{"entry", "command"}, {"command", "create_owner_key"}, {"email", email},
                                    {"organisation", organisation}},
                                   {}});
  REQUIRE(done.meta["ok"] == true);
  return done.meta["secret"];
}

// A platform operator's key, minted by the operator command (the only way to make one).
inline std::string operator_key(native::Host& host, const std::string& email = "operator@patomic.test") {
  auto done = host.run(wire::Frame{{{"entry", "command"}, {"command", "create_operator_key"}, {"email", email}}, {}});
  REQUIRE(done.meta["ok"] == true);
  return done.meta["secret"];
}

inline http::Headers bearer(const std::string& key, const char* ip = "203.0.113.7") {
  http::Headers headers;
  headers.set("authorization", "Bearer " + key);
  headers.set("cf-connecting-ip", ip);
  return headers;
}

inline http::Headers json_bearer(const std::string& key) {
  auto headers = bearer(key);
  headers.set("content-type", "application/json");
  return headers;
}

// The error envelope's code; empty when the body is not an envelope.
inline std::string error_code(const http::Response& response) {
  Json body = native::body_json(response);
  auto error = body.is_object() ? body.find("error") : body.end();
  return error != body.end() && error->is_object() ? error->value("code", "") : "";
}

// Loads `files` (name, bytes) as the US job of (source, date), the way scripts/ingest does:
// into R2 under raw/us/{source}/{date}/, POST /v1/ingestion/jobs with an operator's key, then
// the INGEST_US queue delivered until empty (moving the clock past retry delays). Answers the
// job as GET /v1/ingestion/jobs/{id} shows it.
inline Json run_ingestion_job(native::Host& host, const std::string& source, const std::string& date,
                              const std::vector<std::pair<std::string, std::string>>& files) {
  std::string key = operator_key(host);
  for (const auto& [name, bytes] : files)
    host.r2["raw/us/" + source + "/" + date + "/" + name] = {bytes, "\"" + name + date + "\"", "", host.now_ms};
  auto created = host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), dump_json({{"source", source}, {"date", date}}));
  REQUIRE((created.status == 202 || created.status == 200));
  for (int round = 0; round < 20 && !host.queues["INGEST_US"].empty(); ++round) {
    host.deliver_queue("INGEST_US");
    host.advance(3'600'000);
  }
  return native::body_json(host.fetch("GET", "/v1/ingestion/jobs/us:" + source + ":" + date, bearer(key)));
}

}  // namespace ptmc::testing
