#include "rules/tck.h"

#include <algorithm>
#include <filesystem>
#include <pugixml.hpp>

#include "rules/dmn.h"
#include "rules/value.h"

namespace waymark::rules {
namespace {

namespace fs = std::filesystem;

std::string LocalName(const pugi::xml_node& n) {
  std::string s = n.name();
  size_t c = s.find(':');
  return c == std::string::npos ? s : s.substr(c + 1);
}

std::string Attr(const pugi::xml_node& n, const char* local) {
  for (auto a : n.attributes()) {
    std::string an = a.name();
    size_t c = an.find(':');
    if ((c == std::string::npos ? an : an.substr(c + 1)) == local) return a.value();
  }
  return "";
}

Value ReadValue(const pugi::xml_node& holder);

// <value>, <list>, <component> children of a node: the value they describe.
Value ReadValue(const pugi::xml_node& holder) {
  std::vector<pugi::xml_node> components;
  for (auto c : holder.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string k = LocalName(c);
    if (k == "value") {
      if (Attr(c, "nil") == "true") return Value();
      // A value may itself hold nested structure.
      bool nested = false;
      for (auto g : c.children())
        if (g.type() == pugi::node_element) nested = true;
      if (nested) return ReadValue(c);
      std::string type = Attr(c, "type");
      size_t colon = type.find(':');
      if (colon != std::string::npos) type = type.substr(colon + 1);
      std::string text = c.text().as_string();
      if (type == "decimal" || type == "double" || type == "integer" || type == "int" ||
          type == "long" || type == "float") {
        if (text == "NaN" || text == "INF" || text == "-INF") return Value();
        auto d = ParseDecimal(text);
        return d ? Value(*d) : Value();
      }
      if (type == "boolean") return Value(text == "true" || text == "1");
      if (type == "date") {
        auto d = ParseDate(text);
        return d ? Value(*d) : Value();
      }
      if (type == "time") {
        auto t = ParseTime(text);
        return t ? Value(*t) : Value();
      }
      if (type == "dateTime") {
        auto t = ParseDateTime(text);
        return t ? Value(*t) : Value();
      }
      if (type == "duration") return ParseTemporal(text);
      return text;
    }
    if (k == "list") {
      List out;
      for (auto item : c.children())
        if (item.type() == pugi::node_element && LocalName(item) == "item")
          out.push_back(ReadValue(item));
      return out;
    }
    if (k == "component") components.push_back(c);
  }
  if (!components.empty()) {
    Context ctx;
    for (const auto& c : components) ctx.entries.emplace_back(Attr(c, "name"), ReadValue(c));
    return Value(std::move(ctx));
  }
  return Value();
}

std::string Csv(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    if (c == '\n' || c == '\r') c = ' ';
    out += c;
  }
  return out + "\"";
}

void RunFolder(const fs::path& dir, const std::string& label, std::ostream& csv, TckReport& rep) {
  std::vector<std::string> dmnFiles;
  std::vector<fs::path> testFiles;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext == ".dmn") dmnFiles.push_back(e.path().string());
    if (ext == ".xml" && e.path().filename().string().find("test") != std::string::npos)
      testFiles.push_back(e.path());
  }
  std::sort(dmnFiles.begin(), dmnFiles.end());
  std::sort(testFiles.begin(), testFiles.end());
  if (testFiles.empty()) return;
  auto set = ModelSet::Load(dmnFiles, /*strict=*/false);
  TckCount& count = rep.byFolder[label];
  for (const auto& tf : testFiles) {
    pugi::xml_document doc;
    if (!doc.load_file(tf.c_str(), pugi::parse_default | pugi::parse_ws_pcdata_single)) continue;
    pugi::xml_node root = doc.document_element();
    std::string base = tf.stem().string();
    std::string modelName;
    for (auto c : root.children())
      if (LocalName(c) == "modelName") modelName = c.text().as_string();
    const Model* model = nullptr;
    if (set.ok()) {
      model = set.value()->Find(modelName);
      if (!model && !set.value()->models().empty() && modelName.empty())
        model = set.value()->models().front().get();
    }
    for (auto tc : root.children()) {
      if (LocalName(tc) != "testCase") continue;
      std::string id = tc.attribute("id").as_string();
      auto fail = [&](const std::string& message, const char* result = "ERROR") {
        csv << Csv(label.substr(label.find('/') + 1)) << "," << Csv(base) << "," << Csv(id) << ","
            << Csv(result) << "," << Csv(message) << "\n";
      };
      if (!model) {
        ++count.failed;
        fail(set.ok() ? "model " + modelName + " not found" : set.status().message());
        continue;
      }
      Context inputs;
      for (auto in : tc.children())
        if (LocalName(in) == "inputNode")
          inputs.Set(in.attribute("name").as_string(), ReadValue(in));
      std::string type = tc.attribute("type").as_string();
      std::string invocable = tc.attribute("invocableName").as_string();
      std::vector<std::pair<std::string, pugi::xml_node>> results;
      std::vector<std::string> names;
      for (auto rn : tc.children())
        if (LocalName(rn) == "resultNode") {
          results.emplace_back(rn.attribute("name").as_string(), rn);
          names.push_back(rn.attribute("name").as_string());
        }
      Context actual;
      if (type == "decisionService" || type == "bkm") {
        Value r = model->Invoke(invocable, inputs);
        for (const auto& [name, node] : results) {
          if (r.Is(Value::Kind::kContext) && r.AsContext().Find(name) && type == "decisionService")
            actual.Set(name, *r.AsContext().Find(name));
          else
            actual.Set(name, r);
        }
      } else {
        actual = model->Evaluate(inputs, names).results;
      }
      std::string problem;
      for (const auto& [name, node] : results) {
        bool errorExpected = node.attribute("errorResult").as_bool();
        pugi::xml_node expectedNode;
        for (auto c : node.children())
          if (LocalName(c) == "expected") expectedNode = c;
        Value expected = expectedNode ? ReadValue(expectedNode) : Value();
        const Value* got = actual.Find(name);
        Value g = got ? *got : Value();
        bool ok = errorExpected ? g.IsNull() : SameValue(g, expected, 1e-8);
        if (!ok) {
          if (!problem.empty()) problem += "; ";
          problem +=
              name + ": expected " + ToFeelLiteral(expected) + " but got " + ToFeelLiteral(g);
        }
      }
      if (problem.empty()) {
        ++count.passed;
        fail("", "SUCCESS");
      } else {
        ++count.failed;
        fail(problem);
      }
    }
  }
}

void Walk(const fs::path& dir, const std::string& label, std::ostream& csv, TckReport& rep) {
  bool hasDmn = false;
  std::vector<fs::path> subdirs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_directory()) subdirs.push_back(e.path());
    if (e.is_regular_file() && e.path().extension() == ".dmn") hasDmn = true;
  }
  if (hasDmn) RunFolder(dir, label, csv, rep);
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& s : subdirs)
    Walk(s, label.empty() ? s.filename().string() : label + "/" + s.filename().string(), csv, rep);
}

}  // namespace

TckReport RunTck(const std::string& root, std::ostream& csv) {
  TckReport rep;
  fs::path p(root);
  Walk(p, p.filename().string(), csv, rep);
  for (const auto& [k, c] : rep.byFolder) {
    rep.total.passed += c.passed;
    rep.total.failed += c.failed;
    rep.total.skipped += c.skipped;
  }
  return rep;
}

}  // namespace waymark::rules
