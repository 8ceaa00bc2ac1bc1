// CPC symbols: "A" (section), "A01" (class), "A01B" (subclass), "A01B1/00" (main group),
// "A01B1/02" (subgroup). Sections A–H and Y.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::patents {

// The canonical symbol (upper case, no spaces; "%2F" read as "/"), or nullopt when the text is
// not one of the forms above.
std::optional<std::string> cpc_symbol(std::string_view text);

}  // namespace ptmc::patents
