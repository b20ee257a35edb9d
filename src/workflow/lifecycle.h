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
  kClose,             // withdrawn or closed by triage with a reason
};

std::string_view StageName(Stage s);
std::optional<Stage> ParseStage(std::string_view s);
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);

bool IsTerminal(Stage s);
// Which kind of owner holds a referral in this stage: "triage-team", "service" or "" (none).
std::string_view OwnerKind(Stage s);

// The stage after `action` in `from`; kConflict naming the stage and the allowed actions when
// the action is not allowed there. `attended_first` matters only for kRecordAttendance: the
// first attended contact moves kWaiting to kInCare.
Result<Stage> Next(Stage from, Action action, bool attended_first = false);

// The owner after a transition: "triage-team", "service:<id>" or "" for a terminal stage.
std::string OwnerFor(Stage stage, const std::string& service_id);

// Actions a reason is required for (override, decline, close, transfer, discharge outcome).
bool NeedsReason(Action a);

}  // namespace waymark::workflow
