// The DMN reader and evaluation plan. Reading resolves every name and parses every FEEL
// text once; evaluation walks the plan with a fresh scope per call (no shared mutable
// state), recording which decision table rows matched.
#include "rules/dmn.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "rules/feel.h"
#include "rules/feel_tree.h"

namespace waymark::rules {

namespace {

using feel::NodePtr;
using feel::Scope;
using K = Value::Kind;

thread_local std::vector<std::shared_ptr<const RuleHit>>* g_trace = nullptr;

struct TypeInfo;
using TypePtr = std::shared_ptr<const TypeInfo>;
struct TypeInfo {
  std::string name;
  feel::Type base;  // kAny when unconstrained
  bool collection = false;
  TypePtr element;  // the type of each element when `collection`
  std::vector<std::pair<std::string, TypePtr>> fields;
  NodePtr allowed;  // allowed values / type constraint, as unary tests
  bool structure = false;
  bool fieldsDistinct = true;  // no two fields share a name
};

// True when Coerce(v, t) would give back `v` unchanged: every field, element and allowed
// value already as the type says, fields in the type's order. Checking is much cheaper than
// rebuilding (the triage directory is a list of contexts of lists, coerced on every call).
// The value kind of a plain FEEL type (boolean, number, string, temporal), if it is one.
std::optional<Value::Kind> PlainKind(feel::Type::Kind k) {
  using T = feel::Type::Kind;
  switch (k) {
    case T::kBoolean:
      return K::kBoolean;
    case T::kNumber:
      return K::kNumber;
    case T::kString:
      return K::kString;
    case T::kDate:
      return K::kDate;
    case T::kTime:
      return K::kTime;
    case T::kDateTime:
      return K::kDateTime;
    case T::kDayTimeDuration:
      return K::kDayTimeDuration;
    case T::kYearMonthDuration:
      return K::kYearMonthDuration;
    default:
      return std::nullopt;
  }
}

bool Conforming(const Value& v, const TypePtr& t) {
  if (!t || v.IsNull()) return true;
  if (t->collection) {
    if (!v.Is(K::kList)) return false;
    if (!t->element) return true;
    const TypeInfo& et = *t->element;
    if (!t->allowed && !et.collection && !et.structure && !et.allowed)
      if (auto kind = PlainKind(et.base.kind)) {  // a list of strings, say: just the kinds
        for (const auto& e : v.AsList())
          if (!e.IsNull() && !e.Is(*kind)) return false;
        return true;
      }
    for (const auto& e : v.AsList()) {
      if (!Conforming(e, t->element)) return false;
      if (t->allowed && !feel::Satisfies(*t->allowed, e, Scope())) return false;
    }
    return true;
  }
  if (v.Is(K::kList) && t->base.kind != feel::Type::Kind::kList &&
      t->base.kind != feel::Type::Kind::kAny)
    return false;
  if (t->structure) {
    if (!v.Is(K::kContext)) return false;
    const auto& entries = v.AsContext().entries;
    if (entries.size() < t->fields.size()) return false;
    if (!t->fieldsDistinct) return false;
    for (size_t i = 0; i < t->fields.size(); ++i) {
      if (!SameName(entries[i].first, t->fields[i].first)) return false;
      if (!Conforming(entries[i].second, t->fields[i].second)) return false;
    }
    // Extras are kept as they are, but only the first of each name.
    for (size_t i = t->fields.size(); i < entries.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (entries[i].first == entries[j].first) return false;
    return true;
  }
  if (t->base.kind != feel::Type::Kind::kAny && t->base.kind != feel::Type::Kind::kUnknown &&
      !feel::Conforms(v, t->base))
    return false;
  return !t->allowed || feel::Satisfies(*t->allowed, v, Scope());
}

// Conversion of a value to a declared type (DMN 1.5 10.3.2.9): singleton lists unwrap,
// single values wrap when a collection is expected, anything else that does not conform
// becomes null.
Value Coerce(const Value& v, const TypePtr& t) {
  if (!t || v.IsNull() || Conforming(v, t)) return v;
  if (t->collection) {
    if (!v.Is(K::kList)) {
      if (!t->element) return List{v};
      Value e = Coerce(v, t->element);
      return e.IsNull() ? Value() : Value(List{e});
    }
    if (!t->element) return v;
    List out;
    for (const auto& e : v.AsList()) {
      Value c = Coerce(e, t->element);
      if (c.IsNull() && !e.IsNull()) return Value();
      out.push_back(c);
    }
    if (t->allowed) {
      Scope s;
      for (const auto& e : out)
        if (!feel::Satisfies(*t->allowed, e, s)) return Value();
    }
    return out;
  }
  Value x = v;
  if (x.Is(K::kList) && t->base.kind != feel::Type::Kind::kList &&
      t->base.kind != feel::Type::Kind::kAny) {
    if (x.AsList().size() != 1) return Value();
    x = x.AsList()[0];
  }
  if (t->structure) {
    if (!x.Is(K::kContext)) return Value();
    Context out;
    for (const auto& [k, ft] : t->fields) {
      const Value* m = x.AsContext().Find(k);
      if (!m) return Value();
      Value c = Coerce(*m, ft);
      if (c.IsNull() && !m->IsNull()) return Value();
      out.entries.emplace_back(k, c);
    }
    // keep extra entries as they are
    for (const auto& [k, e] : x.AsContext().entries)
      if (!out.Find(k)) out.entries.emplace_back(k, e);
    return out;
  }
  if (t->base.kind != feel::Type::Kind::kAny && t->base.kind != feel::Type::Kind::kUnknown &&
      !feel::Conforms(x, t->base))
    return Value();
  if (t->allowed) {
    Scope s;
    if (!feel::Satisfies(*t->allowed, x, s)) return Value();
  }
  return x;
}

// Coerce(v, t) in place: nothing is copied when `v` already conforms.
void CoerceInPlace(Value& v, const TypePtr& t) {
  if (t && !v.IsNull() && !Conforming(v, t)) v = Coerce(v, t);
}

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
struct Expr {
  virtual ~Expr() = default;
  virtual Value Eval(const Scope& s) const = 0;
};

struct FeelExpr final : Expr {
  NodePtr node;
  Value Eval(const Scope& s) const override { return node ? feel::Evaluate(*node, s) : Value(); }
};

struct ContextExpr final : Expr {
  std::vector<std::tuple<std::string, ExprPtr, TypePtr>> entries;
  ExprPtr result;
  Value Eval(const Scope& s) const override {
    auto ctx = std::make_shared<Context>();
    Scope inner(&s);
    inner.SetContext(ctx.get());
    for (const auto& [name, e, t] : entries)
      ctx->entries.emplace_back(name, Coerce(e ? e->Eval(inner) : Value(), t));
    if (result) return result->Eval(inner);
    return Value(std::shared_ptr<const Context>(ctx));
  }
};

struct ListExpr final : Expr {
  std::vector<ExprPtr> items;
  Value Eval(const Scope& s) const override {
    List out;
    for (const auto& e : items) out.push_back(e ? e->Eval(s) : Value());
    return out;
  }
};

struct RelationExpr final : Expr {
  std::vector<std::string> columns;
  std::vector<std::vector<ExprPtr>> rows;
  Value Eval(const Scope& s) const override {
    List out;
    for (const auto& row : rows) {
      Context c;
      for (size_t i = 0; i < columns.size(); ++i)
        c.entries.emplace_back(columns[i], i < row.size() && row[i] ? row[i]->Eval(s) : Value());
      out.push_back(Value(std::move(c)));
    }
    return out;
  }
};

struct ConditionalExpr final : Expr {
  ExprPtr cond, then, otherwise;
  Value Eval(const Scope& s) const override {
    Value c = cond ? cond->Eval(s) : Value();
    const ExprPtr& e = c.IsTrue() ? then : otherwise;
    return e ? e->Eval(s) : Value();
  }
};

struct FilterExpr final : Expr {
  ExprPtr in, match;
  Value Eval(const Scope& s) const override {
    Value l = in ? in->Eval(s) : Value();
    if (l.IsNull()) return Value();
    List items = l.Is(K::kList) ? l.AsList() : List{l};
    List out;
    for (const auto& item : items) {
      Scope inner(&s);
      if (item.Is(K::kContext)) inner.SetContext(&item.AsContext());
      inner.Bind("item", &item);
      if (match && match->Eval(inner).IsTrue()) out.push_back(item);
    }
    return out;
  }
};

struct IteratorExpr final : Expr {
  enum class Kind { kFor, kSome, kEvery } kind = Kind::kFor;
  std::string var;
  ExprPtr in, body;
  Value Eval(const Scope& s) const override {
    Value l = in ? in->Eval(s) : Value();
    if (l.IsNull()) return Value();
    List items = l.Is(K::kList) ? l.AsList() : List{l};
    List out;
    for (const auto& item : items) {
      Scope inner(&s);
      inner.Bind(var, &item);
      Value r = body ? body->Eval(inner) : Value();
      if (kind == Kind::kSome && r.IsTrue()) return true;
      if (kind == Kind::kEvery && !r.IsTrue()) return false;
      out.push_back(r);
    }
    if (kind == Kind::kSome) return false;
    if (kind == Kind::kEvery) return true;
    return out;
  }
};

// A boxed function definition's value: parameters bound over the scope where it was made.
class BoxedFunction final : public Function {
 public:
  BoxedFunction(std::vector<std::string> params, std::vector<TypePtr> types, ExprPtr body,
                std::vector<std::pair<std::string, Value>> captured)
      : types_(std::move(types)), body_(std::move(body)), captured_(std::move(captured)) {
    sigs_.push_back(std::move(params));
  }
  const std::vector<std::vector<std::string>>& Signatures() const override { return sigs_; }
  Value Call(const std::vector<Value>& args) const override {
    const auto& params = sigs_[0];
    if (args.size() != params.size() || !body_) return Value();
    feel::CallFrame guard;
    if (!guard.ok()) return Value();
    Scope closure;
    for (const auto& [k, v] : captured_) closure.Bind(k, &v);
    Scope frame(&closure);
    for (size_t i = 0; i < args.size(); ++i) {
      Value a = Coerce(args[i], types_[i]);
      if (a.IsNull() && !args[i].IsNull()) return Value();
      frame.Put(params[i], a);
    }
    return body_->Eval(frame);
  }

 private:
  std::vector<std::vector<std::string>> sigs_;
  std::vector<TypePtr> types_;
  ExprPtr body_;
  std::vector<std::pair<std::string, Value>> captured_;
};

std::vector<std::pair<std::string, Value>> Snapshot(const Scope& s) {
  std::vector<const Scope*> chain;
  for (const Scope* p = &s; p; p = p->parent()) chain.push_back(p);
  std::vector<std::pair<std::string, Value>> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) (*it)->AppendTo(out);
  return out;
}

struct FunctionDefExpr final : Expr {
  std::vector<std::string> params;
  std::vector<TypePtr> types;
  ExprPtr body;
  bool supported = true;  // FEEL; Java and PMML functions are not run
  Value Eval(const Scope& s) const override {
    if (!supported) return Value();
    return Value(std::shared_ptr<const Function>(
        std::make_shared<BoxedFunction>(params, types, body, Snapshot(s))));
  }
};

struct InvocationExpr final : Expr {
  NodePtr callee;
  std::vector<std::pair<std::string, ExprPtr>> bindings;
  Value Eval(const Scope& s) const override {
    Value fn = callee ? feel::Evaluate(*callee, s) : Value();
    if (!fn.Is(K::kFunction)) return Value();
    const auto& sigs = fn.AsFunction()->Signatures();
    if (sigs.empty()) return Value();
    const auto& params = sigs[0];
    std::vector<Value> args(params.size());
    for (const auto& [name, e] : bindings) {
      auto it = std::find(params.begin(), params.end(), name);
      if (it == params.end()) return Value();
      args[static_cast<size_t>(it - params.begin())] = e ? e->Eval(s) : Value();
    }
    return fn.AsFunction()->Call(args);
  }
};

enum class HitPolicy { kUnique, kAny, kPriority, kFirst, kCollect, kRuleOrder, kOutputOrder };
enum class Aggregation { kNone, kSum, kMin, kMax, kCount };

struct DecisionTableExpr final : Expr {
  struct Input {
    NodePtr expr;
    NodePtr allowed;
    TypePtr type;
  };
  struct Output {
    std::string name;
    NodePtr allowed;
    std::vector<Value> order;  // output values, highest priority first
    NodePtr defaultValue;
    TypePtr type;
  };
  struct Rule {
    std::vector<NodePtr> tests;
    std::vector<NodePtr> outputs;
    std::string id, description;
    std::shared_ptr<const RuleHit> hit;  // what a match records
    // The cells that test something ("-" and missing cells do not), by input column.
    std::vector<std::pair<size_t, const feel::Node*>> active;
  };
  // An index of the cells of a column that compare strings (tables of up to 64 rows): for
  // a string or list input, which rules its cells let through, found by looking the input
  // up instead of testing each rule. Bit r stands for rule r.
  struct Column {
    std::unordered_map<std::string, uint64_t> equal, notEqual, contains;  // string -> rules
    uint64_t equalRules = 0, notEqualRules = 0, containsRules = 0;        // rules with such a cell
    uint64_t otherRules = 0;  // rules whose cell here is tested the usual way
  };
  std::vector<Column> index;  // empty: no index

