// Metric definitions; each matches a section of docs/metrics.md.
#include "reports/metrics.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace waymark::reports {
namespace {

using store::ReferralDimension;

double Days(domain::Timestamp a, domain::Timestamp b) {
  return std::chrono::duration<double>(b - a).count() / 86400.0;
}

Result<Table> CountTable(store::Store& store, const DashboardOptions& o, ReferralDimension d,
                         std::string id, std::string title, std::string label) {
  auto rows = store.CountReferralsBy(d, o.range);
  if (!rows.ok()) return rows.status();
  Table t{std::move(id), std::move(title), {std::move(label), "referrals"}, {}};
  for (const auto& r : rows.value()) {
    t.rows.push_back({Cell::Text(r.key.empty() ? "not recorded" : r.key), Cell::Count(r.count)});
  }
  return t;
}

std::string ServiceName(const directory::Area& area, const std::string& id) {
  const auto* s = area.directory().Find(id);
  return s ? s->name : id;
}

}  // namespace

std::optional<double> Percentile(std::vector<double> v, double p) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

const std::vector<std::string>& DashboardTableIds() {
  static const std::vector<std::string> ids = {"referrals-by-month",
                                               "referrals-by-source",
                                               "referrals-by-locality",
                                               "referrals-by-age-band",
                                               "referrals-by-gender",
                                               "referrals-by-ethnicity",
                                               "referrals-by-thrive-group",
                                               "time-to-triage-decision",
                                               "routed-away-from-camhs",
                                               "service-answers",
                                               "decline-reasons",
                                               "waits-by-service",
                                               "dna-rate",
                                               "access",
                                               "overrides",
                                               "equality-by-gender",
                                               "equality-by-ethnicity",
                                               "equality-by-age-band"};
  return ids;
}

