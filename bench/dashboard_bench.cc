// The whole commissioner dashboard on a store of a million referrals, side by side in one run
// with the same figures computed by plain SQL from the raw rows: in SQLite on the same file,
// and in PostgreSQL 15 loaded with the same rows. First checks that all three publish the
// same tables (every cell, before and after disclosure control), then times each several
// times and prints the p50s and the ratios.
//
//   dashboard_bench --db FILE [--pg CONNINFO] [--runs N]
//
// Waymark: reports::Dashboard (the report counts the store keeps, migration 010) and
// reports::Publish for every table — the work of GET /api/v1/reports/dashboard without HTTP.
// The peers: one SQL query per figure family over referrals, events and contacts, the tables
// assembled the same way, and Publish. The PostgreSQL database is loaded here (COPY) with the
// dashboard's columns of every referral, event and contact, and the same indexes.
#include <libpq-fe.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "directory/loader.h"
#include "domain/clock.h"
#include "domain/codes.h"
#include "reports/metrics.h"
#include "security/tokens.h"
#include "store/report_counts.h"
#include "store/store.h"

namespace {

using namespace waymark;
using reports::Cell;
using reports::Table;
using Rows = std::vector<std::vector<std::string>>;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "dashboard_bench: " << what << "\n";
  std::exit(1);
}

// ---- Running plain SQL ----------------------------------------------------------------------

// The few places SQLite and PostgreSQL spell things differently.
struct Dialect {
  bool pg = false;
  // Bound parameter i (from 1): a timestamp ("2026-01-01T00:00:00.000Z") or an integer.
  std::string Ts(int i) const {
    return pg ? "$" + std::to_string(i) + "::timestamptz" : "?" + std::to_string(i);
  }
  std::string Int(int i) const {
    return pg ? "$" + std::to_string(i) + "::bigint"
              : "CAST(?" + std::to_string(i) + " AS INTEGER)";
  }
  // Whole seconds since 1970 (fractions dropped), as reports measure durations.
  std::string Secs(const std::string& c) const {
    return pg ? "floor(extract(epoch from " + c + "))::bigint" : "unixepoch(" + c + ")";
  }
  std::string Month(const std::string& c) const {
    return pg ? "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM')" : "substr(" + c + ", 1, 7)";
  }
  std::string Year(const std::string& c) const {
    return pg ? "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY')" : "substr(" + c + ", 1, 4)";
  }
  std::string Json(const std::string& c, const char* key) const {
    return pg ? c + "->>'" + key + "'" : "json_extract(" + c + ", '$." + key + "')";
  }
  std::string JsonTrue(const std::string& c, const char* key) const {
    return pg ? "(" + c + "->>'" + key + "') = 'true'"
              : "json_extract(" + c + ", '$." + key + "') = 1";
  }
  // Nearest-rank median and 90th percentile of column h per group g over `inner` (which
  // yields g, h and whatever `extras` aggregate); NULL h values are left out. Columns: g,
  // extras..., p50, p90.
  std::string Percentiles(const std::string& inner, const std::string& extras) const {
    if (pg) {
      return "SELECT g" + extras +
             ", percentile_disc(0.5) WITHIN GROUP (ORDER BY h), percentile_disc(0.9) WITHIN "
             "GROUP (ORDER BY h) FROM (" +
             inner + ") x GROUP BY g";
    }
    return "SELECT g" + extras +
           ", MIN(CASE WHEN h IS NOT NULL AND i >= (50 * n + 99) / 100 THEN h END), MIN(CASE "
           "WHEN h IS NOT NULL AND i >= (90 * n + 99) / 100 THEN h END) FROM (SELECT x.*, "
           "ROW_NUMBER() OVER (PARTITION BY g ORDER BY h IS NULL, h) AS i, COUNT(h) OVER "
           "(PARTITION BY g) AS n FROM (" +
           inner + ") x) o GROUP BY g";
  }
  // A duration in seconds as reports measure it: whole hours under two days, else whole days.
  static std::string Measured(const std::string& d) {
    return "CASE WHEN " + d + " < 0 THEN 0 WHEN " + d + " < 172800 THEN " + d + " / 3600 ELSE " +
           d + " / 86400 * 24 END";
  }
};

