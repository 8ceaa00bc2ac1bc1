// A streaming XML reader for USPTO bulk files: fed chunks of any size, it hands out one event
// at a time, holding only the token it is reading. It understands what those files contain:
// XML declarations (several, when documents are concatenated), an internal DTD subset with
// <!ENTITY> declarations, comments, CDATA, the predefined and numeric character references,
// and attributes in either quote. Names are not checked against the DTD.
//
// Events point into the reader's buffer instead of copying: a parser of 100 MB files spends
// its time per byte, so nothing is allocated per event once the buffers have grown.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::ingest {

struct XmlAttribute {
  std::string_view name, value;  // value decoded
};

// Every view stays valid until the next call of next(), feed() or finish().
struct XmlEvent {
  enum class Kind { start, end, text, need_more, done, error };
  Kind kind = Kind::need_more;
  std::string_view name;                     // start, end
  std::span<const XmlAttribute> attributes;  // start
  std::string_view text;                     // text (decoded); error: what is wrong
  uint64_t offset = 0;                       // where the token starts in the stream
};

class XmlReader {
 public:
  void feed(std::string_view bytes);
  void finish();  // no more input: an unfinished token becomes an error
  XmlEvent next();
  // Bounds memory when a token never ends (a text with no '<', an unclosed comment).
  static constexpr size_t kMaxTokenBytes = 64 << 20;
  // Bounds what declared entities may expand to, over the whole stream and their declarations
  // too: nested <!ENTITY> declarations ("billion laughs") would otherwise reach gigabytes.
  static constexpr size_t kMaxEntityExpansionBytes = 1 << 20;
  uint64_t offset() const { return consumed_ + position_; }
  // The first markup ('<': a declaration, a comment, a DOCTYPE or a tag) read since the last
  // start_document(), or since the stream began: where a document of a concatenated file starts.
  void start_document() { document_start_ = kNoOffset; }
  uint64_t document_start() const { return document_start_; }
  static constexpr uint64_t kNoOffset = UINT64_MAX;

 private:
  XmlEvent error(std::string what, uint64_t at);
  // No whole token is buffered: an error at the end of input or past the size bound.
  XmlEvent need_more(const char* inside, uint64_t at);
  XmlEvent tag(std::string_view rest, uint64_t at);
  bool decode(std::string_view raw, std::string& out, std::string& problem);
  bool read_attributes(std::string_view raw, std::string& problem);
  // Empty, or why the declarations cannot be used.
  std::string declare_entities(std::string_view subset);

  std::string buffer_;
  size_t position_ = 0;    // next unread byte of buffer_
  uint64_t consumed_ = 0;  // bytes dropped from the front of buffer_
  uint64_t document_start_ = kNoOffset;
  bool finished_ = false;
  bool failed_ = false;
  size_t text_scanned_ = 0;  // of an unfinished text, how much has been scanned
  bool text_reference_ = false;
  std::string pending_end_;  // the name of a self-closing element, whose end comes next
  std::string problem_;      // an error event's text
  std::string text_scratch_, attribute_scratch_;
  std::vector<XmlAttribute> attributes_;
  std::vector<std::pair<size_t, size_t>> decoded_values_;  // attributes_ index, start in attribute_scratch_
  std::map<std::string, std::string, std::less<>> entities_;
  size_t entity_bytes_ = 0;  // produced by declared entities so far
};

// Appends code point `c` to `out` as UTF-8.
void append_utf8(uint32_t c, std::string& out);

}  // namespace ptmc::ingest
