// Validation of a request for help. Every rule adds a FieldError and carries on, so one
// response names every bad field; nothing is returned until the whole body is clean.
#include "domain/referral.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "domain/codes.h"
#include "domain/identifiers.h"

namespace waymark::domain {
namespace {

using nlohmann::json;

constexpr size_t kMaxNameLength = 100;
constexpr size_t kMaxTextLength = 200;
constexpr size_t kMaxDescriptionLength = 10000;
constexpr int kMaxAge = 25;

class Checker {
 public:
  std::vector<FieldError> errors;

  void Fail(std::string path, std::string message) {
    errors.push_back({std::move(path), std::move(message)});
  }

  // A required or optional string field. Returns the trimmed value ("" when absent).
  std::string String(const json& obj, const std::string& prefix, const char* key, bool required,
                     size_t max_len = kMaxTextLength) {
    std::string path = prefix + key;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(path, "is required");
      return "";
    }
    if (!it->is_string()) {
      Fail(path, "must be a string");
      return "";
    }
    std::string v = Trim(it->get<std::string>());
    if (required && v.empty()) Fail(path, "is required and must not be blank");
    if (v.size() > max_len) Fail(path, fmt::format("must be at most {} characters", max_len));
    if (HasControlCharacters(v,
                             key == std::string("description") || key == std::string("address"))) {
      Fail(path, "must not contain control characters");
    }
    return v;
  }

  std::optional<bool> Bool(const json& obj, const std::string& prefix, const char* key,
                           bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(prefix + key, "is required: true or false");
      return std::nullopt;
    }
    if (!it->is_boolean()) {
      Fail(prefix + key, "must be true or false");
      return std::nullopt;
    }
    return it->get<bool>();
  }

  std::vector<std::string> CodeList(const json& obj, const char* key,
                                    std::span<const std::string_view> allowed) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array()) {
      Fail(key, "must be a list of codes; allowed: " + JoinCodes(allowed));
      return out;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::string path = fmt::format("{}[{}]", key, i);
      if (!v.is_string() || !Contains(allowed, v.get_ref<const std::string&>())) {
        Fail(path, fmt::format("unknown code{}; allowed: {}",
                               v.is_string() ? " '" + Printable(v.get<std::string>()) + "'" : "",
                               JoinCodes(allowed)));
        continue;
      }
      if (!seen.insert(v.get<std::string>()).second) {
        Fail(path, "is listed twice");
        continue;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  const json* Object(const json& obj, const std::string& path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(path + key, "is required");
      return nullptr;
    }
    if (!it->is_object()) {
      Fail(path + key, "must be an object");
      return nullptr;
    }
    return &*it;
  }

  void NoUnknownKeys(const json& obj, const std::string& prefix,
                     std::initializer_list<std::string_view> allowed) {
    for (auto& [k, v] : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Fail(prefix + Printable(k), "unknown field; allowed: " + list);
      }
    }
  }

  static std::string Trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
  }

  // Keeps echoed user text short and free of control characters.
  static std::string Printable(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    return out;
  }

  static bool HasControlCharacters(const std::string& s, bool allow_newlines) {
    for (unsigned char c : s) {
      if (c == 0x7f) return true;
      if (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) return true;
    }
    return false;
  }
};

bool LooksLikeEmail(const std::string& s) {
  static const std::regex kEmail(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  return std::regex_match(s, kEmail);
}

bool LooksLikePhone(const std::string& s) {
  static const std::regex kPhone(R"(^\+?[0-9 ()-]{7,20}$)");
  if (!std::regex_match(s, kPhone)) return false;
  auto digits = std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits >= 7 && digits <= 15;
}

void ParseContact(Checker& c, const json& obj, const std::string& prefix, ContactDetails& out) {
  c.NoUnknownKeys(obj, prefix,
                  {"phone", "email", "address", "preferredMethod", "safeToLeaveMessage"});
  out.phone = c.String(obj, prefix, "phone", false, 30);
  if (!out.phone.empty() && !LooksLikePhone(out.phone)) {
    c.Fail(prefix + "phone", "must be a phone number of 7 to 15 digits");
  }
  out.email = c.String(obj, prefix, "email", false, 254);
  if (!out.email.empty() && !LooksLikeEmail(out.email)) {
    c.Fail(prefix + "email", "must be an email address like name@example.org");
  }
  out.address = c.String(obj, prefix, "address", false, 500);
  out.preferredMethod = c.String(obj, prefix, "preferredMethod", false, 10);
  static constexpr std::array<std::string_view, 4> kMethods = {"phone", "text", "email", "letter"};
  if (!out.preferredMethod.empty() && !Contains(kMethods, out.preferredMethod)) {
    c.Fail(prefix + "preferredMethod", "must be one of: phone, text, email, letter");
  }
  out.safeToLeaveMessage = c.Bool(obj, prefix, "safeToLeaveMessage", false);
}

}  // namespace

const char* ReferrerTypeName(ReferrerType t) {
  switch (t) {
    case ReferrerType::kSelf:
      return "self";
    case ReferrerType::kParent:
      return "parent";
    case ReferrerType::kProfessional:
      return "professional";
  }
  return "self";
}

