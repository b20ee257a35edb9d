// FEEL (DMN 1.5 chapter 10): parse once into a tree, evaluate many times. Names may contain
// spaces ("Monthly Salary", "date and time"); the parser resolves them against the names
// known where the expression sits (Names), longest match first, as the spec describes.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <forward_list>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/status.h"
#include "rules/value.h"

namespace waymark::rules::feel {

// A FEEL type for `instance of`, function parameters and DMN typeRefs.
struct Type {
  enum class Kind {
    kAny,
    kNull,
    kBoolean,
    kNumber,
    kString,
    kDate,
    kTime,
    kDateTime,
    kDayTimeDuration,
    kYearMonthDuration,
    kList,
    kContext,
    kRange,
    kFunction,
    kUnknown
  };
  Kind kind = Kind::kAny;
  std::vector<Type> params;  // list<T>, range<T>, function<A, B> -> R (last is R)
  // context<a: T>. A struct of its own, not std::pair: a pair of an incomplete type does not
  // compile with clang's view of libstdc++ (the fuzz build).
  struct Field;
  std::vector<Field> fields;
  bool HasFields() const;
};
struct Type::Field {
  std::string name;
  Type type;
};
inline bool Type::HasFields() const { return !fields.empty(); }
bool Conforms(const Value& v, const Type& t);
// Parses a FEEL type name ("number", "list<string>", "context<a: number>"); kUnknown if not
// a FEEL type (e.g. an item definition's name).
Type ParseTypeName(std::string_view text);

// The multi-word names visible to a parse: model names, context keys, parameters, built-ins.
class Names {
 public:
  Names();  // starts with every built-in function and property name
  void Add(const std::string& name);
  struct Entry {
    std::vector<std::string> tokens;
    std::string name;
  };
  // Every known name of several tokens that starts with the token `first`.
  const std::vector<Entry>* StartingWith(const std::string& first) const;

 private:
  std::unordered_map<std::string, std::vector<Entry>> byFirst_;
  std::set<std::string> all_;
};

// Variables in scope while evaluating: a chain of frames ending at the built-ins. A frame
// holds a couple of variables without allocating; Bind and Put borrow what outlives the
// frame (names from the parse tree, items of a list being iterated) instead of copying it.
// Names are compared by a hash first (NameHash), and each frame keeps one bit per name it
// binds, so a lookup passes over frames that cannot have the name without comparing strings.
struct FreeNameCache;

class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr)
      : parent_(parent), cache_(parent ? parent->cache_ : nullptr) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  // Copies the name and keeps the value.
  void Set(std::string name, Value v) {
    names_.push_front(std::move(name));
    Put(names_.front(), std::move(v));
  }
  // Keeps the value; `name` must outlive this scope.
  void Put(std::string_view name, Value v) {
    values_.push_front(std::move(v));
    Bind(name, &values_.front());
  }
  // `name` and `*v` must both outlive this scope. `tag` is for whoever binds it (the DMN
  // layer marks values already converted to a type with that type).
  void Bind(std::string_view name, const Value* v, const void* tag = nullptr) {
    uint64_t h = NameHash(name);
    vars_.push_back({name, h, v, tag});
    bits_ |= Bit(h);
  }
  void Reserve(size_t vars) { vars_.reserve(vars); }
  // The frame of variable `index` of a loop (a for, some or every node), bound first here.
  void SetBinder(const void* loop, int index) {
    binder_ = loop;
    binderIndex_ = index;
  }
  // The value of that loop variable, from the nearest frame the loop made; null if none.
  const Value* LoopVariable(const void* loop, int index) const {
    for (const Scope* p = this; p; p = p->parent_)
      if (p->binder_ == loop && p->binderIndex_ == index) return p->vars_[0].value;
    return nullptr;
  }
  // The entries of a context are in scope too (filter items, context entries).
  void SetContext(const Context* c) { context_ = c; }
  const Value* Lookup(std::string_view name) const;
  // Lookup without the built-ins: null when no frame has the name. `hash` is NameHash(name).
  const Value* LookupVariable(std::string_view name) const {
    return LookupVariable(name, NameHash(name));
  }
  // `tag`, when given, gets the tag the variable was bound with.
  const Value* LookupVariable(std::string_view name, uint64_t hash,
                              const void** tag = nullptr) const;
  static uint64_t NameHash(std::string_view name) {
    uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
    return h;
  }
  const Scope* parent() const { return parent_; }
  // The names an expression looks up that none of its own frames binds, resolved once per
  // evaluation (feel_eval.cc); frames made on top of this one share it.
  void SetCache(FreeNameCache* c) { cache_ = c; }
  FreeNameCache* cache() const { return cache_; }
  // This frame's own variables (context entries first), for closures; with `only`, just
  // those of these names (hash, name).
  void AppendTo(std::vector<std::pair<std::string, Value>>& out,
                const std::vector<std::pair<uint64_t, std::string>>* only = nullptr) const;

 private:
  struct Var {
    std::string_view name;
    uint64_t hash;
    const Value* value;
    const void* tag;
  };
  static uint64_t Bit(uint64_t hash) { return uint64_t{1} << (hash >> 58); }
  const Scope* parent_;
  FreeNameCache* cache_;
  uint64_t bits_ = 0;  // Bit(hash) of every name in vars_
  boost::container::small_vector<Var, 2> vars_;
  std::forward_list<Value> values_;       // what Set and Put keep (stable addresses)
  std::forward_list<std::string> names_;  // what Set copies
  const Context* context_ = nullptr;
  const void* binder_ = nullptr;
  int binderIndex_ = 0;
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

