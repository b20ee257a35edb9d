#include "workflow/confidentiality.h"

#include <fmt/format.h>

#include <array>
#include <map>

#include "domain/codes.h"
#include "domain/crisis.h"
#include "security/tokens.h"
#include "workflow/records.h"

namespace waymark::workflow {
namespace {

using nlohmann::json;

}  // namespace

json InitialConfidentiality(const domain::ReferralSubmission& s) {
  json methods = json::array();
  if (!s.youngPerson.contact.preferredMethod.empty()) {
    methods.push_back(s.youngPerson.contact.preferredMethod);
  }
  json c = {{"parentMayBeTold",
             s.referrer.type == domain::ReferrerType::kParent || s.consent.parentMayBeContacted},
            {"parentMayBeContacted", s.consent.parentMayBeContacted},
            {"youngPersonAgrees", s.consent.youngPersonAgrees},
            {"contactMethods", methods}};
  if (s.youngPerson.contact.safeToLeaveMessage) {
    c["safeToLeaveMessage"] = *s.youngPerson.contact.safeToLeaveMessage;
  }
  return c;
}

Result<json> ParseConfidentiality(const json& body) {
  std::vector<FieldError> errors;
  if (!body.is_object())
    return Status::Invalid("The body must be an object.", {{"", "must be an object"}});
  static constexpr std::array<std::string_view, 7> kKeys = {
      "version",          "parentMayBeTold",    "parentMayBeContacted",
      "contactMethods",   "safeToLeaveMessage", "competence",
      "youngPersonAgrees"};
  for (auto& [k, v] : body.items()) {
    if (!domain::Contains(kKeys, k)) errors.push_back({k.substr(0, 40), "unknown field"});
  }
  json out = json::object();
  for (const char* k : {"parentMayBeTold", "parentMayBeContacted"}) {
    if (!body.contains(k) || !body[k].is_boolean()) {
      errors.push_back({k, "is required: true or false"});
    } else {
      out[k] = body[k];
    }
  }
  for (const char* k : {"safeToLeaveMessage", "youngPersonAgrees"}) {
    if (body.contains(k) && !body[k].is_null()) {
      if (!body[k].is_boolean()) {
        errors.push_back({k, "must be true or false"});
      } else {
        out[k] = body[k];
      }
    }
  }
  static constexpr std::array<std::string_view, 4> kMethods = {"phone", "text", "email", "letter"};
  out["contactMethods"] = json::array();
  if (body.contains("contactMethods") && !body["contactMethods"].is_null()) {
    if (!body["contactMethods"].is_array()) {
      errors.push_back({"contactMethods", "must be a list of: phone, text, email, letter"});
    } else {
      for (size_t i = 0; i < body["contactMethods"].size(); ++i) {
        const auto& m = body["contactMethods"][i];
        if (!m.is_string() || !domain::Contains(kMethods, m.get_ref<const std::string&>())) {
          errors.push_back(
              {fmt::format("contactMethods[{}]", i), "must be phone, text, email or letter"});
        } else {
          out["contactMethods"].push_back(m);
        }
      }
    }
  }
  if (body.contains("competence") && !body["competence"].is_null()) {
    const auto& c = body["competence"];
    if (!c.is_object() || !c.contains("assessed") || !c["assessed"].is_boolean() ||
        !c.contains("competent") || !c["competent"].is_boolean()) {
      errors.push_back({"competence",
                        "must be {\"assessed\": true|false, \"competent\": "
                        "true|false, \"notes\": text}"});
    } else if (c.contains("notes") && (!c["notes"].is_string() ||
                                       c["notes"].get_ref<const std::string&>().size() > 4000)) {
      errors.push_back({"competence.notes", "must be text of at most 4000 characters"});
    } else {
      out["competence"] = {{"assessed", c["assessed"]},
                           {"competent", c["competent"]},
                           {"notes", c.value("notes", "")}};
    }
  }
  if (!errors.empty()) {
    std::string msg = "The choices have problems: " + errors[0].path + " " + errors[0].message;
    return Status::Invalid(std::move(msg), std::move(errors));
  }
  return out;
}

bool ParentMayBeTold(const store::ReferralRow& row) {
  if (row.safeguardingOverride) return true;
  if (!row.confidentiality.is_object()) return true;
  return row.confidentiality.value("parentMayBeTold", true);
}

bool CompetenceAssessmentNeeded(const store::ReferralRow& row) {
  if (row.ageOnReceipt >= 16 || ParentMayBeTold(row)) return false;
  auto c = row.confidentiality.value("competence", json::object());
  return !c.value("assessed", false);
}

json RestrictedStory(const store::ReferralRow& row) {
  return {{"reference", row.reference},
          {"receivedOn", domain::FormatDate(domain::DateOf(row.receivedAt))},
          {"stage", "private"},
          {"headline", "The request has been received"},
          {"whatIsHappening",
           "The young person has asked us to keep the details private, and we are working with "
           "them. We cannot share more here."},
          {"whatHappensNext",
           "If you are worried about their safety, talk to our team or use the numbers below."},
          {"ifThingsGetWorse", domain::CrisisHelp()}};
}

std::string StatusLinkHolder(const store::ReferralRow& row) {
  if (row.confidentiality.is_object()) {
    auto h = row.confidentiality.value("statusLinkHolder", "");
    if (!h.empty()) return h;
  }
  if (row.referrerType == "self") return "young-person";
  if (row.referrerType == "professional") return "professional";
  return "parent";
}

bool StatusLinkMayShowDetails(const store::ReferralRow& row) {
  auto holder = StatusLinkHolder(row);
  return holder == "young-person" || holder == "professional" || ParentMayBeTold(row);
}

bool ParentMayBeContacted(const store::ReferralRow& row) {
  if (row.safeguardingOverride) return true;
  if (!row.confidentiality.is_object()) return true;
  return row.confidentiality.value("parentMayBeContacted", true);
}

Status CheckContactMechanism(const store::ReferralRow& row, const std::string& mechanism) {
  static const std::map<std::string, std::string> kMethodOf = {
      {"02", "phone"}, {"05", "email"}, {"09", "text"}};
  auto it = kMethodOf.find(mechanism);
  if (it == kMethodOf.end() || !row.confidentiality.is_object()) return Status::Ok();
  // At intake a method is a preference; only choices recorded with the young person rule
  // others out.
  if (!row.confidentiality.contains("recordedAt")) return Status::Ok();
  const auto& methods = row.confidentiality.value("contactMethods", json::array());
  if (!methods.is_array() || methods.empty()) return Status::Ok();  // no choice recorded
  for (const auto& m : methods) {
    if (m == it->second) return Status::Ok();
  }
  std::string allowed;
  for (const auto& m : methods) allowed += (allowed.empty() ? "" : ", ") + m.get<std::string>();
  return Status(ErrorCode::kConflict,
                "The young person asked not to be contacted by " + it->second +
                    ". They may be contacted by: " + allowed + ".",
                {{"mechanism", "the young person said no to " + it->second}});
}

bool MayLeaveMessage(const store::ReferralRow& row) {
  return !row.confidentiality.is_object() || row.confidentiality.value("safeToLeaveMessage", true);
}

std::string SafeguardingReviewReason(const store::ReferralRow& row) {
  if (row.safeguardingOverride) return "safeguarding-override";
  if (row.decision.is_object() && row.decision.contains("alerts") &&
      row.decision["alerts"].is_array()) {
    for (const auto& a : row.decision["alerts"]) {
      if (a.is_object() && a.value("code", "") == "safeguarding") return "safeguarding-alert";
    }
  }
  return "";
}

json TransitionForList(const json& alert) {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  std::string on = alert.value("on", "");
  auto date = domain::ParseDate(on);
  if (!date) return json();
  std::string month = fmt::format("{} {}", kMonths[date->month - 1], date->year);
  std::string message = alert.value("message", "");
  if (auto at = message.find("on " + on); at != std::string::npos) {
    message.replace(at, on.size() + 3, "in " + month);
  }
  return {{"code", alert.value("code", "")},
          {"month", fmt::format("{:04}-{:02}", date->year, date->month)},
          {"message", message}};
}

Result<store::ReferralRow> Confidentiality::LoadAtVersion(const std::string& reference,
                                                          int64_t version) {
  auto row = store_.GetReferral(security::NormaliseReference(reference));
  if (!row.ok()) return row.status();
  if (row->version != version) {
    return Status::Conflict(
        fmt::format("Someone else changed this referral first (version {}).", row->version));
  }
  return row;
}

Confidentiality::Confidentiality(store::Store& store, const domain::Clock& clock,
                                 AlertListener listener)
    : store_(store), clock_(clock), listener_(std::move(listener)) {}

Result<store::ReferralRow> Confidentiality::Record(const std::string& reference, int64_t version,
                                                   const json& choices, const StaffActor& who) {
  auto row = LoadAtVersion(reference, version);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  json c = choices;
  if (c.contains("competence")) {
    c["competence"]["by"] = who.actor.id;
    c["competence"]["at"] = domain::FormatTimestamp(now);
  }
  if (row->confidentiality.is_object() && row->confidentiality.contains("statusLinkHolder")) {
    c["statusLinkHolder"] = row->confidentiality["statusLinkHolder"];
  }
  // Choices recorded with the young person (not the preference given at intake): the contact
  // methods are then the only ones allowed (CheckContactMechanism).
  c["recordedAt"] = domain::FormatTimestamp(now);
  c["recordedBy"] = who.actor.id;
  cmd.row.confidentiality = c;
  cmd.row.updatedAt = now;
  cmd.expectedVersion = version;
  cmd.events.push_back(NewEvent(row->reference, "confidentiality.recorded", who.actor, now, "",
                                {{"parentMayBeTold", c["parentMayBeTold"]},
                                 {"competenceAssessed", c.contains("competence")}}));
  cmd.audits.push_back(
      NewAudit(who.actor, now, "confidentiality.record", row->reference, "confidentiality"));
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  cmd.row.version = version + 1;
  return cmd.row;
}

Result<store::ReferralRow> Confidentiality::SafeguardingOverride(const std::string& reference,
                                                                 int64_t version,
                                                                 const std::string& reason,
                                                                 const StaffActor& who) {
  if (reason.size() < 10) {
    return Status::Invalid("Say why confidentiality must be overridden.",
                           {{"reason", "is required: the safeguarding reason, in a sentence"}});
  }
  auto row = LoadAtVersion(reference, version);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  cmd.row.safeguardingOverride = true;
  cmd.row.updatedAt = now;
  cmd.expectedVersion = version;
  store::AlertRow alert{security::NewId(),
                        row->reference,
                        "safeguarding-override",
                        "Confidentiality overridden for safeguarding: the safeguarding lead must "
                        "review.",
                        now,
                        std::nullopt};
  alert.audience = "safeguarding-lead";  // cleared only by the lead's acknowledgement
  cmd.alerts.push_back(alert);
  cmd.events.push_back(NewEvent(row->reference, "confidentiality.safeguarding-override", who.actor,
                                now, reason, {}));
  // The reason is free text: it stays in the event (which retention can blank), and the
  // append-only audit entry points at it.
  cmd.audits.push_back(NewAudit(who.actor, now, "confidentiality.safeguarding-override",
                                row->reference, "confidentiality",
                                "see event " + cmd.events.back().id));
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  if (listener_) listener_(AlertJson(alert));
  cmd.row.version = version + 1;
  return cmd.row;
}

Result<std::string> Confidentiality::ReissueStatusToken(const std::string& reference,
                                                        int64_t version, const StaffActor& who,
                                                        const std::string& holder) {
  if (!holder.empty() && holder != "young-person" && holder != "parent" &&
      holder != "professional") {
    return Status::Invalid("Say who the new link is for.",
                           {{"holder", "must be young-person, parent or professional"}});
  }
  auto row = LoadAtVersion(reference, version);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  std::string token = security::NewSecret();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  cmd.row.tokenHash = security::HashSecret(token);
  cmd.row.updatedAt = now;
  if (!holder.empty()) {
    if (!cmd.row.confidentiality.is_object()) cmd.row.confidentiality = json::object();
    cmd.row.confidentiality["statusLinkHolder"] = holder;
  }
  cmd.expectedVersion = version;
  cmd.events.push_back(NewEvent(row->reference, "status-token.reissued", who.actor, now, "",
                                {{"holder", StatusLinkHolder(cmd.row)}}));
  cmd.audits.push_back(
      NewAudit(who.actor, now, "status-token.reissue", row->reference, "statusToken"));
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  return token;
}

}  // namespace waymark::workflow
