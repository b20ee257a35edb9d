// The parsed form of a FEEL expression or unary tests: what the parser builds and the
// evaluator walks. Internal to src/rules.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "rules/feel.h"

namespace waymark::rules::feel {

enum class Op {
  kLiteral,
  kName,
  kPath,
  kFilter,
  kCall,
  kNeg,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kBetween,
  kIn,
  kInstanceOf,
  kIf,
  kFor,
  kIterRange,
  kSome,
  kEvery,
  kList,
  kContext,
  kRange,
  kFunctionDef,
  kTests,        // positive unary tests (any satisfies); `negated` for not(...)
  kTestAny,      // "-"
  kTestCompare,  // "< e", ">= e", "= e", "!= e": `name` holds the operator
  kTestExpr,     // an expression used as a test
};

// Unary tests of a shape decision tables use all the time (`"a", "b"`, `>= 18`,
// `list contains(?, "x")`, `some x in ? satisfies list contains([...], x)`, ...), decided
// without walking the tree. Built by the parser; see feel_eval.cc for the exact semantics.
struct FastTests;

// What a `function(...)` definition needs at run time, worked out by the parser.
struct FunctionDefInfo {
  std::vector<std::vector<std::string>> signature;  // one overload: the parameter names
  // Every name its body uses, (Scope::NameHash, name): all a closure can ever look up, as
  // FEEL scoping is lexical.
  std::vector<std::pair<uint64_t, std::string>> mentioned;
};

// A number any thread may read or update, that is only ever a hint (copyable, unlike a
// std::atomic, so that nodes stay copyable).
struct RelaxedHint {
  std::atomic<size_t> value{0};
  RelaxedHint() = default;
  RelaxedHint(const RelaxedHint& o) : value(o.load()) {}
  RelaxedHint& operator=(const RelaxedHint& o) {
    store(o.load());
    return *this;
  }
  size_t load() const { return value.load(std::memory_order_relaxed); }
  void store(size_t v) { value.store(v, std::memory_order_relaxed); }
};

// Built-ins the evaluator runs inline when their name means them (InlineBuiltin).
enum class InlineFn : uint8_t { kNone, kListContains, kCount, kNot, kSort };

struct Node {
  Op op = Op::kLiteral;
  Value value;                     // literal
  std::string name;                // name, path member, test operator
  std::vector<NodePtr> kids;       // operands
  std::vector<std::string> names;  // context keys, parameters, iteration variables, arg names
  std::vector<Type> paramTypes;    // function definition
  Type type;                       // instance of
  bool negated = false;            // not(tests)
  bool usesQ = false;              // a test expression that mentions `?`
  bool namedArgs = false;          // invocation with named arguments
  bool usesPartial = false;        // a `for` whose body mentions `partial`
  // `some x in A satisfies list contains(B, x)` (or `every`), B not mentioning x: B is the
  // same for every x, so it is evaluated once.
  bool quantifiedContains = false;
  const Value* builtin = nullptr;  // a name: the built-in it means unless a variable shadows it
  InlineFn inlineBuiltin = InlineFn::kNone;  // a name: that built-in, if one run inline
  uint64_t nameHash = 0;                     // a name: Scope::NameHash(name)
  // A path: where in the context the member was found last (a hint for the next lookup).
  mutable RelaxedHint memberHint;
  // A name no frame of its expression binds (so it means the same wherever it is in that
  // expression): its place in the evaluation's FreeNameCache, and the expression's root.
  int freeSlot = -1;
  const Node* slotOwner = nullptr;
  int freeCount = 0;  // the root of an expression worth a FreeNameCache: how many slots
  // A name that is the variable of an enclosing for, some or every, found by the frame that
  // loop makes (Scope::SetBinder) rather than by name.
  const Node* boundBy = nullptr;
  int boundIndex = 0;
  bool external = false;                            // function definition marked external
  bool startIncluded = true, endIncluded = true;    // range literal
  std::shared_ptr<const FastTests> fast;            // unary tests: a fast path, when there is one
  std::shared_ptr<const FunctionDefInfo> function;  // a function definition
};

// The fast path for unary tests `tests` (the root of ParseUnaryTests), or null.
std::shared_ptr<const FastTests> CompileFastTests(const Node& tests);

}  // namespace waymark::rules::feel
