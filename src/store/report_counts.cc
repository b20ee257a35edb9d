// Contributions of one referral to the report counts. Every measure here is described for
// commissioners in docs/metrics.md; keep the two in step.
#include "store/report_counts.h"

#include <algorithm>
#include <set>

namespace waymark::store {
namespace {

bool Terminal(const std::string& status) {
  return status == "discharged" || status == "transferred" || status == "closed";
}

// AttendStatus 5 or 6, by ConsMechanismMH 01, 02, 04 or 11 (the access and waiting-time rule).
bool AttendedForAccess(const ContactRow& c) {
  bool attended = c.attendStatus == "5" || c.attendStatus == "6";
  const auto& m = c.mechanism;
  return attended && (m == "01" || m == "02" || m == "04" || m == "11");
}

std::string ServiceOf(const Event& e) {
  if (!e.data.is_object()) return "";
  auto it = e.data.find("serviceId");
  return it != e.data.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t Seconds(Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

const std::vector<std::string> kCountedEventKinds = {"referral.routed", "referral.signposted",
                                                     "referral.accepted", "referral.declined"};

int64_t MeasuredHours(Timestamp from, Timestamp to) {
  int64_t hours = std::max<int64_t>(0, Seconds(to) - Seconds(from)) / 3600;
  return hours < 48 ? hours : hours / 24 * 24;
}

std::string_view AgeBand(int age) {
  return age < 5 ? "0-4" : age < 11 ? "5-10" : age < 16 ? "11-15" : age < 18 ? "16-17" : "18-25";
}

bool CountedColumnsDiffer(const ReferralRow& a, const ReferralRow& b) {
  return a.receivedAt != b.receivedAt || a.source != b.source || a.locality != b.locality ||
         a.ageOnReceipt != b.ageOnReceipt || a.gender != b.gender ||
         a.ethnicCategory != b.ethnicCategory || a.thriveGroup != b.thriveGroup ||
         a.status != b.status || a.serviceId != b.serviceId || a.clockStartAt != b.clockStartAt ||
         a.clockStopAt != b.clockStopAt || a.breachDueAt != b.breachDueAt;
}

void AddContributions(const ReferralFacts& f, int sign, Counts& out) {
  const ReferralRow& r = f.row;
  const std::string month = domain::FormatTimestamp(r.receivedAt).substr(0, 7);
  auto add = [&](const char* measure, const std::string& key, int64_t value = 0) {
    out[CountKey{measure, month, key, value}] += sign;
  };
  const std::string band(AgeBand(r.ageOnReceipt));
  struct Group {
    const char* dimension;
    const std::string& value;
  };
  const Group groups[] = {
      {"gender", r.gender}, {"ethnicity", r.ethnicCategory}, {"age-band", band}};
  auto add_group = [&](const char* measure, int64_t value = 0) {
    for (const auto& g : groups) {
      out[CountKey{std::string(measure) + "." + g.dimension, month, g.value, value}] += sign;
    }
  };

  // Referrals received, by each dimension.
  add("received", "");
  add("received.source", r.source);
  add("received.locality", r.locality);
  add("received.age-band", band);
  add("received.gender", r.gender);
  add("received.ethnicity", r.ethnicCategory);
  add("received.thrive", r.thriveGroup);

  // Navigation events, in time order (ties by id, as the plain-SQL check orders them).
  std::vector<const Event*> events;
  for (const auto& e : f.events) events.push_back(&e);
  std::sort(events.begin(), events.end(), [](const Event* a, const Event* b) {
    return a->at != b->at ? a->at < b->at : a->id < b->id;
  });
  bool decided = false, routed = false;
  for (const Event* e : events) {
    const std::string svc = ServiceOf(*e);
    if (e->kind == "referral.routed" || e->kind == "referral.signposted") {
      if (!decided) {
        decided = true;
        add("decision.hours", "", MeasuredHours(r.receivedAt, e->at));
        if (e->kind == "referral.routed") add("decision.first-routed", svc);
      }
    }
    if (e->kind == "referral.routed") {
      add("routed", svc);
      add("routed.locality", svc + kKeySeparator + r.locality);
      add("routed.source", svc + kKeySeparator + r.source);
      if (e->data.is_object() && e->data.value("override", false)) add("routed.override", svc);
      if (!routed) add_group("ever-routed");
      routed = true;
    } else if (e->kind == "referral.accepted") {
      add("accepted", svc);
    } else if (e->kind == "referral.declined") {
      add("declined", svc);
      // The coded reason only: free text typed by staff never reaches a commissioner.
      std::string code = e->data.is_object() ? e->data.value("reasonCode", "") : "";
      add("decline.reason", svc + kKeySeparator + code);
      add_group("declined");
    }
  }

  // The service clock as it stands.
  if (!r.serviceId.empty() && r.clockStartAt) {
    add("wait.started", r.serviceId);
    if (r.clockStopAt) {
      int64_t hours = MeasuredHours(*r.clockStartAt, *r.clockStopAt);
      add("wait.seen", r.serviceId, hours);
      if (r.breachDueAt && *r.clockStopAt <= *r.breachDueAt) add("wait.within", r.serviceId);
      add_group("seen", hours);
    } else if (!Terminal(r.status)) {
      add("wait.open", r.serviceId, r.breachDueAt ? Seconds(*r.breachDueAt) : -1);
    }
  }

  // Appointments, and access: under-18s (on receipt) with an attended contact.
  std::string latest;
  std::set<std::string> years;
  for (const auto& c : f.contacts) {
    const auto& s = c.attendStatus;
    if (s == "3" || s == "5" || s == "6" || s == "7") add("contact.outcome", "");
    if (s == "3") add("contact.dna", "");
    if (r.ageOnReceipt < 18 && AttendedForAccess(c)) {
      std::string day = domain::FormatTimestamp(c.bookedFor).substr(0, 10);
      latest = std::max(latest, day);
      years.insert(day.substr(0, 4));
    }
  }
  if (!latest.empty()) out[CountKey{"access.latest", latest, "", 0}] += sign;
  for (const auto& y : years) out[CountKey{"access.year", y, "", 0}] += sign;
}

}  // namespace waymark::store
