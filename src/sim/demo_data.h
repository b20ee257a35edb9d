// Synthetic data at scale: drives the real workflow (intake, decisions, routing, declines,
// waits, contacts, missed appointments, discharges) with volumes and mixes like the example
// area's (about 450 referrals a month, its sources and localities, school-term seasonality).
// Every person is made up. Deterministic for a seed.
// Thread-safety: Generate runs its own worker threads over a thread-safe Store.
#pragma once

#include <functional>
#include <string>

#include "directory/area.h"
#include "store/store.h"
#include "workflow/navigation.h"

namespace waymark::sim {

struct DemoOptions {
  long referrals = 5000;
  int months = 12;        // spread over the months before `end`
  domain::Timestamp end;  // the last day generated
  unsigned seed = 20261123;
  int threads = 64;
  // The area's decision model: every referral is triaged on intake as `waymark serve` does,
  // and clinicians mostly accept its recommendation. May be null (no triage; routing by a
  // rule of thumb).
  const workflow::TriageEngine* engine = nullptr;
  std::function<void(long done, long total)> progress;  // may be empty
};

struct DemoReport {
  long referrals = 0;
  long declines = 0;
  long contacts = 0;
  long dnas = 0;
  long discharges = 0;
  double seconds = 0;
};

Result<DemoReport> Generate(store::Store& store, const directory::Area& area,
                            const DemoOptions& options);

}  // namespace waymark::sim
