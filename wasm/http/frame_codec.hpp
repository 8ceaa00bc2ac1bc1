// HTTP messages on the wire: meta {method, url} or {status}, the headers as a blob of lines
// ("head"), the body as a blob.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/runtime/wire.hpp"

#include <optional>

namespace ptmc::http {

std::optional<Request> request_from_frame(wire::Frame& frame);
wire::Frame response_to_frame(Response response);

// The host's half, for the native host and tests: a start frame of `entry` (the body is the
// host's to add), and an answer read back (nullopt when it is not a response).
wire::Frame request_to_frame(std::string_view entry, std::string method, std::string url, const Headers& headers);
std::optional<Response> response_from_frame(wire::Frame& frame);

}  // namespace ptmc::http
