// Navigation actions, clocks and the lists staff and families see.
#include "workflow/navigation.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "domain/codes.h"
#include "domain/crisis.h"
#include "security/tokens.h"
#include "workflow/confidentiality.h"
#include "workflow/family_words.h"
#include "workflow/records.h"

namespace waymark::workflow {
namespace {

using domain::Timestamp;
using nlohmann::json;

constexpr std::array<std::string_view, 10> kMechanisms = {"01", "02", "04", "05", "09",
                                                          "10", "11", "12", "13", "98"};
constexpr std::array<std::string_view, 6> kAttendStatuses = {"5", "6", "7", "2", "3", "4"};
constexpr std::array<std::string_view, 3> kPurposes = {"assessment", "treatment", "other"};
constexpr std::array<std::string_view, 3> kReviewOutcomes = {"offer-appointment", "discharge",
                                                             "back-to-triage"};

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

bool IsTriageStaff(const StaffActor& who) {
  return Holds(who.roles, "triage-clinician") || Holds(who.roles, "clinical-lead");
}

bool IsStaffOf(const StaffActor& who, const std::string& service_id) {
  bool service_staff = Holds(who.roles, "service-clinician") || Holds(who.roles, "service-manager");
  return service_staff && !service_id.empty() &&
         (Holds(who.services, "*") || Holds(who.services, service_id));
}

std::string ServiceAudience(const std::string& service_id) { return "service:" + service_id; }

// When a near-breach alert falls due: `fraction` of the way from start to due.
Timestamp NearBreachAt(Timestamp start, Timestamp due, double fraction) {
  auto span = std::chrono::duration<double, std::milli>(due - start).count();
  return start + std::chrono::milliseconds(static_cast<int64_t>(std::llround(span * fraction)));
}

// Years past the area's bank-holiday table that have already been reported in the log.
std::mutex g_warned_mu;
std::set<int> g_warned_years;  // guarded by g_warned_mu

}  // namespace

bool CountsForAccess(std::string_view m) {
  return m == "01" || m == "02" || m == "04" || m == "11";
}

bool Attended(std::string_view s) { return s == "5" || s == "6"; }

bool Missed(std::string_view s) { return s == "3" || s == "7"; }

bool ContactStopsClock(directory::ClockStop stop, const store::ContactRow& c) {
  if (!Attended(c.attendStatus)) return false;
  using directory::ClockStop;
  switch (stop) {
    case ClockStop::kFirstResponse:
      return true;  // text, chat, email or any other reply counts
    case ClockStop::kFirstAttendedContact:
      return CountsForAccess(c.mechanism);
    case ClockStop::kAssessed:
      return CountsForAccess(c.mechanism) && c.purpose != "other";
    case ClockStop::kTreatmentStarted:
      return CountsForAccess(c.mechanism) && (c.purpose.empty() || c.purpose == "treatment");
    case ClockStop::kAllocated:
    case ClockStop::kTriageDecision:
      return false;
  }
  return false;
}

Timestamp DueTime(const directory::AccessStandard& standard, Timestamp start,
                  domain::Priority priority, const directory::WorkingCalendar& calendar) {
  Timestamp due = standard.DueTime(start, priority, calendar);
  if (standard.TargetFor(priority).unit == directory::TargetUnit::kWorkingDays &&
      !calendar.KnowsHolidaysOf(calendar.LocalDay(due))) {
    int year = static_cast<int>(std::chrono::year_month_day(calendar.LocalDay(due)).year());
    std::lock_guard lock(g_warned_mu);
    if (g_warned_years.insert(year).second) {
      spdlog::warn(
          R"({{"event":"bank-holidays-unknown","year":{},"message":"a working-day clock runs into a year whose bank holidays area.yaml does not list; only weekends are skipped there. Add the year's bank holidays."}})",
          year);
    }
  }
  return due;
}

TriageClock TriageClockFor(std::shared_ptr<const directory::Area> area) {
  return [area = std::move(area)](Timestamp received, bool crisis) {
    return DueTime(area->settings().triage_team.access_standard, received,
                   crisis ? domain::Priority::kEmergency : domain::Priority::kUrgent,
                   area->calendar());
  };
}

Result<ActionRequest> ParseActionRequest(Action action, const json& body) {
  ActionRequest r;
  r.action = action;
  std::vector<FieldError> errors;
  if (!body.is_object())
    return Status::Invalid("The body must be a JSON object.", {{"", "must be an object"}});
  static constexpr std::array<std::string_view, 12> kKeys = {
      "version",   "serviceId", "reason",       "reasonCode", "signpostTo",  "bookedFor",
      "mechanism", "contactId", "attendStatus", "purpose",    "allocatedTo", "reviewOutcome"};
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
  r.reasonCode = str("reasonCode", 40);
  r.signpostTo = str("signpostTo", 2000);
  r.mechanism = str("mechanism", 2);
  r.contactId = str("contactId", 64);
  r.attendStatus = str("attendStatus", 1);
  r.purpose = str("purpose", 20);
  r.allocatedTo = str("allocatedTo", 200);
  r.reviewOutcome = str("reviewOutcome", 40);
  std::string booked = str("bookedFor", 40);
  if (!booked.empty()) {
    r.bookedFor = domain::ParseTimestamp(booked);
    if (!r.bookedFor) errors.push_back({"bookedFor", "must be a time like 2026-12-01T10:00:00Z"});
  }
  auto check_purpose = [&] {
    if (!r.purpose.empty() && !domain::Contains(kPurposes, r.purpose)) {
      errors.push_back({"purpose", "must be one of: " + domain::JoinCodes(kPurposes) +
                                       " (what the appointment is for)"});
    }
  };
  auto check_booking = [&] {
    if (!r.bookedFor && booked.empty()) errors.push_back({"bookedFor", "is required"});
    if (!domain::Contains(kMechanisms, r.mechanism)) {
      errors.push_back({"mechanism",
                        "must be an MHSDS ConsMechanismMH code: 01 face to face, 02 "
                        "telephone, 04 talk type, 05 email, 09 text, 10 instant "
                        "messaging, 11 video, 12 message board, 13 chat room, 98 other"});
    }
    check_purpose();
  };
  switch (action) {
    case Action::kRoute:
      if (r.serviceId.empty())
        errors.push_back({"serviceId", "is required: the service to route to"});
      break;
    case Action::kAllocate:
      if (r.allocatedTo.empty()) {
        errors.push_back({"allocatedTo", "is required: the worker who will see the young person"});
      }
      break;
    case Action::kReview:
      if (!domain::Contains(kReviewOutcomes, r.reviewOutcome)) {
        errors.push_back(
            {"reviewOutcome", "must be one of: " + domain::JoinCodes(kReviewOutcomes)});
      } else if (r.reviewOutcome == "offer-appointment" &&
                 (r.bookedFor || !booked.empty() || !r.mechanism.empty())) {
        check_booking();  // the new appointment may be booked in the same step
      }
      break;
    case Action::kSignpost:
      if (r.signpostTo.empty()) {
        errors.push_back(
            {"signpostTo", "is required: where the family is told to go, in plain words"});
      }
      break;
    case Action::kBookContact:
      check_booking();
      break;
    case Action::kDecline:
      if (!domain::Contains(domain::DeclineReasonCodes(), r.reasonCode)) {
        errors.push_back({"reasonCode", "is required: why this service cannot help, one of: " +
                                            domain::JoinCodes(domain::DeclineReasonCodes())});
      } else if (r.reasonCode == "other" && r.reason.empty()) {
        errors.push_back(
            {"reason", "is required when reasonCode is other: say what the reason is"});
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
  json out = {{"id", a.id},
              {"reference", a.reference},
              {"code", a.code},
              {"message", a.message},
              {"raisedAt", domain::FormatTimestamp(a.raisedAt)},
              {"audience", a.audience},
              {"state", a.clearedAt ? "cleared" : "open"}};
  if (a.clearedAt) {
    out["clearedAt"] = domain::FormatTimestamp(*a.clearedAt);
    out["clearedReason"] = a.clearedReason;
  }
  if (a.acknowledgedAt) {
    out["acknowledgedBy"] = a.acknowledgedBy;
    out["acknowledgedAt"] = domain::FormatTimestamp(*a.acknowledgedAt);
  }
  return out;
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

void Navigation::Notify(const std::vector<store::AlertRow>& raised) const {
  if (!listener_) return;
  for (const auto& a : raised) listener_(AlertJson(a));
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
  const auto& triage_standard = area->settings().triage_team.access_standard;
  r.status = StageName(*Next(stage, Action::kTriage));
  r.priority = domain::PriorityName(decision->priority);
  r.priorityRank = PriorityRank(r.priority);
  r.thriveGroup = decision->thriveGroup;
  r.decision = domain::ToJson(decision.value());
  r.decision["input"] = domain::ToJson(input);  // what the model read, to reproduce it
  r.modelVersion = decision->modelVersion;
  r.recommendedService = decision->services.empty() ? "" : decision->services.front().id;
  // The triage clock runs from arrival; after a decline it runs from the decline instead.
  if (stage != Stage::kAwaitingDecision || !r.triageDueAt) {
    r.triageDueAt =
        DueTime(triage_standard, r.receivedAt, DirPriority(r.priority), area->calendar());
  }
  r.updatedAt = now;
  store::ReferralCommand cmd;
  cmd.row = r;
  cmd.expectedVersion = version;
  cmd.events.push_back(
      NewEvent(r.reference, "referral.triaged", actor, now, "decision model " + r.modelVersion,
               {{"priority", r.priority},
                {"thriveGroup", r.thriveGroup},
                {"recommended", decision->services.empty() ? "" : decision->services.front().id},
                {"modelVersion", r.modelVersion},
                {"directoryVersion", decision->directoryVersion}}));
  if (decision->priority == domain::Priority::kEmergency) {
    std::string within =
        directory::TargetInWords(triage_standard.TargetFor(domain::Priority::kEmergency));
    cmd.alerts.push_back({security::NewId(), r.reference, "emergency",
                          "Emergency referral: respond within " + within + ".", now, std::nullopt});
  } else {
    // Re-triaged out of emergency: the emergency alert no longer says what is true.
    cmd.clearAlerts.push_back({store::kTriageAudience, "re-triaged", now, "emergency"});
  }
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  Notify(cmd.alerts);
  return Status::Ok();
}

void Navigation::AfterIntake(const std::string& reference, bool crisis, const Actor& actor) {
  const auto area = area_.Current();  // one snapshot for the whole call
  Status triaged = engine_ ? Triage(reference, actor) : Status::Unavailable("no model");
  auto row = store_.GetReferral(reference);
  if (!row.ok()) return;
  bool needs_clock = !triaged.ok() && !row->triageDueAt;
  bool needs_alert = crisis && row->priority != "emergency";
  if (!needs_clock && !needs_alert) return;
  auto now = clock_.Now();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  cmd.expectedVersion = row->version;
  cmd.row.updatedAt = now;
  if (needs_clock) {
    // Not triaged by the model: the triage team's clock still runs from arrival.
    cmd.row.triageDueAt = TriageClockFor(area)(row->receivedAt, crisis);
    if (crisis && row->priority.empty()) cmd.row.priorityRank = 1;
  }
  if (needs_alert) {
    cmd.alerts.push_back({security::NewId(), reference, "crisis-signalled",
                          triaged.ok() ? "The request signals danger: review it now."
                                       : "The request signals danger and has not been triaged "
                                         "by the model: review it now.",
                          now, std::nullopt});
    cmd.events.push_back(
        NewEvent(reference, "alert.raised", actor, now, "", {{"code", "crisis-signalled"}}));
  }
  if (store_.ApplyReferralCommand(cmd).ok()) Notify(cmd.alerts);
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
  auto stage = ParseStage(row.status).value_or(Stage::kReceived);
  // Closing belongs to whoever holds the referral: the triage team, or the service that
  // accepted it.
  bool triage_action = action == Action::kRoute || action == Action::kSignpost ||
                       action == Action::kTriage ||
                       (action == Action::kClose && OwnerKind(stage) != "service");
  if (triage_action) {
    if (IsTriageStaff(who)) return Status::Ok();
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
  r.breachDueAt = DueTime(std_, *r.clockStartAt, DirPriority(r.priority), area->calendar());
}

namespace {

// The engine's recommendation as it stands: the first service of the decision not yet
// declined for this referral ("" when none is left, or there is no decision).
std::string OpenRecommendation(const store::ReferralRow& r,
                               const std::vector<store::Event>& events) {
  std::set<std::string> declined;
  for (const auto& e : events) {
    if (e.kind == "referral.declined" && e.data.is_object() && e.data.contains("serviceId") &&
        e.data["serviceId"].is_string()) {
      declined.insert(e.data["serviceId"].get<std::string>());
    }
  }
  if (r.decision.is_object() && r.decision.contains("services") &&
      r.decision["services"].is_array()) {
    for (const auto& s : r.decision["services"]) {
      if (!s.is_object() || !s.contains("id") || !s["id"].is_string()) continue;
      std::string id = s["id"].get<std::string>();
      if (!declined.count(id)) return id;
    }
    return "";
  }
  // A row without its decision document: only the first choice is known.
  return declined.count(r.recommendedService) ? "" : r.recommendedService;
}

}  // namespace

Result<store::ReferralRow> Navigation::Apply(const std::string& reference, const ActionRequest& req,
                                             const StaffActor& who) {
  const auto area = area_.Current();  // one snapshot for the whole call
  std::string ref = security::NormaliseReference(reference);
  auto loaded = store_.GetReferral(ref.empty() ? reference : ref);
  if (!loaded.ok()) return loaded.status();
  store::ReferralRow r = loaded.value();
  const store::ReferralRow before = loaded.value();
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
  const auto* current_svc = r.serviceId.empty() ? nullptr : area->directory().Find(r.serviceId);
  auto clock_stop = [&] {
    return current_svc ? current_svc->access_standard.clock_stop
                       : directory::ClockStop::kFirstAttendedContact;
  };
  // A new contact at the service holding the referral.
  auto book = [&](const ActionRequest& b) {
    store::ContactRow c{security::NewId(), r.reference, r.serviceId, *b.bookedFor,
                        b.mechanism,       "0",         now,         std::nullopt};
    c.purpose = b.purpose;
    cmd.contacts.push_back(c);
    return c;
  };
  // Back with the triage team: a new decision is due within the triage standard from now.
  auto hand_back_to_triage = [&] {
    r.serviceId.clear();
    r.clockStartAt.reset();
    r.breachDueAt.reset();
    r.clockStopAt.reset();
    r.needsReview = false;
    r.triageDueAt =
        DueTime(area->settings().triage_team.access_standard, now,
                DirPriority(r.priority.empty() ? "urgent" : r.priority), area->calendar());
  };

  switch (req.action) {
    case Action::kTriage:
      return Status::Invalid("Triage is run by the decision model.",
                             {{"action", "not a staff action"}});
    case Action::kReturnToTriage:
      return Status::Invalid("Hand a referral back to triage with the review action.",
                             {{"action", "use review with reviewOutcome back-to-triage"}});
    case Action::kRoute: {
      const auto* svc = area->directory().Find(req.serviceId);
      if (!svc) {
        return Status::Invalid("Unknown service.",
                               {{"serviceId", "is not a service of this area"}});
      }
      // An override is a choice against the engine's recommendation as it stands: after a
      // decline, its next service not yet declined (decision 0005).
      auto events = store_.EventsFor(r.reference);
      if (!events.ok()) return events.status();
      std::string recommended = OpenRecommendation(r, events.value());
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
      data = {{"serviceId", svc->id},
              {"recommended", recommended},
              {"firstRecommended", r.recommendedService},
              {"override", override_choice}};
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
      data = {{"serviceId", r.serviceId}, {"reasonCode", req.reasonCode}};
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
      auto c = book(req);
      data = {{"contactId", c.id},
              {"bookedFor", domain::FormatTimestamp(c.bookedFor)},
              {"mechanism", c.mechanism},
              {"purpose", c.purpose}};
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
      // The clock stops at the event the service's standard names (ContactStopsClock).
      bool stops = !r.clockStopAt && ContactStopsClock(clock_stop(), c);
      auto n = Next(stage, Action::kRecordAttendance, stops);
      if (!n.ok()) return n.status();
      next = *n;
      if (stops) r.clockStopAt = c.bookedFor;
      if (Missed(c.attendStatus)) {
        r.needsReview = true;  // a missed appointment never closes a referral by itself
        kind = "contact.dna";
      } else {
        if (Attended(c.attendStatus)) r.needsReview = false;  // seen since: nothing to review
        kind = stops ? "contact.first-attended" : "contact.recorded";
      }
      cmd.contacts.push_back(c);
      data = {{"contactId", c.id}, {"attendStatus", c.attendStatus}, {"clockStopped", stops}};
      break;
    }
    case Action::kAllocate: {
      bool stops = !r.clockStopAt && clock_stop() == directory::ClockStop::kAllocated;
      auto n = Next(stage, Action::kAllocate, stops);
      if (!n.ok()) return n.status();
      next = *n;
      if (stops) r.clockStopAt = now;
      data = {
          {"serviceId", r.serviceId}, {"allocatedTo", req.allocatedTo}, {"clockStopped", stops}};
      kind = "referral.allocated";
      break;
    }
    case Action::kReview: {
      // After a missed appointment the service decides; nothing happens by itself.
      if (!r.needsReview) {
        return Status::Conflict(
            "There is no missed appointment to review on this referral. Possible now: "
            "book-contact, record-attendance, discharge, transfer, close.");
      }
      data = {{"serviceId", r.serviceId}, {"reviewOutcome", req.reviewOutcome}};
      if (req.reviewOutcome == "offer-appointment") {
        auto n = Next(stage, Action::kReview);
        if (!n.ok()) return n.status();
        next = *n;
        if (req.bookedFor) {
          auto c = book(req);
          data["contactId"] = c.id;
          data["bookedFor"] = domain::FormatTimestamp(c.bookedFor);
        }
        kind = "referral.reviewed";
      } else if (req.reviewOutcome == "discharge") {
        auto n = Next(stage, Action::kDischarge);
        if (!n.ok()) return n.status();
        next = *n;
        r.outcome = req.reason;
        kind = "referral.discharge";
      } else {
        auto n = Next(stage, Action::kReturnToTriage);
        if (!n.ok()) return n.status();
        next = *n;
        r.outcome = "returned by " + r.serviceId;
        hand_back_to_triage();
        kind = "referral.returned-to-triage";
      }
      r.needsReview = false;
      break;
    }
    case Action::kDischarge:
    case Action::kTransfer:
    case Action::kClose: {
      auto n = Next(stage, req.action);
      if (!n.ok()) return n.status();
      next = *n;
      r.outcome = req.reason;
      r.needsReview = false;
      data = {{"serviceId", r.serviceId}};
      break;
    }
  }

  r.status = StageName(next);
  r.owner = OwnerFor(next, r.serviceId);
  r.updatedAt = now;
  // Alerts are for an owner: when the referral leaves it, they are handled. A service's
  // near-breach alert is handled too when its clock stops.
  if (before.owner != r.owner && !before.owner.empty()) {
    cmd.clearAlerts.push_back(
        {before.owner, before.owner == store::kTriageAudience ? "left-triage" : "left-service", now,
         ""});
  }
  if (!before.clockStopAt && r.clockStopAt && !r.serviceId.empty()) {
    cmd.clearAlerts.push_back({ServiceAudience(r.serviceId), "clock-stopped", now, "near-breach"});
  }
  // The near-breach alert falls due once per clock: set when a clock (re)starts, unset once
  // no clock runs with a service.
  bool running = (next == Stage::kRouted || next == Stage::kWaiting) && r.clockStartAt &&
                 r.breachDueAt && !r.clockStopAt;
  if (!running) {
    r.nearBreachAlertAt.reset();
  } else if (r.clockStartAt != before.clockStartAt || r.breachDueAt != before.breachDueAt) {
    r.nearBreachAlertAt =
        NearBreachAt(*r.clockStartAt, *r.breachDueAt, area->settings().breach_alert_fraction);
  }
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

Result<json> Navigation::Acknowledge(const std::string& alert_id, const StaffActor& who) {
  auto alert = store_.GetAlert(alert_id);
  if (!alert.ok()) return alert.status();
  const std::string& aud = alert->audience;
  bool lead = Holds(who.roles, "clinical-lead");
  bool allowed = lead || (aud == store::kTriageAudience && IsTriageStaff(who)) ||
                 (aud == "safeguarding-lead" && Holds(who.roles, "safeguarding-lead")) ||
                 (aud.rfind("service:", 0) == 0 && IsStaffOf(who, aud.substr(8)));
  if (!allowed) return Status::Forbidden("This alert is for another team.");
  if (alert->clearedAt) {
    return Status::Conflict(
        alert->acknowledgedAt
            ? fmt::format("This alert was already acknowledged by {} at {}.", alert->acknowledgedBy,
                          domain::FormatTimestamp(*alert->acknowledgedAt))
            : fmt::format("This alert was already cleared ({}) at {}.", alert->clearedReason,
                          domain::FormatTimestamp(*alert->clearedAt)));
  }
  auto now = clock_.Now();
  auto event = NewEvent(alert->reference, "alert.acknowledged", who.actor, now, "",
                        {{"alertId", alert->id}, {"code", alert->code}, {"audience", aud}});
  auto audit = NewAudit(who.actor, now, "alert.acknowledge", alert->reference, "alert");
  if (auto st = store_.AcknowledgeAlert(alert->id, who.actor.id, now, event, audit); !st.ok()) {
    return st;
  }
  store::AlertRow done = alert.value();
  done.clearedAt = now;
  done.clearedReason = "acknowledged";
  done.acknowledgedBy = who.actor.id;
  done.acknowledgedAt = now;
  json out = AlertJson(done);
  if (listener_) listener_(out);
  return out;
}

Status Navigation::RaiseNearBreach(const std::string& reference) {
  const auto area = area_.Current();
  auto row = store_.GetReferral(reference);
  if (!row.ok()) return row.status();
  auto now = clock_.Now();
  if (!row->nearBreachAlertAt || *row->nearBreachAlertAt > now) return Status::Ok();
  store::ReferralCommand cmd;
  cmd.row = row.value();
  cmd.expectedVersion = row->version;
  cmd.row.nearBreachAlertAt.reset();  // once per clock
  cmd.row.updatedAt = now;
  const auto* svc = area->directory().Find(row->serviceId);
  std::string name = svc ? svc->name : row->serviceId;
  std::string message;
  if (row->breachDueAt && now > *row->breachDueAt) {
    message = fmt::format("Past its waiting-time target at {} (due {}).", name,
                          domain::FormatTimestamp(*row->breachDueAt));
  } else if (row->breachDueAt) {
    message = fmt::format("Near its waiting-time target at {}: due {}.", name,
                          domain::FormatTimestamp(*row->breachDueAt));
  }
  store::AlertRow alert{security::NewId(), row->reference, "near-breach", message, now,
                        std::nullopt};
  alert.audience = ServiceAudience(row->serviceId);
  cmd.alerts.push_back(alert);
  cmd.events.push_back(NewEvent(row->reference, "alert.raised", {"system", "system", "local"}, now,
                                "", {{"code", "near-breach"}, {"serviceId", row->serviceId}}));
  if (auto st = store_.ApplyReferralCommand(cmd); !st.ok()) return st;
  Notify(cmd.alerts);
  return Status::Ok();
}

int Navigation::RaiseDueAlerts(int limit) {
  const auto area = area_.Current();
  int raised = 0;
  for (const auto& svc : area->directory().services()) raised += RaiseDueAlerts(svc.id, limit);
  return raised;
}

int Navigation::RaiseDueAlerts(const std::string& service_id, int limit) {
  auto due = store_.NearBreachDue(service_id, clock_.Now(), limit);
  if (!due.ok()) return 0;
  int raised = 0;
  // A conflict means someone acted at the same moment: the next sweep looks again.
  for (const auto& ref : due.value()) raised += RaiseNearBreach(ref).ok() ? 1 : 0;
  return raised;
}

AlertSweeper::AlertSweeper(Navigation& navigation, std::chrono::milliseconds period)
    : thread_([this, &navigation, period] {
        std::unique_lock lock(mu_);
        while (!stop_) {
          lock.unlock();
          navigation.RaiseDueAlerts();
          lock.lock();
          cv_.wait_for(lock, period, [this] { return stop_; });
        }
      }) {}

AlertSweeper::~AlertSweeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
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
                 {"priorityRank", r.priorityRank},
                 {"thriveGroup", r.thriveGroup},
                 {"crisis", r.crisis},
                 {"receivedAt", domain::FormatTimestamp(r.receivedAt)},
                 {"ageOnReceipt", r.ageOnReceipt},
                 {"locality", r.locality},
                 {"source", r.source},
                 {"declined", r.outcome.rfind("declined", 0) == 0},
                 {"returned", r.outcome.rfind("returned", 0) == 0}};
    if (!r.recommendedService.empty()) item["recommended"] = r.recommendedService;
    if (r.triageDueAt) {
      item["triageDueAt"] = domain::FormatTimestamp(*r.triageDueAt);
      item["minutesLeft"] = MinutesBetween(now, *r.triageDueAt);
      item["breached"] = now > *r.triageDueAt;
    }
    items.push_back(item);
  }
  // The triage team's open alerts only: acknowledged or handled ones are cleared.
  json alerts = json::array();
  auto open = store_.OpenAlerts(store::kTriageAudience, 200);
  if (!open.ok()) return open.status();
  for (const auto& a : open.value()) alerts.push_back(AlertJson(a));
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
  RaiseDueAlerts(service_id, 20);  // so the lists never lag behind the clock
  auto inbox = store_.ListInbox(service_id, 200);
  auto waiting = store_.ListWaiting(service_id, 1000);
  auto review = store_.ListReview(service_id, 500);
  auto caseload = store_.ListCaseload(service_id, 1000);
  auto counts = store_.CountServiceLists(service_id);
  auto open = store_.OpenAlerts(ServiceAudience(service_id), 500);
  for (const Status* st : {&inbox.status(), &waiting.status(), &review.status(), &caseload.status(),
                           &counts.status(), &open.status()}) {
    if (!st->ok()) return *st;
  }
  auto now = clock_.Now();
  const auto& standard = svc->access_standard;
  double fraction = area->settings().breach_alert_fraction;
  std::map<std::string, std::string> alert_of;  // reference -> open alert id
  json alerts = json::array();
  for (const auto& a : open.value()) {
    alert_of.emplace(a.reference, a.id);
    alerts.push_back(AlertJson(a));
  }
  auto entry = [&](const store::ReferralRow& r) {
    json e = {
        {"reference", r.reference},    {"version", r.version},           {"status", r.status},
        {"priority", r.priority},      {"ageOnReceipt", r.ageOnReceipt}, {"locality", r.locality},
        {"needsReview", r.needsReview}};
    if (r.clockStartAt && r.breachDueAt) {
      auto total = MinutesBetween(*r.clockStartAt, *r.breachDueAt);
      auto used = MinutesBetween(*r.clockStartAt, now);
      bool stopped = r.clockStopAt.has_value();
      e["clockStartAt"] = domain::FormatTimestamp(*r.clockStartAt);
      e["breachDueAt"] = domain::FormatTimestamp(*r.breachDueAt);
      if (stopped) {
        e["clockStopAt"] = domain::FormatTimestamp(*r.clockStopAt);
        e["metTarget"] = *r.clockStopAt <= *r.breachDueAt;
      } else {
        e["minutesToBreach"] = MinutesBetween(now, *r.breachDueAt);
        e["breached"] = now > *r.breachDueAt;
        e["nearBreach"] = total > 0 && used >= fraction * total && now <= *r.breachDueAt;
        if (auto max = standard.MaximumDueTime(*r.clockStartAt, area->calendar())) {
          e["maximumWaitDueAt"] = domain::FormatTimestamp(*max);
          e["overMaximumWait"] = now > *max;
        }
      }
    }
    if (auto it = alert_of.find(r.reference); it != alert_of.end()) e["alertId"] = it->second;
    // A list shows the month, not the birthday: the date would give away the date of birth.
    if (auto t = TransitionAlert(r); !t.is_null()) e["transition"] = TransitionForList(t);
    return e;
  };
  json in = json::array(), wl = json::array(), rl = json::array(), cl = json::array();
  for (const auto& r : inbox.value()) {
    json e = entry(r);
    e["routedAt"] = domain::FormatTimestamp(r.updatedAt);
    in.push_back(e);
  }
  int position = 0;
  for (const auto& r : waiting.value()) {
    json e = entry(r);
    e["position"] = ++position;
    wl.push_back(e);
  }
  for (const auto& r : review.value()) rl.push_back(entry(r));
  for (const auto& r : caseload.value()) cl.push_back(entry(r));
  return json{{"service",
               {{"id", svc->id},
                {"name", svc->name},
                {"clockStop", directory::ClockStopName(standard.clock_stop)}}},
              {"counts", counts.value()},
              {"alerts", alerts},
              {"inbox", in},
              {"waitingList", wl},
              {"reviewList", rl},
              {"caseload", cl}};
}

Result<json> Navigation::Navigate(const store::ReferralRow& r) {
  auto contacts = store_.ContactsFor(r.reference);
  if (!contacts.ok()) return contacts.status();
  json cs = ContactsJson(contacts.value());
  auto stage = ParseStage(r.status).value_or(Stage::kReceived);
  json possible = json::array();
  for (int a = 0; a < kActionCount; ++a) {
    auto action = static_cast<Action>(a);
    if (!IsStaffAction(action)) continue;
    if (action == Action::kReview && !r.needsReview) continue;
    if (Next(stage, action, true).ok()) possible.push_back(ActionName(action));
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

namespace {

// Why the referral went to `svc`, for the family (workflow/family_words.h): the needs the
// young person told us about that the service takes, or the decision's priority and group.
// Never the clinician's free-text reason.
std::string FamilyBecause(const store::ReferralRow& r, const directory::Service& svc) {
  std::vector<std::string> named;
  for (const auto& n : r.needs) {
    if (svc.eligibility.TakesNeed(n)) named.push_back(n);  // "any" is expanded on loading
  }
  return BecauseInWords(named, r.priority, r.thriveGroup);
}

}  // namespace

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
  std::string because = svc ? FamilyBecause(r, *svc) : "";
  if (!because.empty())
    out["why"] = "We sent your request to " + name + " because " + because + ".";
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
      // The family's reason in plain words; without one, what the service does, in the
      // plain words written for the public pages (never the staff description).
      if (out.contains("why")) {
        now_text = out["why"].get<std::string>();
      } else {
        now_text = "We sent your request to " + name + ".";
        if (svc && !svc->public_description.empty()) now_text += " " + svc->public_description;
      }
      next_text = name +
                  " will tell us whether they can help. If they cannot, we will find the "
                  "right place instead.";
      break;
    case Stage::kWaiting: {
      headline = "You are on " + name + "'s waiting list";
      now_text = name + " has accepted your request.";
      if (out.contains("why")) now_text += " " + out["why"].get<std::string>();
      // Counted in the database: no list is read to find one position.
      auto ahead = store_.CountWaitingAhead(r);
      if (ahead.ok()) {
        long position = static_cast<long>(ahead.value()) + 1;
        out["position"] = position;
        int per_week = svc ? svc->capacity.new_assessments_per_week : 0;
        if (per_week > 0) {
          long weeks = std::max(1L, static_cast<long>(std::ceil(double(position) / per_week)));
          out["expectedWaitWeeks"] = weeks;
          now_text +=
              " At the moment we expect you to be seen in about " + Plural(weeks, "week") + ".";
        }
      }
      next_text = "They will contact you to book your first appointment.";
      break;
    }
    case Stage::kInCare: {
      headline = "You are getting help from " + name;
      bool seen = false;
      auto contacts = store_.ContactsFor(r.reference);
      if (contacts.ok()) {
        for (const auto& c : contacts.value()) seen |= Attended(c.attendStatus);
      }
      now_text = seen ? "Your first appointment has happened."
                      : "Someone at " + name + " has been given your request to work with you.";
      next_text = "Keep going to your appointments. Tell " + name + " if things change.";
      break;
    }
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
