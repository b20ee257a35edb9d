#include "workflow/clinical_config.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "directory/loader.h"
#include "workflow/records.h"

namespace waymark::workflow {
namespace {

using nlohmann::json;
constexpr const char* kModel = "model";
constexpr const char* kDirectory = "directory";
// The sections of a service the clinical lead edits through the API. The rest (id, name,
// whoMayRefer, access standard, THRIVE groups, team type) change with the area's files.
constexpr std::string_view kEditable[] = {"capacity", "hours", "contact", "eligibility"};

std::optional<std::string> ReadText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json FilesJson(const std::vector<rules::ModelFile>& files) {
  json out = json::array();
  for (const auto& f : files) out.push_back({{"name", f.name}, {"text", f.text}});
  return out;
}

std::vector<rules::ModelFile> FilesFrom(const json& content) {
  std::vector<rules::ModelFile> out;
  if (!content.is_array()) return out;
  for (const auto& f : content)
    out.push_back({f.value("name", std::string()), f.value("text", std::string())});
  return out;
}

json Ts(const std::optional<domain::Timestamp>& t) {
  return t ? json(domain::FormatTimestamp(*t)) : json();
}

json VersionJson(const store::ConfigVersionRow& r, const std::string& live) {
  return {{"version", r.version},
          {"state", r.state},
          {"live", r.version == live},
          {"origin", r.origin},
          {"summary", r.summary},
          {"createdBy", r.createdBy},
          {"createdAt", domain::FormatTimestamp(r.createdAt)},
          {"publishedBy", r.publishedBy.empty() ? json() : json(r.publishedBy)},
          {"publishedAt", Ts(r.publishedAt)}};
}

store::AuditEntry ConfigAudit(const Actor& actor, domain::Timestamp at, std::string action,
                              const std::string& kind, const std::string& version,
                              std::string fields, std::string reason) {
  store::AuditEntry a;
  a.at = at;
  a.actor = actor.id;
  a.role = actor.role;
  a.action = std::move(action);
  a.record = kind + "/" + version;
  a.fields = std::move(fields);
  a.client = actor.client;
  a.reason = std::move(reason);
  return a;
}

// The live version of a kind ("" when none).
Result<std::string> LiveVersion(store::Store& store, const std::string& kind) {
  auto rows = store.ListConfigVersions(kind, false);
  if (!rows.ok()) return rows.status();
  for (const auto& r : rows.value())
    if (r.state == "published") return r.version;
  return std::string();
}

// Registers the files' version of a kind at start (docs/decisions/0007): new → inserted and
// published; known but not what the files held at the previous start → published again (a
// deployment of an earlier file); otherwise the stored live version stays live.
Status RegisterFiles(store::Store& store, const std::string& kind, const std::string& version,
                     const json& content, const Actor& actor, domain::Timestamp now) {
  auto rows = store.ListConfigVersions(kind, false);
  if (!rows.ok()) return rows.status();
  std::string live, last_seen;
  std::optional<domain::Timestamp> last_seen_at;
  bool known = false;
  for (const auto& r : rows.value()) {
    if (r.state == "published") live = r.version;
    if (r.fileSeenAt && (!last_seen_at || *r.fileSeenAt > *last_seen_at)) {
      last_seen = r.version;
      last_seen_at = r.fileSeenAt;
    }
    known = known || r.version == version;
  }
  auto audit = ConfigAudit(actor, now, kind + ".publish", kind, version, "",
                           "the area's files changed (a deployment)");
  Status st;
  if (!known) {
    store::ConfigVersionRow row{
        kind,     version, content,  "published", "file", "the area's files at start",
        actor.id, now,     actor.id, now,         now};
    st = store.AddConfigVersion(row, live, audit);
  } else if (live != version && (last_seen != version || live.empty())) {
    st = store.PublishConfigVersion(kind, version, live, actor.id, now, audit);
  }
  if (!st.ok()) return st;
  return store.MarkConfigFileSeen(kind, version, now);
}

Status CasesFail(const CaseReport& report, const std::string& what) {
  std::vector<FieldError> fields;
  for (const auto& o : report.failures) {
    std::string msg;
    for (const auto& f : o.failures) msg += (msg.empty() ? "" : "; ") + f;
    fields.push_back({o.file + ": " + o.name, msg});
  }
  return Status(ErrorCode::kConflict,
                fmt::format("{} of {} clinical cases fail with {}, so it cannot go live. Fix the "
                            "model (or the directory), or the cases if they are out of date.",
                            report.failed, report.passed + report.failed, what),
                std::move(fields));
}

std::string Short(const json& j) {
  std::string s = j.dump();
  return s.size() > 300 ? s.substr(0, 300) + "..." : s;
}

bool SafeFileName(const std::string& name) {
  static const std::regex kName("^[A-Za-z0-9][A-Za-z0-9._-]{0,80}\\.dmn$");
  return std::regex_match(name, kName);
}

}  // namespace

Result<AreaFiles> ReadAreaFiles(const std::filesystem::path& areaDir) {
  AreaFiles f;
  auto area = ReadText(areaDir / "area.yaml");
  if (!area) return Status::NotFound("area.yaml: cannot read " + (areaDir / "area.yaml").string());
  f.areaYaml = *area;
  auto services_text = ReadText(areaDir / "services.yaml");
  if (!services_text)
    return Status::NotFound("services.yaml: cannot read " + (areaDir / "services.yaml").string());
  auto services = directory::YamlToJson(*services_text);
  if (!services.ok()) return Status::Invalid("services.yaml: " + services.status().message());
  f.services = std::move(services.value());
  auto model = rules::ReadModelFiles((areaDir / "triage").string());
  if (!model.ok()) return model.status();
  f.model = std::move(model.value());
  f.casesDir = (areaDir / "cases").string();
  return f;
}

std::vector<std::string> LocalityCodes(const directory::Area& area) {
  std::vector<std::string> codes;
  for (const auto& l : area.localities()) codes.push_back(l.code);
  codes.push_back("out-of-area");
  return codes;
}

std::vector<rules::DirectoryEntry> DirectoryEntries(const directory::Area& area) {
  std::vector<rules::DirectoryEntry> entries;
  for (const auto& s : area.directory().services()) {
    const auto& e = s.eligibility;
    entries.push_back({s.id, s.name, e.min_age, e.max_age, e.localities, e.needs_taken,
                       e.needs_excluded, e.contexts_required, e.contexts_any_of, s.thrive_groups});
  }
  return entries;
}

std::string DirectoryVersionOf(const json& services) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : services.dump()) h = (h ^ c) * 1099511628211ULL;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(kDirectory) + "@" + buf;
}

