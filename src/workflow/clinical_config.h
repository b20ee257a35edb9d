// The clinical lead's control of the triage decision model and the directory of services
// (docs/decisions/0007-clinical-config-versions.md): every version stored in full with who
// made it live and when (store/migrations/009); drafts of the model checked strictly; the
// area's clinical cases (config/areas/<id>/cases) run against a draft; publication refused
// while any case fails; rollback to an earlier live version; directory edits checked like
// services.yaml; and each change swapped in atomically for new intakes without a restart.
// A stored triage decision names the model and directory versions it came from, and
// Reproduce re-runs it from them.
// Thread-safety: every method may be called from many threads at once. Reading the live
// model (LiveTriageEngine::Decide) and area (LiveArea::Current) takes a snapshot without a
// lock; changes (upload, publish, rollback, edit) are serialised by one mutex here and by a
// compare-and-set on the live version in the store, so two leads publishing at once cannot
// both win or leave the server running a version the store does not call live.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "directory/live_area.h"
#include "domain/clock.h"
#include "rules/cases.h"
#include "rules/triage.h"
#include "store/store.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::workflow {

// The live triage model as Navigation calls it on intake. Each Decide reads the current model
// once, so a publication during a decision never mixes two models in it.
class LiveTriageEngine final : public TriageEngine {
 public:
  explicit LiveTriageEngine(std::shared_ptr<const rules::TriageModel> model)
      : model_(std::move(model)) {}
  Result<domain::TriageDecision> Decide(const domain::TriageInput& input) const override {
    return Current()->Decide(input);
  }
  // Never null.
  std::shared_ptr<const rules::TriageModel> Current() const {
    return model_.load(std::memory_order_acquire);
  }
  void Replace(std::shared_ptr<const rules::TriageModel> next) {
    model_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const rules::TriageModel>> model_;
};

// What an area's files hold at start.
struct AreaFiles {
  std::string areaYaml;                 // area.yaml (not versioned: localities, calendar...)
  nlohmann::json services;              // services.yaml as JSON (directory::YamlToJson)
  std::vector<rules::ModelFile> model;  // triage/*.dmn
  std::string casesDir;                 // cases/*.yaml, the clinical test cases
};
// Reads config/areas/<id>/{area.yaml, services.yaml, triage/*.dmn} and names cases/.
Result<AreaFiles> ReadAreaFiles(const std::filesystem::path& areaDir);

// The eligibility of every service of `area`, as the triage model reads it.
std::vector<rules::DirectoryEntry> DirectoryEntries(const directory::Area& area);
// The locality codes a triage input or referral may name: the area's, and "out-of-area".
std::vector<std::string> LocalityCodes(const directory::Area& area);
// "directory@<FNV-1a 64 of the services document>".
std::string DirectoryVersionOf(const nlohmann::json& services);

// The clinical cases run against one model over one directory.
struct CaseReport {
  std::string modelVersion;
  std::string directoryVersion;
  int passed = 0;
  int failed = 0;
  std::vector<rules::CaseOutcome> failures;  // only the failing cases, in file order
};
nlohmann::json ToJson(const CaseReport& report);

class ClinicalConfig {
 public:
  // Registers the versions in `files` (inserted when new; a files version that differs from
  // the one `serve` last started with is a deployment and is published), then loads the live
  // versions. Should a stored live version no longer load with today's area.yaml, the files'
  // version is published instead and a warning is left in startupWarnings(). Fails when
  // the files themselves do not load (the message names the file and element).
  static Result<std::unique_ptr<ClinicalConfig>> Open(store::Store& store,
                                                      const domain::Clock& clock, AreaFiles files,
                                                      const Actor& actor);

  const directory::LiveArea& area() const { return area_; }
  const LiveTriageEngine& engine() const { return engine_; }
  std::string modelVersion() const { return engine_.Current()->version(); }
  std::string directoryVersion() const { return engine_.Current()->directoryVersion(); }
  const std::vector<std::string>& startupWarnings() const { return warnings_; }

  // ---- the decision model
  // Every version, newest first, without the DMN text: {"live", "versions": [...]}.
  Result<nlohmann::json> ListModelVersions();
  // One version with its DMN files.
  Result<nlohmann::json> ModelVersion(const std::string& version);
  // Stores `files` as a draft after loading them strictly over the live directory: kInvalid
  // whose message and fields name the file and the element. An upload identical to a stored
  // version changes nothing and returns that version ("created": false).
  Result<nlohmann::json> UploadModel(std::vector<rules::ModelFile> files, const std::string& note,
                                     const Actor& actor);
  // Runs the area's clinical cases against a stored version over the live directory.
  Result<CaseReport> TestModel(const std::string& version);
  // Makes a draft live (`rollback` false) or an earlier live, now retired, version live again
  // (`rollback` true). Refused with kConflict while any clinical case fails (each failing
  // case is a field: path "file: case name", message what was expected and what came), or
  // when the version is in the wrong state, or another publication won.
  Result<nlohmann::json> PublishModel(const std::string& version, bool rollback,
                                      const std::string& reason, const Actor& actor);

  // ---- the directory
  Result<nlohmann::json> ListDirectoryVersions();
  // Changes sections of one service: any of "capacity", "hours", "contact", "eligibility"
  // (each replaces that section whole, in services.yaml's shape) and a required "reason".
  // Checked exactly as services.yaml is (kInvalid, fields named like "eligibility.maxAge");
  // refused with kConflict when a clinical case would then fail. Stored as a new directory
  // version, made live at once for the public directory, navigation and the model.
  Result<nlohmann::json> EditService(const std::string& serviceId, const nlohmann::json& change,
                                     const Actor& actor);
  // Makes an earlier live directory version live again (same case check).
  Result<nlohmann::json> RollbackDirectory(const std::string& version, const std::string& reason,
                                           const Actor& actor);

  // ---- reproduction
  // Re-runs a stored decision's triage input with the model and directory versions stored
  // with it and says whether the result is identical. The answer holds no identifiable data
  // (no input); the read of the input is audited. kNotFound when the referral was not
  // triaged by a model; kConflict when retention has erased the input.
  Result<nlohmann::json> Reproduce(const store::ReferralRow& row, const Actor& actor);

 private:
  ClinicalConfig(store::Store& store, const domain::Clock& clock, AreaFiles files,
                 std::shared_ptr<const directory::Area> area,
                 std::shared_ptr<const rules::TriageModel> model, nlohmann::json services);

  // The area with `services` in place of the files' directory; kInvalid names the fields.
  Result<std::shared_ptr<const directory::Area>> AreaWith(const nlohmann::json& services) const;
  // `files` over `area`'s directory.
  static Result<std::shared_ptr<const rules::TriageModel>> ModelOver(
      std::vector<rules::ModelFile> files, const std::shared_ptr<const directory::Area>& area,
      const std::string& directoryVersion);
  Result<CaseReport> RunCases(const rules::TriageModel& model) const;
  // Swaps in a new live pair (caller holds mu_).
  void MakeLive(std::shared_ptr<const directory::Area> area,
                std::shared_ptr<const rules::TriageModel> model, nlohmann::json services);

  store::Store& store_;
  const domain::Clock& clock_;
  const AreaFiles files_;
  directory::LiveArea area_;
  LiveTriageEngine engine_;
  std::vector<std::string> warnings_;

  std::mutex mu_;            // serialises changes; readers never take it
  nlohmann::json services_;  // the live directory version's document; guarded by mu_
};

}  // namespace waymark::workflow
