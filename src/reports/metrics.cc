// Metric definitions; each matches a row of docs/metrics.md. The counts they read are
// described in store/report_counts.h.
#include "reports/metrics.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "domain/codes.h"
#include "store/report_counts.h"

namespace waymark::reports {
namespace {

// One measure summed over the period: group → measured value → how many.
using Histograms = std::map<std::string, std::map<int64_t, int64_t>>;

Result<Histograms> Read(store::Store& store, const std::string& measure, const std::string& from,
                        const std::string& to) {
  Histograms out;
  auto st = store.ForEachReportCount(
      measure, from, to, [&](const store::ReportCount& c) { out[c.key][c.value] += c.n; });
  if (!st.ok()) return st;
  return out;
}

int64_t Total(const std::map<int64_t, int64_t>& h) {
  int64_t n = 0;
  for (const auto& [v, c] : h) n += c;
  return n;
}

int64_t TotalOf(const Histograms& h, const std::string& key) {
  auto it = h.find(key);
  return it == h.end() ? 0 : Total(it->second);
}

int64_t TotalAll(const Histograms& h) {
  int64_t n = 0;
  for (const auto& [k, v] : h) n += Total(v);
  return n;
}

// A median or percentile of measured hours as days (Publish hides it when it summarises too
// few values: reports/disclosure.h).
Cell Days(const std::map<int64_t, int64_t>& h, int p) {
  auto v = Percentile(h, p);
  return Cell::Measure(v ? std::optional<double>(static_cast<double>(*v) / 24.0) : std::nullopt,
                       Total(h), p);
}

std::string Label(const std::string& key) { return key.empty() ? "not recorded" : key; }

}  // namespace

std::optional<std::string> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  if (!domain::ParseDate(std::string(text) + "-01")) return std::nullopt;
  return std::string(text);
}

std::string AddMonths(const std::string& month, int n) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2)) - 1 + n;
  y += m >= 0 ? m / 12 : -((11 - m) / 12);
  m = ((m % 12) + 12) % 12;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m + 1);
  return buf;
}

std::string MonthOf(domain::Timestamp t) { return domain::FormatTimestamp(t).substr(0, 7); }

std::optional<int64_t> Percentile(const std::map<int64_t, int64_t>& h, int p) {
  int64_t total = Total(h);
  if (total == 0) return std::nullopt;
  int64_t rank = std::clamp<int64_t>((p * total + 99) / 100, 1, total);
  int64_t seen = 0;
  for (const auto& [value, n] : h) {
    seen += n;
    if (seen >= rank) return value;
  }
  return h.rbegin()->first;
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
                                               "access-trajectory",
                                               "overrides",
                                               "equality-by-gender",
                                               "equality-by-ethnicity",
                                               "equality-by-age-band"};
  return ids;
}

