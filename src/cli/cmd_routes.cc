// `waymark routes`: every route the server registers, with its permission entry, as JSON
// lines. The permission matrix test reads it to try every route with every role.
#include <filesystem>
#include <iostream>

#include "api/app.h"
#include "cli/command.h"
#include "cli/common.h"
#include "security/permissions.h"
#include "security/tokens.h"
#include "workflow/clinical_config.h"

namespace waymark::cli {
namespace {

int ListRoutes(const std::string& area_id) {
  security::InitCrypto();
  auto area = CheckArea(area_id);
  if (!area.ok()) {
    std::cerr << "waymark routes: " << area.status().message() << "\n";
    return kUsageError;
  }
  auto dir = std::filesystem::temp_directory_path() / ("waymark-routes-" + security::NewId());
  std::filesystem::create_directories(dir);
  int rc = 0;
  {
    auto store = OpenStore((dir / "routes.db").string());
    if (!store.ok()) return 1;
    domain::SystemClock clock;
    workflow::Intake intake(**store, clock);
    auto files = workflow::ReadAreaFiles(area->dir);
    if (!files.ok()) {
      std::cerr << "waymark routes: " << files.status().message() << "\n";
      std::filesystem::remove_all(dir);
      return 1;
    }
    auto config = workflow::ClinicalConfig::Open(**store, clock, std::move(files.value()),
                                                 {CommandLineActor(), "system", "local"});
    if (!config.ok()) {
      std::cerr << "waymark routes: " << config.status().message() << "\n";
      std::filesystem::remove_all(dir);
      return 1;
    }
    workflow::Navigation navigation(**store, clock, (*config)->area(), nullptr);
    security::Accounts accounts(**store, clock);
    http::EventHub hub;
    workflow::Confidentiality confidentiality(**store, clock);
    api::AppContext ctx{
        **store,  clock, intake, navigation, confidentiality, accounts, (*config)->area(),
        **config, hub,   "",     false};
    http::Router router;
    api::AddRoutes(router, ctx);  // aborts on a route without a permission entry
    for (const auto& r : router.routes()) {
      auto p = security::PermissionFor(r.method, r.pattern);
      nlohmann::json roles = nlohmann::json::array();
      for (auto role : p->roles) roles.push_back(std::string(role));
      std::cout << nlohmann::json{{"method", r.method},
                                  {"pattern", r.pattern},
                                  {"public", p->isPublic},
                                  {"roles", roles}}
                       .dump()
                << "\n";
    }
  }
  std::filesystem::remove_all(dir);
  return rc;
}

}  // namespace

void AddRoutesCommand(CLI::App& root, Action& action) {
  auto area = std::make_shared<std::string>("example");
  auto* cmd =
      root.add_subcommand("routes", "List every API route with who may call it (JSON lines)");
  cmd->add_option("--area", *area, "Area id")->capture_default_str();
  cmd->callback([area, &action] { action = [area] { return ListRoutes(*area); }; });
}

}  // namespace waymark::cli
