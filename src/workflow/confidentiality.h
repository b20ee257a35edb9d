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

// Who holds the family's status link: "young-person", "parent" or "professional" — the
// referrer, unless staff re-issued the link to someone else (ReissueStatusToken).
std::string StatusLinkHolder(const store::ReferralRow& row);
// Whether the status link may show more than "received": always for the young person and the
// referring professional; for anyone else (a parent, or a link passed on) only when a parent
// may be told.
bool StatusLinkMayShowDetails(const store::ReferralRow& row);
// Whether a parent or carer may be contacted (invited as an informant, rung, written to): the
// young person's choice, unless a safeguarding override is recorded.
bool ParentMayBeContacted(const store::ReferralRow& row);
// kConflict, naming the methods allowed, when an appointment by `mechanism` (MHSDS
// ConsMechanismMH: 02 telephone, 05 email, 09 text) would contact the young person in a way
// they said no to: a method left out of the choices staff recorded with them (the method
// given at intake is a preference, not a refusal). Face to face, video and the rest are not a
// contact method and pass.
Status CheckContactMechanism(const store::ReferralRow& row, const std::string& mechanism);
// False when the young person said it is not safe to leave a message.
bool MayLeaveMessage(const store::ReferralRow& row);
// Why the safeguarding lead may read this referral: "safeguarding-override" (confidentiality
// was overridden), "safeguarding-alert" (the decision model raised a safeguarding alert), or
// "" (no reason: they may not).
std::string SafeguardingReviewReason(const store::ReferralRow& row);
// Alerts for the safeguarding lead (their list and live stream).
inline bool IsSafeguardingAlert(std::string_view code) {
  return code.rfind("safeguarding", 0) == 0;
}
// A transition alert for a list: the month instead of the day, which would give away the date
// of birth ("Turns 18 in May 2029").
nlohmann::json TransitionForList(const nlohmann::json& alert);

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
  // A new status token for the family; the old one stops working at once. `holder` says who
  // it is for ("young-person", "parent", "professional"; "" keeps the current holder): a
  // link for a parent shows only what a parent may be told.
  Result<std::string> ReissueStatusToken(const std::string& reference, int64_t version,
                                         const StaffActor& who, const std::string& holder = "");

 private:
  // The referral if it is still at `version`; kConflict when someone changed it first.
  Result<store::ReferralRow> LoadAtVersion(const std::string& reference, int64_t version);

  store::Store& store_;
  const domain::Clock& clock_;
  AlertListener listener_;
};

}  // namespace waymark::workflow
