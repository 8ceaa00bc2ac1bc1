// A streaming XML reader for USPTO bulk files: fed chunks of any size, it hands out one event
// at a time, holding only the token it is reading. It understands what those files contain:
// XML declarations (several, when documents are concatenated), an internal DTD subset with
// <!ENTITY> declarations, comments, CDATA, the predefined and numeric character references,
// and attributes in either quote. Names are not checked against the DTD.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ptmc::ingest {

struct XmlEvent {
  enum class Kind { start, end, text, need_more, done, error };
  Kind kind = Kind::need_more;
  std::string name;                                          // start, end
  std::vector<std::pair<std::string, std::string>> attributes;  // start
  std::string text;                                          // text (decoded); error: what is wrong
  uint64_t offset = 0;                                       // where the token starts in the stream
};

class XmlReader {
 public:
  void feed(std::string_view bytes);
  void finish();  // no more input: an unfinished token becomes an error
  XmlEvent next();
  uint64_t offset() const { return consumed_ + position_; }

 private:
  XmlEvent error(std::string what, uint64_t at);
  bool decode(std::string_view raw, std::string& out, std::string& problem) const;
  void declare_entities(std::string_view subset);

  std::string buffer_;
  size_t position_ = 0;   // next unread byte of buffer_
  uint64_t consumed_ = 0;  // bytes dropped from the front of buffer_
  bool finished_ = false;
  bool failed_ = false;
  std::string pending_end_;  // the name of a self-closing element, whose end comes next
  std::map<std::string, std::string, std::less<>> entities_;
};

// Appends code point `c` to `out` as UTF-8.
void append_utf8(uint32_t c, std::string& out);

}  // namespace ptmc::ingest
