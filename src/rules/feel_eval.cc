// FEEL evaluation (DMN 1.5 section 10.3.2): a walk of the parsed tree. Errors are null, as
// the spec says; nothing here throws on bad data.
#include <boost/multiprecision/cpp_int.hpp>

#include "rules/builtins.h"
#include "rules/feel.h"
#include "rules/feel_tree.h"

namespace waymark::rules::feel {
namespace {

using K = Value::Kind;
namespace mp = boost::multiprecision;

Value Eval(const Node& n, const Scope& s);

// The work one evaluation may do (feel.h, "Limits"). Per thread: an evaluation runs on one.
struct Budget {
  int entered = 0;     // evaluations in progress on this thread (nested entries)
  int calls = 0;       // user-defined functions being called, innermost last
  uint64_t steps = 0;  // loop items, list items made, function calls, string bytes / 64
  bool cut = false;    // this evaluation ran out: everything from here on is null
  uint64_t hits = 0;   // evaluations cut short on this thread, ever
};
thread_local Budget tl_budget;

void Cut() {
  if (!tl_budget.cut) ++tl_budget.hits;
  tl_budget.cut = true;
}

}  // namespace

bool Spend(uint64_t units) {
  Budget& b = tl_budget;
  if (b.cut) return false;
  b.steps += units;
  if (b.steps > kMaxSteps) {
    Cut();
    return false;
  }
  return true;
}

uint64_t LimitHits() { return tl_budget.hits; }

void CutShort() { Cut(); }

bool StringFits(size_t bytes) {
  if (bytes > kMaxStringBytes) {
    Cut();
    return false;
  }
  return Spend(bytes / 64);
}

EvaluationScope::EvaluationScope() {
  if (tl_budget.entered++ == 0) {
    tl_budget.steps = 0;
    tl_budget.calls = 0;
    tl_budget.cut = false;
  }
}

EvaluationScope::~EvaluationScope() { --tl_budget.entered; }

CallFrame::CallFrame() : ok_(false) {
  if (tl_budget.calls >= kMaxCallDepth) {  // runaway recursion: stop before the stack does
    Cut();
    return;
  }
  if (!Spend(1)) return;
  ++tl_budget.calls;
  ok_ = true;
}

CallFrame::~CallFrame() {
  if (ok_) --tl_budget.calls;
}

// An expression's free names (FreeNames in feel_parser.cc), each looked up from the scope
// the evaluation started in at most once. Lives on the stack of one evaluation.
struct FreeNameCache {
  struct Slot {
    bool done = false;
    const Value* value = nullptr;
  };
  const Node* owner;   // the expression's root, which numbered the slots
  const Scope* start;  // where the evaluation started
  boost::container::small_vector<Slot, 16> slots;
};

namespace {

// The variable a name means in `s` (null if none: then a built-in, or nothing). A free name
// is the same anywhere in its expression, so it is looked up from the start once.
const Value* Variable(const Node& n, const Scope& s) {
  if (n.boundBy)
    if (const Value* v = s.LoopVariable(n.boundBy, n.boundIndex)) return v;
  if (n.freeSlot >= 0)
    if (FreeNameCache* c = s.cache(); c && c->owner == n.slotOwner) {
      auto& slot = c->slots[static_cast<size_t>(n.freeSlot)];
      if (!slot.done) {
        slot.value = c->start->LookupVariable(n.name, n.nameHash);
        slot.done = true;
      }
      return slot.value;
    }
  return s.LookupVariable(n.name, n.nameHash);
}

const Value kNullValue;

const Value* Existing(const Node& n, const Scope& s);

const Value* ExistingMember(const Node& n, const Scope& s) {
  const Value* base = Existing(*n.kids[0], s);
  if (!base || !base->Is(K::kContext)) return nullptr;
  // Where the member was last time: a hint only, so a relaxed atomic is enough.
  size_t was = n.memberHint.load(), hint = was;
  const Value* m = base->AsContext().Find(n.name, hint);
  if (hint != was) n.memberHint.store(hint);  // no write (to memory threads share) if the same
  return m ? m : &kNullValue;
}

// The value of a literal, a variable or an entry of a context held by one, where it already
// is (valid while the scope is); null for anything that has to be computed.
inline const Value* Existing(const Node& n, const Scope& s) {
  switch (n.op) {
    case Op::kLiteral:
      return &n.value;
    case Op::kName: {
      const Value* v = Variable(n, s);
      if (!v) v = n.builtin;
      return v ? v : &kNullValue;
    }
    case Op::kPath:
      return ExistingMember(n, s);
    default:
      return nullptr;
  }
}

// An operand of an operator: the value where it already is, else computed and held here.
class Operand {
 public:
  Operand(const Node& n, const Scope& s) : v_(Existing(n, s)) {
    if (!v_) v_ = &own_.emplace(Eval(n, s));
  }
  Operand(const Operand&) = delete;
  Operand& operator=(const Operand&) = delete;
  const Value& operator*() const { return *v_; }
  const Value* operator->() const { return v_; }

 private:
  std::optional<Value> own_;
  const Value* v_;
};

// A condition's value without building a Value: true, false, or neither (null or not a
// boolean), which is all `and`, `or`, `if`, `some`, `every` and filters look at.
enum class Tri : int8_t { kFalse, kTrue, kNeither };

Tri ToTri(const Value& v) {
  if (!v.Is(K::kBoolean)) return Tri::kNeither;
  return v.AsBool() ? Tri::kTrue : Tri::kFalse;
}
Tri ToTri(std::optional<bool> b) {
  if (!b) return Tri::kNeither;
  return *b ? Tri::kTrue : Tri::kFalse;
}
Value FromTri(Tri t) { return t == Tri::kNeither ? Value() : Value(t == Tri::kTrue); }

Tri EvalBool(const Node& n, const Scope& s);

Tri Quantified(const Node& n, const Scope& s, bool every);

// Whether a node can only give a boolean or null (so a filter with it is not an index).
bool GivesBoolean(const Node& n) {
  switch (n.op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
    case Op::kAnd:
    case Op::kOr:
    case Op::kBetween:
    case Op::kIn:
    case Op::kInstanceOf:
    case Op::kSome:
    case Op::kEvery:
      return true;
    default:
      return false;
  }
}

// A FEEL `function(...)` value: its parameters, body and the variables it closed over.
class Lambda final : public Function {
 public:
  Lambda(const Node& def, std::shared_ptr<const Node> keep,
         std::vector<std::pair<std::string, Value>> captured)
      : def_(def), keep_(std::move(keep)), captured_(std::move(captured)) {
    if (!def.function) sigs_.push_back(def.names);
  }
  const std::vector<std::vector<std::string>>& Signatures() const override {
    return def_.function ? def_.function->signature : sigs_;
  }
  Value Call(const std::vector<Value>& args) const override {
    if (args.size() != def_.names.size() || def_.external) return Value();
    CallFrame frame_guard;
    if (!frame_guard.ok()) return Value();
    Scope closure;
    for (const auto& [k, v] : captured_) closure.Bind(k, &v);
    Scope frame(&closure);
    for (size_t i = 0; i < args.size(); ++i) {
      const Type& t = def_.paramTypes[i];
      if (t.kind != Type::Kind::kAny && t.kind != Type::Kind::kUnknown && !Conforms(args[i], t))
        return Value();
      frame.Bind(def_.names[i], &args[i]);
    }
    return Eval(*def_.kids[0], frame);
  }

