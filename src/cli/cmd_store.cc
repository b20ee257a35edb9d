// `waymark migrate`, `waymark import` and `waymark export`: the store from the command line.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "domain/referral.h"
#include "reports/mhsds.h"
#include "security/tokens.h"

namespace waymark::cli {
namespace {

using nlohmann::json;

int Migrate(const std::string& db) {
  auto store = OpenStore(db);  // opening applies migrations
  if (!store.ok()) {
    std::cerr << "waymark migrate: " << store.status().message() << "\n";
    return 1;
  }
  std::cout << "Database " << db << " is up to date.\n";
  return 0;
}

void Progress(size_t done, size_t total) {
  if (!isatty(STDERR_FILENO) && done != total) return;
  int width = 30;
  int filled = total ? static_cast<int>(width * done / total) : width;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] "
            << (total ? 100 * done / total : 100) << "% " << done << "/" << total << std::flush;
  if (done == total) std::cerr << "\n";
}

struct Rejected {
  size_t line;
  std::string reason;
};

int Import(const std::string& db, const std::string& file) {
  if (!security::InitCrypto()) return 1;
  std::ifstream in(file);
  if (!in) {
    std::cerr << "waymark import: cannot read " << file << "\n";
    return kUsageError;
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(std::move(l));
  auto store = OpenStore(db);
  if (!store.ok()) {
    std::cerr << "waymark import: " << store.status().message() << "\n";
    return 1;
  }
  domain::SystemClock clock;
  workflow::Intake intake(**store, clock);
  workflow::Actor actor{CommandLineActor(), "import", "local"};

  std::vector<Rejected> rejected;
  std::vector<domain::ReferralSubmission> batch;
  std::vector<domain::Timestamp> received;
  size_t imported = 0, blank = 0;
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    auto r = intake.ImportBatch(batch, received, actor);
    if (!r.ok()) {
      std::cerr << "\nwaymark import: storing failed: " << r.status().message() << "\n";
      return false;
    }
    imported += batch.size();
    batch.clear();
    received.clear();
    return true;
  };
  auto now = clock.Now();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      ++blank;
      continue;
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      rejected.push_back({i + 1, "not a JSON object"});
      continue;
    }
    // An import line may say when the request was received: {"receivedAt": ..., ...}.
    domain::Timestamp at = now;
    if (j.contains("receivedAt")) {
      auto t = j["receivedAt"].is_string()
                   ? domain::ParseTimestamp(j["receivedAt"].get<std::string>())
                   : std::nullopt;
      if (!t || *t > now) {
        rejected.push_back({i + 1, "receivedAt: must be an ISO 8601 time, not in the future"});
        continue;
      }
      at = *t;
      j.erase("receivedAt");
    }
    auto s = domain::ParseReferralSubmission(j, domain::DateOf(at));
    if (!s.ok()) {
      std::string reason;
      for (const auto& f : s.status().fields()) {
        reason += (reason.empty() ? "" : "; ") + f.path + ": " + f.message;
      }
      rejected.push_back({i + 1, reason});
      continue;
    }
    batch.push_back(std::move(s.value()));
    received.push_back(at);
    if (batch.size() >= 500 && !flush()) return 1;
    Progress(i + 1, lines.size());
  }
  if (!flush()) return 1;
  Progress(lines.size(), lines.size());
  std::cout << "Imported " << imported << " referral(s); rejected " << rejected.size() << " line(s)"
            << (blank ? "; skipped " + std::to_string(blank) + " blank line(s)" : "") << ".\n";
  for (const auto& r : rejected) std::cout << "  line " << r.line << ": " << r.reason << "\n";
  return rejected.empty() ? 0 : 1;
}

int Export(const std::string& db, const std::string& format, const std::string& out_path) {
  auto store = OpenStore(db);
  if (!store.ok()) {
    std::cerr << "waymark export: " << store.status().message() << "\n";
    return 1;
  }
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path);
    if (!file) {
      std::cerr << "waymark export: cannot write " << out_path << "\n";
      return 1;
    }
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  // The export holds identifiable data: audit it before any leaves.
  store::AuditEntry audit;
  audit.at = domain::SystemClock().Now();
  audit.actor = CommandLineActor();
  audit.role = "cli";
  audit.action = "referral.export";
  audit.record = "referral/*";
  audit.fields = "all";
  audit.client = "local";
  if (auto st = (*store)->AppendAudit(audit); !st.ok()) {
    std::cerr << "waymark export: " << st.message() << "\n";
    return 1;
  }
  size_t n = 0;
  auto st = (*store)->ForEachReferral([&](const store::ReferralRow& r) {
    json j = {{"reference", r.reference},
              {"status", r.status},
              {"owner", r.owner},
              {"receivedAt", domain::FormatTimestamp(r.receivedAt)},
              {"updatedAt", domain::FormatTimestamp(r.updatedAt)},
              {"ageOnReceipt", r.ageOnReceipt},
              {"locality", r.locality},
              {"crisis", r.crisis},
              {"referral", r.submission}};
    out << j.dump() << "\n";
    ++n;
  });
  if (!st.ok()) {
    std::cerr << "waymark export: " << st.message() << "\n";
    return 1;
  }
  out.flush();
  std::cerr << "Exported " << n << " referral(s) as " << format << ".\n";
  return 0;
}

