// Where a patent's stored documents live in R2 (BLOBS): the XML it was published as, written by
// the ingestion job that loads it, and its PDF.
#pragma once

#include <string>
#include <string_view>

namespace ptmc::patents {

inline constexpr std::string_view kFullTextFile = "fulltext.xml", kPdfFile = "document.pdf";

// `number` canonical ("D656296", "20150012345").
inline std::string document_key(std::string_view number, std::string_view file) {
  return "patents/" + std::string(number) + "/" + std::string(file);
}

}  // namespace ptmc::patents
