#include "cli/common.h"

#include <pwd.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

#include "directory/loader.h"
#include "store/audit_chain.h"
#include "workflow/clinical_config.h"

namespace waymark::cli {

void ConfigureLogging() {
  auto logger = spdlog::stderr_logger_mt("waymark");
  // The message is already a JSON object; the pattern wraps it with time and level.
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","log":%v})",
                      spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

Result<StoreKeys> LoadStoreKeys(const std::string& db, const std::string& key_file,
                                bool may_create) {
  StoreKeys out;
  std::string named = key_file;
  if (named.empty()) {
    if (const char* env = std::getenv("WAYMARK_SECRET_KEY_FILE"); env && *env) named = env;
  }
  out.keyFile = named.empty() ? db + ".key" : named;
  auto box =
      security::SecretBox::FromKeyFile(out.keyFile, may_create && named.empty(), &out.generated);
  if (!box.ok()) return box.status();
  out.box = box.value();
  out.headFile = store::DefaultAuditHeadPath(db, out.keyFile);
  return out;
}

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& path,
                                                const std::string& key_file, StoreKeys* keys) {
  if (path.empty()) return Status::Invalid("--db is required");
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  auto loaded = LoadStoreKeys(path, key_file);
  if (!loaded.ok())
    return Status(loaded.status().code(), "secret key: " + loaded.status().message());
  store::SqliteOptions options{path};
  options.auditKey = std::make_shared<store::AuditKey>(loaded->box->DeriveKey("wmaudit1"));
  options.auditHeadFile = loaded->headFile.string();
  auto store = store::OpenSqliteStore(options);
  if (store.ok() && keys) *keys = loaded.value();
  return store;
}

Result<AreaHandle> CheckArea(const std::string& id) {
  static const std::regex kId("^[a-z0-9-]{1,40}$");
  if (!std::regex_match(id, kId)) {
    return Status::Invalid("--area must be an area id of lower-case letters, digits and dashes");
  }
  std::vector<std::filesystem::path> roots = {"config/areas"};
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    roots.push_back(std::filesystem::path(exe).parent_path().parent_path() / "config/areas");
  }
  for (const auto& r : roots) {
    auto dir = r / id;
    if (std::filesystem::exists(dir / "area.yaml")) {
      auto loaded = directory::LoadArea(dir);
      if (!loaded.ok()) return loaded.status();
      auto area = std::make_shared<const directory::Area>(std::move(loaded.value()));
      AreaHandle h{id, dir, area, [area](const std::string& postcode) {
                     return area->LocalityForPostcode(postcode);
                   }};
      return h;
    }
  }
  return Status::NotFound("no area '" + id + "': expected config/areas/" + id + "/area.yaml");
}

Result<std::shared_ptr<const rules::TriageModel>> LoadTriageModel(const AreaHandle& area) {
  return rules::TriageModel::Load((area.dir / "triage").string(),
                                  workflow::DirectoryEntries(*area.area), area.locality,
                                  workflow::LocalityCodes(*area.area));
}

std::string CommandLineActor() {
  struct passwd* pw = getpwuid(getuid());
  return std::string("cli:") + (pw ? pw->pw_name : std::to_string(getuid()));
}

}  // namespace waymark::cli
