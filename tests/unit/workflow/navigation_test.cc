// Navigation on a real SQLite store, the real example area and a fake clock: clocks across
// weekends and bank holidays, declines back to triage, transition alerts, stale versions.
#include "workflow/navigation.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "directory/loader.h"
#include "security/tokens.h"
#include "workflow/intake.h"

namespace waymark::workflow {
namespace {

namespace fs = std::filesystem;
using domain::Timestamp;
using nlohmann::json;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

class NavigationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-nav-" + security::NewId());
    fs::create_directories(dir_);
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    auto a = directory::LoadArea(fs::path(WAYMARK_SOURCE_DIR) / "config/areas/example");
    ASSERT_TRUE(a.ok()) << a.status().message();
    area_ = std::make_unique<directory::Area>(std::move(a.value()));
    intake_ = std::make_unique<Intake>(*store_, clock_);
    nav_ = std::make_unique<Navigation>(*store_, clock_, *area_, nullptr);
  }
  void TearDown() override {
    nav_.reset();
    intake_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string Refer(const std::string& dob, json needs = json::array()) {
    json body = {{"referrer", {{"type", "self"}}},
                 {"youngPerson",
                  {{"givenName", "Synthetic"},
                   {"familyName", "Person"},
                   {"dateOfBirth", dob},
                   {"postcode", "LE1 5WW"}}},
                 {"source", "B1"},
                 {"needs", needs},
                 {"impact", "moderate"},
                 {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", false}}}};
    auto ack = intake_->Submit(body, triage_.actor);
    EXPECT_TRUE(ack.ok()) << ack.status().message();
    return ack->reference;
  }

  Result<store::ReferralRow> Do(const std::string& ref, Action action, const StaffActor& who,
                                ActionRequest req = {}) {
    req.action = action;
    if (!req.version) req.version = store_->GetReferral(ref)->version;
    return nav_->Apply(ref, req, who);
  }

  fs::path dir_;
  domain::FakeClock clock_{T("2026-08-28T09:00:00Z")};  // Friday before a bank holiday
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Area> area_;
  std::unique_ptr<Intake> intake_;
  std::unique_ptr<Navigation> nav_;
  StaffActor triage_{{"t1", "triage-clinician", "test"}, {"triage-clinician"}, {}};
  StaffActor service_{{"s1", "service-clinician", "test"}, {"service-clinician"}, {"*"}};
};

TEST_F(NavigationTest, WorkingDayClockSkipsWeekendAndBankHoliday) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "young-peoples-team";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  clock_.Advance(std::chrono::hours(24 * 4));  // accepted the next Tuesday
  auto r = Do(ref, Action::kAccept, service_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Clock started when the referral was received (Friday 28 August); 10 working days skip
  // the weekend and Monday 31 August (bank holiday): due at the end of Monday 14 September
  // (local midnight, BST).
  EXPECT_EQ(r->clockStartAt, T("2026-08-28T09:00:00Z"));
  EXPECT_EQ(domain::FormatTimestamp(*r->breachDueAt), "2026-09-14T23:00:00.000Z");
}

TEST_F(NavigationTest, WeeksClockFromReceipt) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "camhs";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  auto r = Do(ref, Action::kAccept, service_);
  ASSERT_TRUE(r.ok());
  // 13 weeks at the same local time (10:00): BST ended on 25 October, so 10:00 GMT.
  EXPECT_EQ(domain::FormatTimestamp(*r->breachDueAt), "2026-11-27T10:00:00.000Z");
}

TEST_F(NavigationTest, DeclineHandsBackToTriageWithReason) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "camhs";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  ActionRequest decline;
  decline.reason = "Does not meet criteria";
  auto r = Do(ref, Action::kDecline, service_, decline);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->owner, "triage-team");
  EXPECT_EQ(r->status, "awaiting-decision");
  EXPECT_TRUE(r->triageDueAt.has_value());
  auto events = store_->EventsFor(ref);
  EXPECT_EQ(events->back().kind, "referral.declined");
  EXPECT_EQ(events->back().reason, "Does not meet criteria");
}

TEST_F(NavigationTest, StaleVersionIsConflictAndChangesNothing) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "camhs";
  route.version = 1;
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  route.serviceId = "bereavement";
  auto again = Do(ref, Action::kRoute, triage_, route);
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(store_->GetReferral(ref)->serviceId, "camhs");
}

TEST_F(NavigationTest, TransitionAlertSixMonthsBefore18And16ForPsychosis) {
  // Today is 2026-08-28.
  auto soon = store_->GetReferral(Refer("2009-01-10"));   // 18 on 2027-01-10: within 6 months
  auto later = store_->GetReferral(Refer("2009-06-10"));  // 18 on 2027-06-10: not yet
  auto psych = store_->GetReferral(Refer("2011-01-10", {"psychosis"}));  // 16 on 2027-01-10
  auto psych_later = store_->GetReferral(Refer("2011-06-10", {"psychosis"}));
  EXPECT_EQ(nav_->TransitionAlert(*soon)["on"], "2027-01-10");
  EXPECT_TRUE(nav_->TransitionAlert(*later).is_null());
  EXPECT_EQ(nav_->TransitionAlert(*psych)["on"], "2027-01-10");
  EXPECT_NE(nav_->TransitionAlert(*psych)["message"].get<std::string>().find("psychosis"),
            std::string::npos);
  EXPECT_TRUE(nav_->TransitionAlert(*psych_later).is_null());
}

TEST_F(NavigationTest, DnaGoesToReviewNeverCloses) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "camhs";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  ASSERT_TRUE(Do(ref, Action::kAccept, service_).ok());
  ActionRequest book;
  book.bookedFor = T("2026-09-10T10:00:00Z");
  book.mechanism = "02";
  ASSERT_TRUE(Do(ref, Action::kBookContact, service_, book).ok());
  auto contacts = store_->ContactsFor(ref);
  ActionRequest attend;
  attend.contactId = (*contacts)[0].id;
  attend.attendStatus = "3";
  auto r = Do(ref, Action::kRecordAttendance, service_, attend);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "waiting");
  EXPECT_TRUE(r->needsReview);
  EXPECT_FALSE(r->clockStopAt.has_value());
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_TRUE(lists.ok());
  EXPECT_EQ((*lists)["reviewList"].size(), 1u);
}

TEST_F(NavigationTest, NearBreachAtThreeQuartersOfTheTarget) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "camhs";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  ASSERT_TRUE(Do(ref, Action::kAccept, service_).ok());
  clock_.Set(T("2026-10-30T09:00:00Z"));  // 9 of 13 weeks: under 75%
  auto lists = nav_->ServiceLists("camhs", service_);
  EXPECT_FALSE((*lists)["waitingList"][0]["nearBreach"].get<bool>());
  clock_.Set(T("2026-11-07T09:00:00Z"));  // 10 weeks and a day: over 75%
  lists = nav_->ServiceLists("camhs", service_);
  EXPECT_TRUE((*lists)["waitingList"][0]["nearBreach"].get<bool>());
  clock_.Set(T("2026-11-28T09:00:00Z"));
  lists = nav_->ServiceLists("camhs", service_);
  EXPECT_TRUE((*lists)["waitingList"][0]["breached"].get<bool>());
}

}  // namespace
}  // namespace waymark::workflow
