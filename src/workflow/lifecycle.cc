// The transition table of a referral.
#include "workflow/lifecycle.h"

#include <array>
#include <utility>

namespace waymark::workflow {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 9> kStages = {{
    {Stage::kReceived, "received"},
    {Stage::kTriaged, "triaged"},
    {Stage::kAwaitingDecision, "awaiting-decision"},
    {Stage::kRouted, "routed"},
    {Stage::kWaiting, "waiting"},
    {Stage::kInCare, "in-care"},
    {Stage::kDischarged, "discharged"},
    {Stage::kTransferred, "transferred"},
    {Stage::kClosed, "closed"},
}};

constexpr std::array<std::pair<Action, std::string_view>, kActionCount> kActions = {{
    {Action::kTriage, "triage"},
    {Action::kRoute, "route"},
    {Action::kSignpost, "signpost"},
    {Action::kAccept, "accept"},
    {Action::kDecline, "decline"},
    {Action::kBookContact, "book-contact"},
    {Action::kRecordAttendance, "record-attendance"},
    {Action::kDischarge, "discharge"},
    {Action::kTransfer, "transfer"},
    {Action::kClose, "close"},
    {Action::kAllocate, "allocate"},
    {Action::kReview, "review"},
    {Action::kReturnToTriage, "return-to-triage"},
}};

bool WithTriage(Stage s) {
  return s == Stage::kReceived || s == Stage::kTriaged || s == Stage::kAwaitingDecision;
}
bool WithService(Stage s) {
  return s == Stage::kRouted || s == Stage::kWaiting || s == Stage::kInCare;
}

}  // namespace

std::string_view StageName(Stage s) {
  for (auto& [k, v] : kStages) {
    if (k == s) return v;
  }
  return "received";
}

std::optional<Stage> ParseStage(std::string_view s) {
  for (auto& [k, v] : kStages) {
    if (v == s) return k;
  }
  return std::nullopt;
}

std::string_view ActionName(Action a) {
  for (auto& [k, v] : kActions) {
    if (k == a) return v;
  }
  return "triage";
}

std::optional<Action> ParseAction(std::string_view s) {
  for (auto& [k, v] : kActions) {
    if (v == s) return k;
  }
  return std::nullopt;
}

bool IsTerminal(Stage s) {
  return s == Stage::kDischarged || s == Stage::kTransferred || s == Stage::kClosed;
}

std::string_view OwnerKind(Stage s) {
  if (WithTriage(s)) return "triage-team";
  if (WithService(s)) return "service";
  return "";
}

namespace {

std::optional<Stage> NextStage(Stage from, Action action, bool stops_clock) {
  std::optional<Stage> to;
  switch (action) {
    case Action::kTriage:
      // Re-triage (a changed model, new information) is allowed while triage owns it.
      if (WithTriage(from)) to = from == Stage::kAwaitingDecision ? from : Stage::kTriaged;
      break;
    case Action::kRoute:
    case Action::kSignpost:
      if (WithTriage(from)) to = action == Action::kRoute ? Stage::kRouted : Stage::kClosed;
      break;
    case Action::kAccept:
      if (from == Stage::kRouted) to = Stage::kWaiting;
      break;
    case Action::kDecline:
      if (from == Stage::kRouted) to = Stage::kAwaitingDecision;
      break;
    case Action::kBookContact:
      if (from == Stage::kWaiting || from == Stage::kInCare) to = from;
      break;
    case Action::kRecordAttendance:
    case Action::kAllocate:
      if (from == Stage::kWaiting) to = stops_clock ? Stage::kInCare : Stage::kWaiting;
      if (from == Stage::kInCare) to = Stage::kInCare;
      break;
    case Action::kReview:
      if (from == Stage::kWaiting || from == Stage::kInCare) to = from;
      break;
    case Action::kReturnToTriage:
      if (from == Stage::kWaiting || from == Stage::kInCare) to = Stage::kAwaitingDecision;
      break;
    case Action::kDischarge:
      if (from == Stage::kWaiting || from == Stage::kInCare) to = Stage::kDischarged;
      break;
    case Action::kTransfer:
      if (from == Stage::kWaiting || from == Stage::kInCare) to = Stage::kTransferred;
      break;
    case Action::kClose:
      // Withdrawn: by the triage team while it holds the referral, or by the service once it
      // has accepted it (a routed referral is accepted or declined first).
      if (WithTriage(from) || from == Stage::kWaiting || from == Stage::kInCare) {
        to = Stage::kClosed;
      }
      break;
  }
  return to;
}

}  // namespace

bool IsStaffAction(Action a) { return a != Action::kTriage && a != Action::kReturnToTriage; }

Result<Stage> Next(Stage from, Action action, bool stops_clock) {
  if (auto to = NextStage(from, action, stops_clock)) return *to;
  std::string allowed;
  for (auto& [a, name] : kActions) {
    if (!IsStaffAction(a)) continue;
    if (NextStage(from, a, true)) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  return Status::Conflict("The referral is " + std::string(StageName(from)) + ", so '" +
                          std::string(ActionName(action)) + "' is not possible now. " +
                          (allowed.empty() ? "It is closed; nothing more can be done to it."
                                           : "Possible now: " + allowed + "."));
}

std::string OwnerFor(Stage stage, const std::string& service_id) {
  auto kind = OwnerKind(stage);
  if (kind == "service") return "service:" + service_id;
  return std::string(kind);
}

bool NeedsReason(Action a) {
  return a == Action::kClose || a == Action::kTransfer || a == Action::kDischarge ||
         a == Action::kSignpost || a == Action::kReview || a == Action::kReturnToTriage;
}

}  // namespace waymark::workflow
