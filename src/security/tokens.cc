// Reference alphabet: 22 symbols chosen to survive being read over a phone line.
#include "security/tokens.h"

#include <sodium.h>

#include <cctype>
#include <string>

namespace waymark::security {
namespace {
constexpr std::string_view kAlphabet = "ACDEFGHJKMNPQRTWXY3467";  // 22 symbols
}

bool InitCrypto() { return sodium_init() >= 0; }

std::string NewReference() {
  std::string out = "WM-";
  for (int i = 0; i < 8; ++i) {
    if (i == 4) out += '-';
    out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return out;  // 22^8 ≈ 5.5e10 references
}

std::string NormaliseReference(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (compact.rfind("WM", 0) == 0) compact = compact.substr(2);
  if (compact.size() != 8) return "";
  return "WM-" + compact.substr(0, 4) + "-" + compact.substr(4);
}

bool IsReferenceShape(std::string_view text) {
  std::string n = NormaliseReference(text);
  if (n.empty()) return false;
  for (size_t i = 3; i < n.size(); ++i) {
    if (i == 7) continue;
    if (kAlphabet.find(n[i]) == std::string_view::npos) return false;
  }
  return true;
}

std::string NewSecret(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string NewId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string(hex, 32);
}

std::string HashSecret(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace waymark::security
