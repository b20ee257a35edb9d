// The clinical lead's control of the decision model and directory, on a real SQLite store,
// the example area's files and its clinical cases: versions registered at start, drafts
// checked, publication refused while a case fails, rollback, directory edits that reach the
// model, restarts, reproduction of stored decisions, and decisions racing a publication.
#include "workflow/clinical_config.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "security/tokens.h"
#include "workflow/intake.h"

namespace waymark::workflow {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const Actor kLead{"lead-1", "clinical-lead", "test"};
const Actor kStart{"cli:test", "system", "local"};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class ClinicalConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-cc-" + security::NewId());
    fs::create_directories(dir_);
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    auto f = ReadAreaFiles(fs::path(WAYMARK_SOURCE_DIR) / "config/areas/example");
    ASSERT_TRUE(f.ok()) << f.status().message();
    files_ = f.value();
    Open();
  }
  void TearDown() override {
    config_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  void Open(const AreaFiles* files = nullptr) {
    config_.reset();
    auto c = ClinicalConfig::Open(*store_, clock_, files ? *files : files_, kStart);
    ASSERT_TRUE(c.ok()) << c.status().message();
    config_ = std::move(c.value());
  }
  // The example model with `from` replaced by `to`, as one uploaded file.
  std::vector<rules::ModelFile> Edited(const std::string& from, const std::string& to) {
    return {{"triage.dmn", Replace(files_.model[0].text, from, to)}};
  }
  std::string Upload(std::vector<rules::ModelFile> files) {
    auto up = config_->UploadModel(std::move(files), "test", kLead);
    EXPECT_TRUE(up.ok()) << up.status().message();
    return up.ok() ? (*up)["version"].get<std::string>() : "";
  }
  domain::TriageInput Input(int age, std::vector<std::string> risks = {}) {
    domain::TriageInput in;
    in.age = age;
    in.locality = "city";
    in.source = "B1";
    in.needs = {"anxiety"};
    in.risks = std::move(risks);
    in.impact = "mild";
    return in;
  }

  fs::path dir_;
  domain::FakeClock clock_{*domain::ParseTimestamp("2026-03-02T10:00:00Z")};
  std::unique_ptr<store::Store> store_;
  AreaFiles files_;
  std::unique_ptr<ClinicalConfig> config_;
};

TEST_F(ClinicalConfigTest, FilesAreRegisteredAndLiveAtStart) {
  auto models = config_->ListModelVersions();
  ASSERT_TRUE(models.ok());
  ASSERT_EQ((*models)["versions"].size(), 1u);
  const auto& v = (*models)["versions"][0];
  EXPECT_EQ(v["state"], "published");
  EXPECT_EQ(v["origin"], "file");
  EXPECT_TRUE(v["live"].get<bool>());
  // The version is the same content hash `waymark rules test` prints for the files.
  auto direct = rules::TriageModel::FromFiles(files_.model, {}, {});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(v["version"], direct.value()->version());
  EXPECT_EQ(config_->modelVersion(), direct.value()->version());
  auto dirs = config_->ListDirectoryVersions();
  ASSERT_EQ((*dirs)["versions"].size(), 1u);
  EXPECT_EQ((*dirs)["live"], DirectoryVersionOf(files_.services));
  // The stored DMN text is the file's, so the version can be re-run later.
  auto one = config_->ModelVersion(config_->modelVersion());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)["files"][0]["text"], files_.model[0].text);
  // A second start with the same files adds nothing.
  Open();
  EXPECT_EQ((*config_->ListModelVersions())["versions"].size(), 1u);
}

