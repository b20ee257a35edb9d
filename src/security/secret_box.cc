#include "security/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace waymark::security {
namespace {

constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

Status WriteNewKey(const std::filesystem::path& path) {
  std::array<unsigned char, 32> key;
  randombytes_buf(key.data(), key.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  // O_EXCL: never overwrite a key (that would make every sealed secret unreadable).
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable(path.string() + ": cannot create the key file");
  std::string text = std::string(hex) + "\n";
  sodium_memzero(hex, sizeof hex);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!ok) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return Status::Unavailable(path.string() + ": cannot write the key file");
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const SecretBox>> SecretBox::FromKeyFile(const std::filesystem::path& path,
                                                                bool create, bool* created) {
  if (created) *created = false;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (!create) return Status::NotFound(path.string() + ": no such key file");
    if (auto s = WriteNewKey(path); !s.ok()) return s;
    if (created) *created = true;
    if (::stat(path.c_str(), &st) != 0) return Status::Unavailable(path.string() + ": vanished");
  }
  if (!S_ISREG(st.st_mode)) return Status::Invalid(path.string() + ": not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Status::Invalid(path.string() +
                           ": the key file may be read or written by other users; make it "
                           "readable by the server's user only (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable(path.string() + ": cannot read the key file");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::string hex;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) hex += c;
  sodium_memzero(text.data(), text.size());
  auto box = std::shared_ptr<SecretBox>(new SecretBox());
  size_t len = 0;
  const char* end = nullptr;
  bool ok = hex.size() == 64 &&
            sodium_hex2bin(box->key_.data(), box->key_.size(), hex.data(), hex.size(), nullptr,
                           &len, &end) == 0 &&
            len == 32 && end == hex.data() + hex.size();
  sodium_memzero(hex.data(), hex.size());
  if (!ok) return Status::Invalid(path.string() + ": a key file holds 64 hex digits (32 bytes)");
  return std::shared_ptr<const SecretBox>(box);
}

std::shared_ptr<const SecretBox> SecretBox::FromKey(const std::array<unsigned char, 32>& key) {
  auto box = std::shared_ptr<SecretBox>(new SecretBox());
  box->key_ = key;
  return box;
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretBox::Seal(std::string_view plain, std::string_view owner) const {
  std::string raw(kNonce + plain.size() + kTag, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  randombytes_buf(out, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonce, &clen, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(owner.data()), owner.size(), nullptr, out,
      key_.data());
  raw.resize(kNonce + clen);
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string b64(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
  sodium_bin2base64(b64.data(), b64.size(), out, raw.size(), variant);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(kPrefix) + b64;
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view owner) const {
  static const char* kBad = "the stored secret cannot be decrypted with this key";
  if (!IsSealed(sealed)) return Status::Invalid("the stored secret is not encrypted");
  std::string_view b64 = sealed.substr(kPrefix.size());
  std::string raw(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < kNonce + kTag) {
    return Status::Invalid(kBad);
  }
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(len - kNonce - kTag, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr, in + kNonce, len - kNonce,
          reinterpret_cast<const unsigned char*>(owner.data()), owner.size(), in,
          key_.data()) != 0) {
    return Status::Invalid(kBad);
  }
  plain.resize(plen);
  return plain;
}

std::array<unsigned char, 32> SecretBox::DeriveKey(std::string_view context, uint64_t id) const {
  static_assert(crypto_kdf_KEYBYTES == 32 && crypto_kdf_CONTEXTBYTES == 8);
  char ctx[crypto_kdf_CONTEXTBYTES] = {};
  std::memcpy(ctx, context.data(), std::min(context.size(), sizeof ctx));
  std::array<unsigned char, 32> out{};
  crypto_kdf_derive_from_key(out.data(), out.size(), id, ctx, key_.data());
  return out;
}

}  // namespace waymark::security