  std::string owner;  // decision or BKM name, for explanations
  HitPolicy policy = HitPolicy::kUnique;
  Aggregation aggregation = Aggregation::kNone;
  std::vector<Input> inputs;
  std::vector<Output> outputs;
  std::vector<Rule> rules;

  // One matching row's output values, one per output.
  using Row = boost::container::small_vector<Value, 4>;

  Value RowValue(Row&& outs) const {
    if (outputs.size() == 1) return std::move(outs[0]);
    Context c;
    c.entries.reserve(outputs.size());
    for (size_t i = 0; i < outputs.size(); ++i)
      c.entries.emplace_back(outputs[i].name, std::move(outs[i]));
    return Value(std::move(c));
  }

  size_t Priority(const Row& outs) const {
    // Lexicographic over outputs with output values: smaller index = higher priority.
    size_t key = 0;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const auto& order = outputs[i].order;
      if (order.empty()) continue;
      size_t idx = order.size();
      for (size_t k = 0; k < order.size(); ++k)
        if (Equal(outs[i], order[k]).value_or(false)) idx = k;
      key = key * (order.size() + 1) + idx;
    }
    return key;
  }

  Value Eval(const Scope& s) const override {
    // The inputs' values: a variable's where it is, unless it must be converted.
    boost::container::small_vector<const Value*, 8> in;
    boost::container::small_vector<Value, 8> own;
    own.reserve(inputs.size());  // no reallocation: `in` points into it
    for (const auto& i : inputs) {
      const void* tag = nullptr;
      const Value* v = i.expr ? feel::BoundValue(*i.expr, s, &tag) : nullptr;
      if (v) {
        // Converted to this very type when it was bound: Coerce would give it back as it is.
        if (i.type && tag != i.type.get() && !v->IsNull() && !Conforming(*v, i.type)) {
          own.push_back(Coerce(*v, i.type));
          v = &own.back();
        }
      } else {
        own.push_back(i.expr ? feel::Evaluate(*i.expr, s) : Value());
        CoerceInPlace(own.back(), i.type);
        v = &own.back();
      }
      if (i.allowed && !v->IsNull() && !feel::Satisfies(*i.allowed, *v, s)) return Value();
      in.push_back(v);
    }
    boost::container::small_vector<size_t, 16> hits;
    bool builtins = feel::FastPathNamesAreBuiltins(s);
    if (index.empty()) {
      for (size_t r = 0; r < rules.size(); ++r) {
        bool match = true;
        for (const auto& [k, tests] : rules[r].active)
          if (!feel::Satisfies(*tests, *in[k], s, builtins)) {
            match = false;
            break;
          }
        if (match) {
          hits.push_back(r);
          if (policy == HitPolicy::kFirst) break;
        }
      }
    } else {
      // The index rules out most rows; the cells it cannot decide are tested as usual.
      uint64_t all = rules.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << rules.size()) - 1;
      uint64_t candidates = all;
      boost::container::small_vector<uint64_t, 8> test(inputs.size());  // rules to test, by column
      for (size_t k = 0; k < inputs.size() && candidates; ++k) {
        const Column& c = index[k];
        uint64_t indexed = c.equalRules | c.notEqualRules | c.containsRules;
        uint64_t pass = all & ~indexed;  // "-" cells, and those tested as usual
        test[k] = c.otherRules;
        const Value& v = *in[k];
        if (v.Is(K::kString) && indexed) {
          auto e = c.equal.find(v.AsString());
          if (e != c.equal.end()) pass |= e->second;
          auto n = c.notEqual.find(v.AsString());
          pass |= c.notEqualRules & ~(n != c.notEqual.end() ? n->second : 0);
          pass |= c.containsRules, test[k] |= c.containsRules;
        } else if (v.Is(K::kList) && builtins && indexed) {
          for (const auto& item : v.AsList())
            if (item.Is(K::kString))
              if (auto i = c.contains.find(item.AsString()); i != c.contains.end())
                pass |= i->second;
          uint64_t strings = c.equalRules | c.notEqualRules;
          pass |= strings, test[k] |= strings;
        } else {
          pass |= indexed, test[k] |= indexed;
        }
        candidates &= pass;
      }
      for (size_t r = 0; candidates && r < rules.size(); ++r) {
        if (!(candidates >> r & 1)) continue;
        bool match = true;
        for (const auto& [k, tests] : rules[r].active)
          if ((test[k] >> r & 1) && !feel::Satisfies(*tests, *in[k], s, builtins)) {
            match = false;
            break;
          }
        if (match) {
          hits.push_back(r);
          if (policy == HitPolicy::kFirst) break;
        }
      }
    }
    auto outputsOf = [&](size_t r) {
      Row outs;
      const Rule& rule = rules[r];
      for (size_t k = 0; k < outputs.size(); ++k) {
        Value v = k < rule.outputs.size() && rule.outputs[k] ? feel::Evaluate(*rule.outputs[k], s)
                                                             : Value();
        CoerceInPlace(v, outputs[k].type);
        if (outputs[k].allowed && !v.IsNull() && !feel::Satisfies(*outputs[k].allowed, v, s))
          v = Value();
        outs.push_back(std::move(v));
      }
      return outs;
    };
    auto record = [&](size_t r) {
      if (g_trace) g_trace->push_back(rules[r].hit);
    };
    if (hits.empty()) {
      bool anyDefault = false;
      Row outs;
      for (const auto& o : outputs) {
        if (o.defaultValue) anyDefault = true;
        outs.push_back(o.defaultValue ? feel::Evaluate(*o.defaultValue, s) : Value());
      }
      if (anyDefault) return RowValue(std::move(outs));
      if (policy == HitPolicy::kCollect && aggregation == Aggregation::kCount) return Value(0);
      if (policy == HitPolicy::kCollect || policy == HitPolicy::kRuleOrder ||
          policy == HitPolicy::kOutputOrder) {
        if (aggregation != Aggregation::kNone) return Value();
        return List{};
      }
      return Value();
    }
    switch (policy) {
      case HitPolicy::kUnique:
        if (hits.size() > 1) return Value();
        record(hits[0]);
        return RowValue(outputsOf(hits[0]));
      case HitPolicy::kFirst:
        record(hits[0]);
        return RowValue(outputsOf(hits[0]));
      case HitPolicy::kAny: {
        Value first = RowValue(outputsOf(hits[0]));
        for (size_t i = 1; i < hits.size(); ++i)
          if (!Equal(first, RowValue(outputsOf(hits[i]))).value_or(false)) return Value();
        for (size_t h : hits) record(h);
        return first;
      }
      case HitPolicy::kPriority: {
        // Each row's outputs once; the first of the best wins.
        size_t best = hits[0];
        Row bestRow = outputsOf(best);
        size_t bestKey = Priority(bestRow);
        for (size_t i = 1; i < hits.size(); ++i) {
          Row row = outputsOf(hits[i]);
          size_t key = Priority(row);
          if (key < bestKey) best = hits[i], bestKey = key, bestRow = std::move(row);
        }
        // Every matching row is listed so the decision can be explained (triage contract):
        // the winner first, then the others in table order.
        record(best);
        for (size_t h : hits)
          if (h != best) record(h);
        return RowValue(std::move(bestRow));
      }
      case HitPolicy::kRuleOrder:
      case HitPolicy::kCollect:
      case HitPolicy::kOutputOrder: {
        std::vector<std::pair<size_t, Row>> rows;
        rows.reserve(hits.size());
        for (size_t h : hits) {
          record(h);
          rows.emplace_back(h, outputsOf(h));
        }
        if (policy == HitPolicy::kOutputOrder)
          std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
            return Priority(a.second) < Priority(b.second);
          });
        if (policy == HitPolicy::kCollect && aggregation != Aggregation::kNone) {
          if (outputs.size() != 1) return Value();
          if (aggregation == Aggregation::kCount) {
            List distinct;
            for (auto& [h, o] : rows) {
              bool seen = false;
              for (const auto& d : distinct) seen = seen || SameValue(d, o[0]);
              if (!seen) distinct.push_back(o[0]);
            }
            return Value(static_cast<int64_t>(distinct.size()));
          }
          Value acc;
          for (auto& [h, o] : rows) {
            const Value& v = o[0];
            if (aggregation == Aggregation::kSum) {
              if (!v.Is(K::kNumber)) return Value();
              acc = acc.IsNull() ? v : Value(acc.AsNumber() + v.AsNumber());
            } else {
              if (acc.IsNull()) {
                acc = v;
                continue;
              }
              auto c = Compare(v, acc);
              if (!c) return Value();
              if ((aggregation == Aggregation::kMin && *c < 0) ||
                  (aggregation == Aggregation::kMax && *c > 0))
                acc = v;
            }
          }
          return acc;
        }
        List out;
        out.reserve(rows.size());
        for (auto& [h, o] : rows) out.push_back(RowValue(std::move(o)));
        return out;
      }
    }
    return Value();
  }
};

