// The HTTP API: thin handlers that parse, authorise, call workflow and render. AddRoutes
// registers every route on a router; the context holds what handlers need.
// Thread-safety: the context's members are safe from many threads.
#pragma once

#include <filesystem>
#include <string>

#include "directory/area.h"
#include "directory/live_area.h"
#include "domain/clock.h"
#include "http/event_stream.h"
#include "http/http.h"
#include "security/accounts.h"
#include "store/store.h"
#include "workflow/clinical_config.h"
#include "workflow/confidentiality.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::api {

struct AppContext {
  store::Store& store;
  const domain::Clock& clock;
  workflow::Intake& intake;
  workflow::Navigation& navigation;
  workflow::Confidentiality& confidentiality;
  security::Accounts& accounts;
  const directory::LiveArea& area;   // read one snapshot per request: area.Current()
  workflow::ClinicalConfig& config;  // the clinical lead's model and directory versions
  http::EventHub& alerts;            // live alerts for on-call screens
  std::filesystem::path webRoot;     // built front end (web/dist); may not exist
  bool tls = false;                  // cookies get Secure on TLS
  // Requests per minute per client address on public endpoints that write or look up by
  // token (intake, tracking, invites, views, sign-in). 0 turns the limits off.
  int publicRatePerMinute = 30;
  // Safeguarding alerts only, for the safeguarding lead's stream (null: none).
  http::EventHub* safeguardingAlerts = nullptr;
};

void AddRoutes(http::Router& router, AppContext& ctx);

// Parses a JSON request body with the limits every endpoint shares (nesting depth, type).
// On failure returns the problem to send.
Result<nlohmann::json> ParseJsonBody(const http::Request& req);

// The signed-in caller, as the permission guard found it (see security/permissions.h).
Result<security::Principal> RequireStaff(AppContext& ctx, const http::Request& req);
workflow::StaffActor StaffActorFor(const security::Principal& p, const http::Request& req);

}  // namespace waymark::api
