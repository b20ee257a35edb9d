// Navigation: a triaged referral becomes help. Triage on intake (the area's decision model),
// the triage clinician's decision (route, with an override reason when not the engine's first
// choice still open, or signpost and close), the service's answer (accept onto the waiting
// list, or decline back to triage with a reason — never a dead end), the events that stop the
// service's clock (its access standard says which), missed appointments reviewed, discharge.
// Alerts (emergency, crisis signalled, near breach) are stored, pushed to the live stream,
// acknowledged by staff and cleared when the referral leaves the owner they were for.
// Every action is a compare-and-set on the referral's version: of two staff acting at once,
// one wins and the other gets kConflict with the current state.
// Thread-safety: safe from many threads; all state is in the Store (AlertSweeper owns one
// thread of its own).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "directory/area.h"
#include "directory/live_area.h"
#include "domain/clock.h"
#include "domain/triage_input.h"
#include "store/store.h"
#include "workflow/intake.h"
#include "workflow/lifecycle.h"

namespace waymark::workflow {

// The area's decision model as workflow sees it (implemented by rules/triage.h).
class TriageEngine {
 public:
  virtual ~TriageEngine() = default;
  virtual Result<domain::TriageDecision> Decide(const domain::TriageInput& input) const = 0;
};

// Who is acting, with what they may touch.
struct StaffActor {
  Actor actor;
  std::vector<std::string> roles;
  std::vector<std::string> services;  // "*" for all
};

// The body of a staff action, already parsed; which fields matter depends on the action.
struct ActionRequest {
  Action action;
  std::optional<int64_t> version;  // the version the person was looking at (required)
  std::string serviceId;           // route
  std::string reason;              // override, decline, close, discharge, transfer, signpost
  std::string reasonCode;          // decline: domain::DeclineReasonCodes()
  std::string signpostTo;          // signpost: where the family is told to go
  std::optional<domain::Timestamp> bookedFor;  // book-contact
  std::string mechanism;                       // book-contact: ConsMechanismMH
  std::string contactId;                       // record-attendance
  std::string attendStatus;                    // record-attendance: AttendStatus
  std::string purpose;        // book-contact (and review): assessment | treatment | other
  std::string allocatedTo;    // allocate: the worker who will see the young person
  std::string reviewOutcome;  // review: offer-appointment | discharge | back-to-triage
};

// Parses {"version", "serviceId", "reason", "reasonCode", "signpostTo", "bookedFor", "mechanism",
// "contactId", "attendStatus", "purpose", "allocatedTo", "reviewOutcome"} for `action`,
// naming every bad field.
Result<ActionRequest> ParseActionRequest(Action action, const nlohmann::json& body);

// Told of every alert as soon as it is stored, and again when it is cleared (then its
// "state" is "cleared"): the live stream of the on-call screen.
using AlertListener = std::function<void(const nlohmann::json& alert)>;

class Navigation {
 public:
  // `engine` may be null: referrals then wait, untriaged, for a clinician. The engine (and
  // the area) must outlive the Navigation; the engine may change its model between calls
  // (workflow/clinical_config.h), so nothing of a decision is cached here.
  Navigation(store::Store& store, const domain::Clock& clock, const directory::Area& area,
             const TriageEngine* engine, AlertListener listener = {});
  // The same over the live area, whose directory the clinical lead may edit while serving:
  // each call reads one snapshot of it.
  Navigation(store::Store& store, const domain::Clock& clock, const directory::LiveArea& area,
             const TriageEngine* engine, AlertListener listener = {});

  // Runs the decision model on a stored referral and stores the decision with the model and
  // directory versions and the triage input it read (so it can be reproduced; retention
  // erases the input with the rest of the identifiable data); an emergency raises an alert. A
  // failing engine leaves the referral received (it stays in the queue for a clinician) and returns
  // the error.
  Status Triage(const std::string& reference, const Actor& actor);

  // What happens right after a referral is stored: triage, and an alert at once when the
  // request signalled danger and triage did not already raise an emergency (so a crisis is
  // seen even when the model is missing or fails). A referral the model did not triage keeps
  // (or gets) a triage clock from its arrival: the emergency target when it signalled danger,
  // else the urgent one.
  void AfterIntake(const std::string& reference, bool crisis, const Actor& actor);

  // Applies one staff action; returns the referral as it is afterwards.
  Result<store::ReferralRow> Apply(const std::string& reference, const ActionRequest& request,
                                   const StaffActor& who);

  // Acknowledges an open alert: who and when are stored, the alert is cleared, an event and
  // an audit entry are written. Triage-team alerts: triage clinicians and clinical leads;
  // a service's alerts: its staff and clinical leads; safeguarding alerts: the safeguarding
  // lead and clinical leads. kNotFound, kForbidden, or kConflict when already cleared.
  Result<nlohmann::json> Acknowledge(const std::string& alert_id, const StaffActor& who);

