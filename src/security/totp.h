// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for the
// staff second factor, and base32 for the shared secret.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace waymark::security {

std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);

// A new random 160-bit secret, base32.
std::string NewTotpSecret();
// The code for a time step (unix seconds / 30), zero-padded to `digits`.
std::string TotpCode(std::string_view secret_bytes, uint64_t step, int digits = 6);
// The time step of a code that matches within ±`window` steps of `unix_seconds`, or nullopt.
std::optional<uint64_t> VerifyTotp(std::string_view base32_secret, std::string_view code,
                                   int64_t unix_seconds, int window = 1);
// otpauth:// URI an authenticator app reads from a QR code.
std::string TotpUri(std::string_view base32_secret, std::string_view account,
                    std::string_view issuer = "Waymark");

}  // namespace waymark::security
