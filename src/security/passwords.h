// Password hashing with Argon2id (libsodium's crypto_pwhash_str, interactive limits) and
// the password rules for staff accounts.
// Thread-safety: pure functions; hashing uses ~64 MiB of memory per call while it runs.
#pragma once

#include <string>
#include <string_view>

#include "domain/status.h"

namespace waymark::security {

Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash`. Always does the full work, even for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// A hash of a random password: verifying against it takes as long as a real one, so an
// unknown username costs the same time as a wrong password.
const std::string& DummyPasswordHash();

// NCSC guidance: length over complexity, and no password from the lists attackers try
// first. At least 12 characters (three random words fit), at most 128, not a common
// password, not the username. Invalid names the field "password" and says why.
Status CheckPasswordRules(std::string_view password, std::string_view username);

// Readable random password for demo accounts: four words of letters and digits.
std::string NewDemoPassword();

}  // namespace waymark::security