json ToJson(const CaseReport& r) {
  json failures = json::array();
  for (const auto& o : r.failures)
    failures.push_back({{"file", o.file}, {"name", o.name}, {"failures", o.failures}});
  return {{"modelVersion", r.modelVersion},
          {"directoryVersion", r.directoryVersion},
          {"passed", r.passed},
          {"failed", r.failed},
          {"failures", failures}};
}

// ------------------------------------------------------------------------------ start-up

ClinicalConfig::ClinicalConfig(store::Store& store, const domain::Clock& clock, AreaFiles files,
                               std::shared_ptr<const directory::Area> area,
                               std::shared_ptr<const rules::TriageModel> model, json services)
    : store_(store),
      clock_(clock),
      files_(std::move(files)),
      area_(std::move(area)),
      engine_(std::move(model)),
      services_(std::move(services)) {}

Result<std::shared_ptr<const directory::Area>> ClinicalConfig::AreaWith(
    const json& services) const {
  auto a = directory::ParseArea(files_.areaYaml, services.dump());
  if (!a.ok()) return a.status();
  return std::make_shared<const directory::Area>(std::move(a.value()));
}

Result<std::shared_ptr<const rules::TriageModel>> ClinicalConfig::ModelOver(
    std::vector<rules::ModelFile> files, const std::shared_ptr<const directory::Area>& area,
    const std::string& directoryVersion) {
  return rules::TriageModel::FromFiles(
      std::move(files), DirectoryEntries(*area),
      [area](const std::string& postcode) { return area->LocalityForPostcode(postcode); },
      directoryVersion, LocalityCodes(*area));
}

