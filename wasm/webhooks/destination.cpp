#include "wasm/webhooks/destination.hpp"

#include "wasm/http/message.hpp"
#include "wasm/net/address.hpp"

#include <vector>

namespace ptmc::webhooks {
namespace {

using net::Ipv6;
using net::dotted;
using net::parse_ipv4;
using net::parse_ipv6;

bool all_of(std::string_view text, bool (*test)(char)) {
  for (char c : text)
    if (!test(c)) return false;
  return true;
}
bool is_decimal(char c) { return c >= '0' && c <= '9'; }

struct Range {
  uint32_t base;
  int bits;
  const char* what;
};
// IANA's IPv4 special-purpose registry, the ranges not globally reachable, plus multicast.
constexpr Range kSpecialIpv4[] = {
    {0x00000000, 8, "a 'this network' address"},  {0x0A000000, 8, "a private address"},
    {0x64400000, 10, "a shared (CGNAT) address"}, {0x7F000000, 8, "a loopback address"},
    {0xA9FE0000, 16, "a link-local address"},     {0xAC100000, 12, "a private address"},
    {0xC0000000, 24, "an IETF protocol address"}, {0xC0000200, 24, "a documentation address"},
    {0xC0586300, 24, "a 6to4 relay address"},     {0xC0A80000, 16, "a private address"},
    {0xC6120000, 15, "a benchmarking address"},   {0xC6336400, 24, "a documentation address"},
    {0xCB007100, 24, "a documentation address"},  {0xE0000000, 4, "a multicast address"},
    {0xF0000000, 4, "a reserved address"},
};

std::optional<std::string> special_ipv4(uint32_t address) {
  for (const auto& range : kSpecialIpv4) {
    uint32_t mask = range.bits == 0 ? 0 : ~uint32_t(0) << (32 - range.bits);
    if ((address & mask) == range.base) return dotted(address) + ", " + range.what;
  }
  return std::nullopt;
}

uint32_t ipv4_at(const Ipv6& bytes, size_t at) {
  return uint32_t(bytes[at]) << 24 | uint32_t(bytes[at + 1]) << 16 | uint32_t(bytes[at + 2]) << 8 | bytes[at + 3];
}

bool prefix_is(const Ipv6& bytes, const Ipv6& prefix, int bits) {
  for (int bit = 0; bit < bits; bit += 8) {
    auto at = static_cast<size_t>(bit / 8);
    auto mask = static_cast<uint8_t>(0xFF << (8 - std::min(8, bits - bit)));
    if ((bytes[at] & mask) != (prefix[at] & mask)) return false;
  }
  return true;
}

// IANA's IPv6 special-purpose registry, the ranges not globally reachable; and the forms that
// carry an IPv4 address, judged by that address.
std::optional<std::string> special_ipv6(const Ipv6& a) {
  bool zero96 = prefix_is(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 96);
  if (zero96 && ipv4_at(a, 12) <= 1) return std::string(ipv4_at(a, 12) == 0 ? "the unspecified address" : "a loopback address");
  if (zero96) return std::string("an IPv4-compatible address");
  if (prefix_is(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, 96) ||     // IPv4-mapped
      prefix_is(a, {0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0}, 96) ||     // IPv4-translated
      prefix_is(a, {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) {  // NAT64
    if (auto special = special_ipv4(ipv4_at(a, 12))) return "an IPv6 form of " + *special;
    return std::nullopt;
  }
  if (prefix_is(a, {0x20, 0x02}, 16)) {  // 6to4 carries an IPv4 address in bits 16 to 47
    if (auto special = special_ipv4(ipv4_at(a, 2))) return "a 6to4 form of " + *special;
    return std::nullopt;
  }
  struct Prefix {
    Ipv6 bytes;
    int bits;
    const char* what;
  };
  static constexpr Prefix kSpecial[] = {
      {{0, 0x64, 0xFF, 0x9B, 0, 1}, 48, "a local-use NAT64 address"},
      {{0x01, 0, 0, 0, 0, 0, 0, 0}, 64, "a discard address"},
      {{0x20, 0x01, 0x00}, 23, "an IETF protocol address"},
      {{0x20, 0x01, 0x0D, 0xB8}, 32, "a documentation address"},
      {{0x3F, 0xFF}, 20, "a documentation address"},
      {{0xFC}, 7, "a unique-local address"},
      {{0xFE, 0x80}, 10, "a link-local address"},
      {{0xFE, 0xC0}, 10, "a site-local address"},
      {{0xFF}, 8, "a multicast address"},
  };
  for (const auto& prefix : kSpecial)
    if (prefix_is(a, prefix.bytes, prefix.bits)) return std::string(prefix.what);
  return std::nullopt;
}

bool allowed_url_char(char c) {
  if (c <= 0x20 || c >= 0x7F) return false;
  return std::string_view("\\\"<>^`{|}").find(c) == std::string_view::npos;
}

// Names reserved for a local network or for the host itself (RFC 6761, 6762, 8375; .internal).
bool local_name(std::string_view name) {
  if (name.find('.') == std::string_view::npos) return true;  // a single label is an intranet name
  for (std::string_view suffix : {".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet"})
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return true;
  return false;
}

}  // namespace

std::optional<std::string> refused_destination(std::string_view url, bool allow_local) {
  if (url.empty() || !all_of(url, allowed_url_char))
    return "must be a plain URL: no spaces, control or non-ASCII characters, backslashes or quotes";
  auto scheme_end = url.find("://");
  std::string scheme = http::lower_ascii(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
  if (scheme != "https" && scheme != "http") return "must be an https URL";
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return "must not hold a user name or password";
  std::string_view host = authority, port;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) return "has an unterminated IPv6 address";
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port.front() != ':') return "has text after its IPv6 address";
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon);
    host = host.substr(0, colon);
  }
  if (!port.empty()) {
    port.remove_prefix(1);  // ':'; an empty port is the default one
    uint32_t value = 0;
    for (char c : port) value = value * 10 + static_cast<uint32_t>(c - '0');
    if (port.size() > 5 || !all_of(port, is_decimal) || value > 65535 || (!port.empty() && value == 0))
      return "has an invalid port";
  }
  if (host.empty()) return "has no host";
  if (host.find('%') != std::string_view::npos) return "must not percent-encode its host";
  std::string name = http::lower_ascii(host);
  if (allow_local && (name == "127.0.0.1" || name == "localhost")) return std::nullopt;
  if (scheme != "https")
    return allow_local ? "must be an https URL (or http://127.0.0.1 or http://localhost in development)" : "must be an https URL";
  if (authority.front() == '[') {
    auto address = parse_ipv6(name);
    if (!address) return "has an invalid IPv6 address";
    if (auto special = special_ipv6(*address)) return "must be a public address, not " + *special;
    return std::nullopt;
  }
  if (net::ends_in_number(name)) {
    auto address = parse_ipv4(name);
    if (!address) return "has an invalid IPv4 address";
    if (auto special = special_ipv4(*address)) return "must be a public address, not " + *special;
    return std::nullopt;
  }
  while (!name.empty() && name.back() == '.') name.pop_back();  // "localhost." is localhost
  for (char c : name)
    if (!(is_decimal(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.')) return "has an invalid host name";
  if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos) return "has an invalid host name";
  if (name == "localhost" || local_name(name)) return "must be a public host name, not one for a local network";
  return std::nullopt;
}

}  // namespace ptmc::webhooks
