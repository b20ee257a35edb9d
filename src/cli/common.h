// What several commands share: logging setup, opening the store, finding the area.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "directory/area.h"
#include "domain/status.h"
#include "rules/triage.h"
#include "security/secret_box.h"
#include "store/store.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::cli {

// Structured logs: JSON lines on stderr, never identifiable data.
void ConfigureLogging();

// The server's secret key file and what is derived from it: the box that encrypts second-factor
// secrets and the audit chain's key, with the audit head file beside the key.
struct StoreKeys {
  std::shared_ptr<const security::SecretBox> box;
  std::filesystem::path keyFile;
  std::filesystem::path headFile;
  bool generated = false;  // the key file did not exist and was written now
};

// The key file for database `db`: `key_file`, else $WAYMARK_SECRET_KEY_FILE, else DB.key beside
// the database (created, mode 0600, when missing, only in that default place and only when
// `may_create`). Errors name the path.
Result<StoreKeys> LoadStoreKeys(const std::string& db, const std::string& key_file,
                                bool may_create = true);

// Opens the SQLite store at `path` (creating its folder), applying migrations, with the audit
// chain keyed by the key file (LoadStoreKeys). `keys` receives what was loaded.
Result<std::unique_ptr<store::Store>> OpenStore(const std::string& path,
                                                const std::string& key_file = "",
                                                StoreKeys* keys = nullptr);

struct AreaHandle {
  std::string id;
  std::filesystem::path dir;
  std::shared_ptr<const directory::Area> area;  // immutable, shared with handlers
  workflow::LocalityResolver locality;          // postcode -> locality code
};

// Finds config/areas/ID (relative to the working folder or the binary) and loads it.
Result<AreaHandle> CheckArea(const std::string& id);

// The area's triage model (config/areas/ID/triage/*.dmn) over its directory.
Result<std::shared_ptr<const rules::TriageModel>> LoadTriageModel(const AreaHandle& area);

// The user running a command, for audit entries of command-line reads and changes.
std::string CommandLineActor();

}  // namespace waymark::cli
