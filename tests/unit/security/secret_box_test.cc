// Second-factor secrets at rest: the key file (created 0600, never overwritten, refused when
// others may read it), sealing bound to the owner, and Accounts storing only ciphertext while
// sign-in with a TOTP code still works, including for secrets stored in clear before.
#include "security/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "security/accounts.h"
#include "security/tokens.h"
#include "security/totp.h"

namespace waymark::security {
namespace {

namespace fs = std::filesystem;

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-sb-" + NewId());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::array<unsigned char, 32> Key(unsigned char fill) {
  std::array<unsigned char, 32> k;
  k.fill(fill);
  return k;
}

TEST_F(SecretBoxTest, SealsAndOpensOnlyForTheSameOwnerAndKey) {
  auto box = SecretBox::FromKey(Key(1));
  std::string sealed = box->Seal("JBSWY3DPEHPK3PXP", "account-1");
  EXPECT_TRUE(SecretBox::IsSealed(sealed));
  EXPECT_EQ(sealed.find("JBSWY3DPEHPK3PXP"), std::string::npos);
  EXPECT_NE(box->Seal("JBSWY3DPEHPK3PXP", "account-1"), sealed);  // a new nonce each time
  EXPECT_EQ(box->Open(sealed, "account-1").value(), "JBSWY3DPEHPK3PXP");
  EXPECT_FALSE(box->Open(sealed, "account-2").ok());  // copied to another row
  EXPECT_FALSE(SecretBox::FromKey(Key(2))->Open(sealed, "account-1").ok());
  std::string altered = sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Open(altered, "account-1").ok());
  EXPECT_FALSE(box->Open("JBSWY3DPEHPK3PXP", "account-1").ok());
  EXPECT_FALSE(box->Open("sb1:!!!", "account-1").ok());
}

TEST_F(SecretBoxTest, KeyFileIsCreatedPrivateAndNeverReplaced) {
  fs::path key = dir_ / "w.key";
  EXPECT_EQ(SecretBox::FromKeyFile(key, false).status().code(), ErrorCode::kNotFound);
  bool created = false;
  auto box = SecretBox::FromKeyFile(key, true, &created);
  ASSERT_TRUE(box.ok()) << box.status().message();
  EXPECT_TRUE(created);
  struct stat st;
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string sealed = box.value()->Seal("secret", "a");
  auto again = SecretBox::FromKeyFile(key, true, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again.value()->Open(sealed, "a").value(), "secret");
}

TEST_F(SecretBoxTest, KeyFileOthersMayReadOrOfTheWrongShapeIsRefused) {
  fs::path key = dir_ / "open.key";
  {
    std::ofstream f(key);
    f << std::string(64, 'a') << "\n";
  }
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto open = SecretBox::FromKeyFile(key, false);
  ASSERT_EQ(open.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(open.status().message().find("chmod 600"), std::string::npos);
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(SecretBox::FromKeyFile(key, false).ok());
  {
    std::ofstream f(key, std::ios::trunc);
    f << "not-hex";
  }
  EXPECT_EQ(SecretBox::FromKeyFile(key, false).status().code(), ErrorCode::kInvalid);
}

class TotpAtRestTest : public SecretBoxTest {
 protected:
  void SetUp() override {
    SecretBoxTest::SetUp();
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    accounts_ = std::make_unique<Accounts>(*store_, clock_, SessionPolicy{}, box_);
    ASSERT_TRUE(accounts_->Create("lead", "Lead", kPassword, {"clinical-lead"}).ok());
  }
  void TearDown() override {
    accounts_.reset();
    store_.reset();
    SecretBoxTest::TearDown();
  }
  std::string CodeAt(const std::string& secret, int steps_later = 0) {
    auto unix =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    return TotpCode(*Base32Decode(secret), static_cast<uint64_t>(unix / 30 + steps_later));
  }
  Principal Lead() {
    auto a = store_->GetAccountByUsername("lead");
    return Principal{a->id, a->username, a->displayName, a->roles, a->services, false};
  }

  static constexpr const char* kPassword = "a long synthetic passphrase 42";
  domain::FakeClock clock_{*domain::ParseTimestamp("2026-03-02T10:00:00Z")};
  std::shared_ptr<const SecretBox> box_ = SecretBox::FromKey(Key(7));
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(TotpAtRestTest, StoredColumnIsNotTheSecretAndSignInWorks) {
  auto enrol = accounts_->StartTotp(Lead());
  ASSERT_TRUE(enrol.ok()) << enrol.status().message();
  auto stored = store_->GetAccountByUsername("lead")->totpSecret;
  EXPECT_NE(stored, enrol->secret);
  EXPECT_EQ(stored.find(enrol->secret), std::string::npos);
  EXPECT_TRUE(SecretBox::IsSealed(stored));
  auto codes = accounts_->ConfirmTotp(Lead(), CodeAt(enrol->secret));
  ASSERT_TRUE(codes.ok()) << codes.status().message();
  EXPECT_EQ(store_->GetAccountByUsername("lead")->totpSecret, stored);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(accounts_->SignIn("lead", kPassword, "").status().code(), ErrorCode::kUnauthenticated);
  auto in = accounts_->SignIn("lead", kPassword, CodeAt(enrol->secret));
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(accounts_->SignIn("lead", kPassword, "000000").status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_F(TotpAtRestTest, SecretStoredInClearIsEncryptedAtStartAndStillWorks) {
  // As an earlier version stored it: base32 in clear, enforced.
  std::string secret = NewTotpSecret();
  auto id = store_->GetAccountByUsername("lead")->id;
  ASSERT_TRUE(store_->SetTotp(id, secret, true, {HashSecret("recovery1")}).ok());
  auto start = accounts_->SealStoredTotpSecrets();
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(start->sealedNow, 1);
  EXPECT_EQ(start->unreadable, 0);
  auto row = store_->GetAccountByUsername("lead");
  EXPECT_TRUE(SecretBox::IsSealed(row->totpSecret));
  EXPECT_EQ(row->totpSecret.find(secret), std::string::npos);
  EXPECT_TRUE(row->totpEnabled);
  EXPECT_EQ(accounts_->SealStoredTotpSecrets()->sealedNow, 0);  // idempotent
  EXPECT_TRUE(accounts_->SignIn("lead", kPassword, CodeAt(secret)).ok());
  EXPECT_TRUE(accounts_->SignIn("lead", kPassword, "recovery1").ok());  // codes kept
}

TEST_F(TotpAtRestTest, WrongKeyFailsClosedAndIsCounted) {
  auto enrol = accounts_->StartTotp(Lead());
  auto codes = accounts_->ConfirmTotp(Lead(), CodeAt(enrol->secret));
  ASSERT_TRUE(codes.ok());
  Accounts other(*store_, clock_, SessionPolicy{}, SecretBox::FromKey(Key(8)));
  EXPECT_EQ(other.SealStoredTotpSecrets()->unreadable, 1);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(other.SignIn("lead", kPassword, CodeAt(enrol->secret)).status().code(),
            ErrorCode::kUnavailable);
  // A recovery code does not need the secret, so staff are not locked out by a lost key.
  EXPECT_TRUE(other.SignIn("lead", kPassword, codes->front()).ok());
  Accounts keyless(*store_, clock_);
  EXPECT_EQ(keyless.StartTotp(Lead()).status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace waymark::security
