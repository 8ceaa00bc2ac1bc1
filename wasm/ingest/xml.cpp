#include "wasm/ingest/xml.hpp"

#include <array>
#include <charconv>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif
#include <tuple>

namespace ptmc::ingest {
namespace {

constexpr size_t kCompactAfter = 64 * 1024;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr auto kNameChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c)
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
               c == ':' || c >= 0x80;
  return table;
}();

bool is_name_char(char c) { return kNameChars[static_cast<unsigned char>(c)]; }

// The index of the first '<' in text[from..] (text.size() if none), and whether an '&' comes
// before it. With Wasm SIMD, 16 bytes a step: most of a file's bytes are text.
size_t text_end(std::string_view text, size_t from, bool& reference) {
  size_t i = from;
#if defined(__wasm_simd128__)
  const v128_t lt = wasm_i8x16_splat('<'), amp = wasm_i8x16_splat('&');
  for (; i + 16 <= text.size(); i += 16) {
    v128_t bytes = wasm_v128_load(text.data() + i);
    uint32_t lts = wasm_i8x16_bitmask(wasm_i8x16_eq(bytes, lt));
    uint32_t amps = wasm_i8x16_bitmask(wasm_i8x16_eq(bytes, amp));
    if (lts) {
      uint32_t before = lts & (0u - lts);  // the first '<' alone
      reference |= (amps & (before - 1)) != 0;
      return i + static_cast<size_t>(__builtin_ctz(lts));
    }
    reference |= amps != 0;
  }
#endif
  for (; i < text.size() && text[i] != '<'; ++i) reference |= text[i] == '&';
  return i;
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
  problem_ = std::move(what);
  XmlEvent event{XmlEvent::Kind::error};
  event.text = problem_;
  event.offset = at;
  return event;
}

bool XmlReader::decode(std::string_view raw, std::string& out, std::string& problem) {
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
      entity_bytes_ += found->second.size();
      if (entity_bytes_ > kMaxEntityExpansionBytes) {
        problem = "declared entities expand to more than " + std::to_string(kMaxEntityExpansionBytes >> 20) + " MiB";
        return false;
      }
      out += found->second;  // declared values are stored decoded
    } else {
      problem = "an undeclared entity &" + std::string(name) + ";";
      return false;
    }
    i = semicolon + 1;
  }
  return true;
}

// name="value" pairs into attributes_. Values with references are decoded into one scratch
// string, and pointed at only once it has stopped growing.
bool XmlReader::read_attributes(std::string_view raw, std::string& problem) {
  attributes_.clear();
  decoded_values_.clear();
  attribute_scratch_.clear();
  for (;;) {
    raw = trim(raw);
    if (raw.empty()) break;
    size_t eq = raw.find('=');
    if (eq == std::string_view::npos) {
      problem = "an attribute without a value";
      return false;
    }
    std::string_view name = trim(raw.substr(0, eq));
    std::string_view value = trim(raw.substr(eq + 1));
    if (name.empty() || value.empty() || (value[0] != '"' && value[0] != '\'')) {
      problem = "a malformed attribute";
      return false;
    }
    size_t value_end = value.find(value[0], 1);
    if (value_end == std::string_view::npos) {
      problem = "an unterminated attribute value";
      return false;
    }
    std::string_view text = value.substr(1, value_end - 1);
    if (text.find('&') != std::string_view::npos) {
      decoded_values_.emplace_back(attributes_.size(), attribute_scratch_.size());
      if (!decode(text, attribute_scratch_, problem)) return false;
    }
    attributes_.push_back({name, text});
    raw = value.substr(value_end + 1);
  }
  for (size_t i = 0; i < decoded_values_.size(); ++i) {
    size_t end = i + 1 < decoded_values_.size() ? decoded_values_[i + 1].second : attribute_scratch_.size();
    auto [index, begin] = decoded_values_[i];
    attributes_[index].value = std::string_view(attribute_scratch_).substr(begin, end - begin);
  }
  return true;
}

// <!ENTITY name "value"> declarations of an internal subset (parameter entities are ignored).
std::string XmlReader::declare_entities(std::string_view subset) {
  size_t at = 0;
  while ((at = subset.find("<!ENTITY", at)) != std::string_view::npos) {
    size_t end = tag_end(subset, at);
    if (end == std::string_view::npos) return {};
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
    else if (entity_bytes_ > kMaxEntityExpansionBytes) return problem;
  }
  return {};
}

