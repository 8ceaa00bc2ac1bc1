#include "wasm/http/frame_codec.hpp"

namespace ptmc::http {

std::optional<Request> request_from_frame(wire::Frame& frame) {
  const auto* method = string_field(frame.meta, "method");
  const auto* url = string_field(frame.meta, "url");
  auto head = frame.take_blob(frame.meta, "head");
  auto headers = head ? Headers::from_lines(*head) : std::nullopt;
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
  frame.meta["head"] = frame.add_blob(response.headers.to_lines());
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
  frame.meta["head"] = frame.add_blob(headers.to_lines());
  return frame;
}

std::optional<Response> response_from_frame(wire::Frame& frame) {
  auto status = integer_field(frame.meta, "status");
  auto head = frame.take_blob(frame.meta, "head");
  auto headers = head ? Headers::from_lines(*head) : std::nullopt;
  if (!status || !headers) return std::nullopt;
  return Response{static_cast<int>(*status), std::move(*headers), frame.take_blob(frame.meta, "body").value_or("")};
}

}  // namespace ptmc::http
