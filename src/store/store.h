// The Store interface: every durable read and write Waymark makes. Workflow code speaks only
// to this interface; SqliteStore (embedded, default) and a PostgreSQL store implement it.
// Each write method is one atomic command: all of it is stored or none of it is, together
// with its events and audit entries. A write that returns Ok is durable (fsynced).
// Thread-safety: implementations are safe to call from many threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/status.h"

namespace waymark::store {

using domain::Timestamp;

// What free text becomes when retention pseudonymises a referral.
inline constexpr const char* kRemovedAtRetention = "[removed at retention]";

// A change of state: what, who, when, why. Reports read these.
struct Event {
  std::string id;
  std::string reference;
  std::string kind;  // e.g. "referral.received", "informant.invited"
  std::string actor;
  Timestamp at;
  std::string reason;
  nlohmann::json data;  // never identifiable data
};

// One read or change of identifiable data.
struct AuditEntry {
  int64_t seq = 0;  // assigned by the store
  Timestamp at;
  std::string actor;
  std::string role;
  std::string action;  // "referral.create", "referral.read", ...
  std::string record;  // e.g. "referral/ABCD-2345"
  std::string fields;  // which fields were read or changed
  std::string client;  // where from (address)
  std::string reason;
  std::string prevHash;  // the chain (store/audit_chain.h); set by the store
  std::string hash;
};

// The audit chain head: the last entry's number (0 when empty) and hash, and the audit key's
// MAC over them (store/audit_chain.h).
struct AuditHead {
  int64_t seq = 0;
  std::string hash = "waymark-audit-genesis";
  std::string mac;
};

class AuditKey;  // store/audit_chain.h

struct AuditFilter {
  std::vector<std::string> records;  // any of these records ("referral/WM-...")
  std::string actor;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  int limit = 1000;
};

struct ReferralRow {
  std::string reference;
  std::string tokenHash;
  std::string status;
  std::string owner;
  Timestamp receivedAt;
  Timestamp updatedAt;
  int64_t version = 1;
  std::string source;
  std::string referrerType;
  int ageOnReceipt = 0;
  std::string postcodeDistrict;
  std::string locality;
  std::string gender;
  std::string ethnicCategory;
  bool crisis = false;
  nlohmann::json submission;  // canonical JSON of domain::ReferralSubmission
  // Triage and navigation (empty / unset until they happen).
  std::string priority;  // emergency | very-urgent | urgent | routine
  // 1 emergency .. 4 routine: the queue's first sort key. Before triage, 1 when the request
  // signalled danger, else 3 (urgent): nobody has looked yet (workflow/intake.h).
  int priorityRank = 3;
  std::string thriveGroup;
  nlohmann::json decision;  // the engine's decision, with rulesFired
  std::string modelVersion;
  std::optional<Timestamp> triageDueAt;  // the triage team's clock
  std::string serviceId;                 // the service it is routed to
  std::optional<Timestamp> clockStartAt;
  std::optional<Timestamp> breachDueAt;
  std::optional<Timestamp> clockStopAt;
  bool needsReview = false;  // e.g. after a missed appointment
  // When the service's near-breach alert falls due; unset once raised or when no service
  // clock runs (routed or waiting, not stopped).
  std::optional<Timestamp> nearBreachAlertAt;
  std::string outcome;        // decline reason, discharge outcome, signposting...
  std::string familyMessage;  // what the family is told, in plain words
  // Copied out of the submission and decision so lists need not read those.
  std::string birthDate;           // YYYY-MM-DD
  std::vector<std::string> needs;  // need codes
  std::string recommendedService;  // the engine's first choice
  nlohmann::json confidentiality;  // the young person's choices (workflow/confidentiality.h)
  bool safeguardingOverride = false;
  // False for rows from list queries, which leave submission and decision unread.
  bool complete = true;
};

struct ContactRow {
  std::string id;
  std::string reference;
  std::string serviceId;
  Timestamp bookedFor;
  std::string mechanism;     // MHSDS ConsMechanismMH: 01, 02, 04, 11, ...
  std::string attendStatus;  // MHSDS AttendStatus: 0 future, 5, 6, 7, 2, 3, 4
  Timestamp createdAt;
  std::optional<Timestamp> recordedAt;
  // What the contact is for: "assessment", "treatment", "other", or "" when the booking did
  // not say (it then counts as the kind the service's clock waits for).
  std::string purpose;
};

inline constexpr const char* kTriageAudience = "triage-team";

struct AlertRow {
  std::string id;
  std::string reference;
  std::string code;
  std::string message;
  Timestamp raisedAt;
  std::optional<Timestamp> clearedAt;
  std::string audience = kTriageAudience;  // "triage-team" or "service:<id>"
  std::string clearedReason;               // "acknowledged", "left-triage", "clock-stopped"...
  std::string acknowledgedBy;              // account id
  std::optional<Timestamp> acknowledgedAt;
};

// Clears, inside a referral command, the referral's open alerts for one audience ("" for
// every audience) and, when `code` is set, of that code only.
struct AlertClearance {
  std::string audience;
  std::string reason;
  Timestamp at;
  std::string code;
};

// One atomic change of a referral: a compare-and-set of the row on `expectedVersion` (the
// stored version becomes expectedVersion + 1) with the contacts, alerts, events and audit
// entries that go with it.
struct ReferralCommand {
  ReferralRow row;
  int64_t expectedVersion = 0;
  std::vector<ContactRow> contacts;         // inserted, or replaced when the id exists
  std::vector<AlertRow> alerts;             // inserted, or replaced when the id exists
  std::vector<AlertClearance> clearAlerts;  // applied before `alerts` are inserted
  std::vector<Event> events;
  std::vector<AuditEntry> audits;
};

// The triage queue: referrals the triage team owns, by priority then by the triage clock.
struct QueueFilter {
  std::optional<std::string> priority;
  std::optional<std::string> thriveGroup;
  std::optional<std::string> locality;
  std::optional<int> minAge;
  std::optional<int> maxAge;
  std::optional<std::string> source;
  int limit = 50;
};

struct InformantRow {
  std::string id;
  std::string reference;
  std::string role;  // parent, school, young-person, other
  std::string inviteTokenHash;
  Timestamp invitedAt;
  std::string invitedBy;
};

struct InformantView {
  std::string informantId;
  int version = 0;
  Timestamp submittedAt;
  nlohmann::json answers;
};

struct AccountRow {
  std::string id;
  std::string username;
  std::string displayName;
  std::string passwordHash;
  std::vector<std::string> roles;
  Timestamp createdAt;
  bool disabled = false;
  std::vector<std::string> services;  // for service staff; "*" means every service
  int failedSignIns = 0;              // consecutive
  std::optional<Timestamp> lockedUntil;
  std::string totpSecret;    // base32; set at enrolment
  bool totpEnabled = false;  // enforced once confirmed
  int64_t totpLastStep = 0;  // the last time step accepted (no replay)
  // Migration 012 (docs/decisions/0012-security-controls.md).
  bool pendingApproval = false;  // clinical access waits for a clinical lead's approval
  std::string requestedBy;       // account id of the administrator who asked for it
  std::string approvedBy;        // account id of the clinical lead who approved it
  std::optional<Timestamp> approvedAt;
  bool mustChangePassword = false;  // holds an administrator's one-time password
  std::optional<Timestamp> passwordExpiresAt;
  bool secondFactorExempt = false;  // demo accounts, only while serving with --demo
};

struct SessionRow {
  std::string idHash;
  std::string accountId;
  Timestamp createdAt;
  Timestamp lastSeenAt;
  Timestamp expiresAt;
  bool enrolOnly = false;  // may only set up the second factor
};

struct ReferralFilter {
  std::optional<std::string> status;
  int limit = 100;
  int offset = 0;
};

// One version of the clinical configuration the clinical lead controls (migration 009): the
// triage decision model or the directory of services. The id is a content hash.
struct ConfigVersionRow {
  std::string kind;        // "model" | "directory"
  std::string version;     // model: "<name>@<hash>"; directory: "directory@<hash>"
  nlohmann::json content;  // model: [{"name", "text"}] DMN files; directory: {"services": [...]}
  std::string state;       // draft | published | retired
  std::string origin;      // file (the area's files at start) | upload | edit
  std::string summary;     // what changed, in words
  std::string createdBy;
  Timestamp createdAt;
  std::string publishedBy;  // who last made it live
  std::optional<Timestamp> publishedAt;
  std::optional<Timestamp> fileSeenAt;  // when serve last started with it in the files
};

// Reports: referrals received in [from, to).
struct ReportRange {
  Timestamp from;
  Timestamp to;
};

// One row of the report counts (store/report_counts.h).
struct ReportCount {
  std::string period;
  std::string key;
  int64_t value = 0;
  int64_t n = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies numbered migrations not yet applied. Idempotent.
  virtual Status Migrate() = 0;

