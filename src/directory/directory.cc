// Directory lookups and search.
#include "directory/directory.h"

#include <algorithm>

#include "directory/vocabulary.h"

namespace waymark::directory {

Directory::Directory(std::vector<Service> services, std::vector<std::string> locality_codes)
    : services_(std::move(services)), locality_codes_(std::move(locality_codes)) {}

const Service* Directory::Find(std::string_view id) const {
  for (const auto& s : services_) {
    if (s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

Result<std::vector<const Service*>> Directory::Search(const SearchQuery& q) const {
  std::vector<FieldError> errors;
  if (q.need && !vocabulary::Contains(vocabulary::NeedCodes(), *q.need)) {
    errors.push_back({"need", "unknown need code \"" + *q.need +
                                  "\"; allowed: " + vocabulary::Join(vocabulary::NeedCodes())});
  }
  if (q.age && (*q.age < 0 || *q.age > 25)) {
    errors.push_back({"age", "must be an integer 0–25"});
  }
  if (q.locality && *q.locality != "out-of-area" &&
      std::find(locality_codes_.begin(), locality_codes_.end(), *q.locality) ==
          locality_codes_.end()) {
    std::string allowed;
    for (const auto& code : locality_codes_) {
      allowed += code + ", ";
    }
    errors.push_back({"locality", "unknown locality \"" + *q.locality + "\"; allowed: " + allowed +
                                      "out-of-area"});
  }
  if (q.source && !vocabulary::Contains(vocabulary::ReferralSourceCodes(), *q.source)) {
    errors.push_back({"source", "unknown referral source \"" + *q.source + "\"; allowed: " +
                                    vocabulary::Join(vocabulary::ReferralSourceCodes())});
  }
  if (!errors.empty()) {
    std::string message = "bad search: " + errors.front().path + ": " + errors.front().message;
    return Status::Invalid(std::move(message), std::move(errors));
  }

  std::vector<const Service*> found;
  for (const auto& s : services_) {
    const Eligibility& e = s.eligibility;
    if (q.need && !e.TakesNeed(*q.need)) {
      continue;
    }
    if (q.age && !e.AgeFits(*q.age)) {
      continue;
    }
    if (q.locality && !e.ServesLocality(*q.locality)) {
      continue;
    }
    if (q.source && !s.AcceptsSource(*q.source)) {
      continue;
    }
    found.push_back(&s);
  }
  return found;
}

std::vector<const Service*> Directory::Eligible(const Candidate& candidate) const {
  std::vector<const Service*> found;
  for (const auto& s : services_) {
    if (s.Unmet(candidate).empty()) {
      found.push_back(&s);
    }
  }
  return found;
}

}  // namespace waymark::directory
