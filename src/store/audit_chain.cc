#include "store/audit_chain.h"

#include <sodium.h>

namespace waymark::store {
namespace {

void Put(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

}  // namespace

std::string AuditHash(const AuditEntry& e, const std::string& prev_hash) {
  std::string buf;
  Put(buf, prev_hash);
  Put(buf, std::to_string(e.seq));
  Put(buf, domain::FormatTimestamp(e.at));
  for (const auto* f : {&e.actor, &e.role, &e.action, &e.record, &e.fields, &e.client, &e.reason}) {
    Put(buf, *f);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::vector<AuditProblem> VerifyAuditChain(const std::vector<AuditEntry>& entries) {
  std::vector<AuditProblem> problems;
  std::string prev = kAuditGenesis;
  int64_t expected_seq = 1;
  for (const auto& e : entries) {
    if (e.hash.empty()) {
      problems.push_back({e.seq, "unchained",
                          "entry has no hash (written before the chain began, "
                          "or its hash was removed)"});
      prev = kAuditGenesis;
      expected_seq = e.seq + 1;
      continue;
    }
    if (e.seq != expected_seq) {
      problems.push_back({e.seq, e.seq > expected_seq ? "removed" : "inserted",
                          e.seq > expected_seq
                              ? "entries " + std::to_string(expected_seq) + " to " +
                                    std::to_string(e.seq - 1) + " are missing"
                              : "an entry with an earlier number appears again"});
    }
    if (e.prevHash != prev) {
      problems.push_back({e.seq, "inserted",
                          "its link to the entry before does not match: an entry was removed or "
                          "inserted before it"});
    }
    if (AuditHash(e, e.prevHash) != e.hash) {
      problems.push_back({e.seq, "altered", "its content does not match its hash: it was changed"});
    }
    prev = e.hash;
    expected_seq = e.seq + 1;
  }
  return problems;
}

}  // namespace waymark::store
