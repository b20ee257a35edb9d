// `waymark audit verify` (is the hash chain whole?) and `waymark audit show` (who read or
// changed what, for an information governance review).
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/command.h"
#include "cli/common.h"
#include "domain/identifiers.h"
#include "security/tokens.h"
#include "store/audit_chain.h"

namespace waymark::cli {
namespace {

struct VerifyOptions {
  std::string db, keyFile, headFile;
};

// Opens the database without the key, so verifying never writes a head or an entry; the key
// (never created here) and the head file are read on their own.
int Verify(const VerifyOptions& o) {
  security::InitCrypto();
  auto store = store::OpenSqliteStore({o.db});
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
  store::AuditVerifyInput in;
  std::shared_ptr<const store::AuditKey> key;
  auto keys = LoadStoreKeys(o.db, o.keyFile, /*may_create=*/false);
  std::filesystem::path head_file = o.headFile;
  if (keys.ok()) {
    key = std::make_shared<store::AuditKey>(keys->box->DeriveKey("wmaudit1"));
    in.key = key.get();
    if (head_file.empty()) head_file = keys->headFile;
    std::cout << "Key file: " << keys->keyFile.string() << "\n";
  } else {
    std::cout << "No audit key (" << keys.status().message()
              << "): keyed entries cannot be checked.\n";
  }
  auto head = (*store)->GetAuditHead();
  in.headTable = head.ok() || head.status().code() == ErrorCode::kNotFound;
  if (head.ok()) in.dbHead = head.value();
  if (!head_file.empty()) {
    in.headFileChecked = true;
    auto fh = store::ReadAuditHeadFile(head_file);
    if (fh.ok()) {
      in.fileHead = fh.value();
    } else if (fh.status().code() != ErrorCode::kNotFound) {
      std::cout << "Head file: " << fh.status().message() << "\n";
      in.fileHead = store::AuditHead{-1, "", ""};  // unreadable: reported as altered
    }
    std::cout << "Head file: " << head_file.string() << "\n";
  }
  auto report = store::VerifyAuditLog(entries, in);
  for (const auto& n : report.notes) std::cout << "Note: " << n << ".\n";
  if (report.problems.empty()) {
    std::cout << "Audit chain intact: " << entries.size() << " entries";
    if (report.firstKeyed) std::cout << ", keyed (HMAC-SHA256) from #" << report.firstKeyed;
    if (in.dbHead) std::cout << ", signed head at #" << in.dbHead->seq;
    std::cout << ".\n";
    return 0;
  }
  std::cout << "Audit chain BROKEN: " << report.problems.size() << " problem(s) in "
            << entries.size() << " entries.\n";
  for (const auto& p : report.problems) {
    std::cout << "  entry " << p.seq << ": " << p.kind << " - " << p.message << "\n";
  }
  return 1;
}

struct ShowOptions {
  std::string db, keyFile, person, record, actor, from, to;
  int limit = 1000;
};

int Show(const ShowOptions& o) {
  security::InitCrypto();
  auto store = OpenStore(o.db, o.keyFile);
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
  // A free-text reason is kept in its event (decision 0012): show it beside the entry while
  // retention has not removed it.
  std::map<std::string, std::map<std::string, std::string>> reasons;  // reference -> id -> text
  auto reason_of = [&](const store::AuditEntry& a) {
    static constexpr std::string_view kSee = "see event ";
    if (a.reason.rfind(kSee, 0) != 0 || a.record.rfind("referral/", 0) != 0) return a.reason;
    std::string ref = a.record.substr(9);
    if (!reasons.count(ref)) {
      auto& m = reasons[ref];
      if (auto evs = (*store)->EventsFor(ref); evs.ok()) {
        for (const auto& e : evs.value()) m[e.id] = e.reason;
      }
    }
    auto it = reasons[ref].find(a.reason.substr(kSee.size()));
    return it == reasons[ref].end() ? a.reason : a.reason + ": " + it->second;
  };
  std::cout << "seq\tat\tactor\trole\taction\trecord\tfields\tfrom\treason\n";
  for (const auto& a : rows.value()) {
    std::cout << a.seq << "\t" << domain::FormatTimestamp(a.at) << "\t" << a.actor << "\t" << a.role
              << "\t" << a.action << "\t" << a.record << "\t" << a.fields << "\t" << a.client
              << "\t" << reason_of(a) << "\n";
  }
  std::cerr << rows->size() << " entr" << (rows->size() == 1 ? "y" : "ies") << ".\n";
  return 0;
}

}  // namespace

void AddAuditCommands(CLI::App& root, Action& action) {
  auto* audit = root.add_subcommand("audit", "The audit log: verify the chain, show entries");
  audit->require_subcommand(1);
  auto v = std::make_shared<VerifyOptions>();
  auto* verify = audit->add_subcommand(
      "verify", "Check the keyed chain and its head; name every altered, removed or added entry");
  verify->add_option("--db", v->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  verify->add_option("--secret-key-file", v->keyFile,
                     "The server's key file (as for serve); default: $WAYMARK_SECRET_KEY_FILE "
                     "or DB.key");
  verify->add_option("--audit-head-file", v->headFile,
                     "The chain head file; default: beside the key file, named DB.audit-head");
  verify->callback([v, &action] { action = [v] { return Verify(*v); }; });

  auto o = std::make_shared<ShowOptions>();
  auto* show = audit->add_subcommand("show", "Who read or changed what (tab-separated)");
  show->add_option("--db", o->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  show->add_option("--secret-key-file", o->keyFile, "The server's key file (as for serve)");
  show->add_option("--person", o->person, "NHS number of the young person");
  show->add_option("--record", o->record, "Referral reference");
  show->add_option("--actor", o->actor, "Account id or command-line user");
  show->add_option("--from", o->from, "From this date or time");
  show->add_option("--to", o->to, "Up to this date or time");
  show->add_option("--limit", o->limit, "Most entries shown")->check(CLI::Range(1, 1000000));
  show->callback([o, &action] { action = [o] { return Show(*o); }; });
}

}  // namespace waymark::cli
