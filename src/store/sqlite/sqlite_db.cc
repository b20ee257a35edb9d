// Connection setup: WAL, synchronous=FULL, foreign keys, busy timeout.
#include "store/sqlite/sqlite_db.h"

namespace waymark::store {

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Unavailable("cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<SqliteDb> out(new SqliteDb(db));
  sqlite3_busy_timeout(db, 10000);
  for (const char* pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL"}) {
    if (auto st = out->Exec(pragma); !st.ok()) return st;
  }
  if (!read_only) {
    if (auto st = out->Exec("PRAGMA journal_mode=WAL"); !st.ok()) return st;
  } else {
    // Readers map the file (no copy per page read) and keep a larger page cache: the queue
    // and waiting lists read the same hot index pages again and again.
    (void)out->Exec("PRAGMA mmap_size=1073741824");
    (void)out->Exec("PRAGMA cache_size=-65536");
  }
  return out;
}

SqliteDb::~SqliteDb() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

Result<Stmt*> SqliteDb::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &s, nullptr) != SQLITE_OK) {
    return Status::Internal("cannot prepare statement: " + LastError());
  }
  auto [ins, _] = cache_.emplace(sql, std::make_unique<Stmt>(s));
  return ins->second.get();
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : LastError();
    sqlite3_free(err);
    return Status::Unavailable("database: " + msg);
  }
  return Status::Ok();
}

}  // namespace waymark::store
