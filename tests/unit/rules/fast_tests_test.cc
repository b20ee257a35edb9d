// The evaluator's fast paths against what they stand in for: common unary tests
// (feel_eval.cc, FastTests) against the tree walk, for every test and every input, also when
// a variable shadows `list contains`; built-ins called inline only where the name means the
// built-in; `partial` bound only where a `for` uses it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/feel.h"
#include "rules/feel_tree.h"

namespace waymark::rules {
namespace {

Value L(std::vector<Value> v) { return Value(List(std::move(v))); }

std::vector<Value> Inputs() {
  Context ctx;
  ctx.entries = {{"a", Value("a")}};
  return {Value("a"),
          Value("b"),
          Value("information-only"),
          Value(""),
          Value(0),
          Value(12),
          Value(Decimal("17.5")),
          Value(-1),
          Value(),
          Value(true),
          Value(false),
          ParseTemporal("2026-11-25"),
          Value(std::move(ctx)),
          L({}),
          L({"a"}),
          L({"b"}),
          L({"a", "b"}),
          L({"b", Value()}),
          L({Value()}),
          L({Value(1), "a"}),
          L({Value(1)}),
          L({"information-only"}),
          L({"information-only", "x"}),
          L({"information-only", Value()}),
          L({L({"a"})})};
}

const char* const kTests[] = {
    // literal tests
    "\"a\"", "\"a\", \"b\"", "not(\"a\")", "not(\"a\", \"b\")", "12", "0, 17.5", ">= 12", "< 12",
    "<= 17.5, > 100", "not(>= 12)", "= \"a\"", "!= \"a\"", "\"a\", != \"b\"", "not(!= \"a\")",
    "= 12", "!= 12", "> \"a\"",
    // list tests
    "list contains(?, \"a\")", "not(list contains(?, \"a\"))",
    "list contains(?, \"a\") and list contains(?, \"b\")",
    "some x in ? satisfies list contains([\"a\", \"b\"], x)",
    "some x in ? satisfies list contains([], x)", "some x in ? satisfies x != \"information-only\"",
    "every x in ? satisfies x = \"information-only\"",
    "list contains(?, \"a\") and (every x in ? satisfies x = \"a\")",
    // no fast path: the tree walk answers
    "\"a\", 12", "true", "[1..20]", "list contains(?, \"a\") or list contains(?, \"b\")",
    "count(?) > 1", "-"};

const char* const kFast[] = {"\"a\", \"b\"",
                             "not(\"a\")",
                             ">= 12",
                             "<= 17.5, > 100",
                             "\"a\", != \"b\"",
                             "list contains(?, \"a\") and list contains(?, \"b\")",
                             "some x in ? satisfies list contains([\"a\", \"b\"], x)",
                             "some x in ? satisfies x != \"information-only\"",
                             "every x in ? satisfies x = \"information-only\"",
                             "list contains(?, \"a\") and (every x in ? satisfies x = \"a\")"};

feel::NodePtr Parse(const std::string& text) {
  feel::Names names;
  auto n = feel::ParseUnaryTests(text, names);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().message();
  return n.ok() ? n.value() : nullptr;
}

// The same tests with the fast path taken away.
feel::NodePtr Slow(const feel::NodePtr& n) {
  auto copy = std::make_shared<feel::Node>(*n);
  copy->fast = nullptr;
  return copy;
}

TEST(FastUnaryTests, CommonShapesHaveAFastPath) {
  for (const char* text : kFast) {
    auto n = Parse(text);
    ASSERT_TRUE(n);
    EXPECT_NE(n->fast, nullptr) << text;
  }
}

TEST(FastUnaryTests, SameAnswerAsTheTreeWalk) {
  feel::Scope plain;
  feel::Scope shadowed;  // `list contains` is a variable here, not the built-in
  shadowed.Set("list contains", Value("not a function"));
  EXPECT_TRUE(feel::FastPathNamesAreBuiltins(plain));
  EXPECT_FALSE(feel::FastPathNamesAreBuiltins(shadowed));
  for (const char* text : kTests) {
    auto fast = Parse(text);
    ASSERT_TRUE(fast);
    auto slow = Slow(fast);
    for (const auto& input : Inputs()) {
      for (const feel::Scope* s : {&plain, &shadowed}) {
        bool want = feel::Satisfies(*slow, input, *s);
        EXPECT_EQ(feel::Satisfies(*fast, input, *s), want)
            << text << " with ? = " << ToFeelLiteral(input);
        EXPECT_EQ(feel::Satisfies(*fast, input, *s, feel::FastPathNamesAreBuiltins(*s)), want)
            << text << " with ? = " << ToFeelLiteral(input);
      }
    }
  }
}

std::string Eval(const std::string& text, const feel::Scope& scope) {
  feel::Names names;
  auto n = feel::ParseExpression(text, names);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().message();
  return n.ok() ? ToFeelLiteral(feel::Evaluate(*n.value(), scope)) : "";
}

TEST(FastBuiltins, InlineOnlyWhereTheNameMeansTheBuiltin) {
  feel::Scope plain;
  EXPECT_EQ(Eval("list contains([1, \"a\", null], \"a\")", plain), "true");
  EXPECT_EQ(Eval("list contains([1, 2], null)", plain), "false");
  EXPECT_EQ(Eval("list contains([1, null], null)", plain), "true");
  EXPECT_EQ(Eval("list contains(\"a\", \"a\")", plain), "null");
  EXPECT_EQ(Eval("count([1, 2, 3])", plain), "3");
  EXPECT_EQ(Eval("count(5)", plain), "1");
  EXPECT_EQ(Eval("count(null)", plain), "null");
  EXPECT_EQ(Eval("not(true)", plain), "false");
  EXPECT_EQ(Eval("not(1)", plain), "null");
  EXPECT_EQ(Eval("count(list: [1, 2])", plain), "2");  // named arguments: the built-in itself
  // A variable of the same name wins over the built-in.
  feel::Scope shadowed;
  shadowed.Set("count", Value(7));
  shadowed.Set("not", Value("no"));
  EXPECT_EQ(Eval("count", shadowed), "7");
  EXPECT_EQ(Eval("count([1, 2])", shadowed), "null");
  EXPECT_EQ(Eval("not(true)", shadowed), "null");
  EXPECT_EQ(Eval("{count: function(l) 42, r: count([1, 2])}.r", plain), "42");
  EXPECT_EQ(Eval("{list contains: function(l, x) \"mine\", r: list contains([1], 1)}.r", plain),
            "\"mine\"");
  EXPECT_EQ(Eval("[{count: 1}, {count: 5}][count > 2]", plain), "[{count: 5}]");
}

TEST(FastBuiltins, AsConditions) {
  feel::Scope s;
  EXPECT_EQ(Eval("count([]) = 0", s), "true");
  EXPECT_EQ(Eval("count([1, 2]) = 2", s), "true");
  EXPECT_EQ(Eval("count([1, 2]) != 2", s), "false");
  EXPECT_EQ(Eval("count(7) = 1", s), "true");
  EXPECT_EQ(Eval("count(null) = 0", s), "false");
  EXPECT_EQ(Eval("count(null) != 0", s), "true");
  EXPECT_EQ(Eval("count([1]) = 1.5", s), "false");
  EXPECT_EQ(Eval("count([1]) = 1.0", s), "true");
  EXPECT_EQ(Eval("if count([1]) = 1 then \"one\" else \"other\"", s), "\"one\"");
  EXPECT_EQ(Eval("list contains(\"a\", \"a\") or true", s), "true");
  EXPECT_EQ(Eval("list contains(\"a\", \"a\") and true", s), "null");
  EXPECT_EQ(Eval("list contains([\"a\"], \"a\") and not(list contains([1], 2))", s), "true");
  EXPECT_EQ(Eval("not(1) or false", s), "null");
  EXPECT_EQ(Eval("not(null) and true", s), "null");
  EXPECT_EQ(Eval("[1, 2, 3][not(item = 2)]", s), "[1, 3]");
  feel::Scope shadowed;
  shadowed.Set("count", Value(0));
  EXPECT_EQ(Eval("count([]) = 0", shadowed), "false");  // calling 0 is null; null = 0 is false
}

TEST(FastBuiltins, SortWithAFunctionWrittenInPlace) {
  // Written in place (run inline) and passed by name (a function value): the same answers.
  feel::Scope s;
  s.Set("k", Value(10));
  const char* cases[][2] = {
      {"[3, 1, 2]", "function(a, b) a < b"},
      {"[3, 1, 2]", "function(a, b) a > b"},
      {"[{r: 2, id: \"b\"}, {r: 1, id: \"z\"}, {r: 2, id: \"a\"}]",
       "function(a, b) a.r < b.r or (a.r = b.r and a.id < b.id)"},
      {"[3, 1, 2]", "function(a, b) a + k < b + k"},
      {"[3, 1, 2]", "function(a, b) null"},
      {"[3, 1, 2]", "function(a, b) 1"},
      {"[\"x\", 1]", "function(a, b) a < b"},
      {"[3, 1, 2]", "function(a: string, b: string) a < b"},
      {"[3, 1, 2]", "function(a: number, b: number) a < b"},
      {"null", "function(a, b) a < b"},
      {"5", "function(a, b) a < b"},
      {"[]", "function(a, b) a < b"},
      {"[2, 1]", "function(a) true"},
  };
  for (const auto& [list, fn] : cases) {
    std::string inPlace = std::string("sort(") + list + ", " + fn + ")";
    std::string byName = std::string("{f: ") + fn + ", r: sort(" + list + ", f)}.r";
    EXPECT_EQ(Eval(inPlace, s), Eval(byName, s)) << inPlace;
  }
  EXPECT_EQ(Eval("sort([3, 1, 2], function(a, b) a < b)", s), "[1, 2, 3]");
  EXPECT_EQ(Eval("sort(list: [3, 1, 2], precedes: function(a, b) a > b)", s), "[3, 2, 1]");
}

TEST(FastFilters, ItemNotNull) {
  feel::Scope s;
  EXPECT_EQ(Eval("[1, null, \"a\", null][item != null]", s), "[1, \"a\"]");
  EXPECT_EQ(Eval("[{item: null}, {item: 1}, {a: 2}, null][item != null]", s),
            "[{item: 1}, {a: 2}]");
  EXPECT_EQ(Eval("[][item != null]", s), "[]");
  EXPECT_EQ(Eval("null[item != null]", s), "null");
  EXPECT_EQ(Eval("5[item != null]", s), "[5]");
  EXPECT_EQ(Eval("[[], [null]][item != null]", s), "[[], [null]]");
}

TEST(FastFor, PartialIsThereWhenTheBodyUsesIt) {
  feel::Scope s;
  EXPECT_EQ(Eval("for i in 1..4 return if i = 1 then 1 else partial[-1] * 2", s), "[1, 2, 4, 8]");
  EXPECT_EQ(Eval("for i in [1, 2] return count(partial)", s), "[0, 1]");
  EXPECT_EQ(Eval("for i in [1, 2], j in [3, 4] return count(partial)", s), "[0, 1, 2, 3]");
  EXPECT_EQ(Eval("for i in [1, 2] return (function() count(partial))()", s), "[0, 1]");
  EXPECT_EQ(Eval("for i in [1, 2] return partial", s), "[[], [[]]]");
  EXPECT_EQ(Eval("for i in [1, 2] return i * 10", s), "[10, 20]");
  EXPECT_EQ(Eval("for i in null return i", s), "null");
  EXPECT_EQ(Eval("some i in [1, 2], j in [2, 3] satisfies i = j", s), "true");
  EXPECT_EQ(Eval("every i in [1, 2], j in [2, 3] satisfies i < j", s), "false");
  EXPECT_EQ(Eval("every i in [] satisfies false", s), "true");
  EXPECT_EQ(Eval("some i in null satisfies true", s), "null");
}

TEST(FastQuantified, ListContainsOfTheVariableAsTheLoop) {
  // `... satisfies list contains(B, x) = true` is the same test, written so that B is
  // evaluated for every x.
  feel::Scope s;
  const char* lists[] = {"[]",  "[\"a\"]", "[\"a\", \"b\"]", "null",      "\"a\"",
                         "[1]", "[null]",  "[\"b\", null]",  "[1, \"a\"]"};
  for (const char* q : {"some", "every"})
    for (const char* a : lists)
      for (const char* b : lists) {
        std::string fast = std::string(q) + " x in " + a + " satisfies list contains(" + b + ", x)";
        std::string slow = fast + " = true";
        EXPECT_EQ(Eval(fast, s), Eval(slow, s)) << fast;
      }
  feel::Scope shadowed;
  shadowed.Set("list contains", Value("not a function"));
  EXPECT_EQ(Eval("some x in [1] satisfies list contains([1], x)", shadowed), "false");
}

TEST(FastFreeNames, ANameMeansWhatItsInnermostFrameSays) {
  feel::Scope s;
  s.Set("z", Value(100));
  EXPECT_EQ(Eval("for i in [1, 2] return i + z", s), "[101, 102]");
  EXPECT_EQ(Eval("{z: 1, r: for i in [1] return z}.r", s), "[1]");
  EXPECT_EQ(Eval("for z in [7] return for i in [1] return z", s), "[[7]]");
  EXPECT_EQ(Eval("[for i in [1] return z, for z in [2] return z, for i in [3] return z]", s),
            "[[100], [2], [100]]");
  EXPECT_EQ(Eval("[{z: 5}, {a: 1}][z > 50]", s), "[{a: 1}]");
  EXPECT_EQ(Eval("for i in [1] return [{z: 5}][z = 5]", s), "[[{z: 5}]]");
  EXPECT_EQ(Eval("for i in [1] return {f: function() z, r: f()}.r", s), "[100]");
  EXPECT_EQ(Eval("for i in [1] return {z: 2, f: function() z, r: f()}.r", s), "[2]");
  EXPECT_EQ(Eval("for partial in [1] return for i in [5] return partial", s), "[[[]]]");
  EXPECT_EQ(Eval("some i in [1, 2] satisfies i > z / 100", s), "true");
  EXPECT_EQ(Eval("for i in [1] return 5 in (> z, < 10)", s), "[true]");
}

TEST(FastFreeNames, ALoopVariableUnlessSomethingCloserHasTheName) {
  feel::Scope s;
  EXPECT_EQ(Eval("for s in [1, 2] return {s: 10, r: s}.r", s), "[10, 10]");
  EXPECT_EQ(Eval("for s in [1, 2] return {a: s, r: a + s}.r", s), "[2, 4]");
  EXPECT_EQ(Eval("for s in [1] return [{s: 5}, {t: 6}][s = 5]", s), "[[{s: 5}]]");
  EXPECT_EQ(Eval("for s in [1] return (function(s) s)(7)", s), "[7]");
  EXPECT_EQ(Eval("for s in [1] return (function(t) s + t)(7)", s), "[8]");
  EXPECT_EQ(Eval("for s in [1, 2] return for t in [3] return s + t", s), "[[4], [5]]");
  EXPECT_EQ(Eval("for s in [1, 2], t in [s] return s + t", s), "[2, 4]");
  EXPECT_EQ(Eval("for s in [1, 2] return for s in [s * 10] return s", s), "[[10], [20]]");
  EXPECT_EQ(Eval("some s in [1, 2] satisfies every t in [s] satisfies t = s", s), "true");
  EXPECT_EQ(Eval("for s in [1, 2] return s in (1, 3)", s), "[true, false]");
  EXPECT_EQ(Eval("for s in [3, 1] return sort([s, 2], function(a, b) a < b)", s),
            "[[2, 3], [1, 2]]");
}

TEST(FastClosures, AFunctionSeesWhatItsBodyUses) {
  feel::Scope s;
  s.Set("outer", Value(100));
  EXPECT_EQ(Eval("{x: 5, f: function(y) x + y, r: f(1)}.r", s), "6");
  EXPECT_EQ(Eval("{f: function(y) outer + y, r: f(1)}.r", s), "101");
  EXPECT_EQ(Eval("for i in [1, 2] return (function(y) i * y)(10)", s), "[10, 20]");
  EXPECT_EQ(Eval("{x: 2, g: function() function(y) x * y, r: g()(21)}.r", s), "42");
  EXPECT_EQ(Eval("{x: 1, f: function(y) y in (> x), r: [f(0), f(2)]}.r", s), "[false, true]");
  EXPECT_EQ(Eval("sort([3, 1, 2], function(a, b) a < b)", s), "[1, 2, 3]");
  EXPECT_EQ(Eval("{count: 3, f: function() count, r: f()}.r", s), "3");
  EXPECT_EQ(Eval("[{a: 1}, {a: 2}][(function() a > 1)()]", s), "[{a: 2}]");
}

}  // namespace
}  // namespace waymark::rules