// An expression ("if age < 18 then ..."). Errors name the position and what was expected.
Result<NodePtr> ParseExpression(std::string_view text, Names& names);
// Unary tests as in a decision table cell ("< 18", "[1..5]", "-", "not(\"a\", \"b\")").
Result<NodePtr> ParseUnaryTests(std::string_view text, Names& names);

Value Evaluate(const Node& node, const Scope& scope);

// Limits. FEEL has loops and recursion and a model comes from outside, so one evaluation
// (the outermost Evaluate, Satisfies or Invoke on a thread, with everything it calls) may do
// at most kMaxSteps units of work (an item of a loop, a filter or a list a built-in makes, a
// call of a user-defined function, 64 bytes of a string made), nest user-defined functions at
// most kMaxCallDepth deep and make no string longer than kMaxStringBytes. Past a limit the
// expression is null, as FEEL errors are, and LimitHits() counts one more: the triage engine
// refuses a decision made while a limit was hit rather than act on it.
inline constexpr uint64_t kMaxSteps = 1'000'000;
inline constexpr int kMaxCallDepth = 256;
inline constexpr size_t kMaxStringBytes = size_t{16} << 20;
// Spends `units` of the current evaluation's budget; false (and every later Spend of this
// evaluation false too) once it is used up. For built-ins that make or compare many items.
bool Spend(uint64_t units);
// Whether a string of `bytes` may be made: false, and the evaluation cut short, past
// kMaxStringBytes; otherwise its bytes are spent (one unit per 64). Every string FEEL builds
// (`+`, string join, replace) asks here.
bool StringFits(size_t bytes);
// Cuts the current evaluation short: for a built-in that refuses work it cannot bound.
void CutShort();
// Evaluations cut short by a limit on this thread since it started.
uint64_t LimitHits();
// Marks one evaluation on this thread for as long as it lives; the outermost one starts a
// fresh budget. Evaluate, Satisfies and Invoke hold one; so does a whole model evaluation,
// so that every expression of one decision shares a budget.
class EvaluationScope {
 public:
  EvaluationScope();
  ~EvaluationScope();
  EvaluationScope(const EvaluationScope&) = delete;
  EvaluationScope& operator=(const EvaluationScope&) = delete;
};
// One call of a user-defined function (a FEEL function, a boxed function, a BKM, a decision
// service): counted against the call depth and the steps. The callee runs only when ok();
// otherwise the call is null and the evaluation has been cut short.
class CallFrame {
 public:
  CallFrame();
  ~CallFrame();
  bool ok() const { return ok_; }
  CallFrame(const CallFrame&) = delete;
  CallFrame& operator=(const CallFrame&) = delete;

 private:
  EvaluationScope scope_;
  bool ok_;
};
// A unary tests tree against an input value (bound to `?`).
bool Satisfies(const Node& tests, const Value& input, const Scope& scope);
// The same, for callers that test many cells in one scope (decision tables): `builtins` says
// whether the built-in functions the fast paths call (`list contains`) are what those names
// mean in `scope`, i.e. FastPathNamesAreBuiltins(scope).
bool Satisfies(const Node& tests, const Value& input, const Scope& scope, bool builtins);
bool FastPathNamesAreBuiltins(const Scope& scope);
// When `node` is a name of a variable in `scope`: its value, where it is (no copy), and
// the tag it was bound with; otherwise null.
const Value* BoundValue(const Node& node, const Scope& scope, const void** tag);

// What a unary tests cell is, for decision table indexes, when it is one of these:
//   kStringsEqual     `"a", "b"`: a string input matches when it is one of `strings`;
//   kStringsNotEqual  `not("a", "b")`: a string input matches when it is none of them;
//   kListContains     `list contains(?, "a")`: a list input (`list contains` being the
//                     built-in) matches when it has the string strings[0].
// Inputs of other kinds are tested the usual way.
struct TestShape {
  enum class Kind { kOther, kStringsEqual, kStringsNotEqual, kListContains } kind = Kind::kOther;
  std::vector<std::string> strings;
};
TestShape ShapeOf(const Node& tests);
// Calls a function value with positional arguments; null when it is not one.
Value Invoke(const Value& fn, const std::vector<Value>& args);

}  // namespace waymark::rules::feel