std::string LocalName(const pugi::xml_node& n) {
  std::string s = n.name();
  size_t c = s.find(':');
  return c == std::string::npos ? s : s.substr(c + 1);
}

pugi::xml_node Child(const pugi::xml_node& n, const char* local) {
  for (auto c : n.children())
    if (LocalName(c) == local) return c;
  return {};
}

std::vector<pugi::xml_node> Children(const pugi::xml_node& n, const char* local) {
  std::vector<pugi::xml_node> out;
  for (auto c : n.children())
    if (LocalName(c) == local) out.push_back(c);
  return out;
}

std::string Text(const pugi::xml_node& n, const char* child = "text") {
  pugi::xml_node t = Child(n, child);
  return t ? t.text().as_string() : "";
}

std::string Href(const pugi::xml_node& n) {
  std::string h = n.attribute("href").as_string();
  size_t hash = h.find('#');
  return hash == std::string::npos ? h : h.substr(hash + 1);
}

}  // namespace

struct Model::Impl {
  struct InputData {
    std::string id, name;
    TypePtr type;
  };
  struct Decision {
    std::string id, name;
    TypePtr type;
    ExprPtr expr;
    std::vector<std::string> requiredDecisions;  // ids (qualified "ns#id" for imports)
    std::vector<int> required;                   // their indexes in `decisions`, when found
    pugi::xml_node node;
  };
  struct Bkm {
    std::string id, name;
    ExprPtr logic;  // a FunctionDefExpr
    TypePtr type;
  };
  struct Service {
    std::string id, name;
    std::vector<std::string> outputs, encapsulated, inputDecisions, inputData;  // ids
  };

