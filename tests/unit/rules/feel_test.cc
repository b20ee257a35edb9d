// The FEEL parser and evaluator, and DMN decision tables, on small hand-made examples. The
// full conformance suite runs separately (ctest rules.tck-level-2, docs/conformance.md).
#include "rules/feel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rules/dmn.h"

namespace waymark::rules {
namespace {

Value Eval(const std::string& text, const feel::Scope* scope = nullptr) {
  feel::Names names;
  names.Add("Monthly Salary");
  auto n = feel::ParseExpression(text, names);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().message();
  if (!n.ok()) return Value();
  feel::Scope empty;
  return feel::Evaluate(*n.value(), scope ? *scope : empty);
}

std::string Str(const std::string& text) { return ToFeelString(Eval(text)); }

TEST(Feel, DecimalArithmeticIsExact) {
  EXPECT_EQ(Str("1.1 + 1.3"), "2.4");
  EXPECT_EQ(Str("0.1 + 0.2"), "0.3");
  EXPECT_EQ(Str("10 / 4"), "2.5");
  EXPECT_EQ(Str("2 ** 10"), "1024");
  EXPECT_TRUE(Eval("1 / 0").IsNull());
}

TEST(Feel, NamesWithSpaces) {
  feel::Scope s;
  s.Set("Monthly Salary", Value(1000));
  EXPECT_EQ(ToFeelString(Eval("Monthly Salary * 12", &s)), "12000");
}

TEST(Feel, NullPropagationAndTernaryLogic) {
  EXPECT_TRUE(Eval("null + 1").IsNull());
  EXPECT_TRUE(Eval("false and null").Is(Value::Kind::kBoolean));
  EXPECT_FALSE(Eval("false and null").AsBool());
  EXPECT_TRUE(Eval("true or null").AsBool());
  EXPECT_TRUE(Eval("true and null").IsNull());
  EXPECT_TRUE(Eval("\"a\" = 1").IsNull());
}

TEST(Feel, RangesListsContextsAndIteration) {
  EXPECT_TRUE(Eval("5 in [1..10]").AsBool());
  EXPECT_FALSE(Eval("10 in [1..10[").AsBool());
  EXPECT_TRUE(Eval("[1..10[.start included").AsBool());
  EXPECT_TRUE(Eval("5 in (< 3, > 4)").AsBool());
  EXPECT_EQ(Str("for x in [1, 2, 3] return x * 2"), "[2, 4, 6]");
  EXPECT_EQ(Str("[1, 2, 3][item > 1]"), "[2, 3]");
  EXPECT_EQ(Str("[{item: 1}, {item: 2}][item >= 2]"), "[{item: 2}]");
  EXPECT_EQ(Str("{a: 1, b: a + 1}.b"), "2");
  EXPECT_TRUE(Eval("some x in [1, 5] satisfies x > 4").AsBool());
  EXPECT_FALSE(Eval("every x in [1, 5] satisfies x > 4").AsBool());
  EXPECT_EQ(Str("if 3 > 2 then \"yes\" else \"no\""), "yes");
  EXPECT_EQ(Str("(function(a, b) a - b)(b: 1, a: 5)"), "4");
}

TEST(Feel, DatesTimesAndDurations) {
  EXPECT_EQ(Str("@\"2026-01-31\" + @\"P1M\""), "2026-02-28");
  EXPECT_EQ(Str("@\"2026-03-01\" - @\"2026-02-01\""), "P28D");
  EXPECT_EQ(Str("@\"2026-11-23T10:00:00Z\" + @\"PT90M\""), "2026-11-23T11:30:00Z");
  EXPECT_EQ(Str("@\"P1Y2M\" + @\"P10M\""), "P2Y");
  EXPECT_EQ(Str("@\"2026-11-23\".weekday"), "1");
}

TEST(Feel, ParseErrorsNameThePosition) {
  feel::Names names;
  auto r = feel::ParseExpression("1 + (2 * ", names);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("position"), std::string::npos) << r.status().message();
  std::string deep(1000, '(');
  EXPECT_FALSE(feel::ParseExpression(deep, names).ok());  // refused, not a stack overflow
}

TEST(Feel, UnaryTests) {
  feel::Names names;
  feel::Scope s;
  auto t = feel::ParseUnaryTests("< 18, [20..25]", names);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(feel::Satisfies(*t.value(), Value(17), s));
  EXPECT_FALSE(feel::Satisfies(*t.value(), Value(18), s));
  EXPECT_TRUE(feel::Satisfies(*t.value(), Value(25), s));
  auto n = feel::ParseUnaryTests("not(\"a\", \"b\")", names);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(feel::Satisfies(*n.value(), Value("c"), s));
  EXPECT_FALSE(feel::Satisfies(*n.value(), Value("a"), s));
  auto q = feel::ParseUnaryTests("list contains(?, \"x\")", names);
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(feel::Satisfies(*q.value(), Value(List{Value("y"), Value("x")}), s));
  auto any = feel::ParseUnaryTests("-", names);
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(feel::Satisfies(*any.value(), Value(), s));
}

TEST(Feel, RunawayRecursionIsCutShortNotACrash) {
  uint64_t before = feel::LimitHits();
  // A function given itself recurses (a context entry does not see its own name).
  const std::string count =
      "{f: function(g, n) if n = 0 then 0 else 1 + g(g, n - 1), r: f(f, N)}.r";
  auto with = [&](const std::string& n) { return count.substr(0, count.find('N')) + n + ")}.r"; };
  EXPECT_EQ(Str(with("100")), "100");
  EXPECT_EQ(feel::LimitHits(), before);  // ordinary recursion is untouched
  EXPECT_TRUE(Eval(with("100000")).IsNull());
  EXPECT_EQ(feel::LimitHits(), before + 1);
  EXPECT_TRUE(Eval("{f: function(g) g(g), r: f(f)}.r").IsNull());  // never ends on its own
  EXPECT_EQ(feel::LimitHits(), before + 2);
  EXPECT_EQ(Str("1 + 1"), "2");  // the next evaluation starts with a fresh budget
}

TEST(Feel, LoopsAndBuiltInsHaveABudget) {
  uint64_t before = feel::LimitHits();
  EXPECT_EQ(Str("count(for i in 1..100000 return i)"), "100000");
  EXPECT_EQ(Str("count(distinct values(for i in 1..1000 return modulo(i, 10)))"), "10");
  EXPECT_EQ(feel::LimitHits(), before);
  // 10^8 iterations: cut short when the budget runs out.
  EXPECT_TRUE(Eval("count(for i in 1..10000, j in 1..10000 return 1)").IsNull());
  EXPECT_EQ(feel::LimitHits(), before + 1);
  EXPECT_TRUE(Eval("count(for i in 1..100000000 return 1)").IsNull());  // refused at once
  EXPECT_EQ(feel::LimitHits(), before + 2);
  // distinct values is quadratic: 200,000 distinct items would be 2 * 10^10 comparisons.
  EXPECT_TRUE(Eval("count(distinct values(for i in 1..200000 return i))").IsNull());
  EXPECT_EQ(feel::LimitHits(), before + 3);
  // A string that doubles each time: stopped at 16 MiB, not at the machine's memory.
  EXPECT_TRUE(Eval("{f: function(g, s, n) if n = 0 then s else g(g, s + s, n - 1), "
                   "r: f(f, \"ab\", 60)}.r")
                  .IsNull());
  EXPECT_EQ(feel::LimitHits(), before + 4);
}

const char* kTable = R"(<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="m" name="bands" namespace="urn:test">
  <inputData id="i" name="Age"><variable name="Age" typeRef="number"/></inputData>
  <decision id="d" name="Band">
    <informationRequirement id="r"><requiredInput href="#i"/></informationRequirement>
    <decisionTable id="t" hitPolicy="HIT">
      <input id="in"><inputExpression id="e" typeRef="number"><text>Age</text></inputExpression></input>
      <output id="o" name="band" typeRef="string"><outputValues><text>"child","teen","adult"</text></outputValues></output>
      <rule id="r1"><description>under 13</description><inputEntry id="a1"><text>&lt; 13</text></inputEntry><outputEntry id="b1"><text>"child"</text></outputEntry></rule>
      <rule id="r2"><description>under 18</description><inputEntry id="a2"><text>&lt; 18</text></inputEntry><outputEntry id="b2"><text>"teen"</text></outputEntry></rule>
      <rule id="r3"><description>anyone</description><inputEntry id="a3"><text>-</text></inputEntry><outputEntry id="b3"><text>"adult"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>)";

