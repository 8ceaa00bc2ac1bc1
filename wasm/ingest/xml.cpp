#include "wasm/ingest/xml.hpp"

#include <charconv>
#include <tuple>

namespace ptmc::ingest {
namespace {

constexpr size_t kCompactAfter = 64 * 1024;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == ':' || byte >= 0x80;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// The end of a tag starting at `from` (the index of its '>'), skipping quoted attribute values.
size_t tag_end(std::string_view text, size_t from) {
  char quote = 0;
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

void append_utf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void XmlReader::feed(std::string_view bytes) {
  if (position_ > kCompactAfter) {
    buffer_.erase(0, position_);
    consumed_ += position_;
    position_ = 0;
  }
  buffer_.append(bytes);
}

void XmlReader::finish() { finished_ = true; }

XmlEvent XmlReader::error(std::string what, uint64_t at) {
  failed_ = true;
  XmlEvent event{XmlEvent::Kind::error};
  event.text = std::move(what);
  event.offset = at;
  return event;
}

bool XmlReader::decode(std::string_view raw, std::string& out, std::string& problem) const {
  out.reserve(out.size() + raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    size_t amp = raw.find('&', i);
    out.append(raw.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i));
    if (amp == std::string_view::npos) break;
    size_t semicolon = raw.find(';', amp);
    if (semicolon == std::string_view::npos || semicolon - amp > 32) {
      problem = "an unterminated character reference";
      return false;
    }
    std::string_view name = raw.substr(amp + 1, semicolon - amp - 1);
    if (!name.empty() && name[0] == '#') {
      bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      std::string_view digits = name.substr(hex ? 2 : 1);
      uint32_t code = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || code == 0 || code > 0x10FFFF ||
          (code >= 0xD800 && code <= 0xDFFF)) {
        problem = "an invalid character reference &" + std::string(name) + ";";
        return false;
      }
      append_utf8(code, out);
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (auto found = entities_.find(name); found != entities_.end()) {
      out += found->second;  // declared values are stored decoded
    } else {
      problem = "an undeclared entity &" + std::string(name) + ";";
      return false;
    }
    i = semicolon + 1;
  }
  return true;
}

// <!ENTITY name "value"> declarations of an internal subset (parameter entities are ignored).
void XmlReader::declare_entities(std::string_view subset) {
  size_t at = 0;
  while ((at = subset.find("<!ENTITY", at)) != std::string_view::npos) {
    size_t end = tag_end(subset, at);
    if (end == std::string_view::npos) return;
    std::string_view declaration = trim(subset.substr(at + 8, end - at - 8));
    at = end;
    if (declaration.empty() || declaration[0] == '%') continue;
    size_t name_end = 0;
    while (name_end < declaration.size() && is_name_char(declaration[name_end])) ++name_end;
    std::string name(declaration.substr(0, name_end));
    std::string_view rest = trim(declaration.substr(name_end));
    if (name.empty() || rest.size() < 2 || (rest[0] != '"' && rest[0] != '\'') || rest.back() != rest[0]) continue;
    std::string value, problem;
    if (decode(rest.substr(1, rest.size() - 2), value, problem)) entities_[name] = std::move(value);
  }
}

XmlEvent XmlReader::next() {
  if (failed_) return error("the stream is already broken", offset());
  if (!pending_end_.empty()) {
    XmlEvent event{XmlEvent::Kind::end};
    event.name = std::move(pending_end_);
    pending_end_.clear();
    event.offset = offset();
    return event;
  }
  for (;;) {
    std::string_view rest = std::string_view(buffer_).substr(position_);
    uint64_t at = offset();
    auto need_more = [&](const char* what) {
      return finished_ ? error(std::string("the input ends inside ") + what, at) : XmlEvent{XmlEvent::Kind::need_more};
    };
    if (rest.empty()) return finished_ ? XmlEvent{XmlEvent::Kind::done} : XmlEvent{XmlEvent::Kind::need_more};

    if (rest[0] != '<') {
      size_t lt = rest.find('<');
      if (lt == std::string_view::npos && !finished_) return XmlEvent{XmlEvent::Kind::need_more};
      std::string_view raw = rest.substr(0, lt);
      XmlEvent event{XmlEvent::Kind::text};
      event.offset = at;
      std::string problem;
      if (!decode(raw, event.text, problem)) return error(problem, at);
      position_ += raw.size();
      return event;
    }
    // Declarations and comments carry nothing the loaders need.
    bool skipped = false;
    for (auto [opening, closing, what] : {std::tuple{"<?", "?>", "a processing instruction"}, {"<!--", "-->", "a comment"}}) {
      if (rest.substr(0, std::string_view(opening).size()) != opening) continue;
      size_t end = rest.find(closing);
      if (end == std::string_view::npos) return need_more(what);
      position_ += end + std::string_view(closing).size();
      skipped = true;
      break;
    }
    if (skipped) continue;
    if (rest.substr(0, 9) == "<![CDATA[") {
      size_t end = rest.find("]]>");
      if (end == std::string_view::npos) return need_more("a CDATA section");
      XmlEvent event{XmlEvent::Kind::text};
      event.text = std::string(rest.substr(9, end - 9));
      event.offset = at;
      position_ += end + 3;
      return event;
    }
    if (rest.substr(0, 9) == "<!DOCTYPE") {
      size_t bracket = rest.find('[');
      size_t close = tag_end(rest, 0);
      if (close == std::string_view::npos && bracket == std::string_view::npos) return need_more("a DOCTYPE");
      if (bracket != std::string_view::npos && (close == std::string_view::npos || bracket < close)) {
        size_t subset_end = rest.find("]", bracket);
        while (subset_end != std::string_view::npos) {  // "]" then optional spaces, then ">"
          size_t after = subset_end + 1;
          while (after < rest.size() && is_space(rest[after])) ++after;
          if (after < rest.size() && rest[after] == '>') break;
          subset_end = rest.find("]", subset_end + 1);
        }
        if (subset_end == std::string_view::npos) return need_more("a DOCTYPE's internal subset");
        declare_entities(rest.substr(bracket + 1, subset_end - bracket - 1));
        close = rest.find('>', subset_end);
      }
      position_ += close + 1;
      continue;
    }
    size_t close = tag_end(rest, 1);
    if (close == std::string_view::npos) return need_more("a tag");
    std::string_view tag = rest.substr(1, close - 1);
    position_ += close + 1;
    if (!tag.empty() && tag[0] == '/') {
      XmlEvent event{XmlEvent::Kind::end};
      event.name = std::string(trim(tag.substr(1)));
      event.offset = at;
      if (event.name.empty()) return error("an end tag without a name", at);
      return event;
    }
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && is_name_char(tag[name_end])) ++name_end;
    if (name_end == 0) return error("a tag without a name", at);
    XmlEvent event{XmlEvent::Kind::start};
    event.name = std::string(tag.substr(0, name_end));
    event.offset = at;
    std::string_view attributes = tag.substr(name_end);
    for (;;) {
      attributes = trim(attributes);
      if (attributes.empty()) break;
      size_t eq = attributes.find('=');
      if (eq == std::string_view::npos) return error("an attribute without a value in <" + event.name + ">", at);
      std::string name(trim(attributes.substr(0, eq)));
      std::string_view value = trim(attributes.substr(eq + 1));
      if (name.empty() || value.empty() || (value[0] != '"' && value[0] != '\'')) return error("a malformed attribute", at);
      size_t value_end = value.find(value[0], 1);
      if (value_end == std::string_view::npos) return error("an unterminated attribute value", at);
      std::string decoded, problem;
      if (!decode(value.substr(1, value_end - 1), decoded, problem)) return error(problem, at);
      event.attributes.emplace_back(std::move(name), std::move(decoded));
      attributes = value.substr(value_end + 1);
    }
    if (self_closing) pending_end_ = event.name;
    return event;
  }
}

}  // namespace ptmc::ingest