  std::string name, ns, file;
  std::vector<InputData> inputs;
  std::vector<Decision> decisions;
  std::vector<Bkm> bkms;
  std::vector<Service> services;
  std::unordered_map<std::string, TypePtr> types;            // item definitions by name
  std::vector<std::pair<std::string, std::string>> imports;  // name -> namespace
  const ModelSet* set = nullptr;
  feel::Names names;
  Scope root;  // business knowledge models, decision services and imports as values
  std::vector<std::string> errors;
  int readDepth = 0;

  TypePtr ResolveType(const std::string& ref) const;
  TypePtr ReadItemDefinition(const pugi::xml_node& n);
  ExprPtr ReadExpression(const pugi::xml_node& n, const std::string& owner);
  NodePtr ParseFeel(const std::string& text, const std::string& where);
  NodePtr ParseTests(const std::string& text, const std::string& where);
  const Model* ImportedModel(const std::string& nsOrName) const;

  int DecisionIndexById(const std::string& id) const {
    for (size_t i = 0; i < decisions.size(); ++i)
      if (decisions[i].id == id) return static_cast<int>(i);
    return -1;
  }
  // Evaluates `targets` (indexes) with `inputs` and pre-set decision values.
  // `prepared`: inputs already converted (PreparedInputs). `keep`: when given, which
  // decisions (by index) go into the results.
  void Run(const Context& inputs, const Context& preset, const std::vector<int>& targets,
           Context& results, const Context* prepared = nullptr,
           const std::vector<char>* keep = nullptr) const;
};

NodePtr Model::Impl::ParseFeel(const std::string& text, const std::string& where) {
  auto r = feel::ParseExpression(text, names);
  if (!r.ok()) {
    errors.push_back(where + ": " + r.status().message());
    return nullptr;
  }
  return r.value();
}

NodePtr Model::Impl::ParseTests(const std::string& text, const std::string& where) {
  auto r = feel::ParseUnaryTests(text, names);
  if (!r.ok()) {
    errors.push_back(where + ": " + r.status().message());
    return nullptr;
  }
  return r.value();
}

TypePtr Model::Impl::ResolveType(const std::string& refIn) const {
  if (refIn.empty()) return nullptr;
  std::string ref = refIn;
  auto it = types.find(ref);
  if (it != types.end()) return it->second;
  // An imported type: "importName.typeName".
  size_t dot = ref.find('.');
  if (dot != std::string::npos) {
    std::string prefix = ref.substr(0, dot);
    for (const auto& [iname, ins] : imports)
      if (iname == prefix)
        if (const Model* m = ImportedModel(ins)) {
          auto t = m->impl().ResolveType(ref.substr(dot + 1));
          if (t) return t;
        }
  }
  size_t colon = ref.find(':');
  if (colon != std::string::npos) ref = ref.substr(colon + 1);
  feel::Type base = feel::ParseTypeName(ref);
  if (base.kind == feel::Type::Kind::kUnknown) return nullptr;
  auto t = std::make_shared<TypeInfo>();
  t->name = ref;
  t->base = base;
  return t;
}

TypePtr Model::Impl::ReadItemDefinition(const pugi::xml_node& n) {
  auto t = std::make_shared<TypeInfo>();
  t->name = n.attribute("name").as_string();
  t->collection = n.attribute("isCollection").as_bool();
  std::string typeRef = Text(n, "typeRef");
  auto comps = Children(n, "itemComponent");
  TypePtr inner;
  if (!comps.empty()) {
    auto s = std::make_shared<TypeInfo>();
    s->structure = true;
    s->base.kind = feel::Type::Kind::kContext;
    for (const auto& c : comps) {
      names.Add(c.attribute("name").as_string());
      std::string field = c.attribute("name").as_string();
      for (const auto& f : s->fields)
        if (f.first == field) s->fieldsDistinct = false;
      s->fields.emplace_back(field, ReadItemDefinition(c));
    }
    inner = s;
  } else if (!typeRef.empty()) {
    inner = ResolveType(typeRef);
  } else if (auto fi = Child(n, "functionItem")) {
    auto s = std::make_shared<TypeInfo>();
    s->base.kind = feel::Type::Kind::kFunction;
    inner = s;
  }
  pugi::xml_node allowed = Child(n, "allowedValues");
  if (!allowed) allowed = Child(n, "typeConstraint");
  NodePtr tests;
  if (allowed) tests = ParseTests(Text(allowed), "item definition " + t->name);
  if (t->collection) {
    if (inner) {
      auto e = std::make_shared<TypeInfo>(*inner);
      e->collection = false;
      t->element = e;
    }
    t->allowed = tests;
    t->base.kind = feel::Type::Kind::kList;
    return t;
  }
  if (inner) {
    auto copy = std::make_shared<TypeInfo>(*inner);
    copy->name = t->name;
    if (tests) copy->allowed = tests;
    return copy;
  }
  t->allowed = tests;
  return t;
}

