// The audit log's hash chain: hash(entry) = SHA-256(prev hash, seq, and every field, each
// length-prefixed), and the verification that walks the chain and names every broken link.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace waymark::store {

inline constexpr const char* kAuditGenesis = "waymark-audit-genesis";

// Hex SHA-256 of the entry's content chained to `prev_hash`.
std::string AuditHash(const AuditEntry& entry, const std::string& prev_hash);

struct AuditProblem {
  int64_t seq;          // the entry where the chain breaks
  std::string kind;     // "altered", "removed", "inserted", "unchained"
  std::string message;  // plain words for an IG review
};

// Walks entries in seq order. Empty result: intact.
std::vector<AuditProblem> VerifyAuditChain(const std::vector<AuditEntry>& entries);

}  // namespace waymark::store
