// Outbound HTTP (webhook delivery, origin downloads) and timers.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/runtime/effect.hpp"

namespace ptmc::outbound {

struct Request {
  std::string url;
  std::string method = "GET";
  http::Headers headers;
  std::string body;
  int64_t timeout_ms = 10000;
};

// Fails (as an effect failure) on network errors and on the timeout; any HTTP status is a value.
Effect<http::Response> fetch(Request request);

// Resumes the task after `ms` milliseconds (backoff, tests).
Effect<bool> sleep(int64_t ms);

// Shared by fetch and Durable Object calls: {status, headers} plus the body blob.
Outcome<http::Response> decode_response(EffectResult&& result, const char* kind);

}  // namespace ptmc::outbound
