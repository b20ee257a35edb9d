// The ownership invariant through the real code: generated sequences of legal and illegal
// actions, by random staff, with random (often bad) bodies, parsed by ParseActionRequest and
// applied by Navigation::Apply on a real temporary SQLite store. After every step each
// referral not closed has exactly one owner that agrees with its stage and service, a
// refused action changes nothing, and an accepted one moves the version on by one with an
// event that names the actor.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "directory/loader.h"
#include "security/tokens.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::workflow {
namespace {

namespace fs = std::filesystem;
using domain::Timestamp;
using nlohmann::json;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

// Recommends two services, or fails now and then.
class RandomEngine final : public TriageEngine {
 public:
  explicit RandomEngine(std::vector<std::string> services) : services_(std::move(services)) {}
  Result<domain::TriageDecision> Decide(const domain::TriageInput& in) const override {
    size_t h = std::hash<std::string>()(in.description + std::to_string(in.age));
    if (h % 5 == 0) return Status::Unavailable("the model failed");
    domain::TriageDecision d;
    d.priority = static_cast<domain::Priority>(h % 4);
    d.thriveGroup = "getting-help";
    d.services = {{services_[h % services_.size()], "r"},
                  {services_[(h / 7) % services_.size()], "r"}};
    d.modelVersion = "random@1";
    return d;
  }

