#include "store/audit_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace waymark::store {
namespace {

void Put(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

// The bytes an entry's hash or MAC covers: the link, the number and every field, each
// length-prefixed so no two entries give the same bytes.
std::string Content(const AuditEntry& e, const std::string& prev_hash) {
  std::string buf;
  Put(buf, prev_hash);
  Put(buf, std::to_string(e.seq));
  Put(buf, domain::FormatTimestamp(e.at));
  for (const auto* f : {&e.actor, &e.role, &e.action, &e.record, &e.fields, &e.client, &e.reason}) {
    Put(buf, *f);
  }
  return buf;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.resize(n * 2);
  return hex;
}

bool IsKeyed(const std::string& hash) { return hash.rfind(kKeyedPrefix, 0) == 0; }

std::string Entries(int64_t n) { return std::to_string(n) + (n == 1 ? " entry" : " entries"); }

}  // namespace

std::string AuditHash(const AuditEntry& e, const std::string& prev_hash) {
  std::string buf = Content(e, prev_hash);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  return Hex(digest, sizeof digest);
}

AuditKey::~AuditKey() { sodium_memzero(key_.data(), key_.size()); }

std::string AuditKey::EntryMac(const AuditEntry& e, const std::string& prev_hash) const {
  std::string buf = Content(e, prev_hash);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(buf.data()), buf.size(),
                         key_.data());
  return std::string(kKeyedPrefix) + Hex(mac, sizeof mac);
}

std::string AuditKey::HeadMac(int64_t seq, const std::string& hash) const {
  std::string buf;
  Put(buf, "waymark-audit-head");
  Put(buf, std::to_string(seq));
  Put(buf, hash);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(buf.data()), buf.size(),
                         key_.data());
  return Hex(mac, sizeof mac);
}

Status WriteAuditHeadFile(const std::filesystem::path& path, const AuditHead& head) {
  std::string text =
      nlohmann::json({{"seq", head.seq}, {"hash", head.hash}, {"mac", head.mac}}).dump() + "\n";
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot write the audit head file " + tmp.string());
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) return Status::Unavailable("cannot write the audit head file " + path.string());
  return Status::Ok();
}

Result<AuditHead> ReadAuditHeadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("no audit head file at " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j["seq"].is_number_integer() || !j["hash"].is_string() ||
      !j["mac"].is_string()) {
    return Status::Invalid("the audit head file " + path.string() + " is not a head");
  }
  return AuditHead{j["seq"].get<int64_t>(), j["hash"].get<std::string>(),
                   j["mac"].get<std::string>()};
}

std::filesystem::path DefaultAuditHeadPath(const std::filesystem::path& db,
                                           const std::filesystem::path& key_file) {
  std::filesystem::path name = db.filename();
  name += ".audit-head";
  return key_file.parent_path() / name;
}

