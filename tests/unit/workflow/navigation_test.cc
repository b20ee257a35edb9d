// Navigation on a real SQLite store, the real example area and a fake clock: clocks across
// weekends and bank holidays, declines back to triage, transition alerts, stale versions.
#include "workflow/navigation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "directory/loader.h"
#include "security/tokens.h"
#include "workflow/intake.h"

namespace waymark::workflow {
namespace {

namespace fs = std::filesystem;
using domain::Timestamp;
using nlohmann::json;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

// A decision model that says what the test tells it to, or fails.
class FakeEngine final : public TriageEngine {
 public:
  Result<domain::TriageDecision> Decide(const domain::TriageInput&) const override {
    std::lock_guard lock(mu_);
    if (fail) return Status::Unavailable("the model failed");
    return decision;
  }
  void Set(domain::Priority p, std::vector<std::string> services, std::string group) {
    std::lock_guard lock(mu_);
    decision = {};
    decision.priority = p;
    decision.thriveGroup = std::move(group);
    for (auto& s : services) decision.services.push_back({s, "Staff words: " + s});
    decision.modelVersion = "fake@1";
  }
  mutable std::mutex mu_;
  bool fail = false;
  domain::TriageDecision decision;
};

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
  // Navigation with the fake decision model and a listener that keeps every alert pushed.
  void UseEngine() {
    nav_ = std::make_unique<Navigation>(*store_, clock_, *area_, &engine_, [this](const json& a) {
      std::lock_guard lock(pushed_mu_);
      pushed_.push_back(a);
    });
  }
  // Refers, then triages as `waymark serve` does.
  std::string ReferAndTriage(const std::string& dob, json needs = json::array(),
                             json risks = json::array()) {
    std::string ref = Refer(dob, needs, risks);
    nav_->AfterIntake(ref, risks.size() > 0, triage_.actor);
    return ref;
  }
  // Routed to the service and accepted onto its list.
  std::string Waiting(const std::string& service, json needs = json::array(),
                      const std::string& dob = "2011-05-14") {
    auto ref = Refer(dob, needs);
    ActionRequest route;
    route.serviceId = service;
    EXPECT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
    EXPECT_TRUE(Do(ref, Action::kAccept, service_).ok());
    return ref;
  }
  // Books a contact and records its attendance; returns the referral afterwards.
  Result<store::ReferralRow> Contact(const std::string& ref, const std::string& mechanism,
                                     const std::string& purpose, const std::string& attend,
                                     Timestamp at) {
    ActionRequest book;
    book.bookedFor = at;
    book.mechanism = mechanism;
    book.purpose = purpose;
    auto booked = Do(ref, Action::kBookContact, service_, book);
    if (!booked.ok()) return booked.status();
    auto contacts = store_->ContactsFor(ref);
    ActionRequest rec;
    for (const auto& c : *contacts) {
      if (c.attendStatus == "0") rec.contactId = c.id;
    }
    rec.attendStatus = attend;
    return Do(ref, Action::kRecordAttendance, service_, rec);
  }
  std::vector<std::string> Kinds(const std::string& ref) {
    std::vector<std::string> out;
    auto events = store_->EventsFor(ref);
    for (const auto& e : events.value()) out.push_back(e.kind);
    return out;
  }
  void TearDown() override {
    nav_.reset();
    intake_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string Refer(const std::string& dob, json needs = json::array(),
                    json risks = json::array()) {
    json body = {{"referrer", {{"type", "self"}}},
                 {"youngPerson",
                  {{"givenName", "Synthetic"},
                   {"familyName", "Person"},
                   {"dateOfBirth", dob},
                   {"postcode", "LE1 5WW"}}},
                 {"source", "B1"},
                 {"needs", needs},
                 {"risks", risks},
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
  FakeEngine engine_;
  std::mutex pushed_mu_;
  std::vector<json> pushed_;  // guarded by pushed_mu_
  StaffActor triage_{{"t1", "triage-clinician", "test"}, {"triage-clinician"}, {}};
  StaffActor service_{{"s1", "service-clinician", "test"}, {"service-clinician"}, {"*"}};
  StaffActor camhs_only_{{"s2", "service-clinician", "test"}, {"service-clinician"}, {"camhs"}};
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
  decline.reasonCode = "not-meeting-criteria";
  decline.reason = "Does not meet criteria";
  auto r = Do(ref, Action::kDecline, service_, decline);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->owner, "triage-team");
  EXPECT_EQ(r->status, "awaiting-decision");
  EXPECT_TRUE(r->triageDueAt.has_value());
  auto events = store_->EventsFor(ref);
  EXPECT_EQ(events->back().kind, "referral.declined");
  EXPECT_EQ(events->back().data.value("reasonCode", ""), "not-meeting-criteria");
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

// ---- Point by point: the clock the service's standard configures.

TEST(ContactStopsClock, EachKindOfStop) {
  using directory::ClockStop;
  auto contact = [](const char* mechanism, const char* purpose, const char* attend = "5") {
    store::ContactRow c;
    c.mechanism = mechanism;
    c.purpose = purpose;
    c.attendStatus = attend;
    return c;
  };
  // First response: any attended contact, chat and text included.
  for (const char* m : {"01", "02", "05", "09", "10", "12", "13", "98"}) {
    EXPECT_TRUE(ContactStopsClock(ClockStop::kFirstResponse, contact(m, ""))) << m;
  }
  EXPECT_FALSE(ContactStopsClock(ClockStop::kFirstResponse, contact("13", "", "3")));
  // First attended contact: face to face, phone, talk type or video only.
  EXPECT_TRUE(ContactStopsClock(ClockStop::kFirstAttendedContact, contact("11", "other")));
  EXPECT_FALSE(ContactStopsClock(ClockStop::kFirstAttendedContact, contact("09", "")));
  // Assessed: such a contact for assessment or treatment (or not said).
  EXPECT_TRUE(ContactStopsClock(ClockStop::kAssessed, contact("01", "assessment")));
  EXPECT_TRUE(ContactStopsClock(ClockStop::kAssessed, contact("01", "treatment")));
  EXPECT_TRUE(ContactStopsClock(ClockStop::kAssessed, contact("02", "")));
  EXPECT_FALSE(ContactStopsClock(ClockStop::kAssessed, contact("01", "other")));
  EXPECT_FALSE(ContactStopsClock(ClockStop::kAssessed, contact("13", "assessment")));
  // Treatment started: such a contact for treatment (or not said).
  EXPECT_TRUE(ContactStopsClock(ClockStop::kTreatmentStarted, contact("01", "treatment")));
  EXPECT_FALSE(ContactStopsClock(ClockStop::kTreatmentStarted, contact("01", "assessment")));
  EXPECT_FALSE(ContactStopsClock(ClockStop::kTreatmentStarted, contact("01", "treatment", "6x")));
  // Allocated: no contact stops it.
  EXPECT_FALSE(ContactStopsClock(ClockStop::kAllocated, contact("01", "treatment")));
}

TEST_F(NavigationTest, OnlineCounsellingStopsAtTheFirstChatTheSameDay) {
  auto ref = Waiting("online-counselling", {"anxiety"});
  auto r = store_->GetReferral(ref);
  // Received Friday 10:00 BST: a first reply is due by the end of that day, not 24 hours on.
  EXPECT_EQ(domain::FormatTimestamp(*r->breachDueAt), "2026-08-28T23:00:00.000Z");
  clock_.Set(T("2026-08-28T15:00:00Z"));
  auto done = Contact(ref, "13", "", "5", T("2026-08-28T14:30:00Z"));  // a chat room session
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->status, "in-care");
  EXPECT_EQ(done->clockStopAt, T("2026-08-28T14:30:00Z"));
  EXPECT_EQ(Kinds(ref).back(), "contact.first-attended");
}

TEST_F(NavigationTest, ChatHealthStopsAtTheFirstTextReply) {
  auto ref = Waiting("chat-health", {"sleep"});
  auto r = store_->GetReferral(ref);
  // One working day from Friday: Monday 31 August is a bank holiday, so end of Tuesday.
  EXPECT_EQ(domain::FormatTimestamp(*r->breachDueAt), "2026-09-01T23:00:00.000Z");
  auto done = Contact(ref, "09", "", "5", T("2026-09-01T08:00:00Z"));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, "in-care");
  EXPECT_EQ(done->clockStopAt, T("2026-09-01T08:00:00Z"));
}

TEST_F(NavigationTest, FirstAttendedContactIgnoresText) {
  auto ref = Waiting("ceips", {"anxiety"});
  auto text = Contact(ref, "09", "", "5", T("2026-09-02T10:00:00Z"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->status, "waiting");
  EXPECT_FALSE(text->clockStopAt.has_value());
  auto phone = Contact(ref, "02", "", "5", T("2026-09-03T10:00:00Z"));
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->status, "in-care");
  EXPECT_EQ(phone->clockStopAt, T("2026-09-03T10:00:00Z"));
}

TEST_F(NavigationTest, AssessedStopsAtAnAssessmentNotAnotherContact) {
  auto ref = Waiting("camhs", {"anxiety"});
  auto other = Contact(ref, "01", "other", "5", T("2026-09-10T10:00:00Z"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, "waiting");
  auto assessed = Contact(ref, "11", "assessment", "5", T("2026-09-17T10:00:00Z"));
  ASSERT_TRUE(assessed.ok());
  EXPECT_EQ(assessed->status, "in-care");
  EXPECT_EQ(assessed->clockStopAt, T("2026-09-17T10:00:00Z"));
}

TEST_F(NavigationTest, TreatmentStartedWaitsPastTheAssessment) {
  auto ref = Waiting("eating-disorders", {"eating-disorder"});
  auto assessed = Contact(ref, "01", "assessment", "5", T("2026-09-02T10:00:00Z"));
  ASSERT_TRUE(assessed.ok());
  EXPECT_EQ(assessed->status, "waiting");
  EXPECT_FALSE(assessed->clockStopAt.has_value());
  auto treated = Contact(ref, "01", "treatment", "5", T("2026-09-09T10:00:00Z"));
  ASSERT_TRUE(treated.ok());
  EXPECT_EQ(treated->status, "in-care");
  EXPECT_EQ(treated->clockStopAt, T("2026-09-09T10:00:00Z"));
}

TEST_F(NavigationTest, AllocatedStopsWhenAWorkerIsNamed) {
  auto ref = Waiting("post-abuse-counselling", {"trauma"});
  auto seen = Contact(ref, "01", "assessment", "5", T("2026-09-02T10:00:00Z"));
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->status, "waiting");  // seen, but not yet allocated a counsellor
  clock_.Set(T("2026-09-15T12:00:00Z"));
  ActionRequest allocate;
  allocate.allocatedTo = "Counsellor A (example)";
  auto done = Do(ref, Action::kAllocate, service_, allocate);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->status, "in-care");
  EXPECT_EQ(done->clockStopAt, T("2026-09-15T12:00:00Z"));
  auto ev = store_->EventsFor(ref)->back();
  EXPECT_EQ(ev.kind, "referral.allocated");
  EXPECT_EQ(ev.data["allocatedTo"], "Counsellor A (example)");
  // An allocation at a service whose clock stops elsewhere leaves the clock running.
  auto other = Waiting("camhs");
  auto moved = Do(other, Action::kAllocate, service_, allocate);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->status, "waiting");
  EXPECT_FALSE(moved->clockStopAt.has_value());
}

