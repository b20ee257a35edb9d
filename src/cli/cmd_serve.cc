// `waymark serve`: the HTTP server with the store, the area and (with --demo) one account per
// role whose random passwords are printed once.
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "api/app.h"
#include "cli/command.h"
#include "cli/common.h"
#include "http/event_stream.h"
#include "http/server.h"
#include "security/passwords.h"
#include "security/roles.h"
#include "security/secret_box.h"
#include "security/tokens.h"
#include "workflow/clinical_config.h"
#include "workflow/confidentiality.h"

namespace waymark::cli {
namespace {

// The services of the example area that the demo journeys (and the browser tests) send
// referrals to; the demo service clinician works for these and no others.
std::vector<std::string> DemoServiceClinicianServices() {
  return {"camhs", "crisis", "eating-disorders", "early-intervention", "online-counselling"};
}

struct ServeOptions {
  int port = 8080;
  std::string address = "127.0.0.1";
  std::string db;
  std::string area = "example";
  std::string webRoot = "web/dist";
  bool demo = false;
  int threads = 32;
  int publicRate = 30;
  bool requireSecondFactor = false;  // also for the demo accounts (staff always need one)
  std::string tlsCert, tlsKey;
  std::string secretKeyFile;  // second-factor secrets and the audit key; default <db>.key
};

int Serve(const ServeOptions& o) {
  if (!security::InitCrypto()) {
    std::cerr << "waymark: no usable source of randomness\n";
    return 1;
  }
  ConfigureLogging();
  auto area = CheckArea(o.area);
  if (!area.ok()) {
    std::cerr << "waymark serve: " << area.status().message() << "\n";
    return kUsageError;
  }
  // The key file lives outside the database: it encrypts second-factor secrets and keys the
  // audit chain. Without one given, one is generated beside the database (fine on a laptop;
  // production keeps it elsewhere).
  StoreKeys keys;
  auto store = OpenStore(o.db, o.secretKeyFile, &keys);
  if (!store.ok()) {
    std::cerr << "waymark serve: " << store.status().message() << "\n";
    return 1;
  }
  domain::SystemClock clock;
  workflow::Intake intake(**store, clock, area->locality, workflow::TriageClockFor(area->area),
                          workflow::LocalityCodes(*area->area));
  security::SessionPolicy policy;
  // Staff always need a second factor; the demo accounts are exempt while serving with --demo,
  // unless --require-second-factor asks it of them too.
  policy.requireSecondFactor = true;
  policy.honourDemoExemption = o.demo && !o.requireSecondFactor;
  if (keys.generated) {
    spdlog::warn(
        R"({"event":"secret-key-generated","message":"a new key for second-factor secrets and the audit chain was written beside the database; in production keep it elsewhere (--secret-key-file) and back it up apart from the database"})");
  }
  security::Accounts accounts(**store, clock, policy, keys.box);
  auto secrets = accounts.SealStoredTotpSecrets();
  if (!secrets.ok()) {
    std::cerr << "waymark serve: second-factor secrets: " << secrets.status().message() << "\n";
    return 1;
  }
  if (secrets->sealedNow > 0) {
    spdlog::info(R"({{"event":"totp-secrets-encrypted","count":{}}})", secrets->sealedNow);
  }
  if (secrets->unreadable > 0) {
    spdlog::error(
        R"({{"event":"totp-secrets-unreadable","count":{},"message":"second-factor secrets cannot be decrypted with this key file: is it the right one? Those staff cannot sign in."}})",
        secrets->unreadable);
  }
  // No model, no server: triage on intake is what catches emergencies. The area's files are
  // registered as versions; a clinical lead's later publication stays live across restarts
  // (docs/decisions/0007-clinical-config-versions.md).
  auto files = workflow::ReadAreaFiles(area->dir);
  if (!files.ok()) {
    std::cerr << "waymark serve: " << files.status().message() << "\n";
    return 1;
  }
  auto config = workflow::ClinicalConfig::Open(**store, clock, std::move(files.value()),
                                               {CommandLineActor(), "system", "local"});
  if (!config.ok()) {
    std::cerr << "waymark serve: triage model: " << config.status().message() << "\n";
    return 1;
  }
  auto& clinical = *config.value();
  for (const auto& w : clinical.startupWarnings()) {
    spdlog::warn("{}", nlohmann::json({{"event", "startup-warning"}, {"message", w}}).dump());
  }
  spdlog::info(R"({{"event":"triage-model-live","model":"{}","directory":"{}"}})",
               clinical.modelVersion(), clinical.directoryVersion());
  http::EventHub alert_hub;
  http::EventHub safeguarding_hub;  // the safeguarding lead's stream: their alerts only
  auto publish = [&alert_hub, &safeguarding_hub](const nlohmann::json& alert) {
    const char* kind = alert.value("state", "open") == "cleared" ? "alert-cleared" : "alert";
    alert_hub.Publish(kind, alert.dump());
    if (workflow::IsSafeguardingAlert(alert.value("code", ""))) {
      safeguarding_hub.Publish(kind, alert.dump());
    }
  };
  workflow::Navigation navigation(**store, clock, clinical.area(), &clinical.engine(), publish);
  // Near-breach alerts fall due as time passes, not on a request: look every 30 seconds.
  workflow::AlertSweeper alert_sweeper(navigation, std::chrono::seconds(30));

  std::vector<std::pair<std::string, std::string>> demo_logins;
  if (o.demo) {
    for (auto role : security::kRoles) {
      std::string user = "demo-" + std::string(role);
      std::string password = security::NewDemoPassword();
      // Service staff work for named services, never "*": the demo clinician for the services
      // the demo journeys use, the demo manager for one (decision 0012).
      std::vector<std::string> services;
      if (role == "service-clinician") services = DemoServiceClinicianServices();
      if (role == "service-manager") services = {"camhs"};
      Status st = accounts.Create(user, "Demo " + std::string(role), password, {std::string(role)},
                                  services, /*second_factor_exempt=*/true, CommandLineActor());
      if (st.code() == ErrorCode::kConflict) {
        st = accounts.ResetPassword(user, password, /*second_factor_exempt=*/true);
      }
      if (!st.ok()) {
        std::cerr << "waymark serve: cannot create demo account: " << st.message() << "\n";
        return 1;
      }
      demo_logins.emplace_back(user, password);
    }
  }

  workflow::Confidentiality confidentiality(**store, clock, publish);
  api::AppContext ctx{
      **store,          clock,    intake,    navigation, confidentiality,    accounts,
      clinical.area(),  clinical, alert_hub, o.webRoot,  !o.tlsCert.empty(), o.publicRate,
      &safeguarding_hub};
  http::Router router;
  api::AddRoutes(router, ctx);
  http::ServerOptions so;
  so.address = o.address;
  so.port = static_cast<unsigned short>(o.port);
  so.threads = o.threads;
  so.tlsCert = o.tlsCert;
  so.tlsKey = o.tlsKey;
  http::Server server(so, router);

  // Block the signals before threads start so only sigwait below sees them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  const char* scheme = o.tlsCert.empty() ? "http" : "https";
  if (auto st = server.Start(); !st.ok()) {
    std::cerr << "waymark serve: " << st.message() << "\n";
    return 1;
  }
  std::cout << "Waymark is running for area '" << o.area << "' with database " << o.db << "\n"
            << "  Open: " << scheme << "://" << (o.address == "0.0.0.0" ? "localhost" : o.address)
            << ":" << server.port() << "/\n"
            << "  API:  " << scheme << "://" << o.address << ":" << server.port()
            << "/api/v1/openapi.yaml\n";
  if (!demo_logins.empty()) {
    std::cout << "  Demo sign-ins (shown once; new passwords at every start):\n";
    for (const auto& [u, p] : demo_logins) std::cout << "    " << u << "  " << p << "\n";
    if (policy.honourDemoExemption) {
      std::cout << "  Demo accounts need no second factor (demo only: every other staff account "
                   "must set one up at first sign-in).\n";
    }
  }
  std::cout << "  Stop with Ctrl+C.\n" << std::flush;
  int sig = 0;
  sigwait(&sigs, &sig);
  std::cout << "Stopping...\n" << std::flush;
  server.Stop();
  return 0;
}

}  // namespace

void AddServeCommands(CLI::App& root, Action& action) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = root.add_subcommand("serve", "Start the web server and API");
  cmd->add_option("--port", o->port, "Port to listen on (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--address", o->address, "Address to listen on")->capture_default_str();
  cmd->add_option("--db", o->db, "SQLite database file (created if missing)")->required();
  cmd->add_option("--area", o->area, "Area id (config/areas/ID)")->capture_default_str();
  cmd->add_option("--web", o->webRoot, "Folder of the built front end")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Request threads")->check(CLI::Range(1, 512));
  cmd->add_option("--public-rate-limit", o->publicRate,
                  "Requests per minute per client address on public endpoints (0: off)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  auto* cert = cmd->add_option("--tls-cert", o->tlsCert, "PEM certificate chain: serve HTTPS")
                   ->check(CLI::ExistingFile);
  auto* key = cmd->add_option("--tls-key", o->tlsKey, "PEM private key for --tls-cert")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  cmd->add_option("--secret-key-file", o->secretKeyFile,
                  "Key file (64 hex digits, mode 0600) that encrypts second-factor secrets and "
                  "keys the audit chain; default: generated beside the database as DB.key")
      ->envname("WAYMARK_SECRET_KEY_FILE");
  cmd->add_flag("--require-second-factor", o->requireSecondFactor,
                "Also the --demo accounts must set up a TOTP second factor (every other staff "
                "account always must)");
  cmd->add_flag("--demo", o->demo, "Create one demo account per role and print the sign-ins");
  cmd->callback([o, &action] { action = [o] { return Serve(*o); }; });
}

}  // namespace waymark::cli