Value RunTable(const std::string& policy, int age,
               std::vector<std::shared_ptr<const RuleHit>>* hits = nullptr) {
  std::string xml = kTable;
  xml.replace(xml.find("HIT"), 3, policy);
  auto set = ModelSet::LoadText(xml);
  EXPECT_TRUE(set.ok()) << set.status().message();
  if (!set.ok()) return Value();
  Context in;
  in.Set("Age", Value(age));
  auto ev = set.value()->models()[0]->Evaluate(in);
  if (hits) *hits = ev.rulesFired;
  const Value* v = ev.results.Find("Band");
  return v ? *v : Value();
}

TEST(DecisionTable, HitPolicies) {
  EXPECT_EQ(ToFeelString(RunTable("FIRST", 10)), "child");
  EXPECT_EQ(ToFeelString(RunTable("PRIORITY", 15)), "teen");
  EXPECT_TRUE(RunTable("UNIQUE", 10).IsNull());  // three rows match: not unique
  EXPECT_EQ(ToFeelString(RunTable("UNIQUE", 30)), "adult");
  EXPECT_EQ(ToFeelString(RunTable("RULE ORDER", 10)), "[\"child\", \"teen\", \"adult\"]");
  EXPECT_EQ(ToFeelString(RunTable("OUTPUT ORDER", 15)), "[\"teen\", \"adult\"]");
  EXPECT_EQ(ToFeelString(RunTable("COLLECT", 15)), "[\"teen\", \"adult\"]");
  EXPECT_TRUE(RunTable("ANY", 10).IsNull());  // rows disagree
}

