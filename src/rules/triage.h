// The area's triage model (config/areas/<id>/triage/*.dmn) behind the triage contract of
// ../shared/domain/triage-contract.md: a triage input in, a triage decision out, with every
// matching table row named so a clinician can check the reasoning.
// Thread-safety: a loaded TriageModel is immutable; Decide may run on many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/status.h"
#include "domain/triage_input.h"
#include "rules/dmn.h"

namespace waymark::rules {

// What the model needs to know of each service of the directory (its eligibility). The
// directory stays the single source of truth; the model filters it.
struct DirectoryEntry {
  std::string id, name;
  int minAge = 0, maxAge = 25;
  std::vector<std::string> localities, needsTaken, needsExcluded, contextsRequired, contextsAnyOf,
      thriveGroups;
};

using PostcodeToLocality = std::function<std::string(const std::string& postcode)>;

// The .dmn files of a folder, read into memory in file-name order. Invalid when there is
// none or one cannot be read.
Result<std::vector<ModelFile>> ReadModelFiles(const std::string& dir);

// The version of a model: "<model name>@<FNV-1a 64 of each file's name and text, in name
// order>", as stored with every decision. `modelName` is the name of the model holding the
// Priority decision.
std::string ModelVersionOf(const std::string& modelName, const std::vector<ModelFile>& files);

class TriageModel {
 public:
  // Reads every .dmn file of `dir`. Refuses a model that lacks one of the contract's
  // decisions (Priority, THRIVE group, Recommended services, Alerts) or whose FEEL does
  // not parse; the message names the file and the element.
  // `localityCodes`: the area's locality codes and "out-of-area"; a triage input naming any
  // other locality is refused (the contract: unknown codes are errors). Empty: not checked.
  static Result<std::shared_ptr<const TriageModel>> Load(
      const std::string& dir, std::vector<DirectoryEntry> directory, PostcodeToLocality locality,
      std::vector<std::string> localityCodes = {});
  // The same from files in memory (a stored or uploaded version). `directoryVersion` names
  // the directory the entries came from; every decision carries it with the model version,
  // so a decision can be reproduced from the two stored versions.
  static Result<std::shared_ptr<const TriageModel>> FromFiles(
      std::vector<ModelFile> files, std::vector<DirectoryEntry> directory,
      PostcodeToLocality locality, std::string directoryVersion = "",
      std::vector<std::string> localityCodes = {});

  Result<domain::TriageDecision> Decide(const domain::TriageInput& input) const;
  // "Row 3 of Priority: suicide plan → emergency", one per matching row.
  static std::vector<std::string> Explain(const domain::TriageDecision& d);

  const std::string& version() const { return version_; }
  const std::string& directoryVersion() const { return directoryVersion_; }
  const std::vector<ModelFile>& files() const { return files_; }

 private:
  std::shared_ptr<const ModelSet> models_;
  const Model* model_ = nullptr;
  PreparedInputs directory_;  // the directory, converted to the model's type once
  std::vector<std::string> serviceIds_;
  PostcodeToLocality locality_;
  std::vector<std::string> localityCodes_;
  std::string version_;
  std::string directoryVersion_;
  std::vector<ModelFile> files_;
};

}  // namespace waymark::rules
