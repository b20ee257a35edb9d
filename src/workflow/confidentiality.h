// The young person's confidentiality choices: who may be contacted and how, whether a parent
// may be told, and for under-16s the clinician's competence assessment. Honoured wherever
// the referral is shown or someone is contacted (the status page a parent opens shows only
// that the request is being looked at). A safeguarding override needs a reason, is audited
// and raises an alert for the safeguarding lead.
// Thread-safety: safe from many threads; all state is in the Store.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/clock.h"
#include "domain/referral.h"
#include "store/store.h"
#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::workflow {

// The choices recorded at intake from the consent answers.
nlohmann::json InitialConfidentiality(const domain::ReferralSubmission& s);
// Validates {"parentMayBeTold", "parentMayBeContacted", "contactMethods",
// "safeToLeaveMessage", "competence": {"assessed", "competent", "notes"}}.
Result<nlohmann::json> ParseConfidentiality(const nlohmann::json& body);
// Whether a parent may be told about the referral now: the young person's choice, unless a
// safeguarding override is recorded.
bool ParentMayBeTold(const store::ReferralRow& row);
// For staff: an under-16 asked that a parent not be told and no competence assessment is
// recorded yet.
bool CompetenceAssessmentNeeded(const store::ReferralRow& row);
// The family story a parent sees when the young person asked that they not be told.
nlohmann::json RestrictedStory(const store::ReferralRow& row);

class Confidentiality {
 public:
  Confidentiality(store::Store& store, const domain::Clock& clock, AlertListener listener = {});

  // Records new choices (by staff who may read the referral), as a version-checked command.
  Result<store::ReferralRow> Record(const std::string& reference, int64_t version,
                                    const nlohmann::json& choices, const StaffActor& who);
  // Overrides confidentiality for safeguarding: reason required; audited; alerts the
  // safeguarding lead.
  Result<store::ReferralRow> SafeguardingOverride(const std::string& reference, int64_t version,
                                                  const std::string& reason, const StaffActor& who);
  // A new status token for the family; the old one stops working at once.
  Result<std::string> ReissueStatusToken(const std::string& reference, int64_t version,
                                         const StaffActor& who);

 private:
  // The referral if it is still at `version`; kConflict when someone changed it first.
  Result<store::ReferralRow> LoadAtVersion(const std::string& reference, int64_t version);

  store::Store& store_;
  const domain::Clock& clock_;
  AlertListener listener_;
};

}  // namespace waymark::workflow
