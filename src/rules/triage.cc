#include "rules/triage.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/crisis.h"

namespace waymark::rules {
namespace {

using K = Value::Kind;

Value Strings(const std::vector<std::string>& v) {
  List out;
  out.reserve(v.size());
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

const char* const kDecisions[] = {"Priority", "THRIVE group", "Recommended services", "Alerts"};

std::string Field(const Value& ctx, const char* name) {
  if (!ctx.Is(K::kContext)) return "";
  const Value* v = ctx.AsContext().Find(name);
  return v && v->Is(K::kString) ? v->AsString() : "";
}

}  // namespace

Result<std::vector<ModelFile>> ReadModelFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".dmn") paths.push_back(e.path().string());
  if (ec || paths.empty())
    return Status::Invalid("no decision model: " + dir + " has no .dmn file");
  std::sort(paths.begin(), paths.end());
  std::vector<ModelFile> files;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return Status::Invalid(p + ": cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({fs::path(p).filename().string(), ss.str()});
  }
  return files;
}

std::string ModelVersionOf(const std::string& modelName, const std::vector<ModelFile>& files) {
  std::vector<const ModelFile*> sorted;
  for (const auto& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const ModelFile* a, const ModelFile* b) { return a->name < b->name; });
  uint64_t h = 1469598103934665603ULL;
  auto add = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ULL; };
  for (const auto* f : sorted) {
    for (unsigned char c : f->name) add(c);
    add('\0');
    for (unsigned char c : f->text) add(c);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return modelName + "@" + buf;
}

Result<std::shared_ptr<const TriageModel>> TriageModel::Load(
    const std::string& dir, std::vector<DirectoryEntry> directory, PostcodeToLocality locality,
    std::vector<std::string> localityCodes) {
  auto files = ReadModelFiles(dir);
  if (!files.ok()) return files.status();
  auto m = FromFiles(std::move(files.value()), std::move(directory), std::move(locality), "",
                     std::move(localityCodes));
  if (!m.ok()) return Status::Invalid(dir + ": " + m.status().message(), m.status().fields());
  return m;
}

Result<std::shared_ptr<const TriageModel>> TriageModel::FromFiles(
    std::vector<ModelFile> files, std::vector<DirectoryEntry> directory,
    PostcodeToLocality locality, std::string directoryVersion,
    std::vector<std::string> localityCodes) {
  if (files.empty()) return Status::Invalid("no decision model: no .dmn file");
  std::sort(files.begin(), files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.name < b.name; });
  auto set = ModelSet::Load(files, /*strict=*/true);
  if (!set.ok()) return set.status();
  auto m = std::make_shared<TriageModel>();
  m->models_ = set.value();
  for (const auto& model : m->models_->models()) {
    auto names = model->DecisionNames();
    if (std::find(names.begin(), names.end(), "Priority") != names.end()) m->model_ = model.get();
  }
  if (!m->model_) return Status::Invalid("no model has a decision named \"Priority\"");
  auto names = m->model_->DecisionNames();
  for (const char* d : kDecisions)
    if (std::find(names.begin(), names.end(), d) == names.end())
      return Status::Invalid("the model has no decision named \"" + std::string(d) +
                             "\" (the triage contract needs Priority, THRIVE group, " +
                             "Recommended services and Alerts)");
  List entries;
  for (const auto& s : directory) {
    Context c;
    c.entries = {{"id", s.id},
                 {"name", s.name},
                 {"minAge", Value(s.minAge)},
                 {"maxAge", Value(s.maxAge)},
                 {"localities", Strings(s.localities)},
                 {"needsTaken", Strings(s.needsTaken)},
                 {"needsExcluded", Strings(s.needsExcluded)},
                 {"contextsRequired", Strings(s.contextsRequired)},
                 {"contextsAnyOf", Strings(s.contextsAnyOf)},
                 {"thriveGroups", Strings(s.thriveGroups)}};
    entries.push_back(Value(std::move(c)));
    m->serviceIds_.push_back(s.id);
  }
  Context prepared;
  prepared.Set("directory", Value(std::move(entries)));
  m->directory_ = m->model_->Prepare(prepared);
  m->locality_ = std::move(locality);
  m->localityCodes_ = std::move(localityCodes);
  m->version_ = ModelVersionOf(m->model_->name(), files);
  m->directoryVersion_ = std::move(directoryVersion);
  m->files_ = std::move(files);
  return std::shared_ptr<const TriageModel>(m);
}