TEST_F(NavigationTest, MaximumWaitShownBesideTheTarget) {
  auto ref = Waiting("post-abuse-counselling", {"trauma"});
  auto lists = nav_->ServiceLists("post-abuse-counselling", service_);
  ASSERT_TRUE(lists.ok());
  const auto& e = (*lists)["waitingList"][0];
  EXPECT_EQ(e["reference"], ref);
  EXPECT_EQ(e["breachDueAt"], "2026-10-23T09:00:00.000Z");       // 8 weeks
  EXPECT_EQ(e["maximumWaitDueAt"], "2026-12-18T10:00:00.000Z");  // 16 weeks, now GMT
  EXPECT_FALSE(e["overMaximumWait"].get<bool>());
  clock_.Set(T("2026-12-19T10:00:00Z"));
  lists = nav_->ServiceLists("post-abuse-counselling", service_);
  EXPECT_TRUE((*lists)["waitingList"][0]["overMaximumWait"].get<bool>());
}

// ---- Missed appointments: the review list, the review action, the caseload.

TEST_F(NavigationTest, DnaInCareGoesToTheReviewListAndAReviewResolvesIt) {
  auto ref = Waiting("camhs");
  ASSERT_TRUE(Contact(ref, "01", "assessment", "5", T("2026-09-03T10:00:00Z")).ok());
  auto dna = Contact(ref, "01", "treatment", "3", T("2026-09-10T10:00:00Z"));
  ASSERT_TRUE(dna.ok());
  EXPECT_EQ(dna->status, "in-care");
  EXPECT_TRUE(dna->needsReview);
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_EQ((*lists)["reviewList"].size(), 1u);
  EXPECT_EQ((*lists)["reviewList"][0]["status"], "in-care");
  EXPECT_EQ((*lists)["counts"]["review"], 1);
  // The review: another appointment, booked in the same step.
  ActionRequest review;
  review.reviewOutcome = "offer-appointment";
  review.reason = "Spoke to the family: the time did not suit";
  review.bookedFor = T("2026-09-17T16:00:00Z");
  review.mechanism = "11";
  auto r = Do(ref, Action::kReview, service_, review);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->needsReview);
  EXPECT_EQ(r->status, "in-care");
  EXPECT_EQ(store_->ContactsFor(ref)->back().bookedFor, T("2026-09-17T16:00:00Z"));
  EXPECT_TRUE((*nav_->ServiceLists("camhs", service_))["reviewList"].empty());
  // Nothing to review now: refused, not silently done.
  EXPECT_EQ(Do(ref, Action::kReview, service_, review).status().code(), ErrorCode::kConflict);
}

