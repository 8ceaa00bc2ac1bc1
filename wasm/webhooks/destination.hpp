// Where a webhook may be delivered: a public https URL, refused when its host is, in any
// spelling a URL parser accepts, an address that is not globally reachable (private,
// loopback, link-local, CGNAT, unique-local, multicast, unspecified, documentation and other
// special-purpose ranges of the IANA registries), or a name reserved for local use. The host
// is read the way the WHATWG URL parser (and so fetch()) reads it: IPv4 in decimal, octal or
// hex, with 1 to 4 parts ("2130706433", "0x7f.1", "0177.0.0.1", "127.1"), IPv6 with "::",
// embedded IPv4 and IPv4-mapped, 6to4 and NAT64 forms, a trailing dot, any letter case.
// Percent-encoded and non-ASCII hosts (which fetch() would decode or map) are refused outright.
//
// With `allow_local` (development), http:// and https:// to exactly 127.0.0.1 or localhost
// are accepted too, on any port.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::webhooks {

// nullopt when `url` may receive deliveries; else why not, for people.
std::optional<std::string> refused_destination(std::string_view url, bool allow_local);

}  // namespace ptmc::webhooks