  // Referrals. CreateReferral fails with kConflict if the reference exists (the caller makes
  // a new one and tries again), and stores the row, its events and audit entries together.
  virtual Status CreateReferral(const ReferralRow& row, const std::vector<Event>& events,
                                const AuditEntry& audit) = 0;
  // Many referrals in one durable transaction (bulk import). All or nothing.
  virtual Status CreateReferrals(const std::vector<ReferralRow>& rows,
                                 const std::vector<Event>& events) = 0;
  virtual Result<ReferralRow> GetReferral(const std::string& reference) = 0;
  virtual Result<std::vector<ReferralRow>> ListReferrals(const ReferralFilter& filter) = 0;
  // Calls `fn` for every referral in reference order, without holding them all in memory.
  virtual Status ForEachReferral(const std::function<void(const ReferralRow&)>& fn) = 0;
  virtual Result<int64_t> CountReferrals() = 0;
  virtual Result<std::vector<Event>> EventsFor(const std::string& reference) = 0;

  // Navigation. ApplyReferralCommand fails with kConflict when the stored version is not
  // `expectedVersion` (someone else acted first) and then changes nothing.
  virtual Status ApplyReferralCommand(const ReferralCommand& command) = 0;
  virtual Result<std::vector<ReferralRow>> ListQueue(const QueueFilter& filter) = 0;
  // A service's waiting list (status "waiting"), earliest breach first (then clock start,
  // then reference, so the order is total).
  virtual Result<std::vector<ReferralRow>> ListWaiting(const std::string& service_id,
                                                       int limit) = 0;
  // How many entries of the service's waiting list come before `row` in ListWaiting's order
  // (0 for the first), counted in the database.
  virtual Result<int64_t> CountWaitingAhead(const ReferralRow& row) = 0;
  // Referrals routed to a service and not yet answered (its inbox), oldest first.
  virtual Result<std::vector<ReferralRow>> ListInbox(const std::string& service_id, int limit) = 0;
  // The service's review list: waiting or in care with needsReview set (after a missed
  // appointment), the longest waiting for review first.
  virtual Result<std::vector<ReferralRow>> ListReview(const std::string& service_id, int limit) = 0;
  // The service's caseload (status "in-care"), the oldest young people first, so those
  // nearest a transition age come first.
  virtual Result<std::vector<ReferralRow>> ListCaseload(const std::string& service_id,
                                                        int limit) = 0;
  // Counts of a service's lists: "inbox", "waiting", "review", "caseload".
  virtual Result<std::map<std::string, int64_t>> CountServiceLists(
      const std::string& service_id) = 0;
  // References with `service_id` whose near-breach alert is due at `now`
  // (nearBreachAlertAt <= now), earliest first.
  virtual Result<std::vector<std::string>> NearBreachDue(const std::string& service_id,
                                                         Timestamp now, int limit) = 0;
  virtual Result<std::vector<ContactRow>> ContactsFor(const std::string& reference) = 0;
  // Open (not cleared) alerts, newest first; of one audience, or of all when it is "".
  virtual Result<std::vector<AlertRow>> OpenAlerts(const std::string& audience, int limit) = 0;
  virtual Result<AlertRow> GetAlert(const std::string& id) = 0;
  // Marks an open alert acknowledged (and so cleared) by `by` at `at`, with its event and
  // audit entry, in one command. kNotFound when there is no such alert; kConflict when it was
  // already cleared (the caller reads it again to say by whom).
  virtual Status AcknowledgeAlert(const std::string& id, const std::string& by, Timestamp at,
                                  const Event& event, const AuditEntry& audit) = 0;