TEST_F(NavigationTest, ALaterAttendedContactClearsTheReview) {
  auto ref = Waiting("camhs");
  auto dna = Contact(ref, "01", "assessment", "3", T("2026-09-03T10:00:00Z"));
  ASSERT_TRUE(dna->needsReview);
  auto seen = Contact(ref, "01", "assessment", "5", T("2026-09-10T10:00:00Z"));
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->needsReview);
  EXPECT_EQ(seen->status, "in-care");
}

TEST_F(NavigationTest, ReviewBackToTriageHandsItBackWithAReason) {
  auto ref = Waiting("camhs");
  ASSERT_TRUE(Contact(ref, "01", "assessment", "3", T("2026-09-03T10:00:00Z"))->needsReview);
  ActionRequest review;
  review.reviewOutcome = "back-to-triage";
  clock_.Set(T("2026-09-04T09:00:00Z"));
  review.reason = "Two missed appointments; the family asked for help nearer home";
  auto r = Do(ref, Action::kReview, service_, review);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, "awaiting-decision");
  EXPECT_EQ(r->owner, "triage-team");
  EXPECT_TRUE(r->serviceId.empty());
  EXPECT_FALSE(r->needsReview);
  EXPECT_FALSE(r->breachDueAt.has_value());
  ASSERT_TRUE(r->triageDueAt.has_value());
  EXPECT_GT(*r->triageDueAt, T("2026-09-04T09:00:00Z"));  // a fresh triage clock from now
  auto ev = store_->EventsFor(ref)->back();
  EXPECT_EQ(ev.kind, "referral.returned-to-triage");
  EXPECT_EQ(ev.reason, review.reason);
  EXPECT_EQ(ev.data["serviceId"], "camhs");
  auto queue = nav_->Queue({});
  bool found = false;
  for (const auto& q : (*queue)["referrals"]) {
    if (q["reference"] == ref) found = q["returned"].get<bool>();
  }
  EXPECT_TRUE(found);
}

