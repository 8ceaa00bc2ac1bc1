// HTTP requests and responses as the core sees them. Header names are lower case (the
// Fetch API's Headers iterates them that way); bodies are raw bytes.
#pragma once

#include "wasm/runtime/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::http {

class Headers {
 public:
  std::optional<std::string_view> get(std::string_view name) const;
  void set(std::string_view name, std::string value);     // replaces every value of `name`
  void append(std::string_view name, std::string value);  // keeps existing values
  void remove(std::string_view name);
  bool has(std::string_view name) const { return get(name).has_value(); }

  // Wire form in effects: [[name, value], ...]. from_json rejects anything else.
  Json to_json() const;
  static std::optional<Headers> from_json(const Json& pairs);
  // Wire form of an entry's request and answer: "name:value\n" per header (docs/wire-format.md;
  // a name holds no ':' and a value no line break, as HTTP requires). to_lines writes those
  // bytes as NUL, which fails the header; from_lines rejects a line without a name or its line
  // feed, and a value holding CR or NUL.
  std::string to_lines() const;
  static std::optional<Headers> from_lines(std::string_view lines);

  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Request {
  std::string method;
  std::string url;    // absolute, as received
  std::string path;   // decoded from url, starts with '/'
  std::string query;  // without '?'
  Headers headers;
  std::string body;
  bool body_too_large = false;  // the host refused to read a body over kMaxBodyBytes (body is empty)
};

// A body the host streams from R2 (bytes [offset, offset + length) of `key`) instead of the
// module holding it, provided the object still has `etag` (else the host answers 503).
struct BlobBody {
  std::string key;
  int64_t offset = 0;
  int64_t length = 0;
  std::string etag;
};

// A request the host hands, as it came (a WebSocket upgrade), to the Durable Object `name` of
// namespace `binding`, at `path`; the object's answer is the response.
struct Forward {
  std::string binding, name, path;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<BlobBody> blob;    // set: the body comes from R2, and `body` is empty
  std::optional<Forward> forward;  // set: the object answers instead
};

// One path segment with its %XX escapes decoded ("us%3Agrant" -> "us:grant"). Decoded after
// the path is split, so an escaped '/' stays inside its segment.
std::string path_decode(std::string_view segment);

// Splits an absolute or origin-form URL into path and query; false when there is no path.
bool split_url(std::string_view url, std::string& path, std::string& query);

// The value of `name` in an application/x-www-form-urlencoded query, percent-decoded.
std::optional<std::string> query_param(std::string_view query, std::string_view name);
// Every name=value pair of a query, percent-decoded, in order.
std::vector<std::pair<std::string, std::string>> query_params(std::string_view query);

std::string lower_ascii(std::string_view text);
std::string upper_ascii(std::string_view text);
// A Content-Type's media type, lower case, without parameters ("text/html; charset=utf-8" -> "text/html").
std::string media_type(std::string_view content_type);
// Without leading and trailing spaces and tabs (HTTP's optional white space).
std::string_view trim_ows(std::string_view text);

// The text before the first `delimiter` in `rest`; `rest` keeps what follows it (or empties).
std::string_view take_until(std::string_view& rest, char delimiter);

}  // namespace ptmc::http

namespace ptmc::http {
// A JSON body with its content type.
Response json_response(int status, const Json& body);
// The same, the body already JSON text.
Response json_text_response(int status, std::string body);
}  // namespace ptmc::http
