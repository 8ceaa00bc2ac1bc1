// wasm/crypto on the published test vectors, and differentially against OpenSSL.
#include "wasm/crypto/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace ptmc::crypto;

namespace {

std::string hex_of(const Digest& digest) { return hex(bytes_of(digest)); }
std::string unhex(std::string_view text) {
  std::string out;
  for (size_t i = 0; i + 1 < text.size(); i += 2) out += char(std::stoi(std::string(text.substr(i, 2)), nullptr, 16));
  return out;
}

std::string openssl_sha256(std::string_view data) {
  unsigned char out[32];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string openssl_hmac(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string openssl_pbkdf2(std::string_view password, std::string_view salt, int iterations, size_t length) {
  std::string out(length, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), reinterpret_cast<const unsigned char*>(salt.data()), int(salt.size()),
                    iterations, EVP_sha256(), int(length), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

TEST_CASE("SHA-256 matches FIPS 180-4's examples", "[crypto]") {
  CHECK(hex_of(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_of(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_of(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(
      hex_of(sha256(
          "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")) ==
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  Sha256 million;
  std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(thousand);
  CHECK(hex_of(million.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231", "[crypto]") {
  struct Case {
    std::string key, data, mac;
  };
  const Case cases[] = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed "
       "before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) CHECK(hex_of(hmac_sha256(c.key, c.data)) == c.mac);
  // Case 5: the output truncated to 128 bits.
  CHECK(hex_of(hmac_sha256(std::string(20, '\x0c'), "Test With Truncation")).substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
}

TEST_CASE("PBKDF2-HMAC-SHA256 matches RFC 7914 section 11", "[crypto]") {
  CHECK(hex(pbkdf2_hmac_sha256("passwd", "salt", 1, 64)) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  CHECK(hex(pbkdf2_hmac_sha256("Password", "NaCl", 80000, 64)) ==
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST_CASE("SHA-256, HMAC and PBKDF2 agree with OpenSSL on 10,000 random inputs", "[crypto]") {
  std::mt19937_64 random(20261123);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 4096), key_length(0, 200);
  auto bytes = [&](size_t n) {
    std::string out(n, '\0');
    for (auto& c : out) c = char(byte(random));
    return out;
  };
  int mismatches = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string data = bytes(size_t(length(random)));
    std::string key = bytes(size_t(key_length(random)));  // up to 200 bytes: longer than a block
    if (std::string(bytes_of(sha256(data))) != openssl_sha256(data)) ++mismatches;
    if (std::string(bytes_of(hmac_sha256(key, data))) != openssl_hmac(key, data)) ++mismatches;
    // Incremental updates in uneven pieces give the same digest.
    Sha256 pieces;
    for (size_t at = 0; at < data.size(); at += 1 + at % 97) pieces.update(std::string_view(data).substr(at, 1 + at % 97));
    if (std::string(bytes_of(pieces.finish())) != openssl_sha256(data)) ++mismatches;
    if (i % 50 == 0) {
      size_t out_length = 1 + size_t(byte(random)) % 100;
      int iterations = 1 + byte(random) * 4;
      if (pbkdf2_hmac_sha256(key, data.substr(0, 64), uint32_t(iterations), out_length) !=
          openssl_pbkdf2(key, data.substr(0, 64), iterations, out_length))
        ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("CRC-32 matches the IEEE check value", "[crypto]") {
  CHECK(crc32("123456789") == 0xcbf43926u);
  CHECK(crc32("") == 0u);
}

TEST_CASE("MurmurHash3 x64-128 gives the published value and a different hash for every change", "[crypto]") {
  auto hex_of = [](std::string_view text) { return hex(bytes_of(murmur3_128(text))); };
  CHECK(hex_of("") == std::string(32, '0'));
  CHECK(hex_of("The quick brown fox jumps over the lazy dog") == "6c1b07bc7bbc4be347939ac4a93c437a");
  // Every length through two blocks and a tail, and every one-bit change of a 40-byte input.
  std::set<std::string> seen;
  std::string text;
  for (int length = 0; length <= 40; ++length, text += static_cast<char>('a' + length % 26)) seen.insert(hex_of(text));
  CHECK(seen.size() == 41);
  for (size_t at = 0; at < 40; ++at)
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = text.substr(0, 40);
      changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
      seen.insert(hex_of(changed));
    }
  CHECK(seen.size() == 41 + 40 * 8);
}

TEST_CASE("base64url round-trips and rejects junk", "[crypto]") {
  CHECK(base64url("") == "");
  CHECK(base64url("f") == "Zg");
  CHECK(base64url("fo") == "Zm8");
  CHECK(base64url("foo") == "Zm9v");
  CHECK(base64url("\xfb\xff") == "-_8");
  std::mt19937 random(7);
  for (int n = 0; n < 200; ++n) {
    std::string data(size_t(n), '\0');
    for (auto& c : data) c = char(random());
    CHECK(base64url_decode(base64url(data)) == data);
  }
  CHECK_FALSE(base64url_decode("Zg=="));
  CHECK_FALSE(base64url_decode("Z"));
  CHECK_FALSE(base64url_decode("Zh"));  // non-zero trailing bits: not canonical
  CHECK_FALSE(base64url_decode("Zm9v+"));
}

TEST_CASE("hex, base62 and constant-time comparison", "[crypto]") {
  CHECK(hex(std::string("\x00\xff\x10", 3)) == "00ff10");
  CHECK(base62(0, 6) == "000000");
  CHECK(base62(61, 1) == "z");
  CHECK(base62(62, 1) == "10");
  CHECK(base62(0xffffffffu, 6) == "4gfFC3");
  CHECK(is_base62("aZ09"));
  CHECK_FALSE(is_base62("a_b"));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
}

#include "wasm/crypto/sealed.hpp"

TEST_CASE("seal/open round-trips, hides the plaintext, and refuses any change", "[crypto]") {
  std::string secret = "{\"secret\":\"ptmc_live_abc\",\"padding\":\"" + std::string(100, 'x') + "\"}";
  std::string sealed = seal("server key", secret);
  CHECK(sealed.size() == 16 + secret.size() + 32);
  CHECK(sealed.find("ptmc_live_abc") == std::string::npos);
  CHECK(open("server key", sealed) == secret);
  CHECK(seal("server key", secret) != sealed);  // a fresh nonce each time
  CHECK(open("server key", seal("server key", "")) == std::string());
  CHECK_FALSE(open("other key", sealed));
  for (size_t at = 0; at < sealed.size(); at += 7) {
    std::string tampered = sealed;
    tampered[at] = char(tampered[at] ^ 1);
    CHECK_FALSE(open("server key", tampered));
  }
  CHECK_FALSE(open("server key", sealed.substr(0, sealed.size() - 1)));
  CHECK_FALSE(open("server key", "short"));
}
