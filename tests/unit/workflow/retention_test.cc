// Subject access and retention on a real store with a fake clock.
#include "workflow/retention.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "directory/loader.h"
#include "security/tokens.h"
#include "store/audit_chain.h"
#include "workflow/confidentiality.h"
#include "workflow/navigation.h"

namespace waymark::workflow {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-ret-" + security::NewId());
    fs::create_directories(dir_);
    store_ = std::move(store::OpenSqliteStore({(dir_ / "t.db").string()}).value());
    area_ = std::make_unique<directory::Area>(std::move(
        directory::LoadArea(fs::path(WAYMARK_SOURCE_DIR) / "config/areas/example").value()));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  domain::FakeClock clock_{*domain::ParseTimestamp("2026-01-05T09:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Area> area_;
  Actor actor_{"cli:test", "cli", "local"};
};

TEST_F(RetentionTest, ExportThenPurgeKeepsCountsNotPeople) {
  Intake intake(*store_, clock_);
  Navigation nav(*store_, clock_, *area_, nullptr);
  json body = {{"referrer", {{"type", "self"}}},
               {"youngPerson",
                {{"givenName", "Synthetic"},
                 {"familyName", "Example"},
                 {"dateOfBirth", "2012-03-04"},
                 {"nhsNumber", "9434765919"},
                 {"postcode", "LE1 5WW"}}},
               {"source", "B1"},
               {"needs", {"anxiety"}},
               {"impact", "mild"},
               {"description", "Worried about school"},
               {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", false}}}};
  auto ack = intake.Submit(body, actor_);
  ASSERT_TRUE(ack.ok());
  auto invite = intake.InviteInformant(ack->reference, ack->statusToken, "parent", actor_);
  ASSERT_TRUE(invite.ok());
  ASSERT_TRUE(intake
                  .SubmitInformantView(invite->informantId, invite->inviteToken,
                                       {{"concerns", "Not sleeping"}}, actor_)
                  .ok());
  StaffActor triage{actor_, {"triage-clinician"}, {}};
  ActionRequest signpost;
  signpost.action = Action::kSignpost;
  signpost.version = store_->GetReferral(ack->reference)->version;
  signpost.reason = "Advice is enough";
  signpost.signpostTo = "Online counselling";
  ASSERT_TRUE(nav.Apply(ack->reference, signpost, triage).ok());

  auto bundle = SubjectAccessBundle(*store_, clock_, "943 476 5919", actor_);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ((*bundle)["referrals"].size(), 1u);
  EXPECT_EQ((*bundle)["referrals"][0]["submission"]["youngPerson"]["givenName"], "Synthetic");
  EXPECT_EQ((*bundle)["referrals"][0]["informants"][0]["views"][0]["answers"]["concerns"],
            "Not sleeping");
  EXPECT_EQ(SubjectAccessBundle(*store_, clock_, "9434765918", actor_).status().code(),
            ErrorCode::kInvalid);

  // Not yet past retention: nothing happens.
  auto early = Purge(*store_, clock_, 8 * 365, false, actor_);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->pseudonymised, 0);
  clock_.Advance(std::chrono::hours(24 * (8 * 365 + 3)));
  auto dry = Purge(*store_, clock_, 8 * 365, true, actor_);
  EXPECT_EQ(dry->references.size(), 1u);
  EXPECT_EQ(dry->pseudonymised, 0);
  auto done = Purge(*store_, clock_, 8 * 365, false, actor_);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pseudonymised, 1);

  auto row = store_->GetReferral(ack->reference);
  ASSERT_TRUE(row.ok());
  std::string text = row->submission.dump();
  for (const char* gone :
       {"Synthetic", "Example", "2012-03-04", "9434765919", "LE1 5WW", "Worried about school"}) {
    EXPECT_EQ(text.find(gone), std::string::npos) << gone;
  }
  EXPECT_EQ(row->submission["needs"][0], "anxiety");  // what reports count stays
  EXPECT_EQ(row->ageOnReceipt, 13);
  EXPECT_EQ(row->source, "B1");
  auto views = store_->ViewsFor(invite->informantId);
  EXPECT_EQ((*views)[0].answers.dump().find("Not sleeping"), std::string::npos);
  EXPECT_EQ(SubjectAccessBundle(*store_, clock_, "9434765919", actor_).status().code(),
            ErrorCode::kNotFound);
  // A second purge finds nothing more, and the audit chain is whole.
  EXPECT_EQ(Purge(*store_, clock_, 8 * 365, false, actor_)->pseudonymised, 0);
  std::vector<store::AuditEntry> entries;
  ASSERT_TRUE(store_->ForEachAudit([&](const store::AuditEntry& e) { entries.push_back(e); }).ok());
  EXPECT_TRUE(store::VerifyAuditChain(entries).empty());
}

TEST_F(RetentionTest, PurgeBlanksFreeTextButNotAuditRows) {
  Intake intake(*store_, clock_);
  Navigation nav(*store_, clock_, *area_, nullptr);
  Confidentiality conf(*store_, clock_);
  json body = {{"referrer", {{"type", "self"}}},
               {"youngPerson",
                {{"givenName", "Synthetic"},
                 {"familyName", "Example"},
                 {"dateOfBirth", "2012-03-04"},
                 {"postcode", "LE1 5WW"}}},
               {"source", "B1"},
               {"needs", {"anxiety"}},
               {"impact", "mild"},
               {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", false}}}};
  auto ack = intake.Submit(body, actor_);
  ASSERT_TRUE(ack.ok());
  StaffActor triage{actor_, {"triage-clinician"}, {}};
  auto version = [&] { return store_->GetReferral(ack->reference)->version; };
  json choices = {
      {"parentMayBeTold", false},
      {"parentMayBeContacted", false},
      {"competence", {{"assessed", true}, {"competent", true}, {"notes", "Zebedee understands"}}}};
  ASSERT_TRUE(conf.Record(ack->reference, version(), choices, triage).ok());
  ASSERT_TRUE(
      conf.SafeguardingOverride(ack->reference, version(), "Quantock disclosed harm", triage).ok());
  ActionRequest close;
  close.action = Action::kClose;
  close.version = version();
  close.reason = "Moved away to Quantock";
  ASSERT_TRUE(nav.Apply(ack->reference, close, triage).ok());
  std::vector<store::AuditEntry> before;
  ASSERT_TRUE(store_->ForEachAudit([&](const store::AuditEntry& e) { before.push_back(e); }).ok());
  for (const auto& e : before) {
    EXPECT_EQ(e.reason.find("Quantock"), std::string::npos) << "free text in an audit row";
  }

  clock_.Advance(std::chrono::hours(24 * 40));
  ASSERT_EQ(Purge(*store_, clock_, 30, false, actor_)->pseudonymised, 1);
  auto row = store_->GetReferral(ack->reference);
  EXPECT_EQ(row->confidentiality.dump().find("Zebedee"), std::string::npos);
  EXPECT_TRUE(row->confidentiality["competence"]["assessed"].get<bool>());  // coded: kept
  EXPECT_EQ(row->outcome.find("Quantock"), std::string::npos);
  auto events = store_->EventsFor(ack->reference);
  for (const auto& e : events.value()) {
    EXPECT_EQ(e.reason.find("Quantock"), std::string::npos) << e.kind;
  }
  auto alerts = store_->OpenAlerts("", 100).value();
  for (const auto& a : alerts) EXPECT_EQ(a.message, store::kRemovedAtRetention);
  // The audit rows before the purge are all still there, unchanged, plus the purge's own.
  std::vector<store::AuditEntry> after;
  ASSERT_TRUE(store_->ForEachAudit([&](const store::AuditEntry& e) { after.push_back(e); }).ok());
  ASSERT_EQ(after.size(), before.size() + 1);
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i].hash, before[i].hash);
  EXPECT_TRUE(store::VerifyAuditChain(after).empty());
}

}  // namespace
}  // namespace waymark::workflow
