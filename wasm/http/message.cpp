#include "wasm/http/message.hpp"

#include <algorithm>

namespace ptmc::http {

namespace {

// `text` with the letters from `first` to `last` moved by `shift` (the other case).
std::string shift_letters(std::string_view text, char first, char last, int shift) {
  std::string out(text);
  for (char& c : out)
    if (c >= first && c <= last) c = static_cast<char>(c + shift);
  return out;
}

}  // namespace

std::string lower_ascii(std::string_view text) { return shift_letters(text, 'A', 'Z', 'a' - 'A'); }
std::string upper_ascii(std::string_view text) { return shift_letters(text, 'a', 'z', 'A' - 'a'); }

std::string media_type(std::string_view content_type) {
  return lower_ascii(trim_ows(content_type.substr(0, content_type.find(';'))));
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view take_until(std::string_view& rest, char delimiter) {
  auto at = rest.find(delimiter);
  auto taken = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 1);
  return taken;
}

namespace {

// Names are stored lower case; `name` may be in any case (no copy: headers are read on every request).
bool is_name(std::string_view stored, std::string_view name) {
  if (stored.size() != name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (stored[i] != c) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : entries_)
    if (is_name(key, name)) return std::string_view(value);
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  append(name, std::move(value));
}

void Headers::append(std::string_view name, std::string value) { entries_.emplace_back(lower_ascii(name), std::move(value)); }

void Headers::remove(std::string_view name) {
  std::erase_if(entries_, [&](const auto& entry) { return is_name(entry.first, name); });
}

Json Headers::to_json() const {
  Json pairs = Json::array();
  for (const auto& [key, value] : entries_) pairs.push_back(Json::array({key, value}));
  return pairs;
}

std::optional<Headers> Headers::from_json(const Json& pairs) {
  if (!pairs.is_array()) return std::nullopt;
  Headers headers;
  for (const auto& pair : pairs) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) return std::nullopt;
    headers.append(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return headers;
}

namespace {

// A byte HTTP forbids in a header name (':', CR, LF) or value (CR, LF) is written as NUL, which
// the platform's Headers refuses: such a header fails the response, as it did when headers
// crossed as JSON, instead of splitting into two lines.
void append_header_text(std::string& lines, std::string_view text, std::string_view forbidden) {
  for (size_t at; (at = text.find_first_of(forbidden)) != std::string_view::npos; text.remove_prefix(at + 1)) {
    lines.append(text.substr(0, at));
    lines += '\0';
  }
  lines.append(text);
}

}  // namespace

std::string Headers::to_lines() const {
  size_t size = 0;
  for (const auto& [key, value] : entries_) size += key.size() + value.size() + 2;
  std::string lines;
  lines.reserve(size);
  for (const auto& [key, value] : entries_) {
    append_header_text(lines, key, ":\r\n");
    lines += ':';
    append_header_text(lines, value, "\r\n");
    lines += '\n';
  }
  return lines;
}

std::optional<Headers> Headers::from_lines(std::string_view lines) {
  Headers headers;
  while (!lines.empty()) {
    auto end = lines.find('\n');
    if (end == std::string_view::npos) return std::nullopt;  // every line ends with one
    auto line = lines.substr(0, end);
    lines.remove_prefix(end + 1);
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    auto value = line.substr(colon + 1);
    if (value.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) return std::nullopt;
    headers.append(line.substr(0, colon), std::string(value));
  }
  return headers;
}

bool split_url(std::string_view url, std::string& path, std::string& query) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  if (url.empty() || url.front() != '/') return false;
  url = url.substr(0, url.find('#'));
  auto mark = url.find('?');
  path = std::string(url.substr(0, mark));
  query = mark == std::string_view::npos ? std::string() : std::string(url.substr(mark + 1));
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded; '+' is a space in form encoding (queries), itself in paths.
std::string decode_escapes(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string form_decode(std::string_view text) { return decode_escapes(text, true); }

}  // namespace

std::string path_decode(std::string_view segment) { return decode_escapes(segment, false); }

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::string_view pair = take_until(query, '&');
    auto eq = pair.find('=');
    if (form_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> query_params(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    std::string_view pair = take_until(query, '&');
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    pairs.emplace_back(form_decode(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1)));
  }
  return pairs;
}

}  // namespace ptmc::http

namespace ptmc::http {
Response json_response(int status, const Json& body) { return json_text_response(status, dump_json(body)); }

Response json_text_response(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  response.headers.set("content-type", "application/json; charset=utf-8");
  return response;
}
}  // namespace ptmc::http
