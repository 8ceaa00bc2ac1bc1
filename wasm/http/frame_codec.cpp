#include "wasm/http/frame_codec.hpp"

namespace ptmc::http {
namespace {

// The headers travel as a blob of lines named by "head" (docs/wire-format.md), both ways.
void put_headers(wire::Frame& frame, const Headers& headers) { frame.meta["head"] = frame.add_blob(headers.to_lines()); }

std::optional<Headers> take_headers(wire::Frame& frame) {
  auto head = frame.take_blob(frame.meta, "head");
  return head ? Headers::from_lines(*head) : std::nullopt;
}

}  // namespace

std::optional<Request> request_from_frame(wire::Frame& frame) {
  const auto* method = string_field(frame.meta, "method");
  const auto* url = string_field(frame.meta, "url");
  auto headers = take_headers(frame);
  if (!method || method->empty() || method->size() > 16 || !url || !headers) return std::nullopt;
  Request request{*method, *url, {}, {}, std::move(*headers), {}};
  if (!split_url(*url, request.path, request.query)) return std::nullopt;
  request.body_too_large = frame.meta.value("body_too_large", false) == true;
  if (frame.meta.contains("body")) {
    auto body = frame.take_blob(frame.meta, "body");
    if (!body) return std::nullopt;
    request.body = std::move(*body);
  }
  return request;
}

wire::Frame response_to_frame(Response response) {
  wire::Frame frame;
  frame.meta = {{"status", response.status}};
  put_headers(frame, response.headers);
  frame.meta["body"] = frame.add_blob(std::move(response.body));
  if (const auto& blob = response.blob)
    frame.meta["stream"] = {{"key", blob->key}, {"offset", blob->offset}, {"length", blob->length}, {"etag", blob->etag}};
  if (const auto& forward = response.forward)
    frame.meta["forward"] = {{"binding", forward->binding}, {"name", forward->name}, {"path", forward->path}};
  return frame;
}

wire::Frame request_to_frame(std::string_view entry, std::string method, std::string url, const Headers& headers) {
  wire::Frame frame;
  frame.meta = {{"entry", entry}, {"method", std::move(method)}, {"url", std::move(url)}};
  put_headers(frame, headers);
  return frame;
}

std::optional<Response> response_from_frame(wire::Frame& frame) {
  auto status = integer_field(frame.meta, "status");
  auto headers = take_headers(frame);
  if (!status || !headers) return std::nullopt;
  return Response{static_cast<int>(*status), std::move(*headers), frame.take_blob(frame.meta, "body").value_or("")};
}

}  // namespace ptmc::http
