// Data protection: a subject access bundle for one young person, and retention — closed
// referrals past the retention period are pseudonymised (names, contact details, dates of
// birth, informants' answers and every free text: description, competence notes, event
// reasons, alert messages, outcomes) while the coded fields and counts reports need remain.
// Audit entries are never changed (the log is append-only): they hold only references and
// coded reasons.
// Thread-safety: safe from many threads; all state is in the Store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "domain/clock.h"
#include "store/store.h"
#include "workflow/intake.h"

namespace waymark::workflow {

// Everything held about the young person with this NHS number: each referral with its
// submission, informants and their views, contacts, events and the audit trail of who saw
// it. Audited. kNotFound when no referral holds the number.
Result<nlohmann::json> SubjectAccessBundle(store::Store& store, const domain::Clock& clock,
                                           const std::string& nhs_number, const Actor& actor);

struct PurgeReport {
  int examined = 0;
  int pseudonymised = 0;
  std::vector<std::string> references;
};

// Pseudonymises referrals closed (discharged, transferred or closed) for longer than
// `retention_days`. With `dry_run` nothing changes and the report says what would.
Result<PurgeReport> Purge(store::Store& store, const domain::Clock& clock, int retention_days,
                          bool dry_run, const Actor& actor);

// The row with identifiable data removed; what reports count is kept.
store::ReferralRow Pseudonymised(const store::ReferralRow& row);

}  // namespace waymark::workflow
