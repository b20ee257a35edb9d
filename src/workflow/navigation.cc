// Navigation actions, clocks and the lists staff and families see.
#include "workflow/navigation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "domain/codes.h"
#include "domain/crisis.h"
#include "security/tokens.h"
#include "workflow/confidentiality.h"
#include "workflow/records.h"

namespace waymark::workflow {
namespace {

using domain::Timestamp;
using nlohmann::json;

constexpr std::array<std::string_view, 10> kMechanisms = {"01", "02", "04", "05", "09",
                                                          "10", "11", "12", "13", "98"};
constexpr std::array<std::string_view, 6> kAttendStatuses = {"5", "6", "7", "2", "3", "4"};

int PriorityRank(const std::string& p) {
  if (p == "emergency") return 1;
  if (p == "very-urgent") return 2;
  if (p == "urgent") return 3;
  return 4;
}

domain::Priority DirPriority(const std::string& p) {
  return domain::ParsePriority(p).value_or(domain::Priority::kRoutine);
}

long MinutesBetween(Timestamp from, Timestamp to) {
  return std::chrono::duration_cast<std::chrono::minutes>(to - from).count();
}

bool Holds(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string Plural(long n, const char* unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

}  // namespace

bool CountsForAccess(std::string_view m) {
  return m == "01" || m == "02" || m == "04" || m == "11";
}

bool Attended(std::string_view s) { return s == "5" || s == "6"; }

Result<ActionRequest> ParseActionRequest(Action action, const json& body) {
  ActionRequest r;
  r.action = action;
  std::vector<FieldError> errors;
  if (!body.is_object())
    return Status::Invalid("The body must be a JSON object.", {{"", "must be an object"}});
  static constexpr std::array<std::string_view, 8> kKeys = {
      "version",   "serviceId", "reason",    "signpostTo",
      "bookedFor", "mechanism", "contactId", "attendStatus"};
  for (auto& [k, v] : body.items()) {
    if (!domain::Contains(kKeys, k)) {
      errors.push_back({k.substr(0, 40), "unknown field; allowed: " + domain::JoinCodes(kKeys)});
    }
  }
  auto str = [&](const char* k, size_t max) -> std::string {
    if (!body.contains(k) || body[k].is_null()) return "";
    if (!body[k].is_string() || body[k].get_ref<const std::string&>().size() > max) {
      errors.push_back({k, fmt::format("must be text of at most {} characters", max)});
      return "";
    }
    return body[k].get<std::string>();
  };
  if (!body.contains("version") || !body["version"].is_number_integer()) {
    errors.push_back({"version", "is required: the version of the referral you were looking at"});
  } else {
    r.version = body["version"].get<int64_t>();
  }
  r.serviceId = str("serviceId", 60);
  r.reason = str("reason", 2000);
  r.signpostTo = str("signpostTo", 2000);
  r.mechanism = str("mechanism", 2);
  r.contactId = str("contactId", 64);
  r.attendStatus = str("attendStatus", 1);
  std::string booked = str("bookedFor", 40);
  if (!booked.empty()) {
    r.bookedFor = domain::ParseTimestamp(booked);
    if (!r.bookedFor) errors.push_back({"bookedFor", "must be a time like 2026-12-01T10:00:00Z"});
  }
  switch (action) {
    case Action::kRoute:
      if (r.serviceId.empty())
        errors.push_back({"serviceId", "is required: the service to route to"});
      break;
    case Action::kSignpost:
      if (r.signpostTo.empty()) {
        errors.push_back(
            {"signpostTo", "is required: where the family is told to go, in plain words"});
      }
      break;
    case Action::kBookContact:
      if (!r.bookedFor && booked.empty()) errors.push_back({"bookedFor", "is required"});
      if (!domain::Contains(kMechanisms, r.mechanism)) {
        errors.push_back({"mechanism",
                          "must be an MHSDS ConsMechanismMH code: 01 face to face, 02 "
                          "telephone, 04 talk type, 05 email, 09 text, 10 instant "
                          "messaging, 11 video, 12 message board, 13 chat room, 98 other"});
      }
      break;
    case Action::kRecordAttendance:
      if (r.contactId.empty()) errors.push_back({"contactId", "is required"});
      if (!domain::Contains(kAttendStatuses, r.attendStatus)) {
        errors.push_back({"attendStatus",
                          "must be an MHSDS AttendStatus code: 5 attended on time, 6 "
                          "late but seen, 7 late and not seen, 2 cancelled by "
                          "patient, 3 did not attend, 4 cancelled by provider"});
      }
      break;
    default:
      break;
  }
  if (NeedsReason(action) && r.reason.empty()) {
    errors.push_back({"reason", "is required for " + std::string(ActionName(action))});
  }
  if (!errors.empty()) {
    std::string message = fmt::format("The action has {} problem(s): {} {}", errors.size(),
                                      errors[0].path, errors[0].message);
    return Status::Invalid(std::move(message), std::move(errors));
  }
  return r;
}

Navigation::Navigation(store::Store& store, const domain::Clock& clock, const directory::Area& area,
                       const TriageEngine* engine, AlertListener listener)
    : store_(store),
      clock_(clock),
      fixedArea_(std::make_unique<directory::LiveArea>(directory::LiveArea::Unowned(area))),
      area_(*fixedArea_),
      engine_(engine),
      listener_(std::move(listener)) {}

Navigation::Navigation(store::Store& store, const domain::Clock& clock,
                       const directory::LiveArea& area, const TriageEngine* engine,
                       AlertListener listener)
    : store_(store), clock_(clock), area_(area), engine_(engine), listener_(std::move(listener)) {}

namespace {
// The stored decision without the triage input it read (that repeats the submission).
json DecisionWithoutInput(json d) {
  if (d.is_object()) d.erase("input");
  return d;
}
}  // namespace

json AlertJson(const store::AlertRow& a) {
  return {{"id", a.id},
          {"reference", a.reference},
          {"code", a.code},
          {"message", a.message},
          {"raisedAt", domain::FormatTimestamp(a.raisedAt)}};
}

domain::TriageInput Navigation::InputFor(const store::ReferralRow& row) const {
  return TriageInputFor(row);
}

domain::TriageInput TriageInputFor(const store::ReferralRow& row) {
  auto sub = domain::ParseReferralSubmission(row.submission, domain::DateOf(row.receivedAt));
  domain::TriageInput in;
  if (sub.ok()) in = domain::TriageInputFrom(sub.value(), row.locality);
  in.age = row.ageOnReceipt;
  if (!row.locality.empty()) in.locality = row.locality;
  return in;
}

Status Navigation::Triage(const std::string& reference, const Actor& actor) {
  const auto area = area_.Current();  // one snapshot for the whole call
  if (!engine_) return Status::Unavailable("no decision model is loaded");
  auto row = store_.GetReferral(reference);
  if (!row.ok()) return row.status();
  auto stage = ParseStage(row->status).value_or(Stage::kReceived);
  if (auto next = Next(stage, Action::kTriage); !next.ok()) return next.status();
  domain::TriageInput input = InputFor(row.value());
  auto decision = engine_->Decide(input);
  if (!decision.ok()) return decision.status();
  auto now = clock_.Now();
  store::ReferralRow r = row.value();
  int64_t version = r.version;
  r.status = StageName(*Next(stage, Action::kTriage));
  r.priority = domain::PriorityName(decision->priority);
  r.priorityRank = PriorityRank(r.priority);
  r.thriveGroup = decision->thriveGroup;
  r.decision = domain::ToJson(decision.value());
  r.decision["input"] = domain::ToJson(input);  // what the model read, to reproduce it
  r.modelVersion = decision->modelVersion;
  r.recommendedService = decision->services.empty() ? "" : decision->services.front().id;
  r.triageDueAt = area->settings().triage_team.access_standard.DueTime(
      r.receivedAt, DirPriority(r.priority), area->calendar());
  r.updatedAt = now;
  store::ReferralCommand cmd;
  cmd.row = r;
  cmd.expectedVersion = version;
  cmd.events.push_back(
      NewEvent(r.reference, "referral.triaged", actor, now, "",
               {{"priority", r.priority},
                {"thriveGroup", r.thriveGroup},
                {"recommended", decision->services.empty() ? "" : decision->services.front().id},
                {"modelVersion", r.modelVersion},
                {"directoryVersion", decision->directoryVersion}}));
  if (decision->priority == domain::Priority::kEmergency) {
    cmd.alerts.push_back({security::NewId(), r.reference, "emergency",
                          "Emergency referral: respond within 1 hour.", now, std::nullopt});
  }
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  if (listener_) {
    for (const auto& a : cmd.alerts) listener_(AlertJson(a));
  }
  return Status::Ok();
}

void Navigation::AfterIntake(const std::string& reference, bool crisis, const Actor& actor) {
  Status triaged = engine_ ? Triage(reference, actor) : Status::Unavailable("no model");
  if (!crisis) return;
  auto row = store_.GetReferral(reference);
  if (!row.ok() || row->priority == "emergency") return;
  auto now = clock_.Now();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  cmd.expectedVersion = row->version;
  cmd.row.updatedAt = now;
  cmd.alerts.push_back({security::NewId(), reference, "crisis-signalled",
                        triaged.ok() ? "The request signals danger: review it now."
                                     : "The request signals danger and has not been triaged "
                                       "by the model: review it now.",
                        now, std::nullopt});
  cmd.events.push_back(
      NewEvent(reference, "alert.raised", actor, now, "", {{"code", "crisis-signalled"}}));
  if (store_.ApplyReferralCommand(cmd).ok() && listener_) listener_(AlertJson(cmd.alerts[0]));
}

bool Navigation::MayRead(const store::ReferralRow& row, const StaffActor& who) const {
  if (Holds(who.roles, "triage-clinician") || Holds(who.roles, "clinical-lead")) return true;
  bool service_staff = Holds(who.roles, "service-clinician") || Holds(who.roles, "service-manager");
  if (service_staff && !row.serviceId.empty() &&
      (Holds(who.services, "*") || Holds(who.services, row.serviceId))) {
    return true;
  }
  // The safeguarding lead: only referrals with a safeguarding alert or override to review.
  return Holds(who.roles, "safeguarding-lead") && !SafeguardingReviewReason(row).empty();
}

Status Navigation::Authorise(const store::ReferralRow& row, Action action,
                             const StaffActor& who) const {
  bool triage_action = action == Action::kRoute || action == Action::kSignpost ||
                       action == Action::kClose || action == Action::kTriage;
  if (triage_action) {
    if (Holds(who.roles, "triage-clinician") || Holds(who.roles, "clinical-lead"))
      return Status::Ok();
    return Status::Forbidden("Only the triage team can do this.");
  }
  if (!Holds(who.roles, "service-clinician") && !Holds(who.roles, "service-manager")) {
    return Status::Forbidden("Only the service the referral was sent to can do this.");
  }
  if (!Holds(who.services, "*") && !Holds(who.services, row.serviceId)) {
    // The same answer as an unknown reference: no probing for other services' referrals.
    return Status::NotFound("no referral " + row.reference);
  }
  return Status::Ok();
}

void Navigation::StartServiceClock(store::ReferralRow& r, Timestamp routed_at,
                                   Timestamp now) const {
  const auto area = area_.Current();  // one snapshot for the whole call
  const auto* svc = area->directory().Find(r.serviceId);
  if (!svc) return;
  const auto& std_ = svc->access_standard;
  switch (std_.clock_start) {
    case directory::ClockStart::kReferralReceived:
      r.clockStartAt = r.receivedAt;
      break;
    case directory::ClockStart::kRouted:
      r.clockStartAt = routed_at;
      break;
    case directory::ClockStart::kAccepted:
      r.clockStartAt = now;
      break;
  }
  r.breachDueAt = std_.DueTime(*r.clockStartAt, DirPriority(r.priority), area->calendar());
}

Result<store::ReferralRow> Navigation::Apply(const std::string& reference, const ActionRequest& req,
                                             const StaffActor& who) {
  const auto area = area_.Current();  // one snapshot for the whole call
  std::string ref = security::NormaliseReference(reference);
  auto loaded = store_.GetReferral(ref.empty() ? reference : ref);
  if (!loaded.ok()) return loaded.status();
  store::ReferralRow r = loaded.value();
  const int64_t version = r.version;
  // Someone who may not read it learns nothing, not even that it exists.
  if (!MayRead(r, who)) return Status::NotFound("no referral " + reference);
  if (auto st = Authorise(r, req.action, who); !st.ok()) return st;
  if (req.version && *req.version != version) {
    return Status::Conflict(fmt::format(
        "Someone else changed this referral first (it is now {} at version {}). Reload it and "
        "check before acting again.",
        r.status, version));
  }
  auto stage = ParseStage(r.status).value_or(Stage::kReceived);
  auto now = clock_.Now();
  const Actor& actor = who.actor;
  store::ReferralCommand cmd;
  std::string kind = "referral." + std::string(ActionName(req.action));
  json data = json::object();
  Stage next = stage;

  switch (req.action) {
    case Action::kTriage:
      return Status::Invalid("Triage is run by the decision model.",
                             {{"action", "not a staff action"}});
    case Action::kRoute: {
      const auto* svc = area->directory().Find(req.serviceId);
      if (!svc) {
        return Status::Invalid("Unknown service.",
                               {{"serviceId", "is not a service of this area"}});
      }
      std::string recommended = r.recommendedService;
      bool override_choice = !recommended.empty() && recommended != req.serviceId;
      if (override_choice && req.reason.empty()) {
        return Status::Invalid(
            "Say why you chose another service than the recommendation.",
            {{"reason", "is required when the service is not the recommended " + recommended}});
      }
      auto n = Next(stage, Action::kRoute);
      if (!n.ok()) return n.status();
      next = *n;
      r.serviceId = svc->id;
      r.clockStartAt.reset();
      r.breachDueAt.reset();
      r.clockStopAt.reset();
      r.needsReview = false;
      if (svc->access_standard.clock_start != directory::ClockStart::kAccepted) {
        StartServiceClock(r, now, now);
      }
      data = {{"serviceId", svc->id}, {"recommended", recommended}, {"override", override_choice}};
      kind = "referral.routed";
      break;
    }
    case Action::kSignpost: {
      auto n = Next(stage, Action::kSignpost);
      if (!n.ok()) return n.status();
      next = *n;
      r.outcome = "signposted";
      r.familyMessage = req.signpostTo;
      r.serviceId.clear();
      kind = "referral.signposted";
      break;
    }
    case Action::kAccept: {
      auto n = Next(stage, Action::kAccept);
      if (!n.ok()) return n.status();
      next = *n;
      if (!r.clockStartAt) StartServiceClock(r, r.updatedAt, now);
      data = {{"serviceId", r.serviceId},
              {"breachDueAt", r.breachDueAt ? domain::FormatTimestamp(*r.breachDueAt) : ""}};
      kind = "referral.accepted";
      break;
    }
    case Action::kDecline: {
      auto n = Next(stage, Action::kDecline);
      if (!n.ok()) return n.status();
      next = *n;
      data = {{"serviceId", r.serviceId}};
      r.outcome = "declined by " + r.serviceId;
      r.serviceId.clear();
      r.clockStartAt.reset();
      r.breachDueAt.reset();
      // Back with triage: it needs a new decision within the triage standard from now.
      r.triageDueAt = area->settings().triage_team.access_standard.DueTime(
          now, DirPriority(r.priority.empty() ? "urgent" : r.priority), area->calendar());
      kind = "referral.declined";
      break;
    }
    case Action::kBookContact: {
      auto n = Next(stage, Action::kBookContact);
      if (!n.ok()) return n.status();
      next = *n;
      // The young person's choice of how they may be contacted (workflow/confidentiality.h).
      if (auto st = CheckContactMechanism(r, req.mechanism); !st.ok()) return st;
      store::ContactRow c{security::NewId(), r.reference, r.serviceId, *req.bookedFor,
                          req.mechanism,     "0",         now,         std::nullopt};
      cmd.contacts.push_back(c);
      data = {{"contactId", c.id},
              {"bookedFor", domain::FormatTimestamp(c.bookedFor)},
              {"mechanism", c.mechanism}};
      if (!MayLeaveMessage(r)) data["doNotLeaveMessages"] = true;
      kind = "contact.booked";
      break;
    }
    case Action::kRecordAttendance: {
      auto contacts = store_.ContactsFor(r.reference);
      if (!contacts.ok()) return contacts.status();
      auto it = std::find_if(contacts->begin(), contacts->end(),
                             [&](const store::ContactRow& c) { return c.id == req.contactId; });
      if (it == contacts->end()) {
        return Status::Invalid("No such contact.",
                               {{"contactId", "is not a contact of this referral"}});
      }
      store::ContactRow c = *it;
      c.attendStatus = req.attendStatus;
      c.recordedAt = now;
      bool first = Attended(c.attendStatus) && CountsForAccess(c.mechanism) && !r.clockStopAt;
      auto n = Next(stage, Action::kRecordAttendance, first);
      if (!n.ok()) return n.status();
      next = *n;
      if (first) r.clockStopAt = c.bookedFor;
      if (c.attendStatus == "3" || c.attendStatus == "7") {
        r.needsReview = true;  // a missed appointment never closes a referral by itself
        kind = "contact.dna";
      } else {
        kind = first ? "contact.first-attended" : "contact.recorded";
      }
      cmd.contacts.push_back(c);
      data = {{"contactId", c.id}, {"attendStatus", c.attendStatus}, {"clockStopped", first}};
      break;
    }
    case Action::kDischarge:
    case Action::kTransfer:
    case Action::kClose: {
      auto n = Next(stage, req.action);
      if (!n.ok()) return n.status();
      next = *n;
      r.outcome = req.reason;
      data = {{"serviceId", r.serviceId}};
      break;
    }
  }

  r.status = StageName(next);
  r.owner = OwnerFor(next, r.serviceId);
  r.updatedAt = now;
  cmd.row = r;
  cmd.expectedVersion = version;
  cmd.events.push_back(NewEvent(r.reference, kind, actor, now, req.reason, data));
  // The audit entry points at the event for the reason: audit rows hold no free text, so
  // retention can blank it without touching the append-only log.
  cmd.audits.push_back(NewAudit(actor, now, kind, r.reference, "status",
                                req.reason.empty() ? "" : "see event " + cmd.events.back().id));
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  r.version = version + 1;
  return r;
}

json Navigation::TransitionAlert(const store::ReferralRow& r) const {
  const auto area = area_.Current();  // one snapshot for the whole call
  auto dob = domain::ParseDate(r.birthDate);
  if (!dob) return json();
  const auto& policy = area->settings().transition;
  auto today = domain::DateOf(clock_.Now());
  int age = domain::AgeOn(*dob, today);
  bool psychosis = false;
  for (const auto& n : r.needs) psychosis |= n == "psychosis";
  int at_age = (psychosis && age < policy.psychosis_transfer_age) ? policy.psychosis_transfer_age
                                                                  : policy.adult_services_age;
  if (age >= at_age) return json();
  domain::Date birthday{dob->year + at_age, dob->month, dob->day};
  if (!domain::ParseDate(domain::FormatDate(birthday))) birthday.day = 28;  // 29 February
  domain::Date warn_from = birthday;
  warn_from.month -= policy.alert_months_before;
  while (warn_from.month < 1) {
    warn_from.month += 12;
    --warn_from.year;
  }
  if (!domain::ParseDate(domain::FormatDate(warn_from))) warn_from.day = 28;
  if (today < warn_from) return json();
  std::string team = at_age == policy.psychosis_transfer_age
                         ? "the all-age early intervention in psychosis team"
                         : "adult services";
  return {{"code", "transition-soon"},
          {"on", domain::FormatDate(birthday)},
          {"message", fmt::format("Turns {} on {}: plan the move to {} now.", at_age,
                                  domain::FormatDate(birthday), team)}};
}

Result<json> Navigation::Queue(const store::QueueFilter& filter) {
  auto rows = store_.ListQueue(filter);
  if (!rows.ok()) return rows.status();
  auto now = clock_.Now();
  json items = json::array();
  for (const auto& r : rows.value()) {
    json item = {{"reference", r.reference},
                 {"status", r.status},
                 {"version", r.version},
                 {"priority", r.priority.empty() ? json() : json(r.priority)},
                 {"thriveGroup", r.thriveGroup},
                 {"crisis", r.crisis},
                 {"receivedAt", domain::FormatTimestamp(r.receivedAt)},
                 {"ageOnReceipt", r.ageOnReceipt},
                 {"locality", r.locality},
                 {"source", r.source},
                 {"declined", r.outcome.rfind("declined", 0) == 0}};
    if (!r.recommendedService.empty()) item["recommended"] = r.recommendedService;
    if (r.triageDueAt) {
      item["triageDueAt"] = domain::FormatTimestamp(*r.triageDueAt);
      item["minutesLeft"] = MinutesBetween(now, *r.triageDueAt);
      item["breached"] = now > *r.triageDueAt;
    }
    items.push_back(item);
  }
  json alerts = json::array();
  auto open = store_.OpenAlerts(20);
  if (open.ok()) {
    for (const auto& a : open.value()) alerts.push_back(AlertJson(a));
  }
  return json{{"referrals", items}, {"alerts", alerts}};
}

Result<json> Navigation::ServiceLists(const std::string& service_id, const StaffActor& who) {
  const auto area = area_.Current();  // one snapshot for the whole call
  const auto* svc = area->directory().Find(service_id);
  if (!svc) return Status::NotFound("There is no service with that id.");
  bool triage = Holds(who.roles, "triage-clinician") || Holds(who.roles, "clinical-lead");
  bool service = (Holds(who.roles, "service-clinician") || Holds(who.roles, "service-manager")) &&
                 (Holds(who.services, "*") || Holds(who.services, service_id));
  if (!triage && !service) return Status::Forbidden("You do not work for this service.");
  auto inbox = store_.ListInbox(service_id, 200);
  auto waiting = store_.ListWaiting(service_id, 1000);
  if (!inbox.ok()) return inbox.status();
  if (!waiting.ok()) return waiting.status();
  auto now = clock_.Now();
  json in = json::array(), wl = json::array(), review = json::array();
  for (const auto& r : inbox.value()) {
    in.push_back({{"reference", r.reference},
                  {"version", r.version},
                  {"priority", r.priority},
                  {"routedAt", domain::FormatTimestamp(r.updatedAt)},
                  {"ageOnReceipt", r.ageOnReceipt},
                  {"locality", r.locality}});
  }
  double fraction = area->settings().breach_alert_fraction;
  int position = 0;
  for (const auto& r : waiting.value()) {
    json e = {{"reference", r.reference},
              {"version", r.version},
              {"position", ++position},
              {"priority", r.priority},
              {"needsReview", r.needsReview}};
    if (r.clockStartAt && r.breachDueAt) {
      auto total = MinutesBetween(*r.clockStartAt, *r.breachDueAt);
      auto used = MinutesBetween(*r.clockStartAt, now);
      e["clockStartAt"] = domain::FormatTimestamp(*r.clockStartAt);
      e["breachDueAt"] = domain::FormatTimestamp(*r.breachDueAt);
      e["minutesToBreach"] = MinutesBetween(now, *r.breachDueAt);
      e["breached"] = now > *r.breachDueAt;
      e["nearBreach"] = total > 0 && used >= fraction * total && now <= *r.breachDueAt;
    }
    // A list shows the month, not the birthday: the date would give away the date of birth.
    if (auto t = TransitionAlert(r); !t.is_null()) e["transition"] = TransitionForList(t);
    if (r.needsReview) review.push_back(e);
    wl.push_back(e);
  }
  return json{{"service", {{"id", svc->id}, {"name", svc->name}}},
              {"inbox", in},
              {"waitingList", wl},
              {"reviewList", review}};
}

Result<json> Navigation::Navigate(const store::ReferralRow& r) {
  auto contacts = store_.ContactsFor(r.reference);
  if (!contacts.ok()) return contacts.status();
  json cs = ContactsJson(contacts.value());
  auto stage = ParseStage(r.status).value_or(Stage::kReceived);
  json possible = json::array();
  for (int a = static_cast<int>(Action::kRoute); a <= static_cast<int>(Action::kClose); ++a) {
    if (Next(stage, static_cast<Action>(a), true).ok())
      possible.push_back(ActionName(static_cast<Action>(a)));
  }
  auto ts = [](const std::optional<Timestamp>& t) {
    return t ? json(domain::FormatTimestamp(*t)) : json();
  };
  return json{{"priority", r.priority.empty() ? json() : json(r.priority)},
              {"thriveGroup", r.thriveGroup},
              {"decision", DecisionWithoutInput(r.decision)},
              {"modelVersion", r.modelVersion},
              {"serviceId", r.serviceId},
              {"triageDueAt", ts(r.triageDueAt)},
              {"clockStartAt", ts(r.clockStartAt)},
              {"breachDueAt", ts(r.breachDueAt)},
              {"clockStopAt", ts(r.clockStopAt)},
              {"needsReview", r.needsReview},
              {"outcome", r.outcome},
              {"contacts", cs},
              {"transition", TransitionAlert(r)},
              {"confidentiality", r.confidentiality},
              {"safeguardingOverride", r.safeguardingOverride},
              {"competenceAssessmentNeeded", CompetenceAssessmentNeeded(r)},
              {"possibleActions", possible}};
}

json Navigation::FamilyStory(const store::ReferralRow& r) {
  const auto area = area_.Current();  // one snapshot for the whole call
  // A parent's link shows nothing more when the young person asked that they not be told.
  if (!StatusLinkMayShowDetails(r)) return RestrictedStory(r);
  json out = {{"reference", r.reference},
              {"receivedOn", domain::FormatDate(domain::DateOf(r.receivedAt))},
              {"stage", r.status},
              {"ifThingsGetWorse", domain::CrisisHelp()}};
  const auto* svc = r.serviceId.empty() ? nullptr : area->directory().Find(r.serviceId);
  std::string name = svc ? svc->name : "the service";
  auto stage = ParseStage(r.status).value_or(Stage::kReceived);
  std::string headline, now_text, next_text;
  switch (stage) {
    case Stage::kReceived:
    case Stage::kTriaged:
    case Stage::kAwaitingDecision:
      headline = stage == Stage::kReceived ? "We have your request for help"
                                           : "Your request is being looked at";
      now_text =
          "Your request is safe with us. A member of our team is reading it to decide with "
          "you where the best help is.";
      if (stage == Stage::kAwaitingDecision) {
        now_text =
            "The service we first asked could not help in the way you need, so our team "
            "is finding the right place instead. You do not need to ask again.";
      }
      next_text = r.crisis ? "Because of what you told us, someone will look at it very soon."
                           : "We will tell you where we have asked to help you, and why.";
      break;
    case Stage::kRouted:
      headline = "We have asked " + name + " to help";
      now_text = "We sent your request to " + name +
                 (svc ? ". " + (svc->public_description.empty() ? svc->description
                                                                : svc->public_description)
                      : ".");
      next_text = name +
                  " will tell us whether they can help. If they cannot, we will find the "
                  "right place instead.";
      break;
    case Stage::kWaiting: {
      headline = "You are on " + name + "'s waiting list";
      now_text = name + " has accepted your request.";
      auto waiting = store_.ListWaiting(r.serviceId, 100000);
      if (waiting.ok()) {
        long position = 0;
        for (size_t i = 0; i < waiting->size(); ++i) {
          if ((*waiting)[i].reference == r.reference) position = static_cast<long>(i) + 1;
        }
        out["position"] = position;
        int per_week = svc ? svc->capacity.new_assessments_per_week : 0;
        if (per_week > 0 && position > 0) {
          long weeks = std::max(1L, static_cast<long>(std::ceil(double(position) / per_week)));
          out["expectedWaitWeeks"] = weeks;
          now_text +=
              " At the moment we expect you to be seen in about " + Plural(weeks, "week") + ".";
        }
      }
      next_text = "They will contact you to book your first appointment.";
      break;
    }
    case Stage::kInCare:
      headline = "You are getting help from " + name;
      now_text = "Your first appointment has happened.";
      next_text = "Keep going to your appointments. Tell " + name + " if things change.";
      break;
    case Stage::kDischarged:
    case Stage::kTransferred:
      headline = "Your time with " + name + " has ended";
      now_text = "The service has finished working with you.";
      next_text = "If you need help again, you can ask us at any time.";
      break;
    case Stage::kClosed:
      headline = r.outcome == "signposted" ? "We have suggested where to get help"
                                           : "This request is closed";
      now_text = r.familyMessage.empty() ? "Our team has closed this request." : r.familyMessage;
      next_text = "If you need help again, you can ask us at any time.";
      break;
  }
  if (stage == Stage::kWaiting || stage == Stage::kInCare) {
    auto contacts = store_.ContactsFor(r.reference);
    if (contacts.ok()) {
      for (const auto& c : contacts.value()) {
        if (c.attendStatus == "0") {
          out["nextAppointment"] = domain::FormatTimestamp(c.bookedFor);
          next_text = "Your next appointment is booked for " +
                      domain::FormatDate(domain::DateOf(c.bookedFor)) + ".";
          break;
        }
      }
    }
  }
  out["headline"] = headline;
  out["whatIsHappening"] = now_text;
  out["whatHappensNext"] = next_text;
  return out;
}

}  // namespace waymark::workflow
