// The triage queue, a service's waiting list, review list and caseload, and one family's
// waiting-list position, on a store of 1,000,000 referrals (500,000 open), side by side with
// the same queries written directly in SQL against the same SQLite file. Prints p50/p99 of
// each and the ratios.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "directory/loader.h"
#include "security/tokens.h"
#include "store/store.h"
#include "workflow/navigation.h"

namespace {

using namespace waymark;
using Clock = std::chrono::steady_clock;
using domain::Timestamp;

Timestamp T(const char* iso) { return *domain::ParseTimestamp(iso); }

struct Stats {
  double p50, p99;
};

template <typename F>
Stats Time(int n, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    f(i);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

void Generate(store::Store& store, const directory::Area& area, long total) {
  std::mt19937_64 rng(42);
  const auto& services = area.directory().services();
  const char* localities[] = {"city", "east", "west", "rutland"};
  const char* priorities[] = {"emergency", "very-urgent", "urgent", "routine"};
  auto base = T("2024-01-01T00:00:00Z");
  std::vector<store::ReferralRow> batch;
  for (long i = 0; i < total; ++i) {
    store::ReferralRow r;
    r.reference = "WM-" + std::to_string(1000000000 + i);
    r.tokenHash = "x";
    r.receivedAt = base + std::chrono::minutes(rng() % (60 * 24 * 700));
    r.updatedAt = r.receivedAt;
    r.source = "B1";
    r.referrerType = "self";
    r.ageOnReceipt = 5 + static_cast<int>(rng() % 20);
    r.locality = localities[rng() % 4];
    r.submission = {{"youngPerson", {{"givenName", "Synthetic"}, {"dateOfBirth", "2011-05-14"}}},
                    {"needs", {"anxiety"}}};
    r.birthDate = "2011-05-14";
    r.needs = {"anxiety"};
    int p = static_cast<int>(rng() % 100);
    r.priority = priorities[p < 2 ? 0 : p < 7 ? 1 : p < 30 ? 2 : 3];
    r.priorityRank = p < 2 ? 1 : p < 7 ? 2 : p < 30 ? 3 : 4;
    r.thriveGroup = "getting-help";
    long kind = i % 4;  // half closed, a quarter with triage, a quarter waiting
    if (kind < 2) {
      r.status = "discharged";
      r.owner = "";
    } else if (kind == 2) {
      r.status = "triaged";
      r.owner = "triage-team";
      r.triageDueAt = r.receivedAt + std::chrono::hours(24 * (1 + rng() % 7));
    } else {
      const auto& svc = services[rng() % services.size()];
      r.status = "waiting";
      r.serviceId = svc.id;
      r.owner = "service:" + svc.id;
      r.clockStartAt = r.receivedAt;
      r.breachDueAt = r.receivedAt + std::chrono::hours(24 * 7 * (1 + rng() % 13));
      // A tenth are in care (clock stopped); one in 50 missed an appointment.
      if (rng() % 10 == 0) {
        r.status = "in-care";
        r.clockStopAt = r.receivedAt + std::chrono::hours(24 * 7);
      }
      r.needsReview = rng() % 50 == 0;
    }
    batch.push_back(std::move(r));
    if (batch.size() == 20000 || i + 1 == total) {
      auto st = store.CreateReferrals(batch, {});
      if (!st.ok()) {
        std::cerr << st.message() << "\n";
        std::exit(1);
      }
      batch.clear();
      std::cerr << "\rgenerated " << i + 1 << "/" << total << std::flush;
    }
  }
  std::cerr << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  long total = argc > 1 ? std::stol(argv[1]) : 1000000;
  int runs = argc > 2 ? std::stoi(argv[2]) : 300;
  std::string path = argc > 3 ? argv[3] : "bench/results/queue-" + std::to_string(total) + ".db";
  spdlog::set_level(spdlog::level::warn);
  security::InitCrypto();
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  auto area = directory::LoadArea("config/areas/example");
  if (!area.ok()) {
    std::cerr << area.status().message() << "\n";
    return 1;
  }
  bool fresh = !std::filesystem::exists(path);
  auto store = store::OpenSqliteStore({path});
  if (!store.ok()) return 1;
  if (fresh) Generate(**store, area.value(), total);
  {
    // Steady state: every near-breach alert that has fallen due was raised long ago (on a
    // store made before migration 011, the migration has just scheduled them all), so the
    // sweep each service-list read makes first finds nothing to do.
    sqlite3* db;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "UPDATE referrals SET near_breach_alert_at = NULL WHERE near_breach_alert_at "
                 "IS NOT NULL; ANALYZE",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  domain::SystemClock clock;
  workflow::Navigation nav(**store, clock, area.value(), nullptr);
  workflow::StaffActor who{{"bench", "triage-clinician", "local"}, {"triage-clinician"}, {}};
  const char* localities[] = {"city", "east", "west", "rutland"};
  const auto& services = area->directory().services();

  // Waymark: the workflow call the API makes (store query, row decoding, JSON rendering).
  auto wq = Time(runs, [&](int i) {
    store::QueueFilter f;
    if (i % 2) f.locality = localities[i % 4];
    auto q = nav.Queue(f);
    if (!q.ok() || (*q)["referrals"].empty()) std::exit(2);
  });
  auto ww = Time(runs, [&](int i) {
    auto l = nav.ServiceLists(services[i % services.size()].id, who);
    if (!l.ok()) std::exit(3);
  });

  // The store layer alone: the same query through the Store interface, rows decoded.
  auto stq = Time(runs, [&](int i) {
    store::QueueFilter f;
    if (i % 2) f.locality = localities[i % 4];
    if (!(*store)->ListQueue(f).ok()) std::exit(4);
  });
  auto stw = Time(runs, [&](int i) {
    if (!(*store)->ListWaiting(services[i % services.size()].id, 1000).ok()) std::exit(5);
  });

  auto str = Time(runs, [&](int i) {
    if (!(*store)->ListReview(services[i % services.size()].id, 500).ok()) std::exit(6);
  });
  auto stc = Time(runs, [&](int i) {
    if (!(*store)->ListCaseload(services[i % services.size()].id, 1000).ok()) std::exit(7);
  });
  // One family's position: counted in the database, for entries spread along every list.
  std::vector<store::ReferralRow> sample;
  for (const auto& svc : services) {
    auto l = (*store)->ListWaiting(svc.id, 1000);
    if (!l.ok()) std::exit(8);
    for (size_t k = 0; k < l->size(); k += 97) sample.push_back((*l)[k]);
  }
  if (sample.empty()) std::exit(9);
  auto stp = Time(runs, [&](int i) {
    if (!(*store)->CountWaitingAhead(sample[i % sample.size()]).ok()) std::exit(10);
  });
  // What the status page did before: read the service's whole waiting list to find one row.
  auto old_position = Time(std::min(runs, 30), [&](int i) {
    const auto& row = sample[i % sample.size()];
    auto l = (*store)->ListWaiting(row.serviceId, 100000);
    if (!l.ok()) std::exit(11);
  });

  // Hand-written SQL on the same file: the same rows, read column by column.
  sqlite3* db;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt *q_all, *q_loc, *w;
  const char* cols =
      "reference, status, version, priority, thrive_group, crisis, received_at, age_on_receipt, "
      "locality, source, triage_due_at, decision";
  sqlite3_prepare_v2(db,
                     (std::string("SELECT ") + cols +
                      " FROM referrals WHERE owner = 'triage-team' ORDER BY priority_rank, "
                      "triage_due_at, received_at LIMIT 50")
                         .c_str(),
                     -1, &q_all, nullptr);
  sqlite3_prepare_v2(db,
                     (std::string("SELECT ") + cols +
                      " FROM referrals WHERE owner = 'triage-team' AND locality = ? ORDER BY "
                      "priority_rank, triage_due_at, received_at LIMIT 50")
                         .c_str(),
                     -1, &q_loc, nullptr);
  sqlite3_prepare_v2(db,
                     "SELECT reference, version, priority, needs_review, clock_start_at, "
                     "breach_due_at FROM referrals WHERE service_id = ? AND status = 'waiting' "
                     "ORDER BY breach_due_at, clock_start_at, reference LIMIT 1000",
                     -1, &w, nullptr);
  sqlite3_stmt *rv, *cl, *pos;
  sqlite3_prepare_v2(db,
                     "SELECT reference, version, status, priority, clock_start_at, breach_due_at, "
                     "birth_date FROM referrals WHERE service_id = ? AND needs_review = 1 AND "
                     "status IN ('waiting', 'in-care') ORDER BY updated_at, reference LIMIT 500",
                     -1, &rv, nullptr);
  sqlite3_prepare_v2(db,
                     "SELECT reference, version, priority, clock_start_at, breach_due_at, "
                     "clock_stop_at, birth_date FROM referrals WHERE service_id = ? AND status = "
                     "'in-care' ORDER BY birth_date, reference LIMIT 1000",
                     -1, &cl, nullptr);
  // The position written the obvious way: one count over a row-value comparison.
  sqlite3_prepare_v2(db,
                     "SELECT COUNT(*) FROM referrals WHERE service_id = ? AND status = 'waiting' "
                     "AND (breach_due_at, clock_start_at, reference) < (?, ?, ?)",
                     -1, &pos, nullptr);
  long sink = 0;
  auto drain = [&](sqlite3_stmt* s) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c) sink += sqlite3_column_bytes(s, c);
    }
    sqlite3_reset(s);
  };
  auto sq = Time(runs, [&](int i) {
    if (i % 2) {
      sqlite3_bind_text(q_loc, 1, localities[i % 4], -1, SQLITE_STATIC);
      drain(q_loc);
    } else {
      drain(q_all);
    }
  });
  auto sw = Time(runs, [&](int i) {
    sqlite3_bind_text(w, 1, services[i % services.size()].id.c_str(), -1, SQLITE_TRANSIENT);
    drain(w);
  });
  auto sr = Time(runs, [&](int i) {
    sqlite3_bind_text(rv, 1, services[i % services.size()].id.c_str(), -1, SQLITE_TRANSIENT);
    drain(rv);
  });
  auto sc = Time(runs, [&](int i) {
    sqlite3_bind_text(cl, 1, services[i % services.size()].id.c_str(), -1, SQLITE_TRANSIENT);
    drain(cl);
  });
  auto sp = Time(runs, [&](int i) {
    const auto& row = sample[i % sample.size()];
    std::string due = domain::FormatTimestamp(*row.breachDueAt);
    std::string start = domain::FormatTimestamp(*row.clockStartAt);
    sqlite3_bind_text(pos, 1, row.serviceId.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(pos, 2, due.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(pos, 3, start.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(pos, 4, row.reference.c_str(), -1, SQLITE_TRANSIENT);
    drain(pos);
  });
  for (auto* st : {q_all, q_loc, w, rv, cl, pos}) sqlite3_finalize(st);
  sqlite3_close(db);

  std::cout << "queue benchmark: " << total << " referrals (" << total / 2 << " open), " << runs
            << " runs each\n";
  std::cout << "  triage queue   store p50 " << stq.p50 << " ms, p99 " << stq.p99
            << " ms | p99 ratio to SQL " << stq.p99 / sq.p99 << "\n";
  std::cout << "  waiting list   store p50 " << stw.p50 << " ms, p99 " << stw.p99
            << " ms | p99 ratio to SQL " << stw.p99 / sw.p99 << "\n";
  std::cout << "  review list    store p50 " << str.p50 << " ms, p99 " << str.p99
            << " ms | plain SQL p50 " << sr.p50 << " ms, p99 " << sr.p99 << " ms | p99 ratio "
            << str.p99 / sr.p99 << "\n";
  std::cout << "  caseload       store p50 " << stc.p50 << " ms, p99 " << stc.p99
            << " ms | plain SQL p50 " << sc.p50 << " ms, p99 " << sc.p99 << " ms | p99 ratio "
            << stc.p99 / sc.p99 << "\n";
  std::cout << "  position       store p50 " << stp.p50 << " ms, p99 " << stp.p99
            << " ms | plain SQL p50 " << sp.p50 << " ms, p99 " << sp.p99 << " ms | p99 ratio "
            << stp.p99 / sp.p99 << " | before (read the list) p50 " << old_position.p50
            << " ms, p99 " << old_position.p99 << " ms\n";
  std::cout << "  triage queue   waymark p50 " << wq.p50 << " ms, p99 " << wq.p99
            << " ms | plain SQL p50 " << sq.p50 << " ms, p99 " << sq.p99 << " ms | p99 ratio "
            << wq.p99 / sq.p99 << "\n";
  std::cout << "  waiting list   waymark p50 " << ww.p50 << " ms, p99 " << ww.p99
            << " ms | plain SQL p50 " << sw.p50 << " ms, p99 " << sw.p99 << " ms | p99 ratio "
            << ww.p99 / sw.p99 << "\n";
  return sink > 0 ? 0 : 1;
}
