// The storage suite. It runs against SQLite here; the PostgreSQL store will run the same tests.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <thread>

#include "security/tokens.h"
#include "store/migrations.h"
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

// ---- Navigation lists and alerts (migration 011).

class NavigationStoreTest : public StoreTest {
 protected:
  // A referral on `service`'s waiting list due at `due` (nullopt: no due time), clock start
  // `start`.
  void AddWaiting(const std::string& ref, const std::string& service, std::optional<Timestamp> due,
                  Timestamp start = T("2026-11-01T09:00:00Z"),
                  const std::string& status = "waiting", bool review = false) {
    ReferralRow r = Row(ref);
    r.status = status;
    r.serviceId = service;
    r.owner = "service:" + service;
    r.clockStartAt = start;
    r.breachDueAt = due;
    r.needsReview = review;
    ASSERT_TRUE(store_->CreateReferral(r, {Ev(ref)}, Audit(ref)).ok());
  }
  std::vector<std::string> WaitingRefs(const std::string& service) {
    std::vector<std::string> out;
    auto rows = store_->ListWaiting(service, 100);
    for (const auto& r : rows.value()) out.push_back(r.reference);
    return out;
  }
};

TEST_F(NavigationStoreTest, PositionCountedInTheDatabaseMatchesTheListOrder) {
  AddWaiting("WM-A", "camhs", T("2026-12-01T00:00:00Z"));
  AddWaiting("WM-B", "camhs", T("2026-11-20T00:00:00Z"));
  AddWaiting("WM-C", "camhs", T("2026-12-01T00:00:00Z"), T("2026-10-01T09:00:00Z"));  // tie
  AddWaiting("WM-D", "camhs", T("2026-12-01T00:00:00Z"));        // tie on both: by reference
  AddWaiting("WM-E", "camhs", std::nullopt);                     // no due time: first
  AddWaiting("WM-F", "bereavement", T("2026-11-01T00:00:00Z"));  // another service
  AddWaiting("WM-G", "camhs", T("2026-11-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "in-care");
  auto order = WaitingRefs("camhs");
  ASSERT_EQ(order, (std::vector<std::string>{"WM-E", "WM-B", "WM-C", "WM-A", "WM-D"}));
  for (size_t i = 0; i < order.size(); ++i) {
    auto ahead = store_->CountWaitingAhead(*store_->GetReferral(order[i]));
    ASSERT_TRUE(ahead.ok()) << ahead.status().message();
    EXPECT_EQ(*ahead, static_cast<int64_t>(i)) << order[i];
  }
}

TEST_F(NavigationStoreTest, ReviewCaseloadAndCounts) {
  AddWaiting("WM-R1", "camhs", T("2026-12-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "waiting",
             true);
  AddWaiting("WM-R2", "camhs", T("2026-12-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "in-care",
             true);
  AddWaiting("WM-R3", "camhs", T("2026-12-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "discharged",
             true);  // closed: not on a list
  AddWaiting("WM-W1", "camhs", T("2026-12-01T00:00:00Z"));
  AddWaiting("WM-I1", "camhs", T("2026-12-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "routed");
  AddWaiting("WM-X1", "ceips", T("2026-12-01T00:00:00Z"), T("2026-11-01T09:00:00Z"), "waiting",
             true);
  std::vector<std::string> review;
  auto rows = store_->ListReview("camhs", 10);
  for (const auto& r : rows.value()) review.push_back(r.reference);
  EXPECT_EQ(review, (std::vector<std::string>{"WM-R1", "WM-R2"}));
  auto caseload = store_->ListCaseload("camhs", 10);
  ASSERT_EQ(caseload->size(), 1u);
  EXPECT_EQ((*caseload)[0].reference, "WM-R2");
  auto counts = store_->CountServiceLists("camhs");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::map<std::string, int64_t>{
                         {"inbox", 1}, {"waiting", 2}, {"review", 2}, {"caseload", 1}}));
}

TEST_F(NavigationStoreTest, AlertsByAudienceClearedByCommandOrAcknowledged) {
  ASSERT_TRUE(store_->CreateReferral(Row("WM-AL"), {Ev("WM-AL")}, Audit("WM-AL")).ok());
  auto r = store_->GetReferral("WM-AL");
  ReferralCommand c;
  c.row = *r;
  c.expectedVersion = r->version;
  c.alerts.push_back({"a1", "WM-AL", "emergency", "m", T("2026-11-01T09:00:00Z"), std::nullopt});
  AlertRow svc{"a2", "WM-AL", "near-breach", "m", T("2026-11-01T10:00:00Z"), std::nullopt};
  svc.audience = "service:camhs";
  c.alerts.push_back(svc);
  AlertRow safe{"a3",        "WM-AL", "safeguarding-override", "m", T("2026-11-01T11:00:00Z"),
                std::nullopt};
  safe.audience = "safeguarding-lead";
  c.alerts.push_back(safe);
  ASSERT_TRUE(store_->ApplyReferralCommand(c).ok());
  EXPECT_EQ(store_->OpenAlerts("", 10)->size(), 3u);
  ASSERT_EQ(store_->OpenAlerts("triage-team", 10)->size(), 1u);
  EXPECT_EQ((*store_->OpenAlerts("service:camhs", 10))[0].id, "a2");
  // A command clears one audience's open alerts, leaving the others.
  r = store_->GetReferral("WM-AL");
  ReferralCommand clear;
  clear.row = *r;
  clear.expectedVersion = r->version;
  clear.clearAlerts.push_back({"triage-team", "left-triage", T("2026-11-01T12:00:00Z"), ""});
  ASSERT_TRUE(store_->ApplyReferralCommand(clear).ok());
  EXPECT_TRUE(store_->OpenAlerts("triage-team", 10)->empty());
  auto a1 = store_->GetAlert("a1");
  EXPECT_EQ(a1->clearedAt, T("2026-11-01T12:00:00Z"));
  EXPECT_EQ(a1->clearedReason, "left-triage");
  EXPECT_EQ(store_->OpenAlerts("", 10)->size(), 2u);
  // Acknowledged once; the second time is a conflict and changes nothing.
  AuditEntry audit = Audit("WM-AL");
  audit.action = "alert.acknowledge";
  ASSERT_TRUE(store_
                  ->AcknowledgeAlert("a2", "acc9", T("2026-11-01T13:00:00Z"),
                                     Ev("WM-AL", "alert.acknowledged"), audit)
                  .ok());
  auto a2 = store_->GetAlert("a2");
  EXPECT_EQ(a2->acknowledgedBy, "acc9");
  EXPECT_EQ(a2->acknowledgedAt, T("2026-11-01T13:00:00Z"));
  EXPECT_EQ(a2->clearedReason, "acknowledged");
  EXPECT_EQ(store_
                ->AcknowledgeAlert("a2", "acc8", T("2026-11-01T14:00:00Z"),
                                   Ev("WM-AL", "alert.acknowledged"), audit)
                .code(),
            ErrorCode::kConflict);
  EXPECT_EQ(store_->GetAlert("a2")->acknowledgedBy, "acc9");
  EXPECT_EQ(
      store_->AcknowledgeAlert("zz", "acc8", T("2026-11-01T14:00:00Z"), Ev("WM-AL"), audit).code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(store_->EventsFor("WM-AL")->back().kind, "alert.acknowledged");
}

TEST_F(NavigationStoreTest, NearBreachDueByTime) {
  for (const char* ref : {"WM-N1", "WM-N2", "WM-N3", "WM-N4"}) {
    ReferralRow r = Row(ref);
    r.serviceId = std::string(ref) == "WM-N4" ? "ceips" : "camhs";
    if (std::string(ref) == "WM-N4") r.nearBreachAlertAt = T("2026-11-01T00:00:00Z");
    if (std::string(ref) == "WM-N1") r.nearBreachAlertAt = T("2026-11-05T00:00:00Z");
    if (std::string(ref) == "WM-N2") r.nearBreachAlertAt = T("2026-11-03T00:00:00Z");
    ASSERT_TRUE(store_->CreateReferral(r, {Ev(ref)}, Audit(ref)).ok());
  }
  EXPECT_TRUE(store_->NearBreachDue("camhs", T("2026-11-02T00:00:00Z"), 10)->empty());
  EXPECT_EQ(*store_->NearBreachDue("camhs", T("2026-11-06T00:00:00Z"), 10),
            (std::vector<std::string>{"WM-N2", "WM-N1"}));
  EXPECT_EQ(*store_->NearBreachDue("ceips", T("2026-11-06T00:00:00Z"), 10),
            (std::vector<std::string>{"WM-N4"}));
  EXPECT_EQ(store_->GetReferral("WM-N1")->nearBreachAlertAt, T("2026-11-05T00:00:00Z"));
}

TEST_F(NavigationStoreTest, ContactPurposeIsStored) {
  ASSERT_TRUE(store_->CreateReferral(Row("WM-CP"), {Ev("WM-CP")}, Audit("WM-CP")).ok());
  auto r = store_->GetReferral("WM-CP");
  ReferralCommand c;
  c.row = *r;
  c.expectedVersion = r->version;
  ContactRow ct{"c1",
                "WM-CP",
                "camhs",
                T("2026-11-02T10:00:00Z"),
                "01",
                "0",
                T("2026-11-01T10:00:00Z"),
                std::nullopt};
  ct.purpose = "treatment";
  c.contacts.push_back(ct);
  ASSERT_TRUE(store_->ApplyReferralCommand(c).ok());
  EXPECT_EQ((*store_->ContactsFor("WM-CP"))[0].purpose, "treatment");
}

// A store from before migration 011: its alerts were never cleared. The migration clears
// those whose referral has left the triage team, keeps the safeguarding lead's for review,
// and schedules near-breach alerts for clocks already running.
TEST(Migration011, ClearsHandledAlertsAndSchedulesNearBreach) {
  auto dir = fs::temp_directory_path() / ("waymark-m011-" + security::NewId());
  fs::create_directories(dir);
  auto path = (dir / "old.db").string();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* err = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << " in " << sql.substr(0, 80);
      sqlite3_free(err);
    };
    exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)");
    for (const auto& m : Migrations()) {
      if (m.version >= 11) break;
      exec(std::string(m.sql));
      exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '" + m.name +
           "', '2026-11-01T00:00:00Z')");
    }
    std::string ins =
        "INSERT INTO referrals (reference, token_hash, status, owner, received_at, updated_at, "
        "version, source, referrer_type, age_on_receipt, crisis, submission, service_id, "
        "clock_start_at, breach_due_at) VALUES ";
    exec(ins +
         "('WM-OLD1', 'x', 'routed', 'service:crisis', '2026-11-01T00:00:00.000Z', "
         "'2026-11-01T00:00:00.000Z', 2, 'B1', 'self', 14, 1, '{}', 'crisis', "
         "'2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z')");
    exec(ins +
         "('WM-OLD2', 'x', 'received', 'triage-team', '2026-11-01T00:00:00.000Z', "
         "'2026-11-01T00:00:00.000Z', 1, 'B1', 'self', 14, 1, '{}', NULL, NULL, NULL)");
    exec(
        "INSERT INTO alerts (id, reference, code, message, raised_at) VALUES "
        "('o1', 'WM-OLD1', 'emergency', 'm', '2026-11-01T00:00:00.000Z'), "
        "('o2', 'WM-OLD2', 'crisis-signalled', 'm', '2026-11-01T00:00:00.000Z'), "
        "('o3', 'WM-OLD1', 'safeguarding-override', 'm', '2026-11-01T00:00:00.000Z')");
    sqlite3_close(db);
  }
  auto s = OpenSqliteStore({path});
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto& store = *s.value();
  auto o1 = store.GetAlert("o1");
  EXPECT_TRUE(o1->clearedAt.has_value());
  EXPECT_EQ(o1->clearedReason, "left-triage");
  EXPECT_FALSE(store.GetAlert("o2")->clearedAt.has_value());  // still with triage
  auto o3 = store.GetAlert("o3");
  EXPECT_FALSE(o3->clearedAt.has_value());
  EXPECT_EQ(o3->audience, "safeguarding-lead");
  // 75% of the 24 hours from the clock start.
  EXPECT_EQ(store.GetReferral("WM-OLD1")->nearBreachAlertAt, T("2026-11-01T18:00:00Z"));
  EXPECT_FALSE(store.GetReferral("WM-OLD2")->nearBreachAlertAt.has_value());
  s.value().reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace waymark::store
