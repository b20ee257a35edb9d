#include "security/accounts.h"

#include <algorithm>
#include <cctype>

#include "security/passwords.h"
#include "security/roles.h"
#include "security/tokens.h"
#include "security/totp.h"

namespace waymark::security {

Accounts::Accounts(store::Store& store, const domain::Clock& clock, SessionPolicy policy,
                   std::shared_ptr<const SecretBox> totp_key)
    : store_(store), clock_(clock), policy_(policy), totpKey_(std::move(totp_key)) {}

Result<std::string> Accounts::TotpSecretOf(const store::AccountRow& acct) const {
  if (!totpKey_) return Status::Unavailable("No key for second-factor secrets is loaded.");
  auto plain = totpKey_->Open(acct.totpSecret, acct.id);
  // A wrong key file or an altered row: fail closed, and say so to the operator.
  if (!plain.ok()) {
    return Status::Unavailable("The second factor cannot be checked now. Ask an administrator.");
  }
  return plain;
}

Result<Accounts::TotpSecretsAtStart> Accounts::SealStoredTotpSecrets() {
  if (!totpKey_) return Status::Unavailable("No key for second-factor secrets is loaded.");
  auto rows = store_.ListAccounts();
  if (!rows.ok()) return rows.status();
  TotpSecretsAtStart out;
  for (const auto& a : rows.value()) {
    if (a.totpSecret.empty()) continue;
    if (SecretBox::IsSealed(a.totpSecret)) {
      if (!totpKey_->Open(a.totpSecret, a.id).ok()) ++out.unreadable;
      continue;
    }
    auto st = store_.ReplaceTotpSecret(a.id, a.totpSecret, totpKey_->Seal(a.totpSecret, a.id));
    if (!st.ok()) return st;
    ++out.sealedNow;
  }
  return out;
}

namespace {

bool ReadsClinicalRecords(const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [](const std::string& r) {
    return std::find(kClinicalRoles.begin(), kClinicalRoles.end(), r) != kClinicalRoles.end();
  });
}

Status CheckRoles(const std::vector<std::string>& roles) {
  if (roles.empty()) return Status::Invalid("Give at least one role.", {{"roles", "is required"}});
  for (const auto& r : roles) {
    if (!IsRole(r)) return Status::Invalid("unknown role " + r, {{"roles", "unknown role " + r}});
  }
  return Status::Ok();
}

// One message for every refusal, so it tells an attacker nothing about the account.
constexpr const char* kRefused =
    "The username or password is not right, or the account is locked for a while after too "
    "many tries.";

}  // namespace

store::AuditEntry Accounts::AccountAudit(const Principal& who, const std::string& role,
                                         std::string action, const std::string& account_id,
                                         std::string fields, const std::string& client) const {
  store::AuditEntry a;
  a.at = clock_.Now();
  a.actor = who.accountId;
  a.role = role;
  a.action = std::move(action);
  a.record = "account/" + account_id;
  a.fields = std::move(fields);
  a.client = client;
  return a;
}

Status Accounts::Create(const std::string& username, const std::string& display_name,
                        const std::string& password, const std::vector<std::string>& roles,
                        const std::vector<std::string>& services, bool second_factor_exempt,
                        const std::string& by) {
  if (auto st = CheckRoles(roles); !st.ok()) return st;
  if (auto st = CheckPasswordRules(password, username); !st.ok()) return st;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  store::AccountRow row{NewId(), username,     display_name, hash.value(),
                        roles,   clock_.Now(), false,        services};
  row.secondFactorExempt = second_factor_exempt;
  Principal cli{by, by, by, {}, {}, false, "cli"};
  return store_.CreateAccount(
      row, AccountAudit(cli, "cli", "account.create", row.id, "username,roles,services", "local"));
}

Status Accounts::ResetPassword(const std::string& username, const std::string& password,
                               bool second_factor_exempt) {
  auto acct = store_.GetAccountByUsername(username);
  if (!acct.ok()) return acct.status();
  if (auto st = CheckPasswordRules(password, username); !st.ok()) return st;
  if (auto st = store_.ClearSignInFailures(acct->id); !st.ok()) return st;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  store::AccountRow row = acct.value();
  row.passwordHash = hash.value();
  row.mustChangePassword = false;
  row.passwordExpiresAt.reset();
  row.secondFactorExempt = second_factor_exempt;
  Principal cli{"cli", "cli", "cli", {}, {}, false, "cli"};
  return store_.UpdateAccount(
      row, AccountAudit(cli, "cli", "account.password-reset", row.id, "password", "local"));
}