Result<std::unique_ptr<ClinicalConfig>> ClinicalConfig::Open(store::Store& store,
                                                             const domain::Clock& clock,
                                                             AreaFiles files, const Actor& actor) {
  auto now = clock.Now();
  // The files' own versions must load: they are what a failed stored version falls back to.
  auto parsed = directory::ParseArea(files.areaYaml, files.services.dump());
  if (!parsed.ok()) return parsed.status();
  auto file_area = std::make_shared<const directory::Area>(std::move(parsed.value()));
  const std::string file_dir = DirectoryVersionOf(files.services);
  auto file_model = ModelOver(files.model, file_area, file_dir);
  if (!file_model.ok()) return file_model.status();
  const std::string file_model_version = file_model.value()->version();
  if (auto st = RegisterFiles(store, kDirectory, file_dir, files.services, actor, now); !st.ok())
    return st;
  if (auto st =
          RegisterFiles(store, kModel, file_model_version, FilesJson(files.model), actor, now);
      !st.ok())
    return st;

  std::unique_ptr<ClinicalConfig> c(
      new ClinicalConfig(store, clock, files, file_area, file_model.value(), files.services));
  // The stored live versions (after a restart: perhaps an edit or upload of a clinical lead).
  auto live_dir = LiveVersion(store, kDirectory);
  if (!live_dir.ok()) return live_dir.status();
  std::shared_ptr<const directory::Area> area = file_area;
  std::string dir_version = file_dir;
  json services = files.services;
  if (*live_dir != file_dir) {
    auto row = store.GetConfigVersion(kDirectory, *live_dir);
    if (!row.ok()) return row.status();
    auto a = c->AreaWith(row->content);
    if (a.ok()) {
      area = a.value();
      dir_version = *live_dir;
      services = row->content;
    } else {
      c->warnings_.push_back("directory version " + *live_dir +
                             " no longer loads with area.yaml (" + a.status().message() +
                             "); the files' version " + file_dir + " is live instead");
      auto audit = ConfigAudit(actor, now, "directory.publish", kDirectory, file_dir, "",
                               "the live version no longer loads");
      if (auto st =
              store.PublishConfigVersion(kDirectory, file_dir, *live_dir, actor.id, now, audit);
          !st.ok())
        return st;
    }
  }
  auto live_model = LiveVersion(store, kModel);
  if (!live_model.ok()) return live_model.status();
  std::vector<rules::ModelFile> model_files = files.model;
  if (*live_model != file_model_version) {
    auto row = store.GetConfigVersion(kModel, *live_model);
    if (!row.ok()) return row.status();
    model_files = FilesFrom(row->content);
  }
  auto model = ModelOver(model_files, area, dir_version);
  if (!model.ok()) {
    c->warnings_.push_back("model version " + *live_model + " no longer loads (" +
                           model.status().message() + "); the files' version " +
                           file_model_version + " is live instead");
    auto audit = ConfigAudit(actor, now, "model.publish", kModel, file_model_version, "",
                             "the live version no longer loads");
    if (auto st = store.PublishConfigVersion(kModel, file_model_version, *live_model, actor.id, now,
                                             audit);
        !st.ok())
      return st;
    model = ModelOver(files.model, area, dir_version);
    if (!model.ok()) return model.status();
  }
  {
    std::lock_guard lock(c->mu_);
    c->MakeLive(area, model.value(), services);
  }
  return c;
}

void ClinicalConfig::MakeLive(std::shared_ptr<const directory::Area> area,
                              std::shared_ptr<const rules::TriageModel> model, json services) {
  // The area first: nothing reads the two together, and the model carries its own directory
  // (and directory version), so every decision is consistent with what it names.
  area_.Replace(std::move(area));
  engine_.Replace(std::move(model));
  services_ = std::move(services);
}

Result<CaseReport> ClinicalConfig::RunCases(const rules::TriageModel& model) const {
  auto outcomes = rules::RunCases(model, files_.casesDir);
  if (!outcomes.ok()) return outcomes.status();
  CaseReport r;
  r.modelVersion = model.version();
  r.directoryVersion = model.directoryVersion();
  for (auto& o : outcomes.value()) {
    if (o.passed()) {
      ++r.passed;
    } else {
      ++r.failed;
      r.failures.push_back(std::move(o));
    }
  }
  return r;
}

// --------------------------------------------------------------------------- the model

Result<json> ClinicalConfig::ListModelVersions() {
  auto rows = store_.ListConfigVersions(kModel, false);
  if (!rows.ok()) return rows.status();
  std::string live = modelVersion();
  json out = json::array();
  for (const auto& r : rows.value()) out.push_back(VersionJson(r, live));
  return json{{"live", live}, {"versions", out}};
}

Result<json> ClinicalConfig::ModelVersion(const std::string& version) {
  auto row = store_.GetConfigVersion(kModel, version);
  if (!row.ok()) return row.status();
  json out = VersionJson(row.value(), modelVersion());
  out["files"] = row->content;
  return out;
}

