// SqliteStore: the embedded store. One writer thread owns the only read-write connection and
// commits concurrent commands together (group commit): each command runs inside its own
// SAVEPOINT, so it is atomic on its own, and one fsync makes a whole batch durable. Callers
// block until their batch is committed, so Ok always means "on disk". Readers use a pool
// of read-only connections (WAL lets them run beside the writer).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "store/audit_chain.h"
#include "store/migrations.h"
#include "store/report_counts.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace waymark::store {
namespace {

using domain::FormatTimestamp;
using nlohmann::json;

Timestamp ParseTs(const std::string& s) {
  auto t = domain::ParseTimestamp(s);
  return t ? *t : Timestamp{};
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

std::vector<std::string> SplitRoles(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

#define WM_PREPARE(var, db, sql)              \
  auto var##_r = (db).Prepare(sql);           \
  if (!var##_r.ok()) return var##_r.status(); \
  StmtScope var(**var##_r)

Status StepDone(SqliteDb& db, StmtScope& s) {
  int rc = s->Step();
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc == SQLITE_CONSTRAINT) return Status::Conflict("already exists: " + db.LastError());
  return Status::Unavailable("database write failed: " + db.LastError());
}

const char* kReferralColumns =
    "reference, token_hash, status, owner, received_at, updated_at, version, source, "
    "referrer_type, age_on_receipt, postcode_district, locality, gender, ethnic_category, "
    "crisis, submission, priority, priority_rank, thrive_group, decision, model_version, "
    "triage_due_at, service_id, clock_start_at, breach_due_at, clock_stop_at, needs_review, "
    "outcome, family_message, birth_date, needs, recommended_service, confidentiality, "
    "safeguarding_override, near_breach_alert_at";
constexpr int kReferralColumnCount = 35;
// The same columns with the two large JSON documents left out, for lists.
const char* kListColumns =
    "reference, token_hash, status, owner, received_at, updated_at, version, source, "
    "referrer_type, age_on_receipt, postcode_district, locality, gender, ethnic_category, "
    "crisis, NULL, priority, priority_rank, thrive_group, NULL, model_version, "
    "triage_due_at, service_id, clock_start_at, breach_due_at, clock_stop_at, needs_review, "
    "outcome, family_message, birth_date, needs, recommended_service, confidentiality, "
    "safeguarding_override, near_breach_alert_at";

std::optional<Timestamp> OptTs(Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return ParseTs(s.Text(col));
}

std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

ReferralRow ReadReferral(Stmt& s) {
  ReferralRow r;
  r.reference = s.Text(0);
  r.tokenHash = s.Text(1);
  r.status = s.Text(2);
  r.owner = s.Text(3);
  r.receivedAt = ParseTs(s.Text(4));
  r.updatedAt = ParseTs(s.Text(5));
  r.version = s.Int(6);
  r.source = s.Text(7);
  r.referrerType = s.Text(8);
  r.ageOnReceipt = static_cast<int>(s.Int(9));
  r.postcodeDistrict = s.Text(10);
  r.locality = s.Text(11);
  r.gender = s.Text(12);
  r.ethnicCategory = s.Text(13);
  r.crisis = s.Int(14) != 0;
  r.complete = !s.IsNull(15);
  if (r.complete) r.submission = json::parse(s.Text(15), nullptr, false);
  r.priority = s.Text(16);
  r.priorityRank = static_cast<int>(s.Int(17));
  r.thriveGroup = s.Text(18);
  if (!s.IsNull(19)) r.decision = json::parse(s.Text(19), nullptr, false);
  r.modelVersion = s.Text(20);
  r.triageDueAt = OptTs(s, 21);
  r.serviceId = s.Text(22);
  r.clockStartAt = OptTs(s, 23);
  r.breachDueAt = OptTs(s, 24);
  r.clockStopAt = OptTs(s, 25);
  r.needsReview = s.Int(26) != 0;
  r.outcome = s.Text(27);
  r.familyMessage = s.Text(28);
  r.birthDate = s.Text(29);
  r.needs = SplitRoles(s.Text(30));
  r.recommendedService = s.Text(31);
  if (!s.IsNull(32)) r.confidentiality = json::parse(s.Text(32), nullptr, false);
  r.safeguardingOverride = s.Int(33) != 0;
  r.nearBreachAlertAt = OptTs(s, 34);
  return r;
}

// Binds every column of kReferralColumns in order, starting at `first`. One bind per
// statement, so the column numbers are plain to read and to check.
void BindReferral(StmtScope& s, const ReferralRow& r, int first) {
  int i = first;
  auto text = [&](const std::string& v) { s->Bind(i++, v); };
  auto opt = [&](const std::string& v) { s->BindNullIfEmpty(i++, v); };
  auto num = [&](int64_t v) { s->Bind(i++, v); };
  auto ts = [&](const std::optional<Timestamp>& t) {
    opt(t ? FormatTimestamp(*t) : std::string());
  };
  auto doc = [&](const json& j) { opt(j.is_null() ? std::string() : j.dump()); };
  text(r.reference);
  text(r.tokenHash);
  text(r.status);
  text(r.owner);
  text(FormatTimestamp(r.receivedAt));
  text(FormatTimestamp(r.updatedAt));
  num(r.version);
  text(r.source);
  text(r.referrerType);
  num(r.ageOnReceipt);
  opt(r.postcodeDistrict);
  opt(r.locality);
  opt(r.gender);
  opt(r.ethnicCategory);
  num(r.crisis ? 1 : 0);
  text(r.submission.dump());
  opt(r.priority);
  num(r.priorityRank);
  opt(r.thriveGroup);
  doc(r.decision);
  opt(r.modelVersion);
  ts(r.triageDueAt);
  opt(r.serviceId);
  ts(r.clockStartAt);
  ts(r.breachDueAt);
  ts(r.clockStopAt);
  num(r.needsReview ? 1 : 0);
  opt(r.outcome);
  opt(r.familyMessage);
  opt(r.birthDate);
  opt(JoinRoles(r.needs));
  opt(r.recommendedService);
  doc(r.confidentiality);
  num(r.safeguardingOverride ? 1 : 0);
  ts(r.nearBreachAlertAt);
}

Status InsertReferral(SqliteDb& db, const ReferralRow& r) {
  WM_PREPARE(s, db,
             std::string("INSERT INTO referrals (") + kReferralColumns + ") VALUES (" +
                 Placeholders(kReferralColumnCount) + ")");
  BindReferral(s, r, 1);
  return StepDone(db, s);
}

Status InsertEvent(SqliteDb& db, const Event& e) {
  WM_PREPARE(s, db,
             "INSERT INTO events (id, reference, kind, actor, at, reason, data) "
             "VALUES (?,?,?,?,?,?,?)");
  s->Bind(1, e.id).Bind(2, e.reference).Bind(3, e.kind).Bind(4, e.actor);
  s->Bind(5, FormatTimestamp(e.at)).BindNullIfEmpty(6, e.reason);
  s->BindNullIfEmpty(7, e.data.is_null() ? std::string() : e.data.dump());
  return StepDone(db, s);
}

// ---- Report counts (store/report_counts.h), kept in the same transaction as each change.

// The referral columns the report counts read.
const char* kCountedColumns =
    "reference, received_at, source, locality, age_on_receipt, gender, ethnic_category, "
    "thrive_group, status, service_id, clock_start_at, clock_stop_at, breach_due_at";

ReferralRow ReadCounted(Stmt& s) {
  ReferralRow r;
  r.complete = false;
  r.reference = s.Text(0);
  r.receivedAt = ParseTs(s.Text(1));
  r.source = s.Text(2);
  r.locality = s.Text(3);
  r.ageOnReceipt = static_cast<int>(s.Int(4));
  r.gender = s.Text(5);
  r.ethnicCategory = s.Text(6);
  r.thriveGroup = s.Text(7);
  r.status = s.Text(8);
  r.serviceId = s.Text(9);
  r.clockStartAt = OptTs(s, 10);
  r.clockStopAt = OptTs(s, 11);
  r.breachDueAt = OptTs(s, 12);
  return r;
}

bool IsCountedKind(const std::string& kind) {
  return std::find(kCountedEventKinds.begin(), kCountedEventKinds.end(), kind) !=
         kCountedEventKinds.end();
}

// "kind IN ('referral.routed', ...)" for the counted event kinds.
std::string CountedKindsSql() {
  std::string out = "kind IN (";
  for (size_t i = 0; i < kCountedEventKinds.size(); ++i) {
    out += (i ? ",'" : "'") + kCountedEventKinds[i] + "'";
  }
  return out + ")";
}

const char* kEventColumns = "id, reference, kind, actor, at, reason, data";

Event ReadEvent(Stmt& s) {
  return Event{s.Text(0),
               s.Text(1),
               s.Text(2),
               s.Text(3),
               ParseTs(s.Text(4)),
               s.Text(5),
               s.IsNull(6) ? json() : json::parse(s.Text(6), nullptr, false)};
}

// The contact columns report counts read. Migration 010 reads them, before 011 added the
// purpose, so they leave it out.
const char* kContactColumns =
    "id, reference, service_id, booked_for, mechanism, attend_status, created_at, recorded_at";
const char* kContactColumnsWithPurpose =
    "id, reference, service_id, booked_for, mechanism, attend_status, created_at, recorded_at, "
    "purpose";

ContactRow ReadContact(Stmt& s) {
  return ContactRow{s.Text(0), s.Text(1), s.Text(2),          ParseTs(s.Text(3)),
                    s.Text(4), s.Text(5), ParseTs(s.Text(6)), OptTs(s, 7)};
}

// Reads the counted events and the contacts of one referral into `f`.
Status LoadCountedFacts(SqliteDb& db, const std::string& reference, ReferralFacts& f) {
  {
    WM_PREPARE(s, db,
               std::string("SELECT ") + kEventColumns + " FROM events WHERE reference = ? AND " +
                   CountedKindsSql());
    s->Bind(1, reference);
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) f.events.push_back(ReadEvent(*s));
    if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
  }
  WM_PREPARE(s, db,
             std::string("SELECT ") + kContactColumns + " FROM contacts WHERE reference = ?");
  s->Bind(1, reference);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) f.contacts.push_back(ReadContact(*s));
  if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
  return Status::Ok();
}

// Adds each non-zero change to report_counts; a count that falls to 0 is deleted.
Status AddCounts(SqliteDb& db, const Counts& delta) {
  for (const auto& [k, n] : delta) {
    if (n == 0) continue;
    {
      WM_PREPARE(s, db,
                 "INSERT INTO report_counts (measure, period, key, value, n) VALUES (?,?,?,?,?) "
                 "ON CONFLICT (measure, period, key, value) DO UPDATE SET n = n + excluded.n");
      s->Bind(1, k.measure).Bind(2, k.period).Bind(3, k.key).Bind(4, k.value).Bind(5, n);
      if (auto st = StepDone(db, s); !st.ok()) return st;
    }
    if (n < 0) {
      WM_PREPARE(s, db,
                 "DELETE FROM report_counts WHERE measure = ? AND period = ? AND key = ? AND "
                 "value = ? AND n = 0");
      s->Bind(1, k.measure).Bind(2, k.period).Bind(3, k.key).Bind(4, k.value);
      if (auto st = StepDone(db, s); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

// Recounts report_counts from every referral, its counted events and contacts (three
// streams in reference order, merged).
Status RebuildCountsOn(SqliteDb& db) {
  if (auto st = db.Exec("DELETE FROM report_counts"); !st.ok()) return st;
  WM_PREPARE(refs, db,
             std::string("SELECT ") + kCountedColumns + " FROM referrals ORDER BY reference");
  WM_PREPARE(evs, db,
             std::string("SELECT ") + kEventColumns + " FROM events WHERE " + CountedKindsSql() +
                 " ORDER BY reference");
  WM_PREPARE(cts, db,
             std::string("SELECT ") + kContactColumns + " FROM contacts ORDER BY reference");
  Counts all;
  int ev_rc = evs->Step(), ct_rc = cts->Step();
  int rc;
  while ((rc = refs->Step()) == SQLITE_ROW) {
    ReferralFacts f;
    f.row = ReadCounted(*refs);
    const std::string& ref = f.row.reference;
    while (ev_rc == SQLITE_ROW && evs->Text(1) <= ref) {
      if (evs->Text(1) == ref) f.events.push_back(ReadEvent(*evs));
      ev_rc = evs->Step();
    }
    while (ct_rc == SQLITE_ROW && cts->Text(1) <= ref) {
      if (cts->Text(1) == ref) f.contacts.push_back(ReadContact(*cts));
      ct_rc = cts->Step();
    }
    AddContributions(f, +1, all);
  }
  for (int code : {rc, ev_rc, ct_rc}) {
    if (code != SQLITE_DONE && code != SQLITE_ROW) {
      return Status::Unavailable("recount failed: " + db.LastError());
    }
  }
  WM_PREPARE(ins, db,
             "INSERT INTO report_counts (measure, period, key, value, n) VALUES (?,?,?,?,?)");
  for (const auto& [k, n] : all) {
    if (n == 0) continue;
    ins->Bind(1, k.measure).Bind(2, k.period).Bind(3, k.key).Bind(4, k.value).Bind(5, n);
    if (auto st = StepDone(db, ins); !st.ok()) return st;
    ins->Reset();
  }
  return Status::Ok();
}

const char* kAlertColumns =
    "id, reference, code, message, raised_at, cleared_at, audience, cleared_reason, "
    "acknowledged_by, acknowledged_at";

AlertRow ReadAlert(Stmt& s) {
  AlertRow a;
  a.id = s.Text(0);
  a.reference = s.Text(1);
  a.code = s.Text(2);
  a.message = s.Text(3);
  a.raisedAt = ParseTs(s.Text(4));
  a.clearedAt = OptTs(s, 5);
  a.audience = s.Text(6);
  a.clearedReason = s.Text(7);
  a.acknowledgedBy = s.Text(8);
  a.acknowledgedAt = OptTs(s, 9);
  return a;
}

Status InsertAlert(SqliteDb& db, const AlertRow& al) {
  WM_PREPARE(s, db,
             std::string("INSERT OR REPLACE INTO alerts (") + kAlertColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?,?)");
  auto ts = [](const std::optional<Timestamp>& t) {
    return t ? FormatTimestamp(*t) : std::string();
  };
  s->Bind(1, al.id).Bind(2, al.reference).Bind(3, al.code).Bind(4, al.message);
  s->Bind(5, FormatTimestamp(al.raisedAt)).BindNullIfEmpty(6, ts(al.clearedAt));
  s->Bind(7, al.audience.empty() ? std::string(kTriageAudience) : al.audience);
  s->BindNullIfEmpty(8, al.clearedReason).BindNullIfEmpty(9, al.acknowledgedBy);
  s->BindNullIfEmpty(10, ts(al.acknowledgedAt));
  return StepDone(db, s);
}

const char* kAuditColumns =
    "seq, at, actor, role, action, record, fields, client, reason, prev_hash, hash";

AuditEntry ReadAudit(Stmt& s) {
  AuditEntry a;
  a.seq = s.Int(0);
  a.at = ParseTs(s.Text(1));
  a.actor = s.Text(2);
  a.role = s.Text(3);
  a.action = s.Text(4);
  a.record = s.Text(5);
  a.fields = s.Text(6);
  a.client = s.Text(7);
  a.reason = s.Text(8);
  a.prevHash = s.Text(9);
  a.hash = s.Text(10);
  return a;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteOptions options) : options_(std::move(options)) {}

  ~SqliteStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
  }

  Status Open() {
    auto w = SqliteDb::Open(options_.path, false);
    if (!w.ok()) return w.status();
    writer_ = std::move(w.value());
    if (options_.syntheticDataOnly) {
      // Synthetic data only: no fsync, the rollback journal in memory (each page is written
      // once, not to the WAL and again at a checkpoint; readers wait out each short commit)
      // and a large page cache. A crash can leave the file unusable: generate it again.
      for (const char* pragma :
           {"PRAGMA synchronous=OFF", "PRAGMA journal_mode=MEMORY", "PRAGMA cache_size=-262144"}) {
        if (auto st = writer_->Exec(pragma); !st.ok()) return st;
      }
    }
    if (auto st = MigrateOn(*writer_); !st.ok()) return st;
    if (options_.auditKey) {
      if (auto st = AnchorAuditHead(); !st.ok()) return st;
    }
    writer_thread_ = std::thread([this] { WriterLoop(); });
    return Status::Ok();
  }

  Status Migrate() override {
    return Write([](SqliteDb& db) { return MigrateOn(db); });
  }

  Status CreateReferral(const ReferralRow& row, const std::vector<Event>& events,
                        const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) {
      if (auto st = InsertReferral(db, row); !st.ok()) return st;
      ReferralFacts facts{row, {}, {}};
      for (const auto& e : events) {
        if (auto st = InsertEvent(db, e); !st.ok()) return st;
        if (IsCountedKind(e.kind)) facts.events.push_back(e);
      }
      Counts counts;
      AddContributions(facts, +1, counts);
      if (auto st = AddCounts(db, counts); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
  }

  Status CreateReferrals(const std::vector<ReferralRow>& rows,
                         const std::vector<Event>& events) override {
    return Write([&](SqliteDb& db) {
      for (const auto& r : rows) {
        if (auto st = InsertReferral(db, r); !st.ok()) return st;
      }
      std::map<std::string, std::vector<Event>> counted;
      for (const auto& e : events) {
        if (auto st = InsertEvent(db, e); !st.ok()) return st;
        if (IsCountedKind(e.kind)) counted[e.reference].push_back(e);
      }
      Counts counts;
      for (const auto& r : rows) AddContributions({r, counted[r.reference], {}}, +1, counts);
      return AddCounts(db, counts);
    });
  }

  Result<ReferralRow> GetReferral(const std::string& reference) override {
    return Read<ReferralRow>([&](SqliteDb& db) -> Result<ReferralRow> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kReferralColumns + " FROM referrals WHERE reference = ?");
      s->Bind(1, reference);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no referral " + reference);
      return ReadReferral(*s);
    });
  }

  Result<std::vector<ReferralRow>> ListReferrals(const ReferralFilter& f) override {
    return Read<std::vector<ReferralRow>>([&](SqliteDb& db) -> Result<std::vector<ReferralRow>> {
      std::string sql = std::string("SELECT ") + kReferralColumns + " FROM referrals";
      if (f.status) sql += " WHERE status = ?";
      sql += " ORDER BY crisis DESC, received_at ASC LIMIT ? OFFSET ?";
      WM_PREPARE(s, db, sql);
      int i = 1;
      if (f.status) s->Bind(i++, *f.status);
      s->Bind(i, f.limit).Bind(i + 1, f.offset);
      std::vector<ReferralRow> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadReferral(*s));
      return out;
    });
  }

  Status ForEachReferral(const std::function<void(const ReferralRow&)>& fn) override {
    auto r = Read<int>([&](SqliteDb& db) -> Result<int> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kReferralColumns + " FROM referrals ORDER BY reference");
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) fn(ReadReferral(*s));
      if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
      return 0;
    });
    return r.status();
  }

  Result<int64_t> CountReferrals() override {
    return Read<int64_t>([&](SqliteDb& db) -> Result<int64_t> {
      WM_PREPARE(s, db, "SELECT COUNT(*) FROM referrals");
      if (s->Step() != SQLITE_ROW) return Status::Unavailable(db.LastError());
      return s->Int(0);
    });
  }

  Result<std::vector<Event>> EventsFor(const std::string& reference) override {
    return Read<std::vector<Event>>([&](SqliteDb& db) -> Result<std::vector<Event>> {
      WM_PREPARE(s, db,
                 "SELECT id, reference, kind, actor, at, reason, data FROM events "
                 "WHERE reference = ? ORDER BY at, rowid");
      s->Bind(1, reference);
      std::vector<Event> out;
      while (s->Step() == SQLITE_ROW) {
        Event e{s->Text(0),
                s->Text(1),
                s->Text(2),
                s->Text(3),
                ParseTs(s->Text(4)),
                s->Text(5),
                s->IsNull(6) ? json() : json::parse(s->Text(6), nullptr, false)};
        out.push_back(std::move(e));
      }
      return out;
    });
  }

  Status ApplyReferralCommand(const ReferralCommand& c) override {
    if (!c.row.complete) {
      // A list row lacks the submission; writing it back would erase it. A bug, not input.
      return Status::Internal("refusing to write a referral read by a list query");
    }
    return Write([&](SqliteDb& db) -> Status { return ApplyOn(db, c); });
  }

  // The body of ApplyReferralCommand, on the writer's connection inside its savepoint.
  Status ApplyOn(SqliteDb& db, const ReferralCommand& c) {
    // The referral's report counts move by (contributions after) - (contributions before),
    // read only when the command can change them (store/report_counts.h).
    ReferralFacts before;
    bool recount = false;
    {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kCountedColumns + " FROM referrals WHERE reference = ?");
      s->Bind(1, c.row.reference);
      if (s->Step() == SQLITE_ROW) {
        before.row = ReadCounted(*s);
        recount = !c.contacts.empty() || CountedColumnsDiffer(before.row, c.row) ||
                  std::any_of(c.events.begin(), c.events.end(),
                              [](const Event& e) { return IsCountedKind(e.kind); });
      }
    }
    if (recount) {
      if (auto st = LoadCountedFacts(db, c.row.reference, before); !st.ok()) return st;
    }
    {
      // Every column but the reference is replaced; version moves on by one. The reference
      // (?1) is only matched, never SET: setting a parent key, even to itself, makes SQLite
      // check every child table for rows that point at it, and alerts has no index on
      // reference, so each command scanned every alert.
      std::string cols = kReferralColumns;
      std::string set;
      size_t start = 0;
      int param = 0;
      while (start < cols.size()) {
        size_t comma = cols.find(',', start);
        std::string col =
            cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        col.erase(0, col.find_first_not_of(' '));
        ++param;
        if (col != "reference") {
          set += (set.empty() ? "" : ", ") + col + " = ?" + std::to_string(param);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      WM_PREPARE(s, db,
                 "UPDATE referrals SET " + set + " WHERE reference = ?1 AND version = ?" +
                     std::to_string(kReferralColumnCount + 1));
      ReferralRow row = c.row;
      row.version = c.expectedVersion + 1;
      BindReferral(s, row, 1);
      s->Bind(kReferralColumnCount + 1, c.expectedVersion);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) != 1) {
        return Status::Conflict(
            "Someone else changed this referral first. Reload it and check "
            "before acting again.");
      }
    }
    for (const auto& ct : c.contacts) {
      WM_PREPARE(s, db,
                 "INSERT OR REPLACE INTO contacts (id, reference, service_id, booked_for, "
                 "mechanism, attend_status, created_at, recorded_at, purpose) VALUES "
                 "(?,?,?,?,?,?,?,?,?)");
      s->Bind(1, ct.id).Bind(2, ct.reference).Bind(3, ct.serviceId);
      s->Bind(4, FormatTimestamp(ct.bookedFor)).Bind(5, ct.mechanism).Bind(6, ct.attendStatus);
      s->Bind(7, FormatTimestamp(ct.createdAt));
      s->BindNullIfEmpty(8, ct.recordedAt ? FormatTimestamp(*ct.recordedAt) : std::string());
      s->BindNullIfEmpty(9, ct.purpose);
      if (auto st = StepDone(db, s); !st.ok()) return st;
    }
    for (const auto& cl : c.clearAlerts) {
      WM_PREPARE(s, db,
                 "UPDATE alerts SET cleared_at = ?1, cleared_reason = ?2 WHERE reference = ?3 "
                 "AND cleared_at IS NULL AND (?4 = '' OR audience = ?4) AND (?5 = '' OR code = "
                 "?5)");
      s->Bind(1, FormatTimestamp(cl.at)).Bind(2, cl.reason).Bind(3, c.row.reference);
      s->Bind(4, cl.audience).Bind(5, cl.code);
      if (auto st = StepDone(db, s); !st.ok()) return st;
    }
    for (const auto& al : c.alerts) {
      if (auto st = InsertAlert(db, al); !st.ok()) return st;
    }
    for (const auto& e : c.events) {
      if (auto st = InsertEvent(db, e); !st.ok()) return st;
    }
    for (const auto& a : c.audits) {
      if (auto st = InsertAudit(db, a); !st.ok()) return st;
    }
    if (!recount) return Status::Ok();
    ReferralFacts after{c.row, before.events, before.contacts};
    for (const auto& e : c.events) {
      if (IsCountedKind(e.kind)) after.events.push_back(e);
    }
    for (const auto& ct : c.contacts) {
      auto same = std::find_if(after.contacts.begin(), after.contacts.end(),
                               [&](const ContactRow& o) { return o.id == ct.id; });
      if (same != after.contacts.end()) {
        *same = ct;
      } else {
        after.contacts.push_back(ct);
      }
    }
    Counts delta;
    AddContributions(after, +1, delta);
    AddContributions(before, -1, delta);
    return AddCounts(db, delta);
  }

  Result<std::vector<ReferralRow>> ListQueue(const QueueFilter& f) override {
    return Read<std::vector<ReferralRow>>([&](SqliteDb& db) -> Result<std::vector<ReferralRow>> {
      std::string sql =
          std::string("SELECT ") + kListColumns + " FROM referrals WHERE owner = 'triage-team'";
      if (f.priority) sql += " AND priority = ?";
      if (f.thriveGroup) sql += " AND thrive_group = ?";
      if (f.locality) sql += " AND locality = ?";
      if (f.minAge) sql += " AND age_on_receipt >= ?";
      if (f.maxAge) sql += " AND age_on_receipt <= ?";
      if (f.source) sql += " AND source = ?";
      sql += " ORDER BY priority_rank, triage_due_at, received_at LIMIT ?";
      WM_PREPARE(s, db, sql);
      int i = 1;
      if (f.priority) s->Bind(i++, *f.priority);
      if (f.thriveGroup) s->Bind(i++, *f.thriveGroup);
      if (f.locality) s->Bind(i++, *f.locality);
      if (f.minAge) s->Bind(i++, *f.minAge);
      if (f.maxAge) s->Bind(i++, *f.maxAge);
      if (f.source) s->Bind(i++, *f.source);
      s->Bind(i++, f.limit);
      std::vector<ReferralRow> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadReferral(*s));
      return out;
    });
  }

  Result<std::vector<ReferralRow>> ListWaiting(const std::string& service_id, int limit) override {
    return ListForService(service_id, "waiting", "breach_due_at, clock_start_at, reference", limit);
  }

  Result<int64_t> CountWaitingAhead(const ReferralRow& row) override {
    return Read<int64_t>([&](SqliteDb& db) -> Result<int64_t> {
      // ListWaiting's order, counted in three index ranges: entries without a due time (they
      // sort first), those due earlier, and those due at the same time that sort before.
      // ?2 is NULL when the row has no due time; comparisons with NULL match nothing.
      WM_PREPARE(
          s, db,
          "SELECT (SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND status = "
          "'waiting' AND breach_due_at IS NULL AND (?2 IS NOT NULL OR "
          "(COALESCE(clock_start_at, ''), reference) < (?3, ?4))) + "
          "(SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND status = 'waiting' "
          "AND breach_due_at < ?2) + "
          "(SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND status = 'waiting' "
          "AND breach_due_at = ?2 AND (COALESCE(clock_start_at, ''), reference) < (?3, ?4))");
      s->Bind(1, row.serviceId);
      s->BindNullIfEmpty(2, row.breachDueAt ? FormatTimestamp(*row.breachDueAt) : std::string());
      s->Bind(3, row.clockStartAt ? FormatTimestamp(*row.clockStartAt) : std::string());
      s->Bind(4, row.reference);
      if (s->Step() != SQLITE_ROW) return Status::Unavailable("read failed: " + db.LastError());
      return s->Int(0);
    });
  }

  Result<std::vector<ReferralRow>> ListInbox(const std::string& service_id, int limit) override {
    return ListForService(service_id, "routed", "priority_rank, updated_at", limit);
  }

  Result<std::vector<ReferralRow>> ListReview(const std::string& service_id, int limit) override {
    return Read<std::vector<ReferralRow>>([&](SqliteDb& db) -> Result<std::vector<ReferralRow>> {
      // The partial index referrals_review holds only rows with needs_review = 1.
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kListColumns +
                     " FROM referrals WHERE service_id = ? AND needs_review = 1 AND status IN "
                     "('waiting', 'in-care') ORDER BY updated_at, reference LIMIT ?");
      s->Bind(1, service_id).Bind(2, limit);
      std::vector<ReferralRow> out;
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadReferral(*s));
      if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
      return out;
    });
  }

  Result<std::vector<ReferralRow>> ListCaseload(const std::string& service_id, int limit) override {
    return ListForService(service_id, "in-care", "birth_date, reference", limit);
  }

  Result<std::map<std::string, int64_t>> CountServiceLists(const std::string& service_id) override {
    return Read<std::map<std::string, int64_t>>(
        [&](SqliteDb& db) -> Result<std::map<std::string, int64_t>> {
          WM_PREPARE(s, db,
                     "SELECT (SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND status = "
                     "'routed'), (SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND status "
                     "= 'waiting'), (SELECT COUNT(*) FROM referrals WHERE service_id = ?1 AND "
                     "needs_review = 1 AND status IN ('waiting', 'in-care')), (SELECT COUNT(*) "
                     "FROM referrals WHERE service_id = ?1 AND status = 'in-care')");
          s->Bind(1, service_id);
          if (s->Step() != SQLITE_ROW) return Status::Unavailable("read failed: " + db.LastError());
          return std::map<std::string, int64_t>{{"inbox", s->Int(0)},
                                                {"waiting", s->Int(1)},
                                                {"review", s->Int(2)},
                                                {"caseload", s->Int(3)}};
        });
  }

  Result<std::vector<std::string>> NearBreachDue(const std::string& service_id, Timestamp now,
                                                 int limit) override {
    return Read<std::vector<std::string>>([&](SqliteDb& db) -> Result<std::vector<std::string>> {
      // The partial index referrals_near_breach holds only clocks whose alert is still to come.
      WM_PREPARE(s, db,
                 "SELECT reference FROM referrals WHERE service_id = ? AND near_breach_alert_at IS "
                 "NOT NULL AND near_breach_alert_at <= ? ORDER BY near_breach_alert_at LIMIT ?");
      s->Bind(1, service_id).Bind(2, FormatTimestamp(now)).Bind(3, limit);
      std::vector<std::string> out;
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) out.push_back(s->Text(0));
      if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
      return out;
    });
  }

  Result<std::vector<ContactRow>> ContactsFor(const std::string& reference) override {
    return Read<std::vector<ContactRow>>([&](SqliteDb& db) -> Result<std::vector<ContactRow>> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kContactColumnsWithPurpose +
                     " FROM contacts WHERE reference = ? ORDER BY booked_for, created_at, id");
      s->Bind(1, reference);
      std::vector<ContactRow> out;
      while (s->Step() == SQLITE_ROW) {
        out.push_back(ReadContact(*s));
        out.back().purpose = s->Text(8);
      }
      return out;
    });
  }

  Status Pseudonymise(const ReferralRow& stripped, int64_t expected_version,
                      const AuditEntry& audit) override {
    ReferralCommand c;
    c.row = stripped;
    c.expectedVersion = expected_version;
    c.audits.push_back(audit);
    // One command: the row, the views and the audit entry go together or not at all.
    return Write([&](SqliteDb& db) -> Status {
      if (auto st = ApplyOn(db, c); !st.ok()) return st;
      {
        WM_PREPARE(s, db,
                   "UPDATE informant_views SET answers = '{\"pseudonymised\":true}' WHERE "
                   "informant_id IN (SELECT id FROM informants WHERE reference = ?)");
        s->Bind(1, stripped.reference);
        if (auto st = StepDone(db, s); !st.ok()) return st;
      }
      // Free text in the referral's events (override, decline, discharge reasons) and alerts;
      // kinds, times, coded data and the counts stay. Audit entries hold no free text.
      {
        WM_PREPARE(s, db,
                   "UPDATE events SET reason = ?2 WHERE reference = ?1 AND reason IS NOT NULL "
                   "AND reason <> ''");
        s->Bind(1, stripped.reference).Bind(2, kRemovedAtRetention);
        if (auto st = StepDone(db, s); !st.ok()) return st;
      }
      WM_PREPARE(s, db, "UPDATE alerts SET message = ?2 WHERE reference = ?1");
      s->Bind(1, stripped.reference).Bind(2, kRemovedAtRetention);
      return StepDone(db, s);
    });
  }

  Result<std::vector<AlertRow>> OpenAlerts(const std::string& audience, int limit) override {
    return Read<std::vector<AlertRow>>([&](SqliteDb& db) -> Result<std::vector<AlertRow>> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kAlertColumns +
                     " FROM alerts WHERE cleared_at IS NULL AND (?1 = '' OR audience = ?1) "
                     "ORDER BY raised_at DESC, id LIMIT ?2");
      s->Bind(1, audience).Bind(2, limit);
      std::vector<AlertRow> out;
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadAlert(*s));
      if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
      return out;
    });
  }

  Result<AlertRow> GetAlert(const std::string& id) override {
    return Read<AlertRow>([&](SqliteDb& db) -> Result<AlertRow> {
      WM_PREPARE(s, db, std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = ?");
      s->Bind(1, id);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("There is no alert with that id.");
      return ReadAlert(*s);
    });
  }

  Status AcknowledgeAlert(const std::string& id, const std::string& by, Timestamp at,
                          const Event& event, const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) -> Status {
      {
        WM_PREPARE(s, db, "SELECT cleared_at FROM alerts WHERE id = ?");
        s->Bind(1, id);
        if (s->Step() != SQLITE_ROW) return Status::NotFound("There is no alert with that id.");
        if (!s->IsNull(0)) return Status::Conflict("This alert was already cleared.");
      }
      WM_PREPARE(s, db,
                 "UPDATE alerts SET cleared_at = ?1, cleared_reason = 'acknowledged', "
                 "acknowledged_by = ?2, acknowledged_at = ?1 WHERE id = ?3 AND cleared_at IS NULL");
      s->Bind(1, FormatTimestamp(at)).Bind(2, by).Bind(3, id);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (auto st = InsertEvent(db, event); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
  }

  Status CreateInformant(const InformantRow& r, const Event& event,
                         const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db,
                 "INSERT INTO informants (id, reference, role, invite_token_hash, invited_at, "
                 "invited_by) VALUES (?,?,?,?,?,?)");
      s->Bind(1, r.id).Bind(2, r.reference).Bind(3, r.role).Bind(4, r.inviteTokenHash);
      s->Bind(5, FormatTimestamp(r.invitedAt)).Bind(6, r.invitedBy);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (auto st = InsertEvent(db, event); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
  }

  static InformantRow ReadInformant(Stmt& s) {
    return InformantRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), ParseTs(s.Text(4)), s.Text(5)};
  }

  Result<InformantRow> GetInformant(const std::string& id) override {
    return Read<InformantRow>([&](SqliteDb& db) -> Result<InformantRow> {
      WM_PREPARE(s, db,
                 "SELECT id, reference, role, invite_token_hash, invited_at, invited_by "
                 "FROM informants WHERE id = ?");
      s->Bind(1, id);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no informant " + id);
      return ReadInformant(*s);
    });
  }

  Result<std::vector<InformantRow>> InformantsFor(const std::string& reference) override {
    return Read<std::vector<InformantRow>>([&](SqliteDb& db) -> Result<std::vector<InformantRow>> {
      WM_PREPARE(s, db,
                 "SELECT id, reference, role, invite_token_hash, invited_at, invited_by "
                 "FROM informants WHERE reference = ? ORDER BY invited_at");
      s->Bind(1, reference);
      std::vector<InformantRow> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadInformant(*s));
      return out;
    });
  }

  Result<int> AddInformantView(const std::string& informant_id, Timestamp at, const json& answers,
                               const Event& event, const AuditEntry& audit) override {
    int version = 0;
    auto st = Write([&](SqliteDb& db) {
      {
        WM_PREPARE(
            s, db,
            "SELECT COALESCE(MAX(version), 0) + 1 FROM informant_views WHERE informant_id = ?");
        s->Bind(1, informant_id);
        if (s->Step() != SQLITE_ROW) return Status::Unavailable(db.LastError());
        version = static_cast<int>(s->Int(0));
      }
      WM_PREPARE(s, db,
                 "INSERT INTO informant_views (informant_id, version, submitted_at, answers) "
                 "VALUES (?,?,?,?)");
      s->Bind(1, informant_id)
          .Bind(2, version)
          .Bind(3, FormatTimestamp(at))
          .Bind(4, answers.dump());
      if (auto st = StepDone(db, s); !st.ok()) return st;
      Event e = event;
      e.data["version"] = version;
      if (auto st = InsertEvent(db, e); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
    if (!st.ok()) return st;
    return version;
  }

  Result<std::vector<InformantView>> ViewsFor(const std::string& informant_id) override {
    return Read<std::vector<InformantView>>(
        [&](SqliteDb& db) -> Result<std::vector<InformantView>> {
          WM_PREPARE(s, db,
                     "SELECT informant_id, version, submitted_at, answers FROM informant_views "
                     "WHERE informant_id = ? ORDER BY version");
          s->Bind(1, informant_id);
          std::vector<InformantView> out;
          while (s->Step() == SQLITE_ROW) {
            out.push_back({s->Text(0), static_cast<int>(s->Int(1)), ParseTs(s->Text(2)),
                           json::parse(s->Text(3), nullptr, false)});
          }
          return out;
        });
  }

  Status CreateAccount(const AccountRow& a, const std::optional<AuditEntry>& audit) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db,
                 "INSERT INTO accounts (id, username, display_name, password_hash, roles, "
                 "created_at, disabled, services, pending_approval, requested_by, approved_by, "
                 "approved_at, must_change_password, password_expires_at, second_factor_exempt) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      s->Bind(1, a.id).Bind(2, a.username).Bind(3, a.displayName).Bind(4, a.passwordHash);
      s->Bind(5, JoinRoles(a.roles)).Bind(6, FormatTimestamp(a.createdAt)).Bind(7, a.disabled);
      s->Bind(8, JoinRoles(a.services));
      BindAccountAdmin(s, a, 9);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      return audit ? InsertAudit(db, *audit) : Status::Ok();
    });
  }

  // Binds pending_approval .. second_factor_exempt (7 columns) from `first`.
  static void BindAccountAdmin(StmtScope& s, const AccountRow& a, int first) {
    s->Bind(first, a.pendingApproval).BindNullIfEmpty(first + 1, a.requestedBy);
    s->BindNullIfEmpty(first + 2, a.approvedBy);
    s->BindNullIfEmpty(first + 3, a.approvedAt ? FormatTimestamp(*a.approvedAt) : "");
    s->Bind(first + 4, a.mustChangePassword);
    s->BindNullIfEmpty(first + 5, a.passwordExpiresAt ? FormatTimestamp(*a.passwordExpiresAt) : "");
    s->Bind(first + 6, a.secondFactorExempt);
  }

  Status UpdateAccount(const AccountRow& a, const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) -> Status {
      {
        WM_PREPARE(s, db,
                   "UPDATE accounts SET pending_approval = ?1, requested_by = ?2, "
                   "approved_by = ?3, approved_at = ?4, must_change_password = ?5, "
                   "password_expires_at = ?6, second_factor_exempt = ?7, password_hash = ?8, "
                   "roles = ?9, services = ?10, disabled = ?11, display_name = ?12 "
                   "WHERE id = ?13");
        BindAccountAdmin(s, a, 1);
        s->Bind(8, a.passwordHash).Bind(9, JoinRoles(a.roles)).Bind(10, JoinRoles(a.services));
        s->Bind(11, a.disabled).Bind(12, a.displayName).Bind(13, a.id);
        if (auto st = StepDone(db, s); !st.ok()) return st;
        if (sqlite3_changes(db.raw()) != 1) return Status::NotFound("no such account");
      }
      if (a.disabled || a.pendingApproval) {
        WM_PREPARE(d, db, "DELETE FROM sessions WHERE account_id = ?");
        d->Bind(1, a.id);
        if (auto st = StepDone(db, d); !st.ok()) return st;
      }
      return InsertAudit(db, audit);
    });
  }

  Status SetPassword(const std::string& account_id, const std::string& hash) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db, "UPDATE accounts SET password_hash = ? WHERE id = ?");
      s->Bind(1, hash).Bind(2, account_id);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) == 0) return Status::NotFound("no account " + account_id);
      return Status::Ok();
    });
  }

  static constexpr const char* kAccountColumns =
      "id, username, display_name, password_hash, roles, created_at, disabled, services, "
      "failed_sign_ins, locked_until, totp_secret, totp_enabled, totp_last_step, "
      "pending_approval, requested_by, approved_by, approved_at, must_change_password, "
      "password_expires_at, second_factor_exempt";

  static AccountRow ReadAccount(Stmt& s) {
    AccountRow a{s.Text(0),          s.Text(1),    s.Text(2), s.Text(3), SplitRoles(s.Text(4)),
                 ParseTs(s.Text(5)), s.Int(6) != 0};
    a.services = SplitRoles(s.Text(7));
    a.failedSignIns = static_cast<int>(s.Int(8));
    a.lockedUntil = OptTs(s, 9);
    a.totpSecret = s.Text(10);
    a.totpEnabled = s.Int(11) != 0;
    a.totpLastStep = s.Int(12);
    a.pendingApproval = s.Int(13) != 0;
    a.requestedBy = s.Text(14);
    a.approvedBy = s.Text(15);
    a.approvedAt = OptTs(s, 16);
    a.mustChangePassword = s.Int(17) != 0;
    a.passwordExpiresAt = OptTs(s, 18);
    a.secondFactorExempt = s.Int(19) != 0;
    return a;
  }

  Result<AccountRow> GetAccountByUsername(const std::string& username) override {
    return Read<AccountRow>([&](SqliteDb& db) -> Result<AccountRow> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE username = ?");
      s->Bind(1, username);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no such account");
      return ReadAccount(*s);
    });
  }

  Result<AccountRow> GetAccount(const std::string& id) override {
    return Read<AccountRow>([&](SqliteDb& db) -> Result<AccountRow> {
      WM_PREPARE(s, db, std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE id = ?");
      s->Bind(1, id);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no such account");
      return ReadAccount(*s);
    });
  }

  Result<std::vector<AccountRow>> ListAccounts() override {
    return Read<std::vector<AccountRow>>([&](SqliteDb& db) -> Result<std::vector<AccountRow>> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kAccountColumns + " FROM accounts ORDER BY username");
      std::vector<AccountRow> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadAccount(*s));
      return out;
    });
  }

  Status SetAccountDisabled(const std::string& id, bool disabled,
                            const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) -> Status {
      {
        WM_PREPARE(s, db, "UPDATE accounts SET disabled = ? WHERE id = ?");
        s->Bind(1, disabled).Bind(2, id);
        if (auto st = StepDone(db, s); !st.ok()) return st;
        if (sqlite3_changes(db.raw()) != 1) return Status::NotFound("no such account");
      }
      if (disabled) {
        WM_PREPARE(d, db, "DELETE FROM sessions WHERE account_id = ?");
        d->Bind(1, id);
        if (auto st = StepDone(db, d); !st.ok()) return st;
      }
      return InsertAudit(db, audit);
    });
  }

  Status CreateSession(const SessionRow& r) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db,
                 "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, "
                 "enrol_only) VALUES (?,?,?,?,?,?)");
      s->Bind(1, r.idHash).Bind(2, r.accountId).Bind(3, FormatTimestamp(r.createdAt));
      s->Bind(4, FormatTimestamp(r.lastSeenAt)).Bind(5, FormatTimestamp(r.expiresAt));
      s->Bind(6, r.enrolOnly);
      return StepDone(db, s);
    });
  }

  Result<SessionRow> GetSession(const std::string& id_hash) override {
    return Read<SessionRow>([&](SqliteDb& db) -> Result<SessionRow> {
      WM_PREPARE(
          s, db,
          "SELECT id_hash, account_id, created_at, last_seen_at, expires_at, enrol_only FROM "
          "sessions WHERE id_hash = ?");
      s->Bind(1, id_hash);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no such session");
      return SessionRow{s->Text(0),          s->Text(1),          ParseTs(s->Text(2)),
                        ParseTs(s->Text(3)), ParseTs(s->Text(4)), s->Int(5) != 0};
    });
  }

  Status TouchSession(const std::string& id_hash, Timestamp at) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?");
      s->Bind(1, FormatTimestamp(at)).Bind(2, id_hash);
      return StepDone(db, s);
    });
  }

  Status DeleteSession(const std::string& id_hash) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db, "DELETE FROM sessions WHERE id_hash = ?");
      s->Bind(1, id_hash);
      return StepDone(db, s);
    });
  }

  Status DeleteSessionsFor(const std::string& account_id) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db, "DELETE FROM sessions WHERE account_id = ?");
      s->Bind(1, account_id);
      return StepDone(db, s);
    });
  }

  Status RecordSignInFailure(const std::string& account_id,
                             std::optional<Timestamp> lock_until) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db,
                 "UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1, "
                 "locked_until = COALESCE(?, locked_until) WHERE id = ?");
      s->BindNullIfEmpty(1, lock_until ? FormatTimestamp(*lock_until) : std::string());
      s->Bind(2, account_id);
      return StepDone(db, s);
    });
  }

  Status SetTotp(const std::string& account_id, const std::string& secret, bool enabled,
                 const std::vector<std::string>& hashes) override {
    return Write([&](SqliteDb& db) -> Status {
      {
        WM_PREPARE(s, db,
                   "UPDATE accounts SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0 "
                   "WHERE id = ?");
        s->BindNullIfEmpty(1, secret).Bind(2, enabled).Bind(3, account_id);
        if (auto st = StepDone(db, s); !st.ok()) return st;
        if (sqlite3_changes(db.raw()) != 1) return Status::NotFound("no such account");
      }
      {
        WM_PREPARE(d, db, "DELETE FROM recovery_codes WHERE account_id = ?");
        d->Bind(1, account_id);
        if (auto st = StepDone(db, d); !st.ok()) return st;
      }
      for (const auto& h : hashes) {
        WM_PREPARE(i, db, "INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)");
        i->Bind(1, account_id).Bind(2, h);
        if (auto st = StepDone(db, i); !st.ok()) return st;
      }
      return Status::Ok();
    });
  }

  Status SetTotpLastStep(const std::string& account_id, int64_t step) override {
    return Write([&](SqliteDb& db) -> Status {
      // Only forwards: two sign-ins racing with the same code cannot both pass.
      WM_PREPARE(s, db,
                 "UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?");
      s->Bind(1, step).Bind(2, account_id).Bind(3, step);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) != 1) return Status::Conflict("code already used");
      return Status::Ok();
    });
  }

  Status UseRecoveryCode(const std::string& account_id, const std::string& code_hash,
                         Timestamp at) override {
    return Write([&](SqliteDb& db) -> Status {
      WM_PREPARE(s, db,
                 "UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? "
                 "AND used_at IS NULL");
      s->Bind(1, FormatTimestamp(at)).Bind(2, account_id).Bind(3, code_hash);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) != 1) return Status::NotFound("no such unused code");
      return Status::Ok();
    });
  }

  Status ReplaceTotpSecret(const std::string& account_id, const std::string& expected,
                           const std::string& secret) override {
    return Write([&](SqliteDb& db) -> Status {
      WM_PREPARE(s, db, "UPDATE accounts SET totp_secret = ? WHERE id = ? AND totp_secret = ?");
      s->Bind(1, secret).Bind(2, account_id).Bind(3, expected);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) != 1) return Status::Conflict("the secret changed meanwhile");
      return Status::Ok();
    });
  }

  // --------------------------------------------------------- clinical configuration versions

  static Result<std::string> LiveConfigVersion(SqliteDb& db, const std::string& kind) {
    WM_PREPARE(s, db, "SELECT version FROM config_versions WHERE kind = ? AND state = 'published'");
    s->Bind(1, kind);
    return s->Step() == SQLITE_ROW ? s->Text(0) : std::string();
  }

  // Retires the live version of `kind` if it is `expected_live`; kConflict otherwise.
  static Status RetireLive(SqliteDb& db, const std::string& kind,
                           const std::string& expected_live) {
    auto live = LiveConfigVersion(db, kind);
    if (!live.ok()) return live.status();
    if (live.value() != expected_live) {
      return Status::Conflict("the live " + kind + " version changed meanwhile (now " +
                              (live->empty() ? std::string("none") : live.value()) + ")");
    }
    if (live->empty()) return Status::Ok();
    WM_PREPARE(s, db,
               "UPDATE config_versions SET state = 'retired' WHERE kind = ? AND version = ?");
    s->Bind(1, kind).Bind(2, live.value());
    return StepDone(db, s);
  }

  Status AddConfigVersion(const ConfigVersionRow& r, const std::string& expected_live,
                          const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) -> Status {
      if (r.state == "published") {
        if (auto st = RetireLive(db, r.kind, expected_live); !st.ok()) return st;
      }
      WM_PREPARE(s, db,
                 "INSERT INTO config_versions (kind, version, content, state, origin, summary, "
                 "created_by, created_at, published_by, published_at, file_seen_at) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      s->Bind(1, r.kind).Bind(2, r.version).Bind(3, r.content.dump()).Bind(4, r.state);
      s->Bind(5, r.origin).BindNullIfEmpty(6, r.summary).Bind(7, r.createdBy);
      s->Bind(8, FormatTimestamp(r.createdAt)).BindNullIfEmpty(9, r.publishedBy);
      s->BindNullIfEmpty(10, r.publishedAt ? FormatTimestamp(*r.publishedAt) : std::string());
      s->BindNullIfEmpty(11, r.fileSeenAt ? FormatTimestamp(*r.fileSeenAt) : std::string());
      if (auto st = StepDone(db, s); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
  }

  static ConfigVersionRow ReadConfigVersion(Stmt& s, bool with_content) {
    ConfigVersionRow r;
    r.kind = s.Text(0);
    r.version = s.Text(1);
    if (with_content) r.content = json::parse(s.Text(2), nullptr, false);
    r.state = s.Text(3);
    r.origin = s.Text(4);
    r.summary = s.Text(5);
    r.createdBy = s.Text(6);
    r.createdAt = ParseTs(s.Text(7));
    r.publishedBy = s.Text(8);
    r.publishedAt = OptTs(s, 9);
    r.fileSeenAt = OptTs(s, 10);
    return r;
  }

  Result<ConfigVersionRow> GetConfigVersion(const std::string& kind,
                                            const std::string& version) override {
    return Read<ConfigVersionRow>([&](SqliteDb& db) -> Result<ConfigVersionRow> {
      WM_PREPARE(s, db,
                 "SELECT kind, version, content, state, origin, summary, created_by, created_at, "
                 "published_by, published_at, file_seen_at FROM config_versions "
                 "WHERE kind = ? AND version = ?");
      s->Bind(1, kind).Bind(2, version);
      if (s->Step() != SQLITE_ROW) return Status::NotFound("no " + kind + " version " + version);
      return ReadConfigVersion(*s, true);
    });
  }

  Result<std::vector<ConfigVersionRow>> ListConfigVersions(const std::string& kind,
                                                           bool with_content) override {
    using Rows = std::vector<ConfigVersionRow>;
    return Read<Rows>([&](SqliteDb& db) -> Result<Rows> {
      WM_PREPARE(s, db,
                 std::string("SELECT kind, version, ") + (with_content ? "content" : "NULL") +
                     ", state, origin, summary, created_by, created_at, published_by, "
                     "published_at, file_seen_at FROM config_versions WHERE kind = ? "
                     "ORDER BY created_at DESC, rowid DESC");
      s->Bind(1, kind);
      Rows out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadConfigVersion(*s, with_content));
      return out;
    });
  }

  Status PublishConfigVersion(const std::string& kind, const std::string& version,
                              const std::string& expected_live, const std::string& by, Timestamp at,
                              const AuditEntry& audit) override {
    return Write([&](SqliteDb& db) -> Status {
      {
        WM_PREPARE(q, db, "SELECT 1 FROM config_versions WHERE kind = ? AND version = ?");
        q->Bind(1, kind).Bind(2, version);
        if (q->Step() != SQLITE_ROW) return Status::NotFound("no " + kind + " version " + version);
      }
      if (auto st = RetireLive(db, kind, expected_live); !st.ok()) return st;
      WM_PREPARE(s, db,
                 "UPDATE config_versions SET state = 'published', published_by = ?, "
                 "published_at = ? WHERE kind = ? AND version = ?");
      s->Bind(1, by).Bind(2, FormatTimestamp(at)).Bind(3, kind).Bind(4, version);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      return InsertAudit(db, audit);
    });
  }

  Status MarkConfigFileSeen(const std::string& kind, const std::string& version,
                            Timestamp at) override {
    return Write([&](SqliteDb& db) -> Status {
      WM_PREPARE(s, db,
                 "UPDATE config_versions SET file_seen_at = ? WHERE kind = ? AND version = ?");
      s->Bind(1, FormatTimestamp(at)).Bind(2, kind).Bind(3, version);
      if (auto st = StepDone(db, s); !st.ok()) return st;
      if (sqlite3_changes(db.raw()) != 1) return Status::NotFound("no " + kind + " " + version);
      return Status::Ok();
    });
  }

  Status ClearSignInFailures(const std::string& account_id) override {
    return Write([&](SqliteDb& db) {
      WM_PREPARE(s, db,
                 "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?");
      s->Bind(1, account_id);
      return StepDone(db, s);
    });
  }

  Status ForEachReportCount(const std::string& measure, const std::string& from,
                            const std::string& to,
                            const std::function<void(const ReportCount&)>& fn) override {
    return Read<int>([&](SqliteDb& db) -> Result<int> {
             WM_PREPARE(s, db,
                        "SELECT period, key, value, n FROM report_counts WHERE measure = ? AND "
                        "period >= ? AND period < ?");
             s->Bind(1, measure).Bind(2, from).Bind(3, to);
             int rc;
             while ((rc = s->Step()) == SQLITE_ROW) {
               fn(ReportCount{s->Text(0), s->Text(1), s->Int(2), s->Int(3)});
             }
             if (rc != SQLITE_DONE) return Status::Unavailable("read failed: " + db.LastError());
             return 0;
           })
        .status();
  }

  Status RebuildReportCounts() override {
    return Write([](SqliteDb& db) { return RebuildCountsOn(db); });
  }

  Status ForEachEvent(const std::vector<std::string>& kinds, const ReportRange& range,
                      const std::function<void(const Event&)>& fn) override {
    return Read<int>([&](SqliteDb& db) -> Result<int> {
             std::string sql =
                 "SELECT id, reference, kind, actor, at, reason, data FROM events WHERE at >= ? "
                 "AND at < ?";
             if (!kinds.empty()) {
               sql += " AND kind IN (";
               for (size_t i = 0; i < kinds.size(); ++i) sql += i ? ",?" : "?";
               sql += ")";
             }
             sql += " ORDER BY at";
             WM_PREPARE(s, db, sql);
             int i = 1;
             s->Bind(1, FormatTimestamp(range.from)).Bind(2, FormatTimestamp(range.to));
             i = 3;
             for (const auto& k : kinds) s->Bind(i++, k);
             while (s->Step() == SQLITE_ROW) {
               fn(Event{s->Text(0), s->Text(1), s->Text(2), s->Text(3), ParseTs(s->Text(4)),
                        s->Text(5),
                        s->IsNull(6) ? json() : json::parse(s->Text(6), nullptr, false)});
             }
             return 0;
           })
        .status();
  }

  Status ForEachContact(const ReportRange& range,
                        const std::function<void(const ContactRow&, int)>& fn) override {
    return Read<int>([&](SqliteDb& db) -> Result<int> {
             WM_PREPARE(s, db,
                        "SELECT c.id, c.reference, c.service_id, c.booked_for, c.mechanism, "
                        "c.attend_status, c.created_at, c.recorded_at, r.age_on_receipt FROM "
                        "contacts c JOIN referrals r ON r.reference = c.reference WHERE "
                        "c.booked_for >= ? AND c.booked_for < ?");
             s->Bind(1, FormatTimestamp(range.from)).Bind(2, FormatTimestamp(range.to));
             while (s->Step() == SQLITE_ROW) {
               fn(ContactRow{s->Text(0), s->Text(1), s->Text(2), ParseTs(s->Text(3)), s->Text(4),
                             s->Text(5), ParseTs(s->Text(6)), OptTs(*s, 7)},
                  static_cast<int>(s->Int(8)));
             }
             return 0;
           })
        .status();
  }

  Status AppendAudit(const AuditEntry& entry) override {
    return Write([&](SqliteDb& db) { return InsertAudit(db, entry); });
  }

  Result<std::vector<AuditEntry>> AuditFor(const std::string& record) override {
    AuditFilter f;
    f.records = {record};
    f.limit = 100000;
    return FindAudit(f);
  }

  Result<std::vector<AuditEntry>> FindAudit(const AuditFilter& f) override {
    return Read<std::vector<AuditEntry>>([&](SqliteDb& db) -> Result<std::vector<AuditEntry>> {
      std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE 1=1";
      if (!f.records.empty()) {
        sql += " AND record IN (";
        for (size_t i = 0; i < f.records.size(); ++i) sql += i ? ",?" : "?";
        sql += ")";
      }
      if (!f.actor.empty()) sql += " AND actor = ?";
      if (f.from) sql += " AND at >= ?";
      if (f.to) sql += " AND at <= ?";
      sql += " ORDER BY seq LIMIT ?";
      WM_PREPARE(s, db, sql);
      int i = 1;
      for (const auto& r : f.records) s->Bind(i++, r);
      if (!f.actor.empty()) s->Bind(i++, f.actor);
      if (f.from) s->Bind(i++, FormatTimestamp(*f.from));
      if (f.to) s->Bind(i++, FormatTimestamp(*f.to));
      s->Bind(i++, f.limit);
      std::vector<AuditEntry> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadAudit(*s));
      return out;
    });
  }

  Result<AuditHead> GetAuditHead() override {
    return Read<AuditHead>([&](SqliteDb& db) { return ReadAuditHead(db); });
  }

  Status ForEachAudit(const std::function<void(const AuditEntry&)>& fn) override {
    return Read<int>([&](SqliteDb& db) -> Result<int> {
             WM_PREPARE(s, db,
                        std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq");
             int rc;
             while ((rc = s->Step()) == SQLITE_ROW) fn(ReadAudit(*s));
             if (rc != SQLITE_DONE) return Status::Unavailable(db.LastError());
             return 0;
           })
        .status();
  }

 private:
  // Appends to the chain. Only the writer thread calls this, so "last entry" is stable. With
  // the audit key the entry gets its MAC and the signed head moves on in the same command.
  Status InsertAudit(SqliteDb& db, const AuditEntry& in) {
    AuditEntry a = in;
    a.seq = 1;
    a.prevHash = kAuditGenesis;
    {
      WM_PREPARE(last, db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (last->Step() == SQLITE_ROW) {
        a.seq = last->Int(0) + 1;
        if (!last->IsNull(1)) a.prevHash = last->Text(1);
      }
    }
    const auto& key = options_.auditKey;
    a.hash = key ? key->EntryMac(a, a.prevHash) : AuditHash(a, a.prevHash);
    {
      WM_PREPARE(s, db,
                 "INSERT INTO audit_log (seq, at, actor, role, action, record, fields, client, "
                 "reason, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      s->Bind(1, a.seq).Bind(2, FormatTimestamp(a.at)).Bind(3, a.actor).BindNullIfEmpty(4, a.role);
      s->Bind(5, a.action).BindNullIfEmpty(6, a.record).BindNullIfEmpty(7, a.fields);
      s->BindNullIfEmpty(8, a.client).BindNullIfEmpty(9, a.reason);
      s->Bind(10, a.prevHash).Bind(11, a.hash);
      if (auto st = StepDone(db, s); !st.ok()) return st;
    }
    if (!key) return Status::Ok();
    auditWritten_ = true;
    return PutAuditHead(db, a.seq, a.hash);
  }

  Status PutAuditHead(SqliteDb& db, int64_t seq, const std::string& hash) {
    WM_PREPARE(h, db,
               "INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?1, ?2, ?3) "
               "ON CONFLICT (id) DO UPDATE SET seq = ?1, hash = ?2, mac = ?3");
    h->Bind(1, seq).Bind(2, hash).Bind(3, options_.auditKey->HeadMac(seq, hash));
    return StepDone(db, h);
  }

  static Result<AuditHead> ReadAuditHead(SqliteDb& db) {
    auto r = db.Prepare("SELECT seq, hash, mac FROM audit_head WHERE id = 1");
    if (!r.ok()) return Status::Unavailable("the database has no audit head table");
    StmtScope s(**r);
    if (s->Step() != SQLITE_ROW) return Status::NotFound("no audit head");
    return AuditHead{s->Int(0), s->Text(1), s->Text(2)};
  }

  // At open, with the audit key: a database without a head gets one over its last entry (a
  // new database, or one upgraded to the keyed chain), and the head file is written. A head
  // and last entry that both fail under this key mean the wrong key file: refuse to open,
  // rather than start a second chain under another key.
  Status AnchorAuditHead() {
    SqliteDb& db = *writer_;
    std::optional<AuditEntry> last;
    {
      WM_PREPARE(
          s, db,
          std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (s->Step() == SQLITE_ROW) last = ReadAudit(*s);
    }
    auto head = ReadAuditHead(db);
    if (head.ok()) {
      const auto& key = *options_.auditKey;
      bool head_ok = key.HeadMac(head->seq, head->hash) == head->mac;
      bool last_ok = !last || (last->hash.rfind(kKeyedPrefix, 0) == 0 &&
                               key.EntryMac(*last, last->prevHash) == last->hash);
      if (!head_ok && !last_ok) {
        return Status::Invalid(
            "the audit key does not match this database's audit log: is the right "
            "--secret-key-file given? (run `waymark audit verify` to see what is wrong)");
      }
      return Status::Ok();
    }
    if (head.status().code() != ErrorCode::kNotFound) return head.status();
    int64_t seq = last ? last->seq : 0;
    std::string hash = last ? last->hash : std::string(kAuditGenesis);
    if (auto st = PutAuditHead(db, seq, hash); !st.ok()) return st;
    if (!options_.auditHeadFile.empty()) {
      return WriteAuditHeadFile(options_.auditHeadFile,
                                {seq, hash, options_.auditKey->HeadMac(seq, hash)});
    }
    return Status::Ok();
  }

  // After a commit that added audit entries: the head file follows the database's head. A
  // failure here cannot undo the commit; verify then says the file is behind.
  void WriteHeadFileAfterCommit() {
    if (!auditWritten_ || options_.auditHeadFile.empty()) return;
    auditWritten_ = false;
    auto head = ReadAuditHead(*writer_);
    if (head.ok()) (void)WriteAuditHeadFile(options_.auditHeadFile, head.value());
  }

  Result<std::vector<ReferralRow>> ListForService(const std::string& service_id, const char* status,
                                                  const char* order, int limit) {
    return Read<std::vector<ReferralRow>>([&](SqliteDb& db) -> Result<std::vector<ReferralRow>> {
      WM_PREPARE(s, db,
                 std::string("SELECT ") + kListColumns +
                     " FROM referrals WHERE service_id = ? AND status = ? ORDER BY " + order +
                     " LIMIT ?");
      s->Bind(1, service_id).Bind(2, status).Bind(3, limit);
      std::vector<ReferralRow> out;
      while (s->Step() == SQLITE_ROW) out.push_back(ReadReferral(*s));
      return out;
    });
  }

  struct WriteOp {
    std::function<Status(SqliteDb&)> fn;
    std::promise<Status> done;
  };

  static Status MigrateOn(SqliteDb& db) {
    if (auto st = db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                          "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        !st.ok()) {
      return st;
    }
    for (const auto& m : Migrations()) {
      WM_PREPARE(q, db, "SELECT 1 FROM schema_migrations WHERE version = ?");
      q->Bind(1, m.version);
      bool applied = q->Step() == SQLITE_ROW;
      q->Reset();
      if (applied) continue;
      if (auto st = db.Exec("SAVEPOINT migrate"); !st.ok()) return st;
      auto st = db.Exec(std::string(m.sql));
      // 010 adds the report counts: fill them from the referrals already stored; 013 adds
      // measures (routings by locality and source, decline reasons by code): count again.
      if (st.ok() && (m.version == 10 || m.version == 13)) st = RebuildCountsOn(db);
      if (st.ok()) {
        WM_PREPARE(ins, db,
                   "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)");
        ins->Bind(1, m.version)
            .Bind(2, m.name)
            .Bind(3, FormatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now())));
        st = StepDone(db, ins);
      }
      if (!st.ok()) {
        (void)db.Exec("ROLLBACK TO migrate");
        (void)db.Exec("RELEASE migrate");
        return Status::Internal("migration " + std::to_string(m.version) +
                                " failed: " + st.message());
      }
      if (auto st2 = db.Exec("RELEASE migrate"); !st2.ok()) return st2;
    }
    return Status::Ok();
  }

  // Queues `fn` for the writer thread and waits until its batch is durable.
  Status Write(std::function<Status(SqliteDb&)> fn) {
    auto op = std::make_unique<WriteOp>();
    op->fn = std::move(fn);
    auto fut = op->done.get_future();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Status::Unavailable("store is closing");
      queue_.push_back(std::move(op));
    }
    cv_.notify_one();
    return fut.get();
  }

  void WriterLoop() {
    for (;;) {
      std::vector<std::unique_ptr<WriteOp>> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && static_cast<int>(batch.size()) < options_.maxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      RunBatch(batch);
    }
  }

  void RunBatch(std::vector<std::unique_ptr<WriteOp>>& batch) {
    std::vector<Status> results(batch.size());
    Status begin = writer_->Exec("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (auto& op : batch) op->done.set_value(begin);
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Status st = writer_->Exec("SAVEPOINT cmd");
      if (st.ok()) st = batch[i]->fn(*writer_);
      if (!st.ok()) (void)writer_->Exec("ROLLBACK TO cmd");
      (void)writer_->Exec("RELEASE cmd");
      results[i] = st;
    }
    Status commit = writer_->Exec("COMMIT");
    if (!commit.ok()) {
      (void)writer_->Exec("ROLLBACK");
      auditWritten_ = false;
      for (auto& op : batch) op->done.set_value(commit);
      return;
    }
    WriteHeadFileAfterCommit();
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(results[i]);
  }

  // Runs `fn` on a pooled read-only connection.
  template <typename T>
  Result<T> Read(const std::function<Result<T>(SqliteDb&)>& fn) {
    std::unique_ptr<SqliteDb> db;
    {
      std::lock_guard lock(pool_mu_);
      if (!readers_.empty()) {
        db = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!db) {
      auto r = SqliteDb::Open(options_.path, true);
      if (!r.ok()) return r.status();
      db = std::move(r.value());
    }
    Result<T> out = fn(*db);
    std::lock_guard lock(pool_mu_);
    readers_.push_back(std::move(db));
    return out;
  }

  SqliteOptions options_;
  std::unique_ptr<SqliteDb> writer_;  // used only by writer_thread_ after Open()
  std::thread writer_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<WriteOp>> queue_;  // guarded by mu_
  bool stopping_ = false;                       // guarded by mu_
  bool auditWritten_ = false;                   // writer thread only: the batch added entries
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<SqliteDb>> readers_;  // guarded by pool_mu_
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  if (auto st = store->Open(); !st.ok()) return st;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace waymark::store
