// Entity names compared as people mean them: "Frito-Lay North America, Inc." and
// "FRITO LAY NORTH AMERICA INC" are one name.
#pragma once

#include <string>
#include <string_view>

namespace ptmc::patents {

// Upper case, punctuation to spaces, spaces collapsed, trailing legal forms dropped (INC,
// CORP, CORPORATION, CO, COMPANY, LLC, LTD, LIMITED, LLP, LP, PLC, GMBH, AG, KG, SA, NV, BV, KK).
// Non-ASCII letters are kept as they are.
std::string normalize_name(std::string_view name);

}  // namespace ptmc::patents
