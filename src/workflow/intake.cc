// Intake and the family's view of a referral.
#include "workflow/intake.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/codes.h"
#include "domain/crisis.h"
#include "domain/identifiers.h"
#include "security/tokens.h"
#include "workflow/confidentiality.h"
#include "workflow/records.h"

namespace waymark::workflow {
namespace {

using nlohmann::json;
constexpr int kMaxReferenceAttempts = 8;
constexpr std::array<std::string_view, 5> kInformantRoles = {"parent", "school", "young-person",
                                                             "professional", "other"};

}  // namespace

Intake::Intake(store::Store& store, const domain::Clock& clock, LocalityResolver locality,
               TriageClock triage_clock, std::vector<std::string> locality_codes)
    : store_(store),
      clock_(clock),
      locality_(std::move(locality)),
      triageClock_(std::move(triage_clock)),
      localityCodes_(std::move(locality_codes)) {}

store::ReferralRow Intake::MakeRow(const domain::ReferralSubmission& s, domain::Timestamp at,
                                   const std::string& token_hash, bool crisis) const {
  store::ReferralRow row;
  row.tokenHash = token_hash;
  row.status = "received";
  row.owner = kTriageTeam;
  row.receivedAt = at;
  row.updatedAt = at;
  row.version = 1;
  row.source = s.source;
  row.referrerType = domain::ReferrerTypeName(s.referrer.type);
  row.ageOnReceipt = s.ageOnReceipt;
  if (s.youngPerson.postcode) {
    row.postcodeDistrict = domain::PostcodeDistrict(*s.youngPerson.postcode);
    if (locality_) row.locality = locality_(*s.youngPerson.postcode);
  }
  if (row.locality.empty() && s.locality) row.locality = *s.locality;
  row.gender = s.youngPerson.gender;
  row.ethnicCategory = s.youngPerson.ethnicCategory;
  row.crisis = crisis;
  // Untriaged: a request that signals danger is at the top of the queue until the model or a
  // clinician says otherwise; any other is ranked urgent, as nobody has looked at it yet.
  row.priorityRank = crisis ? 1 : 3;
  if (triageClock_) row.triageDueAt = triageClock_(at, crisis);
  row.submission = domain::ToJson(s);
  row.birthDate = domain::FormatDate(s.youngPerson.dateOfBirth);
  row.confidentiality = InitialConfidentiality(s);
  row.needs = s.needs;
  return row;
}

Result<Acknowledgement> Intake::Submit(const json& body, const Actor& actor) {
  auto now = clock_.Now();
  auto parsed = domain::ParseReferralSubmission(body, domain::DateOf(now));
  if (!parsed.ok()) return parsed.status();
  const auto& s = parsed.value();
  if (s.locality && !localityCodes_.empty() &&
      std::find(localityCodes_.begin(), localityCodes_.end(), *s.locality) ==
          localityCodes_.end()) {
    std::string allowed;
    for (const auto& c : localityCodes_) allowed += (allowed.empty() ? "" : ", ") + c;
    return Status::Invalid("Check locality.",
                           {{"locality", "is not a locality of this area; allowed: " + allowed}});
  }
  bool crisis = domain::SignalsImmediateDanger(body);

  Acknowledgement ack;
  ack.statusToken = security::NewSecret();
  ack.crisis = crisis;
  store::ReferralRow row = MakeRow(s, now, security::HashSecret(ack.statusToken), crisis);
  // A clash of references is rare (22^8 of them); on a clash make a new one.
  for (int attempt = 0; attempt < kMaxReferenceAttempts; ++attempt) {
    row.reference = security::NewReference();
    json data = {{"source", s.source},
                 {"referrerType", row.referrerType},
                 {"crisis", crisis},
                 {"needs", s.needs},
                 {"risks", s.risks}};
    std::vector<store::Event> events = {
        NewEvent(row.reference, "referral.received", actor, now, "", data)};
    auto audit = NewAudit(actor, now, "referral.create", row.reference,
                          "referrer,youngPerson,needs,risks,context,description,consent");
    Status st = store_.CreateReferral(row, events, audit);
    if (st.ok()) {
      ack.reference = row.reference;
      return ack;
    }
    if (st.code() != ErrorCode::kConflict) return st;
  }
  return Status::Unavailable("could not allocate a reference; please try again");
}

Result<std::vector<std::string>> Intake::ImportBatch(
    const std::vector<domain::ReferralSubmission>& subs,
    const std::vector<domain::Timestamp>& received, const Actor& actor) {
  std::vector<store::ReferralRow> rows;
  std::vector<store::Event> events;
  std::vector<std::string> refs;
  for (size_t i = 0; i < subs.size(); ++i) {
    bool crisis = domain::SignalsImmediateDanger(domain::ToJson(subs[i]));
    auto row = MakeRow(subs[i], received[i], security::HashSecret(security::NewSecret()), crisis);
    row.reference = security::NewReference();
    events.push_back(NewEvent(row.reference, "referral.received", actor, received[i], "",
                              {{"source", row.source}, {"imported", true}}));
    refs.push_back(row.reference);
    rows.push_back(std::move(row));
  }
  if (auto st = store_.CreateReferrals(rows, events); !st.ok()) return st;
  return refs;
}

Result<store::ReferralRow> Intake::AuthoriseFamily(const std::string& reference,
                                                   const std::string& token) {
  static const std::string kDummyHash = security::HashSecret("no-such-referral");
  std::string ref = security::NormaliseReference(reference);
  auto row =
      ref.empty() ? Result<store::ReferralRow>(Status::NotFound("")) : store_.GetReferral(ref);
  // Same work whether or not the referral exists: hash and compare either way.
  const std::string& expected = row.ok() ? row->tokenHash : kDummyHash;
  bool match = security::ConstantTimeEquals(security::HashSecret(token), expected);
  if (!row.ok() && row.status().code() != ErrorCode::kNotFound) return row.status();
  if (!row.ok() || !match || token.empty()) {
    return Status::NotFound("We could not find a request with that reference and code.");
  }
  return row;
}

Result<InformantInvite> Intake::InviteInformant(const std::string& reference,
                                                const std::string& token, const std::string& role,
                                                const Actor& actor) {
  if (!domain::Contains(kInformantRoles, role)) {
    return Status::Invalid("Unknown informant role.",
                           {{"role", "must be one of: " + domain::JoinCodes(kInformantRoles)}});
  }
  auto row = AuthoriseFamily(reference, token);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  InformantInvite invite{security::NewId(), security::NewSecret(), role};
  store::InformantRow inf{invite.informantId,
                          row->reference,
                          role,
                          security::HashSecret(invite.inviteToken),
                          now,
                          actor.id + ":" + actor.role};
  auto event = NewEvent(row->reference, "informant.invited", actor, now, "",
                        {{"informantId", invite.informantId}, {"role", role}});
  auto audit = NewAudit(actor, now, "informant.invite", row->reference, "informants");
  if (auto st = store_.CreateInformant(inf, event, audit); !st.ok()) return st;
  return invite;
}

Result<json> ParseInformantView(const json& body) {
  std::vector<FieldError> errors;
  if (!body.is_object())
    return Status::Invalid("The body must be a JSON object.", {{"", "must be a JSON object"}});
  static constexpr std::array<std::string_view, 6> kKeys = {
      "relationship", "concerns", "needs", "risks", "impact", "strengths"};
  json out = json::object();
  for (auto& [k, v] : body.items()) {
    if (!domain::Contains(kKeys, k)) {
      errors.push_back({k.substr(0, 40), "unknown field; allowed: " + domain::JoinCodes(kKeys)});
    }
  }
  for (const char* k : {"relationship", "concerns", "strengths"}) {
    if (!body.contains(k) || body[k].is_null()) continue;
    if (!body[k].is_string() || body[k].get_ref<const std::string&>().size() > 10000) {
      errors.push_back({k, "must be text of at most 10000 characters"});
    } else {
      out[k] = body[k];
    }
  }
  auto codes = [&](const char* k, std::span<const std::string_view> allowed) {
    if (!body.contains(k) || body[k].is_null()) return;
    if (!body[k].is_array()) {
      errors.push_back({k, "must be a list of codes; allowed: " + domain::JoinCodes(allowed)});
      return;
    }
    for (size_t i = 0; i < body[k].size(); ++i) {
      const auto& v = body[k][i];
      if (!v.is_string() || !domain::Contains(allowed, v.get_ref<const std::string&>())) {
        errors.push_back(
            {fmt::format("{}[{}]", k, i), "unknown code; allowed: " + domain::JoinCodes(allowed)});
      }
    }
    out[k] = body[k];
  };
  codes("needs", domain::NeedCodes());
  codes("risks", domain::RiskCodes());
  if (body.contains("impact") && !body["impact"].is_null()) {
    if (!body["impact"].is_string() ||
        !domain::Contains(domain::ImpactLevels(), body["impact"].get_ref<const std::string&>())) {
      errors.push_back({"impact", "must be one of: none, mild, moderate, severe"});
    } else {
      out["impact"] = body["impact"];
    }
  }
  if (out.empty() && errors.empty()) {
    errors.push_back(
        {"concerns", "give at least one answer (concerns, needs, risks, impact or strengths)"});
  }
  if (!errors.empty()) {
    std::string message = fmt::format("The view has {} problem(s): {} {}.", errors.size(),
                                      errors[0].path, errors[0].message);
    return Status::Invalid(std::move(message), std::move(errors));
  }
  return out;
}

Result<int> Intake::SubmitInformantView(const std::string& informant_id, const std::string& token,
                                        const json& body, const Actor& actor) {
  static const std::string kDummyHash = security::HashSecret("no-such-informant");
  auto inf = store_.GetInformant(informant_id);
  const std::string& expected = inf.ok() ? inf->inviteTokenHash : kDummyHash;
  bool match = security::ConstantTimeEquals(security::HashSecret(token), expected);
  if (!inf.ok() && inf.status().code() != ErrorCode::kNotFound) return inf.status();
  if (!inf.ok() || !match || token.empty()) {
    return Status::NotFound("We could not find that invitation.");
  }
  auto view = ParseInformantView(body);
  if (!view.ok()) return view.status();
  auto now = clock_.Now();
  auto event = NewEvent(inf->reference, "informant.view-added", actor, now, "",
                        {{"informantId", informant_id}, {"role", inf->role}});
  auto audit = NewAudit(actor, now, "informant.view-add", inf->reference, "informantView");
  return store_.AddInformantView(informant_id, now, view.value(), event, audit);
}

Result<json> Intake::StaffView(const std::string& reference, const Actor& actor,
                               const std::string& reason) {
  std::string ref = security::NormaliseReference(reference);
  if (ref.empty()) return Status::NotFound("no referral " + reference);
  auto row = store_.GetReferral(ref);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  auto audit = NewAudit(actor, now, "referral.read", ref, "all", reason);
  // The read is audited before the data leaves: no audit, no data.
  if (auto st = store_.AppendAudit(audit); !st.ok()) return st;
  json out = {{"reference", row->reference},
              {"status", row->status},
              {"owner", row->owner},
              {"receivedAt", domain::FormatTimestamp(row->receivedAt)},
              {"updatedAt", domain::FormatTimestamp(row->updatedAt)},
              {"version", row->version},
              {"ageOnReceipt", row->ageOnReceipt},
              {"locality", row->locality},
              {"crisis", row->crisis},
              {"submission", row->submission}};
  auto informants = InformantsJson(store_, ref);
  if (!informants.ok()) return informants.status();
  out["informants"] = informants.value();
  auto events = store_.EventsFor(ref);
  if (!events.ok()) return events.status();
  json evs = json::array();
  for (const auto& e : events.value()) {
    evs.push_back({{"kind", e.kind},
                   {"actor", e.actor},
                   {"at", domain::FormatTimestamp(e.at)},
                   {"reason", e.reason},
                   {"data", e.data}});
  }
  out["events"] = evs;
  return out;
}

}  // namespace waymark::workflow
