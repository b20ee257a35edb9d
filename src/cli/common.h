// What several commands share: logging setup, opening the store, finding the area.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "directory/area.h"
#include "domain/status.h"
#include "rules/triage.h"
#include "store/store.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::cli {

// Structured logs: JSON lines on stderr, never identifiable data.
void ConfigureLogging();

// Opens the SQLite store at `path` (creating its folder), applying migrations.
Result<std::unique_ptr<store::Store>> OpenStore(const std::string& path);

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
