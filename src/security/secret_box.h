// Encryption at rest for secrets the server must read back (today: staff TOTP secrets), with
// libsodium's XChaCha20-Poly1305 (AEAD) under a 256-bit key kept in a file outside the
// database. A sealed value is text: "sb1:" + base64(24-byte random nonce || ciphertext+tag).
// The account id (or other owner) is bound in as associated data, so a sealed value copied
// to another row does not open. Someone with a copy of the database alone learns nothing.
// Thread-safety: a SecretBox is immutable after creation; Seal and Open may run on many
// threads at once.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "domain/status.h"

namespace waymark::security {

class SecretBox {
 public:
  static constexpr std::string_view kPrefix = "sb1:";

  // Reads the key file: 64 hex digits (32 bytes), nothing else but white space. Refuses a
  // key file that group or others may read or write (it must be mode 0600 or stricter).
  // When the file does not exist and `create` is true, writes a new random key there with
  // mode 0600 (never overwriting) and sets *created. Errors name the path.
  static Result<std::shared_ptr<const SecretBox>> FromKeyFile(const std::filesystem::path& path,
                                                              bool create, bool* created = nullptr);
  // A box over `key` (tests).
  static std::shared_ptr<const SecretBox> FromKey(const std::array<unsigned char, 32>& key);

  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  // Encrypts `plain` for `owner` (bound in, not secret). Never fails.
  std::string Seal(std::string_view plain, std::string_view owner) const;
  // Decrypts a sealed value of `owner`: kInvalid when it is not sealed, was sealed under
  // another key or for another owner, or has been altered.
  Result<std::string> Open(std::string_view sealed, std::string_view owner) const;
  static bool IsSealed(std::string_view stored) { return stored.substr(0, 4) == kPrefix; }

  // A 256-bit key for another purpose derived from this one (libsodium crypto_kdf, BLAKE2b),
  // so one key file serves several uses without any two sharing a key. `context` names the
  // purpose in exactly 8 characters (e.g. "wmaudit1": the audit chain's MAC key).
  std::array<unsigned char, 32> DeriveKey(std::string_view context, uint64_t id = 1) const;

 private:
  SecretBox() = default;
  std::array<unsigned char, 32> key_{};
};

}  // namespace waymark::security
