#include "wasm/webhooks/destination.hpp"

#include "wasm/http/message.hpp"

#include <vector>

namespace ptmc::webhooks {
namespace {

using Ipv6 = std::array<uint8_t, 16>;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool all_of(std::string_view text, bool (*test)(char)) {
  for (char c : text)
    if (!test(c)) return false;
  return true;
}
bool is_decimal(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return hex_digit(c) >= 0; }

// One part of an IPv4 address as WHATWG reads it: 0x… hex, 0… octal, else decimal.
std::optional<uint64_t> ipv4_number(std::string_view part) {
  int radix = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    int digit = hex_digit(c);
    if (digit < 0 || digit >= radix) return std::nullopt;
    value = value * static_cast<uint64_t>(radix) + static_cast<uint64_t>(digit);
    if (value > 0xFFFFFFFFull) return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> labels_of(std::string_view host) {
  std::vector<std::string_view> labels;
  for (std::string_view rest = host;;) {
    labels.push_back(http::take_until(rest, '.'));
    if (rest.empty()) break;
  }
  if (host.back() == '.') labels.push_back("");
  return labels;
}

// WHATWG's "ends in a number": such a host is an IPv4 address or an invalid URL, never a name.
bool ends_in_number(std::string_view host) {
  auto labels = labels_of(host);
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();
  std::string_view last = labels.back();
  if (!last.empty() && all_of(last, is_decimal)) return true;
  return last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') && all_of(last.substr(2), is_hex);
}

std::string dotted(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

struct Range {
  uint32_t base;
  int bits;
  const char* what;
};
// IANA's IPv4 special-purpose registry, the ranges not globally reachable, plus multicast.
constexpr Range kSpecialIpv4[] = {
    {0x00000000, 8, "a 'this network' address"},    {0x0A000000, 8, "a private address"},
    {0x64400000, 10, "a shared (CGNAT) address"},    {0x7F000000, 8, "a loopback address"},
    {0xA9FE0000, 16, "a link-local address"},        {0xAC100000, 12, "a private address"},
    {0xC0000000, 24, "an IETF protocol address"},    {0xC0000200, 24, "a documentation address"},
    {0xC0586300, 24, "a 6to4 relay address"},        {0xC0A80000, 16, "a private address"},
    {0xC6120000, 15, "a benchmarking address"},      {0xC6336400, 24, "a documentation address"},
    {0xCB007100, 24, "a documentation address"},     {0xE0000000, 4, "a multicast address"},
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
      {{0, 0x64, 0xFF, 0x9B, 0, 1}, 48, "a local-use NAT64 address"}, {{0x01, 0, 0, 0, 0, 0, 0, 0}, 64, "a discard address"},
      {{0x20, 0x01, 0x00}, 23, "an IETF protocol address"},           {{0x20, 0x01, 0x0D, 0xB8}, 32, "a documentation address"},
      {{0x3F, 0xFF}, 20, "a documentation address"},            {{0xFC}, 7, "a unique-local address"},
      {{0xFE, 0x80}, 10, "a link-local address"},                     {{0xFE, 0xC0}, 10, "a site-local address"},
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

std::optional<uint32_t> parse_ipv4(std::string_view host) {
  if (host.empty()) return std::nullopt;
  auto labels = labels_of(host);
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();
  if (labels.size() > 4) return std::nullopt;
  std::vector<uint64_t> numbers;
  for (auto label : labels) {
    auto number = label.empty() ? std::nullopt : ipv4_number(label);
    if (!number) return std::nullopt;
    numbers.push_back(*number);
  }
  for (size_t i = 0; i + 1 < numbers.size(); ++i)
    if (numbers[i] > 255) return std::nullopt;
  if (numbers.back() >= (uint64_t(1) << (8 * (5 - numbers.size())))) return std::nullopt;
  uint64_t address = numbers.back();
  for (size_t i = 0; i + 1 < numbers.size(); ++i) address += numbers[i] << (8 * (3 - i));
  return static_cast<uint32_t>(address);
}

// RFC 4291 text form, as WHATWG's IPv6 parser reads it.
std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text) {
  std::array<uint16_t, 8> pieces{};
  size_t piece = 0, i = 0;
  std::optional<size_t> compress;
  auto at = [&](size_t k) { return k < text.size() ? text[k] : '\0'; };
  if (at(0) == ':') {
    if (at(1) != ':') return std::nullopt;
    i = 2;
    compress = ++piece;
  }
  while (i < text.size()) {
    if (piece == 8) return std::nullopt;
    if (at(i) == ':') {
      if (compress) return std::nullopt;
      ++i;
      compress = ++piece;
      continue;
    }
    uint32_t value = 0;
    size_t length = 0;
    while (length < 4 && is_hex(at(i))) {
      value = value * 16 + static_cast<uint32_t>(hex_digit(at(i)));
      ++i;
      ++length;
    }
    if (at(i) == '.') {  // an embedded IPv4 address: the last two pieces
      if (length == 0 || piece > 6) return std::nullopt;
      i -= length;
      int seen = 0;
      while (i < text.size()) {
        if (seen > 0) {
          if (at(i) != '.' || seen >= 4) return std::nullopt;
          ++i;
        }
        if (!is_decimal(at(i))) return std::nullopt;
        int octet = -1;
        while (is_decimal(at(i))) {
          int digit = at(i) - '0';
          if (octet == 0) return std::nullopt;  // no leading zeros
          octet = octet < 0 ? digit : octet * 10 + digit;
          if (octet > 255) return std::nullopt;
          ++i;
        }
        pieces[piece] = static_cast<uint16_t>(pieces[piece] * 0x100 + octet);
        if (++seen == 2 || seen == 4) ++piece;
      }
      if (seen != 4) return std::nullopt;
      break;
    }
    if (at(i) == ':') {
      ++i;
      if (i == text.size()) return std::nullopt;
    } else if (i < text.size()) {
      return std::nullopt;
    }
    pieces[piece++] = static_cast<uint16_t>(value);
  }
  if (compress) {
    size_t swaps = piece - *compress;
    for (size_t last = 7; last != 0 && swaps > 0; --last, --swaps) std::swap(pieces[last], pieces[*compress + swaps - 1]);
  } else if (piece != 8) {
    return std::nullopt;
  }
  std::array<uint8_t, 16> bytes{};
  for (size_t k = 0; k < 8; ++k) {
    bytes[2 * k] = static_cast<uint8_t>(pieces[k] >> 8);
    bytes[2 * k + 1] = static_cast<uint8_t>(pieces[k] & 0xff);
  }
  return bytes;
}

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
    port.remove_prefix(1);
    auto value = all_of(port, is_decimal) && port.size() <= 5 ? ipv4_number(port.empty() ? "0" : port) : std::nullopt;
    if (!value || *value > 65535 || (!port.empty() && *value == 0)) return "has an invalid port";
  }
  if (host.empty()) return "has no host";
  if (host.find('%') != std::string_view::npos) return "must not percent-encode its host";
  std::string name = http::lower_ascii(host);
  if (allow_local && (name == "127.0.0.1" || name == "localhost")) return std::nullopt;
  if (scheme != "https") return allow_local ? "must be an https URL (or http://127.0.0.1 or http://localhost in development)"
                                            : "must be an https URL";
  if (authority.front() == '[') {
    auto address = parse_ipv6(name);
    if (!address) return "has an invalid IPv6 address";
    if (auto special = special_ipv6(*address)) return "must be a public address, not " + *special;
    return std::nullopt;
  }
  if (ends_in_number(name)) {
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
