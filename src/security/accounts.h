// Staff accounts and signed-in sessions. A session id is a random secret held only in an
// HttpOnly, SameSite=Strict cookie; the store keeps its hash. Sessions end after an absolute
// lifetime or when idle too long. Deeper controls (2FA, lockout, permission table) build on
// this in the security work.
// Thread-safety: safe from many threads; state lives in the Store.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "security/secret_box.h"
#include "store/store.h"

namespace waymark::security {

struct Principal {
  std::string accountId;
  std::string username;
  std::string displayName;
  std::vector<std::string> roles;
  std::vector<std::string> services;  // for service staff; "*" for every service
  bool enrolOnly = false;             // signed in only to set up the required second factor
};

struct SignedIn {
  Principal principal;
  std::string sessionSecret;  // goes in the cookie only
};

struct SessionPolicy {
  std::chrono::minutes absolute{12 * 60};
  std::chrono::minutes idle{30};
  int maxFailures = 5;               // consecutive failed sign-ins before a temporary lock
  bool requireSecondFactor = false;  // staff without one may only set one up
  std::chrono::minutes lockout{15};
};

inline constexpr const char* kSessionCookie = "wm_session";

class Accounts {
 public:
  // `totp_key` encrypts second-factor secrets at rest (security/secret_box.h). Without one,
  // second factors cannot be set up or checked (never stored in clear): StartTotp and a
  // sign-in that needs a code answer kUnavailable.
  Accounts(store::Store& store, const domain::Clock& clock, SessionPolicy policy = {},
           std::shared_ptr<const SecretBox> totp_key = nullptr);

  // Encrypts second-factor secrets stored in clear by earlier versions, and counts sealed
  // ones this key cannot open (a wrong key file: those staff cannot sign in until it is put
  // right). Run at start, before serving.
  struct TotpSecretsAtStart {
    int sealedNow = 0;   // were in clear, now encrypted
    int unreadable = 0;  // encrypted under another key, or altered
  };
  Result<TotpSecretsAtStart> SealStoredTotpSecrets();

  // Creates an account. Fails with kConflict when the username is taken, kInvalid on a role
  // that does not exist.
  Status Create(const std::string& username, const std::string& display_name,
                const std::string& password, const std::vector<std::string>& roles,
                const std::vector<std::string>& services = {});
  // Sets a new password for an existing account (used by --demo on a store that has them).
  Status ResetPassword(const std::string& username, const std::string& password);
  // Checks the password (same work for unknown users) and, when the account has a confirmed
  // second factor, `code` (a TOTP code or an unused recovery code); then opens a session.
  // A missing code for such an account is kUnauthenticated with a FieldError on "code".
  Result<SignedIn> SignIn(const std::string& username, const std::string& password,
                          const std::string& code = "");

  // Second factor: enrolment gives a new secret (not enforced yet) and its otpauth URI;
  // confirming with a current code enforces it and returns ten single-use recovery codes,
  // shown once.
  struct TotpEnrolment {
    std::string secret;
    std::string uri;
  };
  Result<TotpEnrolment> StartTotp(const Principal& who);
  Result<std::vector<std::string>> ConfirmTotp(const Principal& who, const std::string& code);
  // The principal for a session cookie value; kUnauthenticated when missing, unknown,
  // expired or idle too long.
  Result<Principal> Authenticate(const std::string& session_secret);
  Status SignOut(const std::string& session_secret);
  // Ends every session of the account, on every device.
  Status SignOutEverywhere(const std::string& account_id);

 private:
  store::Store& store_;
  const domain::Clock& clock_;
  SessionPolicy policy_;
  std::shared_ptr<const SecretBox> totpKey_;

  // The account's TOTP secret (base32), decrypted.
  Result<std::string> TotpSecretOf(const store::AccountRow& acct) const;
};

// Recovery codes compare without case, spaces or dashes.
std::string NormaliseRecoveryCode(std::string_view code);

}  // namespace waymark::security
