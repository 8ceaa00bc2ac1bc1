#include "wasm/crypto/crypto.hpp"

#include <cstring>

namespace ptmc::crypto {
namespace {

constexpr std::array<uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::array<uint32_t, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
inline uint32_t load_be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }
inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr char kBase64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

Sha256::Sha256() : state_(kInitial) {}

// Fully unrolled, with the message schedule kept as a rolling window of 16 words: both the
// native and the Wasm build spend most of PBKDF2 here.
#define PTMC_SIGMA0(x) (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22))
#define PTMC_SIGMA1(x) (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25))
#define PTMC_GAMMA0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define PTMC_GAMMA1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))
#define PTMC_W(i) w[(i)&15]
#define PTMC_SCHEDULE(i) (PTMC_W(i) += PTMC_GAMMA1(PTMC_W((i)-2)) + PTMC_W((i)-7) + PTMC_GAMMA0(PTMC_W((i)-15)))
#define PTMC_ROUND(a, b, c, d, e, f, g, h, i, word)                              \
  {                                                                              \
    uint32_t t1 = h + PTMC_SIGMA1(e) + (g ^ (e & (f ^ g))) + kRound[i] + (word); \
    d += t1;                                                                     \
    h = t1 + PTMC_SIGMA0(a) + ((a & b) | (c & (a | b)));                         \
  }
#define PTMC_EIGHT(i, word)                              \
  PTMC_ROUND(a, b, c, d, e, f, g, h, i, word(i))         \
  PTMC_ROUND(h, a, b, c, d, e, f, g, i + 1, word(i + 1)) \
  PTMC_ROUND(g, h, a, b, c, d, e, f, i + 2, word(i + 2)) \
  PTMC_ROUND(f, g, h, a, b, c, d, e, i + 3, word(i + 3)) \
  PTMC_ROUND(e, f, g, h, a, b, c, d, i + 4, word(i + 4)) \
  PTMC_ROUND(d, e, f, g, h, a, b, c, i + 5, word(i + 5)) \
  PTMC_ROUND(c, d, e, f, g, h, a, b, i + 6, word(i + 6)) \
  PTMC_ROUND(b, c, d, e, f, g, h, a, i + 7, word(i + 7))

static void sha256_compress(std::array<uint32_t, 8>& state, const uint8_t* block) {
  uint32_t w[16];
  for (int i = 0; i < 16; ++i) w[i] = load_be32(block + 4 * i);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  PTMC_EIGHT(0, PTMC_W)
  PTMC_EIGHT(8, PTMC_W)
  PTMC_EIGHT(16, PTMC_SCHEDULE)
  PTMC_EIGHT(24, PTMC_SCHEDULE)
  PTMC_EIGHT(32, PTMC_SCHEDULE)
  PTMC_EIGHT(40, PTMC_SCHEDULE)
  PTMC_EIGHT(48, PTMC_SCHEDULE)
  PTMC_EIGHT(56, PTMC_SCHEDULE)
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

#undef PTMC_EIGHT
#undef PTMC_ROUND
#undef PTMC_SCHEDULE
#undef PTMC_W
#undef PTMC_GAMMA1
#undef PTMC_GAMMA0
#undef PTMC_SIGMA1
#undef PTMC_SIGMA0

void Sha256::compress(const uint8_t* block) { sha256_compress(state_, block); }

Sha256& Sha256::update(std::string_view bytes) {
  auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t size = bytes.size();
  length_ += size;
  if (buffered_ > 0) {
    size_t take = std::min(size, 64 - buffered_);
    std::memcpy(buffer_.data() + buffered_, data, take);
    buffered_ += take;
    data += take;
    size -= take;
    if (buffered_ < 64) return *this;
    compress(buffer_.data());
    buffered_ = 0;
  }
  for (; size >= 64; data += 64, size -= 64) compress(data);
  std::memcpy(buffer_.data(), data, size);
  buffered_ = size;
  return *this;
}

Digest Sha256::finish() {
  uint64_t bits = length_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    std::memset(buffer_.data() + buffered_, 0, 64 - buffered_);
    compress(buffer_.data());
    buffered_ = 0;
  }
  std::memset(buffer_.data() + buffered_, 0, 56 - buffered_);
  for (int i = 0; i < 8; ++i) buffer_[56 + i] = uint8_t(bits >> (56 - 8 * i));
  compress(buffer_.data());
  Digest digest;
  for (int i = 0; i < 8; ++i) store_be32(digest.data() + 4 * i, state_[i]);
  return digest;
}

Digest sha256(std::string_view bytes) { return Sha256().update(bytes).finish(); }

std::string sha256_hex(std::string_view bytes) { return hex(bytes_of(sha256(bytes))); }

HmacSha256::HmacSha256(std::string_view key) {
  uint8_t block[64] = {};
  if (key.size() > 64) {
    Digest hashed = sha256(key);
    std::memcpy(block, hashed.data(), hashed.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  uint8_t pad[64];
  for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
  inner_.update({reinterpret_cast<const char*>(pad), 64});
  for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
  outer_.update({reinterpret_cast<const char*>(pad), 64});
}

Digest HmacSha256::mac(std::string_view message) const {
  Digest inner = Sha256(inner_).update(message).finish();
  return Sha256(outer_).update(bytes_of(inner)).finish();
}

Digest hmac_sha256(std::string_view key, std::string_view message) { return HmacSha256(key).mac(message); }

// HMAC of a 32-byte message from the keyed states: one block each for the inner and outer
// hash, padded once (64 key-pad bytes + 32 message bytes = 768 bits).
Digest HmacSha256::mac_digest(const Digest& message) const {
  std::array<uint8_t, 64> block{};
  std::memcpy(block.data(), message.data(), 32);
  block[32] = 0x80;
  block[62] = 0x03;  // 768 = 0x0300
  auto inner = inner_.state_;
  sha256_compress(inner, block.data());
  for (int i = 0; i < 8; ++i) store_be32(block.data() + 4 * i, inner[i]);
  auto outer = outer_.state_;
  sha256_compress(outer, block.data());
  Digest out;
  for (int i = 0; i < 8; ++i) store_be32(out.data() + 4 * i, outer[i]);
  return out;
}

std::string pbkdf2_hmac_sha256(std::string_view password, std::string_view salt, uint32_t iterations, size_t length) {
  HmacSha256 prf(password);
  std::string out;
  out.reserve(length);
  for (uint32_t block = 1; out.size() < length; ++block) {
    std::string first(salt);
    for (int shift = 24; shift >= 0; shift -= 8) first += char((block >> shift) & 0xff);
    Digest u = prf.mac(first);
    Digest t = u;
    for (uint32_t i = 1; i < iterations; ++i) {
      u = prf.mac_digest(u);
      for (size_t j = 0; j < t.size(); ++j) t[j] ^= u[j];
    }
    out.append(bytes_of(t).substr(0, std::min(t.size(), length - out.size())));
  }
  return out;
}

uint32_t crc32(std::string_view bytes) {
  static const auto table = [] {
    std::array<uint32_t, 256> entries{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      entries[i] = c;
    }
    return entries;
  }();
  uint32_t crc = 0xffffffffu;
  for (unsigned char byte : bytes) crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

namespace {

uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t load64(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];  // little-endian, any alignment
  return value;
}

uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

std::array<uint8_t, 16> murmur3_128(std::string_view bytes) {
  constexpr uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t blocks = bytes.size() / 16;
  uint64_t h1 = 0, h2 = 0;
  auto mix1 = [&](uint64_t k1) { h1 ^= rotl64(k1 * c1, 31) * c2; };
  auto mix2 = [&](uint64_t k2) { h2 ^= rotl64(k2 * c2, 33) * c1; };
  for (size_t i = 0; i < blocks; ++i) {
    mix1(load64(data + i * 16));
    h1 = (rotl64(h1, 27) + h2) * 5 + 0x52dce729;
    mix2(load64(data + i * 16 + 8));
    h2 = (rotl64(h2, 31) + h1) * 5 + 0x38495ab5;
  }
  const uint8_t* tail = data + blocks * 16;
  const size_t rest = bytes.size() & 15;
  uint64_t k1 = 0, k2 = 0;
  for (size_t i = rest; i > 8; --i) k2 = (k2 << 8) | tail[i - 1];
  for (size_t i = rest < 8 ? rest : 8; i > 0; --i) k1 = (k1 << 8) | tail[i - 1];
  if (rest > 8) mix2(k2);
  if (rest > 0) mix1(k1);
  h1 ^= bytes.size();
  h2 ^= bytes.size();
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  std::array<uint8_t, 16> out;
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<uint8_t>(h1 >> (8 * i));
    out[8 + i] = static_cast<uint8_t>(h2 >> (8 * i));
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64url[(n >> shift) & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | (rest == 2 ? uint32_t(uint8_t(bytes[i + 1])) << 8 : 0);
    out += kBase64url[(n >> 18) & 63];
    out += kBase64url[(n >> 12) & 63];
    if (rest == 2) out += kBase64url[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    accumulator = (accumulator << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((accumulator >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one encoding.
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string base62(uint64_t value, size_t width) {
  std::string digits;
  do {
    digits.insert(digits.begin(), kBase62[value % 62]);
    value /= 62;
  } while (value > 0);
  if (digits.size() < width) digits.insert(digits.begin(), width - digits.size(), '0');
  return digits;
}

bool is_base62(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference = difference | (uint8_t(a[i]) ^ uint8_t(b[i]));
  return difference == 0;
}

}  // namespace ptmc::crypto
