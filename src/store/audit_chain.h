// The audit log's chain. Each entry carries the MAC of the one before it and its own MAC over
// its content: HMAC-SHA256 under the audit key, a key derived from the server's secret key
// file, which is kept outside the database ("k1:" + hex). Without the key nobody can write an
// entry, or re-chain altered ones, that verifies. Entries written before the chain was keyed
// (migration 012) carry an unkeyed SHA-256 (64 hex digits) and are checked for accidental
// change only. The chain head (last number and MAC, signed) is kept in the database and in a
// file beside the key, so removing entries from the end, or all of them, is detected too.
// Thread-safety: pure functions; an AuditKey is immutable and safe from many threads.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace waymark::store {

inline constexpr const char* kAuditGenesis = "waymark-audit-genesis";
inline constexpr std::string_view kKeyedPrefix = "k1:";

// The unkeyed hash of entries written before the chain was keyed: hex SHA-256 of the
// entry's content chained to `prev_hash`.
std::string AuditHash(const AuditEntry& entry, const std::string& prev_hash);

class AuditKey {
 public:
  explicit AuditKey(const std::array<unsigned char, 32>& key) : key_(key) {}
  ~AuditKey();
  AuditKey(const AuditKey&) = delete;
  AuditKey& operator=(const AuditKey&) = delete;

  // "k1:" + hex HMAC-SHA256 of the entry's content chained to `prev_hash`.
  std::string EntryMac(const AuditEntry& entry, const std::string& prev_hash) const;
  // Hex HMAC-SHA256 of the head (the last entry's number and MAC).
  std::string HeadMac(int64_t seq, const std::string& hash) const;

 private:
  std::array<unsigned char, 32> key_;
};

// The head file: one line of JSON {"seq", "hash", "mac"}, written with mode 0600 to a temporary
// name and renamed, so a reader sees the old head or the new one, never half of one.
Status WriteAuditHeadFile(const std::filesystem::path& path, const AuditHead& head);
// kNotFound when there is no file; kInvalid when it cannot be read as a head.
Result<AuditHead> ReadAuditHeadFile(const std::filesystem::path& path);
// Where the head file of database `db` goes when the key file is `key_file`: beside the key,
// named after the database ("<key folder>/<db file name>.audit-head").
std::filesystem::path DefaultAuditHeadPath(const std::filesystem::path& db,
                                           const std::filesystem::path& key_file);

struct AuditProblem {
  int64_t seq;          // the entry where the chain breaks (the last entry for the head)
  std::string kind;     // "altered", "removed", "inserted", "unchained", "forged", "head", ...
  std::string message;  // plain words for an IG review
};

// What verification looks at besides the entries.
struct AuditVerifyInput {
  const AuditKey* key = nullptr;  // null: keyed entries cannot be checked (a problem)
  bool headTable = false;         // the database has the head table (migration 012)
  std::optional<AuditHead> dbHead;
  bool headFileChecked = false;  // a head file path was given
  std::optional<AuditHead> fileHead;
};

struct AuditVerifyReport {
  std::vector<AuditProblem> problems;  // empty: intact
  std::vector<std::string> notes;      // facts worth saying that are not problems
  int64_t firstKeyed = 0;              // the first keyed entry (0: none)
};

// Walks entries in seq order. Empty `problems`: intact.
AuditVerifyReport VerifyAuditLog(const std::vector<AuditEntry>& entries,
                                 const AuditVerifyInput& in);
// The entries alone, unkeyed (entries written before migration 012): empty result is intact.
std::vector<AuditProblem> VerifyAuditChain(const std::vector<AuditEntry>& entries);

}  // namespace waymark::store
