#include "wasm/ingest/records.hpp"

namespace ptmc::ingest {
namespace {

std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string_view first_step(std::string_view path, std::string_view& rest) {
  auto slash = path.find('/');
  rest = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  return path.substr(0, slash);
}

}  // namespace

std::string Element::attribute(std::string_view wanted) const {
  for (const auto& [name, value] : attributes)
    if (name == wanted) return value;
  return {};
}

const Element* Element::find(std::string_view path) const {
  std::string_view rest;
  std::string_view step = first_step(path, rest);
  for (const auto& child : children) {
    if (child.name != step) continue;
    if (rest.empty()) return &child;
    if (const Element* found = child.find(rest)) return found;
  }
  return nullptr;
}

std::vector<const Element*> Element::find_all(std::string_view path) const {
  std::vector<const Element*> found;
  std::string_view rest;
  std::string_view step = first_step(path, rest);
  for (const auto& child : children) {
    if (child.name != step) continue;
    if (rest.empty()) {
      found.push_back(&child);
    } else {
      for (const Element* deeper : child.find_all(rest)) found.push_back(deeper);
    }
  }
  return found;
}

std::string Element::value(std::string_view path) const {
  const Element* found = find(path);
  return found ? collapse_spaces(found->text) : std::string();
}

RecordReader::Result RecordReader::next() {
  for (;;) {
    XmlEvent event = xml_.next();
    switch (event.kind) {
      case XmlEvent::Kind::need_more: return {Result::Kind::need_more};
      case XmlEvent::Kind::done:
        if (!open_.empty()) return {Result::Kind::error, {}, record_offset_, "the file ends inside a <" + record_name_ + ">"};
        return {Result::Kind::done};
      case XmlEvent::Kind::error: return {Result::Kind::error, {}, event.offset, event.text};
      case XmlEvent::Kind::start:
        if (open_.empty()) {
          if (event.name != record_name_) break;
          root_ = Element{event.name, std::move(event.attributes), {}, {}};
          record_offset_ = event.offset;
          open_.push_back(&root_);
        } else {
          // Only ancestors are held: a sibling added later may move earlier ones, never these.
          auto& children = open_.back()->children;
          children.push_back(Element{event.name, std::move(event.attributes), {}, {}});
          open_.push_back(&children.back());
        }
        break;
      case XmlEvent::Kind::end:
        if (open_.empty()) break;
        if (event.name != open_.back()->name)
          return {Result::Kind::error, {}, event.offset, "</" + event.name + "> closes <" + open_.back()->name + ">"};
        open_.pop_back();
        if (open_.empty()) return {Result::Kind::record, std::move(root_), record_offset_, {}};
        break;
      case XmlEvent::Kind::text:
        for (Element* element : open_) element->text += event.text;
        break;
    }
  }
}

}  // namespace ptmc::ingest
