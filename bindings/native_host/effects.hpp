// What the native host's effect handlers share (one file per binding, as in bindings/): the
// result shapes, a bug stop, and listing pages.
#pragma once

#include "wasm/runtime/json.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ptmc::native {

inline Json ok(Json value = nullptr) { return {{"ok", true}, {"value", std::move(value)}}; }
inline Json failed(std::string error) { return {{"ok", false}, {"error", std::move(error)}}; }

[[noreturn]] inline void host_bug(const char* what) {
  std::fprintf(stderr, "native host: %s\n", what);
  std::abort();
}

inline std::string next_etag(int64_t& counter) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(++counter));
  return buffer;
}

// One page of a sorted map's keys under the effect's prefix, after its cursor, as R2 pages
// its listings. `render` gives an entry's JSON, or null to pass over it.
struct ListPage {
  Json items = Json::array();
  bool more = false;
  std::string cursor;
};

template <class Map, class Render>
ListPage list_page(const Map& map, const Json& effect, Render render) {
  std::string prefix = effect.value("prefix", "");
  auto limit = static_cast<size_t>(integer_field(effect, "limit").value_or(1000));
  std::string after = effect.value("cursor", "");
  ListPage page;
  for (auto it = map.lower_bound(after.empty() ? prefix : after); it != map.end(); ++it) {
    if (it->first.rfind(prefix, 0) != 0) break;
    if (it->first == after) continue;
    Json item = render(it->first, it->second);
    if (item.is_null()) continue;
    if (page.items.size() == limit) {
      page.more = true;
      break;
    }
    page.items.push_back(std::move(item));
    page.cursor = it->first;
  }
  if (!page.more) page.cursor.clear();
  return page;
}

}  // namespace ptmc::native
