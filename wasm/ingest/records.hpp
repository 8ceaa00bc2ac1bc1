// Records out of a streaming XML file: each <record_name> element (a grant, an assignment)
// becomes one Record, so that memory holds one record at a time however large the file.
//
// A Record is flat: its elements in document order, with all of its text in one string. An
// element's text (its descendants' included) is then one range of that string, so text is
// copied once however deep it sits, and a record costs a few allocations, not one per element.
#pragma once

#include "wasm/ingest/xml.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::ingest {

class Record;

// One element of a Record; a null Element (from a failed find) answers empty values.
class Element {
 public:
  Element() = default;
  Element(const Record* record, uint32_t index) : record_(record), index_(index) {}
  explicit operator bool() const { return record_ != nullptr; }

  std::string_view name() const;
  // All text inside, descendants' included, in document order; white space alone between
  // elements is one space.
  std::string_view text() const;
  std::string_view attribute(std::string_view name) const;
  // The first descendant along a path of names ("document-id/doc-number"); null if none.
  Element find(std::string_view path) const;
  // Every descendant at the end of the path.
  std::vector<Element> find_all(std::string_view path) const;
  // The trimmed text at a path ("" when absent), with runs of white space made one space.
  std::string value(std::string_view path) const;

 private:
  void collect(std::string_view path, std::vector<Element>& found) const;
  const Record* record_ = nullptr;
  uint32_t index_ = 0;
};

class Record {
 public:
  Element root() const { return nodes_.empty() ? Element() : Element(this, 0); }

 private:
  friend class Element;
  friend class RecordReader;
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Node {
    uint32_t name_begin, name_size;             // in strings_
    uint32_t attributes_begin, attributes_end;  // in attributes_
    uint32_t text_begin, text_end;              // in text_
    uint32_t first_child = kNone, last_child = kNone, next_sibling = kNone;
  };
  struct Attribute {
    uint32_t name_begin, name_size, value_begin, value_size;  // in strings_
  };
  std::string_view string(uint32_t begin, uint32_t size) const { return std::string_view(strings_).substr(begin, size); }

  std::vector<Node> nodes_;
  std::vector<Attribute> attributes_;
  std::string strings_;
  std::string text_;
};

class RecordReader {
 public:
  explicit RecordReader(std::string record_name) : record_name_(std::move(record_name)) {}
  void feed(std::string_view bytes) { xml_.feed(bytes); }
  void finish() { xml_.finish(); }

  struct Result {
    enum class Kind { record, need_more, done, error } kind = Kind::need_more;
    Record record;
    uint64_t offset = 0;  // where the record (or the error) starts in the file
    std::string problem;
    // A record: where its document starts (its prolog's first byte: the first markup after the
    // record before) and the byte after its end tag. The range is the document's own XML.
    uint64_t document_offset = 0, end = 0;
  };
  // Bounds memory when a record never closes; real grants are far smaller.
  static constexpr size_t kMaxRecordBytes = 64 << 20;
  Result next();

 private:
  void open(const XmlEvent& start);
  Result too_large();
  XmlReader xml_;
  std::string record_name_;
  Record record_;
  struct Sizes {
    size_t nodes = 0, attributes = 0, strings = 0, text = 0;
  } last_record_;
  std::vector<uint32_t> open_;  // the record's open elements, outermost first
  uint64_t record_offset_ = 0, document_offset_ = 0;
};

}  // namespace ptmc::ingest