Result<Accounts::Requested> Accounts::RequestAccount(const Principal& admin, NewAccount a,
                                                     const std::string& client) {
  return NewWithOneTimePassword(admin, "admin", std::move(a), false, client);
}

Result<Accounts::Requested> Accounts::CreateAtCommandLine(const std::string& by, NewAccount a) {
  Principal cli{by, by, by, {}, {}, false, "cli"};
  return NewWithOneTimePassword(cli, "cli", std::move(a), true, "local");
}

Result<Accounts::Requested> Accounts::NewWithOneTimePassword(const Principal& admin,
                                                             const std::string& role, NewAccount a,
                                                             bool approved,
                                                             const std::string& client) {
  if (auto st = CheckRoles(a.roles); !st.ok()) return st;
  Requested out;
  out.oneTimePassword = a.password.empty() ? NewDemoPassword() : a.password;
  if (auto st = CheckPasswordRules(out.oneTimePassword, a.username); !st.ok()) return st;
  auto hash = HashPassword(out.oneTimePassword);
  if (!hash.ok()) return hash.status();
  auto now = clock_.Now();
  store::AccountRow row{NewId(), a.username, a.displayName, hash.value(),
                        a.roles, now,        false,         a.services};
  row.requestedBy = admin.accountId;
  row.pendingApproval = !approved && ReadsClinicalRecords(a.roles);
  if (approved) {
    row.approvedBy = admin.accountId;
    row.approvedAt = now;
  }
  row.mustChangePassword = true;
  row.passwordExpiresAt = now + policy_.oneTimePasswordLifetime;
  auto audit = AccountAudit(
      admin, role, "account.create", row.id,
      row.pendingApproval ? "username,roles,services,pending-approval" : "username,roles,services",
      client);
  if (auto st = store_.CreateAccount(row, audit); !st.ok()) {
    // The only unique column an administrator chooses: say so beside the field.
    if (st.code() == ErrorCode::kConflict) {
      return Status(ErrorCode::kConflict, "That username is already in use: choose another.",
                    {{"username", "is already in use: choose another"}});
    }
    return st;
  }
  out.account = row;
  return out;
}

Status Accounts::Approve(const Principal& lead, const std::string& account_id,
                         const std::string& client) {
  auto acct = store_.GetAccount(account_id);
  if (!acct.ok()) return acct.status();
  if (acct->id == lead.accountId || acct->requestedBy == lead.accountId) {
    return Status::Forbidden(
        "You asked for this account (or it is yours): another clinical lead must approve it.");
  }
  if (!acct->pendingApproval) return Status::Conflict("This account is not waiting for approval.");
  store::AccountRow row = acct.value();
  row.pendingApproval = false;
  row.approvedBy = lead.accountId;
  row.approvedAt = clock_.Now();
  return store_.UpdateAccount(
      row, AccountAudit(lead, "clinical-lead", "account.approve", row.id, "roles", client));
}

Result<store::AccountRow> Accounts::ChangeRoles(const Principal& admin,
                                                const std::string& account_id,
                                                const std::vector<std::string>& roles,
                                                const std::vector<std::string>& services,
                                                const std::string& client) {
  if (auto st = CheckRoles(roles); !st.ok()) return st;
  auto acct = store_.GetAccount(account_id);
  if (!acct.ok()) return acct.status();
  store::AccountRow row = acct.value();
  // Any change that leaves a role reading clinical records needs a fresh approval: a new
  // clinical role, or the same role over other services.
  bool changed = row.roles != roles || row.services != services;
  row.roles = roles;
  row.services = services;
  if (changed && ReadsClinicalRecords(roles)) {
    row.pendingApproval = true;
    row.requestedBy = admin.accountId;
    row.approvedBy.clear();
    row.approvedAt.reset();
  }
  auto audit = AccountAudit(
      admin, "admin", "account.roles-change", row.id,
      row.pendingApproval ? "roles,services,pending-approval" : "roles,services", client);
  if (auto st = store_.UpdateAccount(row, audit); !st.ok()) return st;
  return row;
}

