// `waymark demo generate`: a store full of synthetic referrals, driven through the real
// workflow, for demonstrations, reports and benchmarks.
#include <unistd.h>

#include <iostream>
#include <mutex>

#include "cli/command.h"
#include "cli/common.h"
#include "reports/quarterly.h"
#include "security/tokens.h"
#include "sim/demo_data.h"
#include "workflow/clinical_config.h"

namespace waymark::cli {
namespace {

struct DemoArgs {
  std::string db, area = "example";
  long referrals = 5000;
  int months = 12;
  unsigned seed = 20261123;
  int threads = 64;  // mostly waiting for their batch to commit: more threads, bigger batches
};

int Generate(const DemoArgs& a) {
  security::InitCrypto();
  auto area = CheckArea(a.area);
  if (!area.ok()) {
    std::cerr << "waymark demo generate: " << area.status().message() << "\n";
    return kUsageError;
  }
  // Every referral is triaged on intake with the area's model, as `waymark serve` does.
  auto model = LoadTriageModel(area.value());
  if (!model.ok()) {
    std::cerr << "waymark demo generate: triage model: " << model.status().message() << "\n";
    return 1;
  }
  workflow::LiveTriageEngine engine(model.value());
  // Synthetic data only: commits are not fsynced, which makes a million referrals quick.
  auto store = store::OpenSqliteStore({a.db, 256, /*syntheticDataOnly=*/true});
  if (!store.ok()) {
    std::cerr << "waymark demo generate: " << store.status().message() << "\n";
    return 1;
  }
  sim::DemoOptions o;
  o.referrals = a.referrals;
  o.months = a.months;
  o.seed = a.seed;
  o.threads = a.threads;
  o.engine = &engine;
  o.end = domain::SystemClock().Now();
  std::mutex mu;
  bool tty = isatty(STDERR_FILENO);
  o.progress = [&](long done, long total) {
    std::lock_guard lock(mu);
    int width = 30;
    int filled = static_cast<int>(width * done / std::max(1L, total));
    if (tty || done == total) {
      std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] "
                << 100 * done / std::max(1L, total) << "% " << done << "/" << total << std::flush;
      if (done == total) std::cerr << "\n";
    }
  };
  auto r = sim::Generate(**store, *area->area, o);
  if (!r.ok()) {
    std::cerr << "waymark demo generate: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << "Generated " << r->referrals << " synthetic referrals over " << a.months
            << " months in " << r->seconds << " s: " << r->declines << " declines, " << r->contacts
            << " appointments (" << r->dnas << " not attended), " << r->discharges
            << " discharges.\n";
  return 0;
}

int Quarterly(const std::string& db, const std::string& area_id, const std::string& quarter,
              const std::string& out) {
  security::InitCrypto();
  auto area = CheckArea(area_id);
  if (!area.ok()) {
    std::cerr << "waymark report quarterly: " << area.status().message() << "\n";
    return kUsageError;
  }
  auto store = OpenStore(db);
  if (!store.ok()) {
    std::cerr << "waymark report quarterly: " << store.status().message() << "\n";
    return 1;
  }
  auto n = reports::WriteQuarterly(**store, *area->area, quarter, domain::SystemClock().Now(), out);
  if (!n.ok()) {
    std::cerr << "waymark report quarterly: " << n.status().message() << "\n";
    return n.status().code() == ErrorCode::kInvalid ? kUsageError : 1;
  }
  std::cout << "Wrote " << out << "/index.html and " << n.value() << " CSV tables.\n";
  return 0;
}

}  // namespace

void AddDemoCommands(CLI::App& root, Action& action) {
  auto* demo = root.add_subcommand("demo", "Synthetic data for demonstrations and benchmarks");
  demo->require_subcommand(1);
  auto a = std::make_shared<DemoArgs>();
  auto* gen = demo->add_subcommand(
      "generate", "Fill a store with synthetic referrals through the real workflow");
  gen->add_option("--db", a->db, "SQLite database file (created if missing)")->required();
  gen->add_option("--referrals", a->referrals, "How many referrals")
      ->check(CLI::Range(1L, 10000000L))
      ->capture_default_str();
  gen->add_option("--months", a->months, "Over how many months up to today")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  gen->add_option("--seed", a->seed, "Random seed (same seed, same data)")->capture_default_str();
  gen->add_option("--threads", a->threads, "Worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  gen->add_option("--area", a->area, "Area id")->capture_default_str();
  gen->callback([a, &action] { action = [a] { return Generate(*a); }; });
}

void AddReportCommands(CLI::App& root, Action& action) {
  auto* report = root.add_subcommand("report", "Reports for commissioners (disclosure-controlled)");
  report->require_subcommand(1);
  auto db = std::make_shared<std::string>();
  auto area = std::make_shared<std::string>("example");
  auto quarter = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto* q = report->add_subcommand("quarterly", "Quarterly activity as HTML and CSV tables");
  q->add_option("--db", *db, "SQLite database file")->required()->check(CLI::ExistingFile);
  q->add_option("--area", *area, "Area id")->capture_default_str();
  q->add_option("--quarter", *quarter, "The quarter, e.g. 2026Q3")->required();
  q->add_option("--out", *out, "Folder for index.html and the CSV files")->required();
  q->callback([db, area, quarter, out, &action] {
    action = [db, area, quarter, out] { return Quarterly(*db, *area, *quarter, *out); };
  });
}

}  // namespace waymark::cli
