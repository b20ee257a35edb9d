// Clinical test cases kept beside an area's model (config/areas/<id>/cases/*.yaml): an
// input and the parts of the decision a clinician expects. `waymark rules test` runs them.
#pragma once

#include <string>
#include <vector>

#include "domain/status.h"
#include "rules/triage.h"

namespace waymark::rules {

struct CaseOutcome {
  std::string file;  // e.g. "emergencies.yaml"
  std::string name;
  std::vector<std::string> failures;  // "priority: expected emergency, got urgent"
  bool passed() const { return failures.empty(); }
};

// Runs every case of every .yaml file in `dir`, in file then case order. A file that does
// not parse, or a case whose input breaks the contract, is an error naming file and case.
Result<std::vector<CaseOutcome>> RunCases(const TriageModel& model, const std::string& dir);

}  // namespace waymark::rules
