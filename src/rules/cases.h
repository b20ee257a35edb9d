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
  // What the model decided (empty when it failed), for the coverage check.
  std::string priority, thriveGroup;
  std::vector<std::string> services;  // in order, the first one recommended
  bool passed() const { return failures.empty(); }
};

// Runs every case of every .yaml file in `dir`, in file then case order. A file that does
// not parse, or a case whose input breaks the contract, is an error naming file and case.
Result<std::vector<CaseOutcome>> RunCases(const TriageModel& model, const std::string& dir);

// What the cases leave untested: every priority and THRIVE group of the contract must be
// decided by some case, and every service of the directory recommended first by some case
// (so each is reachable). One line per gap, e.g. "no case recommends ld-outreach first".
std::vector<std::string> CoverageGaps(const std::vector<CaseOutcome>& outcomes,
                                      const std::vector<std::string>& serviceIds);

}  // namespace waymark::rules
