// The generator. Each referral's story is drawn first, then played through the workflow on
// a clock of its own, so times are realistic and every row is written by the real code.
#include "sim/demo_data.h"

#include <atomic>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

#include "workflow/intake.h"
#include "workflow/navigation.h"

namespace waymark::sim {
namespace {

using domain::Timestamp;
using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<std::pair<T, double>>& weighted) {
  double total = 0;
  for (const auto& [v, w] : weighted) total += w;
  double x = std::uniform_real_distribution<double>(0, total)(rng);
  for (const auto& [v, w] : weighted) {
    if ((x -= w) <= 0) return v;
  }
  return weighted.back().first;
}

// Relative referral volume by calendar month: school terms drive referrals; August and
// December are quiet.
constexpr double kSeason[12] = {1.10, 1.10, 1.15, 0.95, 1.05, 1.0,
                                0.85, 0.55, 0.95, 1.15, 1.20, 0.80};

struct Story {
  std::string source, referrerType;
  std::string postcode;
  int age;
  std::vector<std::string> needs, risks;
  std::string impact;
};

Story Draw(std::mt19937_64& rng) {
  static const std::vector<std::pair<std::string, double>> kSources = {
      {"A1", 35}, {"B1", 18}, {"B2", 15}, {"C2", 12}, {"C1", 5},
      {"F1", 4},  {"H1", 3},  {"G4", 3},  {"E6", 2},  {"M6", 3}};
  static const std::vector<std::pair<std::string, double>> kPostcodes = {
      {"LE1 5WW", 14},  {"LE2 7QQ", 14},  {"LE3 9AB", 13}, {"LE5 4PW", 12},
      {"LE11 3TU", 12}, {"LE10 1AA", 12}, {"LE12 8EJ", 6}, {"LE7 9DB", 7},
      {"LE16 7AB", 6},  {"LE14 2AA", 7},  {"LE15 6AA", 2}};
  static const std::vector<std::pair<std::string, double>> kNeeds = {{"anxiety", 30},
                                                                     {"low-mood", 22},
                                                                     {"self-harm", 9},
                                                                     {"eating-difficulties", 5},
                                                                     {"eating-disorder", 2},
                                                                     {"adhd", 7},
                                                                     {"autism", 6},
                                                                     {"anger", 5},
                                                                     {"bereavement", 3},
                                                                     {"bullying", 4},
                                                                     {"academic-stress", 5},
                                                                     {"family-relationships", 6},
                                                                     {"trauma", 4},
                                                                     {"psychosis", 1},
                                                                     {"ocd", 2},
                                                                     {"sleep", 3}};
  Story s;
  s.source = Pick(rng, kSources);
  s.referrerType = s.source == "B1" ? "self" : s.source == "B2" ? "parent" : "professional";
  s.postcode = Pick(rng, kPostcodes);
  s.age = std::clamp(static_cast<int>(std::normal_distribution<double>(13.5, 3.2)(rng)), 3, 19);
  if (s.referrerType == "self" && s.age < 11) s.age = 11 + static_cast<int>(rng() % 6);
  int n = 1 + static_cast<int>(rng() % 2);
  for (int i = 0; i < n; ++i) {
    const auto& need = Pick(rng, kNeeds);
    if (std::find(s.needs.begin(), s.needs.end(), need) == s.needs.end()) s.needs.push_back(need);
  }
  double r = std::uniform_real_distribution<double>(0, 1)(rng);
  if (r < 0.02) {
    s.risks = {"suicide-plan"};
  } else if (r < 0.08) {
    s.risks = {"self-harm-recent"};
  } else if (r < 0.12) {
    s.risks = {"safeguarding"};
  }
  static const std::vector<std::pair<std::string, double>> kImpact = {
      {"mild", 30}, {"moderate", 45}, {"severe", 20}, {"none", 5}};
  s.impact = Pick(rng, kImpact);
  return s;
}

// The service a clinician would choose for the story by rule of thumb: used when there is no
// model, when the model recommends none, and for a clinician's occasional override.
std::string ServiceFor(const Story& s, std::mt19937_64& rng) {
  auto has = [&](const char* n) {
    return std::find(s.needs.begin(), s.needs.end(), n) != s.needs.end();
  };
  if (!s.risks.empty() && s.risks[0] == "suicide-plan") return "crisis";
  if (has("eating-disorder") && s.age <= 18) return "eating-disorders";
  if (has("psychosis") && s.age >= 14) return "eip";
  if (has("adhd")) return "adhd-support";
  if (has("bereavement")) return "bereavement";
  if (s.impact == "severe" || has("self-harm") || has("autism"))
    return s.age <= 17 ? "camhs" : "early-intervention";
  return rng() % 4 == 0 ? "online-counselling" : "early-intervention";
}

}  // namespace

