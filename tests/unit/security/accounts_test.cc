// Accounts an administrator asks for: the two-person rule for clinical access, the one-time
// password (works once, to choose one's own, and expires), every change audited, and the
// lockout counting wrong second-factor codes as well as wrong passwords.
#include "security/accounts.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "security/tokens.h"
#include "security/totp.h"

namespace waymark::security {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("wm-accounts-" + NewId());
    std::filesystem::create_directories(dir_);
    store_ = std::move(store::OpenSqliteStore({(dir_ / "t.db").string()}).value());
    std::array<unsigned char, 32> k;
    k.fill(3);
    accounts_ = std::make_unique<Accounts>(*store_, clock_, SessionPolicy{}, SecretBox::FromKey(k));
    ASSERT_TRUE(accounts_->Create("admin", "Admin", kPassword, {"admin"}).ok());
    ASSERT_TRUE(accounts_->Create("lead", "Lead", kPassword, {"clinical-lead"}).ok());
  }
  void TearDown() override {
    accounts_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Principal Who(const std::string& username) {
    auto a = store_->GetAccountByUsername(username);
    return Principal{a->id, a->username, a->displayName, a->roles, a->services, false};
  }
  std::vector<std::string> Actions(const std::string& id) {
    std::vector<std::string> out;
    auto entries = store_->AuditFor("account/" + id);
    for (const auto& e : entries.value()) out.push_back(e.action);
    return out;
  }

  static constexpr const char* kPassword = "a long synthetic passphrase 42";
  domain::FakeClock clock_{*domain::ParseTimestamp("2026-03-02T10:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, ClinicalAccountWaitsForAnotherClinicalLead) {
  auto made = accounts_->RequestAccount(Who("admin"), {"nurse", "Nurse", "", {"triage-clinician"}},
                                        "127.0.0.1");
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_TRUE(made->account.pendingApproval);
  EXPECT_EQ(accounts_->SignIn("nurse", made->oneTimePassword).status().code(),
            ErrorCode::kForbidden);
  // The requester (even one who were also a clinical lead) cannot approve.
  auto self = Who("admin");
  self.roles.push_back("clinical-lead");
  EXPECT_EQ(accounts_->Approve(self, made->account.id, "").code(), ErrorCode::kForbidden);
  EXPECT_TRUE(accounts_->Approve(Who("lead"), made->account.id, "").ok());
  EXPECT_EQ(accounts_->Approve(Who("lead"), made->account.id, "").code(), ErrorCode::kConflict);
  // A commissioner reads no clinical record: usable without approval.
  auto comm = accounts_->RequestAccount(Who("admin"), {"comm", "C", "", {"commissioner"}}, "");
  ASSERT_TRUE(comm.ok());
  EXPECT_FALSE(comm->account.pendingApproval);
  EXPECT_EQ(Actions(made->account.id),
            (std::vector<std::string>{"account.create", "account.approve"}));
}

TEST_F(AccountsTest, OneTimePasswordWorksOnceAndExpires) {
  auto made = accounts_->RequestAccount(Who("admin"), {"comm", "C", "", {"commissioner"}}, "");
  ASSERT_TRUE(made.ok());
  auto first = accounts_->SignIn("comm", made->oneTimePassword);
  ASSERT_EQ(first.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(first.status().fields()[0].path, "newPassword");
  EXPECT_EQ(accounts_->SignIn("comm", made->oneTimePassword, "", "short").status().code(),
            ErrorCode::kInvalid);
  auto in = accounts_->SignIn("comm", made->oneTimePassword, "", "amber orchard kite seven");
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_TRUE(in->principal.enrolOnly);  // a second factor is required by default
  EXPECT_EQ(accounts_->SignIn("comm", made->oneTimePassword).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->SignIn("comm", "amber orchard kite seven").ok());

  auto late = accounts_->RequestAccount(Who("admin"), {"late", "L", "", {"commissioner"}}, "");
  clock_.Advance(std::chrono::hours(73));
  auto expired = accounts_->SignIn("late", late->oneTimePassword, "", "amber orchard kite seven");
  EXPECT_EQ(expired.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
}

TEST_F(AccountsTest, RoleChangeToClinicalNeedsApprovalAgainAndEndsSessions) {
  auto made = accounts_->RequestAccount(Who("admin"), {"comm", "C", "", {"commissioner"}}, "");
  auto in = accounts_->SignIn("comm", made->oneTimePassword, "", "amber orchard kite seven");
  ASSERT_TRUE(in.ok());
  auto changed = accounts_->ChangeRoles(Who("admin"), made->account.id,
                                        {"commissioner", "service-clinician"}, {"camhs"}, "");
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed->pendingApproval);
  EXPECT_FALSE(accounts_->Authenticate(in->sessionSecret).ok());
  EXPECT_EQ(
      Actions(made->account.id),
      (std::vector<std::string>{"account.create", "account.password-set", "account.roles-change"}));
}

TEST_F(AccountsTest, WrongCodesCountTowardsTheLockout) {
  auto lead = Who("lead");
  auto enrol = accounts_->StartTotp(lead);
  ASSERT_TRUE(enrol.ok());
  auto unix =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  auto code = TotpCode(*Base32Decode(enrol->secret), static_cast<uint64_t>(unix / 30));
  ASSERT_TRUE(accounts_->ConfirmTotp(lead, code).ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->SignIn("lead", kPassword, "000000").status().code(),
              ErrorCode::kUnauthenticated);
  }
  // Locked: the right password and a right code get the shared refusal.
  auto locked = accounts_->SignIn("lead", kPassword, code);
  EXPECT_EQ(locked.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(locked.status().fields().empty());
}

TEST_F(AccountsTest, DemoExemptionOnlyWhileHonoured) {
  ASSERT_TRUE(accounts_->Create("demo", "Demo", kPassword, {"triage-clinician"}, {}, true).ok());
  EXPECT_TRUE(accounts_->SignIn("demo", kPassword)->principal.enrolOnly);
  SessionPolicy demo;
  demo.honourDemoExemption = true;
  Accounts serving_demo(*store_, clock_, demo);
  EXPECT_FALSE(serving_demo.SignIn("demo", kPassword)->principal.enrolOnly);
  EXPECT_TRUE(serving_demo.SignIn("lead", kPassword)->principal.enrolOnly);
}

}  // namespace
}  // namespace waymark::security