class SqlRunner {
 public:
  virtual ~SqlRunner() = default;
  // Rows of text (NULL as ""), parameters bound as text.
  virtual Rows Query(const std::string& sql, const std::vector<std::string>& params) = 0;
};

class SqliteRunner final : public SqlRunner {
 public:
  explicit SqliteRunner(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      Die("cannot open " + path);
    }
    // As generous as PostgreSQL's settings in bench/dashboard.sh: a 2 GiB page cache and as
    // much of the file mapped as SQLite allows.
    sqlite3_exec(db_, "PRAGMA mmap_size=17179869184; PRAGMA cache_size=-2097152", nullptr, nullptr,
                 nullptr);
  }
  ~SqliteRunner() override {
    for (auto& [sql, s] : cache_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Rows Query(const std::string& sql, const std::vector<std::string>& params) override {
    sqlite3_stmt*& s = cache_[sql];
    if (!s && sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      Die("SQLite: " + std::string(sqlite3_errmsg(db_)) + " in " + sql);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(s, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    Rows out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        auto t = sqlite3_column_text(s, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) Die("SQLite: " + std::string(sqlite3_errmsg(db_)));
    sqlite3_reset(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

class PgRunner final : public SqlRunner {
 public:
  explicit PgRunner(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die("PostgreSQL: " + std::string(PQerrorMessage(conn_)));
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgRunner() override { PQfinish(conn_); }
  PGconn* conn() { return conn_; }
  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    auto st = PQresultStatus(r);
    std::string err = PQerrorMessage(conn_);
    PQclear(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Die("PostgreSQL: " + err + " in " + sql);
  }
  Rows Query(const std::string& sql, const std::vector<std::string>& params) override {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      std::string err = PQerrorMessage(conn_);
      PQclear(r);
      Die("PostgreSQL: " + err + " in " + sql);
    }
    Rows out(static_cast<size_t>(PQntuples(r)));
    for (int i = 0; i < PQntuples(r); ++i) {
      for (int c = 0; c < PQnfields(r); ++c) out[i].emplace_back(PQgetvalue(r, i, c));
    }
    PQclear(r);
    return out;
  }

 private:
  PGconn* conn_;
};

// ---- The dashboard in plain SQL -------------------------------------------------------------

int64_t N(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

Cell Days(const std::string& hours, int64_t based_on, int percentile) {
  if (hours.empty()) return Cell::Measure(std::nullopt, based_on, percentile);
  return Cell::Measure(static_cast<double>(N(hours)) / 24.0, based_on, percentile);
}

std::string Label(const std::string& key) { return key.empty() ? "not recorded" : key; }

// The same tables as reports::Dashboard, from the raw rows.
std::vector<Table> PlainSqlDashboard(SqlRunner& db, const Dialect& d, const directory::Area& area,
                                     const reports::DashboardOptions& o) {
  const std::string to_month = reports::AddMonths(o.toMonth, 1);
  const std::string from_ts = o.fromMonth + "-01T00:00:00.000Z";
  const std::string to_ts = to_month + "-01T00:00:00.000Z";
  const std::vector<std::string> range = {from_ts, to_ts};
  const std::string in_range = "r.received_at >= " + d.Ts(1) + " AND r.received_at < " + d.Ts(2);
  const std::string age_band =
      "CASE WHEN r.age_on_receipt < 5 THEN '0-4' WHEN r.age_on_receipt < 11 THEN '5-10' WHEN "
      "r.age_on_receipt < 16 THEN '11-15' WHEN r.age_on_receipt < 18 THEN '16-17' ELSE '18-25' "
      "END";
  std::vector<Table> out;

  // Referrals by each dimension.
  auto by = [&](const std::string& expr) {
    std::map<std::string, int64_t> m;
    for (auto& row :
         db.Query("SELECT COALESCE(" + expr + ", ''), COUNT(*) FROM referrals r WHERE " + in_range +
                      " GROUP BY 1",
                  range)) {
      m[row[0]] += N(row[1]);
    }
    return m;
  };
  auto months_count = by(d.Month("r.received_at"));
  Table months{"referrals-by-month", "Referrals by month", {"month", "referrals"}, {}};
  for (std::string m = o.fromMonth; m < to_month; m = reports::AddMonths(m, 1)) {
    months.rows.push_back({Cell::Text(m), Cell::Count(months_count[m])});
  }
  out.push_back(std::move(months));
  struct Dim {
    std::string expr;
    const char* id;
    const char* title;
    const char* label;
  };
  for (const Dim& dim :
       {Dim{"r.source", "referrals-by-source", "Referrals by source (MHSDS SourceOfReferralMH)",
            "source"},
        Dim{"r.locality", "referrals-by-locality", "Referrals by locality", "locality"},
        Dim{age_band, "referrals-by-age-band", "Referrals by age band (age on the day received)",
            "age band"},
        Dim{"r.gender", "referrals-by-gender", "Referrals by gender (MHSDS GenderIDCode)",
            "gender"},
        Dim{"r.ethnic_category", "referrals-by-ethnicity", "Referrals by ethnic category",
            "ethnic category"},
        Dim{"r.thrive_group", "referrals-by-thrive-group", "Referrals by THRIVE group",
            "THRIVE group"}}) {
    Table t{dim.id, dim.title, {dim.label, "referrals"}, {}};
    for (const auto& [k, n] : by(dim.expr))
      t.rows.push_back({Cell::Text(Label(k)), Cell::Count(n)});
    t.AddTotalRow("all referrals", {1});
    out.push_back(std::move(t));
  }

  // First decisions.
  const std::string first =
      "SELECT '' AS g, kind, svc, " + Dialect::Measured("secs") + " AS h FROM (SELECT e.kind, " +
      d.Json("e.data", "serviceId") + " AS svc, " + d.Secs("e.at") + " - " +
      d.Secs("r.received_at") +
      " AS secs, ROW_NUMBER() OVER (PARTITION BY e.reference ORDER BY e.at, e.id) AS rn FROM "
      "events e JOIN referrals r ON r.reference = e.reference WHERE e.kind IN "
      "('referral.routed', 'referral.signposted') AND " +
      in_range + ") z WHERE rn = 1";
  auto dec = db.Query(
      d.Percentiles(first,
                    ", COUNT(*), SUM(CASE WHEN kind = 'referral.routed' THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN kind = 'referral.routed' AND svc = 'camhs' THEN 1 ELSE 0 END)"),
      range);
  std::vector<std::string> dr =
      dec.empty() ? std::vector<std::string>{"", "0", "0", "0", "", ""} : dec[0];
  int64_t decisions = N(dr[1]), routed_first = N(dr[2]), away = routed_first - N(dr[3]);
  out.push_back(
      {"time-to-triage-decision",
       "Time from referral to triage decision (days)",
       {"decisions", "median days", "90th percentile days"},
       {{Cell::Count(decisions), Days(dr[4], decisions, 50), Days(dr[5], decisions, 90)}}});
  out.push_back({"routed-away-from-camhs",
                 "First routings to a service other than specialist CAMHS",
                 {"first routings", "not to CAMHS", "share not to CAMHS (%)"},
                 {{Cell::Count(routed_first), Cell::Count(away),
                   Cell::Percent(away, routed_first, {0, 1})}}});

  // Routings, acceptances, declines (with reasons) and overrides, in one pass over events.
  std::map<std::string, int64_t> routed, accepted, declined, overridden;
  std::map<std::string, int64_t> reasons;
  for (auto& row :
       db.Query("SELECT e.kind, COALESCE(" + d.Json("e.data", "serviceId") + ", ''), COALESCE(" +
                    d.Json("e.data", "reasonCode") + ", ''), COUNT(*), SUM(CASE WHEN " +
                    d.JsonTrue("e.data", "override") +
                    " THEN 1 ELSE 0 END) FROM events e JOIN referrals r ON "
                    "r.reference = e.reference WHERE e.kind IN ('referral.routed', "
                    "'referral.accepted', 'referral.declined') AND " +
                    in_range + " GROUP BY 1, 2, 3",
                range)) {
    int64_t n = N(row[3]);
    if (row[0] == "referral.routed") {
      routed[row[1]] += n;
      overridden[row[1]] += N(row[4]);
    } else if (row[0] == "referral.accepted") {
      accepted[row[1]] += n;
    } else {
      declined[row[1]] += n;
      reasons[row[1] + store::kKeySeparator + row[2]] += n;
    }
  }
  Table answers{"service-answers",
                "Routings, acceptances and declines by service",
                {"service", "routed", "accepted", "declined", "accepted (%)", "declined (%)"},
                {}};
  for (const auto& svc : area.directory().services()) {
    int64_t r = routed[svc.id], a = accepted[svc.id], x = declined[svc.id];
    answers.rows.push_back({Cell::Text(svc.name), Cell::Count(r), Cell::Count(a), Cell::Count(x),
                            Cell::Percent(a, a + x, {2, 3}), Cell::Percent(x, a + x, {2, 3})});
  }
  out.push_back(std::move(answers));
  Table why{"decline-reasons",
            "Reasons services gave for declining",
            {"service", "reason", "declines"},
            {}};
  for (const auto& [key, n] : reasons) {
    auto sep = key.find(store::kKeySeparator);
    const auto* s = area.directory().Find(key.substr(0, sep));
    why.rows.push_back({Cell::Text(s ? s->name : key.substr(0, sep)),
                        Cell::Text(std::string(domain::DeclineReasonText(key.substr(sep + 1)))),
                        Cell::Count(n)});
  }
  out.push_back(std::move(why));

  // Waits.
  const int64_t now_seconds =
      std::chrono::floor<std::chrono::seconds>(o.now).time_since_epoch().count();
  const std::string open =
      "clock_stop_at IS NULL AND status NOT IN ('discharged', 'transferred', 'closed')";
  const std::string waits_inner =
      "SELECT r.service_id AS g, CASE WHEN r.clock_stop_at IS NOT NULL THEN " +
      Dialect::Measured("(" + d.Secs("r.clock_stop_at") + " - " + d.Secs("r.clock_start_at") +
                        ")") +
      " END AS h, r.clock_stop_at, r.breach_due_at, r.status FROM referrals r WHERE " + in_range +
      " AND r.service_id IS NOT NULL AND r.clock_start_at IS NOT NULL";
  std::map<std::string, std::vector<std::string>> waits;
  for (auto& row :
       db.Query(d.Percentiles(waits_inner,
                              ", COUNT(*), COUNT(h), SUM(CASE WHEN clock_stop_at IS NOT NULL AND "
                              "breach_due_at IS NOT NULL AND clock_stop_at <= breach_due_at THEN 1 "
                              "ELSE 0 END), SUM(CASE WHEN " +
                                  open + " THEN 1 ELSE 0 END), SUM(CASE WHEN " + open +
                                  " AND breach_due_at IS NOT NULL AND " + d.Secs("breach_due_at") +
                                  " < " + d.Int(3) + " THEN 1 ELSE 0 END)"),
                {from_ts, to_ts, std::to_string(now_seconds)})) {
    waits[row[0]] = row;
  }
  Table wt{
      "waits-by-service",
      "Waits from clock start to first attended contact, against each service's standard",
      {"service", "standard", "goal within standard (%)", "clocks started", "seen", "median days",
       "90th percentile days", "seen within standard (%)", "still waiting", "open breaches"},
      {}};
  for (const auto& svc : area.directory().services()) {
    auto w = waits.count(svc.id) ? waits[svc.id] : std::vector<std::string>{svc.id, "0", "0", "0",
                                                                            "0",    "0", "",  ""};
    int64_t seen = N(w[2]);
    const auto& standard = svc.access_standard;
    wt.rows.push_back(
        {Cell::Text(svc.name), Cell::Text(directory::FormatTarget(standard.target)),
         Cell::Text(standard.goal_percent ? std::to_string(*standard.goal_percent) : ""),
         Cell::Count(N(w[1])), Cell::Count(seen), Days(w[6], seen, 50), Days(w[7], seen, 90),
         Cell::Percent(N(w[3]), seen, {4}), Cell::Count(N(w[4])), Cell::Count(N(w[5]))});
  }
  out.push_back(std::move(wt));

  // Appointments.
  auto dna = db.Query(
      "SELECT SUM(CASE WHEN c.attend_status IN ('3', '5', '6', '7') THEN 1 ELSE 0 END), SUM(CASE "
      "WHEN c.attend_status = '3' THEN 1 ELSE 0 END) FROM contacts c JOIN referrals r ON "
      "r.reference = c.reference WHERE " +
          in_range,
      range);
  int64_t outcome = N(dna[0][0]), dnas = N(dna[0][1]);
  out.push_back(
      {"dna-rate",
       "Appointments not attended without warning (DNA)",
       {"appointments with an outcome", "did not attend", "DNA rate (%)"},
       {{Cell::Count(outcome), Cell::Count(dnas), Cell::Percent(dnas, outcome, {0, 1})}}});

  // Access: the 365 days up to and including today, and each calendar year.
  const std::string attended =
      "r.age_on_receipt < 18 AND c.attend_status IN ('5', '6') AND c.mechanism IN ('01', '02', "
      "'04', '11')";
  const long today = domain::DaysFromEpoch(domain::DateOf(o.now));
  const std::string today_text = domain::FormatDate(domain::DateFromDays(today));
  auto accessed_rows = db.Query(
      "SELECT COUNT(DISTINCT c.reference) FROM contacts c JOIN referrals r ON r.reference = "
      "c.reference WHERE " +
          attended + " AND c.booked_for >= " + d.Ts(1) + " AND c.booked_for < " + d.Ts(2),
      {domain::FormatDate(domain::DateFromDays(today - 364)) + "T00:00:00.000Z",
       domain::FormatDate(domain::DateFromDays(today + 1)) + "T00:00:00.000Z"});
  int64_t accessed = N(accessed_rows[0][0]);
  out.push_back(
      {"access",
       "Access: under-18s with at least one attended contact in the 12 months to " + today_text,
       {"children and young people"},
       {{Cell::Count(accessed)}}});
  std::map<std::string, int64_t> per_year;
  for (auto& row : db.Query("SELECT " + d.Year("c.booked_for") +
                                ", COUNT(DISTINCT c.reference) FROM contacts c JOIN referrals r "
                                "ON r.reference = c.reference WHERE " +
                                attended + " GROUP BY 1",
                            {})) {
    per_year[row[0]] = N(row[1]);
  }
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

  // Overrides.
  Table ov{"overrides",
           "Routings that overrode the engine's recommendation",
           {"routed to", "routings", "overrides", "overrides (%)"},
           {}};
  int64_t routings = 0, overrides = 0;
  for (const auto& [k, n] : routed) routings += n;
  for (const auto& [k, n] : overridden) overrides += n;
  ov.rows.push_back({Cell::Text("all services"), Cell::Count(routings), Cell::Count(overrides),
                     Cell::Percent(overrides, routings, {1, 2})});
  std::vector<size_t> service_rows;
  for (const auto& svc : area.directory().services()) {
    service_rows.push_back(ov.rows.size());
    ov.rows.push_back({Cell::Text(svc.name), Cell::Count(routed[svc.id]),
                       Cell::Count(overridden[svc.id]),
                       Cell::Percent(overridden[svc.id], routed[svc.id], {1, 2})});
  }
  ov.SumDown(1, 0, service_rows);
  ov.SumDown(2, 0, service_rows);
  out.push_back(std::move(ov));

  // Equality of access.
  struct Equality {
    std::string expr;
    const char* id;
    const char* title;
    const char* label;
  };
  const std::string seen_hours =
      "CASE WHEN r.service_id IS NOT NULL AND r.clock_start_at IS NOT NULL AND r.clock_stop_at IS "
      "NOT NULL THEN " +
      Dialect::Measured("(" + d.Secs("r.clock_stop_at") + " - " + d.Secs("r.clock_start_at") +
                        ")") +
      " END";
  for (const Equality& e :
       {Equality{"COALESCE(r.gender, '')", "equality-by-gender",
                 "Equality of access by gender (MHSDS GenderIDCode)", "gender"},
        Equality{"COALESCE(r.ethnic_category, '')", "equality-by-ethnicity",
                 "Equality of access by ethnic category", "ethnic category"},
        Equality{age_band, "equality-by-age-band", "Equality of access by age band", "age band"}}) {
    const std::string inner =
        "SELECT " + e.expr + " AS g, " + seen_hours +
        " AS h, MAX(CASE WHEN ev.kind = 'referral.routed' THEN 1 ELSE 0 END) AS routed, SUM(CASE "
        "WHEN ev.kind = 'referral.declined' THEN 1 ELSE 0 END) AS declines FROM referrals r LEFT "
        "JOIN events ev ON ev.reference = r.reference AND ev.kind IN ('referral.routed', "
        "'referral.declined') WHERE " +
        in_range + " GROUP BY r.reference, 1, 2";
    std::map<std::string, std::vector<std::string>> groups;
    for (auto& row : db.Query(d.Percentiles(inner,
                                            ", COUNT(*), SUM(routed), SUM(declines), "
                                            "COUNT(h)"),
                              range)) {
      groups[row[0]] = row;
    }
    Table t{e.id,
            e.title,
            {e.label, "referrals", "routed to a service (%)", "declines", "seen",
             "median days to be seen"},
            {}};
    for (const auto& [g, row] : groups) {
      int64_t referrals = N(row[1]), seen = N(row[4]);
      t.rows.push_back({Cell::Text(Label(g)), Cell::Count(referrals),
                        Cell::Percent(N(row[2]), referrals, {1}), Cell::Count(N(row[3])),
                        Cell::Count(seen), Days(row[5], seen, 50)});
    }
    t.AddTotalRow("all referrals", {1, 3, 4});
    out.push_back(std::move(t));
  }
  return out;
}

// ---- Loading PostgreSQL ---------------------------------------------------------------------

// COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N.
void CopyField(std::string& line, const unsigned char* v) {
  if (!v) {
    line += "\\N";
    return;
  }
  for (const unsigned char* p = v; *p; ++p) {
    switch (*p) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += static_cast<char>(*p);
    }
  }
}

// Copies the result of `select` on the SQLite file into `table` on PostgreSQL.
long CopyTable(sqlite3* src, PgRunner& pg, const std::string& select, const std::string& table) {
  sqlite3_stmt* s;
  if (sqlite3_prepare_v2(src, select.c_str(), -1, &s, nullptr) != SQLITE_OK)
    Die(sqlite3_errmsg(src));
  PGresult* started = PQexec(pg.conn(), ("COPY " + table + " FROM STDIN").c_str());
  bool copying = PQresultStatus(started) == PGRES_COPY_IN;
  PQclear(started);
  if (!copying) Die("COPY: " + std::string(PQerrorMessage(pg.conn())));
  std::string buf;
  long n = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      if (c) buf += '\t';
      CopyField(buf, sqlite3_column_text(s, c));
    }
    buf += '\n';
    ++n;
    if (buf.size() > (1 << 20)) {
      if (PQputCopyData(pg.conn(), buf.data(), static_cast<int>(buf.size())) != 1)
        Die("COPY failed");
      buf.clear();
    }
  }
  sqlite3_finalize(s);
  if (!buf.empty() && PQputCopyData(pg.conn(), buf.data(), static_cast<int>(buf.size())) != 1) {
    Die("COPY failed");
  }
  if (PQputCopyEnd(pg.conn(), nullptr) != 1) Die("COPY end failed");
  PGresult* r;
  while ((r = PQgetResult(pg.conn())) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
      Die("COPY: " + std::string(PQerrorMessage(pg.conn())));
    PQclear(r);
  }
  return n;
}

void LoadPostgres(const std::string& path, PgRunner& pg) {
  auto t0 = Clock::now();
  pg.Exec("DROP TABLE IF EXISTS referrals, events, contacts");
  pg.Exec(
      "CREATE TABLE referrals (reference text PRIMARY KEY, received_at timestamptz NOT NULL, "
      "status text NOT NULL, source text NOT NULL, age_on_receipt integer NOT NULL, locality "
      "text, gender text, ethnic_category text, thrive_group text, service_id text, "
      "clock_start_at timestamptz, clock_stop_at timestamptz, breach_due_at timestamptz)");
  pg.Exec(
      "CREATE TABLE events (id text PRIMARY KEY, reference text NOT NULL, kind text NOT NULL, at "
      "timestamptz NOT NULL, reason text, data jsonb)");
  pg.Exec(
      "CREATE TABLE contacts (id text PRIMARY KEY, reference text NOT NULL, booked_for "
      "timestamptz NOT NULL, mechanism text NOT NULL, attend_status text NOT NULL)");
  sqlite3* src;
  if (sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) Die(path);
  long refs = CopyTable(src, pg,
                        "SELECT reference, received_at, status, source, age_on_receipt, locality, "
                        "gender, ethnic_category, thrive_group, service_id, clock_start_at, "
                        "clock_stop_at, breach_due_at FROM referrals",
                        "referrals");
  long events =
      CopyTable(src, pg, "SELECT id, reference, kind, at, reason, data FROM events", "events");
  long contacts =
      CopyTable(src, pg, "SELECT id, reference, booked_for, mechanism, attend_status FROM contacts",
                "contacts");
  sqlite3_close(src);
  // The same indexes as the SQLite store (src/store/migrations/001, 002).
  pg.Exec("CREATE INDEX referrals_by_received ON referrals (received_at)");
  pg.Exec("CREATE INDEX events_by_reference ON events (reference, at)");
  pg.Exec("CREATE INDEX events_by_kind ON events (kind, at)");
  pg.Exec("CREATE INDEX contacts_by_reference ON contacts (reference, booked_for)");
  pg.Exec("VACUUM ANALYZE");
  std::cout << "PostgreSQL loaded: " << refs << " referrals, " << events << " events, " << contacts
            << " contacts in " << std::chrono::duration<double>(Clock::now() - t0).count()
            << " s\n";
}

// ---- Comparing and timing -------------------------------------------------------------------

std::string Raw(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kText:
      return c.text;
    case Cell::Kind::kCount:
      return std::to_string(c.count);
    case Cell::Kind::kPercent:
      return std::to_string(c.numerator) + "/" + std::to_string(c.denominator);
    case Cell::Kind::kMeasure:
      return (c.value ? std::to_string(*c.value) : "none") + "|" + std::to_string(c.basedOn);
  }
  return "";
}

// Every cell, raw and published; returns the number of differences (printing the first few).
int Compare(const std::vector<Table>& a, const std::vector<Table>& b, const char* peer) {
  int diffs = 0;
  auto report = [&](const std::string& what) {
    if (++diffs <= 10) std::cout << "  MISMATCH waymark vs " << peer << ": " << what << "\n";
  };
  if (a.size() != b.size()) report("number of tables");
  for (size_t t = 0; t < std::min(a.size(), b.size()); ++t) {
    if (reports::Publish(a[t]) != reports::Publish(b[t])) report(a[t].id + " (published)");
    if (a[t].rows.size() != b[t].rows.size()) {
      report(a[t].id + ": rows " + std::to_string(a[t].rows.size()) + " vs " +
             std::to_string(b[t].rows.size()));
      continue;
    }
    for (size_t r = 0; r < a[t].rows.size(); ++r) {
      for (size_t c = 0; c < a[t].rows[r].size(); ++c) {
        if (Raw(a[t].rows[r][c]) != Raw(b[t].rows[r][c])) {
          report(a[t].id + " row " + std::to_string(r) + " col " + std::to_string(c) + ": " +
                 Raw(a[t].rows[r][c]) + " vs " + Raw(b[t].rows[r][c]));
        }
      }
    }
  }
  return diffs;
}

// The whole response: every table published and rendered to JSON text.
size_t Render(const std::vector<Table>& tables) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : tables) out.push_back(reports::Publish(t));
  return out.dump().size();
}

double P50(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "bench/results/demo-1000000.db", pg_conninfo;
  int runs = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--db") path = argv[i + 1];
    if (a == "--pg") pg_conninfo = argv[i + 1];
    if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  spdlog::set_level(spdlog::level::warn);
  security::InitCrypto();
  auto area = directory::LoadArea("config/areas/example");
  if (!area.ok()) Die(area.status().message());
  auto store = store::OpenSqliteStore({path});  // applies migrations (010 counts once)
  if (!store.ok()) Die(store.status().message());
  auto referrals = (*store)->CountReferrals();
  {
    // Table statistics for SQLite's planner, as PostgreSQL gets from VACUUM ANALYZE: without
    // them it drives the event queries from every event of a kind instead of the period's
    // referrals.
    auto t0 = Clock::now();
    sqlite3* w;
    if (sqlite3_open(path.c_str(), &w) != SQLITE_OK || sqlite3_busy_timeout(w, 60000) ||
        sqlite3_exec(w, "ANALYZE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      Die("ANALYZE: " + std::string(sqlite3_errmsg(w)));
    }
    sqlite3_close(w);
    std::cout << "SQLite analysed in " << std::chrono::duration<double>(Clock::now() - t0).count()
              << " s\n";
  }
  SqliteRunner sqlite(path);
  std::unique_ptr<PgRunner> pg;
  if (!pg_conninfo.empty()) {
    pg = std::make_unique<PgRunner>(pg_conninfo);
    LoadPostgres(path, *pg);
  }
  const Dialect lite{false}, post{true};
  auto now = domain::SystemClock().Now();
  std::string this_month = reports::MonthOf(now);
  // The first month with a referral, for the whole-store period.
  std::string first_month =
      sqlite.Query("SELECT substr(MIN(received_at), 1, 7) FROM referrals", {})[0][0];
  struct Period {
    const char* name;
    reports::DashboardOptions options;
  };
  std::vector<Period> periods = {
      {"12 months (the default)", {reports::AddMonths(this_month, -11), this_month, now}},
      {"every month in the store", {first_month, this_month, now}}};

  std::cout << "dashboard benchmark: " << (referrals.ok() ? *referrals : 0) << " referrals, "
            << runs
            << " timed runs each after one warm-up, p50 of the whole dashboard (every "
               "table computed, published and rendered)\n";
  int mismatches = 0;
  for (const auto& p : periods) {
    auto waymark = [&] {
      auto t = reports::Dashboard(**store, area.value(), p.options);
      if (!t.ok()) Die(t.status().message());
      return t.value();
    };
    auto w = waymark();
    auto s = PlainSqlDashboard(sqlite, lite, area.value(), p.options);
    mismatches += Compare(w, s, "SQLite");
    if (pg)
      mismatches += Compare(w, PlainSqlDashboard(*pg, post, area.value(), p.options), "PostgreSQL");
    std::vector<double> tw, ts, tp;
    size_t sink = 0;
    for (int i = 0; i < runs; ++i) {  // interleaved, so background load hits all three alike
      auto t0 = Clock::now();
      sink += Render(waymark());
      tw.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      t0 = Clock::now();
      sink += Render(PlainSqlDashboard(sqlite, lite, area.value(), p.options));
      ts.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (pg) {
        t0 = Clock::now();
        sink += Render(PlainSqlDashboard(*pg, post, area.value(), p.options));
        tp.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    }
    int64_t in_period = 0;
    for (const auto& row : w[0].rows) in_period += row[1].count;
    std::cout << "  " << p.name << " (" << p.options.fromMonth << " to " << p.options.toMonth
              << ", " << in_period << " referrals):\n";
    std::cout << "    waymark (report counts)  p50 " << P50(tw) << " ms\n";
    std::cout << "    plain SQL in SQLite      p50 " << P50(ts) << " ms  (waymark "
              << P50(ts) / P50(tw) << "x faster)\n";
    if (pg) {
      std::cout << "    plain SQL in PostgreSQL  p50 " << P50(tp) << " ms  (waymark "
                << P50(tp) / P50(tw) << "x faster)\n";
    }
    if (sink == 0) return 2;
  }
  std::cout << (mismatches ? "FIGURES DIFFER: " + std::to_string(mismatches) + " mismatches\n"
                           : std::string("figures: identical in all three (every cell, raw and "
                                         "published)\n"));
  return mismatches ? 3 : 0;
}
