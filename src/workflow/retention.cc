#include "workflow/retention.h"

#include "domain/identifiers.h"
#include "workflow/lifecycle.h"
#include "workflow/records.h"

namespace waymark::workflow {

using nlohmann::json;

store::ReferralRow Pseudonymised(const store::ReferralRow& row) {
  store::ReferralRow r = row;
  json keep = {{"pseudonymised", true}};
  for (const char* k : {"source", "needs", "risks", "context", "impact", "durationWeeks"}) {
    if (row.submission.contains(k)) keep[k] = row.submission[k];
  }
  if (row.submission.contains("referrer")) {
    keep["referrer"] = {{"type", row.submission["referrer"].value("type", "")}};
  }
  r.submission = keep;
  r.tokenHash = "pseudonymised";  // the family's link stops working
  r.birthDate.clear();
  r.familyMessage.clear();
  if (r.decision.is_object()) r.decision.erase("input");
  // The clinician's competence notes are free text; whether it was assessed, and the
  // outcome, are kept (coded).
  if (r.confidentiality.is_object() && r.confidentiality.contains("competence") &&
      r.confidentiality["competence"].is_object()) {
    r.confidentiality["competence"].erase("notes");
  }
  // A closing or discharge outcome is free text; the coded ones stay.
  if (!r.outcome.empty() && r.outcome != "signposted" && r.outcome.rfind("declined by ", 0) != 0) {
    r.outcome = store::kRemovedAtRetention;
  }
  return r;
}

Result<json> SubjectAccessBundle(store::Store& store, const domain::Clock& clock,
                                 const std::string& nhs_number, const Actor& actor) {
  auto nhs = domain::NormaliseNhsNumber(nhs_number);
  if (!nhs)
    return Status::Invalid("Not an NHS number.", {{"nhsNumber", "must be a valid NHS number"}});
  std::vector<store::ReferralRow> rows;
  auto st = store.ForEachReferral([&](const store::ReferralRow& r) {
    if (r.submission.value("youngPerson", json::object()).value("nhsNumber", "") == *nhs) {
      rows.push_back(r);
    }
  });
  if (!st.ok()) return st;
  if (rows.empty()) return Status::NotFound("No referral holds that NHS number.");
  json out = {{"nhsNumber", domain::FormatNhsNumber(*nhs)},
              {"producedAt", domain::FormatTimestamp(clock.Now())},
              {"referrals", json::array()}};
  for (const auto& r : rows) {
    auto a =
        NewAudit(actor, clock.Now(), "person.export", r.reference, "all", "subject access request");
    if (auto s = store.AppendAudit(a); !s.ok()) return s;
    json ref = {{"reference", r.reference},
                {"status", r.status},
                {"receivedAt", domain::FormatTimestamp(r.receivedAt)},
                {"submission", r.submission},
                {"decision", r.decision}};
    auto informants = InformantsJson(store, r.reference);
    if (!informants.ok()) return informants.status();
    ref["informants"] = informants.value();
    auto cs = store.ContactsFor(r.reference);
    if (!cs.ok()) return cs.status();
    ref["contacts"] = ContactsJson(cs.value());
    json events = json::array();
    auto evs = store.EventsFor(r.reference);
    if (!evs.ok()) return evs.status();
    for (const auto& e : evs.value()) {
      events.push_back(
          {{"kind", e.kind}, {"at", domain::FormatTimestamp(e.at)}, {"reason", e.reason}});
    }
    ref["events"] = events;
    json audit = json::array();
    auto au = store.AuditFor("referral/" + r.reference);
    if (!au.ok()) return au.status();
    for (const auto& e : au.value()) {
      audit.push_back({{"at", domain::FormatTimestamp(e.at)},
                       {"role", e.role},
                       {"action", e.action},
                       {"reason", e.reason}});
    }
    ref["accessLog"] = audit;
    out["referrals"].push_back(ref);
  }
  return out;
}

Result<PurgeReport> Purge(store::Store& store, const domain::Clock& clock, int retention_days,
                          bool dry_run, const Actor& actor) {
  auto now = clock.Now();
  auto cutoff = now - std::chrono::hours(24) * retention_days;
  PurgeReport report;
  std::vector<std::string> due;
  auto st = store.ForEachReferral([&](const store::ReferralRow& r) {
    ++report.examined;
    auto stage = ParseStage(r.status);
    if (!stage || !IsTerminal(*stage) || r.updatedAt >= cutoff) return;
    if (r.submission.value("pseudonymised", false)) return;
    due.push_back(r.reference);
  });
  if (!st.ok()) return st;
  for (const auto& ref : due) {
    report.references.push_back(ref);
    if (dry_run) continue;
    auto row = store.GetReferral(ref);
    if (!row.ok()) return row.status();
    auto a =
        NewAudit(actor, now, "referral.pseudonymise", ref,
                 "youngPerson,referrer,description,contact,informantViews,competenceNotes,"
                 "eventReasons,alertMessages,outcome",
                 "retention: closed for more than " + std::to_string(retention_days) + " days");
    if (auto s = store.Pseudonymise(Pseudonymised(row.value()), row->version, a); !s.ok()) return s;
    ++report.pseudonymised;
  }
  return report;
}

}  // namespace waymark::workflow