ExprPtr Model::Impl::ReadExpression(const pugi::xml_node& n, const std::string& owner) {
  if (!n) return nullptr;
  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    int& d_;
  } depth(readDepth);
  if (readDepth > 64) {
    errors.push_back(owner + ": boxed expressions nested too deeply");
    return nullptr;
  }
  std::string kind = LocalName(n);
  std::string where = owner + " (" + kind + ")";
  if (kind == "literalExpression") {
    auto e = std::make_shared<FeelExpr>();
    std::string text = Text(n);
    if (!text.empty()) e->node = ParseFeel(text, where);
    return e;
  }
  if (kind == "context") {
    auto e = std::make_shared<ContextExpr>();
    for (const auto& ce : Children(n, "contextEntry")) {
      pugi::xml_node var = Child(ce, "variable");
      pugi::xml_node body;
      for (auto c : ce.children())
        if (LocalName(c) != "variable" && LocalName(c) != "description" &&
            c.type() == pugi::node_element)
          body = c;
      if (var) {
        std::string name = var.attribute("name").as_string();
        names.Add(name);
        e->entries.emplace_back(name, ReadExpression(body, owner),
                                ResolveType(var.attribute("typeRef").as_string()));
      } else {
        e->result = ReadExpression(body, owner);
      }
    }
    return e;
  }
  if (kind == "list") {
    auto e = std::make_shared<ListExpr>();
    for (auto c : n.children())
      if (c.type() == pugi::node_element && LocalName(c) != "description")
        e->items.push_back(ReadExpression(c, owner));
    return e;
  }
  if (kind == "relation") {
    auto e = std::make_shared<RelationExpr>();
    for (const auto& c : Children(n, "column")) {
      e->columns.push_back(c.attribute("name").as_string());
      names.Add(e->columns.back());
    }
    for (const auto& row : Children(n, "row")) {
      std::vector<ExprPtr> cells;
      for (auto c : row.children())
        if (c.type() == pugi::node_element) cells.push_back(ReadExpression(c, owner));
      e->rows.push_back(std::move(cells));
    }
    return e;
  }
  auto firstElement = [](const pugi::xml_node& p) {
    for (auto c : p.children())
      if (c.type() == pugi::node_element) return c;
    return pugi::xml_node();
  };
  if (kind == "conditional") {
    auto e = std::make_shared<ConditionalExpr>();
    e->cond = ReadExpression(firstElement(Child(n, "if")), owner);
    e->then = ReadExpression(firstElement(Child(n, "then")), owner);
    e->otherwise = ReadExpression(firstElement(Child(n, "else")), owner);
    return e;
  }
  if (kind == "filter") {
    auto e = std::make_shared<FilterExpr>();
    e->in = ReadExpression(firstElement(Child(n, "in")), owner);
    names.Add("item");
    e->match = ReadExpression(firstElement(Child(n, "match")), owner);
    return e;
  }
  if (kind == "for" || kind == "some" || kind == "every") {
    auto e = std::make_shared<IteratorExpr>();
    e->kind = kind == "for"    ? IteratorExpr::Kind::kFor
              : kind == "some" ? IteratorExpr::Kind::kSome
                               : IteratorExpr::Kind::kEvery;
    e->var = n.attribute("iteratorVariable").as_string();
    names.Add(e->var);
    e->in = ReadExpression(firstElement(Child(n, "in")), owner);
    pugi::xml_node body = Child(n, kind == "for" ? "return" : "satisfies");
    e->body = ReadExpression(firstElement(body), owner);
    return e;
  }
  if (kind == "functionDefinition") {
    auto e = std::make_shared<FunctionDefExpr>();
    std::string fkind = n.attribute("kind").as_string();
    e->supported = fkind.empty() || fkind == "FEEL" || fkind == "F";
    for (const auto& p : Children(n, "formalParameter")) {
      e->params.push_back(p.attribute("name").as_string());
      names.Add(e->params.back());
      e->types.push_back(ResolveType(p.attribute("typeRef").as_string()));
    }
    for (auto c : n.children())
      if (c.type() == pugi::node_element && LocalName(c) != "formalParameter" &&
          LocalName(c) != "description" && LocalName(c) != "extensionElements")
        e->body = ReadExpression(c, owner);
    return e;
  }
  if (kind == "invocation") {
    auto e = std::make_shared<InvocationExpr>();
    pugi::xml_node callee = firstElement(n);
    if (callee && LocalName(callee) == "literalExpression")
      e->callee = ParseFeel(Text(callee), where);
    for (const auto& b : Children(n, "binding")) {
      pugi::xml_node p = Child(b, "parameter");
      pugi::xml_node body;
      for (auto c : b.children())
        if (c.type() == pugi::node_element && LocalName(c) != "parameter") body = c;
      e->bindings.emplace_back(p.attribute("name").as_string(), ReadExpression(body, owner));
    }
    return e;
  }
  if (kind == "decisionTable") {
    auto e = std::make_shared<DecisionTableExpr>();
    e->owner = owner;
    std::string hp = n.attribute("hitPolicy").as_string("UNIQUE");
    static const std::pair<const char*, HitPolicy> kPolicies[] = {
        {"UNIQUE", HitPolicy::kUnique},           {"ANY", HitPolicy::kAny},
        {"PRIORITY", HitPolicy::kPriority},       {"FIRST", HitPolicy::kFirst},
        {"COLLECT", HitPolicy::kCollect},         {"RULE ORDER", HitPolicy::kRuleOrder},
        {"OUTPUT ORDER", HitPolicy::kOutputOrder}};
    bool known = false;
    for (auto& [s, p] : kPolicies)
      if (hp == s) e->policy = p, known = true;
    if (!known) errors.push_back(where + ": unknown hit policy " + hp);
    std::string agg = n.attribute("aggregation").as_string();
    if (agg == "SUM")
      e->aggregation = Aggregation::kSum;
    else if (agg == "MIN")
      e->aggregation = Aggregation::kMin;
    else if (agg == "MAX")
      e->aggregation = Aggregation::kMax;
    else if (agg == "COUNT")
      e->aggregation = Aggregation::kCount;
    for (const auto& in : Children(n, "input")) {
      DecisionTableExpr::Input i;
      pugi::xml_node ie = Child(in, "inputExpression");
      i.expr = ParseFeel(Text(ie), where + " input");
      i.type = ResolveType(ie.attribute("typeRef").as_string());
      if (auto iv = Child(in, "inputValues"))
        i.allowed = ParseTests(Text(iv), where + " input values");
      e->inputs.push_back(std::move(i));
    }
    for (const auto& out : Children(n, "output")) {
      DecisionTableExpr::Output o;
      o.name = out.attribute("name").as_string();
      if (!o.name.empty()) names.Add(o.name);
      o.type = ResolveType(out.attribute("typeRef").as_string());
      if (auto ov = Child(out, "outputValues")) {
        o.allowed = ParseTests(Text(ov), where + " output values");
        if (o.allowed && o.allowed->op == feel::Op::kTests) {
          Scope s;
          for (const auto& k : o.allowed->kids)
            if (k->op == feel::Op::kTestExpr) o.order.push_back(feel::Evaluate(*k->kids[0], s));
        }
      }
      if (auto d = Child(out, "defaultOutputEntry"))
        o.defaultValue = ParseFeel(Text(d), where + " default output");
      e->outputs.push_back(std::move(o));
    }
    int row = 0;
    for (const auto& r : Children(n, "rule")) {
      ++row;
      DecisionTableExpr::Rule rule;
      rule.id = r.attribute("id").as_string();
      rule.description = Text(r, "description");
      if (rule.description.empty()) rule.description = r.child_value("description");
      if (auto ann = Child(r, "annotationEntry")) rule.description = Text(ann);
      for (const auto& ie : Children(r, "inputEntry"))
        rule.tests.push_back(ParseTests(Text(ie), where + " row " + std::to_string(row)));
      for (const auto& oe : Children(r, "outputEntry")) {
        std::string text = Text(oe);
        rule.outputs.push_back(text.empty() || text == "-"
                                   ? nullptr
                                   : ParseFeel(text, where + " row " + std::to_string(row)));
      }
      rule.hit = std::make_shared<const RuleHit>(RuleHit{owner, row, rule.id, rule.description});
      for (size_t k = 0; k < rule.tests.size() && k < e->inputs.size(); ++k)
        if (rule.tests[k] && rule.tests[k]->op != feel::Op::kTestAny)
          rule.active.emplace_back(k, rule.tests[k].get());
      e->rules.push_back(std::move(rule));
    }
    if (e->rules.size() <= 64) {
      using Shape = feel::TestShape::Kind;
      e->index.resize(e->inputs.size());
      for (size_t r = 0; r < e->rules.size(); ++r)
        for (const auto& [k, tests] : e->rules[r].active) {
          auto& c = e->index[k];
          uint64_t bit = uint64_t{1} << r;
          feel::TestShape shape = feel::ShapeOf(*tests);
          switch (shape.kind) {
            case Shape::kStringsEqual:
              c.equalRules |= bit;
              for (const auto& str : shape.strings) c.equal[str] |= bit;
              break;
            case Shape::kStringsNotEqual:
              c.notEqualRules |= bit;
              for (const auto& str : shape.strings) c.notEqual[str] |= bit;
              break;
            case Shape::kListContains:
              c.containsRules |= bit;
              c.contains[shape.strings[0]] |= bit;
              break;
            default:
              c.otherRules |= bit;
          }
        }
    }
    return e;
  }
  errors.push_back(where + ": unsupported expression <" + kind + ">");
  return nullptr;
}

