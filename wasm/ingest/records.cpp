#include "wasm/ingest/records.hpp"

namespace ptmc::ingest {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view text) {
  for (char c : text)
    if (!is_space(c)) return false;
  return true;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
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

uint32_t size32(size_t size) { return static_cast<uint32_t>(size); }

}  // namespace

std::string_view Element::name() const {
  if (!record_) return {};
  const auto& node = record_->nodes_[index_];
  return record_->string(node.name_begin, node.name_size);
}

std::string_view Element::text() const {
  if (!record_) return {};
  const auto& node = record_->nodes_[index_];
  return std::string_view(record_->text_).substr(node.text_begin, node.text_end - node.text_begin);
}

std::string_view Element::attribute(std::string_view wanted) const {
  if (!record_) return {};
  const auto& node = record_->nodes_[index_];
  for (uint32_t i = node.attributes_begin; i < node.attributes_end; ++i) {
    const auto& attribute = record_->attributes_[i];
    if (record_->string(attribute.name_begin, attribute.name_size) == wanted)
      return record_->string(attribute.value_begin, attribute.value_size);
  }
  return {};
}

Element Element::find(std::string_view path) const {
  if (!record_) return {};
  std::string_view rest;
  std::string_view step = first_step(path, rest);
  for (uint32_t child = record_->nodes_[index_].first_child; child != Record::kNone;
       child = record_->nodes_[child].next_sibling) {
    Element element(record_, child);
    if (element.name() != step) continue;
    if (rest.empty()) return element;
    if (Element found = element.find(rest)) return found;
  }
  return {};
}

void Element::collect(std::string_view path, std::vector<Element>& found) const {
  std::string_view rest;
  std::string_view step = first_step(path, rest);
  for (uint32_t child = record_->nodes_[index_].first_child; child != Record::kNone;
       child = record_->nodes_[child].next_sibling) {
    Element element(record_, child);
    if (element.name() != step) continue;
    if (rest.empty()) found.push_back(element);
    else element.collect(rest, found);
  }
}

std::vector<Element> Element::find_all(std::string_view path) const {
  std::vector<Element> found;
  if (record_) collect(path, found);
  return found;
}

std::string Element::value(std::string_view path) const { return collapse_spaces(find(path).text()); }

// Appends the element a start event opens to the record under construction.
void RecordReader::open(const XmlEvent& start) {
  Record& r = record_;
  Record::Node node{
      size32(r.strings_.size()), size32(start.name.size()), size32(r.attributes_.size()), 0, size32(r.text_.size()), 0};
  r.strings_ += start.name;
  for (const auto& attribute : start.attributes) {
    uint32_t name_begin = size32(r.strings_.size());
    r.strings_ += attribute.name;
    uint32_t value_begin = size32(r.strings_.size());
    r.strings_ += attribute.value;
    r.attributes_.push_back({name_begin, size32(attribute.name.size()), value_begin, size32(attribute.value.size())});
  }
  node.attributes_end = size32(r.attributes_.size());
  uint32_t index = size32(r.nodes_.size());
  if (!open_.empty()) {
    auto& parent = r.nodes_[open_.back()];
    if (parent.last_child == Record::kNone) parent.first_child = index;
    else r.nodes_[parent.last_child].next_sibling = index;
    parent.last_child = index;
  }
  r.nodes_.push_back(node);
  open_.push_back(index);
}

RecordReader::Result RecordReader::too_large() {
  open_.clear();
  record_ = Record();
  return {Result::Kind::error, {}, record_offset_, "a <" + record_name_ + "> larger than 64 MiB"};
}

RecordReader::Result RecordReader::next() {
  for (;;) {
    XmlEvent event = xml_.next();
    switch (event.kind) {
      case XmlEvent::Kind::need_more:
        return {Result::Kind::need_more};
      case XmlEvent::Kind::done:
        if (!open_.empty()) return {Result::Kind::error, {}, record_offset_, "the file ends inside a <" + record_name_ + ">"};
        return {Result::Kind::done};
      case XmlEvent::Kind::error:
        return {Result::Kind::error, {}, event.offset, std::string(event.text)};
      case XmlEvent::Kind::start:
        if (open_.empty()) {
          if (event.name != record_name_) break;
          // The next record will need about as much room as this one did.
          record_ = Record();
          record_.nodes_.reserve(last_record_.nodes);
          record_.attributes_.reserve(last_record_.attributes);
          record_.strings_.reserve(last_record_.strings);
          record_.text_.reserve(last_record_.text);
          record_offset_ = event.offset;
          document_offset_ = xml_.document_start();
        }
        open(event);
        if (record_.strings_.size() + record_.nodes_.size() * sizeof(Record::Node) > kMaxRecordBytes) return too_large();
        break;
      case XmlEvent::Kind::end: {
        if (open_.empty()) break;
        auto& node = record_.nodes_[open_.back()];
        std::string_view open_name = record_.string(node.name_begin, node.name_size);
        if (event.name != open_name)
          return {Result::Kind::error,
                  {},
                  event.offset,
                  "</" + std::string(event.name) + "> closes <" + std::string(open_name) + ">"};
        node.text_end = size32(record_.text_.size());
        open_.pop_back();
        if (!open_.empty()) break;
        last_record_ = {record_.nodes_.size(), record_.attributes_.size(), record_.strings_.size(), record_.text_.size()};
        xml_.start_document();
        return {Result::Kind::record, std::move(record_), record_offset_, {}, document_offset_, xml_.offset()};
      }
      case XmlEvent::Kind::text:
        if (open_.empty()) break;
        // Indentation between elements is most of the text: kept as one space, since values
        // collapse white space anyway.
        if (!is_blank(event.text)) record_.text_ += event.text;
        else if (!record_.text_.empty() && record_.text_.back() != ' ') record_.text_ += ' ';
        if (record_.text_.size() > kMaxRecordBytes) return too_large();
        break;
    }
  }
}

}  // namespace ptmc::ingest
