// A request for help as it arrives at the front door: the referrer, the young person, what
// is happening (needs, risks, context, impact) and consent. Parsing validates the whole body
// at once and names every bad field, so nothing half-valid reaches the store.
// Thread-safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/status.h"

namespace waymark::domain {

enum class ReferrerType { kSelf, kParent, kProfessional };
const char* ReferrerTypeName(ReferrerType t);

struct Referrer {
  ReferrerType type = ReferrerType::kSelf;
  std::string name;
  std::string role;
  std::string organisation;
  std::string email;
  std::string phone;
};

// How the young person may be reached. Every field optional.
struct ContactDetails {
  std::string phone;
  std::string email;
  std::string address;
  std::string preferredMethod;  // phone | text | email | letter, or empty
  std::optional<bool> safeToLeaveMessage;
};

struct YoungPerson {
  std::string givenName;
  std::string familyName;
  Date dateOfBirth;
  std::optional<std::string> nhsNumber;  // 10 digits, modulus-11 checked
  std::optional<std::string> postcode;   // normalised "LE1 5WW"
  std::string gender;                    // MHSDS GenderIDCode or empty
  std::string ethnicCategory;            // NHS ethnic category code or empty
  ContactDetails contact;
};

struct Consent {
  bool youngPersonAgrees = false;
  bool parentMayBeContacted = false;
};

// A validated request for help. `ageOnReceipt` is computed from the date of birth.
struct ReferralSubmission {
  Referrer referrer;
  YoungPerson youngPerson;
  std::string source;  // MHSDS SourceOfReferralMH
  std::vector<std::string> needs;
  std::vector<std::string> risks;
  std::vector<std::string> context;
  std::string impact;
  std::optional<int> durationWeeks;
  std::string description;
  Consent consent;
  std::optional<std::string> locality;  // when no postcode is known
  std::vector<std::string> triedServices;
  int ageOnReceipt = 0;
};

inline constexpr size_t kMaxReferralBodyBytes = 256 * 1024;

// Validates a JSON body received on `received` (the day the age is measured on).
// On failure the Status is kInvalid and lists every bad field with its path.
Result<ReferralSubmission> ParseReferralSubmission(const nlohmann::json& body,
                                                   const Date& received);

// The canonical JSON of a submission (same field names as the intake API), for storage and
// export; ParseReferralSubmission(ToJson(s)) gives back `s`.
nlohmann::json ToJson(const ReferralSubmission& s);

}  // namespace waymark::domain