Result<domain::TriageDecision> TriageModel::Decide(const domain::TriageInput& in) const {
  std::string locality = in.locality.value_or("");
  if (!locality.empty() && !localityCodes_.empty() &&
      std::find(localityCodes_.begin(), localityCodes_.end(), locality) == localityCodes_.end()) {
    std::string allowed;
    for (const auto& c : localityCodes_) allowed += (allowed.empty() ? "" : ", ") + c;
    return Status::Invalid("Check locality.",
                           {{"locality", "is not a locality of this area; allowed: " + allowed}});
  }
  if (locality.empty() && in.postcode && locality_) locality = locality_(*in.postcode);
  if (locality.empty()) locality = "out-of-area";
  Context inputs;
  auto& e = inputs.entries;
  e.reserve(10);
  e.emplace_back("age", Value(in.age));
  e.emplace_back("locality", Value(locality));
  e.emplace_back("source", Value(in.source));
  e.emplace_back("needs", Strings(in.needs));
  e.emplace_back("risks", Strings(in.risks));
  e.emplace_back("context", Strings(in.context));
  e.emplace_back("impact", Value(in.impact));
  e.emplace_back("durationWeeks", in.durationWeeks ? Value(*in.durationWeeks) : Value());
  e.emplace_back("triedServices", Strings(in.triedServices));
  e.emplace_back("freeTextConcern", Value(domain::ContainsCrisisWords(in.description)));
  // Every decision is evaluated; the results keep the contract's four.
  static const std::vector<std::string> kKeep(std::begin(kDecisions), std::end(kDecisions));
  Evaluation ev = model_->Evaluate(inputs, directory_, {}, &kKeep);
  if (ev.cutShort)  // part of it came out null: not a decision to act on
    return Status::Internal(
        "the triage model exceeded its evaluation limits (loops, recursion or string size); "
        "a person must triage this referral");
  auto result = [&](const char* name) {
    const Value* v = ev.results.Find(name);
    return v ? *v : Value();
  };
  domain::TriageDecision d;
  Value p = result("Priority");
  auto priority = p.Is(K::kString) ? domain::ParsePriority(p.AsString()) : std::nullopt;
  if (!priority)
    return Status::Internal("the triage model gave no valid Priority (got " + ToFeelLiteral(p) +
                            "); allowed: emergency, very-urgent, urgent, routine");
  d.priority = *priority;
  Value g = result("THRIVE group");
  if (!g.Is(K::kString) || std::find(domain::kThriveGroups.begin(), domain::kThriveGroups.end(),
                                     g.AsString()) == domain::kThriveGroups.end())
    return Status::Internal("the triage model gave no valid THRIVE group (got " + ToFeelLiteral(g) +
                            ")");
  d.thriveGroup = g.AsString();
  Value services = result("Recommended services");
  if (!services.Is(K::kList) || services.AsList().empty())
    return Status::Internal("the triage model recommended no service (got " +
                            ToFeelLiteral(services) + "); it must always recommend one");
  for (const auto& s : services.AsList()) {
    std::string id = Field(s, "id");
    if (std::find(serviceIds_.begin(), serviceIds_.end(), id) == serviceIds_.end())
      return Status::Internal("the triage model recommended \"" + id +
                              "\", which is not a service of the directory");
    d.services.push_back({std::move(id), Field(s, "reason")});
  }
  Value alerts = result("Alerts");
  if (alerts.Is(K::kList))
    for (const auto& a : alerts.AsList()) {
      std::string code = Field(a, "code");
      if (!code.empty()) d.alerts.push_back({code, Field(a, "message")});
    }
  d.outOfArea = locality == "out-of-area";
  d.rulesFired.reserve(ev.rulesFired.size());
  for (const auto& hit : ev.rulesFired) {
    std::string row = std::to_string(hit->row);
    std::string rule;
    rule.reserve(6 + row.size() + hit->description.size());
    rule += "Row ";
    rule += row;
    if (!hit->description.empty()) rule += ": ", rule += hit->description;
    d.rulesFired.push_back({hit->decision, std::move(rule)});
  }
  d.modelVersion = version_;
  d.directoryVersion = directoryVersion_;
  return d;
}

std::vector<std::string> TriageModel::Explain(const domain::TriageDecision& d) {
  std::vector<std::string> out;
  for (const auto& r : d.rulesFired) {
    // "Row 3: suicide plan → emergency" of decision "Priority" → "Row 3 of Priority: ..."
    std::string rule = r.rule;
    size_t colon = rule.find(':');
    std::string row = colon == std::string::npos ? rule : rule.substr(0, colon);
    std::string rest = colon == std::string::npos ? "" : rule.substr(colon);
    out.push_back(row + " of " + r.decision + rest);
  }
  return out;
}

}  // namespace waymark::rules
