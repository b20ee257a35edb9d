#include "rules/cases.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

namespace waymark::rules {
namespace {

nlohmann::json ToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : n) a.push_back(ToJson(e));
      return a;
    }
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted in the file
      if (s == "true" || s == "false") return s == "true";
      if (!s.empty() && std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), ::isdigit) &&
          s != "-")
        return std::stoll(s);
      return s;
    }
    default:
      return nullptr;
  }
}

std::vector<std::string> Strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const auto& e : n) out.push_back(e.as<std::string>());
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

}  // namespace

Result<std::vector<CaseOutcome>> RunCases(const TriageModel& model, const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  if (ec || files.empty())
    return Status::Invalid("no clinical cases: " + dir + " has no .yaml file");
  std::sort(files.begin(), files.end());
  std::vector<CaseOutcome> out;
  for (const auto& f : files) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(f.string());
    } catch (const YAML::Exception& e) {
      return Status::Invalid(f.filename().string() + ": " + e.what());
    }
    if (!doc["cases"] || !doc["cases"].IsSequence())
      return Status::Invalid(f.filename().string() + ": expected a list under \"cases\"");
    for (const auto& c : doc["cases"]) {
      CaseOutcome o;
      o.file = f.filename().string();
      o.name = c["name"] ? c["name"].as<std::string>() : "(unnamed)";
      auto input = domain::ParseTriageInput(ToJson(c["input"]));
      if (!input.ok())
        return Status::Invalid(o.file + ", case \"" + o.name + "\": " + input.status().message());
      auto decision = model.Decide(input.value());
      if (!decision.ok()) {
        o.failures.push_back("the model failed: " + decision.status().message());
        out.push_back(std::move(o));
        continue;
      }
      const auto& d = decision.value();
      std::vector<std::string> ids, codes;
      for (const auto& s : d.services) ids.push_back(s.id);
      o.priority = domain::PriorityName(d.priority);
      o.thriveGroup = d.thriveGroup;
      o.services = ids;
      for (const auto& a : d.alerts) codes.push_back(a.code);
      const YAML::Node e = c["expect"];
      auto has = [](const std::vector<std::string>& v, const std::string& x) {
        return std::find(v.begin(), v.end(), x) != v.end();
      };
      if (e["priority"] && e["priority"].as<std::string>() != domain::PriorityName(d.priority))
        o.failures.push_back("priority: expected " + e["priority"].as<std::string>() + ", got " +
                             domain::PriorityName(d.priority));
      if (e["thriveGroup"] && e["thriveGroup"].as<std::string>() != d.thriveGroup)
        o.failures.push_back("thriveGroup: expected " + e["thriveGroup"].as<std::string>() +
                             ", got " + d.thriveGroup);
      if (e["firstService"] && (ids.empty() || ids[0] != e["firstService"].as<std::string>()))
        o.failures.push_back("firstService: expected " + e["firstService"].as<std::string>() +
                             ", got " + (ids.empty() ? "none" : ids[0]) + " (all: " + Join(ids) +
                             ")");
      for (const auto& s : Strings(e["services"]))
        if (!has(ids, s)) o.failures.push_back("services: expected " + s + " in " + Join(ids));
      for (const auto& s : Strings(e["notServices"]))
        if (has(ids, s)) o.failures.push_back("notServices: " + s + " must not be in " + Join(ids));
      for (const auto& a : Strings(e["alerts"]))
        if (!has(codes, a)) o.failures.push_back("alerts: expected " + a + " in " + Join(codes));
      for (const auto& a : Strings(e["notAlerts"]))
        if (has(codes, a))
          o.failures.push_back("notAlerts: " + a + " must not be in " + Join(codes));
      if (e["outOfArea"] && e["outOfArea"].as<bool>() != d.outOfArea)
        o.failures.push_back(std::string("outOfArea: expected ") +
                             (d.outOfArea ? "false, got true" : "true, got false"));
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::vector<std::string> CoverageGaps(const std::vector<CaseOutcome>& outcomes,
                                      const std::vector<std::string>& serviceIds) {
  auto seen = [&](auto&& pred) { return std::any_of(outcomes.begin(), outcomes.end(), pred); };
  std::vector<std::string> gaps;
  for (const char* p : {"emergency", "very-urgent", "urgent", "routine"})
    if (!seen([&](const CaseOutcome& o) { return o.priority == p; }))
      gaps.push_back(std::string("no case decides priority ") + p);
  for (const char* g :
       {"thriving", "getting-advice", "getting-help", "getting-more-help", "getting-risk-support"})
    if (!seen([&](const CaseOutcome& o) { return o.thriveGroup == g; }))
      gaps.push_back(std::string("no case puts a young person in THRIVE group ") + g);
  for (const auto& id : serviceIds)
    if (!seen([&](const CaseOutcome& o) { return !o.services.empty() && o.services[0] == id; }))
      gaps.push_back("no case recommends " + id + " first");
  return gaps;
}

}  // namespace waymark::rules
