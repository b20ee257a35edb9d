// The keyed audit chain (store/audit_chain.h) on a real SQLite store: entries carry the key's
// MAC, the signed head moves with every entry and is written to the head file after each
// commit, verification names altered, removed (first, middle, last, all) and forged entries,
// and a store opened with the wrong key refuses to start a second chain.
#include "store/audit_chain.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>

#include "security/tokens.h"
#include "store/store.h"

namespace waymark::store {
namespace {

std::array<unsigned char, 32> Key(unsigned char b) {
  std::array<unsigned char, 32> k;
  k.fill(b);
  return k;
}

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    security::InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("wm-audit-" + security::NewId());
    std::filesystem::create_directories(dir_);
    Open(Key(1));
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(store_->AppendAudit(Entry(i)).ok());
    ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry& e) { entries_.push_back(e); }).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Status Open(const std::array<unsigned char, 32>& k) {
    store_.reset();
    key_ = std::make_shared<AuditKey>(k);
    SqliteOptions o{(dir_ / "t.db").string()};
    o.auditKey = key_;
    o.auditHeadFile = (dir_ / "t.db.audit-head").string();
    auto s = OpenSqliteStore(o);
    if (!s.ok()) return s.status();
    store_ = std::move(s.value());
    return Status::Ok();
  }
  static AuditEntry Entry(int i) {
    AuditEntry a;
    a.at = *domain::ParseTimestamp("2026-03-02T10:00:00Z");
    a.actor = "acct-" + std::to_string(i);
    a.role = "triage-clinician";
    a.action = "referral.read";
    a.record = "referral/WM-AAAA-AAAA";
    a.fields = "all";
    a.client = "127.0.0.1";
    return a;
  }
  AuditVerifyInput Input() {
    AuditVerifyInput in;
    in.key = key_.get();
    in.headTable = true;
    auto h = store_->GetAuditHead();
    if (h.ok()) in.dbHead = h.value();
    in.headFileChecked = true;
    auto f = ReadAuditHeadFile(dir_ / "t.db.audit-head");
    if (f.ok()) in.fileHead = f.value();
    return in;
  }
  static bool Has(const AuditVerifyReport& r, const std::string& kind, const std::string& text) {
    for (const auto& p : r.problems) {
      if (p.kind == kind && p.message.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::filesystem::path dir_;
  std::shared_ptr<AuditKey> key_;
  std::unique_ptr<Store> store_;
  std::vector<AuditEntry> entries_;
};

TEST_F(AuditChainTest, KeyedEntriesAndHeadInBothPlaces) {
  ASSERT_EQ(entries_.size(), 6u);
  for (const auto& e : entries_) EXPECT_EQ(e.hash.rfind("k1:", 0), 0u) << e.hash;
  auto in = Input();
  ASSERT_TRUE(in.dbHead && in.fileHead);
  EXPECT_EQ(in.dbHead->seq, 6);
  EXPECT_EQ(in.fileHead->seq, 6);
  EXPECT_EQ(in.dbHead->hash, entries_.back().hash);
  auto r = VerifyAuditLog(entries_, in);
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().message;
  EXPECT_EQ(r.firstKeyed, 1);
}

TEST_F(AuditChainTest, EveryKindOfTamperingIsNamed) {
  auto in = Input();
  {
    auto e = entries_;
    e[1].actor = "someone-else";
    EXPECT_TRUE(Has(VerifyAuditLog(e, in), "altered", "MAC"));
  }
  {
    auto e = entries_;
    e.erase(e.begin());
    auto r = VerifyAuditLog(e, in);
    EXPECT_TRUE(Has(r, "removed", "entry 1 is missing"));
  }
  {
    auto e = entries_;
    e.erase(e.begin() + 2);
    EXPECT_TRUE(Has(VerifyAuditLog(e, in), "removed", "entry 3 is missing"));
  }
  {
    auto e = entries_;
    e.pop_back();
    EXPECT_TRUE(Has(VerifyAuditLog(e, in), "removed", "1 entry removed from the end after #5"));
  }
  {
    auto e = entries_;
    e.resize(3);
    EXPECT_TRUE(Has(VerifyAuditLog(e, in), "removed", "3 entries removed from the end after #3"));
    // Without the database's head, the file still knows.
    auto no_db = in;
    no_db.dbHead.reset();
    auto r = VerifyAuditLog(e, no_db);
    EXPECT_TRUE(Has(r, "removed", "(the head file records #6)"));
    EXPECT_TRUE(Has(r, "head-missing", "missing from the database"));
  }
  EXPECT_TRUE(Has(VerifyAuditLog({}, in), "removed", "all 6 entries were removed"));
  {
    // An appended row with the unkeyed hash (what an attacker without the key can compute).
    auto e = entries_;
    AuditEntry forged = Entry(9);
    forged.seq = 7;
    forged.prevHash = e.back().hash;
    forged.hash = AuditHash(forged, forged.prevHash);
    e.push_back(forged);
    auto r = VerifyAuditLog(e, in);
    EXPECT_TRUE(Has(r, "forged", "not written by Waymark"));
    EXPECT_TRUE(Has(r, "inserted", "come after the signed head"));
  }
  {
    // A head put back to an earlier entry without the key: its MAC does not match.
    auto e = entries_;
    e.resize(4);
    auto rewound = in;
    rewound.dbHead = AuditHead{4, e.back().hash, "00"};
    auto r = VerifyAuditLog(e, rewound);
    EXPECT_TRUE(Has(r, "head-altered", "database"));
    EXPECT_TRUE(Has(r, "removed", "2 entries removed from the end after #4"));
  }
  {
    AuditKey other(Key(2));
    auto with_other = in;
    with_other.key = &other;
    auto r = VerifyAuditLog(entries_, with_other);
    EXPECT_GE(r.problems.size(), 6u);
  }
}

TEST_F(AuditChainTest, WrongKeyRefusesToOpenRightKeyContinues) {
  store_.reset();
  auto st = Open(Key(2));
  EXPECT_EQ(st.code(), ErrorCode::kInvalid);
  EXPECT_NE(st.message().find("audit key does not match"), std::string::npos);
  ASSERT_TRUE(Open(Key(1)).ok());
  ASSERT_TRUE(store_->AppendAudit(Entry(7)).ok());
  std::vector<AuditEntry> all;
  ASSERT_TRUE(store_->ForEachAudit([&](const AuditEntry& e) { all.push_back(e); }).ok());
  auto r = VerifyAuditLog(all, Input());
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(Input().fileHead->seq, 7);
}

TEST_F(AuditChainTest, UnkeyedEntriesBeforeTheKeyAreNotedNotFailed) {
  // As a database written before migration 012: unkeyed entries, then keyed ones.
  std::vector<AuditEntry> e;
  std::string prev = kAuditGenesis;
  for (int i = 1; i <= 2; ++i) {
    AuditEntry a = Entry(i);
    a.seq = i;
    a.prevHash = prev;
    a.hash = AuditHash(a, prev);
    prev = a.hash;
    e.push_back(a);
  }
  AuditEntry k = Entry(3);
  k.seq = 3;
  k.prevHash = prev;
  k.hash = key_->EntryMac(k, prev);
  e.push_back(k);
  AuditVerifyInput in;
  in.key = key_.get();
  auto r = VerifyAuditLog(e, in);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.firstKeyed, 3);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("entries 1 to 2"), std::string::npos);
}

}  // namespace
}  // namespace waymark::store
