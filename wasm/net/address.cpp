#include "wasm/net/address.hpp"

#include "wasm/http/message.hpp"

#include <vector>

namespace ptmc::net {
namespace {

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

}  // namespace

bool ends_in_number(std::string_view host) {
  auto labels = labels_of(host);
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();
  std::string_view last = labels.back();
  if (!last.empty() && all_of(last, is_decimal)) return true;
  return last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') && all_of(last.substr(2), is_hex);
}

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
std::optional<Ipv6> parse_ipv6(std::string_view text) {
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
  Ipv6 bytes{};
  for (size_t k = 0; k < 8; ++k) {
    bytes[2 * k] = static_cast<uint8_t>(pieces[k] >> 8);
    bytes[2 * k + 1] = static_cast<uint8_t>(pieces[k] & 0xff);
  }
  return bytes;
}

std::string dotted(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

std::string network_of(std::string_view address, int v4_bits, int v6_bits) {
  if (auto v4 = address.find(':') == std::string_view::npos ? parse_ipv4(address) : std::nullopt) {
    uint32_t mask = v4_bits <= 0 ? 0 : ~uint32_t(0) << (32 - v4_bits);
    return dotted(*v4 & mask) + "/" + std::to_string(v4_bits);
  }
  if (auto v6 = parse_ipv6(address)) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int piece = 0; piece < v6_bits / 16; ++piece) {
      uint32_t value = uint32_t((*v6)[2 * piece]) << 8 | (*v6)[2 * piece + 1];
      std::string text;
      do {
        text.insert(text.begin(), kHex[value & 0xf]);
        value >>= 4;
      } while (value);
      out += text + ":";
    }
    return out + ":/" + std::to_string(v6_bits);
  }
  return std::string(address);
}

}  // namespace ptmc::net
