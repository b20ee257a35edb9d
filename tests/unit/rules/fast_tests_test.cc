// The fast paths for common unary tests (feel_eval.cc, FastTests) against the tree walk they
// stand in for: for every test and every input, the same answer, also when a variable
// shadows `list contains`.
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

}  // namespace
}  // namespace waymark::rules
