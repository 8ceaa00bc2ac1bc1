// Entity names compared as people mean them: "Frito-Lay North America, Inc." and
// "FRITO LAY NORTH AMERICA INC" are one name, and "INTERNATIONAL BUSINES MACHINES" is a
// misspelling of a name already known.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ptmc::patents {

// Upper case, punctuation to spaces, spaces collapsed; then the NBER patent-data project's
// 941 substitutions in their order (AKTIENGESELLSCHAFT -> AG, CORPORATION -> CORP,
// LABORATORIES -> LAB, …; wasm/patents/nber_substitutions.csv); then trailing legal forms
// dropped (INC, CORP, CO, LLC, LTD, LP, PLC, GMBH, AG, KG, SA, NV, BV, KK, AB, …) unless that
// would empty the name. Non-ASCII letters are kept as they are.
std::string normalize_name(std::string_view name);

// Levenshtein distance in bytes, or limit + 1 when it is larger than `limit`.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit);

// Whether two different normalised names are one entity misspelt: both at least 8 bytes, the
// same digits in the same order ("FUND II" and "FUND III" differ; so do "ACME 1" and
// "ACME 2"), and at most 1 edit apart (2 from 16 bytes on).
bool same_entity(std::string_view a, std::string_view b);
// How far apart two names of this length may be for same_entity.
size_t allowed_edits(size_t length);

// The name shard: the first two bytes of a normalised name. Near-identical names share it
// unless they differ there, which is the price of serialising each shard separately.
std::string name_shard(std::string_view normalized);

}  // namespace ptmc::patents
