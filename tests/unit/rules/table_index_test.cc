// Decision table indexes (dmn.cc, DecisionTableExpr::index) against the row-by-row tests:
// a table of up to 64 rows is indexed, one of 65 is not. The same rows plus one that never
// matches must give the same answers and fire the same rows, for string, list, null and
// number inputs, and when an input named `list contains` hides the built-in.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/dmn.h"

namespace waymark::rules {
namespace {

const char* const kCells[] = {"-",
                              "\"a\"",
                              "\"a\", \"b\"",
                              "not(\"a\")",
                              "not(\"a\", \"b\")",
                              "list contains(?, \"a\")",
                              "list contains(?, \"b\")",
                              "list contains(?, \"a\") and list contains(?, \"b\")",
                              "\"b\", 3",
                              "&gt;= 3",
                              "!= \"a\""};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '"' ? std::string("&quot;") : std::string(1, c);
  return out;
}

// A COLLECT (or FIRST) table over inputs x, y, z whose rule i outputs i. `rows` rules are
// made from the cells above; `extra` adds one that never matches (x = "never").
std::string Table(const std::string& policy, int rows, bool extra, bool shadow) {
  std::string xml = R"(<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="m" name="t" namespace="urn:t">
  <inputData id="ix" name="x"><variable name="x"/></inputData>
  <inputData id="iy" name="y"><variable name="y"/></inputData>
  <inputData id="iz" name="z"><variable name="z"/></inputData>)";
  if (shadow)
    xml +=
        R"(<inputData id="is" name="list contains"><variable name="list contains"/></inputData>)";
  xml += R"(<decision id="d" name="D">
    <informationRequirement id="r1"><requiredInput href="#ix"/></informationRequirement>
    <informationRequirement id="r2"><requiredInput href="#iy"/></informationRequirement>
    <informationRequirement id="r3"><requiredInput href="#iz"/></informationRequirement>
    <decisionTable id="t" hitPolicy=")" +
         policy + R"(">
      <input id="c1"><inputExpression id="e1"><text>x</text></inputExpression></input>
      <input id="c2"><inputExpression id="e2"><text>y</text></inputExpression></input>
      <input id="c3"><inputExpression id="e3"><text>z</text></inputExpression></input>
      <output id="o" name="row"/>)";
  const int n = sizeof(kCells) / sizeof(kCells[0]);
  auto rule = [&](int i, const std::string& a, const std::string& b, const std::string& c) {
    xml += "<rule id=\"r" + std::to_string(i) + "\">";
    for (const auto& cell : {a, b, c})
      xml += "<inputEntry><text>" + Escape(cell) + "</text></inputEntry>";
    xml += "<outputEntry><text>" + std::to_string(i) + "</text></outputEntry></rule>";
  };
  for (int i = 0; i < rows; ++i)
    rule(i, kCells[i % n], kCells[(i * 7 + 3) % n], kCells[(i * 5 + 1) % n]);
  if (extra) rule(rows, "\"never\"", "-", "-");
  xml += "</decisionTable></decision></definitions>";
  return xml;
}

std::vector<std::string> Values() {
  return {"\"a\"",          "\"b\"", "\"c\"",         "null", "[\"a\"]",
          "[\"a\", \"b\"]", "[]",    "[\"b\", null]", "5",    "3"};
}

Value Parse(const std::string& feel) {
  auto set =
      ModelSet::LoadText(R"(<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="v" name="v" namespace="urn:v">
  <decision id="d" name="V"><literalExpression><text>)" +
                         Escape(feel) + R"(</text></literalExpression></decision></definitions>)");
  EXPECT_TRUE(set.ok());
  return *set.value()->models()[0]->Evaluate(Context{}).results.Find("V");
}

void Compare(const std::string& policy, bool shadow) {
  auto indexed = ModelSet::LoadText(Table(policy, 64, false, shadow));
  auto plain = ModelSet::LoadText(Table(policy, 64, true, shadow));
  ASSERT_TRUE(indexed.ok()) << indexed.status().message();
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  const Model* a = indexed.value()->models()[0].get();
  const Model* b = plain.value()->models()[0].get();
  size_t fired = 0;
  for (const auto& x : Values())
    for (const auto& y : Values())
      for (const auto& z : Values()) {
        Context in;
        in.Set("x", Parse(x));
        in.Set("y", Parse(y));
        in.Set("z", Parse(z));
        if (shadow) in.Set("list contains", Value("not a function"));
        auto ea = a->Evaluate(in), eb = b->Evaluate(in);
        std::string where = policy + " x=" + x + " y=" + y + " z=" + z;
        EXPECT_EQ(ToFeelLiteral(*ea.results.Find("D")), ToFeelLiteral(*eb.results.Find("D")))
            << where;
        ASSERT_EQ(ea.rulesFired.size(), eb.rulesFired.size()) << where;
        fired += ea.rulesFired.size();
        for (size_t i = 0; i < ea.rulesFired.size(); ++i)
          EXPECT_EQ(ea.rulesFired[i]->row, eb.rulesFired[i]->row) << where;
      }
  EXPECT_GT(fired, 100u);  // rows do match, in many ways
}

TEST(DecisionTableIndex, SameAnswersAsTestingEachRow) {
  Compare("COLLECT", false);
  Compare("FIRST", false);
}

TEST(DecisionTableIndex, ListContainsHiddenByAnInput) { Compare("COLLECT", true); }

// PRIORITY: the winning row's outputs, but every row that matched is listed (the triage
// contract's rulesFired), the winner first and then the others in table order.
TEST(DecisionTableTrace, PriorityListsEveryMatchingRowWinnerFirst) {
  auto set = ModelSet::LoadText(R"(<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="m" name="t" namespace="urn:t">
  <inputData id="ix" name="x"><variable name="x"/></inputData>
  <decision id="d" name="D">
    <informationRequirement id="r1"><requiredInput href="#ix"/></informationRequirement>
    <decisionTable id="t" hitPolicy="PRIORITY">
      <input id="c1"><inputExpression id="e1"><text>x</text></inputExpression></input>
      <output id="o" name="p"><outputValues><text>"high", "low"</text></outputValues></output>
      <rule id="a"><inputEntry><text>-</text></inputEntry><outputEntry><text>"low"</text></outputEntry></rule>
      <rule id="b"><inputEntry><text>&gt; 5</text></inputEntry><outputEntry><text>"high"</text></outputEntry></rule>
      <rule id="c"><inputEntry><text>&gt; 100</text></inputEntry><outputEntry><text>"high"</text></outputEntry></rule>
      <rule id="e"><inputEntry><text>&gt; 2</text></inputEntry><outputEntry><text>"low"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>)");
  ASSERT_TRUE(set.ok()) << set.status().message();
  Context in;
  in.Set("x", Parse("7"));
  auto ev = set.value()->models()[0]->Evaluate(in);
  EXPECT_EQ(ToFeelLiteral(*ev.results.Find("D")), "\"high\"");
  std::vector<std::string> ids;
  for (const auto& hit : ev.rulesFired) ids.push_back(hit->ruleId);
  EXPECT_EQ(ids, (std::vector<std::string>{"b", "a", "e"}));
}

}  // namespace
}  // namespace waymark::rules
