// Triage decisions per second per core on the example area's model, with realistic generated
// inputs (most referrals are anxiety or low mood with no risk; a few carry emergency risks).
// Writes the same inputs to a JSON file (argv[2]) so the npm peers in bench/triage_peers/
// run exactly the same work in the same run (bench/run_all.sh), and Waymark's decision for
// each input to argv[3] so the peers can check they agree. Prints one JSON line.
// Usage: triage_bench [SECONDS] [INPUTS.json] [DECISIONS.json]
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>

#include "cli/common.h"
#include "domain/codes.h"

namespace {

using namespace waymark;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// jemalloc's control interface, when the program is linked with it (CMakeLists.txt).
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

// Bytes allocated with malloc and not yet freed, in KiB: jemalloc's count when it is the
// allocator, glibc's otherwise.
long HeapKb() {
  if (mallctl) {
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    mallctl("epoch", &epoch, &len, &epoch, len);  // refresh the statistics
    size_t allocated = 0;
    len = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &len, nullptr, 0) == 0)
      return static_cast<long>(allocated / 1024);
  }
  return static_cast<long>(mallinfo2().uordblks / 1024);
}

long RssKb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

std::vector<domain::TriageInput> Inputs(int n) {
  std::mt19937_64 rng(20261123);
  auto pick = [&](auto span) { return std::string(span[rng() % span.size()]); };
  const char* localities[] = {"city", "east", "west", "rutland", "out-of-area"};
  const char* sources[] = {"B1", "B2", "A1", "C2", "C1", "E6", "F1", "H1", "G4", "M6"};
  const char* impacts[] = {"none", "mild", "moderate", "severe"};
  const char* common[] = {"anxiety", "low-mood", "academic-stress", "self-harm", "anger"};
  std::vector<domain::TriageInput> out;
  for (int i = 0; i < n; ++i) {
    domain::TriageInput in;
    in.age = 5 + static_cast<int>(rng() % 21);
    in.locality = localities[rng() % (rng() % 20 == 0 ? 5 : 4)];
    in.source = sources[rng() % 10];
    in.needs.push_back(rng() % 3 ? common[rng() % 5] : pick(domain::NeedCodes()));
    if (rng() % 3 == 0) in.needs.push_back(pick(domain::NeedCodes()));
    if (rng() % 8 == 0) in.risks.push_back(pick(domain::RiskCodes()));
    if (rng() % 6 == 0) in.context.push_back(pick(domain::ContextCodes()));
    in.impact = impacts[rng() % 4];
    if (rng() % 2) in.durationWeeks = static_cast<int>(rng() % 52);
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::stod(argv[1]) : 5;
  std::string inputsFile = argc > 2 ? argv[2] : "bench/results/triage-inputs.json";
  std::string decisionsFile = argc > 3 ? argv[3] : "bench/results/triage-waymark-decisions.json";
  auto area = cli::CheckArea("example");
  if (!area.ok()) {
    std::cerr << area.status().message() << "\n";
    return 1;
  }
  long before = RssKb();
  auto model = cli::LoadTriageModel(area.value());
  if (!model.ok()) {
    std::cerr << model.status().message() << "\n";
    return 1;
  }
  long modelKb = RssKb() - before;
  // Each further model: RSS growth over ten more loads (the first also pays for one-off
  // tables such as the built-in functions).
  long perModelKb = 0, perModelHeapKb = 0;
  {
    std::vector<std::shared_ptr<const rules::TriageModel>> more;
    long rss = RssKb(), heap = HeapKb();
    for (int i = 0; i < 10; ++i) more.push_back(cli::LoadTriageModel(area.value()).value());
    perModelKb = (RssKb() - rss) / 10;
    perModelHeapKb = (HeapKb() - heap) / 10;
  }
  auto inputs = Inputs(10000);
  {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& in : inputs) {
      auto j = domain::ToJson(in);
      j["locality"] = *in.locality;
      if (!in.durationWeeks) j["durationWeeks"] = nullptr;
      j["freeTextConcern"] = false;
      all.push_back(j);
    }
    // The directory exactly as the engine gives it to the model (cli::LoadTriageModel).
    nlohmann::json dir = nlohmann::json::array();
    for (const auto& s : area->area->directory().services()) {
      const auto& e = s.eligibility;
      dir.push_back({{"id", s.id},
                     {"name", s.name},
                     {"minAge", e.min_age},
                     {"maxAge", e.max_age},
                     {"localities", e.localities},
                     {"needsTaken", e.needs_taken},
                     {"needsExcluded", e.needs_excluded},
                     {"contextsRequired", e.contexts_required},
                     {"contextsAnyOf", e.contexts_any_of},
                     {"thriveGroups", s.thrive_groups}});
    }
    std::ofstream(inputsFile) << nlohmann::json{{"directory", dir}, {"inputs", all}}.dump();
  }
  {
    // Waymark's whole decision for every input, for the peers' agreement check (and the
    // warm-up).
    nlohmann::json all = nlohmann::json::array();
    for (const auto& in : inputs) {
      auto d = model.value()->Decide(in);
      all.push_back(d.ok() ? domain::ToJson(*d) : nlohmann::json{{"error", d.status().message()}});
    }
    std::ofstream(decisionsFile) << all.dump() << "\n";
  }
  // Count decisions on one thread until the time is up.
  long n = 0, emergencies = 0;
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int k = 0; k < 1000; ++k, ++n) {
      auto d = model.value()->Decide(inputs[n % inputs.size()]);
      if (d.ok() && d->priority == domain::Priority::kEmergency) ++emergencies;
    }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  double cpu = CpuSeconds() - cpu0;
  nlohmann::json r = {
      {"engine", "waymark"},
      {"decisionsPerSecond", static_cast<long>(n / elapsed)},
      {"decisionsPerCpuSecond", static_cast<long>(n / cpu)},
      {"decisions", n},
      {"emergencyShare", static_cast<double>(emergencies) / n},
      {"modelMemoryKb", {{"firstLoadRss", modelKb}, {"rss", perModelKb}, {"heap", perModelHeapKb}}},
      {"inputs", inputsFile},
      {"decisionsFile", decisionsFile}};
  std::cout << r.dump() << "\n";
  return 0;
}