TEST_F(NavigationTest, ReviewDischargeEndsCareWithTheOutcome) {
  auto ref = Waiting("camhs");
  ASSERT_TRUE(Contact(ref, "02", "assessment", "3", T("2026-09-03T10:00:00Z"))->needsReview);
  ActionRequest review;
  review.reviewOutcome = "discharge";
  review.reason = "No reply to three letters and two calls; GP told";
  auto r = Do(ref, Action::kReview, service_, review);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "discharged");
  EXPECT_EQ(r->owner, "");
  EXPECT_EQ(r->outcome, review.reason);
  EXPECT_EQ(Kinds(ref).back(), "referral.discharge");
}

TEST_F(NavigationTest, ReviewListIsQueriedNotCutFromTheFirstThousandWaiting) {
  // 1,100 on the CAMHS list, all due before the one that missed its appointment.
  std::vector<store::ReferralRow> rows;
  for (int i = 0; i < 1100; ++i) {
    store::ReferralRow r;
    r.reference = "WM-" + std::to_string(1000000 + i);
    r.tokenHash = "x";
    r.status = "waiting";
    r.owner = "service:camhs";
    r.serviceId = "camhs";
    r.receivedAt = r.updatedAt = T("2026-01-01T09:00:00Z");
    r.clockStartAt = r.receivedAt;
    r.breachDueAt = T("2026-04-01T09:00:00Z") + std::chrono::minutes(i);
    r.source = "B1";
    r.referrerType = "self";
    r.submission = json::object();
    rows.push_back(r);
  }
  ASSERT_TRUE(store_->CreateReferrals(rows, {}).ok());
  auto ref = Waiting("camhs");
  ASSERT_TRUE(Contact(ref, "01", "assessment", "3", T("2026-09-03T10:00:00Z"))->needsReview);
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_TRUE(lists.ok());
  EXPECT_EQ((*lists)["waitingList"].size(), 1000u);
  EXPECT_EQ((*lists)["counts"]["waiting"], 1101);
  ASSERT_EQ((*lists)["reviewList"].size(), 1u);
  EXPECT_EQ((*lists)["reviewList"][0]["reference"], ref);
  // The family's position is counted, not found in a list: it is last of 1,101.
  auto story = nav_->FamilyStory(*store_->GetReferral(ref));
  EXPECT_EQ(story["position"], 1101);
}

