// Argon2id with libsodium's interactive limits: strong enough for staff passwords and fast
// enough (~50 ms) for a sign-in.
#include "security/passwords.h"

#include <sodium.h>

#include "security/tokens.h"

namespace waymark::security {

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Unavailable("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    auto h = HashPassword(NewSecret(24));
    return h.ok() ? h.value() : std::string();
  }();
  return hash;
}

std::string NewDemoPassword() {
  static constexpr std::string_view kChars = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int w = 0; w < 4; ++w) {
    if (w) out += '-';
    for (int i = 0; i < 5; ++i) out += kChars[randombytes_uniform(kChars.size())];
  }
  return out;
}

}  // namespace waymark::security