AuditVerifyReport VerifyAuditLog(const std::vector<AuditEntry>& entries,
                                 const AuditVerifyInput& in) {
  AuditVerifyReport out;
  auto& problems = out.problems;
  std::string prev = kAuditGenesis;
  int64_t expected_seq = 1;
  bool said_no_key = false;
  for (const auto& e : entries) {
    if (e.hash.empty()) {
      problems.push_back({e.seq, "unchained",
                          "entry has no hash (written before the chain began, "
                          "or its hash was removed)"});
      prev = kAuditGenesis;
      expected_seq = e.seq + 1;
      continue;
    }
    bool keyed = IsKeyed(e.hash);
    if (keyed && out.firstKeyed == 0) out.firstKeyed = e.seq;
    if (!keyed && out.firstKeyed != 0) {
      problems.push_back({e.seq, "forged",
                          "it has no MAC from the audit key, though the keyed chain began at #" +
                              std::to_string(out.firstKeyed) + ": it was not written by Waymark"});
    }
    if (e.seq > expected_seq) {
      problems.push_back({e.seq, "removed",
                          e.seq - 1 == expected_seq
                              ? "entry " + std::to_string(expected_seq) + " is missing"
                              : "entries " + std::to_string(expected_seq) + " to " +
                                    std::to_string(e.seq - 1) + " are missing"});
    } else if (e.seq < expected_seq) {
      problems.push_back({e.seq, "inserted", "an entry with an earlier number appears again"});
    } else if (e.prevHash != prev) {
      problems.push_back({e.seq, "inserted",
                          "its link to the entry before does not match: an entry was removed or "
                          "inserted before it"});
    }
    if (keyed) {
      if (!in.key) {
        if (!said_no_key) {
          problems.push_back({e.seq, "no-key",
                              "entries are keyed but no audit key was given: pass the server's "
                              "--secret-key-file"});
          said_no_key = true;
        }
      } else if (in.key->EntryMac(e, e.prevHash) != e.hash) {
        problems.push_back({e.seq, "altered",
                            "its content does not match its MAC: it was changed, or written "
                            "without the audit key"});
      }
    } else if (AuditHash(e, e.prevHash) != e.hash) {
      problems.push_back({e.seq, "altered", "its content does not match its hash: it was changed"});
    }
    prev = e.hash;
    expected_seq = e.seq + 1;
  }
  if (out.firstKeyed > 1) {
    out.notes.push_back("entries 1 to " + std::to_string(out.firstKeyed - 1) +
                        " were written before the chain was keyed: they are checked for "
                        "accidental change only");
  }
  if (!in.headTable) return out;

  const int64_t last_seq = entries.empty() ? 0 : entries.back().seq;
  const std::string last_hash = entries.empty() ? kAuditGenesis : entries.back().hash;
  auto hash_at = [&](int64_t seq) -> const std::string* {
    if (seq == 0) return nullptr;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      if (it->seq == seq) return &it->hash;
      if (it->seq < seq) break;
    }
    return nullptr;
  };
  // The furthest head either copy records, and which copies record it.
  int64_t head_seq = 0;
  std::vector<std::string> witnesses;
  auto check_head = [&](const AuditHead& h, const std::string& where) {
    if (in.key && in.key->HeadMac(h.seq, h.hash) != h.mac) {
      problems.push_back({last_seq, "head-altered",
                          "the chain head in " + where + " was altered (its MAC does not match)"});
    }
    if (h.seq > head_seq) {
      head_seq = h.seq;
      witnesses = {where};
    } else if (h.seq == head_seq && h.seq > last_seq) {
      witnesses.push_back(where);
    }
    if (h.seq <= last_seq && h.seq > 0) {
      const std::string* at = hash_at(h.seq);
      if (at && *at != h.hash) {
        problems.push_back({h.seq, "replaced",
                            "entry " + std::to_string(h.seq) + " does not match the head in " +
                                where + ": the entries were rewritten"});
      }
    }
  };
  if (in.dbHead) {
    check_head(*in.dbHead, "the database");
    if (in.dbHead->seq < last_seq) {
      problems.push_back({in.dbHead->seq + 1, "inserted",
                          "entries " + std::to_string(in.dbHead->seq + 1) + " to " +
                              std::to_string(last_seq) +
                              " come after the signed head in the database: they were added "
                              "outside Waymark, or the head was put back to an older one"});
    }
  } else if (out.firstKeyed != 0 || (in.fileHead && in.fileHead->seq > 0)) {
    problems.push_back({last_seq, "head-missing",
                        "the chain head is missing from the database: entries at the end may "
                        "have been removed"});
  }
  if (in.headFileChecked) {
    if (in.fileHead) {
      check_head(*in.fileHead, "the head file");
      if (in.fileHead->seq < last_seq) {
        out.notes.push_back("the head file is " + Entries(last_seq - in.fileHead->seq) +
                            " behind the database (it is written after each commit; a stop "
                            "between the two leaves it behind)");
      }
    } else if (out.firstKeyed != 0 || (in.dbHead && in.dbHead->seq > 0)) {
      problems.push_back({last_seq, "head-file-missing",
                          "the head file outside the database is missing, so removal of the "
                          "last entries cannot be ruled out"});
    }
  }
  if (head_seq > last_seq) {
    std::string who = witnesses.size() == 2
                          ? "the head in the database and the head file both record"
                      : witnesses.front() == "the database" ? "the head in the database records"
                                                            : "the head file records";
    std::string what = last_seq == 0
                           ? "all " + Entries(head_seq) + " were removed"
                           : Entries(head_seq - last_seq) + " removed from the end after #" +
                                 std::to_string(last_seq);
    problems.push_back(
        {last_seq, "removed", what + " (" + who + " #" + std::to_string(head_seq) + ")"});
  } else if (in.dbHead && in.dbHead->seq == last_seq && in.dbHead->hash != last_hash) {
    problems.push_back(
        {last_seq, "replaced", "the last entry does not match the signed head: it was replaced"});
  }
  return out;
}

std::vector<AuditProblem> VerifyAuditChain(const std::vector<AuditEntry>& entries) {
  return VerifyAuditLog(entries, {}).problems;
}

}  // namespace waymark::store
