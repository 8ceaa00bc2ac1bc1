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
  int64_t max_response_bytes = 64 * 1024;  // the host reads no more of the answer's body
  bool follow_redirects = false;           // off: a 3xx is the answer
};

// The receiver's answer, and how long it took to come (the host's clock, from the request sent
// to the response's headers).
struct Answer {
  http::Response response;
  int64_t elapsed_ms = 0;
};

// Fails (as an effect failure) on network errors and on the timeout; any HTTP status is a value.
// A body longer than max_response_bytes arrives cut to that length.
Effect<Answer> fetch(Request request);

// Resumes the task after `ms` milliseconds (backoff, tests).
Effect<bool> sleep(int64_t ms);

// Shared by fetch and Durable Object calls: {status, headers} plus the body blob.
Outcome<http::Response> decode_response(EffectResult&& result);

}  // namespace ptmc::outbound
