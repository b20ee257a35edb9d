// Fuzz target: the triage input of `waymark triage` (stdin) and of the engine.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "domain/triage_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  auto r = waymark::domain::ParseTriageInput(j);
  if (r.ok() && !waymark::domain::ParseTriageInput(waymark::domain::ToJson(*r)).ok()) abort();
  if (!r.ok() && r.status().fields().empty()) abort();
  return 0;
}