TEST_F(NavigationTest, CaseloadShowsInCareWithTransitionAlerts) {
  auto ref = Waiting("camhs", json::array(), "2009-01-10");  // 18 on 10 January 2027
  ASSERT_TRUE(Contact(ref, "01", "assessment", "5", T("2026-09-03T10:00:00Z")).ok());
  auto young = Waiting("camhs", json::array(), "2015-03-01");
  ASSERT_TRUE(Contact(young, "01", "assessment", "5", T("2026-09-04T10:00:00Z")).ok());
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_TRUE(lists.ok());
  const auto& caseload = (*lists)["caseload"];
  ASSERT_EQ(caseload.size(), 2u);
  EXPECT_EQ(caseload[0]["reference"], ref);  // the oldest first: nearest a transition
  EXPECT_EQ(caseload[0]["transition"]["month"], "2027-01");  // the month, not the birthday
  EXPECT_FALSE(caseload[1].contains("transition"));
  EXPECT_TRUE(caseload[0]["metTarget"].get<bool>());
  EXPECT_EQ((*lists)["counts"]["caseload"], 2);
  EXPECT_TRUE((*lists)["waitingList"].empty());
}

// ---- Closing by the owner.

TEST_F(NavigationTest, TheServiceClosesAWithdrawnReferralFromItsList) {
  auto ref = Waiting("camhs");
  ActionRequest close;
  close.reason = "Withdrawn: the family moved out of the area";
  EXPECT_EQ(Do(ref, Action::kClose, triage_, close).status().code(), ErrorCode::kForbidden);
  auto r = Do(ref, Action::kClose, service_, close);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, "closed");
  EXPECT_EQ(r->owner, "");
  auto ev = store_->EventsFor(ref)->back();
  EXPECT_EQ(ev.kind, "referral.close");
  EXPECT_EQ(ev.reason, close.reason);
  EXPECT_EQ(ev.actor, "s1:service-clinician");
  // While triage holds a referral, only triage closes it; to the service it is not there (404).
  auto other = Refer("2011-05-14");
  EXPECT_EQ(Do(other, Action::kClose, service_, close).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Do(other, Action::kClose, triage_, close).ok());
}

// ---- Untriaged referrals rank and are timed.

TEST_F(NavigationTest, WithoutTheModelACrisisRanksAsEmergencyWithAnHourClock) {
  engine_.fail = true;
  UseEngine();
  intake_ = std::make_unique<Intake>(*store_, clock_, LocalityResolver{},
                                     TriageClockFor(directory::LiveArea::Unowned(*area_)));
  auto crisis = Refer("2011-05-14", json::array(), {"suicide-plan"});
  auto plain = Refer("2011-05-14");
  // On arrival, before the model runs.
  auto c = store_->GetReferral(crisis);
  EXPECT_EQ(c->priorityRank, 1);
  EXPECT_EQ(c->triageDueAt, T("2026-08-28T10:00:00Z"));  // emergency: 1 hour
  auto p = store_->GetReferral(plain);
  EXPECT_EQ(p->priorityRank, 3);
  EXPECT_EQ(p->triageDueAt, T("2026-09-01T23:00:00Z"));  // urgent: 1 working day
  nav_->AfterIntake(crisis, true, triage_.actor);
  nav_->AfterIntake(plain, false, triage_.actor);
  auto q = nav_->Queue({});
  ASSERT_TRUE(q.ok());
  ASSERT_GE((*q)["referrals"].size(), 2u);
  EXPECT_EQ((*q)["referrals"][0]["reference"], crisis);
  EXPECT_EQ((*q)["referrals"][0]["status"], "received");
  EXPECT_EQ((*q)["alerts"][0]["code"], "crisis-signalled");
}

