// The storage suite. It runs against SQLite here; the PostgreSQL store will run the same tests.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <thread>

#include "security/tokens.h"
#include "store/store.h"

namespace waymark::store {
namespace {

namespace fs = std::filesystem;
using domain::Timestamp;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("waymark-store-" + security::NewId());
    fs::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Open() {
    store_.reset();
    auto s = OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
  }

  static ReferralRow Row(const std::string& ref) {
    ReferralRow r;
    r.reference = ref;
    r.tokenHash = security::HashSecret("token-" + ref);
    r.status = "received";
    r.owner = "triage-team";
    r.receivedAt = r.updatedAt = T("2026-11-01T09:00:00Z");
    r.source = "B1";
    r.referrerType = "self";
    r.ageOnReceipt = 14;
    r.postcodeDistrict = "LE1";
    r.locality = "city";
    r.submission = {{"youngPerson", {{"givenName", "Synthetic"}}}};
    return r;
  }
  static Event Ev(const std::string& ref, const char* kind = "referral.received") {
    return Event{security::NewId(), ref, kind, "public:self", T("2026-11-01T09:00:00Z"), "", {}};
  }
  static AuditEntry Audit(const std::string& ref) {
    AuditEntry a;
    a.at = T("2026-11-01T09:00:00Z");
    a.actor = "public";
    a.action = "referral.create";
    a.record = "referral/" + ref;
    return a;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, CreateAndReadBack) {
  ASSERT_TRUE(
      store_->CreateReferral(Row("WM-AAAA-AAAA"), {Ev("WM-AAAA-AAAA")}, Audit("WM-AAAA-AAAA"))
          .ok());
  auto r = store_->GetReferral("WM-AAAA-AAAA");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->owner, "triage-team");
  EXPECT_EQ(r->receivedAt, T("2026-11-01T09:00:00Z"));
  EXPECT_EQ(r->submission["youngPerson"]["givenName"], "Synthetic");
  auto events = store_->EventsFor("WM-AAAA-AAAA");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "referral.received");
  EXPECT_EQ(store_->AuditFor("referral/WM-AAAA-AAAA")->size(), 1u);
  EXPECT_EQ(store_->GetReferral("WM-NONE-NONE").status().code(), ErrorCode::kNotFound);
}

TEST_F(StoreTest, DuplicateReferenceIsConflictAndStoresNothing) {
  ASSERT_TRUE(
      store_->CreateReferral(Row("WM-AAAA-AAAA"), {Ev("WM-AAAA-AAAA")}, Audit("WM-AAAA-AAAA"))
          .ok());
  auto st =
      store_->CreateReferral(Row("WM-AAAA-AAAA"), {Ev("WM-AAAA-AAAA")}, Audit("WM-AAAA-AAAA"));
  EXPECT_EQ(st.code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->EventsFor("WM-AAAA-AAAA")->size(), 1u);
  EXPECT_EQ(store_->AuditFor("referral/WM-AAAA-AAAA")->size(), 1u);
}

TEST_F(StoreTest, FailedCommandInsideABatchLeavesNoTrace) {
  // An event for a referral that does not exist breaks the foreign key: the referral row
  // written before it in the same command must be rolled back too.
  ReferralRow row = Row("WM-CCCC-CCCC");
  auto st = store_->CreateReferral(row, {Ev("WM-CCCC-CCCC"), Ev("WM-MISS-MISS")}, Audit("x"));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(store_->GetReferral("WM-CCCC-CCCC").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store_->CountReferrals(), 0);
}

TEST_F(StoreTest, ConcurrentWritersAllDurable) {
  constexpr int kThreads = 16, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string ref = "WM-" + std::to_string(t) + "-" + std::to_string(i);
        if (!store_->CreateReferral(Row(ref), {Ev(ref)}, Audit(ref)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Open();  // reopen: everything acknowledged is on disk
  EXPECT_EQ(*store_->CountReferrals(), kThreads * kEach);
}

TEST_F(StoreTest, MigrationsAreIdempotentAndRecorded) {
  EXPECT_TRUE(store_->Migrate().ok());
  Open();
  EXPECT_TRUE(store_->Migrate().ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "t.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_migrations", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_GE(sqlite3_column_int(s, 0), 1);
  sqlite3_finalize(s);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_F(StoreTest, InformantViewsAreVersioned) {
  ASSERT_TRUE(store_->CreateReferral(Row("WM-DDDD-DDDD"), {Ev("WM-DDDD-DDDD")}, Audit("d")).ok());
  InformantRow inf{"inf1", "WM-DDDD-DDDD", "parent", "hash", T("2026-11-02T09:00:00Z"), "x"};
  ASSERT_TRUE(
      store_->CreateInformant(inf, Ev("WM-DDDD-DDDD", "informant.invited"), Audit("d")).ok());
  auto v1 = store_->AddInformantView("inf1", T("2026-11-02T10:00:00Z"), {{"concerns", "a"}},
                                     Ev("WM-DDDD-DDDD", "informant.view-added"), Audit("d"));
  auto v2 = store_->AddInformantView("inf1", T("2026-11-03T10:00:00Z"), {{"concerns", "b"}},
                                     Ev("WM-DDDD-DDDD", "informant.view-added"), Audit("d"));
  ASSERT_TRUE(v1.ok() && v2.ok());
  EXPECT_EQ(*v1, 1);
  EXPECT_EQ(*v2, 2);
  auto views = store_->ViewsFor("inf1");
  ASSERT_EQ(views->size(), 2u);
  EXPECT_EQ((*views)[0].answers["concerns"], "a");
  EXPECT_EQ((*views)[1].answers["concerns"], "b");
  EXPECT_FALSE(store_
                   ->AddInformantView("nobody", T("2026-11-03T10:00:00Z"), {}, Ev("WM-DDDD-DDDD"),
                                      Audit("d"))
                   .ok());
}

TEST_F(StoreTest, AccountsAndSessions) {
  AccountRow a{"acc1",
               "user",
               "User",
               "hash",
               {"triage-clinician", "clinical-lead"},
               T("2026-11-01T00:00:00Z"),
               false};
  ASSERT_TRUE(store_->CreateAccount(a).ok());
  EXPECT_EQ(store_->CreateAccount(a).code(), ErrorCode::kConflict);
  auto got = store_->GetAccountByUsername("user");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->roles, (std::vector<std::string>{"triage-clinician", "clinical-lead"}));
  SessionRow s{"sh", "acc1", T("2026-11-01T00:00:00Z"), T("2026-11-01T00:00:00Z"),
               T("2026-11-01T12:00:00Z")};
  ASSERT_TRUE(store_->CreateSession(s).ok());
  ASSERT_TRUE(store_->TouchSession("sh", T("2026-11-01T01:00:00Z")).ok());
  EXPECT_EQ(store_->GetSession("sh")->lastSeenAt, T("2026-11-01T01:00:00Z"));
  ASSERT_TRUE(store_->DeleteSession("sh").ok());
  EXPECT_EQ(store_->GetSession("sh").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace waymark::store
