#include "security/accounts.h"

#include "security/passwords.h"
#include "security/roles.h"
#include "security/tokens.h"

namespace waymark::security {

Accounts::Accounts(store::Store& store, const domain::Clock& clock, SessionPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Status Accounts::Create(const std::string& username, const std::string& display_name,
                        const std::string& password, const std::vector<std::string>& roles,
                        const std::vector<std::string>& services) {
  for (const auto& r : roles) {
    if (!IsRole(r)) return Status::Invalid("unknown role " + r, {{"roles", "unknown role " + r}});
  }
  if (auto st = CheckPasswordRules(password, username); !st.ok()) return st;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  store::AccountRow row{NewId(), username,     display_name, hash.value(),
                        roles,   clock_.Now(), false,        services};
  return store_.CreateAccount(row);
}

Status Accounts::ResetPassword(const std::string& username, const std::string& password) {
  auto acct = store_.GetAccountByUsername(username);
  if (!acct.ok()) return acct.status();
  if (auto st = CheckPasswordRules(password, username); !st.ok()) return st;
  if (auto st = store_.ClearSignInFailures(acct->id); !st.ok()) return st;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  return store_.SetPassword(acct->id, hash.value());
}

Result<SignedIn> Accounts::SignIn(const std::string& username, const std::string& password) {
  auto acct = store_.GetAccountByUsername(username);
  if (!acct.ok() && acct.status().code() != ErrorCode::kNotFound) return acct.status();
  const std::string& hash = acct.ok() ? acct->passwordHash : DummyPasswordHash();
  bool good = VerifyPassword(hash, password);  // always the full work, known user or not
  auto now = clock_.Now();
  // One message for every refusal, so it tells an attacker nothing about the account.
  static const char* kRefused =
      "The username or password is not right, or the account is locked for a while after too "
      "many tries.";
  if (!acct.ok() || acct->disabled) return Status::Unauthenticated(kRefused);
  if (acct->lockedUntil && now < *acct->lockedUntil) return Status::Unauthenticated(kRefused);
  if (!good) {
    std::optional<domain::Timestamp> lock;
    if (acct->failedSignIns + 1 >= policy_.maxFailures) lock = now + policy_.lockout;
    (void)store_.RecordSignInFailure(acct->id, lock);
    return Status::Unauthenticated(kRefused);
  }
  if (acct->failedSignIns > 0 || acct->lockedUntil) (void)store_.ClearSignInFailures(acct->id);
  SignedIn out;
  out.sessionSecret = NewSecret();
  out.principal = {acct->id, acct->username, acct->displayName, acct->roles, acct->services};
  store::SessionRow s{HashSecret(out.sessionSecret), acct->id, now, now, now + policy_.absolute};
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
  if (!acct.ok() || acct->disabled) return Status::Unauthenticated("Please sign in.");
  // Record activity at most once a minute, so reads do not all become writes.
  if (now - s->lastSeenAt > std::chrono::minutes(1)) (void)store_.TouchSession(id_hash, now);
  return Principal{acct->id, acct->username, acct->displayName, acct->roles, acct->services};
}

Status Accounts::SignOutEverywhere(const std::string& account_id) {
  return store_.DeleteSessionsFor(account_id);
}

Status Accounts::SignOut(const std::string& session_secret) {
  if (session_secret.empty()) return Status::Ok();
  return store_.DeleteSession(HashSecret(session_secret));
}

}  // namespace waymark::security