Status Accounts::Disable(const Principal& admin, const std::string& account_id,
                         const std::string& client) {
  auto acct = store_.GetAccount(account_id);
  if (!acct.ok()) return acct.status();
  store::AccountRow row = acct.value();
  row.disabled = true;
  return store_.UpdateAccount(
      row, AccountAudit(admin, "admin", "account.disable", row.id, "disabled", client));
}

Status Accounts::RecordFailure(const store::AccountRow& acct, domain::Timestamp now) {
  std::optional<domain::Timestamp> lock;
  if (acct.failedSignIns + 1 >= policy_.maxFailures) lock = now + policy_.lockout;
  return store_.RecordSignInFailure(acct.id, lock);
}

Result<SignedIn> Accounts::SignIn(const std::string& username, const std::string& password,
                                  const std::string& code, const std::string& new_password) {
  auto acct = store_.GetAccountByUsername(username);
  if (!acct.ok() && acct.status().code() != ErrorCode::kNotFound) return acct.status();
  const std::string& hash = acct.ok() ? acct->passwordHash : DummyPasswordHash();
  bool good = VerifyPassword(hash, password);  // always the full work, known user or not
  auto now = clock_.Now();
  if (!acct.ok() || acct->disabled) return Status::Unauthenticated(kRefused);
  if (acct->lockedUntil && now < *acct->lockedUntil) return Status::Unauthenticated(kRefused);
  if (!good) {
    (void)RecordFailure(acct.value(), now);
    return Status::Unauthenticated(kRefused);
  }
  // From here the password was right: saying what is still needed tells nothing new.
  if (acct->pendingApproval) {
    return Status::Forbidden(
        "This account is waiting for a clinical lead to approve it. You can sign in once they "
        "have.");
  }
  if (acct->mustChangePassword) {
    if (acct->passwordExpiresAt && now >= *acct->passwordExpiresAt) {
      return Status::Unauthenticated(
          "This one-time password has expired. Ask an administrator for a new one.");
    }
    if (new_password.empty()) {
      return Status(
          ErrorCode::kUnauthenticated,
          "Choose your own password: the one you were given works only once.",
          {{"newPassword", "is required: at least 12 characters (three random words work well)"}});
    }
    if (new_password == password) {
      return Status::Invalid("Choose a new password, not the one you were given.",
                             {{"newPassword", "must differ from the one-time password"}});
    }
    if (auto st = CheckPasswordRules(new_password, username); !st.ok()) {
      std::vector<FieldError> fields;
      for (const auto& f : st.fields()) fields.push_back({"newPassword", f.message});
      return Status::Invalid(st.message(), std::move(fields));
    }
    auto new_hash = HashPassword(new_password);
    if (!new_hash.ok()) return new_hash.status();
    store::AccountRow row = acct.value();
    row.passwordHash = new_hash.value();
    row.mustChangePassword = false;
    row.passwordExpiresAt.reset();
    Principal self{row.id, row.username, row.displayName, row.roles, row.services, false, ""};
    if (auto st = store_.UpdateAccount(
            row, AccountAudit(self, "self", "account.password-set", row.id, "password", ""));
        !st.ok()) {
      return st;
    }
    acct = row;
  }
  if (acct->totpEnabled) {
    if (code.empty()) {
      return Status(ErrorCode::kUnauthenticated, "Enter the code from your authenticator app.",
                    {{"code",
                      "enter the 6-digit code from your authenticator app, or a "
                      "recovery code"}});
    }
    bool second_ok = false;
    auto unix_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    // A recovery code still works when the secret cannot be decrypted (a lost key file).
    auto secret = TotpSecretOf(acct.value());
    std::optional<uint64_t> step;
    if (secret.ok()) step = VerifyTotp(secret.value(), code, unix_seconds);
    if (step) {
      second_ok = static_cast<int64_t>(*step) > acct->totpLastStep &&
                  store_.SetTotpLastStep(acct->id, static_cast<int64_t>(*step)).ok();
    } else {
      second_ok =
          store_.UseRecoveryCode(acct->id, HashSecret(NormaliseRecoveryCode(code)), now).ok();
      if (!second_ok && !secret.ok()) return secret.status();
    }
    if (!second_ok) {
      (void)RecordFailure(acct.value(), now);
      return Status::Unauthenticated(kRefused);
    }
  }
  if (acct->failedSignIns > 0 || acct->lockedUntil) (void)store_.ClearSignInFailures(acct->id);
  SignedIn out;
  out.sessionSecret = NewSecret();
  bool exempt = policy_.honourDemoExemption && acct->secondFactorExempt;
  bool enrol_only = policy_.requireSecondFactor && !acct->totpEnabled && !exempt;
  out.principal = {acct->id,    acct->username, acct->displayName,
                   acct->roles, acct->services, enrol_only};
  store::SessionRow s{HashSecret(out.sessionSecret), acct->id,  now, now,
                      now + policy_.absolute,        enrol_only};
  if (auto st = store_.CreateSession(s); !st.ok()) return st;
  return out;
}