Result<json> ClinicalConfig::UploadModel(std::vector<rules::ModelFile> files,
                                         const std::string& note, const Actor& actor) {
  std::vector<FieldError> errors;
  std::set<std::string> names;
  if (files.empty() || files.size() > 20) errors.push_back({"files", "give 1 to 20 .dmn files"});
  for (size_t i = 0; i < files.size(); ++i) {
    std::string path = fmt::format("files[{}]", i);
    if (!SafeFileName(files[i].name))
      errors.push_back({path + ".name", "must be a file name ending .dmn, e.g. triage.dmn"});
    else if (!names.insert(files[i].name).second)
      errors.push_back({path + ".name", "is given twice"});
    if (files[i].text.empty()) errors.push_back({path + ".text", "is empty"});
  }
  if (!errors.empty())
    return Status::Invalid("The upload has " + std::to_string(errors.size()) + " problem(s).",
                           std::move(errors));
  std::lock_guard lock(mu_);
  auto current = engine_.Current();
  auto model = ModelOver(std::move(files), area_.Current(), current->directoryVersion());
  if (!model.ok()) {
    // "triage.dmn: decision "Priority": ..." — the field is the file.
    const std::string& msg = model.status().message();
    auto colon = msg.find(": ");
    std::string file = colon == std::string::npos ? "" : msg.substr(0, colon);
    if (!names.count(file)) file = "model";
    return Status::Invalid("The model cannot be used: " + msg, {{file, msg}});
  }
  const std::string version = model.value()->version();
  if (auto existing = store_.GetConfigVersion(kModel, version); existing.ok()) {
    json out = VersionJson(existing.value(), current->version());
    out["created"] = false;
    return out;
  }
  auto now = clock_.Now();
  store::ConfigVersionRow row{kModel,       version,     FilesJson(model.value()->files()),
                              "draft",      "upload",    note,
                              actor.id,     now,         "",
                              std::nullopt, std::nullopt};
  auto audit = ConfigAudit(actor, now, "model.upload", kModel, version, "", note);
  if (auto st = store_.AddConfigVersion(row, "", audit); !st.ok()) return st;
  json out = VersionJson(row, current->version());
  out["created"] = true;
  return out;
}

Result<CaseReport> ClinicalConfig::TestModel(const std::string& version) {
  auto row = store_.GetConfigVersion(kModel, version);
  if (!row.ok()) return row.status();
  auto model = ModelOver(FilesFrom(row->content), area_.Current(), directoryVersion());
  if (!model.ok()) return model.status();
  return RunCases(*model.value());
}

Result<json> ClinicalConfig::PublishModel(const std::string& version, bool rollback,
                                          const std::string& reason, const Actor& actor) {
  std::lock_guard lock(mu_);
  auto row = store_.GetConfigVersion(kModel, version);
  if (!row.ok()) return row.status();
  const std::string live = modelVersion();
  if (version == live) return Status::Conflict("This version is already live.");
  if (!rollback && row->state != "draft") {
    return Status::Conflict(
        "This version is not a draft. To make an earlier live version live again, roll back to "
        "it.");
  }
  if (rollback && (row->state != "retired" || !row->publishedAt)) {
    return Status::Conflict(
        "This version has never been live, so there is nothing to roll back to: publish it.");
  }
  auto area = area_.Current();
  auto model = ModelOver(FilesFrom(row->content), area, directoryVersion());
  if (!model.ok()) return model.status();
  auto report = RunCases(*model.value());
  if (!report.ok()) return report.status();
  if (report->failed > 0) return CasesFail(report.value(), "this model version");
  auto now = clock_.Now();
  auto audit = ConfigAudit(actor, now, rollback ? "model.rollback" : "model.publish", kModel,
                           version, "", reason);
  if (auto st = store_.PublishConfigVersion(kModel, version, live, actor.id, now, audit); !st.ok())
    return st;
  engine_.Replace(model.value());
  return json{{"version", version},
              {"previous", live},
              {"state", "published"},
              {"cases", {{"passed", report->passed}, {"failed", report->failed}}}};
}

// ------------------------------------------------------------------------- the directory

Result<json> ClinicalConfig::ListDirectoryVersions() {
  auto rows = store_.ListConfigVersions(kDirectory, false);
  if (!rows.ok()) return rows.status();
  std::string live = directoryVersion();
  json out = json::array();
  for (const auto& r : rows.value()) out.push_back(VersionJson(r, live));
  return json{{"live", live}, {"versions", out}};
}

