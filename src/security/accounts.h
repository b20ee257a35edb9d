// Staff accounts and signed-in sessions. A session id is a random secret held only in an
// HttpOnly, SameSite=Strict cookie; the store keeps its hash. Sessions end after an absolute
// lifetime or when idle too long. Accounts an administrator asks for get a one-time password
// (the first sign-in sets the person's own) and, when they hold a role that reads clinical
// records, wait for a clinical lead's approval (two-person rule,
// docs/decisions/0012-security-controls.md). Every change to an account is audited.
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
  std::string actingRole;  // the role the permission table granted this request by (audit)
};

struct SignedIn {
  Principal principal;
  std::string sessionSecret;  // goes in the cookie only
};

struct SessionPolicy {
  std::chrono::minutes absolute{12 * 60};
  std::chrono::minutes idle{30};
  int maxFailures = 5;              // consecutive failed sign-ins before a temporary lock
  bool requireSecondFactor = true;  // staff without one may only set one up
  // Accounts marked exempt (the demo accounts of `serve --demo`) need no second factor, only
  // while this is true (serve sets it with --demo).
  bool honourDemoExemption = false;
  std::chrono::minutes lockout{15};
  std::chrono::hours oneTimePasswordLifetime{72};
};

// What an administrator asks for. An empty password: one is generated.
struct NewAccount {
  std::string username;
  std::string displayName;
  std::string password;
  std::vector<std::string> roles;
  std::vector<std::string> services;
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

  // Creates an account usable at once, from the command line (serve --demo, tests): no
  // approval, no one-time password. Fails with kConflict when the username is taken, kInvalid
  // on a role that does not exist. `by` names who did it in the audit entry.
  Status Create(const std::string& username, const std::string& display_name,
                const std::string& password, const std::vector<std::string>& roles,
                const std::vector<std::string>& services = {}, bool second_factor_exempt = false,
                const std::string& by = "cli");
  // Sets a new password for an existing account (used by --demo on a store that has them),
  // and its second-factor exemption. Audited.
  Status ResetPassword(const std::string& username, const std::string& password,
                       bool second_factor_exempt = false);

  // An administrator asks for a staff account. Its password is a one-time password: it only
  // lets the person choose their own at first sign-in, and expires after the policy's
  // lifetime. An account with a role that reads clinical records (kClinicalRoles) cannot sign
  // in until a clinical lead other than `admin` approves it. Audited. Returns the account and
  // the one-time password (generated when `a.password` is empty).
  struct Requested {
    store::AccountRow account;
    std::string oneTimePassword;
  };
  Result<Requested> RequestAccount(const Principal& admin, NewAccount a, const std::string& client);
  // The operator makes an account at the command line (the first administrator and clinical
  // lead): like RequestAccount, but approved by `by` (who already holds the database and key
  // file), so it is not pending. Audited as `by`.
  Result<Requested> CreateAtCommandLine(const std::string& by, NewAccount a);
  // A clinical lead approves a pending account: kForbidden for their own request or their own
  // account, kConflict when it is not pending, kNotFound when there is none. Audited.
  Status Approve(const Principal& lead, const std::string& account_id, const std::string& client);
  // Changes roles and services; gaining a role that reads clinical records makes the account
  // pending again (sessions end) until a clinical lead approves. Audited.
  Result<store::AccountRow> ChangeRoles(const Principal& admin, const std::string& account_id,
                                        const std::vector<std::string>& roles,
                                        const std::vector<std::string>& services,
                                        const std::string& client);
  // Disables an account and ends its sessions. Audited.
  Status Disable(const Principal& admin, const std::string& account_id, const std::string& client);

  // Checks the password (same work for unknown users) and, when the account has a confirmed
  // second factor, `code` (a TOTP code or an unused recovery code); then opens a session.
  // A missing code for such an account is kUnauthenticated with a FieldError on "code". An
  // account holding a one-time password must give `new_password` (FieldError on
  // "newPassword" when missing or weak), which replaces it. Both are asked only after a right
  // password (ASVS allows the second step after the first); every wrong password or code
  // counts towards the lockout.
  Result<SignedIn> SignIn(const std::string& username, const std::string& password,
                          const std::string& code = "", const std::string& new_password = "");

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
  Status RecordFailure(const store::AccountRow& acct, domain::Timestamp now);
  Result<Requested> NewWithOneTimePassword(const Principal& by, const std::string& role,
                                           NewAccount a, bool approved, const std::string& client);
  store::AuditEntry AccountAudit(const Principal& who, const std::string& role, std::string action,
                                 const std::string& account_id, std::string fields,
                                 const std::string& client) const;
};

// Recovery codes compare without case, spaces or dashes.
std::string NormaliseRecoveryCode(std::string_view code);

}  // namespace waymark::security