TEST_F(NavigationTest, AfterIntakeGivesAClockWhenIntakeCouldNot) {
  // Intake without a triage clock (as a bulk import) and no model.
  auto crisis = Refer("2011-05-14", json::array(), {"suicide-plan"});
  EXPECT_FALSE(store_->GetReferral(crisis)->triageDueAt.has_value());
  nav_->AfterIntake(crisis, true, triage_.actor);
  auto c = store_->GetReferral(crisis);
  EXPECT_EQ(c->triageDueAt, T("2026-08-28T10:00:00Z"));
  EXPECT_EQ(c->priorityRank, 1);
}

// ---- Alerts: raised, pushed, acknowledged, cleared.

TEST_F(NavigationTest, EmergencyAlertTakesItsTimeFromTheStandardAndClearsWhenRouted) {
  engine_.Set(domain::Priority::kEmergency, {"crisis"}, "getting-risk-support");
  UseEngine();
  auto ref = ReferAndTriage("2011-05-14", json::array(), {"suicide-plan"});
  auto q = nav_->Queue({});
  ASSERT_EQ((*q)["alerts"].size(), 1u);  // the emergency; no second crisis alert
  EXPECT_EQ((*q)["alerts"][0]["code"], "emergency");
  EXPECT_EQ((*q)["alerts"][0]["message"], "Emergency referral: respond within 1 hour.");
  {
    std::lock_guard lock(pushed_mu_);
    ASSERT_EQ(pushed_.size(), 1u);
    EXPECT_EQ(pushed_[0]["state"], "open");
  }
  ActionRequest route;
  route.serviceId = "crisis";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  EXPECT_TRUE((*nav_->Queue({}))["alerts"].empty());
  auto open = store_->OpenAlerts("", 10);
  EXPECT_TRUE(open->empty());
}

