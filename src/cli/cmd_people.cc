// `waymark export-person` (subject access request), `waymark purge` (retention) and
// `waymark account create` (the first staff accounts, made by the operator).
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "security/accounts.h"
#include "security/tokens.h"
#include "workflow/retention.h"

namespace waymark::cli {
namespace {

int ExportPerson(const std::string& db, const std::string& nhs, const std::string& out_path,
                 const std::string& key_file) {
  security::InitCrypto();
  auto store = OpenStore(db, key_file);
  if (!store.ok()) {
    std::cerr << "waymark export-person: " << store.status().message() << "\n";
    return 1;
  }
  domain::SystemClock clock;
  auto bundle =
      workflow::SubjectAccessBundle(**store, clock, nhs, {CommandLineActor(), "cli", "local"});
  if (!bundle.ok()) {
    std::cerr << "waymark export-person: " << bundle.status().message() << "\n";
    return bundle.status().code() == ErrorCode::kInvalid ? kUsageError : 1;
  }
  if (out_path.empty()) {
    std::cout << bundle->dump(2) << "\n";
  } else {
    std::ofstream f(out_path);
    f << bundle->dump(2) << "\n";
    if (!f) {
      std::cerr << "waymark export-person: cannot write " << out_path << "\n";
      return 1;
    }
  }
  std::cerr << (*bundle)["referrals"].size() << " referral(s) exported; the export is audited.\n";
  return 0;
}

int PurgeCmd(const std::string& db, int days, bool dry_run, const std::string& key_file) {
  security::InitCrypto();
  auto store = OpenStore(db, key_file);
  if (!store.ok()) {
    std::cerr << "waymark purge: " << store.status().message() << "\n";
    return 1;
  }
  domain::SystemClock clock;
  auto report =
      workflow::Purge(**store, clock, days, dry_run, {CommandLineActor(), "cli", "local"});
  if (!report.ok()) {
    std::cerr << "waymark purge: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << (dry_run ? "Would pseudonymise " : "Pseudonymised ")
            << (dry_run ? report->references.size() : static_cast<size_t>(report->pseudonymised))
            << " of " << report->examined << " referral(s) closed for more than " << days
            << " days.\n";
  for (const auto& r : report->references) std::cout << "  " << r << "\n";
  return 0;
}

struct AccountOptions {
  std::string db, keyFile, username, displayName;
  std::vector<std::string> roles, services;
};

// The operator's way to make the first administrator and clinical lead: a one-time password
// (shown once; the first sign-in chooses the person's own), a second factor at first sign-in.
int CreateAccountCmd(const AccountOptions& o) {
  security::InitCrypto();
  StoreKeys keys;
  auto store = OpenStore(o.db, o.keyFile, &keys);
  if (!store.ok()) {
    std::cerr << "waymark account create: " << store.status().message() << "\n";
    return 1;
  }
  domain::SystemClock clock;
  security::Accounts accounts(**store, clock, {}, keys.box);
  auto made = accounts.CreateAtCommandLine(CommandLineActor(),
                                           {o.username, o.displayName, "", o.roles, o.services});
  if (!made.ok()) {
    std::cerr << "waymark account create: " << made.status().message() << "\n";
    return made.status().code() == ErrorCode::kInvalid ? kUsageError : 1;
  }
  std::cout << "Account " << o.username << " created; the creation is audited.\n"
            << "  One-time password (shown once; it lets them choose their own at first "
               "sign-in, and expires in 72 hours):\n    "
            << made->oneTimePassword << "\n";
  return 0;
}

}  // namespace

void AddPeopleCommands(CLI::App& root, Action& action) {
  auto ao = std::make_shared<AccountOptions>();
  auto* account = root.add_subcommand("account", "Staff accounts made by the operator");
  account->require_subcommand(1);
  auto* create = account->add_subcommand(
      "create", "Make a staff account (the first administrator or clinical lead)");
  create->add_option("--db", ao->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  create->add_option("--secret-key-file", ao->keyFile, "The server's key file (as for serve)");
  create->add_option("--username", ao->username, "Sign-in name")->required();
  create->add_option("--display-name", ao->displayName, "Name shown to colleagues")->required();
  create->add_option("--role", ao->roles, "A role (repeat for more)")->required();
  create->add_option("--service", ao->services, "A service id, for service staff (repeat)");
  create->callback([ao, &action] { action = [ao] { return CreateAccountCmd(*ao); }; });

  auto db = std::make_shared<std::string>();
  auto nhs = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* exp = root.add_subcommand(
      "export-person", "Everything held about one young person (subject access request)");
  exp->add_option("--db", *db, "SQLite database file")->required()->check(CLI::ExistingFile);
  exp->add_option("--nhs-number", *nhs, "The young person's NHS number")->required();
  exp->add_option("--out", *out, "Write the JSON bundle here instead of standard output");
  exp->add_option("--secret-key-file", *key, "The server's key file (as for serve)");
  exp->callback([db, nhs, out, key, &action] {
    action = [db, nhs, out, key] { return ExportPerson(*db, *nhs, *out, *key); };
  });

  auto pdb = std::make_shared<std::string>();
  auto days = std::make_shared<int>(8 * 365);
  auto dry = std::make_shared<bool>(false);
  auto* purge = root.add_subcommand(
      "purge", "Pseudonymise referrals closed longer than the retention period");
  purge->add_option("--db", *pdb, "SQLite database file")->required()->check(CLI::ExistingFile);
  purge->add_option("--retention-days", *days, "Days after closing that identifiable data is kept")
      ->check(CLI::Range(1, 100 * 365))
      ->capture_default_str();
  purge->add_flag("--dry-run", *dry, "Only say what would be pseudonymised");
  purge->add_option("--secret-key-file", *key, "The server's key file (as for serve)");
  purge->callback([pdb, days, dry, key, &action] {
    action = [pdb, days, dry, key] { return PurgeCmd(*pdb, *days, *dry, *key); };
  });
}

}  // namespace waymark::cli
