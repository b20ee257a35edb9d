// The referral's state machine: which action is legal in which state, the state it leads
// to, and who owns the referral afterwards. Pure functions, no I/O, so the whole table can
// be tested with generated sequences of actions.
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/status.h"

namespace waymark::workflow {

enum class Stage {
  kReceived,          // stored, not yet triaged by the engine (owner: triage team)
  kTriaged,           // the engine recommended; waiting for a clinician (triage team)
  kAwaitingDecision,  // back with triage after a decline (triage team)
  kRouted,            // sent to one service, waiting for its answer (that service)
  kWaiting,           // accepted onto the service's waiting list; clock running (service)
  kInCare,            // first attended contact happened; clock stopped (service)
  kDischarged,        // care ended (no owner)
  kTransferred,       // care moved outside this pathway (no owner)
  kClosed,            // closed without care here: signposted, withdrawn (no owner)
};

enum class Action {
  kTriage,            // the engine's decision is stored
  kRoute,             // a triage clinician sends it to a service (accept or override)
  kSignpost,          // a triage clinician closes it, telling the family where to go
  kAccept,            // the service takes it onto its waiting list
  kDecline,           // the service declines: back to triage with a reason, never a dead end
  kBookContact,       // an appointment is booked
  kRecordAttendance,  // attendance recorded; the first attended contact stops the clock
  kDischarge,         // care ends with an outcome
  kTransfer,          // care moves elsewhere
  kClose,             // withdrawn or closed with a reason, by whoever owns it
  kAllocate,          // the service allocates a named worker (stops an "allocated" clock)
  kReview,            // after a missed appointment: the service offers another one
  kReturnToTriage,    // after a missed appointment: the service hands it back to triage
};
inline constexpr int kActionCount = static_cast<int>(Action::kReturnToTriage) + 1;

std::string_view StageName(Stage s);
std::optional<Stage> ParseStage(std::string_view s);
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);

bool IsTerminal(Stage s);
// Which kind of owner holds a referral in this stage: "triage-team", "service" or "" (none).
std::string_view OwnerKind(Stage s);

// The stage after `action` in `from`; kConflict naming the stage and the allowed actions when
// the action is not allowed there. `stops_clock` matters only for kRecordAttendance and
// kAllocate: the event that stops the service's clock (its access standard says which)
// moves kWaiting to kInCare; any other contact or allocation leaves it waiting.
Result<Stage> Next(Stage from, Action action, bool stops_clock = false);

// The actions staff ask for by name (every action but kTriage, which the decision model
// runs, and kReturnToTriage, which is one outcome of kReview), in table order.
bool IsStaffAction(Action a);

// The owner after a transition: "triage-team", "service:<id>" or "" for a terminal stage.
std::string OwnerFor(Stage stage, const std::string& service_id);

// Actions a reason is required for (decline, close, transfer, discharge outcome, signpost,
// review, return to triage).
bool NeedsReason(Action a);

}  // namespace waymark::workflow