Result<std::vector<Table>> Dashboard(store::Store& store, const directory::Area& area,
                                     const DashboardOptions& o) {
  const std::string from = o.fromMonth, to = AddMonths(o.toMonth, 1);
  std::map<std::string, Histograms> m;
  for (const char* measure : {"received.source",
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
                              "seen.age-band"}) {
    auto h = Read(store, measure, from, to);
    if (!h.ok()) return h.status();
    m[measure] = std::move(h.value());
  }
  std::vector<Table> out;

  // Referrals by month: every month of the period, none left out.
  std::map<std::string, int64_t> per_month;
  auto st = store.ForEachReportCount(
      "received", from, to, [&](const store::ReportCount& c) { per_month[c.period] += c.n; });
  if (!st.ok()) return st;
  Table months{"referrals-by-month", "Referrals by month", {"month", "referrals"}, {}};
  for (std::string month = from; month < to; month = AddMonths(month, 1)) {
    months.rows.push_back({Cell::Text(month), Cell::Count(per_month[month])});
  }
  out.push_back(std::move(months));

  // Referrals by one dimension at a time.
  struct Dim {
    const char* measure;
    const char* id;
    const char* title;
    const char* label;
  };
  for (const Dim& d :
       {Dim{"received.source", "referrals-by-source",
            "Referrals by source (MHSDS SourceOfReferralMH)", "source"},
        Dim{"received.locality", "referrals-by-locality", "Referrals by locality", "locality"},
        Dim{"received.age-band", "referrals-by-age-band",
            "Referrals by age band (age on the day received)", "age band"},
        Dim{"received.gender", "referrals-by-gender", "Referrals by gender (MHSDS GenderIDCode)",
            "gender"},
        Dim{"received.ethnicity", "referrals-by-ethnicity", "Referrals by ethnic category",
            "ethnic category"},
        Dim{"received.thrive", "referrals-by-thrive-group", "Referrals by THRIVE group",
            "THRIVE group"}}) {
    Table t{d.id, d.title, {d.label, "referrals"}, {}};
    for (const auto& [key, h] : m[d.measure]) {
      t.rows.push_back({Cell::Text(Label(key)), Cell::Count(Total(h))});
    }
    t.AddTotalRow("all referrals", {1});
    out.push_back(std::move(t));
  }

  // Triage decisions: the first routing or signposting of each referral.
  const auto& decision = m["decision.hours"][""];
  out.push_back({"time-to-triage-decision",
                 "Time from referral to triage decision (days)",
                 {"decisions", "median days", "90th percentile days"},
                 {{Cell::Count(Total(decision)), Days(decision, 50), Days(decision, 90)}}});
  const auto& first_routed = m["decision.first-routed"];
  int64_t routed_first = TotalAll(first_routed);
  int64_t away = routed_first - TotalOf(first_routed, "camhs");
  out.push_back({"routed-away-from-camhs",
                 "First routings to a service other than specialist CAMHS",
                 {"first routings", "not to CAMHS", "share not to CAMHS (%)"},
                 {{Cell::Count(routed_first), Cell::Count(away),
                   Cell::Percent(away, routed_first, {0, 1})}}});

  // The services' answers.
  Table answers{"service-answers",
                "Routings, acceptances and declines by service",
                {"service", "routed", "accepted", "declined", "accepted (%)", "declined (%)"},
                {}};
  for (const auto& svc : area.directory().services()) {
    int64_t r = TotalOf(m["routed"], svc.id), a = TotalOf(m["accepted"], svc.id),
            d = TotalOf(m["declined"], svc.id);
    answers.rows.push_back({Cell::Text(svc.name), Cell::Count(r), Cell::Count(a), Cell::Count(d),
                            Cell::Percent(a, a + d, {2, 3}), Cell::Percent(d, a + d, {2, 3})});
  }
  out.push_back(std::move(answers));
  Table reasons{"decline-reasons",
                "Reasons services gave for declining",
                {"service", "reason", "declines"},
                {}};
  for (const auto& [key, h] : m["decline.reason"]) {
    auto sep = key.find(store::kKeySeparator);
    std::string svc = key.substr(0, sep);
    const auto* s = area.directory().Find(svc);
    reasons.rows.push_back({Cell::Text(s ? s->name : svc),
                            Cell::Text(std::string(domain::DeclineReasonText(
                                sep == std::string::npos ? "" : key.substr(sep + 1)))),
                            Cell::Count(Total(h))});
  }
  out.push_back(std::move(reasons));

  // Waits against each service's standard.
  const int64_t now_seconds =
      std::chrono::floor<std::chrono::seconds>(o.now).time_since_epoch().count();
  Table waits{
      "waits-by-service",
      "Waits from clock start to first attended contact, against each service's standard",
      {"service", "standard", "goal within standard (%)", "clocks started", "seen", "median days",
       "90th percentile days", "seen within standard (%)", "still waiting", "open breaches"},
      {}};
  for (const auto& svc : area.directory().services()) {
    const auto& seen = m["wait.seen"][svc.id];
    const auto& open = m["wait.open"][svc.id];
    int64_t breaches = 0;
    for (const auto& [due, n] : open) {
      if (due >= 0 && due < now_seconds) breaches += n;
    }
    const auto& standard = svc.access_standard;
    waits.rows.push_back(
        {Cell::Text(svc.name), Cell::Text(directory::FormatTarget(standard.target)),
         Cell::Text(standard.goal_percent ? std::to_string(*standard.goal_percent) : ""),
         Cell::Count(TotalOf(m["wait.started"], svc.id)), Cell::Count(Total(seen)), Days(seen, 50),
         Days(seen, 90), Cell::Percent(TotalOf(m["wait.within"], svc.id), Total(seen), {4}),
         Cell::Count(Total(open)), Cell::Count(breaches)});
  }
  out.push_back(std::move(waits));

  // Appointments not attended.
  int64_t outcome = TotalAll(m["contact.outcome"]), dna = TotalAll(m["contact.dna"]);
  out.push_back({"dna-rate",
                 "Appointments not attended without warning (DNA)",
                 {"appointments with an outcome", "did not attend", "DNA rate (%)"},
                 {{Cell::Count(outcome), Cell::Count(dna), Cell::Percent(dna, outcome, {0, 1})}}});

  // Access: the 365 days up to and including today, and each calendar year.
  const long today = domain::DaysFromEpoch(domain::DateOf(o.now));
  int64_t accessed = 0;
  st = store.ForEachReportCount("access.latest",
                                domain::FormatDate(domain::DateFromDays(today - 364)),
                                domain::FormatDate(domain::DateFromDays(today + 1)),
                                [&](const store::ReportCount& c) { accessed += c.n; });
  if (!st.ok()) return st;
  const std::string today_text = domain::FormatDate(domain::DateFromDays(today));
  out.push_back(
      {"access",
       "Access: under-18s with at least one attended contact in the 12 months to " + today_text,
       {"children and young people"},
       {{Cell::Count(accessed)}}});
  std::map<std::string, int64_t> per_year;
  st = store.ForEachReportCount("access.year", "0000", "9999",
                                [&](const store::ReportCount& c) { per_year[c.period] += c.n; });
  if (!st.ok()) return st;
  const auto& plan = area.settings().access_trajectory.per_year;
  Table trajectory{"access-trajectory",
                   "Access against the area's trajectory (under-18s with an attended contact)",
                   {"year", "children and young people", "trajectory", "against trajectory (%)"},
                   {}};
  for (const auto& [year, planned] : plan) {
    int64_t actual = per_year[std::to_string(year)];
    trajectory.rows.push_back({Cell::Text(std::to_string(year)), Cell::Count(actual),
                               Cell::Text(std::to_string(planned)),
                               Cell::Percent(actual, planned, {1})});
  }
  if (!plan.empty()) {
    const auto& [last_year, last_planned] = *plan.rbegin();
    trajectory.rows.push_back({Cell::Text("12 months to " + today_text + " (against " +
                                          std::to_string(last_year) + ", the plan's last year)"),
                               Cell::Count(accessed), Cell::Text(std::to_string(last_planned)),
                               Cell::Percent(accessed, last_planned, {1})});
  }
  out.push_back(std::move(trajectory));

  // Overrides of the engine's recommendation.
  Table ov{"overrides",
           "Routings that overrode the engine's recommendation",
           {"routed to", "routings", "overrides", "overrides (%)"},
           {}};
  int64_t routings = TotalAll(m["routed"]), overrides = TotalAll(m["routed.override"]);
  ov.rows.push_back({Cell::Text("all services"), Cell::Count(routings), Cell::Count(overrides),
                     Cell::Percent(overrides, routings, {1, 2})});
  std::vector<size_t> service_rows;
  for (const auto& svc : area.directory().services()) {
    int64_t r = TotalOf(m["routed"], svc.id), x = TotalOf(m["routed.override"], svc.id);
    service_rows.push_back(ov.rows.size());
    ov.rows.push_back(
        {Cell::Text(svc.name), Cell::Count(r), Cell::Count(x), Cell::Percent(x, r, {1, 2})});
  }
  // The first row is the sum of the others: complementary suppression must know.
  ov.SumDown(1, 0, service_rows);
  ov.SumDown(2, 0, service_rows);
  out.push_back(std::move(ov));

  // Equality of access: for each group of a protected characteristic, how referrals fared.
  struct Equality {
    const char* dimension;
    const char* id;
    const char* title;
    const char* label;
  };
  for (const Equality& e : {Equality{"gender", "equality-by-gender",
                                     "Equality of access by gender (MHSDS GenderIDCode)", "gender"},
                            Equality{"ethnicity", "equality-by-ethnicity",
                                     "Equality of access by ethnic category", "ethnic category"},
                            Equality{"age-band", "equality-by-age-band",
                                     "Equality of access by age band", "age band"}}) {
    const std::string dim = e.dimension;
    Table t{e.id,
            e.title,
            {e.label, "referrals", "routed to a service (%)", "declines", "seen",
             "median days to be seen"},
            {}};
    for (const auto& [group, h] : m["received." + dim]) {
      int64_t referrals = Total(h);
      const auto& seen = m["seen." + dim][group];
      t.rows.push_back({Cell::Text(Label(group)), Cell::Count(referrals),
                        Cell::Percent(TotalOf(m["ever-routed." + dim], group), referrals, {1}),
                        Cell::Count(TotalOf(m["declined." + dim], group)), Cell::Count(Total(seen)),
                        Days(seen, 50)});
    }
    // The same total row (and so the same hidden cells) as referrals-by-<dimension>: two
    // tables showing one column must never hide it differently.
    t.AddTotalRow("all referrals", {1, 3, 4});
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<Table>> ServiceActivity(store::Store& store, const directory::Area& area,
                                           const DashboardOptions& o) {
  const std::string from = o.fromMonth, to = AddMonths(o.toMonth, 1);
  std::vector<Table> out;
  struct Cross {
    const char* measure;
    const char* id;
    const char* title;
  };
  for (const Cross& x :
       {Cross{"routed.locality", "routings-by-service-and-locality",
              "Routings to each service by the young person's locality"},
        Cross{"routed.source", "routings-by-service-and-source",
              "Routings to each service by source of referral (MHSDS SourceOfReferralMH)"}}) {
    auto h = Read(store, x.measure, from, to);
    if (!h.ok()) return h.status();
    // service -> group -> routings
    std::map<std::string, std::map<std::string, int64_t>> by;
    std::set<std::string> groups;
    for (const auto& [key, hist] : h.value()) {
      auto sep = key.find(store::kKeySeparator);
      std::string group = sep == std::string::npos ? "" : key.substr(sep + 1);
      by[key.substr(0, sep)][group] += Total(hist);
      groups.insert(group);
    }
    std::vector<std::string> cols;
    if (std::string_view(x.measure) == "routed.locality") {
      for (const auto& l : area.localities()) cols.push_back(l.code);
      cols.push_back("out-of-area");
      for (const auto& g : groups)
        if (std::find(cols.begin(), cols.end(), g) == cols.end()) cols.push_back(g);
    } else {
      cols.assign(groups.begin(), groups.end());
    }
    Table t{x.id, x.title, {"service"}, {}};
    for (const auto& c : cols) t.columns.push_back(Label(c));
    t.columns.push_back("all");
    const size_t all_col = cols.size() + 1;
    std::vector<size_t> parts;
    for (size_t i = 0; i < cols.size(); ++i) parts.push_back(i + 1);
    for (const auto& svc : area.directory().services()) {
      std::vector<Cell> row{Cell::Text(svc.name)};
      int64_t all = 0;
      for (const auto& c : cols) {
        int64_t n = by[svc.id][c];
        all += n;
        row.push_back(Cell::Count(n));
      }
      row.push_back(Cell::Count(all));
      t.rows.push_back(std::move(row));
      t.SumAcross(t.rows.size() - 1, all_col, parts);
    }
    std::vector<size_t> count_cols = parts;
    count_cols.push_back(all_col);
    t.AddTotalRow("all services", count_cols);
    t.SumAcross(t.rows.size() - 1, all_col, parts);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace waymark::reports
