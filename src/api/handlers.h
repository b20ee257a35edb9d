// Handler functions by resource, registered in routes.cc.
#pragma once

#include "api/app.h"

namespace waymark::api {

http::Response ListServices(AppContext& ctx, http::Request& req);
http::Response GetService(AppContext& ctx, http::Request& req);
http::Response GetArea(AppContext& ctx, http::Request& req);
http::Response Queue(AppContext& ctx, http::Request& req);
http::Response ReferralAction(AppContext& ctx, http::Request& req);
http::Response ServiceLists(AppContext& ctx, http::Request& req);
http::Response AlertStream(AppContext& ctx, http::Request& req);
http::Response AcknowledgeAlert(AppContext& ctx, http::Request& req);
http::Response RecordConfidentiality(AppContext& ctx, http::Request& req);
http::Response SafeguardingOverride(AppContext& ctx, http::Request& req);
http::Response ReissueStatusToken(AppContext& ctx, http::Request& req);
http::Response SafeguardingAlerts(AppContext& ctx, http::Request& req);
http::Response ListAccounts(AppContext& ctx, http::Request& req);
http::Response ReportDashboard(AppContext& ctx, http::Request& req);
http::Response ReportCsv(AppContext& ctx, http::Request& req);
http::Response CreateAccount(AppContext& ctx, http::Request& req);
http::Response DisableAccount(AppContext& ctx, http::Request& req);
http::Response ApproveAccount(AppContext& ctx, http::Request& req);
http::Response ChangeAccountRoles(AppContext& ctx, http::Request& req);
http::Response SafeguardingAlertStream(AppContext& ctx, http::Request& req);
http::Response ListModelVersions(AppContext& ctx, http::Request& req);
http::Response GetModelVersion(AppContext& ctx, http::Request& req);
http::Response UploadModel(AppContext& ctx, http::Request& req);
http::Response TestModel(AppContext& ctx, http::Request& req);
http::Response PublishModel(AppContext& ctx, http::Request& req);
http::Response RollbackModel(AppContext& ctx, http::Request& req);
http::Response ListDirectoryVersions(AppContext& ctx, http::Request& req);
http::Response EditService(AppContext& ctx, http::Request& req);
http::Response RollbackDirectory(AppContext& ctx, http::Request& req);
http::Response ReproduceTriage(AppContext& ctx, http::Request& req);

}  // namespace waymark::api
