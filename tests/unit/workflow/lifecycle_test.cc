#include "workflow/lifecycle.h"

#include <gtest/gtest.h>

#include <random>

namespace waymark::workflow {
namespace {

struct Row {
  Stage from;
  Action action;
  bool first;
  std::optional<Stage> to;  // nullopt: refused
};

// The whole table, written out so a clinician can read it.
const Row kTable[] = {
    {Stage::kReceived, Action::kTriage, false, Stage::kTriaged},
    {Stage::kReceived, Action::kRoute, false, Stage::kRouted},
    {Stage::kTriaged, Action::kRoute, false, Stage::kRouted},
    {Stage::kTriaged, Action::kSignpost, false, Stage::kClosed},
    {Stage::kTriaged, Action::kAccept, false, std::nullopt},
    {Stage::kTriaged, Action::kClose, false, Stage::kClosed},
    {Stage::kRouted, Action::kAccept, false, Stage::kWaiting},
    {Stage::kRouted, Action::kDecline, false, Stage::kAwaitingDecision},
    {Stage::kRouted, Action::kRoute, false, std::nullopt},
    {Stage::kRouted, Action::kDischarge, false, std::nullopt},
    {Stage::kAwaitingDecision, Action::kRoute, false, Stage::kRouted},
    {Stage::kAwaitingDecision, Action::kTriage, false, Stage::kAwaitingDecision},
    {Stage::kWaiting, Action::kBookContact, false, Stage::kWaiting},
    {Stage::kWaiting, Action::kRecordAttendance, false, Stage::kWaiting},  // a DNA
    {Stage::kWaiting, Action::kRecordAttendance, true, Stage::kInCare},
    {Stage::kWaiting, Action::kDecline, false, std::nullopt},
    {Stage::kInCare, Action::kDischarge, false, Stage::kDischarged},
    {Stage::kInCare, Action::kTransfer, false, Stage::kTransferred},
    {Stage::kInCare, Action::kClose, false, Stage::kClosed},  // withdrawn, by the service
    {Stage::kWaiting, Action::kClose, false, Stage::kClosed},
    {Stage::kRouted, Action::kClose, false, std::nullopt},  // accept or decline it first
    {Stage::kWaiting, Action::kAllocate, false, Stage::kWaiting},
    {Stage::kWaiting, Action::kAllocate, true, Stage::kInCare},  // an "allocated" clock
    {Stage::kInCare, Action::kAllocate, false, Stage::kInCare},
    {Stage::kRouted, Action::kAllocate, false, std::nullopt},
    {Stage::kWaiting, Action::kReview, false, Stage::kWaiting},
    {Stage::kInCare, Action::kReview, false, Stage::kInCare},
    {Stage::kTriaged, Action::kReview, false, std::nullopt},
    {Stage::kWaiting, Action::kReturnToTriage, false, Stage::kAwaitingDecision},
    {Stage::kInCare, Action::kReturnToTriage, false, Stage::kAwaitingDecision},
    {Stage::kRouted, Action::kReturnToTriage, false, std::nullopt},
    {Stage::kInCare, Action::kRecordAttendance, false, Stage::kInCare},
    {Stage::kDischarged, Action::kRoute, false, std::nullopt},
    {Stage::kClosed, Action::kTriage, false, std::nullopt},
    {Stage::kTransferred, Action::kAccept, false, std::nullopt},
};

TEST(Lifecycle, Table) {
  for (const auto& r : kTable) {
    auto got = Next(r.from, r.action, r.first);
    if (r.to) {
      ASSERT_TRUE(got.ok()) << StageName(r.from) << " " << ActionName(r.action) << ": "
                            << got.status().message();
      EXPECT_EQ(*got, *r.to) << StageName(r.from) << " " << ActionName(r.action);
    } else {
      ASSERT_FALSE(got.ok()) << StageName(r.from) << " " << ActionName(r.action);
      EXPECT_EQ(got.status().code(), ErrorCode::kConflict);
    }
  }
}

TEST(Lifecycle, StaffActionsLeaveOutTheEngineAndTheReviewOutcome) {
  EXPECT_FALSE(IsStaffAction(Action::kTriage));
  EXPECT_FALSE(IsStaffAction(Action::kReturnToTriage));
  EXPECT_TRUE(IsStaffAction(Action::kReview));
  auto got = Next(Stage::kWaiting, Action::kRoute);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().find("return-to-triage"), std::string::npos);
  EXPECT_NE(got.status().message().find("allocate, review"), std::string::npos);
}

TEST(Lifecycle, RefusalSaysWhatIsPossible) {
  auto got = Next(Stage::kRouted, Action::kDischarge);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("routed"), std::string::npos);
  EXPECT_NE(got.status().message().find("accept, decline"), std::string::npos);
}

TEST(Lifecycle, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(Stage::kClosed); ++i) {
    auto s = static_cast<Stage>(i);
    EXPECT_EQ(ParseStage(StageName(s)), s);
  }
  for (int i = 0; i < kActionCount; ++i) {
    auto a = static_cast<Action>(i);
    EXPECT_EQ(ParseAction(ActionName(a)), a);
  }
}

// Invariant over generated sequences: a referral that is not closed has exactly one owner,
// and a decline always hands it back to the triage team.
TEST(Lifecycle, GeneratedSequencesKeepExactlyOneOwner) {
  std::mt19937 rng(20261123);
  for (int run = 0; run < 2000; ++run) {
    Stage s = Stage::kReceived;
    std::string service;
    for (int step = 0; step < 30; ++step) {
      auto a = static_cast<Action>(rng() % kActionCount);
      auto next = Next(s, a, rng() % 2 == 0);
      if (!next.ok()) {
        EXPECT_EQ(next.status().code(), ErrorCode::kConflict);
        continue;
      }
      if (a == Action::kRoute) service = "svc" + std::to_string(rng() % 5);
      s = *next;
      std::string owner = OwnerFor(s, service);
      if (IsTerminal(s)) {
        EXPECT_EQ(owner, "");
      } else {
        EXPECT_FALSE(owner.empty());
        EXPECT_TRUE(owner == "triage-team" || owner == "service:" + service) << owner;
      }
      if (a == Action::kDecline || a == Action::kReturnToTriage) {
        EXPECT_EQ(owner, "triage-team");
      }
    }
  }
}

}  // namespace
}  // namespace waymark::workflow
