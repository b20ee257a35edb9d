// `waymark demo generate`: a store full of synthetic referrals, driven through the real
// workflow, for demonstrations, reports and benchmarks.
#include <unistd.h>

#include <iostream>
#include <mutex>

#include "cli/command.h"
#include "cli/common.h"
#include "security/tokens.h"
#include "sim/demo_data.h"

namespace waymark::cli {
namespace {

struct DemoArgs {
  std::string db, area = "example";
  long referrals = 5000;
  int months = 12;
  unsigned seed = 20261123;
  int threads = 8;
};

int Generate(const DemoArgs& a) {
  security::InitCrypto();
  auto area = CheckArea(a.area);
  if (!area.ok()) {
    std::cerr << "waymark demo generate: " << area.status().message() << "\n";
    return kUsageError;
  }
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
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  gen->add_option("--area", a->area, "Area id")->capture_default_str();
  gen->callback([a, &action] { action = [a] { return Generate(*a); }; });
}

}  // namespace waymark::cli
