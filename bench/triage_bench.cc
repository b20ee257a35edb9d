// Triage decisions per second per core on the example area's model, with realistic generated
// inputs (most referrals are anxiety or low mood with no risk; a few carry emergency risks).
// Writes the same inputs to a JSON file (argv[2]) so the npm peers in bench/triage_peers/
// run exactly the same work in the same run (bench/run_all.sh). Prints one JSON line.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <random>

#include "cli/common.h"
#include "domain/codes.h"

namespace {

using namespace waymark;

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
  // Warm up, then count decisions on one thread until the time is up.
  for (int i = 0; i < 1000; ++i) (void)model.value()->Decide(inputs[i % inputs.size()]);
  long n = 0, emergencies = 0;
  auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int k = 0; k < 1000; ++k, ++n) {
      auto d = model.value()->Decide(inputs[n % inputs.size()]);
      if (d.ok() && d->priority == domain::Priority::kEmergency) ++emergencies;
    }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  nlohmann::json r = {
      {"engine", "waymark"},      {"decisionsPerSecond", static_cast<long>(n / elapsed)},
      {"decisions", n},           {"emergencyShare", static_cast<double>(emergencies) / n},
      {"modelMemoryKb", modelKb}, {"inputs", inputsFile}};
  std::cout << r.dump() << "\n";
  return 0;
}