 private:
  std::vector<std::string> services_;
};

class OwnershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-own-" + security::NewId());
    fs::create_directories(dir_);
    // A real SQLite file; commits are not fsynced, which changes nothing the test checks.
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string(), 256, true});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    auto a = directory::LoadArea(fs::path(WAYMARK_SOURCE_DIR) / "config/areas/example");
    ASSERT_TRUE(a.ok()) << a.status().message();
    area_ = std::make_unique<directory::Area>(std::move(a.value()));
    for (const auto& svc : area_->directory().services()) services_.push_back(svc.id);
    engine_ = std::make_unique<RandomEngine>(services_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // The referral's owner agrees with its stage and service (failures are recorded).
  void CheckInvariant(const std::string& ref, const std::string& context) {
    auto r = store_->GetReferral(ref);
    ASSERT_TRUE(r.ok()) << context;
    auto stage = ParseStage(r->status);
    ASSERT_TRUE(stage.has_value()) << context << ": unknown status " << r->status;
    std::string kind(OwnerKind(*stage));
    if (IsTerminal(*stage)) {
      EXPECT_EQ(r->owner, "") << context;
    } else if (kind == "triage-team") {
      EXPECT_EQ(r->owner, "triage-team") << context << " " << r->status;
      EXPECT_TRUE(r->serviceId.empty()) << context << " " << r->status;
    } else {
      ASSERT_EQ(kind, "service") << context;
      EXPECT_FALSE(r->serviceId.empty()) << context << " " << r->status;
      EXPECT_EQ(r->owner, "service:" + r->serviceId) << context << " " << r->status;
      EXPECT_NE(area_->directory().Find(r->serviceId), nullptr) << context << " " << r->serviceId;
    }
    // A waiting list entry has a running clock; an in-care one has stopped it.
    if (*stage == Stage::kWaiting) {
      EXPECT_TRUE(r->breachDueAt.has_value()) << context;
      EXPECT_FALSE(r->clockStopAt.has_value()) << context;
    }
    if (*stage == Stage::kInCare) {
      EXPECT_TRUE(r->clockStopAt.has_value()) << context;
    }
    if (!r->nearBreachAlertAt) return;
    EXPECT_TRUE(*stage == Stage::kRouted || *stage == Stage::kWaiting) << context;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Area> area_;
  std::vector<std::string> services_;
  std::unique_ptr<RandomEngine> engine_;
};

TEST_F(OwnershipTest, GeneratedSequencesThroughApplyKeepExactlyOneOwner) {
  domain::FakeClock clock(T("2026-08-28T09:00:00Z"));
  Intake intake(*store_, clock, {}, TriageClockFor(directory::LiveArea::Unowned(*area_)));
  Navigation nav(*store_, clock, *area_, engine_.get());
  std::mt19937 rng(20261124);
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };

  std::vector<StaffActor> actors = {
      {{"t1", "triage-clinician", "test"}, {"triage-clinician"}, {}},
      {{"l1", "clinical-lead", "test"}, {"clinical-lead"}, {}},
      {{"s1", "service-clinician", "test"}, {"service-clinician"}, {"*"}},
      {{"m1", "service-manager", "test"}, {"service-manager"}, {"*"}},
      {{"c1", "commissioner", "test"}, {"commissioner"}, {}},
      {{"g1", "safeguarding-lead", "test"}, {"safeguarding-lead"}, {}},
  };
  // Staff of single services: the right one or the wrong one for a referral, at random.
  for (int i = 0; i < 4; ++i) {
    actors.push_back({{"s-" + std::to_string(i), "service-clinician", "test"},
                      {"service-clinician"},
                      {services_[rng() % services_.size()]}});
  }
  std::vector<std::string> actions;
  for (int a = 0; a < kActionCount; ++a) actions.emplace_back(ActionName(static_cast<Action>(a)));
  const std::vector<std::string> mechanisms = {"01", "02", "04", "09", "11", "13", "99", ""};
  const std::vector<std::string> attend = {"5", "6", "7", "2", "3", "4", "9"};
  const std::vector<std::string> purposes = {"", "assessment", "treatment", "other", "lunch"};
  const std::vector<std::string> outcomes = {"offer-appointment", "discharge", "back-to-triage",
                                             "shrug", ""};

  int applied = 0, refused = 0;
  std::set<std::string> reached;  // stages some accepted action led to
  for (int run = 0; run < 60; ++run) {
    // Each referral starts on a new day; within a run time moves on by up to a year.
    clock.Set(T("2026-08-28T09:00:00Z") + std::chrono::hours(24 * run));
    json body = {{"referrer", {{"type", "self"}}},
                 {"youngPerson",
                  {{"givenName", "Synthetic"},
                   {"familyName", "Person"},
                   {"dateOfBirth", rng() % 2 ? "2011-05-14" : "2009-03-01"},
                   {"postcode", "LE1 5WW"}}},
                 {"source", "B1"},
                 {"needs", json::array({"anxiety"})},
                 {"risks", rng() % 4 ? json::array() : json::array({"suicide-plan"})},
                 {"description", "Synthetic run " + std::to_string(run)},
                 {"impact", "moderate"},
                 {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", false}}}};
    auto ack = intake.Submit(body, actors[0].actor);
    ASSERT_TRUE(ack.ok()) << ack.status().message();
    const std::string ref = ack->reference;
    nav.AfterIntake(ref, ack->crisis, actors[0].actor);
    CheckInvariant(ref, "after intake");
    for (int step = 0; step < 40; ++step) {
      auto before = store_->GetReferral(ref);
      ASSERT_TRUE(before.ok());
      auto events_before = store_->EventsFor(ref)->size();
      // Half the steps are what a member of staff might well do next (an action possible in
      // this stage, by someone of the right team, with a sensible body); the rest anything.
      bool sensible = rng() % 2 == 0;
      auto stage = ParseStage(before->status).value_or(Stage::kReceived);
      std::string name = pick(actions);
      if (sensible) {
        std::vector<std::string> possible;
        bool may_end = rng() % 6 == 0;  // endings now and then, so sequences run long
        for (int a = 0; a < kActionCount; ++a) {
          auto act = static_cast<Action>(a);
          auto to = Next(stage, act, true);
          if (IsStaffAction(act) && to.ok() && (may_end || !IsTerminal(*to))) {
            possible.emplace_back(ActionName(act));
          }
        }
        if (!possible.empty()) name = pick(possible);
      }
      json b = json::object();
      // Mostly the version on screen; sometimes a stale one, sometimes none.
      int v = static_cast<int>(rng() % 10);
      if (v < 8) b["version"] = before->version;
      if (v == 8) b["version"] = before->version - 1;
      if (rng() % 3) b["serviceId"] = rng() % 8 ? pick(services_) : std::string("nope");
      if (rng() % 3) b["reason"] = "Synthetic reason " + std::to_string(step);
      if (rng() % 2) b["bookedFor"] = domain::FormatTimestamp(clock.Now() + std::chrono::hours(24));
      if (rng() % 2) b["mechanism"] = pick(mechanisms);
      if (rng() % 2) b["purpose"] = pick(purposes);
      if (rng() % 2) b["attendStatus"] = pick(attend);
      if (rng() % 2) b["reviewOutcome"] = pick(outcomes);
      if (rng() % 3) b["allocatedTo"] = "Worker " + std::to_string(step);
      if (rng() % 3 == 0) b["signpostTo"] = "Somewhere that helps";
      auto contacts = store_->ContactsFor(ref);
      if (rng() % 3 && !contacts->empty()) {
        b["contactId"] = pick(*contacts).id;
      } else if (rng() % 2) {
        b["contactId"] = "no-such-contact";
      }
      if (rng() % 20 == 0) b["colour"] = "blue";  // an unknown field
      const StaffActor* chosen = &actors[rng() % actors.size()];
      if (sensible) {
        b["version"] = before->version;
        b["reason"] = "Synthetic reason " + std::to_string(step);
        b["serviceId"] = pick(services_);
        b["signpostTo"] = "Somewhere that helps";
        b["allocatedTo"] = "Worker " + std::to_string(step);
        b["reviewOutcome"] = pick(std::vector<std::string>(outcomes.begin(), outcomes.end() - 2));
        b.erase("colour");
        b.erase("purpose");
        if (name == "book-contact") {
          b["bookedFor"] = domain::FormatTimestamp(clock.Now() + std::chrono::hours(24));
          b["mechanism"] = pick(std::vector<std::string>(mechanisms.begin(), mechanisms.end() - 2));
          b["purpose"] = pick(std::vector<std::string>(purposes.begin(), purposes.end() - 1));
        } else if (name == "review") {
          b.erase("bookedFor");
          b.erase("mechanism");
        }
        if (name == "record-attendance") {
          b["attendStatus"] = pick(std::vector<std::string>(attend.begin(), attend.end() - 1));
          if (!contacts->empty()) b["contactId"] = pick(*contacts).id;
        }
        bool triage_team = OwnerKind(stage) != "service";
        chosen = &actors[triage_team ? rng() % 2 : 2 + rng() % 2];
      }
      const StaffActor& who = *chosen;
      std::string context = "run " + std::to_string(run) + " step " + std::to_string(step) + " " +
                            name + " by " + who.actor.id + " on " + before->status + ": " +
                            b.dump();
      auto action = ParseAction(name);
      ASSERT_TRUE(action.has_value());
      bool ok = false;
      auto parsed = ParseActionRequest(*action, b);
      if (parsed.ok()) {
        auto done = nav.Apply(ref, parsed.value(), who);
        ok = done.ok();
        if (ok) {
          EXPECT_EQ(done->version, before->version + 1) << context;
        } else {
          // Expected failures are values of the kinds the API maps to 4xx, never internal.
          auto code = done.status().code();
          EXPECT_TRUE(code == ErrorCode::kInvalid || code == ErrorCode::kConflict ||
                      code == ErrorCode::kForbidden || code == ErrorCode::kNotFound)
              << context << ": " << done.status().message();
        }
      } else {
        EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalid) << context;
      }
      auto after = store_->GetReferral(ref);
      auto events_after = store_->EventsFor(ref);
      if (ok) {
        ++applied;
        reached.insert(after->status);
        EXPECT_EQ(after->version, before->version + 1) << context;
        ASSERT_GT(events_after->size(), events_before) << context;
        EXPECT_EQ(events_after->back().actor, who.actor.id + ":" + who.actor.role) << context;
      } else {
        ++refused;
        EXPECT_EQ(after->version, before->version) << context;
        EXPECT_EQ(after->status, before->status) << context;
        EXPECT_EQ(after->owner, before->owner) << context;
        EXPECT_EQ(events_after->size(), events_before) << context;
      }
      CheckInvariant(ref, context);
      if (::testing::Test::HasFailure()) return;  // one clear failure, not hundreds
      // Time passes; near-breach alerts fall due and are raised between actions.
      clock.Advance(std::chrono::hours(1 + rng() % 200));
      nav.RaiseDueAlerts();
      CheckInvariant(ref, context + " (after the alert sweep)");
      // A closed referral stays closed: a few more tries at it, then the next referral.
      if (IsTerminal(ParseStage(store_->GetReferral(ref)->status).value_or(Stage::kReceived)) &&
          rng() % 4 == 0) {
        break;
      }
    }
  }
  // The generator reaches both sides: plenty applied and plenty refused.
  EXPECT_GT(applied, 300);
  EXPECT_GT(refused, 300);
  for (const char* stage : {"routed", "waiting", "in-care", "awaiting-decision", "closed",
                            "discharged", "transferred"}) {
    EXPECT_TRUE(reached.count(stage)) << "never reached " << stage;
  }
}

}  // namespace
}  // namespace waymark::workflow