  // Retention: replaces the referral row (already stripped of identifiable data by the
  // caller) on `expected_version`, blanks the answers of its informants' views and replaces
  // the free text of its events' reasons and alerts' messages with kRemovedAtRetention, with
  // an audit entry, in one command.
  virtual Status Pseudonymise(const ReferralRow& stripped, int64_t expected_version,
                              const AuditEntry& audit) = 0;

  // Informants and their views (each view a new version).
  virtual Status CreateInformant(const InformantRow& row, const Event& event,
                                 const AuditEntry& audit) = 0;
  virtual Result<InformantRow> GetInformant(const std::string& id) = 0;
  virtual Result<std::vector<InformantRow>> InformantsFor(const std::string& reference) = 0;
  // Stores the next version of the informant's view; returns its version number.
  virtual Result<int> AddInformantView(const std::string& informant_id, Timestamp at,
                                       const nlohmann::json& answers, const Event& event,
                                       const AuditEntry& audit) = 0;
  virtual Result<std::vector<InformantView>> ViewsFor(const std::string& informant_id) = 0;

  // Staff accounts and sessions.
  // With `audit`, the entry is written in the same command.
  virtual Status CreateAccount(const AccountRow& row,
                               const std::optional<AuditEntry>& audit = std::nullopt) = 0;
  // Replaces what an administrator or approver changes (password hash, roles, services,
  // disabled, approval, one-time password, exemption) with its audit entry, in one command.
  // Sign-in counters and the second factor are left alone. kNotFound when no such account.
  virtual Status UpdateAccount(const AccountRow& row, const AuditEntry& audit) = 0;
  virtual Status SetPassword(const std::string& account_id, const std::string& hash) = 0;
  virtual Result<AccountRow> GetAccountByUsername(const std::string& username) = 0;
  virtual Result<AccountRow> GetAccount(const std::string& id) = 0;
  virtual Result<std::vector<AccountRow>> ListAccounts() = 0;
  // Disables or enables an account; disabling also ends its sessions.
  virtual Status SetAccountDisabled(const std::string& id, bool disabled,
                                    const AuditEntry& audit) = 0;
  virtual Status CreateSession(const SessionRow& row) = 0;
  virtual Result<SessionRow> GetSession(const std::string& id_hash) = 0;
  virtual Status TouchSession(const std::string& id_hash, Timestamp at) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  // Ends every session of an account ("sign out everywhere").
  virtual Status DeleteSessionsFor(const std::string& account_id) = 0;
  // Records a failed sign-in; locks the account until `lock_until` when given.
  virtual Status RecordSignInFailure(const std::string& account_id,
                                     std::optional<Timestamp> lock_until) = 0;
  virtual Status ClearSignInFailures(const std::string& account_id) = 0;
  // Second factor. SetTotp replaces the secret and whether it is enforced; recovery codes are
  // replaced as a set; UseRecoveryCode marks one used (kNotFound when none unused matches).
  virtual Status SetTotp(const std::string& account_id, const std::string& secret, bool enabled,
                         const std::vector<std::string>& recovery_code_hashes) = 0;
  virtual Status SetTotpLastStep(const std::string& account_id, int64_t step) = 0;
  virtual Status UseRecoveryCode(const std::string& account_id, const std::string& code_hash,
                                 Timestamp at) = 0;

