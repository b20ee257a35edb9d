// Intake: a request for help becomes a durable referral with an owner (the triage team), a
// reference that can be read aloud, and a private status token. Also the family's status
// view and the invitations for more informants (parent/carer, school) to add their view.
// Thread-safety: safe from many threads; all state is in the Store.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/clock.h"
#include "domain/referral.h"
#include "store/store.h"

namespace waymark::workflow {

// Who is acting, for events and audit.
struct Actor {
  std::string id;      // account id, or "public" for the front door
  std::string role;    // staff role, or "self" / "parent" / "professional" / "informant"
  std::string client;  // network address
};

struct Acknowledgement {
  std::string reference;
  std::string statusToken;  // shown once; only its hash is stored
  bool crisis = false;
};

struct InformantInvite {
  std::string informantId;
  std::string inviteToken;  // shown once
  std::string role;
};

// Maps a normalised postcode to a locality code ("out-of-area" when unknown); the directory
// provides it. May be empty: then locality is left unset.
using LocalityResolver = std::function<std::string(const std::string& postcode)>;

// When a referral received at `received` must have a triage decision by, before the model
// has run (`crisis`: the request signalled danger). May be empty: then the clock is set when
// triage runs or, failing that, by Navigation::AfterIntake.
using TriageClock = std::function<domain::Timestamp(domain::Timestamp received, bool crisis)>;

inline constexpr const char* kTriageTeam = "triage-team";

class Intake {
 public:
  // A referral gets priorityRank 1 (emergency) when the request signals danger, else 3, and a
  // triage clock from `triage_clock` (workflow::TriageClockFor), until the model triages it.
  // `locality_codes`: the localities a submission without a postcode may name (the area's and
  // "out-of-area", workflow::LocalityCodes); any other is refused. Empty: not checked.
  Intake(store::Store& store, const domain::Clock& clock, LocalityResolver locality = {},
         TriageClock triage_clock = {}, std::vector<std::string> locality_codes = {});

  // Validates `body` as a whole and stores it with a "referral.received" event and an audit
  // entry in one durable command. On bad input returns kInvalid naming every bad field and
  // stores nothing.
  Result<Acknowledgement> Submit(const nlohmann::json& body, const Actor& actor);

  // Bulk import of already-parsed submissions in one transaction; returns the references.
  Result<std::vector<std::string>> ImportBatch(const std::vector<domain::ReferralSubmission>& subs,
                                               const std::vector<domain::Timestamp>& received,
                                               const Actor& actor);

  // The referral for its family's status token. A wrong token and an unknown reference give
  // the same kNotFound after the same work.
  Result<store::ReferralRow> AuthoriseFamily(const std::string& reference,
                                             const std::string& token);

  // Invites another informant. Allowed with the family's status token.
  Result<InformantInvite> InviteInformant(const std::string& reference, const std::string& token,
                                          const std::string& role, const Actor& actor);
  // Stores a new version of an informant's view; returns the version number.
  Result<int> SubmitInformantView(const std::string& informant_id, const std::string& token,
                                  const nlohmann::json& body, const Actor& actor);

  // The whole referral for staff: submission, informants with every version of their views,
  // events. Audited as a read of identifiable data.
  Result<nlohmann::json> StaffView(const std::string& reference, const Actor& actor,
                                   const std::string& reason = "");

 private:
  store::ReferralRow MakeRow(const domain::ReferralSubmission& s, domain::Timestamp at,
                             const std::string& token_hash, bool crisis) const;

  store::Store& store_;
  const domain::Clock& clock_;
  LocalityResolver locality_;
  TriageClock triageClock_;
  std::vector<std::string> localityCodes_;
};

// Validates the body of an informant's view: {"relationship", "concerns", "needs", "risks",
// "impact", "strengths"}.
Result<nlohmann::json> ParseInformantView(const nlohmann::json& body);

}  // namespace waymark::workflow