Result<DemoReport> Generate(store::Store& store, const directory::Area& area,
                            const DemoOptions& o) {
  auto started = std::chrono::steady_clock::now();
  // When each referral arrives: months weighted by season, uniform within a month.
  std::mt19937_64 plan_rng(o.seed);
  std::vector<double> weights;
  std::vector<domain::Date> month_starts;
  domain::Date end_day = domain::DateOf(o.end);
  for (int m = o.months - 1; m >= 0; --m) {
    domain::Date d{end_day.year, end_day.month - m, 1};
    while (d.month < 1) {
      d.month += 12;
      --d.year;
    }
    month_starts.push_back(d);
    weights.push_back(kSeason[d.month - 1]);
  }
  std::discrete_distribution<int> month_of(weights.begin(), weights.end());

  DemoReport report;
  std::atomic<long> next{0}, declines{0}, contacts{0}, dnas{0}, discharges{0};
  std::mutex err_mu;
  Status first_error;
  auto worker = [&](int t) {
    std::mt19937_64 rng(o.seed * 7919 + t);
    domain::FakeClock clock(o.end);
    workflow::Intake intake(store, clock,
                            [&](const std::string& pc) { return area.LocalityForPostcode(pc); });
    workflow::Navigation nav(store, clock, area, o.engine);
    workflow::Actor public_actor{"public", "self", "demo"};
    workflow::StaffActor triage{
        {"demo-triage", "triage-clinician", "demo"}, {"triage-clinician"}, {}};
    workflow::StaffActor service{
        {"demo-service", "service-clinician", "demo"}, {"service-clinician"}, {"*"}};
    auto fail = [&](const Status& st) {
      std::lock_guard lock(err_mu);
      if (first_error.ok()) first_error = st;
    };
    for (long i = next++; i < o.referrals; i = next++) {
      std::mt19937_64 r(o.seed + static_cast<unsigned long>(i) * 2654435761UL);
      Story s = Draw(r);
      const auto& ms = month_starts[month_of(r)];
      long day0 = domain::DaysFromEpoch(ms);
      auto received =
          Timestamp(std::chrono::sys_days(std::chrono::days(day0 + static_cast<long>(r() % 28)))) +
          hours(8 + r() % 10) + minutes(r() % 60);
      if (received > o.end) received = o.end - hours(1);
      clock.Set(received);
      domain::Date dob = domain::DateFromDays(domain::DaysFromEpoch(domain::DateOf(received)) -
                                              s.age * 365 - static_cast<long>(r() % 300) - 10);
      json referrer = {{"type", s.referrerType}};
      if (s.referrerType != "self") {
        referrer["name"] = "Demo Referrer";
        referrer["phone"] = "07700 900000";
      }
      if (s.referrerType == "professional") {
        referrer["role"] = "Demo role";
        referrer["organisation"] = "Demo organisation";
      }
      json body = {{"referrer", referrer},
                   {"youngPerson",
                    {{"givenName", "Demo"},
                     {"familyName", "Person" + std::to_string(i)},
                     {"dateOfBirth", domain::FormatDate(dob)},
                     {"postcode", s.postcode},
                     {"gender", std::vector<std::string>{"1", "2", "3", "Z"}[r() % 4]},
                     {"ethnicCategory",
                      std::vector<std::string>{"A", "A", "A", "B", "H", "J", "M", "Z"}[r() % 8]}}},
                   {"source", s.source},
                   {"needs", s.needs},
                   {"risks", s.risks},
                   {"impact", s.impact},
                   {"consent", {{"youngPersonAgrees", true}, {"parentMayBeContacted", true}}}};
      auto ack = intake.Submit(body, public_actor);
      if (!ack.ok()) {
        fail(ack.status());
        continue;
      }
      const std::string& ref = ack->reference;
      // Triage on intake, as `waymark serve` does; then the clinicians act on what it says.
      nav.AfterIntake(ref, ack->crisis, public_actor);
      auto triaged = store.GetReferral(ref);
      if (!triaged.ok()) {
        fail(triaged.status());
        continue;
      }
      int64_t version = triaged->version;
      const std::string recommended = triaged->recommendedService;
      // Each command carries the version the clinician was looking at: the one the last
      // command left (Navigation::Apply returns the referral as it is afterwards).
      auto act = [&](const workflow::StaffActor& who, workflow::ActionRequest req) -> bool {
        req.version = version;
        auto done = nav.Apply(ref, req, who);
        if (!done.ok()) {
          fail(done.status());
          return false;
        }
        version = done->version;
        return true;
      };
      auto later = [&](minutes h) {
        auto t = clock.Now() + h;
        if (t > o.end) return false;
        clock.Set(t);
        return true;
      };
      const auto priority =
          domain::ParsePriority(triaged->priority).value_or(domain::Priority::kRoutine);
      // The window the service's standard gives from receipt (every example clock starts
      // at receipt).
      auto window = [&](const std::string& id) {
        const auto* found = area.directory().Find(id);
        if (!found) return minutes(60 * 24 * 28);
        auto due = found->access_standard.DueTime(received, priority, area.calendar());
        return std::max(minutes(60), std::chrono::duration_cast<minutes>(due - received));
      };
      // The triage decision: within the hour for an emergency, days for a routine request.
      const long decide_minutes = priority == domain::Priority::kEmergency    ? 15 + r() % 75
                                  : priority == domain::Priority::kVeryUrgent ? 60 + r() % 300
                                  : priority == domain::Priority::kUrgent     ? 120 + r() % 1200
                                                                              : 120 + r() % 4200;
      // ...and never more than a quarter of the recommended service's window.
      const auto decide_cap = recommended.empty() ? minutes(decide_minutes)
                                                  : std::max(minutes(5), window(recommended) / 4);
      if (!later(std::min(minutes(decide_minutes), decide_cap))) continue;
      if (r() % 100 < 12) {
        workflow::ActionRequest sp;
        sp.action = workflow::Action::kSignpost;
        sp.reason = "Advice and self-help are enough for now";
        sp.signpostTo = "Online counselling and the information library";
        act(triage, sp);
        continue;
      }
      // Mostly the engine's recommendation; now and then a clinician's own choice, with the
      // reason an override needs.
      std::string svc = recommended.empty() ? ServiceFor(s, r) : recommended;
      workflow::ActionRequest route;
      route.action = workflow::Action::kRoute;
      if (!recommended.empty() && r() % 100 < 8) {
        std::string own = ServiceFor(s, r);
        if (own != recommended) {
          svc = own;
          route.reason = "Clinical judgement: known to this service";
        }
      }
      route.serviceId = svc;
      if (!act(triage, route)) continue;
      // A service answers within a tenth of its window, at most about 5 days.
      auto answer_after = [&](const std::string& id) {
        long cap = std::max<long>(5, window(id).count() / 10);
        return minutes(std::min<long>(60 * (24 + r() % 120), 1 + r() % cap));
      };
      if (!later(answer_after(svc))) continue;
      if (r() % 100 < 18) {  // declined: back to triage, routed again elsewhere
        workflow::ActionRequest dec;
        dec.action = workflow::Action::kDecline;
        dec.reasonCode = std::vector<std::string>{"not-meeting-criteria", "needs-met-elsewhere",
                                                  "outside-age-range"}[r() % 3];
        if (!act(service, dec)) continue;
        ++declines;
        if (!later(minutes(60 * (4 + r() % 44)))) continue;
        route.serviceId = svc == "camhs" ? "early-intervention" : "camhs";
        route.reason = "Declined by the first service: " + dec.reason;
        if (!act(triage, route)) continue;
        if (!later(answer_after(route.serviceId))) continue;
      }
      workflow::ActionRequest accept;
      accept.action = workflow::Action::kAccept;
      if (!act(service, accept)) continue;
      // The first appointment: most within the service's standard, some after it (CAMHS,
      // the most stretched, about half), at a share of the window from receipt.
      const auto w = window(route.serviceId);
      const int within = route.serviceId == "camhs" ? 55 : 85;
      const double share = static_cast<int>(r() % 100) < within
                               ? std::uniform_real_distribution<double>(0.3, 0.97)(r)
                               : std::uniform_real_distribution<double>(1.03, 1.8)(r);
      const auto first = received + minutes(static_cast<long>(share * w.count()));
      if (!later(std::max(minutes(30), std::chrono::duration_cast<minutes>(first - clock.Now()))))
        continue;
      bool attended = false;
      for (int k = 0; k < 3 && !attended; ++k) {
        workflow::ActionRequest book;
        book.action = workflow::Action::kBookContact;
        book.bookedFor = clock.Now();
        book.mechanism = std::vector<std::string>{"01", "01", "02", "11"}[r() % 4];
        if (!act(service, book)) break;
        ++contacts;
        auto cs = store.ContactsFor(ref);
        if (!cs.ok()) break;
        workflow::ActionRequest rec;
        rec.action = workflow::Action::kRecordAttendance;
        rec.contactId = cs->back().id;
        bool dna = r() % 100 < 10;
        rec.attendStatus = dna ? "3" : "5";
        if (!act(service, rec)) break;
        if (dna) {
          ++dnas;
          // Offered again soon: within days, or hours for a same-day or crisis service.
          if (!later(std::clamp(w / 8, minutes(60), minutes(60 * 24 * 7)))) break;
        } else {
          attended = true;
        }
      }
      if (attended && later(hours(24 * 7 * (4 + r() % 20)))) {
        workflow::ActionRequest dis;
        dis.action = workflow::Action::kDischarge;
        dis.reason = "Goals met";
        if (act(service, dis)) ++discharges;
      }
      if (o.progress && (i + 1) % 500 == 0) o.progress(i + 1, o.referrals);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, o.threads); ++t) threads.emplace_back(worker, t);
  for (auto& th : threads) th.join();
  if (!first_error.ok()) return first_error;
  if (o.progress) o.progress(o.referrals, o.referrals);
  report.referrals = o.referrals;
  report.declines = declines;
  report.contacts = contacts;
  report.dnas = dnas;
  report.discharges = discharges;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace waymark::sim