  // Replaces the stored second-factor secret only if it is still `expected` (kConflict
  // otherwise), leaving whether it is enforced and the recovery codes as they are. Used to
  // encrypt secrets stored before they were encrypted.
  virtual Status ReplaceTotpSecret(const std::string& account_id, const std::string& expected,
                                   const std::string& secret) = 0;

  // Clinical configuration versions. AddConfigVersion inserts `row` with its audit entry
  // (kConflict when the kind and version exist); when row.state is "published" it also
  // retires the live version of that kind, which must be `expected_live` ("" for none), else
  // kConflict and nothing changes.
  virtual Status AddConfigVersion(const ConfigVersionRow& row, const std::string& expected_live,
                                  const AuditEntry& audit) = 0;
  virtual Result<ConfigVersionRow> GetConfigVersion(const std::string& kind,
                                                    const std::string& version) = 0;
  // Every version of a kind, newest first; `content` is null unless `with_content`.
  virtual Result<std::vector<ConfigVersionRow>> ListConfigVersions(const std::string& kind,
                                                                   bool with_content) = 0;
  // Makes `version` live and retires the live one, which must be `expected_live` ("" for
  // none): kConflict when someone else published first, kNotFound when there is no such
  // version. The audit entry is written in the same command.
  virtual Status PublishConfigVersion(const std::string& kind, const std::string& version,
                                      const std::string& expected_live, const std::string& by,
                                      Timestamp at, const AuditEntry& audit) = 0;
  // Records that `serve` started with `version` in the area's files.
  virtual Status MarkConfigFileSeen(const std::string& kind, const std::string& version,
                                    Timestamp at) = 0;