TEST_F(ClinicalConfigTest, BadUploadsNameTheFileAndAreNotStored) {
  auto broken = config_->UploadModel({{"triage.dmn", "<definitions"}}, "", kLead);
  ASSERT_EQ(broken.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(broken.status().fields().at(0).path, "triage.dmn");
  EXPECT_NE(broken.status().message().find("not well-formed XML"), std::string::npos);
  // FEEL that does not parse, in a named element.
  auto feel = config_->UploadModel(
      Edited(R"(<text>list contains(?, "suicide-plan")</text>)", "<text>list contains(?,</text>"),
      "", kLead);
  ASSERT_EQ(feel.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(feel.status().message().find("triage.dmn"), std::string::npos)
      << feel.status().message();
  auto name = config_->UploadModel({{"../triage.dmn", files_.model[0].text}}, "", kLead);
  EXPECT_EQ(name.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ((*config_->ListModelVersions())["versions"].size(), 1u);
  // The live model's own text again: nothing new.
  auto same = config_->UploadModel(files_.model, "", kLead);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE((*same)["created"].get<bool>());
}

TEST_F(ClinicalConfigTest, PublishRefusedWhileACaseFailsAndTheLiveModelStays) {
  const std::string live = config_->modelVersion();
  std::string bad = Upload(Edited(R"(<outputEntry id="OutputEntry_Priority_1_1"><text>"emergency")",
                                  R"(<outputEntry id="OutputEntry_Priority_1_1"><text>"urgent")"));
  auto report = config_->TestModel(bad);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_GT(report->failed, 0);
  EXPECT_GT(report->passed, 100);
  bool named = false;
  for (const auto& f : report->failures)
    for (const auto& why : f.failures)
      named = named || why.find("priority: expected emergency, got urgent") != std::string::npos;
  EXPECT_TRUE(named);
  auto pub = config_->PublishModel(bad, false, "", kLead);
  ASSERT_EQ(pub.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(static_cast<int>(pub.status().fields().size()), report->failed);
  EXPECT_EQ(config_->modelVersion(), live);
  auto d = config_->engine().Decide(Input(14, {"suicide-plan"}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->priority, domain::Priority::kEmergency);
  auto row = store_->GetConfigVersion("model", bad);
  EXPECT_EQ(row->state, "draft");
}

TEST_F(ClinicalConfigTest, AModelThatRunsAwayGivesNoDecisionAndIsNotPublished) {
  // A decision that never ends on its own, beside the contract's four (all are evaluated).
  auto files = Edited(R"(<decision id="Decision_Priority")",
                      R"(<decision id="Decision_Runaway" name="Runaway">)"
                      R"(<variable name="Runaway"/><literalExpression>)"
                      R"(<text>{f: function(g) g(g), r: f(f)}.r</text></literalExpression>)"
                      R"(</decision><decision id="Decision_Priority")");
  auto model = rules::TriageModel::FromFiles(files, {}, {});
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto d = model.value()->Decide(Input(14, {"suicide-plan"}));
  ASSERT_FALSE(d.ok());  // not a decision made on part of a model
  EXPECT_NE(d.status().message().find("exceeded its evaluation limits"), std::string::npos)
      << d.status().message();
  const std::string live = config_->modelVersion();
  std::string runaway = Upload(files);
  auto pub = config_->PublishModel(runaway, false, "", kLead);
  EXPECT_EQ(pub.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(config_->modelVersion(), live);
}

TEST_F(ClinicalConfigTest, PublishSwapsTheLiveModelAndRollbackRestoresIt) {
  const std::string first = config_->modelVersion();
  // Same rules, new wording of one explanation: a new version that passes every case.
  std::string next = Upload(Edited("Suicide plan → emergency: crisis response within 1 hour",
                                   "Suicide plan → emergency: crisis team responds within 1 hour"));
  ASSERT_NE(next, first);
  // Rolling back to a draft is refused: it was never live.
  EXPECT_EQ(config_->PublishModel(next, true, "", kLead).status().code(), ErrorCode::kConflict);
  auto pub = config_->PublishModel(next, false, "clearer wording", kLead);
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ((*pub)["previous"], first);
  EXPECT_EQ(config_->modelVersion(), next);
  auto d = config_->engine().Decide(Input(14, {"suicide-plan"}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->modelVersion, next);
  EXPECT_NE(d->rulesFired[0].rule.find("crisis team responds"), std::string::npos);
  EXPECT_EQ(store_->GetConfigVersion("model", first)->state, "retired");
  // Publishing it again is refused (it is live), as is publishing the retired one (roll back).
  EXPECT_EQ(config_->PublishModel(next, false, "", kLead).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(config_->PublishModel(first, false, "", kLead).status().code(), ErrorCode::kConflict);
  auto back = config_->PublishModel(first, true, "wording not agreed", kLead);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(config_->modelVersion(), first);
  // Every change is in the audit log with who and why.
  auto audit = store_->AuditFor("model/" + first);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->back().action, "model.rollback");
  EXPECT_EQ(audit->back().actor, "lead-1");
  EXPECT_EQ(audit->back().reason, "wording not agreed");
  EXPECT_EQ(store_->AuditFor("model/" + next)->front().action, "model.upload");
}

TEST_F(ClinicalConfigTest, ALeadsPublicationSurvivesARestartAndANewFileIsADeployment) {
  std::string next = Upload(Edited("Suicide plan → emergency: crisis response within 1 hour",
                                   "Suicide plan → emergency (reworded)"));
  ASSERT_TRUE(config_->PublishModel(next, false, "", kLead).ok());
  Open();  // same files
  EXPECT_EQ(config_->modelVersion(), next);
  // The files change (a deployment): the new file version goes live.
  AreaFiles deployed = files_;
  deployed.model[0].text = Replace(deployed.model[0].text, "Acute psychosis → emergency",
                                   "Acute psychosis (deployed) → emergency");
  clock_.Advance(std::chrono::minutes(1));
  Open(&deployed);
  EXPECT_NE(config_->modelVersion(), next);
  auto live = store_->GetConfigVersion("model", config_->modelVersion());
  EXPECT_EQ(live->origin, "file");
  // Deploying the original file again makes it live again, though it is a known version.
  clock_.Advance(std::chrono::minutes(1));
  Open();
  auto original = rules::TriageModel::FromFiles(files_.model, {}, {});
  EXPECT_EQ(config_->modelVersion(), original.value()->version());
}

TEST_F(ClinicalConfigTest, DirectoryEditIsCheckedVersionedAndLive) {
  const std::string first = config_->directoryVersion();
  json change = {{"capacity", {{"newAssessmentsPerWeek", 12}, {"basis", "local"}}},
                 {"hours", "Monday to Friday, 9am to 5pm"},
                 {"reason", "new commissioning figures"}};
  auto edit = config_->EditService("camhs", change, kLead);
  ASSERT_TRUE(edit.ok()) << edit.status().message();
  EXPECT_NE((*edit)["version"], first);
  EXPECT_EQ((*edit)["service"]["capacity"]["newAssessmentsPerWeek"], 12);
  auto area = config_->area().Current();
  EXPECT_EQ(area->directory().Find("camhs")->capacity.new_assessments_per_week, 12);
  EXPECT_EQ(area->directory().Find("camhs")->hours, "Monday to Friday, 9am to 5pm");
  EXPECT_EQ(config_->directoryVersion(), (*edit)["version"]);
  auto d = config_->engine().Decide(Input(14));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->directoryVersion, (*edit)["version"]);
  auto audit = store_->AuditFor("directory/" + (*edit)["version"].get<std::string>());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->front().action, "directory.edit");
  EXPECT_EQ(audit->front().fields, "camhs: capacity, hours");
  EXPECT_EQ(audit->front().reason, "new commissioning figures");
  // It survives a restart.
  Open();
  EXPECT_EQ(config_->area().Current()->directory().Find("camhs")->hours,
            "Monday to Friday, 9am to 5pm");
  // Rollback to the files' version.
  auto back = config_->RollbackDirectory(first, "figures withdrawn", kLead);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_NE(config_->area().Current()->directory().Find("camhs")->capacity.new_assessments_per_week,
            12);
}

TEST_F(ClinicalConfigTest, DirectoryEditErrorsNameTheField) {
  const std::string first = config_->directoryVersion();
  json eligibility = files_.services["services"][2]["eligibility"];
  eligibility["maxAge"] = 30;
  auto bad = config_->EditService(files_.services["services"][2]["id"],
                                  {{"eligibility", eligibility}, {"reason", "r"}}, kLead);
  ASSERT_EQ(bad.status().code(), ErrorCode::kInvalid);
  ASSERT_EQ(bad.status().fields().size(), 1u);
  EXPECT_EQ(bad.status().fields()[0].path, "eligibility.maxAge");
  EXPECT_EQ(bad.status().fields()[0].message, "must be an integer 0–25");
  auto unknown = config_->EditService("camhs", {{"name", "x"}, {"reason", "r"}}, kLead);
  ASSERT_EQ(unknown.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(unknown.status().fields()[0].path, "name");
  auto no_reason = config_->EditService("camhs", {{"hours", "Always"}}, kLead);
  ASSERT_EQ(no_reason.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(no_reason.status().fields()[0].path, "reason");
  auto need = config_->EditService(
      "camhs", {{"contact", {{"text", "Call"}, {"example", "perhaps"}}}, {"reason", "r"}}, kLead);
  ASSERT_EQ(need.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(need.status().fields()[0].path, "contact.example");
  EXPECT_EQ(config_->EditService("nope", {{"hours", "x"}, {"reason", "r"}}, kLead).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(config_->directoryVersion(), first);
}

TEST_F(ClinicalConfigTest, EligibilityEditReachesTheModelAndIsRefusedWhenACaseFails) {
  // Online counselling opens at 11 (boundaries.yaml says so): raising it breaks that case.
  json svc;
  for (const auto& s : files_.services["services"])
    if (s["id"] == "online-counselling") svc = s;
  json eligibility = svc["eligibility"];
  eligibility["minAge"] = 12;
  auto refused = config_->EditService("online-counselling",
                                      {{"eligibility", eligibility}, {"reason", "r"}}, kLead);
  ASSERT_EQ(refused.status().code(), ErrorCode::kConflict) << refused.status().message();
  EXPECT_FALSE(refused.status().fields().empty());
  EXPECT_EQ(config_->area().Current()->directory().Find("online-counselling")->eligibility.min_age,
            11);
  // No case pins loneliness for online counselling, and the model sees the edit at once: a
  // lonely 14-year-old is no longer recommended online counselling.
  auto lonely = Input(14);
  lonely.needs = {"loneliness"};
  auto has_online = [](const domain::TriageDecision& d) {
    for (const auto& s : d.services)
      if (s.id == "online-counselling") return true;
    return false;
  };
  auto before = config_->engine().Decide(lonely);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(has_online(before.value()));
  eligibility = svc["eligibility"];
  json taken = json::array();
  for (const auto& n : eligibility["needsTaken"])
    if (n != "loneliness") taken.push_back(n);
  eligibility["needsTaken"] = taken;
  auto edit = config_->EditService("online-counselling",
                                   {{"eligibility", eligibility}, {"reason", "test"}}, kLead);
  ASSERT_TRUE(edit.ok()) << edit.status().message();
  auto after = config_->engine().Decide(lonely);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(has_online(after.value()));
  EXPECT_EQ(after->directoryVersion, (*edit)["version"]);
}

TEST_F(ClinicalConfigTest, StoredDecisionIsReproducedFromItsVersions) {
  Intake intake(*store_, clock_);
  Navigation nav(*store_, clock_, config_->area(), &config_->engine());
  json body = {{"referrer", {{"type", "self"}}},
               {"youngPerson",
                {{"givenName", "Synthetic"},
                 {"familyName", "Person"},
                 {"dateOfBirth", "2012-01-20"},
                 {"postcode", "LE1 5WW"}}},
               {"source", "B1"},
               {"needs", {"anxiety"}},
               {"impact", "moderate"},
               {"description", "Worried about school."},
               {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", false}}}};
  auto ack = intake.Submit(body, kLead);
  ASSERT_TRUE(ack.ok()) << ack.status().message();
  ASSERT_TRUE(nav.Triage(ack->reference, kStart).ok());
  auto row = store_->GetReferral(ack->reference);
  ASSERT_TRUE(row->decision.contains("input"));
  EXPECT_EQ(row->decision["directoryVersion"], config_->directoryVersion());

  // Both the model and the directory change after the decision.
  std::string next = Upload(Edited("Suicide plan → emergency: crisis response within 1 hour",
                                   "Suicide plan → emergency (v2)"));
  ASSERT_TRUE(config_->PublishModel(next, false, "", kLead).ok());
  ASSERT_TRUE(config_->EditService("camhs", {{"hours", "Weekdays"}, {"reason", "r"}}, kLead).ok());

  auto again = config_->Reproduce(row.value(), kLead);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE((*again)["identical"].get<bool>()) << again->dump(2);
  EXPECT_EQ((*again)["modelVersion"], row->modelVersion);
  EXPECT_EQ((*again)["inputSource"], "stored with the decision");
  EXPECT_FALSE(again->dump().find("Worried") != std::string::npos) << "input leaked";
  auto audit = store_->AuditFor("referral/" + ack->reference);
  EXPECT_EQ(audit->back().action, "referral.reproduce");

  // A decision that was altered after the fact is caught.
  auto altered = row.value();
  altered.decision["priority"] = "emergency";
  auto caught = config_->Reproduce(altered, kLead);
  ASSERT_TRUE(caught.ok());
  EXPECT_FALSE((*caught)["identical"].get<bool>());
  EXPECT_NE((*caught)["differences"][0].get<std::string>().find("priority"), std::string::npos);

  // After retention erases the input, it can no longer be re-run, and says so.
  auto erased = row.value();
  erased.decision.erase("input");
  erased.submission = {{"pseudonymised", true}};
  EXPECT_EQ(config_->Reproduce(erased, kLead).status().code(), ErrorCode::kConflict);
}

TEST_F(ClinicalConfigTest, DecisionsRacingModelSwapsUseOneWholeModel) {
  // The engine's swap itself, many times over, while decisions run on other threads.
  auto area = config_->area().Current();
  auto locality = [area](const std::string& pc) { return area->LocalityForPostcode(pc); };
  auto a = rules::TriageModel::FromFiles(files_.model, DirectoryEntries(*area), locality, "d1");
  auto b = rules::TriageModel::FromFiles(
      Edited("Suicide plan → emergency: crisis response within 1 hour",
             "Suicide plan → emergency (race)"),
      DirectoryEntries(*area), locality, "d2");
  ASSERT_TRUE(a.ok() && b.ok());
  LiveTriageEngine engine(a.value());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        auto d = engine.Decide(Input(14, {"suicide-plan"}));
        // The explanation, the model version and the directory version come from one model.
        bool is_b = d.ok() && d->modelVersion == b.value()->version();
        bool b_text = d.ok() && d->rulesFired[0].rule.find("(race)") != std::string::npos;
        if (!d.ok() || is_b != b_text || d->directoryVersion != (is_b ? "d2" : "d1")) ++bad;
        ++done;
      }
    });
  }
  for (int i = 0; i < 400; ++i) {
    engine.Replace(i % 2 ? a.value() : b.value());
    std::this_thread::yield();
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(done.load(), 0);
}

}  // namespace
}  // namespace waymark::workflow
