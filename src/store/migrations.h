// The numbered SQL migrations compiled into the binary (src/store/migrations/NNN_name.sql),
// in order. Shared by the SQLite and PostgreSQL stores.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace waymark::store {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

std::vector<Migration> Migrations();

}  // namespace waymark::store