  // Reports (aggregate reads; no identifiable data leaves these).
  // The report counts of `measure` whose period p has from <= p < to (text order), in no
  // particular order; e.g. measure "received.source", from "2026-01", to "2027-01".
  virtual Status ForEachReportCount(const std::string& measure, const std::string& from,
                                    const std::string& to,
                                    const std::function<void(const ReportCount&)>& fn) = 0;
  // Recounts every report count from the referrals, their events and contacts, in one
  // command (migration 010 runs it once; tests compare it with the counts kept as we go).
  virtual Status RebuildReportCounts() = 0;
  // Events of the given kinds whose time is in the range, in time order.
  virtual Status ForEachEvent(const std::vector<std::string>& kinds, const ReportRange& range,
                              const std::function<void(const Event&)>& fn) = 0;
  // Contacts whose appointment time is in the range, with the referral's age on receipt.
  virtual Status ForEachContact(const ReportRange& range,
                                const std::function<void(const ContactRow&, int age)>& fn) = 0;

  // Audit entries that stand alone (reads). Writes carry theirs inside the command.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> AuditFor(const std::string& record) = 0;
  // Entries matching the filter, in order (for an information governance review).
  virtual Result<std::vector<AuditEntry>> FindAudit(const AuditFilter& filter) = 0;
  // Every entry in seq order, for verifying the chain.
  virtual Status ForEachAudit(const std::function<void(const AuditEntry&)>& fn) = 0;
  // The chain head kept in the database (store/audit_chain.h): kNotFound when there is none,
  // kUnavailable when the database has no head table (before migration 012).
  virtual Result<AuditHead> GetAuditHead() = 0;
};

struct SqliteOptions {
  std::string path;
  int maxBatch = 256;  // most commands committed together (group commit)
  // Only for generating synthetic demo data: commits are not fsynced and the rollback
  // journal is kept in memory (readers wait out each commit). Never for real referrals: a
  // crash could lose acknowledged writes or leave the file unusable.
  bool syntheticDataOnly = false;
  // The audit key (store/audit_chain.h): with one, entries are chained with its MAC and the
  // signed chain head is kept in the database and, when `auditHeadFile` is set, written to
  // that file after each commit. Opening fails when the stored head and last entry do not
  // verify under this key (the wrong key file). Without one, entries get the unkeyed hash.
  std::shared_ptr<const AuditKey> auditKey;
  std::string auditHeadFile;
};

// Opens (creating if needed) an SQLite store in WAL mode with synchronous=FULL and foreign
// keys on, and applies migrations. The caller owns the store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace waymark::store