int ExportMhsds(const std::string& db, const std::string& month, const std::string& out,
                const std::string& area_id) {
  security::InitCrypto();
  auto area = CheckArea(area_id);
  if (!area.ok()) {
    std::cerr << "waymark export mhsds: " << area.status().message() << "\n";
    return kUsageError;
  }
  auto store = OpenStore(db);
  if (!store.ok()) {
    std::cerr << "waymark export mhsds: " << store.status().message() << "\n";
    return 1;
  }
  auto e = reports::BuildMhsds(**store, *area->area, month);
  if (!e.ok()) {
    std::cerr << "waymark export mhsds: " << e.status().message() << "\n";
    return e.status().code() == ErrorCode::kInvalid ? kUsageError : 1;
  }
  // The return holds identifiable data: audit it.
  store::AuditEntry audit;
  audit.at = domain::SystemClock().Now();
  audit.actor = CommandLineActor();
  audit.role = "cli";
  audit.action = "mhsds.export";
  audit.record = "referral/*";
  audit.fields = "MHSDS " + month;
  audit.client = "local";
  if (auto st = (*store)->AppendAudit(audit); !st.ok()) return 1;
  if (auto st = reports::WriteMhsds(e.value(), out); !st.ok()) {
    std::cerr << "waymark export mhsds: " << st.message() << "\n";
    return 1;
  }
  for (const auto& f : e->files) std::cout << f.name << ": " << f.rows.size() << " row(s)\n";
  std::cout << "DataQuality.csv: " << e->dataQuality.size() << " problem(s)\n";
  return 0;
}

}  // namespace

void AddStoreCommands(CLI::App& root, Action& action) {
  auto db = std::make_shared<std::string>();
  auto* migrate = root.add_subcommand("migrate", "Create or upgrade the database");
  migrate->add_option("--db", *db, "SQLite database file")->required();
  migrate->callback([db, &action] { action = [db] { return Migrate(*db); }; });

  auto file = std::make_shared<std::string>();
  auto idb = std::make_shared<std::string>();
  auto* import = root.add_subcommand("import", "Import referrals from a JSON-lines file");
  import->add_option("--db", *idb, "SQLite database file")->required();
  import->add_option("FILE", *file, "One referral (the intake API's body) per line")
      ->required()
      ->check(CLI::ExistingFile);
  import->callback([idb, file, &action] { action = [idb, file] { return Import(*idb, *file);
};
}  // namespace waymark::cli
);

auto edb = std::make_shared<std::string>();
auto format = std::make_shared<std::string>("jsonl");
auto out = std::make_shared<std::string>();
auto* exp = root.add_subcommand(
    "export", "Export every referral as JSON lines, or a month's MHSDS return (export mhsds)");
exp->require_subcommand(0, 1);
exp->add_option("--db", *edb, "SQLite database file")->check(CLI::ExistingFile);
exp->add_option("--format", *format, "Output format")
    ->check(CLI::IsMember({"jsonl"}))
    ->capture_default_str();
exp->add_option("--out", *out, "Write to this file instead of standard output");
auto mdb = std::make_shared<std::string>();
auto month = std::make_shared<std::string>();
auto mout = std::make_shared<std::string>();
auto marea = std::make_shared<std::string>("example");
auto* mhsds = exp->add_subcommand(
    "mhsds", "One month's MHSDS tables as CSV files, with a data-quality report");
mhsds->add_option("--db", *mdb, "SQLite database file")->required()->check(CLI::ExistingFile);
mhsds->add_option("--month", *month, "The month, YYYY-MM")->required();
mhsds->add_option("--out", *mout, "Folder for the CSV files")->required();
mhsds->add_option("--area", *marea, "Area id")->capture_default_str();
mhsds->callback([mdb, month, mout, marea, &action] {
  action = [mdb, month, mout, marea] { return ExportMhsds(*mdb, *month, *mout, *marea); };
});
exp->callback([edb, format, out, mhsds, &action] {
  if (mhsds->parsed()) return;
  action = [edb, format, out] {
    if (edb->empty()) {
      std::cerr << "waymark export: --db is required\n";
      return kUsageError;
    }
    return Export(*edb, *format, *out);
  };
});
}

}  // namespace waymark::cli