Result<json> ClinicalConfig::EditService(const std::string& serviceId, const json& change,
                                         const Actor& actor) {
  std::vector<FieldError> errors;
  std::vector<std::string> changed;
  if (!change.is_object()) {
    return Status::Invalid("Send a JSON object of the sections to change and a reason.",
                           {{"", "must be an object"}});
  }
  for (const auto& [k, v] : change.items()) {
    if (k == "reason") continue;
    if (std::find(std::begin(kEditable), std::end(kEditable), k) == std::end(kEditable)) {
      errors.push_back({k,
                        "cannot be changed here; allowed: capacity, hours, contact, "
                        "eligibility (and reason)"});
    } else {
      changed.push_back(k);
    }
  }
  std::string reason;
  if (change.contains("reason") && change["reason"].is_string()) reason = change["reason"];
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    errors.push_back({"reason", "is required: say why the service changes"});
  if (changed.empty() && errors.empty())
    errors.push_back({"", "give at least one of capacity, hours, contact, eligibility"});
  if (!errors.empty())
    return Status::Invalid("The change has " + std::to_string(errors.size()) + " problem(s).",
                           std::move(errors));

  std::lock_guard lock(mu_);
  json services = services_;
  json* svc = nullptr;
  size_t index = 0;
  if (services.contains("services") && services["services"].is_array()) {
    for (size_t i = 0; i < services["services"].size(); ++i) {
      auto& s = services["services"][i];
      if (s.is_object() && s.value("id", "") == serviceId) {
        svc = &s;
        index = i;
      }
    }
  }
  if (!svc) return Status::NotFound("There is no service with that id.");
  for (const auto& k : changed) (*svc)[k] = change[k];
  const std::string previous = directoryVersion();
  if (services == services_) {
    return json{{"version", previous}, {"previous", previous}, {"changed", json::array()}};
  }
  auto area = AreaWith(services);
  if (!area.ok()) {
    // Same checks as services.yaml; name the field of this service without the file's line
    // (the stored document is not the file).
    const std::string prefix = fmt::format("services[{}].", index);
    std::vector<FieldError> fields;
    std::string message;
    for (auto f : area.status().fields()) {
      if (f.path.rfind(prefix, 0) == 0) f.path = f.path.substr(prefix.size());
      auto cut = f.message.find(": ");
      if (f.message.rfind("services.yaml", 0) == 0 && cut != std::string::npos)
        f.message = f.message.substr(cut + 2);
      message += (message.empty() ? "" : "; ") + f.path + ": " + f.message;
      fields.push_back(f);
    }
    return Status::Invalid(
        "The change has " + std::to_string(fields.size()) + " problem(s): " + message,
        std::move(fields));
  }
  const std::string version = DirectoryVersionOf(services);
  auto model = ModelOver(engine_.Current()->files(), area.value(), version);
  if (!model.ok()) return model.status();
  auto report = RunCases(*model.value());
  if (!report.ok()) return report.status();
  if (report->failed > 0) return CasesFail(report.value(), "this directory change");

  auto now = clock_.Now();
  std::string fields = serviceId + ": ";
  for (size_t i = 0; i < changed.size(); ++i) fields += (i ? ", " : "") + changed[i];
  auto audit = ConfigAudit(actor, now, "directory.edit", kDirectory, version, fields, reason);
  Status st;
  if (store_.GetConfigVersion(kDirectory, version).ok()) {
    st = store_.PublishConfigVersion(kDirectory, version, previous, actor.id, now, audit);
  } else {
    store::ConfigVersionRow row{
        kDirectory, version, services, "published", "edit",      fields + " (" + reason + ")",
        actor.id,   now,     actor.id, now,         std::nullopt};
    st = store_.AddConfigVersion(row, previous, audit);
  }
  if (!st.ok()) return st;
  const auto* edited = area.value()->directory().Find(serviceId);
  json service = edited ? directory::ToPublicJson(*edited) : json();
  MakeLive(area.value(), model.value(), std::move(services));
  return json{{"version", version},
              {"previous", previous},
              {"changed", changed},
              {"service", service},
              {"cases", {{"passed", report->passed}, {"failed", report->failed}}}};
}