// A start or end tag at the front of `rest`.
XmlEvent XmlReader::tag(std::string_view rest, uint64_t at) {
  // Most tags of these files are a bare <name> or </name>: those skip the general path.
  bool end_tag = rest[1] == '/';
  size_t name_end = end_tag ? 2 : 1;
  while (name_end < rest.size() && is_name_char(rest[name_end])) ++name_end;
  if (name_end < rest.size() && rest[name_end] == '>' && name_end > (end_tag ? 2u : 1u)) {
    XmlEvent event{end_tag ? XmlEvent::Kind::end : XmlEvent::Kind::start};
    event.name = rest.substr(end_tag ? 2 : 1, name_end - (end_tag ? 2 : 1));
    event.offset = at;
    position_ += name_end + 1;
    return event;
  }
  size_t close = tag_end(rest, 1);
  if (close == std::string_view::npos) return need_more("a tag", at);
  std::string_view inside = rest.substr(1, close - 1);
  position_ += close + 1;
  XmlEvent event{XmlEvent::Kind::start};
  event.offset = at;
  if (!inside.empty() && inside[0] == '/') {
    event.kind = XmlEvent::Kind::end;
    event.name = trim(inside.substr(1));
    if (event.name.empty()) return error("an end tag without a name", at);
    return event;
  }
  bool self_closing = !inside.empty() && inside.back() == '/';
  if (self_closing) inside.remove_suffix(1);
  name_end = 0;
  while (name_end < inside.size() && is_name_char(inside[name_end])) ++name_end;
  if (name_end == 0) return error("a tag without a name", at);
  event.name = inside.substr(0, name_end);
  std::string problem;
  if (!read_attributes(inside.substr(name_end), problem)) return error(problem, at);
  event.attributes = attributes_;
  if (self_closing) pending_end_ = event.name;
  return event;
}

XmlEvent XmlReader::need_more(const char* inside, uint64_t at) {
  if (finished_) return error(std::string("the input ends inside ") + inside, at);
  if (buffer_.size() - position_ > kMaxTokenBytes) return error(std::string("longer than 64 MiB: ") + inside, at);
  return XmlEvent{XmlEvent::Kind::need_more};
}

XmlEvent XmlReader::next() {
  if (failed_) return error("the stream is already broken", offset());
  if (!pending_end_.empty()) {
    XmlEvent event{XmlEvent::Kind::end};
    std::swap(text_scratch_, pending_end_);  // the name outlives this call, as views must
    pending_end_.clear();
    event.name = text_scratch_;
    event.offset = offset();
    return event;
  }
  for (;;) {
    std::string_view rest = std::string_view(buffer_).substr(position_);
    uint64_t at = offset();
    if (rest.empty()) return finished_ ? XmlEvent{XmlEvent::Kind::done} : XmlEvent{XmlEvent::Kind::need_more};

    if (rest[0] != '<') {
      // One pass finds the text's end and whether it needs decoding (most text does not).
      // A long text arriving in many chunks is scanned once, not once per chunk.
      bool reference = text_reference_;
      size_t lt = text_end(rest, text_scanned_, reference);
      if (lt == rest.size() && !finished_) {
        text_scanned_ = lt;
        text_reference_ = reference;
        return need_more("a text", at);
      }
      text_scanned_ = 0;
      text_reference_ = false;
      std::string_view raw = rest.substr(0, lt);
      XmlEvent event{XmlEvent::Kind::text};
      event.offset = at;
      event.text = raw;
      if (reference) {
        std::string problem;
        text_scratch_.clear();
        if (!decode(raw, text_scratch_, problem)) return error(problem, at);
        event.text = text_scratch_;
      }
      position_ += raw.size();
      return event;
    }
    if (document_start_ == kNoOffset) document_start_ = at;
    if (rest.size() < 2) return need_more("a tag", at);
    if (rest[1] != '?' && rest[1] != '!') return tag(rest, at);
    // Declarations and comments carry nothing the loaders need.
    bool skipped = false;
    for (auto [opening, closing, what] : {std::tuple{"<?", "?>", "a processing instruction"}, {"<!--", "-->", "a comment"}}) {
      if (rest.substr(0, std::string_view(opening).size()) != opening) continue;
      size_t end = rest.find(closing);
      if (end == std::string_view::npos) return need_more(what, at);
      position_ += end + std::string_view(closing).size();
      skipped = true;
      break;
    }
    if (skipped) continue;
    if (rest.substr(0, 9) == "<![CDATA[") {
      size_t end = rest.find("]]>");
      if (end == std::string_view::npos) return need_more("a CDATA section", at);
      XmlEvent event{XmlEvent::Kind::text};
      event.text = rest.substr(9, end - 9);
      event.offset = at;
      position_ += end + 3;
      return event;
    }
    if (rest.substr(0, 9) == "<!DOCTYPE") {
      size_t bracket = rest.find('[');
      size_t close = tag_end(rest, 0);
      if (close == std::string_view::npos && bracket == std::string_view::npos) return need_more("a DOCTYPE", at);
      if (bracket != std::string_view::npos && (close == std::string_view::npos || bracket < close)) {
        size_t subset_end = rest.find("]", bracket);
        while (subset_end != std::string_view::npos) {  // "]" then optional spaces, then ">"
          size_t after = subset_end + 1;
          while (after < rest.size() && is_space(rest[after])) ++after;
          if (after < rest.size() && rest[after] == '>') break;
          subset_end = rest.find("]", subset_end + 1);
        }
        if (subset_end == std::string_view::npos) return need_more("a DOCTYPE's internal subset", at);
        if (auto problem = declare_entities(rest.substr(bracket + 1, subset_end - bracket - 1)); !problem.empty())
          return error(problem, at);
        close = rest.find('>', subset_end);
      }
      position_ += close + 1;
      continue;
    }
    return tag(rest, at);
  }
}

}  // namespace ptmc::ingest