  // Raises the near-breach alerts that have fallen due (once per clock: the share of the
  // target the area's breachAlertAt gives), at most `limit` per service of the directory;
  // returns how many were raised. AlertSweeper calls it every 30 seconds.
  int RaiseDueAlerts(int limit = 100);
  // The same for one service; ServiceLists calls it (a few at a time) so a list is never
  // behind the clock.
  int RaiseDueAlerts(const std::string& service_id, int limit);

  // The triage queue with the time left on the triage clock, and the open triage-team alerts.
  Result<nlohmann::json> Queue(const store::QueueFilter& filter);
  // A service's inbox, waiting list (position, time to breach, near-breach flag, maximum
  // wait), review list (missed appointments), caseload (in care, with transition alerts) and
  // its open alerts.
  Result<nlohmann::json> ServiceLists(const std::string& service_id, const StaffActor& who);
  // Staff view of one referral's navigation: decision, contacts, what can be done now.
  Result<nlohmann::json> Navigate(const store::ReferralRow& row);
  // The family's plain-language story of the referral.
  nlohmann::json FamilyStory(const store::ReferralRow& row);

  // A planned-transition alert when the young person is within the area's warning period of
  // 18 (or of 16 for an under-16 with psychosis, who moves to the all-age team at 16); null
  // otherwise.
  nlohmann::json TransitionAlert(const store::ReferralRow& row) const;

  // Whether `who` may read this referral: triage clinicians and clinical leads any; service
  // staff only one routed to (or held by) their services.
  bool MayRead(const store::ReferralRow& row, const StaffActor& who) const;

  // The triage input the model reads for a stored referral.
  domain::TriageInput InputFor(const store::ReferralRow& row) const;

 private:
  Status Authorise(const store::ReferralRow& row, Action action, const StaffActor& who) const;
  void StartServiceClock(store::ReferralRow& row, domain::Timestamp routed_at,
                         domain::Timestamp now) const;
  void Notify(const std::vector<store::AlertRow>& raised) const;
  Status RaiseNearBreach(const std::string& reference);

  store::Store& store_;
  const domain::Clock& clock_;
  std::unique_ptr<directory::LiveArea> fixedArea_;  // only for the fixed-area constructor
  const directory::LiveArea& area_;
  const TriageEngine* engine_;
  AlertListener listener_;
};

// Runs Navigation::RaiseDueAlerts every `period` on a thread of its own until destroyed.
class AlertSweeper {
 public:
  AlertSweeper(Navigation& navigation, std::chrono::milliseconds period);
  ~AlertSweeper();
  AlertSweeper(const AlertSweeper&) = delete;
  AlertSweeper& operator=(const AlertSweeper&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// {"id", "reference", "code", "message", "raisedAt", "audience", "state" ("open" |
// "cleared"), and when cleared "clearedAt", "clearedReason", "acknowledgedBy",
// "acknowledgedAt"}.
nlohmann::json AlertJson(const store::AlertRow& alert);

// The triage input the model reads for a stored referral: from its submission, with the age
// on the day received and the locality found at intake.
domain::TriageInput TriageInputFor(const store::ReferralRow& row);

// The triage clock Intake gives a referral on arrival, before the model has run: the triage
// team's emergency target when the request signalled danger, else its urgent target (nobody
// has looked yet). `area` is kept.
TriageClock TriageClockFor(std::shared_ptr<const directory::Area> area);

// A due time by the standard, with a warning in the log (no identifiable data) when a
// working-day clock runs into a year whose bank holidays the area does not list.
domain::Timestamp DueTime(const directory::AccessStandard& standard, domain::Timestamp start,
                          domain::Priority priority, const directory::WorkingCalendar& calendar);

// MHSDS ConsMechanismMH codes that count for access and waiting times (face to face,
// telephone, talk type, video).
bool CountsForAccess(std::string_view mechanism);
// AttendStatus 5 (attended on time) or 6 (late but seen).
bool Attended(std::string_view attend_status);
// AttendStatus 3 (did not attend) or 7 (late and not seen): a missed appointment.
bool Missed(std::string_view attend_status);

// Whether an attended contact is the event that stops a clock with this stop:
// first-response: any mechanism; first-attended-contact: a mechanism that counts for access;
// assessed: such a contact for assessment or treatment (or whose purpose was not said);
// treatment-started: such a contact for treatment (or not said); allocated and
// triage-decision: no contact stops them. False for a contact not attended.
bool ContactStopsClock(directory::ClockStop stop, const store::ContactRow& contact);

}  // namespace waymark::workflow