Result<json> ClinicalConfig::RollbackDirectory(const std::string& version,
                                               const std::string& reason, const Actor& actor) {
  std::lock_guard lock(mu_);
  auto row = store_.GetConfigVersion(kDirectory, version);
  if (!row.ok()) return row.status();
  const std::string previous = directoryVersion();
  if (version == previous) return Status::Conflict("This version is already live.");
  if (row->state != "retired" || !row->publishedAt)
    return Status::Conflict(
        "This version has never been live, so there is nothing to roll back to.");
  auto area = AreaWith(row->content);
  if (!area.ok())
    return Status::Conflict("This version no longer loads with the area's area.yaml: " +
                            area.status().message());
  auto model = ModelOver(engine_.Current()->files(), area.value(), version);
  if (!model.ok()) return model.status();
  auto report = RunCases(*model.value());
  if (!report.ok()) return report.status();
  if (report->failed > 0) return CasesFail(report.value(), "this directory version");
  auto now = clock_.Now();
  auto audit = ConfigAudit(actor, now, "directory.rollback", kDirectory, version, "", reason);
  if (auto st = store_.PublishConfigVersion(kDirectory, version, previous, actor.id, now, audit);
      !st.ok())
    return st;
  MakeLive(area.value(), model.value(), row->content);
  return json{{"version", version},
              {"previous", previous},
              {"state", "published"},
              {"cases", {{"passed", report->passed}, {"failed", report->failed}}}};
}

// --------------------------------------------------------------------------- reproduction

Result<json> ClinicalConfig::Reproduce(const store::ReferralRow& row, const Actor& actor) {
  const json& stored_decision = row.decision;
  if (!stored_decision.is_object() || row.modelVersion.empty()) {
    return Status::NotFound("This referral has no decision of the triage model to reproduce.");
  }
  domain::TriageInput input;
  std::string input_source = "stored with the decision";
  if (stored_decision.contains("input")) {
    auto parsed = domain::ParseTriageInput(stored_decision["input"]);
    if (!parsed.ok())
      return Status::Internal("the stored triage input does not parse: " +
                              parsed.status().message());
    input = parsed.value();
  } else if (row.submission.value("pseudonymised", false)) {
    return Status::Conflict(
        "The triage input was erased when the referral was pseudonymised (retention), so the "
        "decision can no longer be re-run.");
  } else {
    input = TriageInputFor(row);
    input_source = "rebuilt from the referral (decided before inputs were stored)";
  }
  const std::string model_version = stored_decision.value("modelVersion", row.modelVersion);
  auto model_row = store_.GetConfigVersion(kModel, model_version);
  if (model_row.status().code() == ErrorCode::kNotFound) {
    return Status::NotFound("Model version " + model_version +
                            " is not stored (it was used before versions were kept), so this "
                            "decision cannot be re-run.");
  }
  if (!model_row.ok()) return model_row.status();
  const std::string dir_version = stored_decision.value("directoryVersion", "");
  std::shared_ptr<const directory::Area> area;
  if (dir_version.empty()) {
    area = area_.Current();  // decided before directory versions were recorded
  } else {
    auto dir_row = store_.GetConfigVersion(kDirectory, dir_version);
    if (!dir_row.ok()) return dir_row.status();
    auto a = AreaWith(dir_row->content);
    if (!a.ok())
      return Status::Conflict(
          "Directory version " + dir_version +
          " no longer loads with the area's area.yaml: " + a.status().message());
    area = a.value();
  }
  auto model = ModelOver(FilesFrom(model_row->content), area, dir_version);
  if (!model.ok()) return model.status();

  // The read of the stored input is audited before anything leaves.
  auto now = clock_.Now();
  auto audit = NewAudit(actor, now, "referral.reproduce", row.reference, "triage input",
                        "re-run the triage decision from its stored model version");
  if (auto st = store_.AppendAudit(audit); !st.ok()) return st;

  json stored = stored_decision;
  stored.erase("input");
  json rerun;
  auto decided = model.value()->Decide(input);
  if (decided.ok()) {
    rerun = domain::ToJson(decided.value());
    if (dir_version.empty()) rerun.erase("directoryVersion");
  } else {
    rerun = {{"error", decided.status().message()}};
  }
  json differences = json::array();
  std::set<std::string> keys;
  for (const auto& [k, v] : stored.items()) keys.insert(k);
  for (const auto& [k, v] : rerun.items()) keys.insert(k);
  for (const auto& k : keys) {
    json a = stored.contains(k) ? stored[k] : json();
    json b = rerun.contains(k) ? rerun[k] : json();
    if (a != b) differences.push_back(k + ": stored " + Short(a) + ", re-run " + Short(b));
  }
  return json{{"reference", row.reference},
              {"modelVersion", model_version},
              {"directoryVersion", dir_version.empty() ? json() : json(dir_version)},
              {"inputSource", input_source},
              {"identical", differences.empty()},
              {"differences", differences},
              {"stored", stored},
              {"rerun", rerun}};
}

}  // namespace waymark::workflow
