// DMN 1.2–1.5 models: read with pugixml, compiled once into an evaluation plan (every FEEL
// text parsed, every reference resolved, decisions in dependency order), then evaluated
// many times. A compiled Model is immutable: evaluate it from as many threads as you like.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/status.h"
#include "rules/value.h"

namespace waymark::rules {

// One decision table row that matched, for explanations.
struct RuleHit {
  std::string decision;     // the decision (or BKM) whose table it is
  int row = 0;              // 1-based
  std::string ruleId;       // the rule's id in the file
  std::string description;  // the rule's annotation, as the author wrote it
};

struct Evaluation {
  Context results;  // decision name -> value, every decision evaluated
  // Shared with the model (each row's hit is made once, when the model is read).
  std::vector<std::shared_ptr<const RuleHit>> rulesFired;
  // An evaluation limit (feel.h, "Limits") was hit: some results are null because of it.
  bool cutShort = false;
};

class ModelSet;
class Model;

// Input values converted to a model's declared types once (Model::Prepare), for inputs that
// are the same on every evaluation (the triage directory): Evaluate takes them as they are
// instead of converting them again. Immutable: share it between threads.
class PreparedInputs {
 public:
  PreparedInputs() = default;

 private:
  friend class Model;
  const Model* model_ = nullptr;
  Context values_;  // declared inputs only, already converted
};

// One model file held in memory: its file name ("triage.dmn") and its XML text. Versions of
// the triage model are stored this way, so a stored decision can be reproduced.
struct ModelFile {
  std::string name;
  std::string text;
};

class Model {
 public:
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const std::string& name() const;
  const std::string& ns() const;
  std::vector<std::string> DecisionNames() const;
  std::vector<std::string> InputNames() const;
  // FEEL texts that did not parse (only when loaded with strict = false).
  const std::vector<std::string>& problems() const;

  // Evaluates `decisions` (all when empty) with input data values by name. Missing inputs
  // are null. Never throws on bad data: FEEL errors give null results.
  Evaluation Evaluate(const Context& inputs, const std::vector<std::string>& decisions = {}) const;
  // Converts the values of declared inputs to their types, for Evaluate to reuse; entries
  // that are not input data of this model are left out.
  PreparedInputs Prepare(const Context& inputs) const;
  // As Evaluate(inputs ∪ prepared), an input given in `inputs` winning; `prepared` must come
  // from this model's Prepare. With `keep`, the results hold only the decisions it names
  // (all of `decisions` are evaluated all the same, and their rules fired listed).
  Evaluation Evaluate(const Context& inputs, const PreparedInputs& prepared,
                      const std::vector<std::string>& decisions = {},
                      const std::vector<std::string>* keep = nullptr) const;
  // Invokes a business knowledge model or decision service by name with named arguments.
  Value Invoke(const std::string& name, const Context& args) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  friend class ModelSet;
  Model();
  std::unique_ptr<Impl> impl_;
};

// The models of one folder, so that imports between them resolve.
class ModelSet {
 public:
  // Reads and compiles every file; an error names the file, the element and the problem.
  // `strict`: any FEEL text that does not parse fails the load (the triage model); else
  // it evaluates to null and is listed in Model::problems() (the conformance suite).
  static Result<std::shared_ptr<const ModelSet>> Load(const std::vector<std::string>& files,
                                                      bool strict = true);
  // The same from texts in memory; messages name each file by its `name`.
  static Result<std::shared_ptr<const ModelSet>> Load(const std::vector<ModelFile>& files,
                                                      bool strict = true);
  static Result<std::shared_ptr<const ModelSet>> LoadText(const std::string& xml);
  // By model name, file name (with or without .dmn) or namespace.
  const Model* Find(const std::string& nameOrFile) const;
  const std::vector<std::unique_ptr<Model>>& models() const { return models_; }

 private:
  std::vector<std::unique_ptr<Model>> models_;
  std::vector<std::string> files_;
};

}  // namespace waymark::rules