Result<ReferralSubmission> ParseReferralSubmission(const json& body, const Date& received) {
  Checker c;
  ReferralSubmission s;
  if (!body.is_object()) {
    return Status::Invalid("The request body must be a JSON object.",
                           {{"", "must be a JSON object"}});
  }
  c.NoUnknownKeys(body, "",
                  {"referrer", "youngPerson", "source", "needs", "risks", "context", "impact",
                   "durationWeeks", "description", "consent", "locality", "triedServices"});

  // Referrer.
  if (const json* r = c.Object(body, "", "referrer", true)) {
    const std::string p = "referrer.";
    c.NoUnknownKeys(*r, p, {"type", "name", "role", "organisation", "email", "phone"});
    std::string type = c.String(*r, p, "type", true, 20);
    if (type == "self") {
      s.referrer.type = ReferrerType::kSelf;
    } else if (type == "parent") {
      s.referrer.type = ReferrerType::kParent;
    } else if (type == "professional") {
      s.referrer.type = ReferrerType::kProfessional;
    } else if (!type.empty()) {
      c.Fail(p + "type", "must be one of: self, parent, professional");
    }
    bool not_self = type == "parent" || type == "professional";
    s.referrer.name = c.String(*r, p, "name", not_self, kMaxNameLength);
    s.referrer.role = c.String(*r, p, "role", type == "professional");
    s.referrer.organisation = c.String(*r, p, "organisation", type == "professional");
    s.referrer.email = c.String(*r, p, "email", false, 254);
    s.referrer.phone = c.String(*r, p, "phone", false, 30);
    if (!s.referrer.email.empty() && !LooksLikeEmail(s.referrer.email)) {
      c.Fail(p + "email", "must be an email address like name@example.org");
    }
    if (!s.referrer.phone.empty() && !LooksLikePhone(s.referrer.phone)) {
      c.Fail(p + "phone", "must be a phone number of 7 to 15 digits");
    }
    if (not_self && s.referrer.email.empty() && s.referrer.phone.empty() && r->contains("name")) {
      c.Fail(p + "phone", "give a phone number or an email address so we can reach you");
    }
  }

  // Young person.
  if (const json* y = c.Object(body, "", "youngPerson", true)) {
    const std::string p = "youngPerson.";
    c.NoUnknownKeys(*y, p,
                    {"givenName", "familyName", "dateOfBirth", "nhsNumber", "postcode", "gender",
                     "ethnicCategory", "contact"});
    auto& yp = s.youngPerson;
    yp.givenName = c.String(*y, p, "givenName", true, kMaxNameLength);
    yp.familyName = c.String(*y, p, "familyName", true, kMaxNameLength);
    std::string dob = c.String(*y, p, "dateOfBirth", true, 10);
    if (!dob.empty()) {
      auto d = ParseDate(dob);
      if (!d) {
        c.Fail(p + "dateOfBirth", "must be a real date written YYYY-MM-DD");
      } else if (*d > received) {
        c.Fail(p + "dateOfBirth", "must not be in the future");
      } else {
        int age = AgeOn(*d, received);
        if (age > kMaxAge) {
          c.Fail(p + "dateOfBirth",
                 fmt::format("gives an age of {}; this service is for ages 0 to {}", age, kMaxAge));
        } else {
          yp.dateOfBirth = *d;
          s.ageOnReceipt = age;
        }
      }
    }
    std::string nhs = c.String(*y, p, "nhsNumber", false, 20);
    if (!nhs.empty()) {
      if (auto n = NormaliseNhsNumber(nhs)) {
        yp.nhsNumber = *n;
      } else {
        c.Fail(p + "nhsNumber",
               "must be a valid 10-digit NHS number (the check digit does not match)");
      }
    }
    std::string pc = c.String(*y, p, "postcode", false, 10);
    if (!pc.empty()) {
      if (auto n = NormalisePostcode(pc)) {
        yp.postcode = *n;
      } else {
        c.Fail(p + "postcode", "must be a UK postcode like LE1 5WW");
      }
    } else if (!body.contains("locality")) {
      c.Fail(p + "postcode", "is required (or give 'locality' when there is no postcode)");
    }
    yp.gender = c.String(*y, p, "gender", false, 2);
    if (!yp.gender.empty() && !Contains(GenderCodes(), yp.gender)) {
      c.Fail(p + "gender",
             "must be an MHSDS gender code: 1 male, 2 female, 3 non-binary, 4 other, X not known, "
             "Z not stated");
    }
    yp.ethnicCategory = c.String(*y, p, "ethnicCategory", false, 2);
    if (!yp.ethnicCategory.empty() && !Contains(EthnicCategoryCodes(), yp.ethnicCategory)) {
      c.Fail(p + "ethnicCategory",
             "must be an NHS ethnic category code: " + JoinCodes(EthnicCategoryCodes()));
    }
    if (const json* ct = c.Object(*y, p, "contact", false)) {
      ParseContact(c, *ct, p + "contact.", yp.contact);
    }
  }

  // What is happening.
  s.source = c.String(body, "", "source", true, 2);
  if (!s.source.empty()) {
    if (!Contains(ReferralSourceCodes(), s.source)) {
      c.Fail("source",
             "must be an MHSDS SourceOfReferralMH code, e.g. B1 self, B2 parent or "
             "carer, A1 GP, C2 education; allowed: " +
                 JoinCodes(ReferralSourceCodes()));
    } else if (body.contains("referrer") && body["referrer"].is_object()) {
      const auto& t = body["referrer"].contains("type") ? body["referrer"]["type"] : json();
      // A type that is not text is reported by the referrer's own check above.
      std::string type = t.is_string() ? t.get<std::string>() : "";
      if (type == "self" && s.source != "B1")
        c.Fail("source", "must be B1 when referrer.type is self");
      if (type == "parent" && s.source != "B2") {
        c.Fail("source", "must be B2 when referrer.type is parent");
      }
      if (type == "professional" && (s.source == "B1" || s.source == "B2")) {
        c.Fail("source",
               "must be a professional source (not B1 or B2) when referrer.type is professional");
      }
    }
  }
  s.needs = c.CodeList(body, "needs", NeedCodes());
  s.risks = c.CodeList(body, "risks", RiskCodes());
  s.context = c.CodeList(body, "context", ContextCodes());
  s.impact = c.String(body, "", "impact", true, 10);
  if (!s.impact.empty() && !Contains(ImpactLevels(), s.impact)) {
    c.Fail("impact", "must be one of: none, mild, moderate, severe");
  }
  if (auto it = body.find("durationWeeks"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 1300) {
      c.Fail("durationWeeks", "must be a whole number of weeks from 0 to 1300");
    } else {
      s.durationWeeks = it->get<int>();
    }
  }
  s.description = c.String(body, "", "description", false, kMaxDescriptionLength);
  std::string locality = c.String(body, "", "locality", false, 40);
  if (!locality.empty()) s.locality = locality;
  if (auto it = body.find("triedServices"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      c.Fail("triedServices", "must be a list of service ids");
    } else {
      static const std::regex kId("^[a-z0-9-]{1,60}$");
      for (size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        if (!v.is_string() || !std::regex_match(v.get_ref<const std::string&>(), kId)) {
          c.Fail(fmt::format("triedServices[{}]", i),
                 "must be a service id like early-intervention");
        } else {
          s.triedServices.push_back(v.get<std::string>());
        }
      }
    }
  }

  if (const json* k = c.Object(body, "", "consent", true)) {
    c.NoUnknownKeys(*k, "consent.", {"youngPersonAgrees", "parentMayBeContacted"});
    s.consent.youngPersonAgrees = c.Bool(*k, "consent.", "youngPersonAgrees", true).value_or(false);
    s.consent.parentMayBeContacted =
        c.Bool(*k, "consent.", "parentMayBeContacted", true).value_or(false);
  }

  if (!c.errors.empty()) {
    auto n = c.errors.size();
    std::string message = fmt::format("The request has {} problem{}: {} {}.", n, n == 1 ? "" : "s",
                                      c.errors[0].path, c.errors[0].message);
    return Status::Invalid(std::move(message), std::move(c.errors));
  }
  return s;
}