TEST_F(NavigationTest, AcknowledgeRecordsWhoAndWhenAndClears) {
  auto ref = Refer("2011-05-14", json::array(), {"suicide-plan"});
  nav_->AfterIntake(ref, true, triage_.actor);
  auto open = store_->OpenAlerts(store::kTriageAudience, 10);
  ASSERT_EQ(open->size(), 1u);
  std::string id = (*open)[0].id;
  EXPECT_EQ(nav_->Acknowledge(id, service_).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(nav_->Acknowledge("no-such-alert", triage_).status().code(), ErrorCode::kNotFound);
  clock_.Set(T("2026-08-28T09:05:00Z"));
  auto done = nav_->Acknowledge(id, triage_);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ((*done)["state"], "cleared");
  EXPECT_EQ((*done)["acknowledgedBy"], "t1");
  EXPECT_EQ((*done)["acknowledgedAt"], "2026-08-28T09:05:00.000Z");
  EXPECT_TRUE((*nav_->Queue({}))["alerts"].empty());
  auto again = nav_->Acknowledge(id, triage_);
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  EXPECT_NE(again.status().message().find("t1"), std::string::npos);
  EXPECT_EQ(Kinds(ref).back(), "alert.acknowledged");
  bool audited = false;
  auto audit = store_->AuditFor("referral/" + ref);
  for (const auto& a : audit.value()) {
    audited |= a.action == "alert.acknowledge" && a.actor == "t1";
  }
  EXPECT_TRUE(audited);
  // The referral's version is untouched: a colleague's action in flight still goes through.
  EXPECT_EQ(store_->GetReferral(ref)->version, 2);
}

TEST_F(NavigationTest, NearBreachRaisesOneStoredAlertToTheServiceAndClearsAtTheClockStop) {
  UseEngine();
  engine_.Set(domain::Priority::kRoutine, {"camhs"}, "getting-more-help");
  auto ref = Waiting("camhs");
  clock_.Set(T("2026-10-30T09:00:00Z"));  // 9 of 13 weeks: under 75%
  EXPECT_EQ(nav_->RaiseDueAlerts(), 0);
  clock_.Set(T("2026-11-07T09:00:00Z"));  // 10 weeks and a day: over 75%
  EXPECT_EQ(nav_->RaiseDueAlerts(), 1);
  EXPECT_EQ(nav_->RaiseDueAlerts(), 0);  // once per referral
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_EQ((*lists)["alerts"].size(), 1u);
  EXPECT_EQ((*lists)["alerts"][0]["code"], "near-breach");
  EXPECT_EQ((*lists)["alerts"][0]["audience"], "service:camhs");
  EXPECT_EQ((*lists)["waitingList"][0]["alertId"], (*lists)["alerts"][0]["id"]);
  EXPECT_TRUE((*nav_->Queue({}))["alerts"].empty());  // the service's, not the triage team's
  {
    std::lock_guard lock(pushed_mu_);
    ASSERT_FALSE(pushed_.empty());
    EXPECT_EQ(pushed_.back()["code"], "near-breach");  // pushed to the live stream too
  }
  // Another service's staff may not acknowledge it.
  StaffActor other{{"s3", "service-clinician", "test"}, {"service-clinician"}, {"bereavement"}};
  EXPECT_EQ(
      nav_->Acknowledge((*lists)["alerts"][0]["id"].get<std::string>(), other).status().code(),
      ErrorCode::kForbidden);
  ASSERT_TRUE(Contact(ref, "01", "assessment", "5", T("2026-11-09T10:00:00Z")).ok());
  EXPECT_TRUE((*nav_->ServiceLists("camhs", service_))["alerts"].empty());
}

TEST_F(NavigationTest, NearBreachClearsWhenTheServiceDeclines) {
  auto ref = Refer("2011-05-14");
  ActionRequest route;
  route.serviceId = "crisis";  // 24 hours from receipt: near breach after 18
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  clock_.Advance(std::chrono::hours(19));
  EXPECT_EQ(nav_->RaiseDueAlerts(), 1);
  EXPECT_EQ((*nav_->ServiceLists("crisis", service_))["alerts"].size(), 1u);
  ActionRequest decline;
  decline.reasonCode = "needs-met-elsewhere";
  decline.reason = "Not a crisis";
  ASSERT_TRUE(Do(ref, Action::kDecline, service_, decline).ok());
  EXPECT_TRUE((*nav_->ServiceLists("crisis", service_))["alerts"].empty());
  EXPECT_FALSE(store_->GetReferral(ref)->nearBreachAlertAt.has_value());
}

// ---- Overrides count against the recommendation as it stands.

TEST_F(NavigationTest, ReRoutingToTheNextRecommendationAfterADeclineIsNotAnOverride) {
  engine_.Set(domain::Priority::kRoutine, {"early-intervention", "camhs", "online-counselling"},
              "getting-help");
  UseEngine();
  auto ref = ReferAndTriage("2011-05-14", {"anxiety"});
  ActionRequest route;
  route.serviceId = "early-intervention";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  ActionRequest decline;
  decline.reasonCode = "other";
  decline.reason = "Needs are more than low level";
  ASSERT_TRUE(Do(ref, Action::kDecline, service_, decline).ok());
  // CAMHS is now the recommendation: no reason needed, not an override.
  route.serviceId = "camhs";
  auto r = Do(ref, Action::kRoute, triage_, route);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto ev = store_->EventsFor(ref)->back();
  EXPECT_EQ(ev.data["recommended"], "camhs");
  EXPECT_EQ(ev.data["firstRecommended"], "early-intervention");
  EXPECT_FALSE(ev.data["override"].get<bool>());
  // Declined again; choosing bereavement over online counselling is an override.
  ASSERT_TRUE(Do(ref, Action::kDecline, service_, decline).ok());
  route.serviceId = "bereavement";
  auto no_reason = Do(ref, Action::kRoute, triage_, route);
  ASSERT_EQ(no_reason.status().code(), ErrorCode::kInvalid);
  EXPECT_NE(no_reason.status().fields()[0].message.find("online-counselling"), std::string::npos);
  route.reason = "Recently bereaved";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  EXPECT_TRUE(store_->EventsFor(ref)->back().data["override"].get<bool>());
}

// ---- The family's story.

TEST_F(NavigationTest, FamilyStorySaysWhyInPlainWordsNeverTheStaffReason) {
  engine_.Set(domain::Priority::kRoutine, {"camhs"}, "getting-more-help");
  UseEngine();
  auto ref = ReferAndTriage("2011-05-14", {"anxiety", "self-harm", "low-mood"});
  ActionRequest route;
  route.serviceId = "early-intervention";
  route.reason = "Clinician's own words: prefers to be seen at school";
  ASSERT_TRUE(Do(ref, Action::kRoute, triage_, route).ok());
  auto story = nav_->FamilyStory(*store_->GetReferral(ref));
  std::string text = story["whatIsHappening"];
  EXPECT_EQ(text,
            "We sent your request to Early intervention service because you told us about worry "
            "and feeling low, and they help young people with this.");
  EXPECT_EQ(story["why"], text);
  std::string all = story.dump();
  EXPECT_EQ(all.find("self-harm"), std::string::npos);
  EXPECT_EQ(all.find("prefers to be seen"), std::string::npos);
  EXPECT_EQ(all.find("Staff words"), std::string::npos);
  EXPECT_EQ(all.find("goal-focused"), std::string::npos);  // not the service's description
  ASSERT_TRUE(Do(ref, Action::kAccept, service_).ok());
  story = nav_->FamilyStory(*store_->GetReferral(ref));
  EXPECT_EQ(story["position"], 1);
  EXPECT_NE(story["whatIsHappening"].get<std::string>().find("because you told us"),
            std::string::npos);
}

TEST_F(NavigationTest, WaitingPositionIsCountedInListOrder) {
  // Same breach time for two (both received now, same standard): the reference breaks the tie.
  auto a = Waiting("camhs");
  auto b = Waiting("camhs");
  clock_.Advance(std::chrono::hours(1));
  auto c = Waiting("camhs");
  auto lists = nav_->ServiceLists("camhs", service_);
  ASSERT_EQ((*lists)["waitingList"].size(), 3u);
  for (const auto& e : (*lists)["waitingList"]) {
    auto story = nav_->FamilyStory(*store_->GetReferral(e["reference"]));
    EXPECT_EQ(story["position"], e["position"]) << e["reference"];
  }
  EXPECT_EQ((*lists)["waitingList"][2]["reference"], c);
}

// ---- Two staff at once.

TEST_F(NavigationTest, ConcurrentDecisionsOneWinsTheOthersConflict) {
  auto ref = Refer("2011-05-14");
  int64_t v = store_->GetReferral(ref)->version;
  std::vector<std::string> services = {"camhs",  "early-intervention", "bereavement",
                                       "crisis", "chat-health",        "ceips"};
  std::vector<ErrorCode> codes(services.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < services.size(); ++i) {
    threads.emplace_back([&, i] {
      ActionRequest route;
      route.action = Action::kRoute;
      route.version = v;
      route.serviceId = services[i];
      route.reason = "Tested at once";
      auto r = nav_->Apply(ref, route, triage_);
      codes[i] = r.ok() ? ErrorCode::kOk : r.status().code();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kOk), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kConflict),
            static_cast<long>(services.size()) - 1);
  auto r = store_->GetReferral(ref);
  EXPECT_EQ(r->version, v + 1);
  EXPECT_EQ(r->owner, "service:" + r->serviceId);
  int routed = 0;
  for (const auto& k : Kinds(ref)) routed += k == "referral.routed";
  EXPECT_EQ(routed, 1);
}

// ---- Bank holidays.

TEST_F(NavigationTest, AWorkingDayClockPastTheHolidayTableStillGivesADueTime) {
  // 10 working days from Friday 27 December 2030: the 2031 holidays are not in area.yaml, so
  // New Year's Day 2031 counts as a working day (and a warning is logged).
  directory::AccessStandard ypt = area_->directory().Find("young-peoples-team")->access_standard;
  auto due = DueTime(ypt, T("2030-12-27T10:00:00Z"), domain::Priority::kRoutine, area_->calendar());
  EXPECT_EQ(domain::FormatTimestamp(due), "2031-01-11T00:00:00.000Z");
  EXPECT_FALSE(area_->calendar().KnowsHolidaysOf(area_->calendar().LocalDay(due)));
}

}  // namespace
}  // namespace waymark::workflow
