// HTTP messages on the wire: meta {method, url, headers} or {status, headers}, body as blob.
#pragma once

#include "bindings/wire.hpp"
#include "wasm/http/message.hpp"

#include <optional>

namespace ptmc::http {

std::optional<Request> request_from_frame(wire::Frame& frame);
wire::Frame response_to_frame(Response response);

}  // namespace ptmc::http