Result<std::vector<Table>> Dashboard(store::Store& store, const directory::Area& area,
                                     const DashboardOptions& o) {
  std::vector<Table> out;
  struct Dim {
    ReferralDimension d;
    const char* id;
    const char* title;
    const char* label;
  };
  for (const Dim& d :
       {Dim{ReferralDimension::kMonth, "referrals-by-month", "Referrals by month", "month"},
        Dim{ReferralDimension::kSource, "referrals-by-source",
            "Referrals by source (MHSDS SourceOfReferralMH)", "source"},
        Dim{ReferralDimension::kLocality, "referrals-by-locality", "Referrals by locality",
            "locality"},
        Dim{ReferralDimension::kAgeBand, "referrals-by-age-band",
            "Referrals by age band (age on the day received)", "age band"},
        Dim{ReferralDimension::kGender, "referrals-by-gender",
            "Referrals by gender (MHSDS GenderIDCode)", "gender"},
        Dim{ReferralDimension::kEthnicity, "referrals-by-ethnicity", "Referrals by ethnic category",
            "ethnic category"},
        Dim{ReferralDimension::kThriveGroup, "referrals-by-thrive-group",
            "Referrals by THRIVE group", "THRIVE group"}}) {
    auto t = CountTable(store, o, d.d, d.id, d.title, d.label);
    if (!t.ok()) return t.status();
    out.push_back(std::move(t.value()));
  }

  // Decisions: the first routing or signposting of each referral received in the range.
  std::map<std::string, domain::Timestamp> received;
  {
    // Received times come from the referral.received events of the range.
    auto st = store.ForEachEvent({"referral.received"}, o.range, [&](const store::Event& e) {
      received.emplace(e.reference, e.at);
    });
    if (!st.ok()) return st;
  }
  store::ReportRange until_now{o.range.from, o.now};
  std::map<std::string, const store::Event*> first_decision;
  std::vector<store::Event> decisions;
  int64_t routed_events = 0, overrides = 0;
  std::map<std::string, int64_t> routed_to, accepted_by, declined_by, overridden_to;
  std::map<std::pair<std::string, std::string>, int64_t> decline_reasons;
  auto st = store.ForEachEvent(
      {"referral.routed", "referral.signposted", "referral.accepted", "referral.declined"},
      until_now, [&](const store::Event& e) {
        if (!received.count(e.reference)) return;
        std::string svc = e.data.is_object() ? e.data.value("serviceId", "") : "";
        if (e.kind == "referral.routed" || e.kind == "referral.signposted") {
          decisions.push_back(e);
          if (e.kind == "referral.routed") {
            ++routed_events;
            ++routed_to[svc];
            if (e.data.value("override", false)) {
              ++overrides;
              ++overridden_to[svc];
            }
          }
        } else if (e.kind == "referral.accepted") {
          ++accepted_by[svc];
        } else {
          ++declined_by[svc];
          ++decline_reasons[{svc, e.reason}];
        }
      });
  if (!st.ok()) return st;
  for (const auto& e : decisions) first_decision.emplace(e.reference, &e);

  std::vector<double> to_decision;
  int64_t first_routed = 0, away_from_camhs = 0;
  for (const auto& [ref, e] : first_decision) {
    to_decision.push_back(Days(received[ref], e->at));
    if (e->kind == "referral.routed") {
      ++first_routed;
      if (e->data.value("serviceId", "") != "camhs") ++away_from_camhs;
    }
  }
  out.push_back(
      {"time-to-triage-decision",
       "Time from referral to triage decision (days)",
       {"decisions", "median days", "90th percentile days"},
       {{Cell::Count(static_cast<int64_t>(to_decision.size())),
         Cell::Measure(Percentile(to_decision, 50), static_cast<int64_t>(to_decision.size())),
         Cell::Measure(Percentile(to_decision, 90), static_cast<int64_t>(to_decision.size()))}}});
  out.push_back({"routed-away-from-camhs",
                 "First routings to a service other than specialist CAMHS",
                 {"first routings", "not to CAMHS", "share not to CAMHS (%)"},
                 {{Cell::Count(first_routed), Cell::Count(away_from_camhs),
                   Cell::Percent(away_from_camhs, first_routed)}}});

  Table answers{"service-answers",
                "Routings, acceptances and declines by service",
                {"service", "routed", "accepted", "declined", "accepted (%)", "declined (%)"},
                {}};
  for (const auto& svc : area.directory().services()) {
    int64_t r = routed_to[svc.id], a = accepted_by[svc.id], d = declined_by[svc.id];
    answers.rows.push_back({Cell::Text(svc.name), Cell::Count(r), Cell::Count(a), Cell::Count(d),
                            Cell::Percent(a, a + d), Cell::Percent(d, a + d)});
  }
  out.push_back(std::move(answers));
  Table reasons{"decline-reasons",
                "Reasons services gave for declining",
                {"service", "reason", "declines"},
                {}};
  for (const auto& [key, n] : decline_reasons) {
    reasons.rows.push_back(
        {Cell::Text(ServiceName(area, key.first)), Cell::Text(key.second), Cell::Count(n)});
  }
  out.push_back(std::move(reasons));

  // Waits against each service's standard.
  struct WaitStats {
    std::vector<double> seen;
    int64_t started = 0, within = 0, open_breaches = 0, waiting = 0;
  };
  std::map<std::string, WaitStats> waits;
  st = store.ForEachWait(o.range, [&](const store::WaitRow& w) {
    auto& s = waits[w.serviceId];
    ++s.started;
    if (w.clockStopAt) {
      s.seen.push_back(Days(w.clockStartAt, *w.clockStopAt));
      if (w.breachDueAt && *w.clockStopAt <= *w.breachDueAt) ++s.within;
    } else {
      ++s.waiting;
      if (w.breachDueAt && o.now > *w.breachDueAt) ++s.open_breaches;
    }
  });
  if (!st.ok()) return st;
  Table wt{"waits-by-service",
           "Waits from clock start to first attended contact, against each service's standard",
           {"service", "standard", "clocks started", "seen", "median days", "90th percentile days",
            "seen within standard (%)", "still waiting", "open breaches"},
           {}};
  for (const auto& svc : area.directory().services()) {
    auto& s = waits[svc.id];
    auto n = static_cast<int64_t>(s.seen.size());
    wt.rows.push_back(
        {Cell::Text(svc.name), Cell::Text(directory::FormatTarget(svc.access_standard.target)),
         Cell::Count(s.started), Cell::Count(n), Cell::Measure(Percentile(s.seen, 50), n),
         Cell::Measure(Percentile(s.seen, 90), n), Cell::Percent(s.within, n),
         Cell::Count(s.waiting), Cell::Count(s.open_breaches)});
  }
  out.push_back(std::move(wt));

  // DNA rate and access.
  int64_t dna = 0, outcome_known = 0;
  st = store.ForEachContact(until_now, [&](const store::ContactRow& c, int) {
    if (!received.count(c.reference)) return;
    if (c.attendStatus == "3") ++dna;
    if (c.attendStatus == "3" || c.attendStatus == "5" || c.attendStatus == "6" ||
        c.attendStatus == "7") {
      ++outcome_known;
    }
  });
  if (!st.ok()) return st;
  out.push_back(
      {"dna-rate",
       "Appointments not attended without warning (DNA)",
       {"appointments with an outcome", "did not attend", "DNA rate (%)"},
       {{Cell::Count(outcome_known), Cell::Count(dna), Cell::Percent(dna, outcome_known)}}});
  std::set<std::string> accessed;
  store::ReportRange year{o.now - std::chrono::hours(24 * 365), o.now};
  st = store.ForEachContact(year, [&](const store::ContactRow& c, int age) {
    bool attended = c.attendStatus == "5" || c.attendStatus == "6";
    bool counts =
        c.mechanism == "01" || c.mechanism == "02" || c.mechanism == "04" || c.mechanism == "11";
    if (attended && counts && age < 18) accessed.insert(c.reference);
  });
  if (!st.ok()) return st;
  out.push_back({"access",
                 "Access: under-18s with at least one attended contact in the 12 months to now",
                 {"children and young people"},
                 {{Cell::Count(static_cast<int64_t>(accessed.size()))}}});
  Table ov{"overrides",
           "Routings that overrode the engine's recommendation",
           {"routed to", "routings", "overrides", "overrides (%)"},
           {}};
  ov.rows.push_back({Cell::Text("all services"), Cell::Count(routed_events), Cell::Count(overrides),
                     Cell::Percent(overrides, routed_events)});
  for (const auto& svc : area.directory().services()) {
    ov.rows.push_back({Cell::Text(svc.name), Cell::Count(routed_to[svc.id]),
                       Cell::Count(overridden_to[svc.id]),
                       Cell::Percent(overridden_to[svc.id], routed_to[svc.id])});
  }
  out.push_back(std::move(ov));

  // Equality of access: for each group of a protected characteristic, how referrals fared.
  struct Fared {
    int64_t referrals = 0, routed = 0, declined = 0, answered = 0, seen = 0;
    std::vector<double> waits;
  };
  std::map<std::string, int64_t> declines_of;
  {
    auto st2 = store.ForEachEvent({"referral.declined"}, until_now,
                                  [&](const store::Event& e) { ++declines_of[e.reference]; });
    if (!st2.ok()) return st2;
  }
  std::map<std::string, Fared> by_gender, by_ethnicity, by_age;
  st = store.ForEachReferralSummary(o.range, [&](const store::ReferralRow& r) {
    std::string band = r.ageOnReceipt < 5    ? "0-4"
                       : r.ageOnReceipt < 11 ? "5-10"
                       : r.ageOnReceipt < 16 ? "11-15"
                       : r.ageOnReceipt < 18 ? "16-17"
                                             : "18-25";
    for (auto* f : {&by_gender[r.gender.empty() ? "not recorded" : r.gender],
                    &by_ethnicity[r.ethnicCategory.empty() ? "not recorded" : r.ethnicCategory],
                    &by_age[band]}) {
      ++f->referrals;
      bool routed = !r.serviceId.empty() || declines_of.count(r.reference);
      if (routed) ++f->routed;
      f->declined += declines_of.count(r.reference) ? declines_of[r.reference] : 0;
      if (r.clockStartAt) ++f->answered;
      if (r.clockStartAt && r.clockStopAt) {
        ++f->seen;
        f->waits.push_back(Days(*r.clockStartAt, *r.clockStopAt));
      }
    }
  });
  if (!st.ok()) return st;
  auto equality = [&](const char* id, const char* title, const char* label,
                      std::map<std::string, Fared>& groups) {
    Table t{id,
            title,
            {label, "referrals", "routed to a service (%)", "declines", "seen",
             "median days to be seen"},
            {}};
    for (auto& [g, f] : groups) {
      auto n = static_cast<int64_t>(f.waits.size());
      t.rows.push_back({Cell::Text(g), Cell::Count(f.referrals),
                        Cell::Percent(f.routed, f.referrals), Cell::Count(f.declined),
                        Cell::Count(f.seen), Cell::Measure(Percentile(f.waits, 50), n)});
    }
    out.push_back(std::move(t));
  };
  equality("equality-by-gender", "Equality of access by gender (MHSDS GenderIDCode)", "gender",
           by_gender);
  equality("equality-by-ethnicity", "Equality of access by ethnic category", "ethnic category",
           by_ethnicity);
  equality("equality-by-age-band", "Equality of access by age band", "age band", by_age);
  return out;
}

}  // namespace waymark::reports
