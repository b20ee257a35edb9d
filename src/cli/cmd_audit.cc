// `waymark audit verify` (is the hash chain whole?) and `waymark audit show` (who read or
// changed what, for an information governance review).
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "domain/identifiers.h"
#include "security/tokens.h"
#include "store/audit_chain.h"

namespace waymark::cli {
namespace {

int Verify(const std::string& db) {
  security::InitCrypto();
  auto store = OpenStore(db);
  if (!store.ok()) {
    std::cerr << "waymark audit verify: " << store.status().message() << "\n";
    return 1;
  }
  std::vector<store::AuditEntry> entries;
  auto st = (*store)->ForEachAudit([&](const store::AuditEntry& e) { entries.push_back(e); });
  if (!st.ok()) {
    std::cerr << "waymark audit verify: " << st.message() << "\n";
    return 1;
  }
  auto problems = store::VerifyAuditChain(entries);
  if (problems.empty()) {
    std::cout << "Audit chain intact: " << entries.size() << " entries.\n";
    return 0;
  }
  std::cout << "Audit chain BROKEN: " << problems.size() << " problem(s) in " << entries.size()
            << " entries.\n";
  for (const auto& p : problems) {
    std::cout << "  entry " << p.seq << ": " << p.kind << " - " << p.message << "\n";
  }
  return 1;
}

struct ShowOptions {
  std::string db, person, record, actor, from, to;
  int limit = 1000;
};

int Show(const ShowOptions& o) {
  security::InitCrypto();
  auto store = OpenStore(o.db);
  if (!store.ok()) {
    std::cerr << "waymark audit show: " << store.status().message() << "\n";
    return 1;
  }
  store::AuditFilter f;
  f.actor = o.actor;
  f.limit = o.limit;
  for (auto [text, slot] : {std::pair{o.from, &f.from}, std::pair{o.to, &f.to}}) {
    if (text.empty()) continue;
    auto t = domain::ParseTimestamp(text.size() == 10 ? text + "T00:00:00Z" : text);
    if (!t) {
      std::cerr << "waymark audit show: --from/--to must be a date (2026-11-23) or a time "
                   "(2026-11-23T10:00:00Z)\n";
      return kUsageError;
    }
    *slot = *t;
  }
  if (!o.record.empty()) {
    std::string ref = security::NormaliseReference(o.record);
    f.records.push_back("referral/" + (ref.empty() ? o.record : ref));
  }
  if (!o.person.empty()) {
    auto nhs = domain::NormaliseNhsNumber(o.person);
    if (!nhs) {
      std::cerr << "waymark audit show: --person must be a valid NHS number\n";
      return kUsageError;
    }
    auto st = (*store)->ForEachReferral([&](const store::ReferralRow& r) {
      if (r.submission.value("youngPerson", nlohmann::json::object()).value("nhsNumber", "") ==
          *nhs) {
        f.records.push_back("referral/" + r.reference);
      }
    });
    if (!st.ok()) return 1;
    if (f.records.empty()) {
      std::cout << "No referral holds that NHS number.\n";
      return 0;
    }
  }
  auto rows = (*store)->FindAudit(f);
  if (!rows.ok()) {
    std::cerr << "waymark audit show: " << rows.status().message() << "\n";
    return 1;
  }
  // The review itself is recorded.
  store::AuditEntry self;
  self.at = domain::SystemClock().Now();
  self.actor = CommandLineActor();
  self.role = "cli";
  self.action = "audit.show";
  self.fields = o.person.empty() ? "" : "person";
  self.record = o.record.empty() ? "" : "referral/" + o.record;
  self.client = "local";
  (void)(*store)->AppendAudit(self);
  std::cout << "seq\tat\tactor\trole\taction\trecord\tfields\tfrom\treason\n";
  for (const auto& a : rows.value()) {
    std::cout << a.seq << "\t" << domain::FormatTimestamp(a.at) << "\t" << a.actor << "\t" << a.role
              << "\t" << a.action << "\t" << a.record << "\t" << a.fields << "\t" << a.client
              << "\t" << a.reason << "\n";
  }
  std::cerr << rows->size() << " entr" << (rows->size() == 1 ? "y" : "ies") << ".\n";
  return 0;
}

}  // namespace

void AddAuditCommands(CLI::App& root, Action& action) {
  auto* audit = root.add_subcommand("audit", "The audit log: verify the chain, show entries");
  audit->require_subcommand(1);
  auto vdb = std::make_shared<std::string>();
  auto* verify = audit->add_subcommand("verify", "Check the hash chain; name every broken entry");
  verify->add_option("--db", *vdb, "SQLite database file")->required()->check(CLI::ExistingFile);
  verify->callback([vdb, &action] { action = [vdb] { return Verify(*vdb); }; });

  auto o = std::make_shared<ShowOptions>();
  auto* show = audit->add_subcommand("show", "Who read or changed what (tab-separated)");
  show->add_option("--db", o->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  show->add_option("--person", o->person, "NHS number of the young person");
  show->add_option("--record", o->record, "Referral reference");
  show->add_option("--actor", o->actor, "Account id or command-line user");
  show->add_option("--from", o->from, "From this date or time");
  show->add_option("--to", o->to, "Up to this date or time");
  show->add_option("--limit", o->limit, "Most entries shown")->check(CLI::Range(1, 1000000));
  show->callback([o, &action] { action = [o] { return Show(*o); }; });
}

}  // namespace waymark::cli
