// What the native tests need to make API requests: keys and headers.
#pragma once

#include "bindings/native_host/host.hpp"
#include "tests/fixture_files.hpp"

#include <catch2/catch.hpp>

namespace ptmc::testing {

// The first owner key of a new organisation, minted by the same command scripts/create-key runs.
inline std::string owner_key(native::Host& host, const std::string& email = "owner@example.com",
                             const std::string& organisation = "Acme") {
  auto done = host.run(
      wire::Frame{{{"entry", "command"}, {"command", "create_owner_key"}, {"email", email}, {"organisation", organisation}}, {}});
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
  for (int round = 0; round < 50 && !host.queues["INGEST_US"].empty(); ++round) {
    host.deliver_queue("INGEST_US");
    host.advance(3'600'000);
  }
  return native::body_json(host.fetch("GET", "/v1/ingestion/jobs/us:" + source + ":" + date, bearer(key)));
}

// Delivers INGEST_US until empty (at most `rounds` times), answering each invocation's
// subrequests as the platform counts them: every effect, and an r2.unpack (a byte-range copy:
// its read and its write) twice.
inline std::vector<int64_t> deliver_counting_subrequests(native::Host& host, int rounds = 20) {
  std::vector<int64_t> subrequests;
  for (int round = 0; round < rounds && !host.queues["INGEST_US"].empty(); ++round) {
    size_t before = host.effects.size();
    host.deliver_queue("INGEST_US");
    int64_t used = 0;
    for (size_t at = before; at < host.effects.size(); ++at) used += host.effects[at]["kind"] == "r2.unpack" ? 2 : 1;
    subrequests.push_back(used);
  }
  return subrequests;
}

}  // namespace ptmc::testing
