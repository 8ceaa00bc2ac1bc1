// Internet addresses as URL parsers and Cloudflare write them: IPv4 the way the WHATWG URL
// parser (and so fetch()) reads a host, in decimal, octal or hex with 1 to 4 parts
// ("2130706433", "0x7f.1", "0177.0.0.1", "127.1"); IPv6 in RFC 4291 text with "::" and an
// embedded IPv4 tail; and the network an address belongs to, for aggregating by prefix.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptmc::net {

using Ipv6 = std::array<uint8_t, 16>;

// nullopt when the text is not such an address.
std::optional<uint32_t> parse_ipv4(std::string_view host);
std::optional<Ipv6> parse_ipv6(std::string_view text);  // without brackets

// WHATWG's "ends in a number": a host whose last label is a number (decimal, or 0x hex) is an
// IPv4 address or an invalid URL, never a name.
bool ends_in_number(std::string_view host);

std::string dotted(uint32_t address);

// The network of an address as text ("203.0.113.0/24", "2001:db8:1:2::/64"): its first
// `v4_bits` or `v6_bits` (a multiple of 16). Anything that is not an address is its own network.
std::string network_of(std::string_view address, int v4_bits, int v6_bits);

}  // namespace ptmc::net
