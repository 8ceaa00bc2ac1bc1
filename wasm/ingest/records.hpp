// Records out of a streaming XML file: each <record_name> element (a grant, an assignment)
// becomes a small tree, so that memory holds one record at a time however large the file.
#pragma once

#include "wasm/ingest/xml.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::ingest {

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<Element> children;
  std::string text;  // all text inside, descendants' included, in document order

  std::string attribute(std::string_view name) const;
  // The first descendant along a path of names ("document-id/doc-number"); nullptr if none.
  const Element* find(std::string_view path) const;
  // Every descendant at the end of the path.
  std::vector<const Element*> find_all(std::string_view path) const;
  // The trimmed text at a path ("" when absent), with runs of white space made one space.
  std::string value(std::string_view path) const;
};

class RecordReader {
 public:
  explicit RecordReader(std::string record_name) : record_name_(std::move(record_name)) {}
  void feed(std::string_view bytes) { xml_.feed(bytes); }
  void finish() { xml_.finish(); }

  struct Result {
    enum class Kind { record, need_more, done, error } kind = Kind::need_more;
    Element record;
    uint64_t offset = 0;  // where the record (or the error) starts in the file
    std::string problem;
  };
  Result next();

 private:
  XmlReader xml_;
  std::string record_name_;
  Element root_;
  std::vector<Element*> open_;  // the record's open elements, outermost first
  uint64_t record_offset_ = 0;
};

}  // namespace ptmc::ingest
