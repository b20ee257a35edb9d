// `waymark dmn tck`: the DMN conformance suite. `waymark triage` and `waymark rules test`:
// the area's triage model on one input, and on every clinical case beside it.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/common.h"
#include "rules/cases.h"
#include "rules/tck.h"

namespace waymark::cli {
namespace {

int RunTckCommand(const std::string& dir, const std::string& out) {
  if (!std::filesystem::is_directory(dir)) {
    std::cerr << "waymark dmn tck: " << dir << " is not a folder of TCK test cases\n";
    return kUsageError;
  }
  std::ofstream csv;
  if (!out.empty()) {
    csv.open(out);
    if (!csv) {
      std::cerr << "waymark dmn tck: cannot write " << out << "\n";
      return 1;
    }
  }
  std::ostringstream sink;
  std::ostream& os = out.empty() ? static_cast<std::ostream&>(sink) : csv;
  rules::TckReport rep = rules::RunTck(dir, os);
  for (const auto& [folder, c] : rep.byFolder)
    if (c.failed) std::cout << folder << ": " << c.passed << " passed, " << c.failed << " failed\n";
  std::cout << rep.total.passed << " passed, " << rep.total.failed << " failed, "
            << rep.total.skipped << " skipped\n";
  return rep.total.failed == 0 ? 0 : 1;
}

// One triage input JSON on stdin -> the decision JSON on stdout.
int Triage(const std::string& area_id, bool explain) {
  auto area = CheckArea(area_id);
  if (!area.ok()) {
    std::cerr << "waymark triage: " << area.status().message() << "\n";
    return kUsageError;
  }
  auto model = LoadTriageModel(area.value());
  if (!model.ok()) {
    std::cerr << "waymark triage: " << model.status().message() << "\n";
    return 1;
  }
  std::stringstream ss;
  ss << std::cin.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) {
    std::cerr << "waymark triage: standard input is not JSON (expected one triage input object)\n";
    return kUsageError;
  }
  auto input = domain::ParseTriageInput(j);
  if (!input.ok()) {
    std::cerr << "waymark triage: " << input.status().message() << "\n";
    for (const auto& f : input.status().fields())
      std::cerr << "  " << f.path << ": " << f.message << "\n";
    return kUsageError;
  }
  auto d = model.value()->Decide(input.value());
  if (!d.ok()) {
    // A code the area does not know (a locality) is bad input like any other: exit 2.
    std::cerr << "waymark triage: " << d.status().message() << "\n";
    for (const auto& f : d.status().fields())
      std::cerr << "  " << f.path << ": " << f.message << "\n";
    return d.status().code() == ErrorCode::kInvalid ? kUsageError : 1;
  }
  std::cout << domain::ToJson(d.value()).dump(2) << "\n";
  if (explain)
    for (const auto& line : rules::TriageModel::Explain(d.value())) std::cerr << line << "\n";
  return 0;
}

int RulesTest(const std::string& area_id) {
  auto area = CheckArea(area_id);
  if (!area.ok()) {
    std::cerr << "waymark rules test: " << area.status().message() << "\n";
    return kUsageError;
  }
  auto model = LoadTriageModel(area.value());
  if (!model.ok()) {
    std::cerr << "waymark rules test: " << model.status().message() << "\n";
    return 1;
  }
  auto outcomes = rules::RunCases(*model.value(), (area->dir / "cases").string());
  if (!outcomes.ok()) {
    std::cerr << "waymark rules test: " << outcomes.status().message() << "\n";
    return 1;
  }
  int passed = 0, failed = 0;
  for (const auto& o : outcomes.value()) {
    if (o.passed()) {
      ++passed;
      continue;
    }
    ++failed;
    std::cout << "FAIL " << o.file << ": " << o.name << "\n";
    for (const auto& f : o.failures) std::cout << "     " << f << "\n";
  }
  // A service no case reaches is untested: each gap counts as a failure.
  std::vector<std::string> ids;
  for (const auto& s : area->area->directory().services()) ids.push_back(s.id);
  for (const auto& gap : rules::CoverageGaps(outcomes.value(), ids)) {
    ++failed;
    std::cout << "FAIL coverage: " << gap << "\n";
  }
  std::cout << "model " << model.value()->version() << "\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

void AddDmnCommands(CLI::App& root, Action& action) {
  auto* dmn = root.add_subcommand("dmn", "DMN engine tools");
  dmn->require_subcommand(1);
  auto* tck = dmn->add_subcommand("tck", "Run the DMN conformance test suite (TCK)");
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  tck->add_option("dir", *dir, "TCK TestCases folder (or one level or test folder)")->required();
  tck->add_option("--out", *out, "Write the results CSV here");
  tck->callback([dir, out, &action] { action = [dir, out] { return RunTckCommand(*dir, *out); }; });

  auto area = std::make_shared<std::string>("example");
  auto explain = std::make_shared<bool>(false);
  auto* triage = root.add_subcommand(
      "triage", "Triage one input: triage input JSON on stdin, decision JSON on stdout");
  triage->add_option("--area", *area, "Area id (config/areas/ID)")->capture_default_str();
  triage->add_flag("--explain", *explain, "Also print each matching rule as a sentence (stderr)");
  triage->callback(
      [area, explain, &action] { action = [area, explain] { return Triage(*area, *explain); }; });

  auto* rulesCmd = root.add_subcommand("rules", "The area's triage model");
  rulesCmd->require_subcommand(1);
  auto* test = rulesCmd->add_subcommand("test", "Run the area's clinical cases (cases/*.yaml)");
  auto testArea = std::make_shared<std::string>("example");
  test->add_option("--area", *testArea, "Area id (config/areas/ID)")->capture_default_str();
  test->callback([testArea, &action] { action = [testArea] { return RulesTest(*testArea); }; });
}

}  // namespace waymark::cli
