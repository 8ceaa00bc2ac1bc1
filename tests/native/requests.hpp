// What the native tests need to make API requests: keys and headers.
#pragma once

#include "bindings/native_host/host.hpp"

#include <catch2/catch.hpp>

namespace ptmc::testing {

// The first owner key of a new organisation, minted by the same command scripts/create-key runs.
inline std::string owner_key(native::Host& host, const std::string& email = "owner@example.com",
                             const std::string& organisation = "Acme") {
  auto done = host.run(wire::Frame{{{"entry", "command"}, {"command", "create_owner_key"}, {"email", email},
                                    {"organisation", organisation}},
                                   {}});
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

inline std::string error_code(const http::Response& response) {
  return native::body_json(response)["error"].value("code", "");
}

}  // namespace ptmc::testing