const Model* Model::Impl::ImportedModel(const std::string& nsOrName) const {
  if (!set) return nullptr;
  for (const auto& m : set->models())
    if (m->ns() == nsOrName || m->name() == nsOrName) return m.get();
  return nullptr;
}

void Model::Impl::Run(const Context& inputValues, const Context& preset,
                      const std::vector<int>& targets, Context& results, const Context* prepared,
                      const std::vector<char>* keep) const {
  // Every input's and decision's value, where the scopes find them (sized once: stable).
  std::vector<Value> values(inputs.size() + decisions.size());
  Scope inputScope(&root);
  inputScope.Reserve(inputs.size());
  // Which entries of `inputValues` are declared inputs (the others are bound after).
  boost::container::small_vector<bool, 16> declared(inputValues.entries.size(), false);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    const Value* v = nullptr;  // inputValues.Find(in.name), noting which entry it is
    for (size_t j = 0; j < inputValues.entries.size(); ++j)
      if (SameName(inputValues.entries[j].first, in.name)) {
        v = &inputValues.entries[j].second;
        declared[j] = true;
        break;
      }
    const Value* p = v || !prepared ? nullptr : prepared->Find(in.name);
    // Tagged with the type they were converted to (tables skip converting them again).
    if (p) {
      inputScope.Bind(in.name, p, in.type.get());  // converted by Prepare
    } else {
      values[i] = Coerce(v ? *v : Value(), in.type);
      inputScope.Bind(in.name, &values[i], in.type.get());
    }
  }
  for (size_t j = 0; j < inputValues.entries.size(); ++j) {  // imported input data etc.
    const auto& [k, v] = inputValues.entries[j];
    if (!declared[j] && !inputScope.Lookup(k)) inputScope.Bind(k, &v);
  }
  Scope scope(&inputScope);
  scope.Reserve(preset.entries.size() + decisions.size());
  for (const auto& [k, v] : preset.entries) {
    scope.Bind(k, &v);
    results.Set(k, v);
  }
  results.entries.reserve(results.entries.size() + decisions.size());
  std::vector<char> state(decisions.size(), 0);  // 0 todo, 1 running, 2 done
  auto run = [&](auto& self, int i) -> void {
    if (state[static_cast<size_t>(i)]) return;
    const Decision& d = decisions[static_cast<size_t>(i)];
    if (results.Find(d.name)) {
      state[static_cast<size_t>(i)] = 2;
      return;
    }
    state[static_cast<size_t>(i)] = 1;
    for (int j : d.required) self(self, j);
    Value& v = values[inputs.size() + static_cast<size_t>(i)];
    v = d.expr ? d.expr->Eval(scope) : Value();
    CoerceInPlace(v, d.type);
    scope.Bind(d.name, &v, d.type.get());
    if (!keep || (*keep)[static_cast<size_t>(i)])
      results.entries.emplace_back(d.name, v);  // not there yet: Find above
    state[static_cast<size_t>(i)] = 2;
  };
  for (int t : targets) run(run, t);
}

Model::Model() : impl_(std::make_unique<Impl>()) {}
Model::~Model() = default;
const std::string& Model::name() const { return impl_->name; }
const std::string& Model::ns() const { return impl_->ns; }
const std::vector<std::string>& Model::problems() const { return impl_->errors; }

std::vector<std::string> Model::DecisionNames() const {
  std::vector<std::string> out;
  for (const auto& d : impl_->decisions) out.push_back(d.name);
  return out;
}
std::vector<std::string> Model::InputNames() const {
  std::vector<std::string> out;
  for (const auto& d : impl_->inputs) out.push_back(d.name);
  return out;
}

PreparedInputs Model::Prepare(const Context& inputs) const {
  PreparedInputs p;
  p.model_ = this;
  for (const auto& in : impl_->inputs)
    if (const Value* v = inputs.Find(in.name)) p.values_.Set(in.name, Coerce(*v, in.type));
  return p;
}

Evaluation Model::Evaluate(const Context& inputs, const std::vector<std::string>& names) const {
  static const PreparedInputs kNone;
  return Evaluate(inputs, kNone, names);
}

