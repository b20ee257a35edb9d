// Fuzz target: a request body through JSON parsing, referral validation and crisis signals.
// Whatever the bytes, validation must answer (ok or a list of field errors) without crashing,
// and a valid result must survive a round trip through its canonical JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "domain/crisis.h"
#include "domain/referral.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using nlohmann::json;
  auto j = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  (void)waymark::domain::SignalsImmediateDanger(j);
  auto r = waymark::domain::ParseReferralSubmission(j, {2026, 11, 23});
  if (r.ok()) {
    auto again =
        waymark::domain::ParseReferralSubmission(waymark::domain::ToJson(*r), {2026, 11, 23});
    if (!again.ok()) abort();  // canonical form must validate
  } else if (r.status().fields().empty()) {
    abort();  // every rejection names at least one field
  }
  return 0;
}