json ToJson(const ReferralSubmission& s) {
  json referrer = {{"type", ReferrerTypeName(s.referrer.type)}};
  auto put = [](json& j, const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put(referrer, "name", s.referrer.name);
  put(referrer, "role", s.referrer.role);
  put(referrer, "organisation", s.referrer.organisation);
  put(referrer, "email", s.referrer.email);
  put(referrer, "phone", s.referrer.phone);

  const auto& y = s.youngPerson;
  json yp = {{"givenName", y.givenName},
             {"familyName", y.familyName},
             {"dateOfBirth", FormatDate(y.dateOfBirth)}};
  if (y.nhsNumber) yp["nhsNumber"] = *y.nhsNumber;
  if (y.postcode) yp["postcode"] = *y.postcode;
  put(yp, "gender", y.gender);
  put(yp, "ethnicCategory", y.ethnicCategory);
  json contact = json::object();
  put(contact, "phone", y.contact.phone);
  put(contact, "email", y.contact.email);
  put(contact, "address", y.contact.address);
  put(contact, "preferredMethod", y.contact.preferredMethod);
  if (y.contact.safeToLeaveMessage) contact["safeToLeaveMessage"] = *y.contact.safeToLeaveMessage;
  if (!contact.empty()) yp["contact"] = contact;

  json out = {{"referrer", referrer},
              {"youngPerson", yp},
              {"source", s.source},
              {"needs", s.needs},
              {"risks", s.risks},
              {"context", s.context},
              {"impact", s.impact},
              {"consent",
               {{"youngPersonAgrees", s.consent.youngPersonAgrees},
                {"parentMayBeContacted", s.consent.parentMayBeContacted}}}};
  if (s.durationWeeks) out["durationWeeks"] = *s.durationWeeks;
  if (!s.description.empty()) out["description"] = s.description;
  if (s.locality) out["locality"] = *s.locality;
  if (!s.triedServices.empty()) out["triedServices"] = s.triedServices;
  return out;
}

}  // namespace waymark::domain
