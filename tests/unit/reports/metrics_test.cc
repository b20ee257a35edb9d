// Each metric on a small hand-made set of referrals with known answers, driven through the
// real workflow on a real store (raw cells, before disclosure control). The figures come from
// the counts the store keeps as each command runs; every test also checks them against a full
// recount (Store::RebuildReportCounts).
#include "reports/metrics.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "directory/loader.h"
#include "security/tokens.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::reports {
namespace {

namespace fs = std::filesystem;
using domain::Timestamp;
using nlohmann::json;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() / ("waymark-metrics-" + security::NewId());
    fs::create_directories(dir_);
    store_ = std::move(store::OpenSqliteStore({(dir_ / "t.db").string()}).value());
    area_ = std::make_unique<directory::Area>(std::move(
        directory::LoadArea(fs::path(WAYMARK_SOURCE_DIR) / "config/areas/example").value()));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string Refer(bool parent) {
    workflow::Intake intake(
        *store_, clock_, [this](const std::string& pc) { return area_->LocalityForPostcode(pc); });
    json body = {
        {"referrer", parent ? json{{"type", "parent"}, {"name", "P"}, {"phone", "07700 900111"}}
                            : json{{"type", "self"}}},
        {"youngPerson",
         {{"givenName", "S"},
          {"familyName", "P"},
          {"dateOfBirth", "2011-06-01"},
          {"postcode", "LE1 5WW"}}},
        {"source", parent ? "B2" : "B1"},
        {"impact", "mild"},
        {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", true}}}};
    auto ack = intake.Submit(body, {"public", "self", "x"});
    EXPECT_TRUE(ack.ok()) << ack.status().message();
    return ack->reference;
  }

  void Act(workflow::Navigation& nav, const std::string& ref, workflow::Action a,
           workflow::ActionRequest req = {}) {
    req.action = a;
    req.version = store_->GetReferral(ref)->version;
    bool triage = a == workflow::Action::kRoute || a == workflow::Action::kSignpost;
    workflow::StaffActor who{
        {"u", "x", "x"}, {triage ? "triage-clinician" : "service-clinician"}, {"*"}};
    auto r = nav.Apply(ref, req, who);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  const Table& Find(const std::vector<Table>& ts, const std::string& id) {
    for (const auto& t : ts) {
      if (t.id == id) return t;
    }
    ADD_FAILURE() << "no table " << id;
    return ts.front();
  }
  const std::vector<Cell>& Row(const Table& t, const std::string& label) {
    for (const auto& r : t.rows) {
      if (r[0].kind == Cell::Kind::kText && r[0].text == label) return r;
    }
    ADD_FAILURE() << "no row " << label << " in " << t.id;
    return t.rows.front();
  }

  // Every report count, as "measure|period|key|value" → n.
  std::map<std::string, int64_t> AllCounts() {
    std::map<std::string, int64_t> out;
    for (const char* measure : {"received",
                                "received.source",
                                "received.locality",
                                "received.age-band",
                                "received.gender",
                                "received.ethnicity",
                                "received.thrive",
                                "decision.hours",
                                "decision.first-routed",
                                "routed",
                                "routed.override",
                                "accepted",
                                "declined",
                                "decline.reason",
                                "wait.started",
                                "wait.seen",
                                "wait.within",
                                "wait.open",
                                "contact.outcome",
                                "contact.dna",
                                "ever-routed.gender",
                                "ever-routed.ethnicity",
                                "ever-routed.age-band",
                                "declined.gender",
                                "declined.ethnicity",
                                "declined.age-band",
                                "seen.gender",
                                "seen.ethnicity",
                                "seen.age-band",
                                "access.latest",
                                "access.year"}) {
      auto st = store_->ForEachReportCount(measure, "0", "9", [&](const store::ReportCount& c) {
        out[std::string(measure) + "|" + c.period + "|" + c.key + "|" + std::to_string(c.value)] +=
            c.n;
      });
      EXPECT_TRUE(st.ok()) << st.message();
    }
    return out;
  }

  // The counts kept command by command equal a recount from the rows.
  void ExpectCountsMatchRecount() {
    auto kept = AllCounts();
    EXPECT_FALSE(kept.empty());
    ASSERT_TRUE(store_->RebuildReportCounts().ok());
    EXPECT_EQ(kept, AllCounts());
  }

  fs::path dir_;
  domain::FakeClock clock_{T("2026-01-12T09:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Area> area_;
};

TEST_F(MetricsTest, KnownAnswers) {
  workflow::Navigation nav(*store_, clock_, *area_, nullptr);
  std::vector<std::string> refs;
  for (int i = 0; i < 10; ++i) refs.push_back(Refer(i >= 6));
  clock_.Advance(std::chrono::hours(48));  // decisions two days after receipt
  workflow::ActionRequest to_ei, to_camhs, signpost;
  to_ei.serviceId = "early-intervention";
  to_camhs.serviceId = "camhs";
  signpost.reason = "advice";
  signpost.signpostTo = "Online counselling";
  for (int i = 0; i < 5; ++i) Act(nav, refs[i], workflow::Action::kRoute, to_ei);
  for (int i = 5; i < 8; ++i) Act(nav, refs[i], workflow::Action::kRoute, to_camhs);
  Act(nav, refs[8], workflow::Action::kSignpost, signpost);
  workflow::ActionRequest decline;
  decline.reasonCode = "needs-met-elsewhere";
  decline.reason = "Needs are above low level (free text: never in a report)";
  Act(nav, refs[0], workflow::Action::kDecline, decline);
  Act(nav, refs[1], workflow::Action::kDecline, decline);
  for (int i : {2, 3, 4, 5, 6, 7}) Act(nav, refs[i], workflow::Action::kAccept);
  clock_.Advance(std::chrono::hours(24 * 7));
  // Contacts: attended for 2, 3, 5, 6; DNA for 4; none for 7.
  for (int i : {2, 3, 4, 5, 6}) {
    workflow::ActionRequest book;
    book.bookedFor = clock_.Now();
    book.mechanism = "01";
    Act(nav, refs[i], workflow::Action::kBookContact, book);
    workflow::ActionRequest attend;
    attend.contactId = (*store_->ContactsFor(refs[i]))[0].id;
    attend.attendStatus = i == 4 ? "3" : "5";
    Act(nav, refs[i], workflow::Action::kRecordAttendance, attend);
  }
  clock_.Advance(std::chrono::hours(24));

  DashboardOptions o{"2026-01", "2026-01", clock_.Now()};
  auto tables = Dashboard(*store_, *area_, o);
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const auto& ts = tables.value();
  EXPECT_EQ(Row(Find(ts, "referrals-by-source"), "B1")[1].count, 6);
  EXPECT_EQ(Row(Find(ts, "referrals-by-source"), "B2")[1].count, 4);
  EXPECT_EQ(Row(Find(ts, "referrals-by-month"), "2026-01")[1].count, 10);
  EXPECT_EQ(Row(Find(ts, "referrals-by-locality"), "city")[1].count, 10);
  EXPECT_EQ(Row(Find(ts, "referrals-by-age-band"), "11-15")[1].count, 10);
  // The quarterly report's cross-tabs: routings per service by locality and by source.
  auto activity = ServiceActivity(*store_, *area_, o);
  ASSERT_TRUE(activity.ok()) << activity.status().message();
  const auto& by_locality = Find(activity.value(), "routings-by-service-and-locality");
  ASSERT_EQ(by_locality.columns.front(), "service");
  ASSERT_EQ(by_locality.columns.back(), "all");
  const size_t city = std::find(by_locality.columns.begin(), by_locality.columns.end(), "city") -
                      by_locality.columns.begin();
  ASSERT_LT(city, by_locality.columns.size());
  EXPECT_EQ(Row(by_locality, "Early intervention service")[city].count, 5);
  EXPECT_EQ(Row(by_locality, "Early intervention service").back().count, 5);
  EXPECT_EQ(Row(by_locality, "all services")[city].count, 8);
  EXPECT_EQ(Row(by_locality, "all services").back().count, 8);
  const auto& by_source = Find(activity.value(), "routings-by-service-and-source");
  ASSERT_EQ(by_source.columns, (std::vector<std::string>{"service", "B1", "B2", "all"}));
  const auto& camhs = Row(by_source, area_->directory().Find("camhs")->name);
  EXPECT_EQ(camhs[1].count, 1);
  EXPECT_EQ(camhs[2].count, 2);
  EXPECT_EQ(camhs[3].count, 3);
  // Published: CAMHS's 1 and 2 are under 5; its total 3 too, so nothing more to hide there.
  auto hidden = HiddenCells(by_source);
  EXPECT_FALSE(by_source.sums.empty());
  for (const auto& sum : by_source.sums) {
    if (hidden[sum.total.row][sum.total.col]) continue;
    int n = 0;
    for (const auto& p : sum.parts) n += hidden[p.row][p.col];
    EXPECT_NE(n, 1) << "a total gives a hidden count away at row " << sum.total.row;
  }
  const auto& decision = Find(ts, "time-to-triage-decision").rows[0];
  EXPECT_EQ(decision[0].count, 9);
  EXPECT_NEAR(*decision[1].value, 2.0, 1e-9);
  const auto& away = Find(ts, "routed-away-from-camhs").rows[0];
  EXPECT_EQ(away[0].count, 8);
  EXPECT_EQ(away[1].count, 5);
  const auto& ei = Row(Find(ts, "service-answers"), "Early intervention service");
  EXPECT_EQ(ei[1].count, 5);
  EXPECT_EQ(ei[2].count, 3);
  EXPECT_EQ(ei[3].count, 2);
  const auto& reasons = Find(ts, "decline-reasons").rows;
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0][1].text, "Another service would meet the needs better");
  EXPECT_EQ(reasons[0][2].count, 2);
  const auto& dna = Find(ts, "dna-rate").rows[0];
  EXPECT_EQ(dna[0].count, 5);
  EXPECT_EQ(dna[1].count, 1);
  EXPECT_EQ(Find(ts, "access").rows[0][0].count, 4);
  const auto& waits = Row(Find(ts, "waits-by-service"),
                          "Specialist child and adolescent mental health service (CAMHS)");
  EXPECT_EQ(waits[3].count, 3);  // clocks started
  EXPECT_EQ(waits[4].count, 2);  // seen
  EXPECT_EQ(waits[8].count, 1);  // still waiting
  EXPECT_EQ(waits[9].count, 0);  // no open breach within 13 weeks
  const auto& ed = Row(Find(ts, "waits-by-service"), "Community eating disorders service");
  EXPECT_EQ(ed[2].text, "95");  // the goal comes from services.yaml
  // Access against the trajectory: the plan's years (no contacts then) and the last 12 months.
  const auto& trajectory = Find(ts, "access-trajectory");
  ASSERT_EQ(trajectory.rows.size(), 6u);
  EXPECT_EQ(trajectory.rows[0][0].text, "2016");
  EXPECT_EQ(trajectory.rows[0][1].count, 0);
  EXPECT_EQ(trajectory.rows[0][2].text, "4200");
  EXPECT_EQ(trajectory.rows[5][1].count, 4);
  EXPECT_EQ(trajectory.rows[5][2].text, "5565");
  EXPECT_EQ(trajectory.rows[5][3].numerator, 4);
  EXPECT_EQ(trajectory.rows[5][3].denominator, 5565);
  EXPECT_EQ(Find(ts, "overrides").rows[0][1].count, 8);
  const auto& eq = Row(Find(ts, "equality-by-age-band"), "11-15");
  EXPECT_EQ(eq[1].count, 10);     // referrals
  EXPECT_EQ(eq[2].numerator, 8);  // routed at least once (signposted and untouched are not)
  EXPECT_EQ(eq[3].count, 2);      // declines
  EXPECT_EQ(eq[4].count, 4);      // seen
  EXPECT_EQ(DashboardTableIds().size(), ts.size());
  // Every table publishes with disclosure control: small numbers never appear.
  for (const auto& t : ts) {
    std::string published = Publish(t).dump();
    EXPECT_EQ(published.find("\"rows\":[[\"Early intervention service\",5,"), std::string::npos);
  }
  EXPECT_EQ(Publish(Find(ts, "dna-rate"))["rows"][0], json({5, "*", "*"}));
  ExpectCountsMatchRecount();
}

// Declines and re-routing, the triage clock in measured hours, open breaches as time passes,
// a discharge before anyone was seen, and a referral outside the period.
TEST_F(MetricsTest, ClocksBreachesAndReroutes) {
  clock_.Set(T("2026-03-02T09:00:00Z"));
  workflow::Navigation nav(*store_, clock_, *area_, nullptr);
  std::vector<std::string> r;
  for (int i = 0; i < 6; ++i) r.push_back(Refer(false));
  clock_.Advance(std::chrono::hours(30));
  workflow::ActionRequest to_ei, to_camhs, signpost, decline, discharge;
  to_ei.serviceId = "early-intervention";
  to_camhs.serviceId = "camhs";
  signpost.reason = "advice";
  signpost.signpostTo = "Online counselling";
  decline.reasonCode = "outside-age-range";
  discharge.reason = "Family moved away";
  for (int i = 0; i < 5; ++i) Act(nav, r[i], workflow::Action::kRoute, to_ei);
  Act(nav, r[5], workflow::Action::kSignpost, signpost);
  Act(nav, r[0], workflow::Action::kDecline, decline);
  clock_.Advance(std::chrono::hours(20));
  Act(nav, r[0], workflow::Action::kRoute, to_camhs);
  for (int i = 0; i < 5; ++i) Act(nav, r[i], workflow::Action::kAccept);
  Act(nav, r[4], workflow::Action::kDischarge, discharge);
  clock_.Set(T("2026-04-10T09:00:00Z"));  // past early intervention's 4 weeks
  workflow::ActionRequest book;
  book.bookedFor = clock_.Now();
  book.mechanism = "02";
  Act(nav, r[1], workflow::Action::kBookContact, book);
  workflow::ActionRequest attend;
  attend.contactId = (*store_->ContactsFor(r[1]))[0].id;
  attend.attendStatus = "6";
  Act(nav, r[1], workflow::Action::kRecordAttendance, attend);
  clock_.Set(T("2026-04-01T09:00:00Z"));  // a referral received in April: outside the period
  Refer(true);
  clock_.Set(T("2026-04-10T10:00:00Z"));

  auto tables = Dashboard(*store_, *area_, {"2026-02", "2026-03", clock_.Now()});
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const auto& ts = tables.value();
  const auto& months = Find(ts, "referrals-by-month").rows;
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0][0].text, "2026-02");
  EXPECT_EQ(months[0][1].count, 0);
  EXPECT_EQ(months[1][1].count, 6);
  const auto& decision = Find(ts, "time-to-triage-decision").rows[0];
  EXPECT_EQ(decision[0].count, 6);
  EXPECT_DOUBLE_EQ(*decision[1].value, 30.0 / 24.0);  // whole hours under two days
  const auto& away = Find(ts, "routed-away-from-camhs").rows[0];
  EXPECT_EQ(away[0].count, 5);  // r0's first routing was to early intervention
  EXPECT_EQ(away[1].count, 5);
  const auto& ei = Row(Find(ts, "service-answers"), "Early intervention service");
  EXPECT_EQ(ei[1].count, 5);
  EXPECT_EQ(ei[2].count, 4);
  EXPECT_EQ(ei[3].count, 1);
  const auto& waits = Row(Find(ts, "waits-by-service"), "Early intervention service");
  EXPECT_EQ(waits[3].count, 4);  // clocks started: r1-r4 (r4 discharged, clock kept)
  EXPECT_EQ(waits[4].count, 1);  // seen: r1, after the standard
  EXPECT_EQ(waits[7].numerator, 0);
  EXPECT_EQ(waits[7].denominator, 1);
  EXPECT_EQ(waits[8].count, 2);  // still waiting: r2, r3 (not the discharged r4)
  EXPECT_EQ(waits[9].count, 2);  // both past their due time now
  const auto& camhs = Row(Find(ts, "waits-by-service"),
                          "Specialist child and adolescent mental health service (CAMHS)");
  EXPECT_EQ(camhs[8].count, 1);
  EXPECT_EQ(camhs[9].count, 0);
  const auto& eq = Row(Find(ts, "equality-by-age-band"), "11-15");
  EXPECT_EQ(eq[1].count, 6);
  EXPECT_EQ(eq[2].numerator, 5);
  EXPECT_EQ(eq[3].count, 1);
  EXPECT_EQ(eq[4].count, 1);
  // Breaches depend on now: before early intervention's due time there were none.
  auto earlier = Dashboard(*store_, *area_, {"2026-03", "2026-03", T("2026-03-20T00:00:00Z")});
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(Row(Find(*earlier, "waits-by-service"), "Early intervention service")[9].count, 0);
  ExpectCountsMatchRecount();
}

TEST(Percentile, NearestRankOfCounts) {
  EXPECT_FALSE(Percentile({}, 50));
  EXPECT_EQ(Percentile({{1, 1}, {2, 1}, {3, 1}}, 50), 2);
  std::map<int64_t, int64_t> one_to_ten;
  for (int i = 1; i <= 10; ++i) one_to_ten[i] = 1;
  EXPECT_EQ(Percentile(one_to_ten, 90), 9);
  EXPECT_EQ(Percentile(one_to_ten, 50), 5);
  EXPECT_EQ(Percentile({{24, 3}, {48, 1}}, 90), 48);  // rank ceil(3.6) = 4
  EXPECT_EQ(Percentile({{24, 3}, {48, 1}}, 50), 24);
}

TEST(Months, ParseAndAdd) {
  EXPECT_EQ(ParseMonth("2026-07"), "2026-07");
  EXPECT_FALSE(ParseMonth("2026-13"));
  EXPECT_FALSE(ParseMonth("2026-7"));
  EXPECT_FALSE(ParseMonth("2026-07-01"));
  EXPECT_EQ(AddMonths("2026-12", 1), "2027-01");
  EXPECT_EQ(AddMonths("2026-01", -1), "2025-12");
  EXPECT_EQ(AddMonths("2026-03", -15), "2024-12");
  EXPECT_EQ(AddMonths("2026-11", 14), "2028-01");
}

}  // namespace
}  // namespace waymark::reports