 private:
  const Node& def_;
  std::shared_ptr<const Node> keep_;
  std::vector<std::pair<std::string, Value>> captured_;
  std::vector<std::vector<std::string>> sigs_;
};

// The variables a function definition closes over: those its body uses (all of them when
// that is not known).
std::vector<std::pair<std::string, Value>> Capture(const Scope& s, const FunctionDefInfo* info) {
  std::vector<std::pair<std::string, Value>> out;
  // Innermost first; later duplicates are shadowed, so keep the first of each name and
  // insert outer ones before inner ones (Scope::Lookup searches from the back).
  std::vector<const Scope*> chain;
  for (const Scope* p = &s; p; p = p->parent()) chain.push_back(p);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    (*it)->AppendTo(out, info ? &info->mentioned : nullptr);
  return out;
}

bool IsTemporal(const Value& v) { return v.Is(K::kDate) || v.Is(K::kDateTime) || v.Is(K::kTime); }

Value DateToDateTime(const Value& v) {
  if (v.Is(K::kDate)) return FDateTime{v.AsDate(), FTime{}};
  return v;
}

Value AddDayTime(const Value& t, const Decimal& secs) {
  if (t.Is(K::kDateTime)) {
    return FromEpochSeconds(EpochSeconds(t.AsDateTime()) + secs, t.AsDateTime().time);
  }
  if (t.Is(K::kDate)) {
    FDateTime dt{t.AsDate(), FTime{}};
    FDateTime r = FromEpochSeconds(EpochSeconds(dt) + secs, dt.time);
    return r.date;
  }
  if (t.Is(K::kTime)) {
    const FTime& tm = t.AsTime();
    Decimal local = Decimal(tm.hour * 3600 + tm.minute * 60 + tm.second) +
                    Decimal(tm.nanos) / 1000000000 + secs;
    Decimal day = 86400;
    local = local - mp::floor(local / day) * day;
    FTime out = tm;
    Decimal whole = mp::floor(local);
    int64_t w = whole.convert_to<int64_t>();
    out.hour = static_cast<int>(w / 3600);
    out.minute = static_cast<int>((w / 60) % 60);
    out.second = static_cast<int>(w % 60);
    out.nanos = ((local - whole) * 1000000000).convert_to<int64_t>();
    return out;
  }
  return Value();
}

Value Subtract(const Value& a, const Value& b);

Value Add(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return Value();
  if (a.Is(K::kNumber) && b.Is(K::kNumber)) return Value(a.AsNumber() + b.AsNumber());
  if (a.Is(K::kString) && b.Is(K::kString)) {
    if (!StringFits(a.AsString().size() + b.AsString().size())) return Value();
    return a.AsString() + b.AsString();
  }
  if (a.Is(K::kDayTimeDuration) && b.Is(K::kDayTimeDuration))
    return DayTimeDuration{a.AsDayTime().seconds + b.AsDayTime().seconds};
  if (a.Is(K::kYearMonthDuration) && b.Is(K::kYearMonthDuration))
    return YearMonthDuration{a.AsYearMonth().months + b.AsYearMonth().months};
  if (IsTemporal(a) && b.Is(K::kDayTimeDuration)) return AddDayTime(a, b.AsDayTime().seconds);
  if (IsTemporal(b) && a.Is(K::kDayTimeDuration)) return AddDayTime(b, a.AsDayTime().seconds);
  if ((a.Is(K::kDate) || a.Is(K::kDateTime)) && b.Is(K::kYearMonthDuration))
    return AddMonths(a, b.AsYearMonth().months);
  if ((b.Is(K::kDate) || b.Is(K::kDateTime)) && a.Is(K::kYearMonthDuration))
    return AddMonths(b, a.AsYearMonth().months);
  return Value();
}

Value Subtract(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return Value();
  if (a.Is(K::kNumber) && b.Is(K::kNumber)) return Value(a.AsNumber() - b.AsNumber());
  if (a.Is(K::kDayTimeDuration) && b.Is(K::kDayTimeDuration))
    return DayTimeDuration{a.AsDayTime().seconds - b.AsDayTime().seconds};
  if (a.Is(K::kYearMonthDuration) && b.Is(K::kYearMonthDuration))
    return YearMonthDuration{a.AsYearMonth().months - b.AsYearMonth().months};
  if (IsTemporal(a) && b.Is(K::kDayTimeDuration)) return AddDayTime(a, -b.AsDayTime().seconds);
  if ((a.Is(K::kDate) || a.Is(K::kDateTime)) && b.Is(K::kYearMonthDuration))
    return AddMonths(a, -b.AsYearMonth().months);
  if ((a.Is(K::kDate) || a.Is(K::kDateTime)) && (b.Is(K::kDate) || b.Is(K::kDateTime))) {
    Value x = DateToDateTime(a), y = DateToDateTime(b);
    const auto &dx = x.AsDateTime(), &dy = y.AsDateTime();
    if (dx.time.offsetSeconds.has_value() != dy.time.offsetSeconds.has_value()) return Value();
    return DayTimeDuration{EpochSeconds(dx) - EpochSeconds(dy)};
  }
  if (a.Is(K::kTime) && b.Is(K::kTime)) {
    const auto &x = a.AsTime(), &y = b.AsTime();
    if (x.offsetSeconds.has_value() != y.offsetSeconds.has_value()) return Value();
    return DayTimeDuration{DaySeconds(x) - DaySeconds(y)};
  }
  return Value();
}

Value Multiply(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return Value();
  if (a.Is(K::kNumber) && b.Is(K::kNumber)) return Value(a.AsNumber() * b.AsNumber());
  if (a.Is(K::kDayTimeDuration) && b.Is(K::kNumber))
    return DayTimeDuration{a.AsDayTime().seconds * b.AsNumber()};
  if (b.Is(K::kDayTimeDuration) && a.Is(K::kNumber))
    return DayTimeDuration{b.AsDayTime().seconds * a.AsNumber()};
  auto ym = [](int64_t months, const Decimal& n) -> Value {
    Decimal r = Decimal(months) * n;
    return YearMonthDuration{mp::trunc(r).convert_to<int64_t>()};
  };
  if (a.Is(K::kYearMonthDuration) && b.Is(K::kNumber))
    return ym(a.AsYearMonth().months, b.AsNumber());
  if (b.Is(K::kYearMonthDuration) && a.Is(K::kNumber))
    return ym(b.AsYearMonth().months, a.AsNumber());
  return Value();
}

Value Divide(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return Value();
  if (b.Is(K::kNumber) && b.AsNumber().is_zero()) return Value();
  if (a.Is(K::kNumber) && b.Is(K::kNumber)) return Value(a.AsNumber() / b.AsNumber());
  if (a.Is(K::kDayTimeDuration) && b.Is(K::kNumber))
    return DayTimeDuration{a.AsDayTime().seconds / b.AsNumber()};
  if (a.Is(K::kYearMonthDuration) && b.Is(K::kNumber)) {
    Decimal r = Decimal(a.AsYearMonth().months) / b.AsNumber();
    return YearMonthDuration{mp::trunc(r).convert_to<int64_t>()};
  }
  if (a.Is(K::kDayTimeDuration) && b.Is(K::kDayTimeDuration)) {
    if (b.AsDayTime().seconds.is_zero()) return Value();
    return Value(a.AsDayTime().seconds / b.AsDayTime().seconds);
  }
  if (a.Is(K::kYearMonthDuration) && b.Is(K::kYearMonthDuration)) {
    if (b.AsYearMonth().months == 0) return Value();
    return Value(Decimal(a.AsYearMonth().months) / Decimal(b.AsYearMonth().months));
  }
  return Value();
}

Value Power(const Value& a, const Value& b) {
  if (!a.Is(K::kNumber) || !b.Is(K::kNumber)) return Value();
  const Decimal &x = a.AsNumber(), &y = b.AsNumber();
  if (auto e = ToInt64(y); e && *e >= -1000 && *e <= 1000) {
    Decimal r = 1;
    Decimal base = *e < 0 ? Decimal(1) / x : x;
    if (*e < 0 && x.is_zero()) return Value();
    for (int64_t k = 0; k < (*e < 0 ? -*e : *e); ++k) r *= base;
    return Value(r);
  }
  if (x < 0) return Value();
  return Value(Decimal(mp::pow(x, y)));
}

// Value of a property of a date, time, duration or range (`d.year`, `r.start`).
Value Property(const Value& v, const std::string& name) {
  switch (v.kind()) {
    case K::kDate:
    case K::kDateTime: {
      const FDate& d = v.Is(K::kDate) ? v.AsDate() : v.AsDateTime().date;
      if (name == "year") return Value(d.year);
      if (name == "month") return Value(d.month);
      if (name == "day") return Value(d.day);
      if (name == "weekday") {
        int64_t days = DaysFromCivil(d.year, d.month, d.day);
        int64_t wd = ((days % 7) + 7 + 3) % 7 + 1;  // 1970-01-01 was a Thursday (4)
        return Value(wd);
      }
      if (v.Is(K::kDate)) return Value();
      [[fallthrough]];
    }
    case K::kTime: {
      const FTime& t = v.Is(K::kTime) ? v.AsTime() : v.AsDateTime().time;
      if (name == "hour") return Value(t.hour);
      if (name == "minute") return Value(t.minute);
      if (name == "second") return Value(Decimal(t.second) + Decimal(t.nanos) / 1000000000);
      if (name == "time offset") {
        if (!t.offsetSeconds || !t.zone.empty()) return Value();
        return DayTimeDuration{Decimal(*t.offsetSeconds)};
      }
      if (name == "timezone") return t.zone.empty() ? Value() : Value(t.zone);
      return Value();
    }
    case K::kDayTimeDuration: {
      const Decimal& s = v.AsDayTime().seconds;
      Decimal a = mp::abs(s);
      int sign = s < 0 ? -1 : 1;
      int64_t w = mp::floor(a).convert_to<int64_t>();
      if (name == "days") return Value(sign * (w / 86400));
      if (name == "hours") return Value(sign * ((w / 3600) % 24));
      if (name == "minutes") return Value(sign * ((w / 60) % 60));
      if (name == "seconds") {
        Decimal r = Decimal(w % 60) + (a - mp::floor(a));
        return Value(sign < 0 ? Decimal(-r) : r);
      }
      return Value();
    }
    case K::kYearMonthDuration: {
      int64_t m = v.AsYearMonth().months;
      if (name == "years") return Value(m / 12);
      if (name == "months") return Value(m % 12);
      return Value();
    }
    case K::kRange: {
      const Range& r = v.AsRange();
      if (name == "start") return r.start;
      if (name == "end") return r.end;
      if (name == "start included") return r.startIncluded;
      if (name == "end included") return r.endIncluded;
      return Value();
    }
    default:
      return Value();
  }
}

Value Member(const Value& v, const std::string& name) {
  if (v.Is(K::kContext)) {
    const Value* m = v.AsContext().Find(name);
    return m ? *m : Value();
  }
  if (v.Is(K::kList)) {
    List out;
    for (const auto& e : v.AsList()) out.push_back(Member(e, name));
    return out;
  }
  return Property(v, name);
}

std::optional<bool> InRange(const Value& x, const Range& r) {
  if (!r.start.IsNull()) {
    auto c = Compare(x, r.start);
    if (!c) return std::nullopt;
    if (*c < 0 || (*c == 0 && !r.startIncluded)) return false;
  }
  if (!r.end.IsNull()) {
    auto c = Compare(x, r.end);
    if (!c) return std::nullopt;
    if (*c > 0 || (*c == 0 && !r.endIncluded)) return false;
  }
  if (r.start.IsNull() && r.end.IsNull()) return std::nullopt;
  return true;
}

// One positive unary test against `input`; nullopt when it cannot be decided.
std::optional<bool> TestOne(const Node& t, const Value& input, const Scope& s) {
  Scope q(&s);
  q.Bind("?", &input);
  switch (t.op) {
    case Op::kTestAny:
      return true;
    case Op::kTestCompare: {
      Value v = Eval(*t.kids[0], q);
      if (t.name == "=") return Equal(input, v);
      if (t.name == "!=") {
        auto e = Equal(input, v);
        if (!e) return std::nullopt;
        return !*e;
      }
      auto c = Compare(input, v);
      if (!c) return std::nullopt;
      if (t.name == "<") return *c < 0;
      if (t.name == "<=") return *c <= 0;
      if (t.name == ">") return *c > 0;
      return *c >= 0;
    }
    case Op::kTestExpr: {
      Value v = Eval(*t.kids[0], q);
      if (t.usesQ && v.Is(K::kBoolean)) return v.AsBool();
      if (v.Is(K::kRange)) return InRange(input, v.AsRange());
      if (v.Is(K::kList) && input.Is(K::kList)) {
        for (const auto& e : v.AsList())
          if (Equal(input, e).value_or(false)) return true;
      }
      if (v.Is(K::kList) && !input.Is(K::kList)) {
        for (const auto& e : v.AsList()) {
          if (e.Is(K::kRange)) {
            if (InRange(input, e.AsRange()).value_or(false)) return true;
          } else if (Equal(input, e).value_or(false)) {
            return true;
          }
        }
        return false;
      }
      auto e = Equal(input, v);
      if (e && *e) return true;
      if (v.Is(K::kBoolean) && v.AsBool() && !input.Is(K::kBoolean)) return true;
      return e;
    }
    default: {
      Value v = Eval(t, q);
      return Equal(input, v);
    }
  }
}

std::optional<bool> TestAll(const Node& tests, const Value& input, const Scope& s) {
  if (tests.op == Op::kTestAny) return true;
  if (tests.op != Op::kTests) return TestOne(tests, input, s);
  bool unknown = false;
  bool any = false;
  for (const auto& k : tests.kids) {
    auto r = TestOne(*k, input, s);
    if (!r)
      unknown = true;
    else if (*r) {
      any = true;
      break;
    }
  }
  if (tests.negated) {
    if (any) return false;
    if (unknown) return std::nullopt;
    return true;
  }
  if (any) return true;
  if (unknown) return std::nullopt;
  return false;
}

Value CallFunction(const Value& fnv, const Node& call, const Scope& s) {
  if (!fnv.Is(K::kFunction)) return Value();
  const Function& fn = *fnv.AsFunction();
  std::vector<Value> args;
  if (!call.namedArgs) {
    for (size_t i = 1; i < call.kids.size(); ++i) args.push_back(Eval(*call.kids[i], s));
    return fn.Call(args);
  }
  // Named: the overload whose parameters include every name given.
  for (const auto& sig : fn.Signatures()) {
    bool fits = true;
    for (const auto& n : call.names)
      if (std::find(sig.begin(), sig.end(), n) == sig.end()) fits = false;
    if (!fits) continue;
    args.assign(sig.size(), Value());
    size_t used = 0;
    for (size_t i = 0; i < call.names.size(); ++i) {
      size_t at =
          static_cast<size_t>(std::find(sig.begin(), sig.end(), call.names[i]) - sig.begin());
      args[at] = Eval(*call.kids[i + 1], s);
      used = std::max(used, at + 1);
    }
    // Optional trailing parameters not given are absent, not null.
    if (!fn.Variadic() && &sig != &fn.Signatures().front())
      args.resize(sig.size());
    else
      args.resize(std::max(used, fn.Signatures().size() == 1 ? sig.size() : used));
    return fn.Call(args);
  }
  return Value();
}

Value Filter(const Value& target, const Node& f, const Scope& s) {
  List single;
  const List* list = &single;
  if (target.Is(K::kList))
    list = &target.AsList();
  else if (target.IsNull())
    return Value();
  else
    single = {target};
  const List& items = *list;
  if (f.op == Op::kLiteral && f.value.Is(K::kNumber)) {
    auto idx = ToInt64(f.value.AsNumber());
    if (!idx || *idx == 0) return Value();
    int64_t n = static_cast<int64_t>(items.size());
    int64_t at = *idx > 0 ? *idx - 1 : n + *idx;
    if (at < 0 || at >= n) return Value();
    return items[static_cast<size_t>(at)];
  }
  if (!Spend(items.size())) return Value();
  List out;
  out.reserve(items.size());
  if (f.op == Op::kNe && f.kids[0]->op == Op::kName && f.kids[0]->name == "item" &&
      f.kids[1]->op == Op::kLiteral && f.kids[1]->value.IsNull()) {
    // `[item != null]`: an item that is not a context is kept when it is not null (a context
    // item's own entry named "item" would be meant: that one is tested as written).
    for (const auto& item : items) {
      if (!item.Is(K::kContext)) {
        if (!item.IsNull()) out.push_back(item);
        continue;
      }
      Scope inner(&s);
      inner.SetContext(&item.AsContext());
      inner.Bind("item", &item);
      if (EvalBool(f, inner) == Tri::kTrue) out.push_back(item);
    }
    return out;
  }
  if (GivesBoolean(f)) {  // never an index: no need for the value itself
    for (const auto& item : items) {
      Scope inner(&s);
      if (item.Is(K::kContext)) inner.SetContext(&item.AsContext());
      inner.Bind("item", &item);
      if (EvalBool(f, inner) == Tri::kTrue) out.push_back(item);
    }
    return out;
  }
  bool first = true;
  for (const auto& item : items) {
    Scope inner(&s);
    if (item.Is(K::kContext)) inner.SetContext(&item.AsContext());
    inner.Bind("item", &item);
    Value r = Eval(f, inner);
    if (first && r.Is(K::kNumber)) {
      auto idx = ToInt64(r.AsNumber());
      if (!idx || *idx == 0) return Value();
      int64_t n = static_cast<int64_t>(items.size());
      int64_t at = *idx > 0 ? *idx - 1 : n + *idx;
      if (at < 0 || at >= n) return Value();
      return items[static_cast<size_t>(at)];
    }
    first = false;
    if (r.IsTrue()) out.push_back(item);
  }
  return out;
}

// The items of an iteration domain. A list value is borrowed, not copied: `keep` holds it.
// Not movable once filled (`list` may point into `own`).
struct Items {
  Value keep;
  List own;
  const List* list = &own;
  Items() = default;
  Items(const Items&) = delete;
  Items& operator=(const Items&) = delete;
};

// Iteration domains of `for` / `some` / `every`; false when there is none (null).
bool Domain(const Node& d, const Scope& s, Items& out) {
  List& own = out.own;
  if (d.op == Op::kIterRange) {
    Value a = Eval(*d.kids[0], s), b = Eval(*d.kids[1], s);
    if (a.Is(K::kDate) && b.Is(K::kDate)) {  // a day at a time
      int64_t x = DaysFromCivil(a.AsDate().year, a.AsDate().month, a.AsDate().day);
      int64_t y = DaysFromCivil(b.AsDate().year, b.AsDate().month, b.AsDate().day);
      if (!Spend(static_cast<uint64_t>(std::abs(y - x)) + 1)) return false;
      for (int64_t i = x; x <= y ? i <= y : i >= y; i += x <= y ? 1 : -1)
        own.push_back(CivilFromDays(i));
      return true;
    }
    if (!a.Is(K::kNumber) || !b.Is(K::kNumber)) return false;
    auto x = ToInt64(a.AsNumber()), y = ToInt64(b.AsNumber());
    if (!x || !y) return false;
    if (!Spend(static_cast<uint64_t>(std::abs(*y - *x)) + 1)) return false;
    if (*x <= *y) {
      for (int64_t i = *x; i <= *y; ++i) own.push_back(Value(i));
    } else {
      for (int64_t i = *x; i >= *y; --i) own.push_back(Value(i));
    }
    return true;
  }
  const Value* existing = Existing(d, s);  // a variable's list is borrowed as it is
  if (!existing) out.keep = Eval(d, s);
  const Value& v = existing ? *existing : out.keep;
  if (v.Is(K::kList)) {
    out.list = &v.AsList();
    return Spend(out.list->size());
  }
  if (v.Is(K::kRange)) {
    const Range& r = v.AsRange();
    if (!r.start.Is(K::kNumber) || !r.end.Is(K::kNumber)) return false;
    auto x = ToInt64(r.start.AsNumber()), y = ToInt64(r.end.AsNumber());
    if (!x || !y) return false;
    if (!Spend(static_cast<uint64_t>(std::abs(*y - *x)) + 1)) return false;
    for (int64_t i = *x + (r.startIncluded ? 0 : 1); i <= *y - (r.endIncluded ? 0 : 1); ++i)
      own.push_back(Value(i));
    return true;
  }
  if (v.IsNull()) return false;
  own.push_back(v);
  return true;
}

// The body of a `for`, with `partial` (the results so far) bound only when the body uses it.
Value ForBody(const Node& n, const Scope& sc, const List& results) {
  if (!n.usesPartial) return Eval(*n.kids.back(), sc);
  if (!Spend(results.size())) return Value();  // `partial` is a copy of the results so far
  Scope p(&sc);
  p.Put("partial", results);
  return Eval(*n.kids.back(), p);
}

Value For(const Node& n, const Scope& s) {
  size_t vars = n.names.size();
  List results;
  if (vars == 1) {  // the usual case, without the recursion
    Items dom;
    if (!Domain(*n.kids[0], s, dom)) return Value();
    results.reserve(dom.list->size());
    for (const auto& item : *dom.list) {
      Scope inner(&s);
      inner.Bind(n.names[0], &item);
      inner.SetBinder(&n, 0);
      results.push_back(ForBody(n, inner, results));
    }
    return results;
  }
  bool ok = true;
  std::function<void(size_t, const Scope&)> loop = [&](size_t k, const Scope& sc) {
    if (!ok) return;
    if (k == vars) {
      results.push_back(ForBody(n, sc, results));
      return;
    }
    Items dom;
    if (!Domain(*n.kids[k], sc, dom)) {
      ok = false;
      return;
    }
    for (const auto& item : *dom.list) {
      Scope inner(&sc);
      inner.Bind(n.names[k], &item);
      inner.SetBinder(&n, static_cast<int>(k));
      loop(k + 1, inner);
    }
  };
  loop(0, s);
  if (!ok) return Value();
  return results;
}

// `some x in A satisfies list contains(B, x)` / `every ...` where `list contains` is the
// built-in: B evaluated once (it does not mention x), then the same answer as the loop.
Tri QuantifiedContains(const Node& n, const Scope& s, bool every) {
  Items dom;
  if (!Domain(*n.kids[0], s, dom)) return Tri::kNeither;
  const Node& call = *n.kids.back();
  Operand b(*call.kids[1], s);
  for (const auto& x : *dom.list) {
    bool r = false;  // list contains(b, x) is true
    if (b->Is(K::kList)) {
      if (x.Is(K::kString)) {
        for (const auto& e : b->AsList())
          r = r || (e.Is(K::kString) && e.AsString() == x.AsString());
      } else {
        for (const auto& e : b->AsList()) r = r || Equal(e, x).value_or(false);
      }
    }
    if (every ? !r : r) return every ? Tri::kFalse : Tri::kTrue;
  }
  return every ? Tri::kTrue : Tri::kFalse;
}

Tri Quantified(const Node& n, const Scope& s, bool every) {
  size_t vars = n.names.size();
  Tri done = every ? Tri::kFalse : Tri::kTrue;  // the answer once one item decides it
  if (n.quantifiedContains) {
    const Node& callee = *n.kids.back()->kids[0];
    if (!Variable(callee, s)) return QuantifiedContains(n, s, every);
  }
  if (vars == 1) {  // the usual case, without the recursion
    Items dom;
    if (!Domain(*n.kids[0], s, dom)) return Tri::kNeither;
    for (const auto& item : *dom.list) {
      Scope inner(&s);
      inner.Bind(n.names[0], &item);
      inner.SetBinder(&n, 0);
      bool r = EvalBool(*n.kids.back(), inner) == Tri::kTrue;
      if (every ? !r : r) return done;
    }
    return every ? Tri::kTrue : Tri::kFalse;
  }
  bool found = false, ok = true;
  std::function<void(size_t, const Scope&)> loop = [&](size_t k, const Scope& sc) {
    if (found || !ok) return;
    if (k == vars) {
      bool r = EvalBool(*n.kids.back(), sc) == Tri::kTrue;
      if (every ? !r : r) found = true;
      return;
    }
    Items dom;
    if (!Domain(*n.kids[k], sc, dom)) {
      ok = false;
      return;
    }
    for (const auto& item : *dom.list) {
      Scope inner(&sc);
      inner.Bind(n.names[k], &item);
      inner.SetBinder(&n, static_cast<int>(k));
      loop(k + 1, inner);
    }
  };
  loop(0, s);
  if (!ok) return Tri::kNeither;
  if (found) return done;
  return every ? Tri::kTrue : Tri::kFalse;
}

// Small counts as number values, made once.
const std::vector<Value> kSmallCounts = [] {
  std::vector<Value> v;
  for (int i = 0; i < 64; ++i) v.emplace_back(i);
  return v;
}();

// A count as a number value: small ones are copied from the table, not converted each time.
Value Count(size_t n) {
  return n < kSmallCounts.size() ? kSmallCounts[n] : Value(static_cast<int64_t>(n));
}

// `list contains(list, x)`: null when `list` is not a list.
Tri ListContains(const Value& list, const Value& x) {
  if (!list.Is(K::kList)) return Tri::kNeither;
  if (x.Is(K::kString)) {  // Equal, for a string: another string with the same characters
    const std::string& want = x.AsString();
    for (const auto& v : list.AsList())
      if (v.Is(K::kString) && SameName(v.AsString(), want)) return Tri::kTrue;
    return Tri::kFalse;
  }
  for (const auto& v : list.AsList())
    if (Equal(v, x).value_or(false)) return Tri::kTrue;
  return Tri::kFalse;
}

// Whether `call` calls a built-in run inline, by its name meaning it, without named
// arguments; then which one.
InlineFn InlineCall(const Node& call, const Scope& s) {
  const Node& callee = *call.kids[0];
  if (call.namedArgs || callee.op != Op::kName || callee.inlineBuiltin == InlineFn::kNone ||
      !callee.builtin || Variable(callee, s))
    return InlineFn::kNone;
  return callee.inlineBuiltin;
}

// `list contains`, `count` and `not` called by name where the name means the built-in: the
// same answers as the built-ins (builtins.cc), without building an argument list.
std::optional<Value> InlineBuiltin(const Node& callee, const Node& call, const Scope& s) {
  size_t args = call.kids.size() - 1;
  if (callee.inlineBuiltin == InlineFn::kListContains && args == 2) {
    Operand list(*call.kids[1], s), x(*call.kids[2], s);
    return FromTri(ListContains(*list, *x));
  }
  if (callee.inlineBuiltin == InlineFn::kCount && args == 1) {
    Operand v(*call.kids[1], s);
    if (v->IsNull()) return Value();
    return Count(v->Is(K::kList) ? v->AsList().size() : 1);
  }
  if (callee.inlineBuiltin == InlineFn::kNot && args == 1) {
    Operand v(*call.kids[1], s);
    if (!v->Is(K::kBoolean)) return Value();
    return Value(!v->AsBool());
  }
  if (callee.inlineBuiltin == InlineFn::kSort && args == 2 &&
      call.kids[2]->op == Op::kFunctionDef && call.kids[2]->names.size() == 2 &&
      !call.kids[2]->external) {
    // sort(list, function(a, b) ...): the function's body run for each pair where it is
    // written, instead of making a function value and calling it (what it closes over is
    // what this scope has).
    const Node& fn = *call.kids[2];
    Value list = Eval(*call.kids[1], s);
    if (list.IsNull()) return Value();
    List items = list.Is(K::kList) ? list.AsList() : List{list};
    auto conforms = [&](const Value& v, size_t i) {
      const Type& t = fn.paramTypes[i];
      return t.kind == Type::Kind::kAny || t.kind == Type::Kind::kUnknown || Conforms(v, t);
    };
    bool ok = MergeSort(items, [&](const Value& x, const Value& y) -> std::optional<bool> {
      if (!conforms(x, 0) || !conforms(y, 1)) return std::nullopt;
      Scope frame(&s);
      frame.Bind(fn.names[0], &x);
      frame.Bind(fn.names[1], &y);
      Tri r = EvalBool(*fn.kids[0], frame);
      if (r == Tri::kNeither) return std::nullopt;
      return r == Tri::kTrue;
    });
    if (!ok) return Value();
    return Value(std::move(items));
  }
  return std::nullopt;
}

Tri EvalBool(const Node& n, const Scope& s) {
  switch (n.op) {
    case Op::kAnd:
    case Op::kOr: {
      // As the spec's tables: false and x = false, true or x = true, otherwise null unless
      // both are booleans.
      bool isAnd = n.op == Op::kAnd;
      Tri decisive = isAnd ? Tri::kFalse : Tri::kTrue;
      Tri a = EvalBool(*n.kids[0], s);
      if (a == decisive) return decisive;
      Tri b = EvalBool(*n.kids[1], s);
      if (b == decisive) return decisive;
      if (a != Tri::kNeither && b != Tri::kNeither) return isAnd ? Tri::kTrue : Tri::kFalse;
      return Tri::kNeither;
    }
    case Op::kEq:
    case Op::kNe: {
      const Node& l = *n.kids[0];
      const Node& r = *n.kids[1];
      if (l.op == Op::kCall && l.kids.size() == 2 && r.op == Op::kLiteral &&
          r.value.Is(K::kNumber) && InlineCall(l, s) == InlineFn::kCount) {
        // `count(x) = 3`: the size compared with the number, no count value made.
        Operand x(*l.kids[1], s);
        bool eq = false;  // count(null) is null, and null = 3 is false
        if (!x->IsNull()) {
          size_t c = x->Is(K::kList) ? x->AsList().size() : 1;
          eq = c < kSmallCounts.size() ? kSmallCounts[c].AsNumber() == r.value.AsNumber()
                                       : Decimal(static_cast<int64_t>(c)) == r.value.AsNumber();
        }
        return (n.op == Op::kEq) == eq ? Tri::kTrue : Tri::kFalse;
      }
      std::optional<bool> e;
      const Value* x = Existing(l, s);
      const Value* y = x ? Existing(r, s) : nullptr;
      if (x && y) {  // both where they are: no operands to make
        e = Equal(*x, *y);
      } else {
        Operand a(l, s), b(r, s);
        e = Equal(*a, *b);
      }
      if (!e) return Tri::kNeither;
      return (n.op == Op::kEq) == *e ? Tri::kTrue : Tri::kFalse;
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      std::optional<int> c;
      const Value* x = Existing(*n.kids[0], s);
      const Value* y = x ? Existing(*n.kids[1], s) : nullptr;
      if (x && y) {  // both where they are: no operands to make
        c = Compare(*x, *y);
      } else {
        Operand a(*n.kids[0], s), b(*n.kids[1], s);
        c = Compare(*a, *b);
      }
      if (!c) return Tri::kNeither;
      bool r = n.op == Op::kLt   ? *c < 0
               : n.op == Op::kLe ? *c <= 0
               : n.op == Op::kGt ? *c > 0
                                 : *c >= 0;
      return r ? Tri::kTrue : Tri::kFalse;
    }
    case Op::kIf:
      return EvalBool(*n.kids[0], s) == Tri::kTrue ? EvalBool(*n.kids[1], s)
                                                   : EvalBool(*n.kids[2], s);
    case Op::kSome:
      return Quantified(n, s, false);
    case Op::kEvery:
      return Quantified(n, s, true);
    case Op::kLiteral:
    case Op::kName:
    case Op::kPath:
      if (const Value* v = Existing(n, s)) return ToTri(*v);
      break;
    case Op::kCall:
      switch (InlineCall(n, s)) {
        case InlineFn::kListContains:
          if (n.kids.size() == 3) {
            Operand list(*n.kids[1], s), x(*n.kids[2], s);
            return ListContains(*list, *x);
          }
          break;
        case InlineFn::kNot:  // not(x): null unless x is a boolean
          if (n.kids.size() == 2) {
            Tri t = EvalBool(*n.kids[1], s);
            return t == Tri::kNeither ? t : t == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
          }
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
  return ToTri(Eval(n, s));
}

Value Eval(const Node& n, const Scope& s) {
  switch (n.op) {
    case Op::kLiteral:
      return n.value;
    case Op::kName: {
      const Value* v = Variable(n, s);
      if (!v) v = n.builtin;  // null when the name is not a built-in either
      return v ? *v : Value();
    }
    case Op::kPath: {
      Operand v(*n.kids[0], s);
      return Member(*v, n.name);
    }
    case Op::kFilter: {
      Operand v(*n.kids[0], s);
      return Filter(*v, *n.kids[1], s);
    }
    case Op::kCall: {
      const Node& callee = *n.kids[0];
      if (callee.op == Op::kName && callee.builtin && !Variable(callee, s)) {
        if (!n.namedArgs && callee.inlineBuiltin != InlineFn::kNone)
          if (auto r = InlineBuiltin(callee, n, s)) return std::move(*r);
        return CallFunction(*callee.builtin, n, s);
      }
      return CallFunction(Eval(callee, s), n, s);
    }
    case Op::kNeg: {
      Operand v(*n.kids[0], s);
      if (v->Is(K::kNumber)) return Value(Decimal(-v->AsNumber()));
      if (v->Is(K::kDayTimeDuration)) return DayTimeDuration{-v->AsDayTime().seconds};
      if (v->Is(K::kYearMonthDuration)) return YearMonthDuration{-v->AsYearMonth().months};
      return Value();
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kPow: {
      Operand a(*n.kids[0], s), b(*n.kids[1], s);
      switch (n.op) {
        case Op::kAdd:
          return Add(*a, *b);
        case Op::kSub:
          return Subtract(*a, *b);
        case Op::kMul:
          return Multiply(*a, *b);
        case Op::kDiv:
          return Divide(*a, *b);
        default:
          return Power(*a, *b);
      }
    }
    case Op::kEq:
    case Op::kNe: {
      Operand a(*n.kids[0], s), b(*n.kids[1], s);
      auto e = Equal(*a, *b);
      if (!e) return Value();
      return n.op == Op::kEq ? *e : !*e;
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      Operand a(*n.kids[0], s), b(*n.kids[1], s);
      auto c = Compare(*a, *b);
      if (!c) return Value();
      switch (n.op) {
        case Op::kLt:
          return *c < 0;
        case Op::kLe:
          return *c <= 0;
        case Op::kGt:
          return *c > 0;
        default:
          return *c >= 0;
      }
    }
    case Op::kAnd:
    case Op::kOr:
      return FromTri(EvalBool(n, s));
    case Op::kBetween: {
      Operand x(*n.kids[0], s), lo(*n.kids[1], s), hi(*n.kids[2], s);
      auto a = Compare(*x, *lo), b = Compare(*x, *hi);
      if (!a || !b) return Value();
      return *a >= 0 && *b <= 0;
    }
    case Op::kIn: {
      Operand x(*n.kids[0], s);
      auto r = TestAll(*n.kids[1], *x, s);
      if (!r) return Value();
      return *r;
    }
    case Op::kInstanceOf: {
      Operand v(*n.kids[0], s);
      return Conforms(*v, n.type);
    }
    case Op::kIf:
      return EvalBool(*n.kids[0], s) == Tri::kTrue ? Eval(*n.kids[1], s) : Eval(*n.kids[2], s);
    case Op::kFor:
      return For(n, s);
    case Op::kIterRange:
      return Value();
    case Op::kSome:
      return FromTri(Quantified(n, s, false));
    case Op::kEvery:
      return FromTri(Quantified(n, s, true));
    case Op::kList: {
      List out;
      out.reserve(n.kids.size());
      for (const auto& k : n.kids) out.push_back(Eval(*k, s));
      return out;
    }
    case Op::kContext: {
      auto ctx = std::make_shared<Context>();
      ctx->entries.reserve(n.kids.size());
      Scope inner(&s);
      inner.SetContext(ctx.get());
      for (size_t i = 0; i < n.kids.size(); ++i) {
        Value v = Eval(*n.kids[i], inner);
        if (ctx->Find(n.names[i])) return Value();  // duplicate key
        ctx->entries.emplace_back(n.names[i], std::move(v));
      }
      return Value(std::shared_ptr<const Context>(ctx));
    }
    case Op::kRange: {
      Range r;
      if (n.kids[0]) r.start = Eval(*n.kids[0], s);
      if (n.kids[1]) r.end = Eval(*n.kids[1], s);
      r.startIncluded = n.startIncluded;
      r.endIncluded = n.endIncluded;
      if (n.kids[0] && n.kids[1]) {
        if (r.start.IsNull() && r.end.IsNull()) return Value();
        if (!r.start.IsNull() && !r.end.IsNull() && r.start.kind() != r.end.kind()) return Value();
        if (!r.start.IsNull() && !r.end.IsNull() && !Compare(r.start, r.end)) return Value();
      }
      return r;
    }
    case Op::kFunctionDef: {
      // Keep the tree alive as long as the function value: share ownership of this node.
      return Value(std::shared_ptr<const Function>(
          std::make_shared<Lambda>(n, nullptr, Capture(s, n.function.get()))));
    }
    case Op::kTests:
    case Op::kTestAny:
    case Op::kTestCompare:
    case Op::kTestExpr: {
      const Value* q = s.Lookup("?");
      auto r = TestAll(n, q ? *q : Value(), s);
      if (!r) return Value();
      return *r;
    }
  }
  return Value();
}

}  // namespace

void Scope::AppendTo(std::vector<std::pair<std::string, Value>>& out,
                     const std::vector<std::pair<uint64_t, std::string>>* only) const {
  auto wanted = [&](uint64_t hash, std::string_view name) {
    if (!only) return true;
    for (const auto& [h, n] : *only)
      if (h == hash && n == name) return true;
    return false;
  };
  for (const auto& e : vars_)
    if (wanted(e.hash, e.name)) out.emplace_back(std::string(e.name), *e.value);
  if (context_)  // last, so it wins, as in Lookup
    for (const auto& e : context_->entries)
      if (!only || wanted(NameHash(e.first), e.first)) out.push_back(e);
}

const Value* Scope::LookupVariable(std::string_view name, uint64_t hash, const void** tag) const {
  uint64_t bit = Bit(hash);
  // A context's own entries come first: in `xs[item > 1]` over contexts with an entry named
  // "item", that entry is meant.
  for (const Scope* p = this; p; p = p->parent_) {
    if (p->context_)
      if (const Value* v = p->context_->Find(name)) return v;
    if (p->bits_ & bit)
      for (auto it = p->vars_.rbegin(); it != p->vars_.rend(); ++it)
        if (it->hash == hash && SameName(it->name, name)) {
          if (tag) *tag = it->tag;
          return it->value;
        }
  }
  return nullptr;
}

const Value* Scope::Lookup(std::string_view name) const {
  if (const Value* v = LookupVariable(name)) return v;
  const auto& b = Builtins();
  auto it = b.find(std::string(name));
  return it == b.end() ? nullptr : &it->second;
}

bool Conforms(const Value& v, const Type& t) {
  using T = Type::Kind;
  switch (t.kind) {
    case T::kAny:
      return !v.IsNull();
    case T::kUnknown:
      return false;
    case T::kNull:
      return v.IsNull();
    case T::kBoolean:
      return v.Is(K::kBoolean);
    case T::kNumber:
      return v.Is(K::kNumber);
    case T::kString:
      return v.Is(K::kString);
    case T::kDate:
      return v.Is(K::kDate);
    case T::kTime:
      return v.Is(K::kTime);
    case T::kDateTime:
      return v.Is(K::kDateTime);
    case T::kDayTimeDuration:
      return v.Is(K::kDayTimeDuration);
    case T::kYearMonthDuration:
      return v.Is(K::kYearMonthDuration);
    case T::kList:
      if (!v.Is(K::kList)) return false;
      if (!t.params.empty())
        for (const auto& e : v.AsList())
          if (!e.IsNull() && !Conforms(e, t.params[0])) return false;
      return true;
    case T::kContext:
      if (!v.Is(K::kContext)) return false;
      for (const auto& [name, ft] : t.fields) {
        const Value* m = v.AsContext().Find(name);
        if (!m || !Conforms(*m, ft)) return false;
      }
      return true;
    case T::kRange:
      if (!v.Is(K::kRange)) return false;
      if (!t.params.empty()) {
        const Range& r = v.AsRange();
        if (!r.start.IsNull() && !Conforms(r.start, t.params[0])) return false;
        if (!r.end.IsNull() && !Conforms(r.end, t.params[0])) return false;
      }
      return true;
    case T::kFunction: {
      if (!v.Is(K::kFunction)) return false;
      if (t.params.empty()) return true;
      const auto& sigs = v.AsFunction()->Signatures();
      return !sigs.empty() && sigs[0].size() + 1 == t.params.size();
    }
  }
  return false;
}

Value Evaluate(const Node& node, const Scope& scope) {
  EvaluationScope evaluation;
  if (node.freeCount == 0) return Eval(node, scope);
  FreeNameCache cache{&node, &scope, {}};
  cache.slots.resize(static_cast<size_t>(node.freeCount));
  Scope start(&scope);
  start.SetCache(&cache);
  return Eval(node, start);
}

// ---- Fast unary tests ---------------------------------------------------------------------
// For the inputs it accepts, a fast path answers exactly what TestAll would (with unknown
// read as false, as Satisfies does); for any other input it declines and the tree is walked.

struct FastTests {
  // Literal tests: each positive test is `lit`, `= lit`, `!= lit`, `< lit`, `<= lit`, `> lit`
  // or `>= lit`, every literal a string, or every literal a number.
  enum class Cmp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
  struct Literal {
    Cmp op;  // kEq also for the literal alone
    Value value;
  };
  // List tests: one positive test, conditions on the input list joined by `and`.
  struct Atom {
    enum class Kind {
      kContains,      // list contains(?, "s")
      kSomeIn,        // some x in ? satisfies list contains(["a", "b"], x)
      kSomeNotEqual,  // some x in ? satisfies x != "s"
      kEveryEqual,    // every x in ? satisfies x = "s"
    } kind;
    std::vector<std::string> strings;
  };
  bool negated = false;
  K literalKind = K::kNull;  // kString or kNumber for literal tests
  std::vector<Literal> literals;
  std::vector<Atom> atoms;
  bool callsListContains = false;
};

namespace {

bool IsName(const Node& n, const std::string& name) { return n.op == Op::kName && n.name == name; }
bool IsString(const Node& n) { return n.op == Op::kLiteral && n.value.Is(K::kString); }
bool IsListContainsCall(const Node& n) {
  return n.op == Op::kCall && !n.namedArgs && n.kids.size() == 3 &&
         IsName(*n.kids[0], "list contains");
}

bool CompileAtoms(const Node& n, FastTests& f) {
  using A = FastTests::Atom::Kind;
  if (n.op == Op::kAnd) return CompileAtoms(*n.kids[0], f) && CompileAtoms(*n.kids[1], f);
  if (IsListContainsCall(n) && IsName(*n.kids[1], "?") && IsString(*n.kids[2])) {
    f.atoms.push_back({A::kContains, {n.kids[2]->value.AsString()}});
    f.callsListContains = true;
    return true;
  }
  if ((n.op != Op::kSome && n.op != Op::kEvery) || n.names.size() != 1 || n.kids.size() != 2 ||
      !IsName(*n.kids[0], "?"))
    return false;
  const std::string& var = n.names[0];
  const Node& body = *n.kids[1];
  if (n.op == Op::kSome && IsListContainsCall(body) && body.kids[1]->op == Op::kList &&
      IsName(*body.kids[2], var)) {
    FastTests::Atom a{A::kSomeIn, {}};
    for (const auto& k : body.kids[1]->kids) {
      if (!IsString(*k)) return false;
      a.strings.push_back(k->value.AsString());
    }
    f.atoms.push_back(std::move(a));
    f.callsListContains = true;
    return true;
  }
  Op want = n.op == Op::kSome ? Op::kNe : Op::kEq;
  if (body.op == want && IsName(*body.kids[0], var) && IsString(*body.kids[1])) {
    f.atoms.push_back(
        {n.op == Op::kSome ? A::kSomeNotEqual : A::kEveryEqual, {body.kids[1]->value.AsString()}});
    return true;
  }
  return false;
}

// TestAll's way of joining the positive tests' answers, unknown read as false.
bool Join(bool any, bool unknown, bool negated) {
  if (negated) return !any && !unknown;
  return any;
}

// nullopt: not decided here.
std::optional<bool> FastSatisfies(const FastTests& f, const Value& input, bool builtins) {
  using A = FastTests::Atom::Kind;
  if (f.literalKind != K::kNull) {
    bool any = false, unknown = false;
    using C = FastTests::Cmp;
    if (input.kind() == f.literalKind) {
      for (const auto& l : f.literals) {
        bool r;
        if (l.op == C::kEq || l.op == C::kNe) {
          // Equal, for two strings or two numbers.
          bool eq = f.literalKind == K::kString ? SameName(input.AsString(), l.value.AsString())
                                                : input.AsNumber() == l.value.AsNumber();
          r = (l.op == C::kEq) == eq;
        } else {
          int c = *Compare(input, l.value);
          r = l.op == C::kLt ? c < 0 : l.op == C::kLe ? c <= 0 : l.op == C::kGt ? c > 0 : c >= 0;
        }
        if (r) {
          any = true;
          break;
        }
      }
    } else if (input.IsNull()) {
      // null = lit is false, null != lit is true, null < lit is unknown.
      for (const auto& l : f.literals) {
        if (l.op == C::kNe) {
          any = true;
          break;
        }
        if (l.op != C::kEq) unknown = true;
      }
    } else {
      unknown = true;  // a value of another kind compares with none of them
    }
    return Join(any, unknown, f.negated);
  }
  if (!input.Is(K::kList) || (f.callsListContains && !builtins)) return std::nullopt;
  const List& items = input.AsList();
  auto isString = [](const Value& v, const std::string& s) {
    return v.Is(K::kString) && v.AsString() == s;
  };
  bool all = true;
  for (const auto& a : f.atoms) {
    bool r = false;
    switch (a.kind) {
      case A::kContains:
        for (const auto& v : items) r = r || isString(v, a.strings[0]);
        break;
      case A::kSomeIn:
        for (const auto& v : items)
          for (const auto& s : a.strings) r = r || isString(v, s);
        break;
      case A::kSomeNotEqual:
        for (const auto& v : items)
          r = r || v.IsNull() || (v.Is(K::kString) && v.AsString() != a.strings[0]);
        break;
      case A::kEveryEqual:
        r = true;
        for (const auto& v : items) r = r && isString(v, a.strings[0]);
        break;
    }
    if (!r) {
      all = false;
      break;
    }
  }
  return f.negated ? !all : all;
}

}  // namespace

std::shared_ptr<const FastTests> CompileFastTests(const Node& tests) {
  if (tests.op != Op::kTests || tests.kids.empty()) return nullptr;
  auto f = std::make_shared<FastTests>();
  f->negated = tests.negated;
  bool literal = true;
  for (const auto& k : tests.kids) {
    const Node* lit = nullptr;
    if (k->op == Op::kTestExpr && !k->usesQ && k->kids[0]->op == Op::kLiteral)
      lit = k->kids[0].get();
    else if (k->op == Op::kTestCompare && k->kids[0]->op == Op::kLiteral)
      lit = k->kids[0].get();
    K kind = lit ? lit->value.kind() : K::kNull;
    if ((kind != K::kString && kind != K::kNumber) ||
        (f->literalKind != K::kNull && f->literalKind != kind)) {
      literal = false;
      break;
    }
    f->literalKind = kind;
    using C = FastTests::Cmp;
    C op = C::kEq;
    if (k->op == Op::kTestCompare) {
      const std::string& o = k->name;
      op = o == "!="   ? C::kNe
           : o == "<"  ? C::kLt
           : o == "<=" ? C::kLe
           : o == ">"  ? C::kGt
           : o == ">=" ? C::kGe
                       : C::kEq;
    }
    f->literals.push_back({op, lit->value});
  }
  if (literal) return f;
  f->literalKind = K::kNull;
  f->literals.clear();
  if (tests.kids.size() != 1) return nullptr;
  const Node& t = *tests.kids[0];
  if (t.op != Op::kTestExpr || !t.usesQ || !CompileAtoms(*t.kids[0], *f)) return nullptr;
  return f;
}

TestShape ShapeOf(const Node& tests) {
  TestShape shape;
  if (!tests.fast) return shape;
  const FastTests& f = *tests.fast;
  if (f.literalKind == K::kString) {
    for (const auto& l : f.literals)
      if (l.op != FastTests::Cmp::kEq) return shape;
    shape.kind = f.negated ? TestShape::Kind::kStringsNotEqual : TestShape::Kind::kStringsEqual;
    for (const auto& l : f.literals) shape.strings.push_back(l.value.AsString());
  } else if (f.literalKind == K::kNull && !f.negated && f.atoms.size() == 1 &&
             f.atoms[0].kind == FastTests::Atom::Kind::kContains) {
    shape.kind = TestShape::Kind::kListContains;
    shape.strings = f.atoms[0].strings;
  }
  return shape;
}

const Value* BoundValue(const Node& node, const Scope& scope, const void** tag) {
  if (node.op != Op::kName) return nullptr;
  return scope.LookupVariable(node.name, node.nameHash, tag);
}

bool FastPathNamesAreBuiltins(const Scope& scope) {
  static const uint64_t kHash = Scope::NameHash("list contains");
  return !scope.LookupVariable("list contains", kHash);
}

bool Satisfies(const Node& tests, const Value& input, const Scope& scope, bool builtins) {
  if (tests.fast)
    if (auto r = FastSatisfies(*tests.fast, input, builtins)) return *r;
  EvaluationScope evaluation;
  return TestAll(tests, input, scope).value_or(false);
}

bool Satisfies(const Node& tests, const Value& input, const Scope& scope) {
  if (tests.fast) {
    bool builtins = !tests.fast->callsListContains || FastPathNamesAreBuiltins(scope);
    if (auto r = FastSatisfies(*tests.fast, input, builtins)) return *r;
  }
  EvaluationScope evaluation;
  return TestAll(tests, input, scope).value_or(false);
}

Value Invoke(const Value& fn, const std::vector<Value>& args) {
  if (!fn.Is(K::kFunction)) return Value();
  EvaluationScope evaluation;
  return fn.AsFunction()->Call(args);
}

}  // namespace waymark::rules::feel
