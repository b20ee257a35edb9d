// Random identifiers, secrets and their hashes (libsodium). Secrets (status tokens, session
// ids, invite tokens) are stored only as hashes and compared in constant time.
// Thread-safety: all functions are safe from any thread (libsodium is initialised once).
#pragma once

#include <string>
#include <string_view>

namespace waymark::security {

// Initialises libsodium; returns false if the system has no usable randomness.
bool InitCrypto();

// A referral reference that is short and can be read aloud on a phone: "WM-K7MX-3QPA".
// Letters and digits that look or sound alike (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V) are left out.
std::string NewReference();
// True when `text` has the shape of a reference (any case; spaces and dashes allowed).
bool IsReferenceShape(std::string_view text);
// Upper-case, "WM-XXXX-XXXX" form of something IsReferenceShape accepts.
std::string NormaliseReference(std::string_view text);

// An unguessable secret: `bytes` random bytes, URL-safe base64 without padding.
std::string NewSecret(size_t bytes = 32);
// A random id for rows (events, informants, accounts): 16 bytes as hex.
std::string NewId();
// SHA-256 of a secret as hex: what is stored instead of the secret.
std::string HashSecret(std::string_view secret);
// Constant-time comparison of two equal-length strings (false when lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace waymark::security