TEST(DecisionTable, RulesFiredNameRowAndAnnotation) {
  std::vector<std::shared_ptr<const RuleHit>> hits;
  RunTable("COLLECT", 15, &hits);  // the model is gone by now: the hits stay valid
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0]->row, 2);
  EXPECT_EQ(hits[0]->description, "under 18");
  EXPECT_EQ(hits[0]->decision, "Band");
}

TEST(DecisionTable, BadModelsAreRefusedWithAReason) {
  auto notXml = ModelSet::LoadText("<definitions");
  ASSERT_FALSE(notXml.ok());
  std::string bad = kTable;
  bad.replace(bad.find("&lt; 13"), 7, "&lt; (13");
  auto r = ModelSet::LoadText(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Band"), std::string::npos) << r.status().message();
}

TEST(DecisionTable, PreparedInputsAreAsIfGivenEveryTime) {
  std::string xml = kTable;
  xml.replace(xml.find("HIT"), 3, "PRIORITY");
  auto set = ModelSet::LoadText(xml);
  ASSERT_TRUE(set.ok());
  const Model* m = set.value()->models()[0].get();
  auto band = [](const Evaluation& ev) { return ToFeelString(*ev.results.Find("Band")); };
  Context raw;
  raw.Set("Age", Value(List{Value(15)}));  // a singleton list: converted to the number 15
  raw.Set("Not an input", Value(1));
  PreparedInputs prepared = m->Prepare(raw);
  EXPECT_EQ(band(m->Evaluate(Context{}, prepared)), "teen");
  EXPECT_EQ(band(m->Evaluate(raw)), "teen");
  Context given;
  given.Set("Age", Value(30));
  EXPECT_EQ(band(m->Evaluate(given, prepared)), "adult");  // what is given wins
  // Prepared by another model: not used.
  auto other = ModelSet::LoadText(xml);
  ASSERT_TRUE(other.ok());
  PreparedInputs foreign = other.value()->models()[0]->Prepare(raw);
  EXPECT_EQ(band(m->Evaluate(Context{}, foreign)), "adult");  // Age null: only "-" matches
}

TEST(DecisionTable, ABkmThatNeverStopsIsCutShort) {
  const char* xml = R"(<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="m" name="loops" namespace="urn:test">
  <businessKnowledgeModel id="b" name="down">
    <variable name="down"/>
    <encapsulatedLogic>
      <formalParameter name="n" typeRef="number"/>
      <literalExpression><text>if n = 0 then 0 else 1 + down(n - 1)</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  <decision id="d1" name="Shallow">
    <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
    <literalExpression><text>down(50)</text></literalExpression>
  </decision>
  <decision id="d2" name="Endless">
    <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
    <literalExpression><text>down(-1)</text></literalExpression>
  </decision>
</definitions>)";
  auto set = ModelSet::LoadText(xml);
  ASSERT_TRUE(set.ok()) << set.status().message();
  const auto& model = *set.value()->models()[0];
  uint64_t before = feel::LimitHits();
  auto shallow = model.Evaluate(Context{}, {"Shallow"});
  ASSERT_NE(shallow.results.Find("Shallow"), nullptr);
  EXPECT_EQ(ToFeelString(*shallow.results.Find("Shallow")), "50");
  EXPECT_EQ(feel::LimitHits(), before);
  EXPECT_FALSE(shallow.cutShort);
  auto endless = model.Evaluate(Context{}, {"Endless"});  // would overflow the stack unchecked
  const Value* v = endless.results.Find("Endless");
  EXPECT_TRUE(!v || v->IsNull());
  EXPECT_TRUE(endless.cutShort);
  EXPECT_EQ(feel::LimitHits(), before + 1);
}

TEST(DecisionTable, OneModelManyThreads) {
  std::string xml = kTable;
  xml.replace(xml.find("HIT"), 3, "PRIORITY");
  auto set = ModelSet::LoadText(xml);
  ASSERT_TRUE(set.ok());
  const Model* m = set.value()->models()[0].get();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        int age = (i + t) % 30;
        Context in;
        in.Set("Age", Value(age));
        auto ev = m->Evaluate(in);
        std::string want = age < 13 ? "child" : age < 18 ? "teen" : "adult";
        if (ToFeelString(*ev.results.Find("Band")) != want) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace waymark::rules
