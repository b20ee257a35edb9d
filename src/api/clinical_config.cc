// The clinical lead's API for the triage decision model and the directory of services
// (workflow/clinical_config.h), and the reproduction of a stored triage decision. Only the
// clinical lead role may use the model and directory routes (security/permissions.cc).
#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "security/tokens.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

workflow::Actor ActorOf(const security::Principal& p, const Request& req) {
  return StaffActorFor(p, req).actor;
}

// {"reason": "..."} or no body at all.
Result<std::string> OptionalReason(const Request& req) {
  if (req.body.empty()) return std::string();
  auto body = ParseJsonBody(req);
  if (!body.ok()) return body.status();
  if (!body->is_object())
    return Status::Invalid("Send a JSON object.", {{"", "must be an object"}});
  if (body->contains("reason") && !(*body)["reason"].is_string())
    return Status::Invalid("The reason must be text.", {{"reason", "must be text"}});
  return body->value("reason", std::string());
}

Response Publish(AppContext& ctx, Request& req, bool rollback) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto reason = OptionalReason(req);
  if (!reason.ok()) return http::Problem(reason.status());
  auto out = ctx.config.PublishModel(req.params["version"], rollback, reason.value(),
                                     ActorOf(p.value(), req));
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

}  // namespace

Response ListModelVersions(AppContext& ctx, Request& req) {
  auto out = ctx.config.ListModelVersions();
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

Response GetModelVersion(AppContext& ctx, Request& req) {
  auto out = ctx.config.ModelVersion(req.params["version"]);
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

// A DMN file as the body (Content-Type application/xml or text/xml; ?file= names it,
// default triage.dmn; ?note= says what changed), or JSON {"files": [{"name", "text"}],
// "note"} for a model of several files.
Response UploadModel(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  std::vector<rules::ModelFile> files;
  std::string note = req.Query("note");
  std::string type = req.Header("content-type");
  if (type.rfind("application/xml", 0) == 0 || type.rfind("text/xml", 0) == 0) {
    std::string name = req.Query("file").empty() ? "triage.dmn" : req.Query("file");
    files.push_back({name, req.body});
  } else {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return http::Problem(body.status());
    if (!body->is_object() || !(*body)["files"].is_array()) {
      return http::Problem(Status::Invalid(
          "Send the DMN file as application/xml, or JSON with a list of files.",
          {{"files",
            "is required: [{\"name\": \"triage.dmn\", \"text\": \"<definitions ...\"}]"}}));
    }
    for (const auto& f : (*body)["files"]) {
      if (!f.is_object() || !f["name"].is_string() || !f["text"].is_string()) {
        return http::Problem(Status::Invalid("Each file needs a name and a text.",
                                             {{"files", "each must be {\"name\", \"text\"}"}}));
      }
      files.push_back({f["name"].get<std::string>(), f["text"].get<std::string>()});
    }
    if (body->contains("note") && (*body)["note"].is_string()) note = (*body)["note"];
  }
  auto out = ctx.config.UploadModel(std::move(files), note, ActorOf(p.value(), req));
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(out->value("created", false) ? 201 : 200, out->dump());
}

Response TestModel(AppContext& ctx, Request& req) {
  auto report = ctx.config.TestModel(req.params["version"]);
  if (!report.ok()) return http::Problem(report.status());
  return http::Json(200, workflow::ToJson(report.value()).dump());
}

Response PublishModel(AppContext& ctx, Request& req) { return Publish(ctx, req, false); }
Response RollbackModel(AppContext& ctx, Request& req) { return Publish(ctx, req, true); }

Response ListDirectoryVersions(AppContext& ctx, Request& req) {
  auto out = ctx.config.ListDirectoryVersions();
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

Response EditService(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  auto out = ctx.config.EditService(req.params["id"], body.value(), ActorOf(p.value(), req));
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

Response RollbackDirectory(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto reason = OptionalReason(req);
  if (!reason.ok()) return http::Problem(reason.status());
  auto out =
      ctx.config.RollbackDirectory(req.params["version"], reason.value(), ActorOf(p.value(), req));
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

Response ReproduceTriage(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto who = StaffActorFor(p.value(), req);
  auto row = ctx.store.GetReferral(security::NormaliseReference(req.params["reference"]));
  if (!row.ok()) return http::Problem(row.status());
  if (!ctx.navigation.MayRead(row.value(), who)) {
    return http::Problem(Status::NotFound("no referral " + req.params["reference"]));
  }
  auto out = ctx.config.Reproduce(row.value(), who.actor);
  if (!out.ok()) return http::Problem(out.status());
  return http::Json(200, out->dump());
}

}  // namespace waymark::api
