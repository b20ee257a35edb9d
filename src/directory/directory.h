// The directory of an area's services: find one by id, or search by need, age, locality and
// referral source.
// Thread-safety: immutable after construction; safe to share between threads. Pointers it
// returns stay valid as long as the Directory (or the Area holding it) lives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/service.h"
#include "domain/status.h"

namespace waymark::directory {

// Filters for Directory::Search; each one unset is not applied.
struct SearchQuery {
  std::optional<std::string> need;      // a need code: services that take it
  std::optional<int> age;               // whole years: services whose age range includes it
  std::optional<std::string> locality;  // a locality code or "out-of-area"
  std::optional<std::string> source;    // MHSDS SourceOfReferralMH: who is referring
};

class Directory {
 public:
  Directory() = default;
  // `locality_codes`: the area's localities, for checking search queries.
  Directory(std::vector<Service> services, std::vector<std::string> locality_codes);

  const std::vector<Service>& services() const { return services_; }

  // The service with this id, or nullptr.
  const Service* Find(std::string_view id) const;

  // Services that meet every filter given, in directory order (possibly none). An unknown
  // need, locality or source code, or an age outside 0–25, is Invalid with a FieldError
  // naming "need", "locality", "source" or "age" and saying what is allowed.
  Result<std::vector<const Service*>> Search(const SearchQuery& query) const;

  // Services whose eligibility `candidate` fully meets (Service::Unmet is empty), in
  // directory order. Codes are not checked here: an unknown code simply matches nothing.
  std::vector<const Service*> Eligible(const Candidate& candidate) const;

 private:
  std::vector<Service> services_;
  std::vector<std::string> locality_codes_;
};

}  // namespace waymark::directory
