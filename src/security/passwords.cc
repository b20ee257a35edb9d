// Argon2id with libsodium's interactive limits: strong enough for staff passwords and fast
// enough (~50 ms) for a sign-in.
#include "security/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_set>
#include <vector>

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

namespace {
// Common passwords of 12 characters or more, and local ones (NHS, CAMHS, football clubs) that
// the published list below lacks. Compared without case or separators, with their obvious
// variants (Variants).
constexpr std::array<std::string_view, 60> kCommon = {"123456789012",
                                                      "password1234",
                                                      "passwordpassword",
                                                      "qwertyuiopas",
                                                      "111111111111",
                                                      "123123123123",
                                                      "iloveyou1234",
                                                      "abc123abc123",
                                                      "letmeinletmein",
                                                      "welcome12345",
                                                      "monkey123456",
                                                      "dragon123456",
                                                      "football1234",
                                                      "baseball1234",
                                                      "sunshine1234",
                                                      "princess1234",
                                                      "trustno1trustno1",
                                                      "superman1234",
                                                      "qwerty123456",
                                                      "1q2w3e4r5t6y",
                                                      "zaq12wsxcde3",
                                                      "administrator",
                                                      "passw0rd1234",
                                                      "changeme1234",
                                                      "secret123456",
                                                      "default12345",
                                                      "welcome2024!",
                                                      "welcome2025!",
                                                      "welcome2026!",
                                                      "password2024",
                                                      "password2025",
                                                      "password2026",
                                                      "summer2024!!",
                                                      "winter2024!!",
                                                      "autumn2025!!",
                                                      "spring2026!!",
                                                      "liverpool1234",
                                                      "chelsea12345",
                                                      "arsenal12345",
                                                      "manchester12",
                                                      "qwertyqwerty",
                                                      "asdfghjklasd",
                                                      "zxcvbnmzxcvb",
                                                      "1234567890ab",
                                                      "abcdefghijkl",
                                                      "abcd1234abcd",
                                                      "000000000000",
                                                      "987654321098",
                                                      "nhspassword1",
                                                      "nhsnhsnhsnhs",
                                                      "correcthorsebatterystaple",
                                                      "correct horse battery staple",
                                                      "mentalhealth1",
                                                      "camhscamhs12",
                                                      "letmein12345",
                                                      "pa55word1234",
                                                      "p@ssw0rd1234",
                                                      "Password1234!",
                                                      "hello1234567",
                                                      "starwars1234"};

// The published list (about 3,400 entries) beside the ones above.
constexpr std::string_view kPublishedList =
#include "security/common_passwords.inc"
    ;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lower case without the separators people put between words.
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : Lower(s)) {
    if (c != ' ' && c != '-' && c != '_' && c != '.') out += c;
  }
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> out;
    for (auto c : kCommon) out.insert(Squash(c));
    size_t start = 0;
    while (start < kPublishedList.size()) {
      size_t end = kPublishedList.find('\n', start);
      if (end == std::string_view::npos) end = kPublishedList.size();
      if (end > start) out.insert(Squash(kPublishedList.substr(start, end - start)));
      start = end + 1;
    }
    return out;
  }();
  return set;
}

bool DigitOrSymbol(char c) { return !std::isalpha(static_cast<unsigned char>(c)); }

// The obvious variants of a common password: digits or symbols added before or after
// ("dragon2026!"), letters swapped for look-alikes ("p@ssw0rd"), a word said twice
// ("monkeymonkey").
std::vector<std::string> Variants(const std::string& squashed) {
  std::vector<std::string> out = {squashed};
  size_t b = 0, e = squashed.size();
  while (b < e && DigitOrSymbol(squashed[b])) ++b;
  while (e > b && DigitOrSymbol(squashed[e - 1])) --e;
  std::string core = squashed.substr(b, e - b);
  if (!core.empty()) {
    out.push_back(core);
    out.push_back(squashed.substr(b));
    out.push_back(squashed.substr(0, e));
  }
  for (const std::string& base : std::vector<std::string>(out)) {
    for (char one : {'i', 'l'}) {
      std::string plain = base;
      for (auto& c : plain) {
        switch (c) {
          case '0':
            c = 'o';
            break;
          case '1':
            c = one;
            break;
          case '3':
            c = 'e';
            break;
          case '4':
          case '@':
            c = 'a';
            break;
          case '5':
          case '$':
            c = 's';
            break;
          case '7':
            c = 't';
            break;
          case '!':
            c = 'i';
            break;
          default:
            break;
        }
      }
      out.push_back(plain);
    }
  }
  for (size_t unit = 1; unit <= squashed.size() / 2; ++unit) {
    if (squashed.size() % unit != 0) continue;
    bool repeats = true;
    for (size_t i = unit; i < squashed.size() && repeats; ++i) {
      repeats = squashed[i] == squashed[i - unit];
    }
    if (repeats) {
      out.push_back(squashed.substr(0, unit));
      break;
    }
  }
  return out;
}

}  // namespace

Status CheckPasswordRules(std::string_view password, std::string_view username) {
  auto fail = [](std::string why) {
    return Status::Invalid("The password is not strong enough: " + why,
                           {{"password", std::move(why)}});
  };
  if (password.size() < 12) {
    return fail("use at least 12 characters; three random words are easy to remember");
  }
  if (password.size() > 128) return fail("use at most 128 characters");
  std::string lower = Lower(password);
  const auto& common = CommonPasswords();
  for (const auto& v : Variants(Squash(password))) {
    if (v.size() >= 3 && common.count(v)) {
      return fail(
          "this is one of the passwords attackers try first, or one of them with a few "
          "characters added or swapped; three random words are safer");
    }
  }
  if (!username.empty() && lower.find(Lower(username)) != std::string::npos) {
    return fail("do not put your username in your password");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    return fail("do not repeat one character");
  }
  return Status::Ok();
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