Result<Principal> Accounts::Authenticate(const std::string& session_secret) {
  if (session_secret.empty()) return Status::Unauthenticated("Please sign in.");
  std::string id_hash = HashSecret(session_secret);
  auto s = store_.GetSession(id_hash);
  if (!s.ok()) {
    if (s.status().code() == ErrorCode::kNotFound)
      return Status::Unauthenticated("Please sign in.");
    return s.status();
  }
  auto now = clock_.Now();
  if (now >= s->expiresAt || now - s->lastSeenAt > policy_.idle) {
    (void)store_.DeleteSession(id_hash);
    return Status::Unauthenticated("Your session has ended. Please sign in again.");
  }
  auto acct = store_.GetAccount(s->accountId);
  if (!acct.ok() || acct->disabled || acct->pendingApproval) {
    return Status::Unauthenticated("Please sign in.");
  }
  // Record activity at most once a minute, so reads do not all become writes.
  if (now - s->lastSeenAt > std::chrono::minutes(1)) (void)store_.TouchSession(id_hash, now);
  return Principal{acct->id,    acct->username, acct->displayName,
                   acct->roles, acct->services, s->enrolOnly};
}

Result<Accounts::TotpEnrolment> Accounts::StartTotp(const Principal& who) {
  if (!totpKey_) {
    return Status::Unavailable(
        "Second factors cannot be set up: the server has no key to keep them safe.");
  }
  auto acct = store_.GetAccount(who.accountId);
  if (!acct.ok()) return acct.status();
  if (acct->totpEnabled) {
    return Status::Conflict("A second factor is already set up for this account.");
  }
  TotpEnrolment e{NewTotpSecret(), ""};
  e.uri = TotpUri(e.secret, acct->username);
  if (auto st = store_.SetTotp(acct->id, totpKey_->Seal(e.secret, acct->id), false, {}); !st.ok())
    return st;
  return e;
}

Result<std::vector<std::string>> Accounts::ConfirmTotp(const Principal& who,
                                                       const std::string& code) {
  auto acct = store_.GetAccount(who.accountId);
  if (!acct.ok()) return acct.status();
  if (acct->totpSecret.empty() || acct->totpEnabled) {
    return Status::Conflict("Start setting up the second factor first.");
  }
  auto unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  auto secret = TotpSecretOf(acct.value());
  if (!secret.ok()) return secret.status();
  if (!VerifyTotp(secret.value(), code, unix_seconds)) {
    return Status::Invalid("That code is not right.",
                           {{"code", "enter the 6-digit code your authenticator app shows now"}});
  }
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < 10; ++i) {
    std::string c = NewDemoPassword().substr(0, 11);  // "xxxxx-xxxxx"
    codes.push_back(c);
    hashes.push_back(HashSecret(NormaliseRecoveryCode(c)));
  }
  if (auto st = store_.SetTotp(acct->id, acct->totpSecret, true, hashes); !st.ok()) return st;
  return codes;
}

std::string NormaliseRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Status Accounts::SignOutEverywhere(const std::string& account_id) {
  return store_.DeleteSessionsFor(account_id);
}

Status Accounts::SignOut(const std::string& session_secret) {
  if (session_secret.empty()) return Status::Ok();
  return store_.DeleteSession(HashSecret(session_secret));
}

}  // namespace waymark::security