Evaluation Model::Evaluate(const Context& inputs, const PreparedInputs& prepared,
                           const std::vector<std::string>& names,
                           const std::vector<std::string>* keep) const {
  feel::EvaluationScope evaluation;  // one budget for every expression of this evaluation
  const uint64_t hits = feel::LimitHits();
  Evaluation ev;
  std::vector<std::shared_ptr<const RuleHit>>* saved = g_trace;
  g_trace = &ev.rulesFired;
  ev.rulesFired.reserve(16);
  std::vector<int> targets;
  targets.reserve(names.empty() ? impl_->decisions.size() : names.size());
  if (names.empty()) {
    for (size_t i = 0; i < impl_->decisions.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    for (const auto& n : names)
      for (size_t i = 0; i < impl_->decisions.size(); ++i)
        if (impl_->decisions[i].name == n) targets.push_back(static_cast<int>(i));
  }
  std::vector<char> kept;
  if (keep) {
    kept.resize(impl_->decisions.size());
    for (size_t i = 0; i < impl_->decisions.size(); ++i)
      kept[i] = std::find(keep->begin(), keep->end(), impl_->decisions[i].name) != keep->end();
  }
  impl_->Run(inputs, Context{}, targets, ev.results,
             prepared.model_ == this ? &prepared.values_ : nullptr, keep ? &kept : nullptr);
  g_trace = saved;
  ev.cutShort = feel::LimitHits() != hits;
  return ev;
}

Value Model::Invoke(const std::string& name, const Context& args) const {
  const Value* fn = impl_->root.Lookup(name);
  if (!fn || !fn->Is(K::kFunction)) return Value();
  const auto& sigs = fn->AsFunction()->Signatures();
  std::vector<Value> positional;
  if (!sigs.empty())
    for (const auto& p : sigs[0]) {
      const Value* v = args.Find(p);
      positional.push_back(v ? *v : Value());
    }
  return fn->AsFunction()->Call(positional);
}

namespace {

// A business knowledge model as a function value.
class BkmFunction final : public Function {
 public:
  BkmFunction(const Model::Impl* m, size_t index) : m_(m), index_(index) {}
  const std::vector<std::vector<std::string>>& Signatures() const override;
  Value Call(const std::vector<Value>& args) const override;

 private:
  const Model::Impl* m_;
  size_t index_;
  // Worked out on first use, once, whichever thread gets there first: a model is shared.
  mutable std::vector<std::vector<std::string>> sigs_;
  mutable std::once_flag ready_;
};

// A decision service as a function value: its input data and input decisions are the
// parameters; the result is the single output decision, or a context of all outputs.
class ServiceFunction final : public Function {
 public:
  ServiceFunction(const Model::Impl* m, size_t index) : m_(m), index_(index) {}
  const std::vector<std::vector<std::string>>& Signatures() const override;
  Value Call(const std::vector<Value>& args) const override;

 private:
  const Model::Impl* m_;
  size_t index_;
  // Worked out on first use, once, whichever thread gets there first: a model is shared.
  mutable std::vector<std::vector<std::string>> sigs_;
  mutable std::once_flag ready_;
};

}  // namespace

// Model::Impl is complete here; the function classes reach into it.
const std::vector<std::vector<std::string>>& BkmFunction::Signatures() const {
  std::call_once(ready_, [this] {
    const auto& b = m_->bkms[index_];
    auto* def = dynamic_cast<const FunctionDefExpr*>(b.logic.get());
    sigs_.push_back(def ? def->params : std::vector<std::string>{});
  });
  return sigs_;
}

Value BkmFunction::Call(const std::vector<Value>& args) const {
  const auto& b = m_->bkms[index_];
  auto* def = dynamic_cast<const FunctionDefExpr*>(b.logic.get());
  if (!def || !def->supported || args.size() != def->params.size()) return Value();
  feel::CallFrame guard;  // a BKM may call itself
  if (!guard.ok()) return Value();
  Scope frame(&m_->root);
  for (size_t i = 0; i < args.size(); ++i) {
    Value a = Coerce(args[i], def->types[i]);
    if (a.IsNull() && !args[i].IsNull()) return Value();
    frame.Set(def->params[i], a);
  }
  Value v = def->body ? def->body->Eval(frame) : Value();
  return Coerce(v, b.type);
}

const std::vector<std::vector<std::string>>& ServiceFunction::Signatures() const {
  std::call_once(ready_, [this] {
    const auto& s = m_->services[index_];
    std::vector<std::string> params;
    for (const auto& id : s.inputData)
      for (const auto& in : m_->inputs)
        if (in.id == id) params.push_back(in.name);
    for (const auto& id : s.inputDecisions) {
      int j = m_->DecisionIndexById(id);
      if (j >= 0) params.push_back(m_->decisions[static_cast<size_t>(j)].name);
    }
    sigs_.push_back(params);
  });
  return sigs_;
}

Value ServiceFunction::Call(const std::vector<Value>& args) const {
  const auto& s = m_->services[index_];
  const auto& params = Signatures()[0];
  if (args.size() > params.size()) return Value();
  feel::CallFrame guard;
  if (!guard.ok()) return Value();
  Context inputs, preset;
  size_t k = 0;
  for (const auto& id : s.inputData)
    for (const auto& in : m_->inputs)
      if (in.id == id) {
        inputs.Set(in.name, k < args.size() ? args[k] : Value());
        ++k;
      }
  for (const auto& id : s.inputDecisions) {
    int j = m_->DecisionIndexById(id);
    if (j < 0) continue;
    const auto& d = m_->decisions[static_cast<size_t>(j)];
    preset.Set(d.name, Coerce(k < args.size() ? args[k] : Value(), d.type));
    ++k;
  }
  std::vector<int> targets;
  for (const auto& id : s.outputs) {
    int j = m_->DecisionIndexById(id);
    if (j >= 0) targets.push_back(j);
  }
  // Decisions inside the service see only what it is given: run each encapsulated decision
  // through the dependency walk from the outputs.
  Context results;
  m_->Run(inputs, preset, targets, results);
  if (targets.size() == 1) {
    const Value* v = results.Find(m_->decisions[static_cast<size_t>(targets[0])].name);
    return v ? *v : Value();
  }
  Context out;
  for (int t : targets) {
    const auto& name = m_->decisions[static_cast<size_t>(t)].name;
    const Value* v = results.Find(name);
    out.entries.emplace_back(name, v ? *v : Value());
  }
  return Value(std::move(out));
}

namespace {

Status Compile(const pugi::xml_document& doc, const std::string& file, Model::Impl& m) {
  pugi::xml_node defs = doc.document_element();
  if (LocalName(defs) != "definitions")
    return Status::Invalid(file + ": not a DMN file (root element is <" + std::string(defs.name()) +
                           ">, expected <definitions>)");
  std::string rootName = defs.name();
  size_t colon = rootName.find(':');
  std::string nsAttr = colon == std::string::npos ? "xmlns" : "xmlns:" + rootName.substr(0, colon);
  std::string xmlns = defs.attribute(nsAttr.c_str()).as_string();
  static const char* kNamespaces[] = {"http://www.omg.org/spec/DMN/20151101/dmn.xsd",
                                      "http://www.omg.org/spec/DMN/20180521/MODEL/",
                                      "https://www.omg.org/spec/DMN/20191111/MODEL/",
                                      "https://www.omg.org/spec/DMN/20211108/MODEL/",
                                      "https://www.omg.org/spec/DMN/20230324/MODEL/"};
  bool known = false;
  for (const char* ns : kNamespaces) known = known || xmlns == ns;
  if (!known)
    return Status::Invalid(file + ": unknown DMN namespace \"" + xmlns +
                           "\" (DMN 1.1 to 1.5 are read)");
  m.name = defs.attribute("name").as_string();
  m.ns = defs.attribute("namespace").as_string();
  m.file = file;

  for (const auto& im : Children(defs, "import")) {
    std::string iname = im.attribute("name").as_string();
    m.imports.emplace_back(iname, im.attribute("namespace").as_string());
  }
  // Names first, so FEEL texts anywhere can use any of them.
  for (auto c : defs.children()) {
    std::string k = LocalName(c);
    if (k == "inputData" || k == "decision" || k == "businessKnowledgeModel" ||
        k == "decisionService")
      m.names.Add(c.attribute("name").as_string());
  }
  for (const auto& [iname, ins] : m.imports)
    if (const Model* im = m.ImportedModel(ins)) {
      for (const auto& d : im->DecisionNames()) m.names.Add(iname + "." + d);
      for (const auto& d : im->InputNames()) m.names.Add(iname + "." + d);
      for (const auto& b : im->impl().bkms) m.names.Add(iname + "." + b.name);
      for (const auto& s : im->impl().services) m.names.Add(iname + "." + s.name);
    }
  for (const auto& it : Children(defs, "itemDefinition")) {
    std::string name = it.attribute("name").as_string();
    m.types[name] = m.ReadItemDefinition(it);
  }
  for (auto c : defs.children()) {
    std::string k = LocalName(c);
    std::string id = c.attribute("id").as_string();
    std::string name = c.attribute("name").as_string();
    if (k == "inputData") {
      pugi::xml_node var = Child(c, "variable");
      m.inputs.push_back({id, name, m.ResolveType(var.attribute("typeRef").as_string())});
    } else if (k == "decision") {
      Model::Impl::Decision d;
      d.id = id;
      d.name = name;
      d.node = c;
      pugi::xml_node var = Child(c, "variable");
      d.type = m.ResolveType(var.attribute("typeRef").as_string());
      for (const auto& ir : Children(c, "informationRequirement"))
        if (auto rd = Child(ir, "requiredDecision")) d.requiredDecisions.push_back(Href(rd));
      m.decisions.push_back(std::move(d));
    } else if (k == "businessKnowledgeModel") {
      Model::Impl::Bkm b;
      b.id = id;
      b.name = name;
      b.type = m.ResolveType(Child(c, "variable").attribute("typeRef").as_string());
      m.bkms.push_back(std::move(b));
    } else if (k == "decisionService") {
      Model::Impl::Service s;
      s.id = id;
      s.name = name;
      for (const auto& x : Children(c, "outputDecision")) s.outputs.push_back(Href(x));
      for (const auto& x : Children(c, "encapsulatedDecision")) s.encapsulated.push_back(Href(x));
      for (const auto& x : Children(c, "inputDecision")) s.inputDecisions.push_back(Href(x));
      for (const auto& x : Children(c, "inputData")) s.inputData.push_back(Href(x));
      m.services.push_back(std::move(s));
    }
  }
  // Functions first (decisions may call them), then decision logic.
  for (size_t i = 0; i < m.bkms.size(); ++i) {
    pugi::xml_node c;
    for (auto x : defs.children())
      if (LocalName(x) == "businessKnowledgeModel" && m.bkms[i].id == x.attribute("id").as_string())
        c = x;
    if (auto logic = Child(c, "encapsulatedLogic")) {
      auto def = std::make_shared<FunctionDefExpr>();
      std::string fkind = logic.attribute("kind").as_string();
      def->supported = fkind.empty() || fkind == "FEEL";
      for (const auto& p : Children(logic, "formalParameter")) {
        def->params.push_back(p.attribute("name").as_string());
        m.names.Add(def->params.back());
        def->types.push_back(m.ResolveType(p.attribute("typeRef").as_string()));
      }
      for (auto x : logic.children())
        if (x.type() == pugi::node_element && LocalName(x) != "formalParameter" &&
            LocalName(x) != "description" && LocalName(x) != "extensionElements")
          def->body = m.ReadExpression(x, m.bkms[i].name);
      m.bkms[i].logic = def;
    }
    m.root.Set(m.bkms[i].name,
               Value(std::shared_ptr<const Function>(std::make_shared<BkmFunction>(&m, i))));
  }
  for (size_t i = 0; i < m.services.size(); ++i)
    m.root.Set(m.services[i].name,
               Value(std::shared_ptr<const Function>(std::make_shared<ServiceFunction>(&m, i))));
  for (const auto& [iname, ins] : m.imports)
    if (const Model* im = m.ImportedModel(ins)) {
      for (const auto& b : im->impl().bkms)
        if (const Value* v = im->impl().root.Lookup(b.name)) m.root.Set(iname + "." + b.name, *v);
      for (const auto& s : im->impl().services)
        if (const Value* v = im->impl().root.Lookup(s.name)) m.root.Set(iname + "." + s.name, *v);
    }
  for (auto& d : m.decisions) {
    pugi::xml_node expr;
    for (auto x : d.node.children()) {
      std::string k = LocalName(x);
      if (x.type() == pugi::node_element &&
          (k == "literalExpression" || k == "decisionTable" || k == "context" ||
           k == "invocation" || k == "relation" || k == "list" || k == "functionDefinition" ||
           k == "conditional" || k == "filter" || k == "for" || k == "some" || k == "every"))
        expr = x;
    }
    if (expr) d.expr = m.ReadExpression(expr, d.name);
  }
  // Cycles in the decision graph are a model error.
  std::vector<int> state(m.decisions.size(), 0);
  std::function<bool(size_t)> cyclic = [&](size_t i) {
    if (state[i] == 1) return true;
    if (state[i] == 2) return false;
    state[i] = 1;
    for (const auto& r : m.decisions[i].requiredDecisions) {
      int j = m.DecisionIndexById(r);
      if (j >= 0 && cyclic(static_cast<size_t>(j))) return true;
    }
    state[i] = 2;
    return false;
  };
  for (size_t i = 0; i < m.decisions.size(); ++i)
    if (cyclic(i))
      return Status::Invalid(file + ": decision \"" + m.decisions[i].name + "\" depends on itself");
  for (auto& d : m.decisions)
    for (const auto& r : d.requiredDecisions)
      if (int j = m.DecisionIndexById(r); j >= 0) d.required.push_back(j);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const ModelSet>> ModelSet::Load(const std::vector<std::string>& files,
                                                       bool strict) {
  std::vector<ModelFile> texts;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return Status::Invalid(f + ": cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    texts.push_back({f, ss.str()});
  }
  return Load(texts, strict);
}

Result<std::shared_ptr<const ModelSet>> ModelSet::Load(const std::vector<ModelFile>& files,
                                                       bool strict) {
  auto set = std::make_shared<ModelSet>();
  std::vector<std::pair<std::string, std::unique_ptr<pugi::xml_document>>> docs;
  for (const auto& f : files) {
    auto doc = std::make_unique<pugi::xml_document>();
    pugi::xml_parse_result r = doc->load_buffer(f.text.data(), f.text.size());
    if (!r)
      return Status::Invalid(f.name + ": not well-formed XML at byte " + std::to_string(r.offset) +
                             ": " + r.description());
    docs.emplace_back(f.name, std::move(doc));
  }
  // Imported models compile before the models that import them.
  std::vector<bool> done(docs.size(), false);
  for (size_t pass = 0; pass <= docs.size(); ++pass) {
    for (size_t i = 0; i < docs.size(); ++i) {
      if (done[i]) continue;
      pugi::xml_node defs = docs[i].second->document_element();
      bool ready = true;
      for (const auto& im : Children(defs, "import")) {
        std::string ns = im.attribute("namespace").as_string();
        bool found = false, available = false;
        for (size_t j = 0; j < docs.size(); ++j) {
          if (docs[j].second->document_element().attribute("namespace").as_string() == ns) {
            found = true;
            available = available || done[j];
          }
        }
        if (found && !available) ready = false;
      }
      if (!ready && pass < docs.size()) continue;
      std::unique_ptr<Model> m(new Model());
      m->impl_->set = set.get();
      Status s = Compile(*docs[i].second, docs[i].first, *m->impl_);
      if (!s.ok()) return s;
      if (!m->impl_->errors.empty() && strict) {
        std::string msg = docs[i].first + ": " + m->impl_->errors[0];
        if (m->impl_->errors.size() > 1)
          msg += " (and " + std::to_string(m->impl_->errors.size() - 1) + " more)";
        return Status::Invalid(msg);
      }
      set->models_.push_back(std::move(m));
      set->files_.push_back(docs[i].first);
      done[i] = true;
    }
  }
  return std::shared_ptr<const ModelSet>(set);
}

Result<std::shared_ptr<const ModelSet>> ModelSet::LoadText(const std::string& xml) {
  auto set = std::make_shared<ModelSet>();
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size());
  if (!r)
    return Status::Invalid("not well-formed XML at byte " + std::to_string(r.offset) + ": " +
                           r.description());
  std::unique_ptr<Model> m(new Model());
  m->impl_->set = set.get();
  Status s = Compile(doc, "model", *m->impl_);
  if (!s.ok()) return s;
  if (!m->impl_->errors.empty()) return Status::Invalid(m->impl_->errors[0]);
  set->models_.push_back(std::move(m));
  set->files_.push_back("model");
  return std::shared_ptr<const ModelSet>(set);
}

const Model* ModelSet::Find(const std::string& key) const {
  for (size_t i = 0; i < models_.size(); ++i) {
    std::string base = std::filesystem::path(files_[i]).filename().string();
    std::string stem = std::filesystem::path(files_[i]).stem().string();
    if (models_[i]->name() == key || models_[i]->ns() == key || base == key || stem == key)
      return models_[i].get();
  }
  return nullptr;
}

}  // namespace waymark::rules
